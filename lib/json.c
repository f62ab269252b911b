#include "json.h"

char *
rv_json_canonical(const json_t *j)
{
	return json_dumps(j, RV_JSON_CANONICAL | JSON_ENCODE_ANY);
}

static const json_t *
member(const json_t *obj, const char *key)
{
	return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

int
rv_json_opt_int(const json_t *obj, const char *key, int64_t *out,
    struct rv_err *err)
{
	const json_t *v = member(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return rv_errf(err, "key '%s' is not an integer", key);
	*out = json_integer_value(v);
	return 0;
}

int
rv_json_int(const json_t *obj, const char *key, int64_t *out,
    struct rv_err *err)
{
	const json_t *v = member(obj, key);

	if (v == NULL || json_is_null(v))
		return rv_errf(err, "missing key '%s'", key);
	return rv_json_opt_int(obj, key, out, err);
}

int
rv_json_opt_str(const json_t *obj, const char *key, const char **out,
    struct rv_err *err)
{
	const json_t *v = member(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return rv_errf(err, "key '%s' is not a string", key);
	*out = json_string_value(v);
	return 0;
}

int
rv_json_str(const json_t *obj, const char *key, const char **out,
    struct rv_err *err)
{
	const json_t *v = member(obj, key);

	if (v == NULL || json_is_null(v))
		return rv_errf(err, "missing key '%s'", key);
	return rv_json_opt_str(obj, key, out, err);
}
