#include "traffic.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prng.h"
#include "tz.h"

struct rv_spot_history {
	const struct rv_cat_asset *a;
	int		 kind;		/* index in rv_interstitial_kinds */
	int64_t		 cooldown_ms;
	int64_t		*plays;		/* starts, ascending */
	int		 nplays, cap;
};

/* A spot placed in the break being filled, at its start without pads. */
struct pick {
	int		 spot;
	int64_t		 at;
};

/* What one fill builds before it replaces the plan's segments. */
struct fill {
	struct rv_plan	 out;		/* the new segments */
	struct pick	*placed;	/* every spot noted, for a rollback */
	int		 nplaced, capplaced;
	struct pick	*picks;		/* the current break's */
	int		 npicks, cappicks;
	int		*cand;
	int64_t		 unfilled;
};

static int
kind_index(const char *s)
{
	int i;

	for (i = 0; s != NULL && rv_interstitial_kinds[i] != NULL; i++)
		if (strcmp(s, rv_interstitial_kinds[i]) == 0)
			return i;
	return -1;
}

int
rv_traffic_init(struct rv_traffic_ctx *t, const struct rv_channel *c,
    const struct rv_catalog *cat)
{
	const struct rv_cat_asset *a;
	struct rv_spot_history *h;
	size_t i;
	int k, n = 0;

	memset(t, 0, sizeof(*t));
	t->c = c;
	t->cat = cat;
	if (cat == NULL || cat->n == 0)
		return 0;
	if ((t->spots = calloc(cat->n, sizeof(*t->spots))) == NULL)
		return -1;
	/* The catalog is sorted by id, so the spots are too. */
	for (i = 0; i < cat->n; i++) {
		a = &cat->assets[i];
		k = kind_index(a->kind);
		if (k < 0 || !(c->traffic.allowed & 1 << k) ||
		    a->duration_ms <= 0 || a->path == NULL)
			continue;
		h = &t->spots[n++];
		h->a = a;
		h->kind = k;
		h->cooldown_ms = c->traffic.cooldown_ms[k] >= 0 ?
		    c->traffic.cooldown_ms[k] : c->traffic.default_cooldown_ms;
	}
	t->nspots = n;
	return 0;
}

void
rv_traffic_free(struct rv_traffic_ctx *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nspots; i++)
		free(t->spots[i].plays);
	free(t->spots);
	t->spots = NULL;
	t->nspots = 0;
}

static int
spot_index(const struct rv_traffic_ctx *t, const char *id)
{
	int lo = 0, hi = t->nspots, mid, c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, t->spots[mid].a->id);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* The first play at or after ms. */
