#include "expand.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const seg_names[] = {
	"content", "break", "commercial", "promo", "station_id", "psa",
	"stinger", "bumper", "filler", "pad"
};

#define NSEG_TYPES	((int)(sizeof(seg_names) / sizeof(seg_names[0])))

const char *
rv_seg_type_name(enum rv_seg_type t)
{
	if ((int)t < 0 || (int)t >= NSEG_TYPES)
		return "unknown";
	return seg_names[t];
}

int
rv_seg_type_parse(const char *s, enum rv_seg_type *t)
{
	int i;

	for (i = 0; s != NULL && i < NSEG_TYPES; i++)
		if (strcmp(s, seg_names[i]) == 0) {
			*t = (enum rv_seg_type)i;
			return 0;
		}
	return -1;
}

void
rv_plan_free(struct rv_plan *p)
{
	if (p == NULL)
		return;
	free(p->segs);
	p->segs = NULL;
	p->n = p->cap = 0;
}

int
rv_plan_push(struct rv_plan *p, const struct rv_segment *s,
    struct rv_err *err)
{
	struct rv_segment *v;
	int cap;

	if (p->n == p->cap) {
		cap = p->cap ? 2 * p->cap : 8;
		v = reallocarray(p->segs, (size_t)cap, sizeof(*v));
		if (v == NULL)
			return rv_errf(err, "%s: out of memory", p->block_id);
		p->segs = v;
		p->cap = cap;
	}
	p->segs[p->n++] = *s;
	return 0;
}

/* A segment that plays nothing: pad, or a break placeholder. */
static int
push_blank(struct rv_plan *p, enum rv_seg_type type, int64_t dur,
    struct rv_err *err)
{
	struct rv_segment s;

	if (dur <= 0)
		return 0;
	memset(&s, 0, sizeof(s));
	s.type = type;
	s.dur_ms = dur;
	return rv_plan_push(p, &s, err);
}

static int
is_movie(const struct rv_channel *c)
{
	return c->type != NULL && strcmp(c->type, "movie") == 0;
}

static double
asset_gain(const struct rv_cat_asset *a)
{
	return a->has_gain ? a->gain_db : 0.0;
}

/* The act [from, to) of the program's file. */
static int
push_act(struct rv_plan *out, const struct rv_program *p, int64_t from,
    int64_t to, int fade_in, int fade_out, struct rv_err *err)
{
	struct rv_segment s;
	int64_t dur = to - from;

	if (dur <= 0)
		return 0;
	memset(&s, 0, sizeof(s));
	s.type = RV_SEG_CONTENT;
	s.uri = p->asset->path;
	s.asset_id = p->asset->id;
	s.title = p->title != NULL ? p->title : p->asset->title;
	s.in_ms = from;
	s.dur_ms = dur;
	s.gain_db = asset_gain(p->asset);
	s.fade_in_ms = fade_in ? RV_BREAK_FADE_MS : 0;
	s.fade_out_ms = fade_out ? RV_BREAK_FADE_MS : 0;
	if (s.fade_in_ms + s.fade_out_ms > dur) {
		/* An act shorter than its fades: share it between them. */
		if (fade_in && fade_out) {
			s.fade_in_ms = dur / 2;
			s.fade_out_ms = dur - s.fade_in_ms;
		} else if (fade_in)
			s.fade_in_ms = dur;
		else
			s.fade_out_ms = dur;
	}
	return rv_plan_push(out, &s, err);
}

/*
 * Break points: the usable chapter starts (0 < m < runtime, strictly
 * rising), else the computed points.  Returns how many; *computed says
 * which kind.
 */
static int
break_points(const struct rv_cat_asset *a, int64_t runtime,
    int64_t *bp, int max, int *computed)
{
	int i, n = 0;
	int64_t m;

	for (i = 0; i < a->nchapters && n < max; i++) {
		m = a->chapters_ms[i];
		if (m <= 0 || m >= runtime || (n > 0 && m <= bp[n - 1]))
			continue;
		bp[n++] = m;
	}
	*computed = n == 0;
	if (n > 0)
		return n;
	/* No usable chapter must not make the break time vanish (the
	 * upstream bug): fall back to the computed points. */
	for (i = 1; i <= RV_COMPUTED_BREAKS; i++)
		bp[n++] = runtime * i / (RV_COMPUTED_BREAKS + 1);
	return n;
}

static int
expand_network(struct rv_plan *out, const struct rv_program *p,
    int64_t slot, int64_t runtime, struct rv_err *err)
{
	const struct rv_cat_asset *a = p->asset;
	int64_t *bp, ad, base, rem, prev, share;
	int computed, i, n, fade_in, max;

	max = a->nchapters > RV_COMPUTED_BREAKS ? a->nchapters :
	    RV_COMPUTED_BREAKS;
	if ((bp = reallocarray(NULL, (size_t)max, sizeof(*bp))) == NULL)
		return rv_errf(err, "%s: out of memory", p->block_id);
	n = break_points(a, runtime, bp, max, &computed);
	ad = slot - runtime;
	base = ad / n;
	rem = ad - base * n;
	prev = 0;
	fade_in = 0;
	for (i = 0; i < n; i++) {
		share = base + (i < rem ? 1 : 0);
		if (push_act(out, p, prev, bp[i], fade_in,
		    computed && share > 0, err) == -1 ||
		    push_blank(out, RV_SEG_BREAK, share, err) == -1) {
			free(bp);
			return -1;
		}
		fade_in = computed && share > 0;
		prev = bp[i];
	}
	free(bp);
	return push_act(out, p, prev, runtime, fade_in, 0, err);
}

