#include "compile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "json.h"
#include "prng.h"

struct rv_compiler {
	const struct rv_channel	*c;
	const struct rv_catalog	*cat;
	const struct rv_cat_asset ***sel;	/* per pool, schedule order */
	size_t			*nsel;
	/* Per pool, its shows interleaved (shuffle over one pool). */
	const struct rv_cat_asset ***mixed;
};

/* What one day's compile works with. */
struct daywork {
	struct rv_compiler	*k;
	const struct rv_channel	*c;
	struct rv_compile_state	*st;
	struct rv_day		*out;
	struct rv_diags		*d;
	char			 day[RV_DATE_STR];
	int64_t			 grid_ms;
	int			 strict;
	/* Per entry of the applicable layers, flattened. */
	struct run {
		const struct rv_entry *e;
		int		 layer;
		int64_t		 start, end;	/* window; end -1: dynamic */
		int		 done;		/* dynamic entry placed */
		int		 rotation;	/* next pool of a rotation */
		struct rv_prng	 rng;
	}			*runs;
	int			 nruns;
	int			 failed;
};

static void
errorf(struct daywork *w, const struct rv_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "FILE:LINE:COL: channel C, day D, entry E: message". */
static void
errorf(struct daywork *w, const struct rv_entry *e, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e != NULL && e->at != NULL)
		rv_diag_error(w->d, "%s:%d:%d: channel %s, day %s, %s: %s",
		    e->at->file, e->at->line, e->at->col, w->c->id, w->day,
		    e->key, msg);
	else
		rv_diag_error(w->d, "%s: channel %s, day %s: %s", w->c->file,
		    w->c->id, w->day, msg);
	w->failed = 1;
}

int
rv_compiler_new(const struct rv_channel *c, const struct rv_catalog *cat,
    struct rv_compiler **out, struct rv_err *err)
{
	struct rv_compiler *k;
	int i;

	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return rv_errf(err, "out of memory");
	k->c = c;
	k->cat = cat;
	k->sel = calloc((size_t)c->npools + 1, sizeof(*k->sel));
	k->nsel = calloc((size_t)c->npools + 1, sizeof(*k->nsel));
	k->mixed = calloc((size_t)c->npools + 1, sizeof(*k->mixed));
	if (k->sel == NULL || k->nsel == NULL || k->mixed == NULL) {
		rv_compiler_free(k);
		return rv_errf(err, "out of memory");
	}
	for (i = 0; i < c->npools; i++)
		if (rv_pool_select(cat, &c->pools[i].match, &k->sel[i],
		    &k->nsel[i], err) < 0) {
			rv_compiler_free(k);
			return -1;
		}
	*out = k;
	return 0;
}

void
rv_compiler_free(struct rv_compiler *k)
{
	int i;

	if (k == NULL)
		return;
	for (i = 0; k->sel != NULL && i < k->c->npools; i++) {
		free(k->sel[i]);
		free(k->mixed[i]);
	}
	free(k->mixed);
	free(k->sel);
	free(k->nsel);
	free(k);
}

int
rv_compile_state_init(struct rv_compile_state *st, int npools)
{
	memset(st, 0, sizeof(*st));
	st->npools = npools;
	st->cursors = calloc((size_t)npools + 1, sizeof(*st->cursors));
	return st->cursors ? 0 : -1;
}

int
rv_compile_state_copy(struct rv_compile_state *dst,
    const struct rv_compile_state *src)
{
	if (rv_compile_state_init(dst, src->npools) < 0)
		return -1;
	memcpy(dst->cursors, src->cursors, sizeof(*src->cursors) *
	    (size_t)src->npools);
	dst->carry_ms = src->carry_ms;
	if (src->nplays > 0) {
		dst->plays = reallocarray(NULL, (size_t)src->nplays,
		    sizeof(*dst->plays));
		if (dst->plays == NULL)
			return -1;
		memcpy(dst->plays, src->plays, sizeof(*src->plays) *
		    (size_t)src->nplays);
		dst->nplays = dst->cap = src->nplays;
	}
	return 0;
}

void
rv_compile_state_free(struct rv_compile_state *st)
{
	free(st->cursors);
	free(st->plays);
	memset(st, 0, sizeof(*st));
}

