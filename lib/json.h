/*
 * json — jansson helpers shared by every module that reads or writes JSON:
 * the canonical encoding (compact, keys sorted) that frames, schedules and
 * their sha256 hashes use, and typed getters that fail with a message
 * naming the key.
 */
#ifndef RV_JSON_H
#define RV_JSON_H

#include <stdint.h>

#include <jansson.h>

#include "log.h"

/* 15 significant digits: every decimal of up to 15 digits survives
 * text -> double -> text unchanged (0.1 stays "0.1"), so re-encoding
 * canonical text is the identity. */
#define RV_JSON_CANONICAL	(JSON_COMPACT | JSON_SORT_KEYS | \
				 JSON_REAL_PRECISION(15))

/* Canonical text of j; the caller frees it.  NULL only on allocation
 * failure. */
char	*rv_json_canonical(const json_t *j);

/* Getters: -1 with "missing key 'k'" / "key 'k' is not an integer". */
int	 rv_json_int(const json_t *obj, const char *key, int64_t *out,
	    struct rv_err *err);
int	 rv_json_str(const json_t *obj, const char *key, const char **out,
	    struct rv_err *err);
/* Optional variants: absent key leaves *out untouched and succeeds. */
int	 rv_json_opt_int(const json_t *obj, const char *key, int64_t *out,
	    struct rv_err *err);
int	 rv_json_opt_str(const json_t *obj, const char *key, const char **out,
	    struct rv_err *err);

#endif
