#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int interval_ms = RV_METRICS_INTERVAL_MS;

void
rv_metrics_set_interval(int ms)
{
	if (ms >= 1000)
		interval_ms = ms;
}

int
rv_file_replace(const char *dst, const char *text, size_t len,
    struct rv_err *err)
{
	char tmp[4200];
	size_t off = 0;
	ssize_t k;
	int fd;

	/* Per process: two runs of a one-shot program at once must not
	 * write one temporary file. */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", dst,
	    (long)getpid()) >= sizeof(tmp))
		return rv_errf(err, "%s: path too long", dst);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0)
		return rv_errf(err, "%s: %s", tmp, strerror(errno));
	while (off < len) {
		k = write(fd, text + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rv_errf(err, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)k;
	}
	if (close(fd) < 0 || rename(tmp, dst) < 0) {
		rv_errf(err, "%s: %s", dst, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Make the folder of m's file and the one above it: -1 with errno. */
static int
metrics_dir(const struct rv_metrics *m)
{
	char dir[4096], *slash;
	int up, i;

	/* The run folder, then its metrics/: two and one up from the file. */
	for (up = 2; up >= 1; up--) {
		snprintf(dir, sizeof(dir), "%s", m->path);
		for (i = 0; i < up; i++) {
			if ((slash = strrchr(dir, '/')) == NULL)
				return 0;
			*slash = 0;
		}
		if (dir[0] != 0 && mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

int
rv_metrics_init(struct rv_metrics *m, const char *run_dir,
    const char *program, const char *channel, struct rv_err *err)
{
	char dir[4096];

	memset(m, 0, sizeof(*m));
	snprintf(m->program, sizeof(m->program), "%s", program);
	snprintf(m->channel, sizeof(m->channel), "%s", channel ? channel : "");
	if ((size_t)snprintf(dir, sizeof(dir), "%s/metrics", run_dir) >=
	    sizeof(dir) || (size_t)snprintf(m->path, sizeof(m->path),
	    "%s/%s%s%s.prom", dir, program, channel ? "-" : "",
	    channel ? channel : "") >= sizeof(m->path))
		return rv_errf(err, "%s: path too long", run_dir);
	/* The run folder may not be there yet: a channel's first start. */
	if (metrics_dir(m) < 0)
		return rv_errf(err, "%s: %s", dir, strerror(errno));
	m->next_ms = rv_mono_ms();
	return 0;
}

void
rv_prom_family(FILE *fp, const char *name, const char *type,
    const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
label(FILE *fp, const char *k, const char *v)
{
	fprintf(fp, "%s=\"", k);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', fp);
		if (*v == '\n')
			fputs("\\n", fp);
		else
			fputc(*v, fp);
	}
	fputc('"', fp);
}

static void
value(FILE *fp, double v)
{
	if (isnan(v))
		fputs("NaN", fp);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", fp);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(fp, "%.0f", v);
	else
		fprintf(fp, "%.15g", v);	/* a timestamp keeps its ms */
}

static void
labels(FILE *fp, const char *channel, const char *lk, const char *lv)
{
	if (channel == NULL && lk == NULL)
		return;
	fputc('{', fp);
	if (channel != NULL)
		label(fp, "channel", channel);
	if (lk != NULL) {
		if (channel != NULL)
			fputc(',', fp);
		label(fp, lk, lv);
	}
	fputc('}', fp);
}

void
rv_prom_sample(FILE *fp, const char *name, const char *channel,
    const char *lk, const char *lv, double v)
{
	fputs(name, fp);
	labels(fp, channel, lk, lv);
	fputc(' ', fp);
	value(fp, v);
	fputc('\n', fp);
}

void
rv_prom_one(FILE *fp, const char *name, const char *type,
    const char *channel, double v, const char *help)
{
	rv_prom_family(fp, name, type, help);
	rv_prom_sample(fp, name, channel, NULL, NULL, v);
}

void
rv_prom_hist_init(struct rv_prom_hist *h, const double *le, int n)
{
	memset(h, 0, sizeof(*h));
	h->le = le;
	h->n = n < RV_PROM_BUCKETS_MAX ? n : RV_PROM_BUCKETS_MAX;
}

void
rv_prom_observe(struct rv_prom_hist *h, double v)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (v <= h->le[i]) {
			h->bucket[i]++;
			break;
		}
	h->count++;
	h->sum += v;
}

void
rv_prom_hist_write(FILE *fp, const char *name, const char *channel,
    const struct rv_prom_hist *h)
{
	char le[32];
	int64_t cum = 0;
	int i;

	for (i = 0; i < h->n; i++) {
		cum += h->bucket[i];
		snprintf(le, sizeof(le), "%g", h->le[i]);
		fprintf(fp, "%s_bucket", name);
		labels(fp, channel, "le", le);
		fprintf(fp, " %lld\n", (long long)cum);
	}
	fprintf(fp, "%s_bucket", name);
	labels(fp, channel, "le", "+Inf");
	fprintf(fp, " %lld\n%s_sum", (long long)h->count, name);
	labels(fp, channel, NULL, NULL);
	fputc(' ', fp);
	value(fp, h->sum);
	fprintf(fp, "\n%s_count", name);
	labels(fp, channel, NULL, NULL);
	fprintf(fp, " %lld\n", (long long)h->count);
}

int
rv_prom_read(const char *path, const char *series, double *v)
{
	size_t n = strlen(series);
	char line[1024], *end;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, series, n) == 0 && line[n] == ' ') {
			*v = strtod(line + n + 1, &end);
			if (end != line + n + 1)
				rc = 0;
		}
	fclose(fp);
	return rc;
}

int
rv_metrics_prev(const struct rv_metrics *m, const char *name, double *v)
{
	char series[512];

	if ((size_t)snprintf(series, sizeof(series), "%s{channel=\"%s\"}",
	    name, m->channel) >= sizeof(series))
		return -1;
	return rv_prom_read(m->path, series, v);
}

/* One family while merging: its header lines and its samples. */
struct fam {
	char	*name;
	char	*help, *type;		/* whole lines, or NULL */
	char	*samples;
	size_t	 len, cap;
};

struct famlist {
	struct fam	*v;
	size_t		 n, cap;
};

static struct fam *
fam_get(struct famlist *l, const char *name, size_t nlen)
{
	struct fam *f;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].name) == nlen &&
		    memcmp(l->v[i].name, name, nlen) == 0)
			return &l->v[i];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;

		if ((f = realloc(l->v, cap * sizeof(*f))) == NULL)
			return NULL;
		l->v = f;
		l->cap = cap;
	}
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	if ((f->name = strndup(name, nlen)) == NULL)
		return NULL;
	l->n++;
	return f;
}