void
rv_day_free(struct rv_day *day)
{
	int i;

	for (i = 0; i < day->n; i++)
		free(day->blocks[i].title);
	free(day->blocks);
	memset(day, 0, sizeof(*day));
}

/* Local HH:MM of an entry on the broadcast day: times before the day
 * start belong to the next calendar date. */
static int
local_instant(struct daywork *w, int minutes, int next, int64_t *out)
{
	struct rv_date date = w->out->day;
	struct rv_civil civ;
	struct rv_err err;

	if (minutes < w->c->day_start_min || next)
		date = rv_date_add_days(date, 1);
	if (minutes == 1440) {
		date = rv_date_add_days(date, 1);
		minutes = 0;
	}
	civ = (struct rv_civil){ date.year, date.mon, date.day, minutes / 60,
	    minutes % 60, 0 };
	if (rv_tz_to_utc(w->c->timezone, &civ, out, &err) < 0) {
		errorf(w, NULL, "%s", err.msg);
		return -1;
	}
	return 0;
}

/* A duration counts on the wall clock, as an operator reads the grid:
 * "06:00 for 24h" ends at 06:00 the next day, 25 real hours on the day the
 * clocks fall back. */
static int
local_after(struct daywork *w, int start_min, int64_t duration_ms,
    int64_t *out)
{
	struct rv_date date = w->out->day;
	int64_t year, ms, days;
	struct rv_civil civ;
	struct rv_err err;

	if (start_min < w->c->day_start_min)
		date = rv_date_add_days(date, 1);
	ms = rv_days_from_civil(date.year, date.mon, date.day) * RV_MS_PER_DAY +
	    (int64_t)start_min * RV_MS_PER_MIN + duration_ms;
	days = rv_floor_div(ms, RV_MS_PER_DAY);
	ms -= days * RV_MS_PER_DAY;
	rv_civil_from_days(days, &year, &civ.mon, &civ.day);
	civ.year = (int)year;
	civ.hour = (int)(ms / RV_MS_PER_HOUR);
	civ.min = (int)(ms / RV_MS_PER_MIN % 60);
	civ.sec = (int)(ms / 1000 % 60);
	if (rv_tz_to_utc(w->c->timezone, &civ, out, &err) < 0) {
		errorf(w, NULL, "%s", err.msg);
		return -1;
	}
	*out += ms % 1000;
	return 0;
}

static int
entry_window(struct daywork *w, struct run *r)
{
	const struct rv_entry *e = r->e;

	if (local_instant(w, e->start_min, 0, &r->start) < 0)
		return -1;
	if (r->start % w->grid_ms != 0) {
		errorf(w, e, "start %02d:%02d is not on the %d-minute grid "
		    "in %s", e->start_min / 60, e->start_min % 60,
		    w->c->grid_minutes, w->c->timezone);
		return -1;
	}
	r->end = -1;
	if (e->duration_ms > 0) {
		if (local_after(w, e->start_min, e->duration_ms, &r->end) < 0)
			return -1;
	} else if (e->end_min >= 0) {
		if (local_instant(w, e->end_min, 0, &r->end) < 0)
			return -1;
		if (r->end <= r->start && local_instant(w, e->end_min, 1,
		    &r->end) < 0)
			return -1;
		if (r->end <= r->start)
			r->end = r->start + RV_MS_PER_DAY;
	} else if (e->kind == RV_ENTRY_BLOCK || e->kind == RV_ENTRY_MARATHON) {
		r->end = w->out->end_ms;	/* until clipped below */
	}
	if (r->end >= 0 && r->end % w->grid_ms != 0) {
		errorf(w, e, "the window ends off the %d-minute grid",
		    w->c->grid_minutes);
		return -1;
	}
	return 0;
}

static int
by_window(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (x->layer != y->layer)
		return x->layer - y->layer;
	return (x->start > y->start) - (x->start < y->start);
}

/* The entries of the layers that apply to the day, with their windows; a
 * window ends where the next entry of its layer starts. */
