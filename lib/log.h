/*
 * log — error values and diagnostics shared by every program.
 *
 * Library code never prints and never exits: a function that fails returns
 * -1 (or NULL) and leaves a message in a struct rv_err that its caller
 * prints.  Programs print with rv_warnx()/rv_info()/rv_debug(), which
 * prefix the program name set once by rv_log_init() and honour the -v level.
 */
#ifndef RV_LOG_H
#define RV_LOG_H

#include <stdarg.h>

#define RV_ERR_MAX 1024

struct rv_err {
	char msg[RV_ERR_MAX];
};

/* Set err's message (printf-style); always returns -1 so that a failing
 * function can end with `return rv_errf(err, ...)`.  err may be NULL. */
int rv_errf(struct rv_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the message already in err with more context ("what: " + old). */
int rv_errctx(struct rv_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

enum rv_level { RV_QUIET = -1, RV_NORMAL = 0, RV_INFO = 1, RV_DEBUG = 2 };

void rv_log_init(const char *progname);
const char *rv_progname(void);
void rv_log_set_level(int level);
int rv_log_level(void);

/* "prog: message" on stderr, always shown. */
void rv_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown with -v. */
void rv_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown with -vv. */
void rv_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
