/* Unit tests for lib/framedump: frames as JSON lines and back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framedump.h"

static char *
describe_text(int type, const void *payload, size_t len, int full, int *rc)
{
	struct rv_frame f = { type, (uint8_t *)payload, len, len };
	struct rv_err err;
	json_t *line;
	char *text;

	*rc = rv_frame_describe(&f, full, &line, &err);
	assert_non_null(line);
	text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	return text;
}

static void
json_frame_is_described_by_its_object(void **state)
{
	char *s;
	int rc;

	(void)state;
	s = describe_text('E', "{\"seq\":1,\"kind\":\"session_start\"}", 32, 0,
	    &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s,
	    "{\"type\":\"E\",\"json\":{\"seq\":1,\"kind\":\"session_start\"}}");
	free(s);
}

static void
ts_frame_summary_counts_packets_and_shows_16_bytes(void **state)
{
	uint8_t ts[2 * 188];
	char *s;
	int rc;

	(void)state;
	memset(ts, 0xff, sizeof(ts));
	ts[0] = ts[188] = 0x47;
	s = describe_text('T', ts, sizeof(ts), 0, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "{\"type\":\"T\",\"len\":376,\"packets\":2,"
	    "\"head\":\"47ffffffffffffffffffffffffffffff\"}");
	free(s);
}

static void
full_description_gives_every_byte(void **state)
{
	char *s;
	int rc;

	(void)state;
	s = describe_text('X', "\x01\x02\xfe", 3, 1, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "{\"type\":\"X\",\"len\":3,\"hex\":\"0102fe\"}");
	free(s);
}

static void
invalid_json_payload_is_an_error_with_its_bytes(void **state)
{
	char *s;
	int rc;

	(void)state;
	s = describe_text('P', "{x", 2, 0, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(s, "\"hex\":\"7b78\""));
	assert_non_null(strstr(s, "\"error\":"));
	free(s);
}

static void
ts_payload_not_whole_packets_is_an_error(void **state)
{
	uint8_t ts[189] = { 0x47 };
	char *s;
	int rc;

	(void)state;
	s = describe_text('T', ts, sizeof(ts), 0, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(s, "not a whole number of 188-byte packets"));
	free(s);
}

static int
from_text(const char *text, struct rv_frame *f, struct rv_err *err)
{
	json_t *line = json_loads(text, 0, NULL);
	int rc;

	assert_non_null(line);
	memset(f, 0, sizeof(*f));
	rc = rv_frame_from_line(line, f, err);
	json_decref(line);
	return rc;
}

static void
every_json_type_packs_back_to_canonical_bytes(void **state)
{
	static const char types[] = "HPBMEZ";
	struct rv_frame f, back;
	struct rv_err err;
	json_t *line;
	char text[128];
	int i;

	(void)state;
	for (i = 0; types[i]; i++) {
		snprintf(text, sizeof(text),
		    "{\"type\":\"%c\",\"json\":{\"b\":[1,\"x\"],\"a\":null}}",
		    types[i]);
		assert_int_equal(from_text(text, &f, &err), 0);
		assert_int_equal(f.type, types[i]);
		assert_string_equal((char *)f.payload,
		    "{\"a\":null,\"b\":[1,\"x\"]}");
		assert_int_equal(rv_frame_describe(&f, 0, &line, &err), 0);
		memset(&back, 0, sizeof(back));
		assert_int_equal(rv_frame_from_line(line, &back, &err), 0);
		assert_int_equal(back.len, f.len);
		assert_memory_equal(back.payload, f.payload, f.len);
		json_decref(line);
		rv_frame_free(&f);
		rv_frame_free(&back);
	}
}

static void
hex_packs_to_exact_bytes(void **state)
{
	struct rv_frame f;
	struct rv_err err;

	(void)state;
	assert_int_equal(from_text("{\"type\":\"T\",\"len\":2,\"hex\":\"47Ff\"}",
	    &f, &err), 0);
	assert_int_equal(f.len, 2);
	assert_memory_equal(f.payload, "\x47\xff", 2);
	rv_frame_free(&f);
}

static void
summary_line_cannot_be_packed(void **state)
{
	struct rv_frame f;
	struct rv_err err;

	(void)state;
	assert_int_equal(from_text("{\"type\":\"T\",\"len\":188,\"head\":\"47\"}",
	    &f, &err), -1);
	assert_non_null(strstr(err.msg, "dump with --hex"));
}

static void
bad_lines_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *line, *reason;
	} cases[] = {
		{ "{\"json\":{}}", "missing key 'type'" },
		{ "{\"type\":\"PP\",\"json\":{}}", "one ASCII letter" },
		{ "{\"type\":\"1\",\"json\":{}}", "one ASCII letter" },
		{ "{\"type\":\"P\",\"json\":{},\"hex\":\"00\"}", "not both" },
		{ "{\"type\":\"T\",\"hex\":\"0\"}", "odd number" },
		{ "{\"type\":\"T\",\"hex\":\"zz\"}", "non-hex" },
		{ "{\"type\":\"T\",\"len\":3,\"hex\":\"00\"}",
		  "\"len\" is 3 but \"hex\" holds 1 bytes" },
		{ "{\"type\":\"T\",\"hex\":\"00\",\"extra\":1}", "unknown key" },
		{ "{\"type\":7,\"json\":{}}", "not a string" },
		{ "{\"type\":\"P\",\"json\":[1,2]}", "must be an object" },
		{ "{\"type\":\"T\",\"json\":{}}", "carry bytes" },
	};
	struct rv_frame f;
	struct rv_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(from_text(cases[i].line, &f, &err), -1);
		if (strstr(err.msg, cases[i].reason) == NULL)
			fail_msg("%s: got '%s', want '%s'", cases[i].line,
			    err.msg, cases[i].reason);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_frame_is_described_by_its_object),
		cmocka_unit_test(ts_frame_summary_counts_packets_and_shows_16_bytes),
		cmocka_unit_test(full_description_gives_every_byte),
		cmocka_unit_test(invalid_json_payload_is_an_error_with_its_bytes),
		cmocka_unit_test(ts_payload_not_whole_packets_is_an_error),
		cmocka_unit_test(every_json_type_packs_back_to_canonical_bytes),
		cmocka_unit_test(hex_packs_to_exact_bytes),
		cmocka_unit_test(summary_line_cannot_be_packed),
		cmocka_unit_test(bad_lines_are_refused_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