static int
gather(struct daywork *w)
{
	int layers[3], nl = 0, wd = rv_date_weekday(w->out->day), i, j, n = 0;
	char key[256];

	layers[nl++] = RV_LAYER_ALL_DAY;
	layers[nl++] = wd < 5 ? RV_LAYER_WEEKDAYS : RV_LAYER_WEEKENDS;
	layers[nl++] = RV_LAYER_MONDAY + wd;
	for (i = 0; i < nl; i++)
		n += w->c->layers[layers[i]].n;
	w->runs = calloc((size_t)n + 1, sizeof(*w->runs));
	if (w->runs == NULL)
		return -1;
	for (i = 0; i < nl; i++) {
		const struct rv_layer *l = &w->c->layers[layers[i]];

		for (j = 0; j < l->n; j++) {
			struct run *r = &w->runs[w->nruns];

			r->e = &l->entries[j];
			r->layer = i;
			snprintf(key, sizeof(key), "%s/%s/%s", w->c->id, w->day,
			    r->e->key);
			rv_prng_seed(&r->rng, key);
			if (entry_window(w, r) == 0)
				w->nruns++;
		}
	}
	qsort(w->runs, (size_t)w->nruns, sizeof(*w->runs), by_window);
	for (i = 0; i + 1 < w->nruns; i++)
		if (w->runs[i + 1].layer == w->runs[i].layer &&
		    (w->runs[i].end < 0 || w->runs[i].end > w->runs[i + 1].start))
			w->runs[i].end = w->runs[i + 1].start;
	return 0;
}

/* Movie and slot entries place what they place once; a window entry
 * covers its window. */
static int
covers(const struct run *r, int64_t t)
{
	int once = r->e->kind == RV_ENTRY_MOVIE || r->e->kind == RV_ENTRY_SLOTS;

	if (r->start > t || (once && r->done))
		return 0;
	return r->end < 0 || t < r->end;
}

/* The run that decides what airs at t (highest layer, then latest start),
 * and the instant something of a higher layer begins after t. */
static struct run *
active(struct daywork *w, int64_t t, int64_t *next, int64_t *limit)
{
	struct run *best = NULL;
	int i;

	for (i = 0; i < w->nruns; i++)
		if (covers(&w->runs[i], t) && (best == NULL ||
		    w->runs[i].layer > best->layer ||
		    (w->runs[i].layer == best->layer &&
		    w->runs[i].start > best->start)))
			best = &w->runs[i];
	*next = w->out->end_ms;
	*limit = INT64_MAX;
	for (i = 0; i < w->nruns; i++) {
		const struct run *r = &w->runs[i];

		if (r->start <= t)
			continue;
		if (r->start < *next && (best == NULL || r->layer > best->layer ||
		    (r->layer == best->layer && r->start > best->start)))
			*next = r->start;
		/* Where an overlay begins, nothing below may run into it. */
		if (best != NULL && r->layer > best->layer && r->start < *limit)
			*limit = r->start;
	}
	if (best != NULL && best->end >= 0 && best->end < *next)
		*next = best->end;
	return best;
}

/* Slot of a runtime: whole grid slots, at least one; the runtime is taken
 * in whole seconds (half to even), so a few hundred ms over a slot do not
 * cost a whole slot of breaks. */
static int64_t
slot_of(int64_t runtime_ms, int64_t grid_ms)
{
	int64_t sec = runtime_ms / 1000, rem = runtime_ms % 1000, slots;

	if (rem > 500 || (rem == 500 && sec % 2 == 1))
		sec++;
	slots = (sec * 1000 + grid_ms - 1) / grid_ms;
	return (slots < 1 ? 1 : slots) * grid_ms;
}

static struct rv_program *
add_block(struct daywork *w, int64_t start, int64_t slot)
{
	struct rv_day *day = w->out;
	struct rv_program *p;
	struct rv_civil civ;
	struct rv_err err;
	void *v;

	if (day->n == day->cap) {
		day->cap = day->cap ? 2 * day->cap : 64;
		v = reallocarray(day->blocks, (size_t)day->cap,
		    sizeof(*day->blocks));
		if (v == NULL)
			return NULL;
		day->blocks = v;
	}
	p = &day->blocks[day->n++];
	memset(p, 0, sizeof(*p));
	p->start_ms = start;
	p->end_ms = start + slot;
	rv_tz_from_utc("UTC", start, &civ, NULL, &err);
	snprintf(p->block_id, sizeof(p->block_id),
	    "%s-%04d%02d%02dT%02d%02dZ", w->c->id, civ.year, civ.mon, civ.day,
	    civ.hour, civ.min);
	return p;
}

