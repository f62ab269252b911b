#include "averr.h"

#include <stdarg.h>
#include <stdio.h>

#include <libavutil/error.h>

int
rv_av_errf(struct rv_err *err, int rc, const char *fmt, ...)
{
	char what[RV_ERR_MAX / 2], why[AV_ERROR_MAX_STRING_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	av_strerror(rc, why, sizeof(why));
	return rv_errf(err, "%s: %s", what, why);
}