static int
expand_filler(struct rv_plan *out, const struct rv_channel *c,
    const struct rv_program *p, int64_t slot, struct rv_err *err)
{
	struct rv_segment s;

	if (c->filler_path == NULL)
		return push_blank(out, RV_SEG_PAD, slot, err);
	if (c->filler_ms <= 0)
		return rv_errf(err, "%s: filler duration must be positive "
		    "(%" PRId64 " ms)", c->id != NULL ? c->id : "channel",
		    c->filler_ms);
	memset(&s, 0, sizeof(s));
	s.type = RV_SEG_FILLER;
	s.uri = c->filler_path;
	s.title = p->title != NULL ? p->title : c->filler_title;
	s.dur_ms = slot;
	s.loops = slot > c->filler_ms;
	return rv_plan_push(out, &s, err);
}

int
rv_expand(const struct rv_channel *c, const struct rv_program *p,
    struct rv_plan *out, struct rv_err *err)
{
	int64_t slot, runtime;

	memset(out, 0, sizeof(*out));
	strlcpy(out->block_id, p->block_id, sizeof(out->block_id));
	out->start_ms = p->start_ms;
	out->end_ms = p->end_ms;
	slot = p->end_ms - p->start_ms;
	if (slot <= 0)
		return rv_errf(err, "%s: block ends before it starts "
		    "(%" PRId64 " ms)", p->block_id, slot);
	if (p->asset == NULL)
		return expand_filler(out, c, p, slot, err);
	if (p->runtime_ms <= 0)
		return rv_errf(err, "%s: runtime must be positive "
		    "(%" PRId64 " ms)", p->block_id, p->runtime_ms);
	runtime = p->runtime_ms < slot ? p->runtime_ms : slot;
	if (is_movie(c)) {
		if (push_act(out, p, 0, runtime, 0, 0, err) == -1)
			return -1;
		return push_blank(out, RV_SEG_BREAK, slot - runtime, err);
	}
	return expand_network(out, p, slot, runtime, err);
}

static int
plays_nothing(enum rv_seg_type t)
{
	return t == RV_SEG_PAD || t == RV_SEG_BREAK;
}

int
rv_plan_check(const struct rv_plan *p, struct rv_err *err)
{
	const struct rv_segment *s;
	int64_t block, sum = 0;
	int i;

	block = p->end_ms - p->start_ms;
	if (block <= 0)
		return rv_errf(err, "%s: block ends before it starts "
		    "(%" PRId64 " ms)", p->block_id, block);
	if (p->n == 0)
		return rv_errf(err, "%s: no segments", p->block_id);
	for (i = 0; i < p->n; i++) {
		s = &p->segs[i];
		if ((int)s->type < 0 || (int)s->type >= NSEG_TYPES)
			return rv_errf(err, "%s: segment %d: unknown type %d",
			    p->block_id, i, (int)s->type);
		if (s->dur_ms <= 0)
			return rv_errf(err, "%s: segment %d (%s): duration "
			    "%" PRId64 " ms is not positive", p->block_id, i,
			    rv_seg_type_name(s->type), s->dur_ms);
		if (plays_nothing(s->type) && s->uri != NULL)
			return rv_errf(err, "%s: segment %d (%s) has a uri "
			    "(%s)", p->block_id, i, rv_seg_type_name(s->type),
			    s->uri);
		if (!plays_nothing(s->type) && s->uri == NULL)
			return rv_errf(err, "%s: segment %d (%s) has no uri",
			    p->block_id, i, rv_seg_type_name(s->type));
		if (s->in_ms < 0)
			return rv_errf(err, "%s: segment %d (%s): negative "
			    "offset %" PRId64 " ms", p->block_id, i,
			    rv_seg_type_name(s->type), s->in_ms);
		if (s->fade_in_ms < 0 || s->fade_out_ms < 0 ||
		    s->fade_in_ms > s->dur_ms - s->fade_out_ms)
			return rv_errf(err, "%s: segment %d (%s): fades "
			    "%" PRId64 " + %" PRId64 " ms do not fit its "
			    "%" PRId64 " ms", p->block_id, i,
			    rv_seg_type_name(s->type), s->fade_in_ms,
			    s->fade_out_ms, s->dur_ms);
		if (s->dur_ms > INT64_MAX - sum)
			return rv_errf(err, "%s: segment durations overflow "
			    "at segment %d", p->block_id, i);
		sum += s->dur_ms;
	}
	if (sum != block)
		return rv_errf(err, "%s: segments sum to %" PRId64 " ms, the "
		    "block is %" PRId64 " ms (%+" PRId64 " ms)", p->block_id,
		    sum, block, sum - block);
	if (p->unfilled_ms < 0 || p->unfilled_ms > block)
		return rv_errf(err, "%s: unfilled %" PRId64 " ms is outside "
		    "the block's %" PRId64 " ms", p->block_id, p->unfilled_ms,
		    block);
	return 0;
}