static const char *
mode_name(enum rv_mode m)
{
	return m == RV_MODE_SHUFFLE ? "shuffle" : m == RV_MODE_RANDOM ?
	    "random" : "sequential";
}

static char *
title_for(const char *given, const struct rv_cat_asset *a)
{
	if (given != NULL)
		return strdup(given);
	if (strcmp(a->kind, "episode") == 0 && a->series_title != NULL)
		return strdup(a->series_title);
	return strdup(a->title);
}

static int64_t
place(struct daywork *w, const struct run *r, int64_t t,
    const struct rv_cat_asset *a, const char *title, int pool,
    enum rv_mode mode)
{
	int64_t slot = slot_of(a->duration_ms, w->grid_ms);
	struct rv_program *p = add_block(w, t, slot);

	if (p == NULL)
		return -1;
	p->asset = a;
	p->runtime_ms = a->duration_ms < slot ? a->duration_ms : slot;
	p->title = title_for(title, a);
	p->pool = pool >= 0 ? w->c->pools[pool].name : NULL;
	p->entry = r->e->key;
	p->mode = mode_name(mode);
	return t + slot;
}

static int
same_show(const struct rv_cat_asset *a, const struct rv_cat_asset *b)
{
	return a->series_year == b->series_year &&
	    strcasecmp(a->series_title ? a->series_title : "",
	    b->series_title ? b->series_title : "") == 0;
}

/* A pool's selection with its shows interleaved: the first episode of
 * each show in pool order, then the second of each, and so on; a show
 * that runs out drops out of the rotation.  Shuffle over a single pool of
 * several shows rotates the shows this way. */
static const struct rv_cat_asset **
interleave(struct rv_compiler *k, int pool)
{
	const struct rv_cat_asset **sel = k->sel[pool], **out;
	size_t n = k->nsel[pool], nshows = 0, i, j, o = 0, *start, *next;

	if (k->mixed[pool] != NULL)
		return k->mixed[pool];
	out = calloc(n + 1, sizeof(*out));
	start = calloc(n + 1, sizeof(*start));
	next = calloc(n + 1, sizeof(*next));
	if (out == NULL || start == NULL || next == NULL) {
		free(out);
		free(start);
		free(next);
		return NULL;
	}
	/* Pool order keeps each show's episodes together. */
	for (i = 0; i < n; i++)
		if (i == 0 || !same_show(sel[i], sel[i - 1]))
			start[nshows++] = i;
	for (i = 0; i < nshows; i++)
		next[i] = start[i];
	while (o < n)
		for (j = 0; j < nshows; j++) {
			size_t end = j + 1 < nshows ? start[j + 1] : n;

			if (next[j] < end)
				out[o++] = sel[next[j]++];
		}
	free(start);
	free(next);
	k->mixed[pool] = out;
	return out;
}

/* The next episode of a pool: sequential resumes after the last one aired
 * (found by id, so added or removed episodes do not make it skip), random
 * is a uniform pick. */
static const struct rv_cat_asset *
episode(struct daywork *w, struct run *r, int pool, enum rv_mode mode)
{
	const struct rv_cat_asset **sel = w->k->sel[pool];
	size_t n = w->k->nsel[pool], i, next;
	struct rv_cursor *cur = &w->st->cursors[pool];

	if (n == 0) {
		errorf(w, r->e, "pool '%s' selects no asset",
		    w->c->pools[pool].name);
		return NULL;
	}
	if (mode == RV_MODE_RANDOM)
		return sel[rv_prng_below(&r->rng, n)];
	if (mode == RV_MODE_SHUFFLE && r->e->npools == 1 &&
	    (sel = interleave(w->k, pool)) == NULL) {
		errorf(w, r->e, "out of memory");
		return NULL;
	}
	next = (size_t)(cur->position % (int64_t)n);
	if (cur->last_id[0] != 0 && (next == 0 ||
	    strcmp(sel[next - 1]->id, cur->last_id) != 0))
		for (i = 0; i < n; i++)
			if (strcmp(sel[i]->id, cur->last_id) == 0) {
				next = (i + 1) % n;
				break;
			}
	cur->position = (int64_t)next + 1;
	snprintf(cur->last_id, sizeof(cur->last_id), "%s", sel[next]->id);
	return sel[next];
}

