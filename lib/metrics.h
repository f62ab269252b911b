/*
 * metrics — Prometheus text files (DESIGN.md §9, retrovue(7) METRICS).
 *
 * Each program keeps its own counters and, every interval (5 s unless the
 * configuration says otherwise) and at exit, rewrites $RV_RUN/metrics/<program>-<channel>.prom through
 * a temporary file and a rename, so that a reader (rv-serve /metrics, the
 * node_exporter textfile collector) never sees half a file.  The text is
 * the Prometheus exposition format: a # HELP and # TYPE line per family,
 * then its samples.  Every file also carries
 * rv_metrics_updated_timestamp_seconds{program,channel}, so that a file
 * whose program died shows its age.
 *
 * rv_prom_merge joins several such texts into one exposition: the samples
 * of a family found in more than one file are grouped under one header,
 * as the format requires.
 */
#ifndef RV_METRICS_H
#define RV_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "clock.h"
#include "log.h"

#define RV_METRICS_INTERVAL_MS	5000

/* The interval (metrics.interval_seconds of the configuration), set by
 * rv_cli_config; under a second is ignored. */
void	rv_metrics_set_interval(int ms);

/* Replace the file dst with text: written to dst.tmp, then renamed. */
int	rv_file_replace(const char *dst, const char *text, size_t len,
	    struct rv_err *err);

struct rv_metrics {
	char	 path[4096];
	char	 program[64], channel[128];
	int64_t	 next_ms;		/* monotonic: the next write is due */
	int	 warned;		/* a failed write was said once */
};

/* Where this program's file goes: run_dir/metrics/<program>-<channel>.prom
 * (channel NULL: <program>.prom); the folder is made.  The first write is
 * due at once. */
int	rv_metrics_init(struct rv_metrics *m, const char *run_dir,
	    const char *program, const char *channel, struct rv_err *err);
/* Write the file when the interval has passed (or force): emit writes
 * the program's families to fp.  1 written, 0 not due, -1 failed (the
 * reason in err; said once on stderr, the program goes on). */
int	rv_metrics_tick(struct rv_metrics *m, int force,
	    void (*emit)(FILE *fp, void *arg), void *arg, struct rv_err *err);

/* The families. A sample's labels: channel, then one more (lk=lv) when lk
 * is not NULL; values are escaped. */
void	rv_prom_family(FILE *fp, const char *name, const char *type,
	    const char *help);
void	rv_prom_sample(FILE *fp, const char *name, const char *channel,
	    const char *lk, const char *lv, double v);

/* A family of one sample: its header, then name{channel} v. */
void	rv_prom_one(FILE *fp, const char *name, const char *type,
	    const char *channel, double v, const char *help);

/* A histogram of fixed buckets (upper bounds, ascending, at most 16). */
#define RV_PROM_BUCKETS_MAX 16
struct rv_prom_hist {
	const double	*le;
	int		 n;
	int64_t		 bucket[RV_PROM_BUCKETS_MAX];	/* not cumulative */
	int64_t		 count;
	double		 sum;
};

void	rv_prom_hist_init(struct rv_prom_hist *h, const double *le, int n);
void	rv_prom_observe(struct rv_prom_hist *h, double v);
void	rv_prom_hist_write(FILE *fp, const char *name, const char *channel,
	    const struct rv_prom_hist *h);

/* The value of one series ("name" or "name{labels}", as written) in the
 * exposition file at path: 0 with *v, -1 when the file or the series is
 * not there.  For a one-shot program's counters, carried across runs. */
int	rv_prom_read(const char *path, const char *series, double *v);

/* The value of name{channel="<m's channel>"} in m's file as the last run
 * left it: 0 with *v, -1 when there is none (a first run). */
int	rv_metrics_prev(const struct rv_metrics *m, const char *name,
	    double *v);

/* Join n exposition texts into one, family by family, in the order the
 * families are first seen.  Lines that are neither comments nor samples
 * are dropped.  Returns a malloc'd text, or NULL when out of memory. */
char	*rv_prom_merge(const char *const *texts, size_t n);

#endif
