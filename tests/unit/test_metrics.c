/* Unit tests for lib/metrics: the exposition text, histograms, the merge
 * of several programs' files, and the atomic, paced file write. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics.h"

static char *
capture(void (*fn)(FILE *, void *), void *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	assert_non_null(fp);
	fn(fp, arg);
	fclose(fp);
	return out;
}

static void
emit_samples(FILE *fp, void *arg)
{
	(void)arg;
	rv_prom_family(fp, "rv_air_frames_total", "counter", "Frames.");
	rv_prom_sample(fp, "rv_air_frames_total", "one", "kind", "pad", 12);
	rv_prom_sample(fp, "rv_air_speed", "a\"b\\c\nd", NULL, NULL, 0.25);
	rv_prom_sample(fp, "rv_up", NULL, NULL, NULL, 1);
	rv_prom_sample(fp, "rv_big", NULL, NULL, NULL, 12345678901234.0);
}

static void
samples_are_exposition_lines(void **state)
{
	char *t;

	(void)state;
	t = capture(emit_samples, NULL);
	assert_string_equal(t,
	    "# HELP rv_air_frames_total Frames.\n"
	    "# TYPE rv_air_frames_total counter\n"
	    "rv_air_frames_total{channel=\"one\",kind=\"pad\"} 12\n"
	    "rv_air_speed{channel=\"a\\\"b\\\\c\\nd\"} 0.25\n"
	    "rv_up 1\n"
	    "rv_big 12345678901234\n");
	free(t);
}

static const double le3[] = { 0.001, 0.034, 1 };

static void
emit_hist(FILE *fp, void *arg)
{
	rv_prom_hist_write(fp, "rv_air_fence_error_seconds", "one", arg);
}

static void
histogram_buckets_are_cumulative(void **state)
{
	struct rv_prom_hist h;
	char *t;

	(void)state;
	rv_prom_hist_init(&h, le3, 3);
	rv_prom_observe(&h, 0);
	rv_prom_observe(&h, 0.001);	/* on the bound: in it */
	rv_prom_observe(&h, 0.02);
	rv_prom_observe(&h, 5);		/* past every bound: +Inf only */
	t = capture(emit_hist, &h);
	assert_string_equal(t,
	    "rv_air_fence_error_seconds_bucket{channel=\"one\",le=\"0.001\"} 2\n"
	    "rv_air_fence_error_seconds_bucket{channel=\"one\",le=\"0.034\"} 3\n"
	    "rv_air_fence_error_seconds_bucket{channel=\"one\",le=\"1\"} 3\n"
	    "rv_air_fence_error_seconds_bucket{channel=\"one\",le=\"+Inf\"} 4\n"
	    "rv_air_fence_error_seconds_sum{channel=\"one\"} 5.021\n"
	    "rv_air_fence_error_seconds_count{channel=\"one\"} 4\n");
	free(t);
}

static void
merge_groups_a_family_under_one_header(void **state)
{
	const char *a =
	    "# HELP rv_x_total X.\n# TYPE rv_x_total counter\n"
	    "rv_x_total{channel=\"a\"} 1\n"
	    "# HELP rv_h_seconds H.\n# TYPE rv_h_seconds histogram\n"
	    "rv_h_seconds_bucket{channel=\"a\",le=\"+Inf\"} 1\n"
	    "rv_h_seconds_sum{channel=\"a\"} 2\n"
	    "rv_h_seconds_count{channel=\"a\"} 1\n";
	const char *b =
	    "# a comment of no family\n\n"
	    "# HELP rv_x_total X again.\n# TYPE rv_x_total counter\n"
	    "rv_x_total{channel=\"b\"} 7\n"
	    "rv_loose 3\n"
	    "# HELP rv_h_seconds H.\n# TYPE rv_h_seconds histogram\n"
	    "rv_h_seconds_bucket{channel=\"b\",le=\"+Inf\"} 0\n"
	    "rv_h_seconds_sum{channel=\"b\"} 0\n"
	    "rv_h_seconds_count{channel=\"b\"} 0\n"
	    "no_value_here";
	const char *texts[] = { a, NULL, b };
	char *m;

	(void)state;
	m = rv_prom_merge(texts, 3);
	assert_non_null(m);
	assert_string_equal(m,
	    "# HELP rv_x_total X.\n# TYPE rv_x_total counter\n"
	    "rv_x_total{channel=\"a\"} 1\n"
	    "rv_x_total{channel=\"b\"} 7\n"
	    "# HELP rv_h_seconds H.\n# TYPE rv_h_seconds histogram\n"
	    "rv_h_seconds_bucket{channel=\"a\",le=\"+Inf\"} 1\n"
	    "rv_h_seconds_sum{channel=\"a\"} 2\n"
	    "rv_h_seconds_count{channel=\"a\"} 1\n"
	    "rv_h_seconds_bucket{channel=\"b\",le=\"+Inf\"} 0\n"
	    "rv_h_seconds_sum{channel=\"b\"} 0\n"
	    "rv_h_seconds_count{channel=\"b\"} 0\n"
	    "rv_loose 3\n");
	free(m);
}