static int
first_play_from(const struct rv_spot_history *h, int64_t ms)
{
	int lo = 0, hi = h->nplays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->plays[mid] < ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
add_play(struct rv_spot_history *h, int64_t ms)
{
	int64_t *v;
	int at, cap;

	if (h->nplays == h->cap) {
		cap = h->cap ? 2 * h->cap : 8;
		if ((v = reallocarray(h->plays, (size_t)cap,
		    sizeof(*v))) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		h->plays = v;
		h->cap = cap;
	}
	at = first_play_from(h, ms);
	memmove(&h->plays[at + 1], &h->plays[at],
	    (size_t)(h->nplays - at) * sizeof(*h->plays));
	h->plays[at] = ms;
	h->nplays++;
	return 0;
}

static void
remove_play(struct rv_spot_history *h, int64_t ms)
{
	int at = first_play_from(h, ms);

	if (at == h->nplays || h->plays[at] != ms)
		return;
	memmove(&h->plays[at], &h->plays[at + 1],
	    (size_t)(h->nplays - at - 1) * sizeof(*h->plays));
	h->nplays--;
}

int
rv_traffic_note(struct rv_traffic_ctx *t, const char *asset_id,
    int64_t start_ms)
{
	int i;

	if (asset_id == NULL || (i = spot_index(t, asset_id)) < 0)
		return 0;
	return add_play(&t->spots[i], start_ms);
}

/* [*ds, *de): the channel's broadcast day that contains ms. */
static int
day_of(struct rv_traffic_ctx *t, int64_t ms, int64_t *ds, int64_t *de,
    struct rv_err *err)
{
	const char *zone = t->c->timezone != NULL ? t->c->timezone : "UTC";
	struct rv_date d;

	if (!t->have_day || ms < t->day_start || ms >= t->day_end) {
		if (rv_broadcast_day_of(zone, t->c->day_start_min, ms, &d,
		    err) == -1 || rv_broadcast_day_bounds(zone,
		    t->c->day_start_min, d, &t->day_start, &t->day_end,
		    err) == -1)
			return -1;
		t->have_day = 1;
	}
	*ds = t->day_start;
	*de = t->day_end;
	return 0;
}

/* Plays of h in [from, to). */
static int
plays_between(const struct rv_spot_history *h, int64_t from, int64_t to)
{
	return first_play_from(h, to) - first_play_from(h, from);
}

/*
 * Where the next spot of a break may go: from `at` on, `left` ms; and,
 * when the channel caps plays, the broadcast day [ds, de) of `at` and the
 * end de2 of the next one (a spot can be pushed into it by the pads).
 */
struct place {
	int64_t		 at, left;
	int64_t		 ds, de, de2;
};

static int
place_days(struct rv_traffic_ctx *t, struct place *pl, struct rv_err *err)
{
	int64_t ds;

	if (t->c->traffic.max_plays_per_day <= 0 || t->nspots == 0)
		return 0;
	if (day_of(t, pl->at, &pl->ds, &pl->de, err) == -1)
		return -1;
	pl->de2 = pl->de;
	if (pl->at + pl->left > pl->de && day_of(t, pl->de, &ds, &pl->de2,
	    err) == -1)
		return -1;
	return 0;
}

/*
 * May spot i go at pl->at?  Its final start lies in [lo, hi]: the pads
 * that follow the spots placed before it can push it by at most what the
 * break leaves unfilled.  Spots picked earlier in the break keep at least
 * their distance to it, so their starts without pads are checked; for
 * the cap they count in whichever day it lands.
 */
static int
eligible(const struct rv_traffic_ctx *t, const struct fill *f, int i,
    const struct place *pl)
{
	const struct rv_spot_history *h = &t->spots[i];
	int64_t cd = h->cooldown_ms, d = h->a->duration_ms, lo = pl->at, hi;
	int j, max = t->c->traffic.max_plays_per_day, mine = 0, at;

	if (d > pl->left)
		return 0;
	hi = lo + (pl->left - d);
	for (j = 0; j < f->npicks; j++)
		if (f->picks[j].spot == i) {
			mine++;
			if (lo - f->picks[j].at < cd)
				return 0;
		}
	if (cd > 0) {
		at = first_play_from(h, lo - cd + 1);
		if (at < h->nplays && h->plays[at] < hi + cd)
			return 0;
	}
	if (max <= 0)
		return 1;
	if (plays_between(h, pl->ds, pl->de) + mine >= max)
		return 0;
	if (hi >= pl->de && plays_between(h, pl->de, pl->de2) + mine >= max)
		return 0;
	return 1;
}

static int
push_pick(struct pick **v, int *n, int *cap, int spot, int64_t at)
{
	struct pick *p;
	int c;

	if (*n == *cap) {
		c = *cap ? 2 * *cap : 16;
		if ((p = reallocarray(*v, (size_t)c, sizeof(*p))) == NULL)
			return -1;
		*v = p;
		*cap = c;
	}
	(*v)[*n].spot = spot;
	(*v)[(*n)++].at = at;
	return 0;
}

/* What a break becomes when no spot was placed in it. */
static int
fallback(struct rv_traffic_ctx *t, struct fill *f, int64_t dur,
    struct rv_err *err)
{
	const struct rv_channel *c = t->c;
	struct rv_segment s;

	memset(&s, 0, sizeof(s));
	s.dur_ms = dur;
	if (t->nspots > 0 || c->filler_path == NULL)
		s.type = RV_SEG_PAD;
	else {
		if (c->filler_ms <= 0)
			return rv_errf(err, "%s: filler duration must be "
			    "positive (%" PRId64 " ms)", f->out.block_id,
			    c->filler_ms);
		s.type = RV_SEG_FILLER;
		s.uri = c->filler_path;
		s.title = c->filler_title;
		s.loops = dur > c->filler_ms;
	}
	f->unfilled += dur;
	return rv_plan_push(&f->out, &s, err);
}

/* Lay out the picked spots, each followed by its share of the rest. */
static int
lay_out(struct rv_traffic_ctx *t, struct fill *f, int64_t start,
    int64_t gap, struct rv_err *err)
{
	const struct rv_cat_asset *a;
	struct rv_segment s;
	int64_t base, extra, pad, at = start;
	int i, k = f->npicks;

	base = gap / k;
	extra = gap % k;
	for (i = 0; i < k; i++) {
		a = t->spots[f->picks[i].spot].a;
		memset(&s, 0, sizeof(s));
		s.type = RV_SEG_COMMERCIAL + t->spots[f->picks[i].spot].kind;
		s.uri = a->path;
		s.asset_id = a->id;
		s.title = a->title;
		s.dur_ms = a->duration_ms;
		s.gain_db = a->has_gain ? a->gain_db : 0.0;
		if (rv_plan_push(&f->out, &s, err) == -1)
			return -1;
		if (add_play(&t->spots[f->picks[i].spot], at) == -1 ||
		    push_pick(&f->placed, &f->nplaced, &f->capplaced,
		    f->picks[i].spot, at) == -1)
			return rv_errf(err, "%s: out of memory",
			    f->out.block_id);
		at += s.dur_ms;
		pad = base + (i >= k - extra ? 1 : 0);
		memset(&s, 0, sizeof(s));
		s.type = RV_SEG_PAD;
		s.dur_ms = pad;
		if (pad > 0 && rv_plan_push(&f->out, &s, err) == -1)
			return -1;
		at += pad;
	}
	f->unfilled += gap;
	return 0;
}

static int
fill_break(struct rv_traffic_ctx *t, struct fill *f, int index,
    int64_t start, int64_t dur, struct rv_err *err)
{
	struct rv_prng prng;
	struct place pl;
	char key[512];
	int i, n;

	snprintf(key, sizeof(key), "%s/%s/%d",
	    t->c->id != NULL ? t->c->id : "", f->out.block_id, index);
	rv_prng_seed(&prng, key);
	f->npicks = 0;
	memset(&pl, 0, sizeof(pl));
	pl.at = start;
	pl.left = dur;
	for (;;) {
		if (place_days(t, &pl, err) == -1)
			return rv_errctx(err, "%s: broadcast day of a spot",
			    f->out.block_id);
		n = 0;
		for (i = 0; i < t->nspots; i++)
			if (eligible(t, f, i, &pl))
				f->cand[n++] = i;
		if (n == 0)
			break;
		i = f->cand[rv_prng_below(&prng, (uint64_t)n)];
		if (push_pick(&f->picks, &f->npicks, &f->cappicks, i,
		    pl.at) == -1)
			return rv_errf(err, "%s: out of memory",
			    f->out.block_id);
		pl.at += t->spots[i].a->duration_ms;
		pl.left -= t->spots[i].a->duration_ms;
	}
	if (f->npicks == 0)
		return fallback(t, f, dur, err);
	return lay_out(t, f, start, pl.left, err);
}

int
rv_traffic_fill(struct rv_traffic_ctx *t, struct rv_plan *plan,
    struct rv_err *err)
{
	const struct rv_segment *s;
	struct fill f;
	int64_t at = plan->start_ms;
	int i, nbreaks = 0, rc = -1;

	for (i = 0; i < plan->n; i++)
		if (plan->segs[i].type == RV_SEG_BREAK)
			nbreaks++;
	if (nbreaks == 0)
		return 0;
	memset(&f, 0, sizeof(f));
	strlcpy(f.out.block_id, plan->block_id, sizeof(f.out.block_id));
	if (t->nspots > 0 && (f.cand = reallocarray(NULL, (size_t)t->nspots,
	    sizeof(*f.cand))) == NULL) {
		rv_errf(err, "%s: out of memory", plan->block_id);
		goto done;
	}
	nbreaks = 0;
	for (i = 0; i < plan->n; i++) {
		s = &plan->segs[i];
		if (s->type != RV_SEG_BREAK) {
			if (rv_plan_push(&f.out, s, err) == -1)
				goto done;
		} else if (s->dur_ms > 0 &&
		    fill_break(t, &f, nbreaks, at, s->dur_ms, err) == -1)
			goto done;
		if (s->type == RV_SEG_BREAK)
			nbreaks++;
		at += s->dur_ms;
	}
	free(plan->segs);
	plan->segs = f.out.segs;
	plan->n = f.out.n;
	plan->cap = f.out.cap;
	plan->unfilled_ms += f.unfilled;
	f.out.segs = NULL;
	f.nplaced = 0;
	rc = 0;
done:
	/* A failed fill leaves the history as it found it. */
	for (i = 0; i < f.nplaced; i++)
		remove_play(&t->spots[f.placed[i].spot], f.placed[i].at);
	rv_plan_free(&f.out);
	free(f.placed);
	free(f.picks);
	free(f.cand);
	return rc;
}