static int
fam_add(struct fam *f, const char *line, size_t len)
{
	char *p;

	if (f->len + len + 2 > f->cap) {
		size_t cap = (f->cap ? f->cap * 2 : 256) + len + 2;

		if ((p = realloc(f->samples, cap)) == NULL)
			return -1;
		f->samples = p;
		f->cap = cap;
	}
	memcpy(f->samples + f->len, line, len);
	f->len += len;
	f->samples[f->len++] = '\n';
	f->samples[f->len] = 0;
	return 0;
}

/* A sample of family f: its name, or for a histogram or summary the name
 * with _bucket, _sum or _count. */
static int
belongs(const struct fam *f, const char *name, size_t nlen)
{
	static const char *const sfx[] = { "", "_bucket", "_sum", "_count" };
	size_t fl = strlen(f->name), i;

	if (nlen < fl || memcmp(name, f->name, fl) != 0)
		return 0;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (nlen - fl == strlen(sfx[i]) &&
		    memcmp(name + fl, sfx[i], nlen - fl) == 0)
			return 1;
	return 0;
}

/* "# HELP name ..." or "# TYPE name ...": 1 with the name. */
static int
header(const char *line, size_t len, const char *kw, const char **name,
    size_t *nlen)
{
	size_t k = strlen(kw);

	if (len < k + 3 || memcmp(line, "# ", 2) != 0 ||
	    memcmp(line + 2, kw, k) != 0 || line[2 + k] != ' ')
		return 0;
	*name = line + 3 + k;
	*nlen = strcspn(*name, " ");
	if (*name + *nlen > line + len)
		*nlen = (size_t)(line + len - *name);
	return *nlen > 0;
}

