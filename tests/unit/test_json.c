/* Unit tests for lib/json: canonical encoding and typed getters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

static void
canonical_encoding_sorts_keys_at_every_depth(void **state)
{
	json_t *a = json_loads("{\"b\":{\"y\":1,\"x\":[{\"q\":1,\"p\":2}]},"
	    "\"a\":\"\\u00e9\"}", 0, NULL);
	json_t *b = json_loads("{\"a\":\"\\u00e9\",\"b\":{\"x\":[{\"p\":2,"
	    "\"q\":1}],\"y\":1}}", 0, NULL);
	char *sa = rv_json_canonical(a), *sb = rv_json_canonical(b);

	(void)state;
	assert_string_equal(sa,
	    "{\"a\":\"\xc3\xa9\",\"b\":{\"x\":[{\"p\":2,\"q\":1}],\"y\":1}}");
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
}

static void
canonical_reals_keep_short_decimals_and_are_idempotent(void **state)
{
	json_t *a = json_loads("{\"gain_db\":0.1,\"x\":-3.25}", 0, NULL), *b;
	char *sa = rv_json_canonical(a), *sb;

	(void)state;
	assert_string_equal(sa, "{\"gain_db\":0.1,\"x\":-3.25}");
	b = json_loads(sa, 0, NULL);
	sb = rv_json_canonical(b);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
}

static void
getters_name_the_missing_or_mistyped_key(void **state)
{
	json_t *o = json_pack("{s:i, s:s, s:n}", "n", 42, "s", "str", "z");
	struct rv_err err;
	const char *s = "unchanged";
	int64_t v = -1;

	(void)state;
	assert_int_equal(rv_json_int(o, "n", &v, &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(rv_json_str(o, "s", &s, &err), 0);
	assert_string_equal(s, "str");
	assert_int_equal(rv_json_int(o, "missing", &v, &err), -1);
	assert_string_equal(err.msg, "missing key 'missing'");
	assert_int_equal(rv_json_int(o, "s", &v, &err), -1);
	assert_string_equal(err.msg, "key 's' is not an integer");
	assert_int_equal(rv_json_str(o, "n", &s, &err), -1);
	assert_string_equal(err.msg, "key 'n' is not a string");
	assert_int_equal(rv_json_int(o, "z", &v, &err), -1);
	json_decref(o);
}

static void
optional_getters_leave_value_when_absent_or_null(void **state)
{
	json_t *o = json_pack("{s:n}", "z");
	struct rv_err err;
	const char *s = "default";
	int64_t v = 7;

	(void)state;
	assert_int_equal(rv_json_opt_int(o, "absent", &v, &err), 0);
	assert_int_equal(rv_json_opt_int(o, "z", &v, &err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(rv_json_opt_str(o, "absent", &s, &err), 0);
	assert_string_equal(s, "default");
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_encoding_sorts_keys_at_every_depth),
		cmocka_unit_test(canonical_reals_keep_short_decimals_and_are_idempotent),
		cmocka_unit_test(getters_name_the_missing_or_mistyped_key),
		cmocka_unit_test(optional_getters_leave_value_when_absent_or_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