/* Episodes from t while the window lasts; the last may run past its
 * window's end (pushing what follows) but never into an overlay (hard). */
static int64_t
run_block(struct daywork *w, struct run *r, int64_t t, int64_t stop,
    int64_t limit, int *early)
{
	const struct rv_entry *e = r->e;
	const struct rv_cat_asset *a;
	struct rv_cursor saved;
	int pool, rotation;
	struct rv_prng rng;

	while (t < stop) {
		rotation = r->rotation;
		rng = r->rng;
		pool = e->pools[e->mode == RV_MODE_RANDOM && e->npools > 1 ?
		    rv_prng_below(&r->rng, (uint64_t)e->npools) :
		    (uint64_t)(r->rotation++ % e->npools)];
		saved = w->st->cursors[pool];
		if ((a = episode(w, r, pool, e->mode)) == NULL)
			return t;
		if (t + slot_of(a->duration_ms, w->grid_ms) > limit) {
			/* It does not fit before the overlay: not placed, so
			 * it airs next time instead. */
			w->st->cursors[pool] = saved;
			r->rotation = rotation;
			r->rng = rng;
			*early = 1;
			return t;
		}
		if ((t = place(w, r, t, a, e->title, pool, e->mode)) < 0)
			return -1;
	}
	return t;
}

static void
note_play(struct rv_compile_state *st, const char *id, int64_t t)
{
	void *p;

	if (st->nplays == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		p = reallocarray(st->plays, (size_t)st->cap, sizeof(*st->plays));
		if (p == NULL)
			return;
		st->plays = p;
	}
	snprintf(st->plays[st->nplays].id, RV_ASSET_ID, "%s", id);
	st->plays[st->nplays++].start_ms = t;
}

/* When the movie last started before t, or INT64_MIN. */
static int64_t
last_play(const struct rv_compile_state *st, const char *id, int64_t t)
{
	int64_t last = INT64_MIN;
	int i;

	for (i = 0; i < st->nplays; i++)
		if (st->plays[i].start_ms <= t && st->plays[i].start_ms > last &&
		    strcmp(st->plays[i].id, id) == 0)
			last = st->plays[i].start_ms;
	return last;
}

static int
by_ptr_order(const void *key, const void *elem)
{
	return rv_pool_order(&key, elem);
}

/* Whether a pool's selection holds the asset (it is in pool order). */
static int
in_pool(const struct rv_compiler *k, int pool, const struct rv_cat_asset *a)
{
	return bsearch(a, k->sel[pool], k->nsel[pool], sizeof(*k->sel[pool]),
	    by_ptr_order) != NULL;
}

static int
movie_ok(const struct rv_movie_sel *m, const struct rv_cat_asset *a)
{
	struct rv_match f = { .rating_include = m->rating_include,
	    .rating_exclude = m->rating_exclude,
	    .min_duration_ms = m->min_duration_ms,
	    .max_duration_ms = m->max_duration_ms };

	return rv_match_asset(&f, a);
}

/* A movie for t: uniform among the selector's candidates that are out of
 * their cooldown; when every one is inside it, the one that aired longest
 * ago, flagged. */
static const struct rv_cat_asset *
movie(struct daywork *w, struct run *r, int64_t t, int *relaxed, int *pool)
{
	const struct rv_movie_sel *m = &r->e->movie;
	const struct rv_cat_asset **cand, *oldest = NULL;
	int64_t cool = (int64_t)m->cooldown_days * RV_MS_PER_DAY, last;
	int64_t oldest_at = INT64_MAX;
	size_t n = 0, total = 0, i;
	int p, j, dup;

	*relaxed = 0;
	for (p = 0; p < m->npools; p++)
		total += w->k->nsel[m->pools[p]];
	cand = calloc(total + 1, sizeof(*cand));
	if (cand == NULL)
		return NULL;
	*pool = m->npools > 0 ? m->pools[0] : -1;
	for (p = 0; p < m->npools; p++)
		for (i = 0; i < w->k->nsel[m->pools[p]]; i++) {
			const struct rv_cat_asset *a = w->k->sel[m->pools[p]][i];

			/* A movie in two of the pools counts once. */
			for (dup = 0, j = 0; j < p && !dup; j++)
				dup = in_pool(w->k, m->pools[j], a);
			if (dup || !movie_ok(m, a))
				continue;
			last = last_play(w->st, a->id, t);
			if (last != INT64_MIN && t - last < cool) {
				if (last < oldest_at) {
					oldest_at = last;
					oldest = a;
				}
				continue;
			}
			cand[n++] = a;
		}
	if (n > 0) {
		oldest = cand[rv_prng_below(&r->rng, n)];
	} else if (oldest != NULL) {
		*relaxed = 1;
	} else {
		errorf(w, r->e, "no movie matches the selector (pool%s %s%s)",
		    m->npools > 1 ? "s" : "", m->npools > 0 ?
		    w->c->pools[m->pools[0]].name : "?", m->npools > 1 ?
		    ", …" : "");
	}
	free(cand);
	return oldest;
}