static int
merge_one(struct famlist *l, const char *text)
{
	const char *line = text, *end, *name;
	struct fam *cur = NULL, *f;
	size_t len, nlen;
	int help;
	char **slot;

	for (; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		len = (size_t)(end - line);
		if (len == 0)
			continue;
		if ((help = header(line, len, "HELP", &name, &nlen)) ||
		    header(line, len, "TYPE", &name, &nlen)) {
			if ((cur = fam_get(l, name, nlen)) == NULL)
				return -1;
			slot = help ? &cur->help : &cur->type;
			if (*slot == NULL && (*slot = strndup(line, len)) ==
			    NULL)
				return -1;
			continue;
		}
		if (line[0] == '#')
			continue;
		nlen = strcspn(line, "{ ");
		if (nlen == 0 || nlen >= len)
			continue;
		if (cur != NULL && belongs(cur, line, nlen))
			f = cur;
		else if ((f = cur = fam_get(l, line, nlen)) == NULL)
			return -1;
		if (fam_add(f, line, len) < 0)
			return -1;
	}
	return 0;
}

char *
rv_prom_merge(const char *const *texts, size_t n)
{
	struct famlist l = { 0 };
	char *out = NULL;
	size_t len = 0, i;
	FILE *fp;
	int bad = 0;

	for (i = 0; i < n && !bad; i++)
		bad = texts[i] != NULL && merge_one(&l, texts[i]) < 0;
	if (!bad && (fp = open_memstream(&out, &len)) != NULL) {
		for (i = 0; i < l.n; i++) {
			if (l.v[i].help)
				fprintf(fp, "%s\n", l.v[i].help);
			if (l.v[i].type)
				fprintf(fp, "%s\n", l.v[i].type);
			if (l.v[i].samples)
				fputs(l.v[i].samples, fp);
		}
		if (fclose(fp) != 0) {
			free(out);
			out = NULL;
		}
	}
	for (i = 0; i < l.n; i++) {
		free(l.v[i].name);
		free(l.v[i].help);
		free(l.v[i].type);
		free(l.v[i].samples);
	}
	free(l.v);
	return out;
}

int
rv_metrics_tick(struct rv_metrics *m, int force,
    void (*emit)(FILE *fp, void *arg), void *arg, struct rv_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int64_t now = rv_mono_ms();
	struct timespec ts;
	FILE *fp;
	int rc;

	if (m->path[0] == 0 || (!force && now < m->next_ms))
		return 0;
	m->next_ms = now + interval_ms;
	if ((fp = open_memstream(&text, &len)) == NULL)
		return rv_errf(err, "%s: out of memory", m->path);
	emit(fp, arg);
	clock_gettime(CLOCK_REALTIME, &ts);
	rv_prom_family(fp, "rv_metrics_updated_timestamp_seconds", "gauge",
	    "When a program last wrote its metrics file.");
	fputs("rv_metrics_updated_timestamp_seconds{", fp);
	label(fp, "program", m->program);
	fputc(',', fp);
	label(fp, "channel", m->channel);
	fprintf(fp, "} %.3f\n", (double)ts.tv_sec + ts.tv_nsec / 1e9);
	if (fclose(fp) != 0 || text == NULL) {
		free(text);
		return rv_errf(err, "%s: out of memory", m->path);
	}
	rc = rv_file_replace(m->path, text, len, err);
	if (rc < 0 && errno == ENOENT && metrics_dir(m) == 0)
		rc = rv_file_replace(m->path, text, len, err);
	free(text);
	if (rc < 0) {
		if (!m->warned)
			rv_warnx("metrics: %s (said until a write succeeds)",
			    err->msg);
		m->warned = 1;
		return -1;
	}
	m->warned = 0;
	return 1;
}