static void
emit_one(FILE *fp, void *arg)
{
	(*(int *)arg)++;
	rv_prom_sample(fp, "rv_calls", NULL, NULL, NULL, *(int *)arg);
}

static void
file_is_replaced_and_paced(void **state)
{
	char dir[] = "/tmp/test_metrics.XXXXXX", path[4200], buf[512];
	struct rv_metrics m;
	struct rv_err err;
	struct stat st;
	FILE *fp;
	size_t n;
	int calls = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(rv_metrics_init(&m, dir, "rv-air", "one", &err), 0);
	snprintf(path, sizeof(path), "%s/metrics/rv-air-one.prom", dir);
	assert_string_equal(m.path, path);
	/* Due at once, then not again for the interval, unless forced. */
	assert_int_equal(rv_metrics_tick(&m, 0, emit_one, &calls, &err), 1);
	assert_int_equal(rv_metrics_tick(&m, 0, emit_one, &calls, &err), 0);
	assert_int_equal(rv_metrics_tick(&m, 1, emit_one, &calls, &err), 1);
	assert_int_equal(calls, 2);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	fclose(fp);
	assert_non_null(strstr(buf, "rv_calls 2\n"));
	assert_non_null(strstr(buf, "rv_metrics_updated_timestamp_seconds{"
	    "program=\"rv-air\",channel=\"one\"} "));
	/* A series read back, for counters carried across runs. */
	{
		double v = 0;

		assert_int_equal(rv_prom_read(m.path, "rv_calls", &v), 0);
		assert_true(v == 2);
		assert_int_equal(rv_prom_read(m.path, "rv_call", &v), -1);
		assert_int_equal(rv_prom_read("/nonexistent/x.prom",
		    "rv_calls", &v), -1);
	}
	snprintf(path, sizeof(path), "%s/metrics/rv-air-one.prom.tmp.%ld", dir,
	    (long)getpid());
	assert_int_equal(stat(path, &st), -1);
	/* The folder removed (a run folder cleaned): made again. */
	snprintf(path, sizeof(path), "%s/metrics/rv-air-one.prom", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/metrics", dir);
	rmdir(path);
	rmdir(dir);
	assert_int_equal(rv_metrics_tick(&m, 1, emit_one, &calls, &err), 1);
	snprintf(path, sizeof(path), "%s/metrics/rv-air-one.prom", dir);
	assert_int_equal(stat(path, &st), 0);
	/* A folder that cannot be: -1 with the path, not a crash. */
	unlink(path);
	snprintf(path, sizeof(path), "%s/metrics", dir);
	rmdir(path);
	rmdir(dir);
	fp = fopen(dir, "w");	/* a file where the run folder was */
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(rv_metrics_tick(&m, 1, emit_one, &calls, &err), -1);
	assert_non_null(strstr(err.msg, "rv-air-one.prom"));
	unlink(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(samples_are_exposition_lines),
		cmocka_unit_test(histogram_buckets_are_cumulative),
		cmocka_unit_test(merge_groups_a_family_under_one_header),
		cmocka_unit_test(file_is_replaced_and_paced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
