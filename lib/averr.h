/*
 * averr — libav's error codes as our error values: the one place that
 * turns an AVERROR into words.
 */
#ifndef RV_AVERR_H
#define RV_AVERR_H

#include "log.h"

/* err = "<fmt ...>: <libav's reason for rc>"; returns -1. */
int	rv_av_errf(struct rv_err *err, int rc, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
