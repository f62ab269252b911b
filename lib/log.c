#include "log.h"

#include <stdio.h>
#include <string.h>

static const char *progname = "rv";
static int level = RV_NORMAL;

int
rv_errf(struct rv_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
rv_errctx(struct rv_err *err, const char *fmt, ...)
{
	char prefix[RV_ERR_MAX], old[RV_ERR_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncating a long message is fine; the start says the most. */
	strlcpy(err->msg, prefix, sizeof(err->msg));
	strlcat(err->msg, ": ", sizeof(err->msg));
	strlcat(err->msg, old, sizeof(err->msg));
	return -1;
}

void
rv_log_init(const char *name)
{
	const char *slash = strrchr(name, '/');

	progname = slash ? slash + 1 : name;
}

const char *
rv_progname(void)
{
	return progname;
}

void
rv_log_set_level(int l)
{
	level = l;
}

int
rv_log_level(void)
{
	return level;
}

static void
vlog(const char *fmt, va_list ap)
{
	char line[4096];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* One write per message so that lines of concurrent stages do not mix. */
	fprintf(stderr, "%s: %s\n", progname, line);
}

void
rv_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
rv_info(const char *fmt, ...)
{
	va_list ap;

	if (level < RV_INFO)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
rv_debug(const char *fmt, ...)
{
	va_list ap;

	if (level < RV_DEBUG)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
