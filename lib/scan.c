#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "naming.h"
#include "pool.h"
#include "probe.h"
#include "progress.h"
#include "yml.h"

#define MAX_DEPTH	32
#define BATCH		256

/* What a folder's .retrovue.yaml says for everything below it. */
struct layer {
	char		*kind;
	char		*rating;
	struct rv_strs	 genres;	/* replaces what is inherited */
	struct rv_strs	 collections;	/* adds to what is inherited */
};

struct job {
	char		*imported;	/* id of an imported asset to probe */
	char		*path;		/* absolute */
	char		*rel;		/* below the root */
	int		 root;
	int64_t		 size, mtime_ns;
	int		 existed;
	/* Derived while walking, from names and layers. */
	char		*kind, *rating, *series, *title;
	int		 series_year, season, episode, year;
	struct rv_strs	 genres, collections;
	/* Filled by a worker. */
	struct rv_probe	 probe;
	int		 ok;
	char		 reason[RV_ERR_MAX];
};

struct known {
	char		*path;
	char		 id[RV_ASSET_ID];
	int64_t		 size, mtime_ns;
	int		 usable;	/* ready or failed: not missing */
	int		 seen;
};

struct scan {
	sqlite3		*db;
	char *const	*roots;
	int		 nroots;
	rv_catalog_warn_fn *warn;
	void		*arg;
	struct rv_scan_stats *st;
	struct known	*known;
	size_t		 nknown;
	struct job	*jobs;
	size_t		 njobs, cap;
	struct layer	 layers[MAX_DEPTH];
	int		 nlayers;
	int64_t		 root_files;	/* media files under the current root */
	/* Worker hand-off. */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	size_t		 next;		/* next job to probe */
	size_t		*done;		/* finished jobs, in order of finishing */
	size_t		 ndone;
	volatile sig_atomic_t *stop;
};

