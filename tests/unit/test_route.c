/* Unit tests for lib/route: rv-serve's paths, matched strictly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "route.h"

static void
fixed_routes_match_exactly(void **state)
{
	struct rv_route r;

	(void)state;
	assert_int_equal(rv_route_parse("/", &r), RV_ROUTE_GUIDE);
	assert_int_equal(rv_route_parse("/channels.m3u", &r), RV_ROUTE_M3U);
	assert_int_equal(rv_route_parse("/xmltv.xml", &r), RV_ROUTE_XMLTV);
	assert_int_equal(rv_route_parse("/discover.json", &r),
	    RV_ROUTE_DISCOVER);
	assert_int_equal(rv_route_parse("/lineup.json", &r), RV_ROUTE_LINEUP);
	assert_int_equal(rv_route_parse("/lineup_status.json", &r),
	    RV_ROUTE_LINEUP_STATUS);
	assert_int_equal(rv_route_parse("/device.xml", &r), RV_ROUTE_DEVICE);
	assert_int_equal(rv_route_parse("/healthz", &r), RV_ROUTE_HEALTHZ);
	assert_int_equal(rv_route_parse("/metrics", &r), RV_ROUTE_METRICS);
	assert_int_equal(rv_route_parse("/static/hls.min.js", &r),
	    RV_ROUTE_PLAYER_JS);
	assert_int_equal(rv_route_parse("/channels.m3u/", &r), RV_ROUTE_NONE);
	assert_int_equal(rv_route_parse("//", &r), RV_ROUTE_NONE);
	assert_int_equal(rv_route_parse("", &r), RV_ROUTE_NONE);
	assert_int_equal(rv_route_parse(NULL, &r), RV_ROUTE_NONE);
	assert_int_equal(rv_route_parse("/METRICS", &r), RV_ROUTE_NONE);
}

static void
channel_routes_carry_the_number(void **state)
{
	struct rv_route r;

	(void)state;
	assert_int_equal(rv_route_parse("/channel/7.m3u8", &r),
	    RV_ROUTE_PLAYLIST);
	assert_int_equal(r.channel, 7);
	assert_int_equal(rv_route_parse("/channel/12345678.ts", &r),
	    RV_ROUTE_STREAM);
	assert_int_equal(r.channel, 12345678);
	assert_int_equal(rv_route_parse("/channel/90/00000012.ts", &r),
	    RV_ROUTE_SEGMENT);
	assert_int_equal(r.channel, 90);
	assert_string_equal(r.segment, "00000012.ts");
	assert_int_equal(rv_route_parse("/channel/90/123456789012345678.ts",
	    &r), RV_ROUTE_SEGMENT);
	assert_string_equal(r.segment, "123456789012345678.ts");
}

static void
anything_that_could_leave_the_folder_is_refused(void **state)
{
	static const char *const bad[] = {
		"/channel/0.m3u8", "/channel/07.m3u8", "/channel/-1.ts",
		"/channel/123456789.ts", "/channel/.m3u8", "/channel/7.m3u",
		"/channel/7/../../etc/passwd", "/channel/7/..%2f00000001.ts",
		"/channel/7/0000001.ts", "/channel/7/1234567890123456789.ts",
		"/channel/7/00000001.ts/", "/channel/7/00000001.tsx",
		"/channel/7//00000001.ts", "/channel/7/00000001.TS",
		"/channel/7/index.m3u8", "/channel/7/hls.json",
		"/channel/7.m3u8?x", "/channel/%37.ts", "/channel/7 .ts",
		"/channel//7.ts", "/static/../retrovue.db", "/static/",
		"/channel/7/00000001.ts\n", "/./", "/../",
	};
	struct rv_route r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rv_route_parse(bad[i], &r) != RV_ROUTE_NONE)
			fail_msg("%s was accepted", bad[i]);
		assert_int_equal(r.kind, RV_ROUTE_NONE);
	}
}

static void
every_route_has_a_short_name(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < RV_ROUTE_COUNT; k++)
		assert_non_null(rv_route_name((enum rv_route_kind)k));
	assert_string_equal(rv_route_name(RV_ROUTE_SEGMENT), "segment");
	assert_string_equal(rv_route_name((enum rv_route_kind)99), "other");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_routes_match_exactly),
		cmocka_unit_test(channel_routes_carry_the_number),
		cmocka_unit_test(anything_that_could_leave_the_folder_is_refused),
		cmocka_unit_test(every_route_has_a_short_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
