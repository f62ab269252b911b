/* Unit tests for lib/log: error values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

static void
errf_returns_minus_one_and_formats(void **state)
{
	struct rv_err err;

	(void)state;
	assert_int_equal(rv_errf(&err, "bad %s (%d)", "value", 3), -1);
	assert_string_equal(err.msg, "bad value (3)");
	assert_int_equal(rv_errf(NULL, "ignored"), -1);
}

static void
errctx_prefixes_context(void **state)
{
	struct rv_err err;

	(void)state;
	rv_errf(&err, "no such file");
	assert_int_equal(rv_errctx(&err, "%s", "channels/a.yaml"), -1);
	assert_string_equal(err.msg, "channels/a.yaml: no such file");
}

static void
long_messages_are_truncated_not_overflowed(void **state)
{
	struct rv_err err;
	char big[3 * RV_ERR_MAX];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	rv_errf(&err, "%s", big);
	assert_int_equal(strlen(err.msg), RV_ERR_MAX - 1);
	rv_errctx(&err, "%s", big);
	assert_int_equal(strlen(err.msg), RV_ERR_MAX - 1);
}

static void
progname_drops_the_directory(void **state)
{
	(void)state;
	rv_log_init("/usr/local/bin/rv-frame");
	assert_string_equal(rv_progname(), "rv-frame");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errf_returns_minus_one_and_formats),
		cmocka_unit_test(errctx_prefixes_context),
		cmocka_unit_test(long_messages_are_truncated_not_overflowed),
		cmocka_unit_test(progname_drops_the_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
