/* Unit tests for lib/frame: the wire format of rv-frame(5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"

/* A temporary file holding the given bytes, rewound for reading. */
static int
file_with(const void *bytes, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static int
empty_file(void)
{
	return file_with("", 0);
}

static void
written_frame_has_big_endian_length_of_type_plus_payload(void **state)
{
	static const uint8_t want[] = { 0, 0, 0, 4, 'Z', 'a', 'b', 'c' };
	uint8_t got[16];
	struct rv_err err;
	int fd = empty_file();

	(void)state;
	assert_int_equal(rv_frame_write(fd, 'Z', "abc", 3, &err), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(read(fd, got, sizeof(got)), (ssize_t)sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	close(fd);
}

static void
frames_read_back_in_order_then_clean_eof(void **state)
{
	struct rv_frame_reader r;
	struct rv_frame f = { 0 };
	struct rv_err err;
	char payload[32];
	int fd = empty_file(), i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(payload, sizeof(payload), "frame %d", i);
		assert_int_equal(rv_frame_write(fd, i % 2 ? 'T' : 'P', payload,
		    strlen(payload), &err), 0);
	}
	assert_int_equal(rv_frame_write(fd, 'Z', "", 0, &err), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	rv_frame_reader_init(&r, fd, "test");
	for (i = 0; i < 1000; i++) {
		snprintf(payload, sizeof(payload), "frame %d", i);
		assert_int_equal(rv_frame_read(&r, &f, &err), 1);
		assert_int_equal(f.type, i % 2 ? 'T' : 'P');
		assert_int_equal(f.len, strlen(payload));
		assert_memory_equal(f.payload, payload, f.len);
	}
	assert_int_equal(rv_frame_read(&r, &f, &err), 1);
	assert_int_equal(f.type, 'Z');
	assert_int_equal(f.len, 0);
	assert_int_equal(rv_frame_read(&r, &f, &err), 0);
	assert_int_equal(r.frames, 1001);
	rv_frame_free(&f);
	close(fd);
}

static void
payload_of_maximum_size_round_trips(void **state)
{
	struct rv_frame_reader *r = malloc(sizeof(*r));
	struct rv_frame f = { 0 };
	struct rv_err err;
	uint8_t *big = malloc(RV_FRAME_PAYLOAD_MAX);
	size_t i;
	int fd = empty_file();

	(void)state;
	for (i = 0; i < RV_FRAME_PAYLOAD_MAX; i++)
		big[i] = (uint8_t)(i * 7);
	assert_int_equal(rv_frame_write(fd, 'T', big, RV_FRAME_PAYLOAD_MAX,
	    &err), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	rv_frame_reader_init(r, fd, "test");
	assert_int_equal(rv_frame_read(r, &f, &err), 1);
	assert_int_equal(f.len, RV_FRAME_PAYLOAD_MAX);
	assert_memory_equal(f.payload, big, RV_FRAME_PAYLOAD_MAX);
	rv_frame_free(&f);
	free(big);
	free(r);
	close(fd);
}

static void
write_refuses_payload_over_16_mib(void **state)
{
	struct rv_err err;
	int fd = empty_file();

	(void)state;
	assert_int_equal(rv_frame_write(fd, 'T', "", RV_FRAME_PAYLOAD_MAX + 1,
	    &err), -1);
	assert_non_null(strstr(err.msg, "exceeds"));
	assert_int_equal(lseek(fd, 0, SEEK_END), 0);
	close(fd);
}

static void
write_refuses_type_that_is_not_a_letter(void **state)
{
	struct rv_err err;
	int fd = empty_file();

	(void)state;
	assert_int_equal(rv_frame_write(fd, '1', "x", 1, &err), -1);
	assert_int_equal(rv_frame_write(fd, 0x80 | 'A', "x", 1, &err), -1);
	assert_int_equal(lseek(fd, 0, SEEK_END), 0);
	close(fd);
}

/* Read one frame out of the given bytes; return rv_frame_read's result. */
static int
read_one(const void *bytes, size_t n, struct rv_err *err)
{
	struct rv_frame_reader r;
	struct rv_frame f = { 0 };
	int fd = file_with(bytes, n), rc;

	rv_frame_reader_init(&r, fd, "input");
	rc = rv_frame_read(&r, &f, err);
	rv_frame_free(&f);
	close(fd);
	return rc;
}

static void
length_zero_is_rejected(void **state)
{
	struct rv_err err;

	(void)state;
	assert_int_equal(read_one("\0\0\0\0P", 5, &err), -1);
	assert_non_null(strstr(err.msg, "length 0 out of range"));
	assert_non_null(strstr(err.msg, "input: frame 1 at byte 0"));
}

static void
length_over_16_mib_is_rejected_before_allocating(void **state)
{
	struct rv_err err;

	(void)state;
	/* 16 MiB + 1: one past the limit. */
	assert_int_equal(read_one("\x01\x00\x00\x01T", 5, &err), -1);
	assert_non_null(strstr(err.msg, "length 16777217 out of range"));
	assert_int_equal(read_one("\xff\xff\xff\xffT", 5, &err), -1);
}

static void
eof_inside_length_is_a_truncated_stream(void **state)
{
	struct rv_err err;

	(void)state;
	assert_int_equal(read_one("\0\0", 2, &err), -1);
	assert_non_null(strstr(err.msg, "truncated stream"));
	assert_non_null(strstr(err.msg, "2 of 4 length bytes"));
}

static void
eof_before_type_is_a_truncated_stream(void **state)
{
	struct rv_err err;

	(void)state;
	assert_int_equal(read_one("\0\0\0\x02", 4, &err), -1);
	assert_non_null(strstr(err.msg, "before its type byte"));
}

static void
eof_inside_payload_is_a_truncated_stream(void **state)
{
	struct rv_err err;

	(void)state;
	assert_int_equal(read_one("\0\0\0\x0bPhello", 10, &err), -1);
	assert_non_null(strstr(err.msg, "has 5 of 10 payload bytes"));
}

static void
type_byte_must_be_a_letter(void **state)
{
	struct rv_err err;

	(void)state;
	assert_int_equal(read_one("\0\0\0\x01\x07", 5, &err), -1);
	assert_non_null(strstr(err.msg, "0x07 is not an ASCII letter"));
}

static void
error_offset_names_the_failing_frame(void **state)
{
	static const uint8_t bytes[] = {
		0, 0, 0, 2, 'Z', 'x',	/* frame 1, bytes 0..5 */
		0, 0, 0, 0, 'P'		/* frame 2 at byte 6: bad length */
	};
	struct rv_frame_reader r;
	struct rv_frame f = { 0 };
	struct rv_err err;
	int fd = file_with(bytes, sizeof(bytes));

	(void)state;
	rv_frame_reader_init(&r, fd, "s");
	assert_int_equal(rv_frame_read(&r, &f, &err), 1);
	assert_int_equal(rv_frame_read(&r, &f, &err), -1);
	assert_non_null(strstr(err.msg, "s: frame 2 at byte 6"));
	rv_frame_free(&f);
	close(fd);
}

/* A sequenced-packet socket returns one record per read: writing the
 * stream one byte per record forces every read to be partial. */
static void
frames_survive_one_byte_reads(void **state)
{
	struct rv_frame_reader r;
	struct rv_frame f = { 0 };
	struct rv_err err;
	uint8_t bytes[64];
	int sv[2], i, fd;
	ssize_t n;
	pid_t pid;

	(void)state;
	fd = empty_file();
	assert_int_equal(rv_frame_write(fd, 'M', "{\"a\":1}", 7, &err), 0);
	assert_int_equal(rv_frame_write(fd, 'Z', "{}", 2, &err), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	n = read(fd, bytes, sizeof(bytes));
	close(fd);
	assert_int_equal(n, 5 + 7 + 5 + 2);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		for (i = 0; i < n; i++)
			if (write(sv[1], bytes + i, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(sv[1]);
	rv_frame_reader_init(&r, sv[0], "sock");
	assert_int_equal(rv_frame_read(&r, &f, &err), 1);
	assert_int_equal(f.type, 'M');
	assert_memory_equal(f.payload, "{\"a\":1}", 7);
	assert_int_equal(rv_frame_read(&r, &f, &err), 1);
	assert_int_equal(f.type, 'Z');
	assert_int_equal(rv_frame_read(&r, &f, &err), 0);
	assert_int_equal(waitpid(pid, &i, 0), pid);
	assert_int_equal(i, 0);
	rv_frame_free(&f);
	close(sv[0]);
}

static void
write_to_closed_pipe_is_an_error_not_a_signal(void **state)
{
	struct rv_err err;
	int p[2];

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(rv_frame_write(p[1], 'T', "x", 1, &err), -1);
	assert_non_null(strstr(err.msg, "Broken pipe"));
	close(p[1]);
}

static void
json_frame_is_canonical_with_sorted_keys(void **state)
{
	struct rv_frame_reader r;
	struct rv_frame f = { 0 };
	struct rv_err err;
	json_t *j = json_pack("{s:i, s:s, s:[i,i]}", "zeta", 1, "alpha", "x",
	    "mid", 1, 2);
	int fd = empty_file();

	(void)state;
	assert_int_equal(rv_frame_write_json(fd, 'P', j, &err), 0);
	json_decref(j);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	rv_frame_reader_init(&r, fd, "t");
	assert_int_equal(rv_frame_read(&r, &f, &err), 1);
	assert_string_equal((char *)f.payload,
	    "{\"alpha\":\"x\",\"mid\":[1,2],\"zeta\":1}");
	j = rv_frame_json(&f, &err);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "zeta")), 1);
	json_decref(j);
	rv_frame_free(&f);
	close(fd);
}

static void
json_payload_must_be_an_object(void **state)
{
	struct rv_frame f = { 0 };
	struct rv_err err;

	(void)state;
	f.type = 'P';
	f.payload = (uint8_t *)"[1,2]";
	f.len = 5;
	assert_null(rv_frame_json(&f, &err));
	assert_non_null(strstr(err.msg, "not a JSON object"));
	f.payload = (uint8_t *)"{\"a\":";
	f.len = 5;
	assert_null(rv_frame_json(&f, &err));
	assert_non_null(strstr(err.msg, "invalid JSON"));
	f.len = 0;
	assert_null(rv_frame_json(&f, &err));
	assert_non_null(strstr(err.msg, "empty payload"));
}

static void
json_types_are_the_documented_six(void **state)
{
	const char *t;

	(void)state;
	for (t = "HPBMEZ"; *t; t++)
		assert_true(rv_frame_type_is_json(*t));
	assert_false(rv_frame_type_is_json('T'));
	assert_false(rv_frame_type_is_json('X'));
	assert_false(rv_frame_type_is_json(0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(written_frame_has_big_endian_length_of_type_plus_payload),
		cmocka_unit_test(frames_read_back_in_order_then_clean_eof),
		cmocka_unit_test(payload_of_maximum_size_round_trips),
		cmocka_unit_test(write_refuses_payload_over_16_mib),
		cmocka_unit_test(write_refuses_type_that_is_not_a_letter),
		cmocka_unit_test(length_zero_is_rejected),
		cmocka_unit_test(length_over_16_mib_is_rejected_before_allocating),
		cmocka_unit_test(eof_inside_length_is_a_truncated_stream),
		cmocka_unit_test(eof_before_type_is_a_truncated_stream),
		cmocka_unit_test(eof_inside_payload_is_a_truncated_stream),
		cmocka_unit_test(type_byte_must_be_a_letter),
		cmocka_unit_test(error_offset_names_the_failing_frame),
		cmocka_unit_test(frames_survive_one_byte_reads),
		cmocka_unit_test(write_to_closed_pipe_is_an_error_not_a_signal),
		cmocka_unit_test(json_frame_is_canonical_with_sorted_keys),
		cmocka_unit_test(json_payload_must_be_an_object),
		cmocka_unit_test(json_types_are_the_documented_six),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