static int64_t
run_movies(struct daywork *w, struct run *r, int64_t t, int64_t stop,
    int once, int64_t limit, int *early)
{
	const struct rv_cat_asset *a;
	struct rv_program *p;
	int relaxed, pool;
	int64_t end;

	while (t < stop || (once && r->e->kind == RV_ENTRY_MOVIE && !r->done)) {
		r->done = 1;
		if ((a = movie(w, r, t, &relaxed, &pool)) == NULL)
			return t;
		end = t + slot_of(a->duration_ms, w->grid_ms);
		if (end > limit || (end > stop && !r->e->allow_bleed && !once)) {
			/* The first movie that does not fit ends the run: the
			 * rest of the window is a gap. */
			*early = 1;
			return t;
		}
		if (relaxed)
			rv_diag_warn(w->d, "%s:%d:%d: channel %s, day %s, %s: "
			    "every movie is inside its cooldown; '%s' airs "
			    "again", r->e->at->file, r->e->at->line,
			    r->e->at->col, w->c->id, w->day, r->e->key, a->title);
		note_play(w->st, a->id, t);
		if ((t = place(w, r, t, a, NULL, pool, RV_MODE_RANDOM)) < 0)
			return -1;
		p = &w->out->blocks[w->out->n - 1];
		p->cooldown_relaxed = relaxed;
		if (once)
			break;
	}
	return t;
}

/* A slot list: each placed program claims whole slots and preempts the
 * slot definitions it covers. */
static int64_t
run_slots(struct daywork *w, struct run *r, int64_t t, int64_t limit,
    int *early)
{
	const struct rv_entry *e = r->e;
	const struct rv_cat_asset *a;
	struct rv_cursor saved = { 0 };
	int i, skip = 0;
	int64_t end;

	r->done = 1;
	for (i = 0; i < e->nslots; i++) {
		const struct rv_slot *s = &e->slots[i];

		if (skip > 0) {
			skip--;
			continue;
		}
		if (s->program != NULL) {
			a = rv_catalog_lookup(w->k->cat, s->program);
			if (a == NULL) {
				errorf(w, e, "no ready asset is named '%s'",
				    s->program);
				t += w->grid_ms;
				continue;
			}
		} else {
			saved = w->st->cursors[s->pool];
			if ((a = episode(w, r, s->pool, s->mode)) == NULL) {
				t += w->grid_ms;
				continue;
			}
		}
		if (t + slot_of(a->duration_ms, w->grid_ms) > limit) {
			/* Never into an overlay: it airs next time, and the
			 * rest is a gap. */
			if (s->program == NULL)
				w->st->cursors[s->pool] = saved;
			*early = 1;
			return t;
		}
		end = place(w, r, t, a, s->title ? s->title : e->title,
		    s->pool, s->mode);
		if (end < 0)
			return -1;
		skip = (int)((end - t) / w->grid_ms) - 1;
		t = end;
	}
	return t;
}

static int64_t
run_entry(struct daywork *w, struct run *r, int64_t t, int64_t stop,
    int64_t limit, int *early)
{
	*early = 0;
	switch (r->e->kind) {
	case RV_ENTRY_BLOCK:
		return run_block(w, r, t, stop, limit, early);
	case RV_ENTRY_MARATHON:
		return run_movies(w, r, t, stop, 0, limit, early);
	case RV_ENTRY_MOVIE:
		return run_movies(w, r, t, stop, 1, limit, early);
	case RV_ENTRY_SLOTS:
		return run_slots(w, r, t, limit, early);
	}
	return t;
}