static void
warnf(struct scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warnf(struct scan *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (s->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->warn(s->arg, msg);
}

int
rv_scan_is_media(const char *name)
{
	static const char *const ext[] = {
		"mkv", "mp4", "m4v", "avi", "mov", "ts", "m2ts", "mts", "mpg",
		"mpeg", "vob", "wmv", "asf", "webm", "flv", "ogv", "ogm", "3gp",
		"divx", "rm", "rmvb", "dv", NULL
	};
	const char *dot = strrchr(name, '.');
	int i;

	if (dot == NULL || name[0] == '.')
		return 0;
	for (i = 0; ext[i] != NULL; i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

static int
strs_copy(struct rv_strs *dst, const struct rv_strs *src)
{
	int i;

	if (src->n == 0)
		return 0;
	dst->v = reallocarray(NULL, (size_t)src->n, sizeof(char *));
	if (dst->v == NULL)
		return -1;
	for (i = 0; i < src->n; i++)
		if ((dst->v[dst->n++] = strdup(src->v[i])) == NULL)
			return -1;
	return 0;
}

static int
strs_add(struct rv_strs *s, const char *v)
{
	char **p;
	int i;

	for (i = 0; i < s->n; i++)
		if (strcasecmp(s->v[i], v) == 0)
			return 0;
	p = reallocarray(s->v, (size_t)s->n + 1, sizeof(char *));
	if (p == NULL)
		return -1;
	s->v = p;
	return (s->v[s->n++] = strdup(v)) ? 0 : -1;
}

static void
layer_clear(struct layer *l)
{
	free(l->kind);
	free(l->rating);
	rv_strs_free(&l->genres);
	rv_strs_free(&l->collections);
	memset(l, 0, sizeof(*l));
}

static int
str_list(const struct yml_node *v, struct rv_strs *out, struct rv_err *err)
{
	size_t i, n = v->kind == YML_SEQ ? v->nitems : 1;
	const char *s;

	if (v->kind == YML_MAP)
		return yml_errf(err, v, "expected text or a list of text");
	for (i = 0; i < n; i++) {
		if (yml_str(v->kind == YML_SEQ ? v->items[i] : v, &s, err) < 0)
			return -1;
		if (s[0] != 0 && strs_add(out, s) < 0)
			return rv_errf(err, "out of memory");
	}
	return 0;
}

/* Read DIR/.retrovue.yaml into l; a file with a mistake is reported and
 * ignored (the scan goes on with what the folders above said). */
static void
read_layer(struct scan *s, const char *dir, struct layer *l)
{
	static const char *const keys[] = {
		"kind", "collection", "collections", "genre", "genres", "rating",
		NULL
	};
	static const char *const kinds[] = {
		"episode", "movie", "commercial", "promo", "station_id", "psa",
		"stinger", "bumper", "filler", NULL
	};
	const struct yml_node *root, *v;
	struct rv_err err;
	struct yml_doc *doc;
	char path[4096];
	const char *str;
	int i, ok = 0;

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), "%s/.retrovue.yaml", dir);
	if (access(path, F_OK) != 0)
		return;
	doc = yml_load_file(path, &err);
	if (doc == NULL)
		goto bad;
	root = yml_root(doc);
	if (yml_expect(root, YML_MAP, &err) < 0 ||
	    yml_check_keys(root, keys, &err) < 0)
		goto bad;
	if ((v = yml_get(root, "kind")) != NULL) {
		if (yml_str(v, &str, &err) < 0)
			goto bad;
		for (i = 0; kinds[i] != NULL && strcmp(kinds[i], str) != 0; i++)
			;
		if (kinds[i] == NULL) {
			yml_errf(&err, v, "unknown kind (%s)", str);
			goto bad;
		}
		l->kind = strdup(str);
	}
	if ((v = yml_get(root, "rating")) != NULL) {
		if (yml_str(v, &str, &err) < 0)
			goto bad;
		l->rating = strdup(str);
	}
	if ((v = yml_get(root, "genre")) != NULL &&
	    str_list(v, &l->genres, &err) < 0)
		goto bad;
	if ((v = yml_get(root, "genres")) != NULL &&
	    str_list(v, &l->genres, &err) < 0)
		goto bad;
	if ((v = yml_get(root, "collection")) != NULL &&
	    str_list(v, &l->collections, &err) < 0)
		goto bad;
	if ((v = yml_get(root, "collections")) != NULL &&
	    str_list(v, &l->collections, &err) < 0)
		goto bad;
	ok = 1;
bad:
	if (!ok) {
		warnf(s, "%s (ignored)", err.msg);
		layer_clear(l);
	}
	yml_free(doc);
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->path,
	    ((const struct known *)b)->path);
}

static struct known *
find_known(struct scan *s, const char *path)
{
	struct known key = { .path = (char *)path };

	/* qsort and bsearch want a real array even for none. */
	if (s->nknown == 0)
		return NULL;
	return bsearch(&key, s->known, s->nknown, sizeof(key), by_path);
}

static int
load_known(struct scan *s, struct rv_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	struct known *k;
	void *p;
	int rc;

	if (rv_db_prepare(s->db, "SELECT path, id, coalesce(size, -1),"
	    " coalesce(mtime_ns, -1), state <> 'missing' FROM assets"
	    " WHERE source = 'folder'", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->nknown == cap) {
			cap = cap ? 2 * cap : 1024;
			p = reallocarray(s->known, cap, sizeof(*s->known));
			if (p == NULL)
				break;
			s->known = p;
		}
		k = &s->known[s->nknown];
		memset(k, 0, sizeof(*k));
		k->path = strdup((const char *)sqlite3_column_text(st, 0));
		if (k->path == NULL)
			break;
		snprintf(k->id, sizeof(k->id), "%s",
		    (const char *)sqlite3_column_text(st, 1));
		k->size = sqlite3_column_int64(st, 2);
		k->mtime_ns = sqlite3_column_int64(st, 3);
		k->usable = sqlite3_column_int(st, 4);
		s->nknown++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, s->db, "reading the catalog");
	if (s->nknown > 0)
		qsort(s->known, s->nknown, sizeof(*s->known), by_path);
	return 0;
}

/* The first folder below the root that is not a kind folder ("TV"):
 * where a show without a parsable name gets its series title. */
static const char *
series_folder(char **parts, int n)
{
	int i;

	for (i = 0; i < n - 1; i++)
		if (rv_name_folder_kind(parts[i]) == NULL)
			return parts[i];
	return NULL;
}

/* Everything names and folders say about a file. */
static int
derive(struct scan *s, struct job *j)
{
	char buf[4096], *parts[64], *p, *stem, *dot;
	const char *kind = NULL, *sf;
	struct rv_name name;
	int n = 0, i, k, season;

	rv_name_parse(j->rel, &name);
	snprintf(buf, sizeof(buf), "%s", j->rel);
	for (p = strtok(buf, "/"); p != NULL && n < 64; p = strtok(NULL, "/"))
		parts[n++] = p;
	for (i = s->nlayers - 1; i >= 0 && kind == NULL; i--)
		kind = s->layers[i].kind;
	for (i = n - 2; i >= 0 && kind == NULL; i--)
		kind = rv_name_folder_kind(parts[i]);
	if (kind == NULL)
		kind = name.form == RV_NAME_EPISODE ? "episode" : "movie";
	j->kind = strdup(kind);
	j->season = j->episode = -1;
	stem = parts[n - 1];
	if ((dot = strrchr(stem, '.')) != NULL && dot != stem)
		*dot = 0;
	if (strcmp(kind, "episode") == 0) {
		sf = series_folder(parts, n);
		j->series = strdup(name.series[0] ? name.series :
		    sf ? sf : stem);
		j->series_year = name.series_year;
		j->season = name.season;
		j->episode = name.episode;
		j->title = strdup(name.title[0] ? name.title : stem);
	} else if (strcmp(kind, "movie") == 0) {
		j->title = strdup(name.form == RV_NAME_MOVIE ? name.title :
		    stem);
		j->year = name.year;
	} else {
		/* Interstitials keep their whole name as their title. */
		j->title = strdup(stem);
		j->year = name.form == RV_NAME_MOVIE ? name.year : 0;
	}
	for (i = 0; i < s->nlayers; i++) {
		if (s->layers[i].rating != NULL) {
			free(j->rating);
			j->rating = strdup(s->layers[i].rating);
		}
		if (s->layers[i].genres.n > 0) {
			rv_strs_free(&j->genres);
			if (strs_copy(&j->genres, &s->layers[i].genres) < 0)
				return -1;
		}
		for (k = 0; k < s->layers[i].collections.n; k++)
			if (strs_add(&j->collections,
			    s->layers[i].collections.v[k]) < 0)
				return -1;
	}
	/* Every folder between the root and the file is a collection, but
	 * for season folders. */
	for (i = 0; i < n - 1; i++)
		if (!rv_name_season_folder(parts[i], &season) &&
		    strs_add(&j->collections,
		    parts[i]) < 0)
			return -1;
	return j->kind && j->title && (j->series || strcmp(kind, "episode")) ?
	    0 : -1;
}

static void
job_free(struct job *j)
{
	free(j->imported);
	free(j->path);
	free(j->rel);
	free(j->kind);
	free(j->rating);
	free(j->series);
	free(j->title);
	rv_strs_free(&j->genres);
	rv_strs_free(&j->collections);
	rv_probe_free(&j->probe);
}

/* Room for one more job, zeroed; it counts once the caller says so
 * (s->njobs++). */
static struct job *
new_job(struct scan *s, struct rv_err *err)
{
	void *p;

	if (s->njobs == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		if ((p = reallocarray(s->jobs, s->cap, sizeof(*s->jobs))) == NULL) {
			rv_errf(err, "out of memory");
			return NULL;
		}
		s->jobs = p;
	}
	memset(&s->jobs[s->njobs], 0, sizeof(*s->jobs));
	return &s->jobs[s->njobs];
}

/* A media file found by the walk: unchanged ones are only marked seen. */
static int
found(struct scan *s, int root, const char *path, const char *rel,
    const struct stat *sb, int full, struct rv_err *err)
{
	int64_t mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 +
	    sb->st_mtim.tv_nsec;
	struct known *k = find_known(s, path);
	struct job *j;

	s->st->files++;
	s->root_files++;
	if (k != NULL) {
		k->seen = 1;
		if (!full && k->usable && k->size == sb->st_size &&
		    k->mtime_ns == mtime_ns) {
			s->st->unchanged++;
			return 0;
		}
	}
	if ((j = new_job(s, err)) == NULL)
		return -1;
	j->path = strdup(path);
	j->rel = strdup(rel);
	j->root = root;
	j->size = sb->st_size;
	j->mtime_ns = mtime_ns;
	j->existed = k != NULL;
	if (j->path == NULL || j->rel == NULL || derive(s, j) < 0) {
		job_free(j);
		return rv_errf(err, "out of memory");
	}
	s->njobs++;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk dir (rel below the root) depth first, in name order so that the
 * scan is the same every time.  Hidden entries are skipped; symbolic
 * links to files are followed, to folders not (no loops). */
static int
walk(struct scan *s, int root, const char *dir, const char *rel, int full,
    struct rv_err *err)
{
	char path[4096], sub[4096], **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat sb, lsb;
	DIR *d;
	void *p;
	int rc = 0;

	if (s->nlayers >= MAX_DEPTH) {
		warnf(s, "%s: deeper than %d folders (skipped)", dir, MAX_DEPTH);
		return 0;
	}
	if ((d = opendir(dir)) == NULL) {
		warnf(s, "%s: %s (skipped)", dir, strerror(errno));
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((p = reallocarray(names, cap, sizeof(*names))) == NULL)
				break;
			names = p;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (de != NULL)
		rc = rv_errf(err, "out of memory");
	if (n > 0)
		qsort(names, n, sizeof(*names), by_name);
	read_layer(s, dir, &s->layers[s->nlayers++]);
	for (i = 0; i < n && rc == 0 && !(s->stop && *s->stop); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    names[i]);
		if (lstat(path, &lsb) < 0 || stat(path, &sb) < 0) {
			warnf(s, "%s: %s (skipped)", path, strerror(errno));
			continue;
		}
		if (S_ISDIR(sb.st_mode) && !S_ISLNK(lsb.st_mode))
			rc = walk(s, root, path, sub, full, err);
		else if (S_ISREG(sb.st_mode) && rv_scan_is_media(names[i]))
			rc = found(s, root, path, sub, &sb, full, err);
	}
	layer_clear(&s->layers[--s->nlayers]);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static void *
worker(void *arg)
{
	struct scan *s = arg;
	struct rv_err err;
	struct job *j;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		i = s->next < s->njobs && !(s->stop && *s->stop) ? s->next++ :
		    (size_t)-1;
		pthread_mutex_unlock(&s->mu);
		if (i == (size_t)-1)
			return NULL;
		j = &s->jobs[i];
		j->ok = rv_probe_file(j->path, &j->probe, &err) == 0;
		if (!j->ok)
			snprintf(j->reason, sizeof(j->reason), "%s", err.msg);
		pthread_mutex_lock(&s->mu);
		s->done[s->ndone++] = i;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
}

static int
store(struct scan *s, struct rv_catalog_writer *w, struct job *j,
    int64_t now_ms, struct rv_err *err)
{
	struct rv_asset_in a;
	char id[RV_ASSET_ID];
	const char *slash, *root = j->imported ? "" : s->roots[j->root];

	if (j->imported != NULL) {
		if (!j->ok) {
			warnf(s, "%s", j->reason);
			s->st->failed++;
		} else {
			s->st->changed++;
		}
		return rv_catalog_put_probe(w, j->imported, j->size,
		    j->mtime_ns, j->ok ? &j->probe : NULL, j->ok ? NULL :
		    j->reason, now_ms, err);
	}
	memset(&a, 0, sizeof(a));
	slash = strrchr(root, '/');
	a.source = "folder";
	a.path = j->path;
	a.source_name = slash && slash[1] ? slash + 1 : root;
	a.kind = j->kind;
	a.title = j->title;
	a.series_title = j->series;
	a.series_year = j->series_year;
	a.season = j->season;
	a.episode = j->episode;
	a.year = j->year;
	a.rating = j->rating;
	a.size = j->size;
	a.mtime_ns = j->mtime_ns;
	a.probe = j->ok ? &j->probe : NULL;
	a.genres = (const char *const *)j->genres.v;
	a.ngenres = j->genres.n;
	a.collections = (const char *const *)j->collections.v;
	a.ncollections = j->collections.n;
	if (!j->ok) {
		/* "path: why" is stored as "why": the row has the path. */
		const char *why = strncmp(j->reason, j->path,
		    strlen(j->path)) == 0 ? j->reason + strlen(j->path) + 2 :
		    j->reason;

		a.fail_reason = why;
		warnf(s, "%s", j->reason);
		s->st->failed++;
	}
	if (rv_catalog_put(w, &a, now_ms, id, err) < 0)
		return -1;
	if (j->existed)
		s->st->changed++;
	else
		s->st->added++;
	return 0;
}

/* Probe the jobs on `jobs` threads; this thread stores results as they
 * come, committing every BATCH so an interrupted scan keeps its work. */
static int
probe_all(struct scan *s, int jobs, int64_t now_ms, struct rv_err *err)
{
	struct rv_catalog_writer *w = NULL;
	struct rv_progress prog;
	pthread_t tid[64];
	size_t stored = 0, i, k, pending = 0;
	int nthreads = 0, rc = 0;

	if (s->njobs == 0)
		return 0;
	s->done = calloc(s->njobs, sizeof(*s->done));
	if (s->done == NULL)
		return rv_errf(err, "out of memory");
	if (jobs <= 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	if ((size_t)jobs > s->njobs)
		jobs = (int)s->njobs;
	if (rv_catalog_writer_open(s->db, &w, err) < 0)
		return -1;
	rv_progress_start(&prog, "probing", (int64_t)s->njobs);
	for (i = 0; i < (size_t)jobs; i++)
		if (pthread_create(&tid[nthreads], NULL, worker, s) == 0)
			nthreads++;
	if (nthreads == 0) {
		rv_catalog_writer_close(w);
		return rv_errf(err, "cannot start a probe thread");
	}
	if (rv_db_begin(s->db, err) < 0)
		rc = -1;
	while (rc == 0) {
		pthread_mutex_lock(&s->mu);
		while (stored == s->ndone && s->ndone < s->njobs &&
		    !(s->stop && *s->stop && s->next == s->ndone))
			pthread_cond_wait(&s->cv, &s->mu);
		k = s->ndone;
		pthread_mutex_unlock(&s->mu);
		if (stored == k)
			break;		/* all done, or stopped and drained */
		for (; stored < k && rc == 0; stored++) {
			rc = store(s, w, &s->jobs[s->done[stored]], now_ms, err);
			s->st->probed++;
			rv_progress_step(&prog, 1);
			if (++pending == BATCH && rc == 0) {
				pending = 0;
				rc = rv_db_commit(s->db, err) < 0 ||
				    rv_db_begin(s->db, err) < 0 ? -1 : 0;
			}
		}
	}
	if (rc == 0)
		rc = rv_db_commit(s->db, err);
	else
		rv_db_rollback(s->db);
	/* Let the workers finish what they hold before the jobs go. */
	pthread_mutex_lock(&s->mu);
	s->next = s->njobs;
	pthread_mutex_unlock(&s->mu);
	for (i = 0; i < (size_t)nthreads; i++)
		pthread_join(tid[i], NULL);
	rv_progress_end(&prog);
	rv_catalog_writer_close(w);
	return rc;
}

static int
under(const char *path, const char *root)
{
	size_t n = strlen(root);

	return strncmp(path, root, n) == 0 && path[n] == '/';
}

/* Assets under a scanned root whose file was not seen are missing; a root
 * that showed no media at all is left alone (an unmounted disk is not a
 * library that was deleted). */
static int
mark_missing(struct scan *s, const int64_t *root_files, int64_t now_ms,
    struct rv_err *err)
{
	size_t i;
	int r, rc = 0;

	if (rv_db_begin(s->db, err) < 0)
		return -1;
	for (i = 0; i < s->nknown && rc == 0; i++) {
		struct known *k = &s->known[i];

		if (k->seen || !k->usable)
			continue;
		for (r = 0; r < s->nroots && !under(k->path, s->roots[r]); r++)
			;
		if (r == s->nroots || root_files[r] == 0)
			continue;
		rc = rv_catalog_mark_missing(s->db, k->id, now_ms, err);
		s->st->missing++;
	}
	if (rc < 0) {
		rv_db_rollback(s->db);
		return -1;
	}
	return rv_db_commit(s->db, err);
}

static void
scan_init(struct scan *s, sqlite3 *db, rv_catalog_warn_fn *warn, void *arg,
    struct rv_scan_stats *st, volatile sig_atomic_t *stop)
{
	memset(st, 0, sizeof(*st));
	memset(s, 0, sizeof(*s));
	s->db = db;
	s->warn = warn;
	s->arg = arg;
	s->st = st;
	s->stop = stop;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
}

static void
scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->njobs; i++)
		job_free(&s->jobs[i]);
	free(s->jobs);
	for (i = 0; i < s->nknown; i++)
		free(s->known[i].path);
	free(s->known);
	free(s->done);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}

static int
rebuild_aliases(sqlite3 *db, rv_catalog_warn_fn *warn, void *arg,
    struct rv_scan_stats *st, struct rv_err *err)
{
	int n;

	if (rv_db_begin(db, err) < 0)
		return -1;
	if ((n = rv_catalog_rebuild_aliases(db, warn, arg, err)) < 0) {
		rv_db_rollback(db);
		return -1;
	}
	st->aliases = n;
	return rv_db_commit(db, err);
}

int
rv_scan(sqlite3 *db, char *const *roots, int nroots,
    const struct rv_scan_opts *o, rv_catalog_warn_fn *warn, void *arg,
    struct rv_scan_stats *st, struct rv_err *err)
{
	struct scan s;
	int64_t *root_files;
	int r, rc = 0;

	scan_init(&s, db, warn, arg, st, o->stop);
	s.roots = roots;
	s.nroots = nroots;
	root_files = calloc((size_t)nroots, sizeof(*root_files));
	if (root_files == NULL) {
		scan_free(&s);
		return rv_errf(err, "out of memory");
	}
	if (rc == 0)
		rc = load_known(&s, err);
	for (r = 0; r < nroots && rc == 0; r++) {
		s.root_files = 0;
		rc = walk(&s, r, roots[r], "", o->full, err);
		root_files[r] = s.root_files;
		if (rc == 0 && s.root_files == 0)
			warnf(&s, "%s: no media files (unmounted?): what the "
			    "catalog holds from it is left as it was", roots[r]);
	}
	if (rc == 0)
		rc = probe_all(&s, o->jobs, o->now_ms, err);
	if (rc == 0 && !(o->stop && *o->stop))
		rc = mark_missing(&s, root_files, o->now_ms, err);
	if (rc == 0)
		rc = rebuild_aliases(db, warn, arg, st, err);
	free(root_files);
	scan_free(&s);
	return rc;
}

/* An imported asset to look at: its file is gone (recorded at once), or
 * it was never probed or has changed (queued for a probe). */
static int
imported(struct scan *s, struct rv_catalog_writer *w, sqlite3_stmt *row,
    int64_t now_ms, struct rv_err *err)
{
	const char *id = (const char *)sqlite3_column_text(row, 0);
	const char *path = (const char *)sqlite3_column_text(row, 1);
	int64_t mtime_ns;
	struct stat sb;
	struct job *j;
	char why[RV_ERR_MAX];

	s->st->files++;
	if (stat(path, &sb) < 0) {
		s->st->failed++;
		if (sqlite3_column_int(row, 4))	/* said so already */
			return 0;
		snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
		warnf(s, "%s", why);
		return rv_catalog_put_probe(w, id, -1, -1, NULL, why, now_ms,
		    err);
	}
	mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
	if (sqlite3_column_int(row, 5) && sqlite3_column_int64(row, 2) ==
	    sb.st_size && sqlite3_column_int64(row, 3) == mtime_ns) {
		s->st->unchanged++;
		return 0;
	}
	if ((j = new_job(s, err)) == NULL)
		return -1;
	s->njobs++;
	j->imported = strdup(id);
	j->path = strdup(path);
	j->size = sb.st_size;
	j->mtime_ns = mtime_ns;
	if (j->imported == NULL || j->path == NULL)
		return rv_errf(err, "out of memory");
	return 0;
}

int
rv_scan_probe_imported(sqlite3 *db, const struct rv_scan_opts *o,
    rv_catalog_warn_fn *warn, void *arg, struct rv_scan_stats *st,
    struct rv_err *err)
{
	struct rv_catalog_writer *w = NULL;
	sqlite3_stmt *row = NULL;
	struct scan s;
	int rc;

	scan_init(&s, db, warn, arg, st, o->stop);
	rc = rv_catalog_writer_open(db, &w, err);
	if (rc == 0)
		rc = rv_db_prepare(db, "SELECT id, path, coalesce(size, -1),"
		    " coalesce(mtime_ns, -1),"
		    " state = 'failed',"
		    " state = 'ready' AND probed_ms IS NOT NULL FROM assets"
		    " WHERE source <> 'folder' AND state IN ('ready', 'failed')"
		    " ORDER BY path", &row, err);
	if (rc == 0)
		rc = rv_db_begin(db, err);
	while (rc == 0 && sqlite3_step(row) == SQLITE_ROW)
		rc = imported(&s, w, row, o->now_ms, err);
	sqlite3_finalize(row);
	if (rc == 0)
		rc = rv_db_commit(db, err);
	else
		rv_db_rollback(db);
	rv_catalog_writer_close(w);
	if (rc == 0)
		rc = probe_all(&s, o->jobs, o->now_ms, err);
	scan_free(&s);
	return rc;
}
