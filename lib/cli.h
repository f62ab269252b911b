/*
 * cli — what every program's main() shares: the version line, usage
 * errors (exit status 2), and clean shutdown on SIGTERM/SIGINT.
 *
 * Exit statuses: 0 success, 1 the work failed, 2 usage.
 */
#ifndef RV_CLI_H
#define RV_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdio.h>

#define RV_EXIT_OK	0
#define RV_EXIT_FAIL	1
#define RV_EXIT_USAGE	2

/* The options every program takes, at the end of its option table. */
#define RV_OPT_VERSION	0x1000
#define RV_CLI_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "version", no_argument, NULL, RV_OPT_VERSION }

/* Handle what getopt_long returned that is not a program's own option:
 * -h, -v, --version, or an unknown option.  -1 to go on (after -v),
 * else the exit status to return now. */
int	rv_cli_option(int ch, const char *usage);

/* Set by the handlers rv_cli_signals() installs. */
extern volatile sig_atomic_t rv_stop_signal;

/* "rv-xxx 0.1.0 (RetroVue/C)" on stdout; returns RV_EXIT_OK. */
int	rv_cli_version(void);
/* Print usage text to stdout (for -h); returns RV_EXIT_OK. */
int	rv_cli_help(const char *usage);
/* "prog: message" and the usage text on stderr; returns RV_EXIT_USAGE. */
int	rv_cli_usage_error(const char *usage, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

struct rv_config;
struct rv_diags;

/* Print a file's warnings ("prog: warning: ...") and errors, then empty
 * d. */
void	rv_cli_print_diags(struct rv_diags *d);

/* Load the configuration (-C FILE or the lookup of retrovue.yaml(5)),
 * print why on failure, take log.level from it unless -v was given, and
 * with -v print the effective configuration to stderr.  0 or -1. */
int	rv_cli_config(const char *path, struct rv_config *cfg);

/* SIGTERM/SIGINT set rv_stop_signal (no SA_RESTART, so blocking calls
 * return EINTR); SIGINT stays ignored when it was ignored at start (a
 * background stage of a supervisor); SIGPIPE is ignored so that a closed
 * reader is an EPIPE error, not a silent death. */
void	rv_cli_signals(void);

#endif