/* [from, to) has nothing scheduled: a filler program, or an error. */
static int
gap(struct daywork *w, int64_t from, int64_t to)
{
	char a[RV_TIME_STR], b[RV_TIME_STR];
	struct rv_program *p;

	if (to <= from)
		return 0;
	if (w->strict) {
		errorf(w, NULL, "nothing is scheduled from %s to %s",
		    rv_time_format(from, a, sizeof(a)),
		    rv_time_format(to, b, sizeof(b)));
		return 0;
	}
	if ((p = add_block(w, from, to - from)) == NULL)
		return -1;
	p->runtime_ms = to - from;
	p->title = strdup(w->c->filler_title ? w->c->filler_title :
	    w->c->name);
	p->mode = "filler";
	return 0;
}

int
rv_compile_day(struct rv_compiler *k, struct rv_date day, int strict,
    struct rv_compile_state *st, struct rv_day *out, struct rv_diags *d)
{
	struct daywork w;
	struct rv_err err;
	struct run *r;
	int64_t t, next, end;
	json_t *doc;
	int64_t limit;
	int early;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	out->day = day;
	w.k = k;
	w.c = k->c;
	w.st = st;
	w.out = out;
	w.d = d;
	w.strict = strict;
	w.grid_ms = (int64_t)k->c->grid_minutes * RV_MS_PER_MIN;
	rv_date_format(day, w.day, sizeof(w.day));
	if (rv_broadcast_day_bounds(k->c->timezone, k->c->day_start_min, day,
	    &out->start_ms, &out->end_ms, &err) < 0) {
		rv_diag_error(d, "%s: channel %s, day %s: %s", k->c->file,
		    k->c->id, w.day, err.msg);
		return -1;
	}
	if (out->start_ms % w.grid_ms != 0) {
		rv_diag_error(d, "%s: channel %s, day %s: the day starts off "
		    "the %d-minute grid in %s", k->c->file, k->c->id, w.day,
		    k->c->grid_minutes, k->c->timezone);
		return -1;
	}
	if (gather(&w) < 0) {
		free(w.runs);
		return -1;
	}
	/* A day that the previous one bled into starts where that ended. */
	t = st->carry_ms > out->start_ms ? st->carry_ms : out->start_ms;
	out->first_ms = t;
	while (t < out->end_ms) {
		r = active(&w, t, &next, &limit);
		if (r == NULL) {
			if (gap(&w, t, next) < 0)
				break;
			t = next;
			continue;
		}
		end = run_entry(&w, r, t, next, limit, &early);
		if (end < 0)
			break;
		if (end == t || early) {
			/* What did not fit leaves the rest of this stretch (up
			 * to an overlay, or the window's end) a gap. */
			r->done = 1;
			if (end < next && gap(&w, end, next) < 0)
				break;
			end = end > next ? end : next;
		}
		t = end;
	}
	out->last_ms = t;
	st->carry_ms = t;
	free(w.runs);
	if (w.failed || t < out->end_ms)
		return -1;
	doc = rv_day_schedule_json(k->c, out);
	if (doc == NULL)
		return -1;
	snprintf(out->hash, sizeof(out->hash), "%s",
	    json_string_value(json_object_get(doc, "hash")));
	json_decref(doc);
	return 0;
}

static json_t *
opt_int(int v, int unknown)
{
	return v == unknown ? json_null() : json_integer(v);
}

static json_t *
opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
rv_program_json(const struct rv_channel *c, const struct rv_day *day,
    const struct rv_program *p)
{
	const struct rv_cat_asset *a = p->asset;
	char date[RV_DATE_STR];
	json_t *j;

	rv_date_format(day->day, date, sizeof(date));
	j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s}",
	    "block_id", p->block_id, "channel", c->id, "broadcast_day", date,
	    "start_ms", (json_int_t)p->start_ms, "end_ms",
	    (json_int_t)p->end_ms, "slot_ms",
	    (json_int_t)(p->end_ms - p->start_ms), "runtime_ms",
	    (json_int_t)p->runtime_ms, "kind", a ? "program" : "filler",
	    "title", p->title, "mode", p->mode);
	if (j == NULL)
		return NULL;
	json_object_set_new(j, "asset_id", opt_str(a ? a->id : NULL));
	json_object_set_new(j, "pool", opt_str(p->pool));
	json_object_set_new(j, "entry", opt_str(p->entry));
	if (a == NULL) {
		json_object_set_new(j, "path", opt_str(c->filler_path));
		return j;
	}
	json_object_set_new(j, "asset_kind", json_string(a->kind));
	json_object_set_new(j, "path", json_string(a->path));
	json_object_set_new(j, "asset_title", json_string(a->title));
	json_object_set_new(j, "series_title", opt_str(a->series_title));
	json_object_set_new(j, "season", opt_int(a->season, -1));
	json_object_set_new(j, "episode", opt_int(a->episode, -1));
	json_object_set_new(j, "year", opt_int(a->year, 0));
	json_object_set_new(j, "rating", opt_str(a->rating));
	if (p->cooldown_relaxed)
		json_object_set_new(j, "cooldown_relaxed", json_true());
	return j;
}

static json_t *
schedule_block(const struct rv_program *p)
{
	char at[RV_TIME_STR];
	json_t *b, *sel;
	int64_t sec = p->runtime_ms / 1000, rem = p->runtime_ms % 1000;

	if (rem > 500 || (rem == 500 && sec % 2 == 1))
		sec++;
	rv_time_format_offset(p->start_ms, 0, at, sizeof(at));
	b = json_pack("{s:s, s:s, s:s, s:I, s:I}", "title", p->title,
	    "asset_id", p->asset ? p->asset->id : "filler", "start_at", at,
	    "slot_duration_sec", (json_int_t)((p->end_ms - p->start_ms) / 1000),
	    "episode_duration_sec", (json_int_t)sec);
	if (b == NULL)
		return NULL;
	sel = json_pack("{s:s}", "mode", p->mode);
	if (p->pool != NULL) {
		json_object_set_new(b, "collection", json_string(p->pool));
		json_object_set_new(sel, "pool", json_string(p->pool));
	}
	json_object_set_new(b, "selector", sel);
	return b;
}

json_t *
rv_day_schedule_json(const struct rv_channel *c, const struct rv_day *day)
{
	char date[RV_DATE_STR], hash[80];
	json_t *doc, *blocks;
	int i;

	rv_date_format(day->day, date, sizeof(date));
	blocks = json_array();
	for (i = 0; i < day->n; i++)
		json_array_append_new(blocks, schedule_block(&day->blocks[i]));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:o}",
	    "version", "program-schedule.v2", "channel_id", c->id,
	    "broadcast_day", date, "timezone", c->timezone, "source",
	    "dsl_path", strrchr(c->file, '/') ? strrchr(c->file, '/') + 1 :
	    c->file, "git_commit", "0000000",
	    "compiler_version", RV_COMPILER_VERSION, "program_blocks", blocks);
	if (doc == NULL)
		return NULL;
	if (c->notes != NULL && json_object_size(c->notes) > 0)
		json_object_set(doc, "notes", c->notes);
	if (rv_schedule_hash(doc, hash) < 0) {
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(doc, "hash", json_string(hash));
	return doc;
}

/* jansson writes \u00E9 where the reference's JSON has \u00e9. */
static void
lower_escapes(char *s)
{
	int i;

	while (*s) {
		if (s[0] != '\\') {
			s++;
			continue;
		}
		if (s[1] == 'u')
			for (i = 2; i < 6 && s[i]; i++)
				if (s[i] >= 'A' && s[i] <= 'F')
					s[i] = (char)(s[i] - 'A' + 'a');
		s += s[1] == 'u' ? 6 : 2;
	}
}

int
rv_schedule_hash(json_t *doc, char out[80])
{
	char hex[RV_SHA256_HEX], *text;
	json_t *copy = json_copy(doc);
	int rc;

	if (copy == NULL)
		return -1;
	json_object_del(copy, "hash");
	text = json_dumps(copy, JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(copy);
	if (text == NULL)
		return -1;
	lower_escapes(text);
	rc = rv_sha256_hex(text, strlen(text), hex);
	free(text);
	snprintf(out, 80, "sha256:%s", hex);
	return rc;
}
