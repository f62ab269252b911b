#include "channel.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hash.h"
#include "tz.h"

const char *const rv_interstitial_kinds[8] = {
	"commercial", "promo", "station_id", "psa", "stinger", "bumper",
	"filler", NULL
};

static const char *const layer_names[RV_NLAYERS] = {
	"all_day", "weekdays", "weekends", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday", "sunday"
};

static void
push(char ***v, int *n, const char *fmt, va_list ap)
{
	char msg[2048], **p;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	p = reallocarray(*v, (size_t)*n + 1, sizeof(char *));
	if (p == NULL)
		return;
	*v = p;
	if (((*v)[*n] = strdup(msg)) != NULL)
		(*n)++;
}

void
rv_diag_error(struct rv_diags *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(&d->errors, &d->nerrors, fmt, ap);
	va_end(ap);
}

void
rv_diag_warn(struct rv_diags *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(&d->warnings, &d->nwarnings, fmt, ap);
	va_end(ap);
}

void
rv_diags_free(struct rv_diags *d)
{
	int i;

	for (i = 0; i < d->nerrors; i++)
		free(d->errors[i]);
	for (i = 0; i < d->nwarnings; i++)
		free(d->warnings[i]);
	free(d->errors);
	free(d->warnings);
	memset(d, 0, sizeof(*d));
}

/* A located error: "FILE:LINE:COL: message". */
static void
at_error(struct rv_diags *d, const struct yml_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
at_error(struct rv_diags *d, const struct yml_node *n, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rv_diag_error(d, "%s:%d:%d: %s", n->file, n->line, n->col, msg);
}

/* The message a yml accessor left, as an error. */
static int
failed(struct rv_diags *d, const struct rv_err *err)
{
	rv_diag_error(d, "%s", err->msg);
	return -1;
}

static void
unknown_key(void *arg, const struct yml_node *key, const char *msg)
{
	(void)key;	/* msg already says where */
	rv_diag_warn(arg, "%s", msg);
}

static void
check_keys(struct rv_diags *d, const struct yml_node *map,
    const char *const *allowed)
{
	yml_check_keys_warn(map, allowed, unknown_key, d);
}

static char *
get_str(struct rv_diags *d, const struct yml_node *map, const char *key,
    int required)
{
	const struct yml_node *v = yml_get(map, key);
	struct rv_err err;
	const char *s;
	char *copy;

	if (v == NULL || yml_is_null(v)) {
		if (required)
			at_error(d, map, "missing key '%s'", key);
		return NULL;
	}
	if (yml_str(v, &s, &err) < 0) {
		failed(d, &err);
		return NULL;
	}
	if ((copy = strdup(s)) == NULL)
		rv_diag_error(d, "out of memory");
	return copy;
}

static int
get_int(struct rv_diags *d, const struct yml_node *map, const char *key,
    int64_t min, int64_t max, int64_t *out)
{
	const struct yml_node *v = yml_get(map, key);
	struct rv_err err;

	if (v == NULL || yml_is_null(v))
		return 0;
	if (yml_int(v, min, max, out, &err) < 0)
		return failed(d, &err);
	return 1;
}

/* "HH:MM" (or "H:MM", "HH") local time → minutes after midnight. */
static int
parse_hhmm(struct rv_diags *d, const struct yml_node *n, int *minutes)
{
	struct rv_err err;
	const char *s, *p;
	int h = 0, m = 0, digits = 0;

	if (yml_str(n, &s, &err) < 0)
		return failed(d, &err);
	for (p = s; isdigit((unsigned char)*p) && digits < 2; p++, digits++)
		h = h * 10 + (*p - '0');
	if (digits == 0)
		goto bad;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			goto bad;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (*p != 0 || h > 24 || m > 59 || (h == 24 && m != 0))
		goto bad;
	*minutes = h * 60 + m;
	return 0;
bad:
	at_error(d, n, "not a time of day HH:MM (%s)", s);
	return -1;
}

static int
parse_mode(struct rv_diags *d, const struct yml_node *n, int allow_shuffle,
    enum rv_mode *mode)
{
	struct rv_err err;
	const char *s;

	if (yml_str(n, &s, &err) < 0)
		return failed(d, &err);
	if (strcmp(s, "sequential") == 0)
		*mode = RV_MODE_SEQUENTIAL;
	else if (strcmp(s, "shuffle") == 0 && allow_shuffle)
		*mode = RV_MODE_SHUFFLE;
	else if (strcmp(s, "random") == 0)
		*mode = RV_MODE_RANDOM;
	else if (strcmp(s, "weighted") == 0) {
		/* No weights exist anywhere: it is random, and says so. */
		rv_diag_warn(d, "%s:%d:%d: mode 'weighted' has no weights; it "
		    "is 'random'", n->file, n->line, n->col);
		*mode = RV_MODE_RANDOM;
	} else {
		at_error(d, n, "unknown mode (%s): expected sequential, %s"
		    "random", s, allow_shuffle ? "shuffle or " : "");
		return -1;
	}
	return 0;
}

int
rv_channel_pool_index(const struct rv_channel *c, const char *name)
{
	int i;

	for (i = 0; i < c->npools; i++)
		if (strcmp(c->pools[i].name, name) == 0)
			return i;
	return -1;
}

/* A pool name or a list of them → indices into c->pools. */
static int
parse_pool_refs(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n, int **out, int *count)
{
	size_t i, k = n->kind == YML_SEQ ? n->nitems : 1;
	struct rv_err err;
	const char *s;
	int idx, rc = 0;

	if (n->kind == YML_MAP || k == 0) {
		at_error(d, n, "expected a pool name or a list of pool names");
		return -1;
	}
	*out = calloc(k, sizeof(int));
	if (*out == NULL)
		return -1;
	for (i = 0; i < k; i++) {
		const struct yml_node *item = n->kind == YML_SEQ ? n->items[i] : n;

		if (yml_str(item, &s, &err) < 0) {
			rc = failed(d, &err);
			continue;
		}
		if ((idx = rv_channel_pool_index(c, s)) < 0) {
			at_error(d, item, "unknown pool (%s)", s);
			rc = -1;
			continue;
		}
		(*out)[(*count)++] = idx;
	}
	return rc;
}

static int
parse_strlist(struct rv_diags *d, const struct yml_node *n,
    struct rv_strs *out)
{
	size_t i, k = n->kind == YML_SEQ ? n->nitems : 1;
	struct rv_err err;
	const char *s;

	if (n->kind == YML_MAP) {
		at_error(d, n, "expected text or a list of text");
		return -1;
	}
	out->v = calloc(k ? k : 1, sizeof(char *));
	if (out->v == NULL)
		return -1;
	for (i = 0; i < k; i++) {
		if (yml_str(n->kind == YML_SEQ ? n->items[i] : n, &s, &err) < 0)
			return failed(d, &err);
		out->v[out->n++] = strdup(s);
	}
	return 0;
}

static void
parse_movie_selector(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n, struct rv_movie_sel *m)
{
	static const char *const keys[] = {
		"pool", "pools", "collections", "mode", "rating",
		"max_duration_sec", "min_duration_sec", "min_cooldown_days",
		NULL
	};
	static const char *const rating_keys[] = { "include", "exclude",
		NULL };
	const struct yml_node *v;
	enum rv_mode mode;
	int64_t x;

	m->min_duration_ms = m->max_duration_ms = -1;
	m->cooldown_days = 1;
	if (n->kind != YML_MAP) {
		at_error(d, n, "movie_selector must be a map");
		return;
	}
	check_keys(d, n, keys);
	if ((v = yml_get(n, "pool")) != NULL ||
	    (v = yml_get(n, "pools")) != NULL ||
	    (v = yml_get(n, "collections")) != NULL)
		parse_pool_refs(c, d, v, &m->pools, &m->npools);
	else
		at_error(d, n, "movie_selector needs a pool");
	if ((v = yml_get(n, "mode")) != NULL)
		parse_mode(d, v, 0, &mode);
	if ((v = yml_get(n, "rating")) != NULL) {
		if (v->kind != YML_MAP) {
			parse_strlist(d, v, &m->rating_include);
		} else {
			check_keys(d, v, rating_keys);
			if (yml_get(v, "include") != NULL)
				parse_strlist(d, yml_get(v, "include"),
				    &m->rating_include);
			if (yml_get(v, "exclude") != NULL)
				parse_strlist(d, yml_get(v, "exclude"),
				    &m->rating_exclude);
		}
	}
	if (get_int(d, n, "max_duration_sec", 1, 7 * 86400, &x) > 0)
		m->max_duration_ms = x * 1000;
	if (get_int(d, n, "min_duration_sec", 0, 7 * 86400, &x) > 0)
		m->min_duration_ms = x * 1000;
	if (get_int(d, n, "min_cooldown_days", 0, 3650, &x) > 0)
		m->cooldown_days = (int)x;
}

/* start:, and end: or duration:, of a window entry. */
static void
parse_window(struct rv_diags *d, const struct yml_node *n,
    struct rv_entry *e, int need_start)
{
	const struct yml_node *v;
	struct rv_err err;
	const char *s;

	e->start_min = -1;
	e->end_min = -1;
	e->duration_ms = -1;
	if ((v = yml_get(n, "start")) != NULL)
		parse_hhmm(d, v, &e->start_min);
	else if (need_start)
		at_error(d, n, "missing key 'start'");
	if ((v = yml_get(n, "end")) != NULL)
		parse_hhmm(d, v, &e->end_min);
	if ((v = yml_get(n, "duration")) != NULL) {
		if (e->end_min >= 0)
			at_error(d, v, "give end or duration, not both");
		else if (yml_str(v, &s, &err) < 0)
			failed(d, &err);
		else if (rv_duration_parse(s, &e->duration_ms, &err) < 0)
			at_error(d, v, "%s", err.msg);
		else if (e->duration_ms <= 0 || e->duration_ms > RV_MS_PER_DAY * 7)
			at_error(d, v, "duration must be above 0 and at most "
			    "7 days (%s)", s);
	}
}

static void
parse_block(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n, struct rv_entry *e)
{
	static const char *const keys[] = { "start", "end", "duration",
		"title", "pool", "mode", NULL };
	const struct yml_node *v;

	e->kind = RV_ENTRY_BLOCK;
	if (n->kind != YML_MAP) {
		at_error(d, n, "block must be a map");
		return;
	}
	check_keys(d, n, keys);
	parse_window(d, n, e, 1);
	e->title = get_str(d, n, "title", 0);
	if ((v = yml_get(n, "pool")) != NULL)
		parse_pool_refs(c, d, v, &e->pools, &e->npools);
	else
		at_error(d, n, "missing key 'pool'");
	e->mode = RV_MODE_SEQUENTIAL;
	if ((v = yml_get(n, "mode")) != NULL)
		parse_mode(d, v, 1, &e->mode);
}

static void
parse_marathon(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n, struct rv_entry *e)
{
	static const char *const keys[] = { "start", "end", "duration",
		"title", "movie_selector", "allow_bleed", NULL };
	const struct yml_node *v;
	struct rv_err err;
	bool bleed;

	e->kind = RV_ENTRY_MARATHON;
	if (n->kind != YML_MAP) {
		at_error(d, n, "movie_marathon must be a map");
		return;
	}
	check_keys(d, n, keys);
	parse_window(d, n, e, 1);
	e->title = get_str(d, n, "title", 0);
	if ((v = yml_get(n, "movie_selector")) != NULL)
		parse_movie_selector(c, d, v, &e->movie);
	else
		at_error(d, n, "missing key 'movie_selector'");
	if ((v = yml_get(n, "allow_bleed")) != NULL) {
		if (yml_bool(v, &bleed, &err) < 0)
			failed(d, &err);
		e->allow_bleed = bleed;
	}
}

static void
parse_slots(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n, struct rv_entry *e)
{
	static const char *const slot_keys[] = { "title", "program",
		"episode_selector", NULL };
	static const char *const sel_keys[] = { "pool", "collection", "mode",
		"seed", NULL };
	const struct yml_node *list = yml_get(n, "slots"), *s, *sel, *v;
	struct rv_err err;
	const char *name;
	size_t i;

	e->kind = RV_ENTRY_SLOTS;
	if (list == NULL || list->kind != YML_SEQ || list->nitems == 0) {
		at_error(d, list ? list : n, "slots must be a non-empty list");
		return;
	}
	e->slots = calloc(list->nitems, sizeof(*e->slots));
	if (e->slots == NULL)
		return;
	for (i = 0; i < list->nitems; i++) {
		struct rv_slot *slot = &e->slots[e->nslots++];

		s = list->items[i];
		slot->at = s;
		slot->pool = -1;
		slot->mode = RV_MODE_SEQUENTIAL;
		if (s->kind != YML_MAP) {
			at_error(d, s, "a slot must be a map");
			continue;
		}
		check_keys(d, s, slot_keys);
		slot->title = get_str(d, s, "title", 0);
		slot->program = get_str(d, s, "program", 0);
		sel = yml_get(s, "episode_selector");
		if (sel == NULL && slot->program == NULL) {
			at_error(d, s, "a slot needs episode_selector or "
			    "program");
			continue;
		}
		if (sel == NULL)
			continue;
		if (sel->kind != YML_MAP) {
			at_error(d, sel, "episode_selector must be a map");
			continue;
		}
		check_keys(d, sel, sel_keys);
		if ((v = yml_get(sel, "pool")) == NULL &&
		    (v = yml_get(sel, "collection")) == NULL) {
			at_error(d, sel, "episode_selector needs a pool");
			continue;
		}
		if (yml_str(v, &name, &err) < 0)
			failed(d, &err);
		else if ((slot->pool = rv_channel_pool_index(c, name)) < 0)
			at_error(d, v, "unknown pool (%s)", name);
		if ((v = yml_get(sel, "mode")) != NULL)
			parse_mode(d, v, 0, &slot->mode);
	}
}

/* One entry of a day's list. */
static int
parse_entry(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n, struct rv_entry *e)
{
	static const char *const movie_keys[] = { "start", "title",
		"movie_selector", NULL };
	static const char *const slot_keys[] = { "start", "title", "slots",
		NULL };
	const struct yml_node *v;

	e->at = n;
	if (n->kind != YML_MAP) {
		at_error(d, n, "a schedule entry must be a map");
		return -1;
	}
	if ((v = yml_get(n, "block")) != NULL) {
		check_keys(d, n, (const char *const[]){ "block", NULL });
		parse_block(c, d, v, e);
	} else if ((v = yml_get(n, "movie_marathon")) != NULL) {
		check_keys(d, n, (const char *const[]){ "movie_marathon",
		    NULL });
		parse_marathon(c, d, v, e);
	} else if ((v = yml_get(n, "movie_block")) != NULL) {
		/* A start nested in movie_block counts (upstream lost it). */
		e->kind = RV_ENTRY_MOVIE;
		check_keys(d, n, (const char *const[]){ "movie_block", "start",
		    NULL });
		if (v->kind == YML_MAP) {
			check_keys(d, v, movie_keys);
			parse_window(d, yml_get(v, "start") ? v : n, e, 1);
			e->title = get_str(d, v, "title", 0);
			if (yml_get(v, "movie_selector") != NULL)
				parse_movie_selector(c, d,
				    yml_get(v, "movie_selector"), &e->movie);
			else
				at_error(d, v, "missing key 'movie_selector'");
		} else {
			at_error(d, v, "movie_block must be a map");
		}
	} else if ((v = yml_get(n, "movie_selector")) != NULL) {
		e->kind = RV_ENTRY_MOVIE;
		check_keys(d, n, movie_keys);
		parse_window(d, n, e, 1);
		e->title = get_str(d, n, "title", 0);
		parse_movie_selector(c, d, v, &e->movie);
	} else if (yml_get(n, "slots") != NULL) {
		check_keys(d, n, slot_keys);
		parse_window(d, n, e, 1);
		e->title = get_str(d, n, "title", 0);
		parse_slots(c, d, n, e);
	} else {
		at_error(d, n, "unknown entry: expected block, movie_marathon, "
		    "movie_block, movie_selector or slots");
		return -1;
	}
	return 0;
}

static int
by_start(const void *a, const void *b)
{
	const struct rv_entry *x = a, *y = b;

	return (x->start_min > y->start_min) - (x->start_min < y->start_min);
}

/* A day's value: a list of entries, one entry, or {use: TEMPLATE}. */
static void
parse_day(struct rv_channel *c, struct rv_diags *d, const char *layer,
    const struct yml_node *n, const struct yml_node *templates,
    struct rv_layer *out)
{
	const struct yml_node *items, *use;
	struct rv_err err;
	const char *name;
	size_t i, k;
	int j;

	out->present = 1;
	if (n->kind == YML_MAP && (use = yml_get(n, "use")) != NULL) {
		check_keys(d, n, (const char *const[]){ "use", NULL });
		if (yml_str(use, &name, &err) < 0) {
			failed(d, &err);
			return;
		}
		if (templates == NULL || (n = yml_get(templates, name)) == NULL) {
			at_error(d, use, "unknown template (%s)", name);
			return;
		}
	}
	items = n;
	k = n->kind == YML_SEQ ? n->nitems : 1;
	out->entries = calloc(k ? k : 1, sizeof(*out->entries));
	if (out->entries == NULL)
		return;
	for (i = 0; i < k; i++) {
		struct rv_entry *e = &out->entries[out->n];
		const struct yml_node *item = n->kind == YML_SEQ ?
		    items->items[i] : n;

		snprintf(e->key, sizeof(e->key), "%s[%zu]", layer, i);
		if (parse_entry(c, d, item, e) == 0)
			out->n++;
	}
	qsort(out->entries, (size_t)out->n, sizeof(*out->entries), by_start);
	for (j = 1; j < out->n; j++)
		if (out->entries[j].start_min == out->entries[j - 1].start_min &&
		    out->entries[j].start_min >= 0)
			at_error(d, out->entries[j].at, "two entries of %s start "
			    "at %02d:%02d", layer, out->entries[j].start_min / 60,
			    out->entries[j].start_min % 60);
}

static void
parse_pools(struct rv_channel *c, struct rv_diags *d, const struct yml_node *n)
{
	struct rv_err err;
	size_t i;

	if (n->kind != YML_MAP) {
		at_error(d, n, "pools must be a map of pool names");
		return;
	}
	c->pools = calloc(n->npairs ? n->npairs : 1, sizeof(*c->pools));
	if (c->pools == NULL)
		return;
	for (i = 0; i < n->npairs; i++) {
		const struct yml_node *def = n->pairs[i].value, *match;
		struct rv_channel_pool *p = &c->pools[c->npools];

		p->name = strdup(n->pairs[i].key->str);
		p->at = n->pairs[i].key;
		if (def->kind != YML_MAP ||
		    (match = yml_get(def, "match")) == NULL) {
			at_error(d, def, "pool '%s' needs a match: map",
			    n->pairs[i].key->str);
			free(p->name);
			continue;
		}
		check_keys(d, def, (const char *const[]){ "match", NULL });
		if (rv_match_parse(match, &p->match, unknown_key, d, &err) < 0) {
			failed(d, &err);
			free(p->name);
			continue;
		}
		c->npools++;
	}
}

static int
kind_index(const char *s)
{
	int i;

	for (i = 0; rv_interstitial_kinds[i] != NULL; i++)
		if (strcmp(s, rv_interstitial_kinds[i]) == 0)
			return i;
	return -1;
}

static void
parse_traffic(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n)
{
	static const char *const keys[] = { "allowed_types",
		"default_cooldown_seconds", "type_cooldowns",
		"max_plays_per_day", NULL };
	const struct yml_node *v;
	struct rv_err err;
	const char *s;
	size_t i;
	int k;
	int64_t x;

	if (n->kind != YML_MAP) {
		at_error(d, n, "traffic must be a map");
		return;
	}
	check_keys(d, n, keys);
	if ((v = yml_get(n, "allowed_types")) != NULL) {
		c->traffic.allowed = 0;
		if (v->kind != YML_SEQ)
			at_error(d, v, "allowed_types must be a list");
		for (i = 0; v->kind == YML_SEQ && i < v->nitems; i++) {
			if (yml_str(v->items[i], &s, &err) < 0)
				failed(d, &err);
			else if ((k = kind_index(s)) < 0)
				at_error(d, v->items[i], "unknown interstitial "
				    "type (%s)", s);
			else
				c->traffic.allowed |= 1 << k;
		}
	}
	if (get_int(d, n, "default_cooldown_seconds", 0, 30 * 86400, &x) > 0)
		c->traffic.default_cooldown_ms = x * 1000;
	if ((v = yml_get(n, "type_cooldowns")) != NULL) {
		if (v->kind != YML_MAP)
			at_error(d, v, "type_cooldowns must be a map");
		for (i = 0; v->kind == YML_MAP && i < v->npairs; i++) {
			if ((k = kind_index(v->pairs[i].key->str)) < 0) {
				at_error(d, v->pairs[i].key, "unknown "
				    "interstitial type (%s)",
				    v->pairs[i].key->str);
				continue;
			}
			if (yml_int(v->pairs[i].value, 0, 30 * 86400, &x,
			    &err) < 0)
				failed(d, &err);
			else
				c->traffic.cooldown_ms[k] = x * 1000;
		}
	}
	if (get_int(d, n, "max_plays_per_day", 0, 100000, &x) > 0)
		c->traffic.max_plays_per_day = (int)x;
}

static void
parse_format(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n)
{
	const struct yml_node *v, *r;
	struct rv_err err;
	const char *s;
	int64_t x;

	if (n->kind != YML_MAP) {
		at_error(d, n, "format must be a map");
		return;
	}
	check_keys(d, n, (const char *const[]){ "video", "audio",
	    "grid_minutes", NULL });
	if ((v = yml_get(n, "video")) != NULL && v->kind == YML_MAP) {
		check_keys(d, v, (const char *const[]){ "width", "height",
		    "frame_rate", "preset", "bitrate_kbps", NULL });
		if ((r = yml_get(v, "preset")) != NULL) {
			if (yml_str(r, &s, &err) < 0)
				failed(d, &err);
			else if (!rv_config_preset_ok(s))
				at_error(d, r, "%s (%s)", RV_PRESETS_MSG, s);
			else
				c->preset = get_str(d, v, "preset", 0);
		}
		if (get_int(d, v, "bitrate_kbps", 100, 50000, &x) > 0)
			c->video_kbps = (int)x;
		/* Even sizes: 4:2:0 chroma needs them. */
		if (get_int(d, v, "width", 16, 7680, &x) > 0) {
			if (x % 2)
				at_error(d, yml_get(v, "width"), "width must be "
				    "even (%lld)", (long long)x);
			c->width = (int)x;
		}
		if (get_int(d, v, "height", 16, 4320, &x) > 0) {
			if (x % 2)
				at_error(d, yml_get(v, "height"), "height must "
				    "be even (%lld)", (long long)x);
			c->height = (int)x;
		}
		if ((r = yml_get(v, "frame_rate")) != NULL) {
			if (yml_str(r, &s, &err) < 0)
				failed(d, &err);
			else if (rv_rate_parse(s, &c->frame_rate, &err) < 0)
				at_error(d, r, "%s", err.msg);
		}
	} else if (v != NULL) {
		at_error(d, v, "video must be a map");
	}
	if ((v = yml_get(n, "audio")) != NULL && v->kind == YML_MAP) {
		check_keys(d, v, (const char *const[]){ "sample_rate",
		    "channels", "bitrate_kbps", NULL });
		if (get_int(d, v, "bitrate_kbps", 32, 512, &x) > 0)
			c->audio_kbps = (int)x;
		if (get_int(d, v, "sample_rate", 8000, 192000, &x) > 0)
			c->sample_rate = (int)x;
		if (get_int(d, v, "channels", 1, 8, &x) > 0)
			c->audio_channels = (int)x;
	} else if (v != NULL) {
		at_error(d, v, "audio must be a map");
	}
	if (get_int(d, n, "grid_minutes", 1, 1440, &x) > 0)
		c->grid_minutes = (int)x;
}

static void
parse_filler(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n)
{
	int64_t x;

	if (n->kind != YML_MAP) {
		at_error(d, n, "filler must be a map with path and duration_ms");
		return;
	}
	check_keys(d, n, (const char *const[]){ "path", "duration_ms",
	    "title", NULL });
	c->filler_path = get_str(d, n, "path", 1);
	c->filler_title = get_str(d, n, "title", 0);
	if (get_int(d, n, "duration_ms", 1, INT64_C(7) * RV_MS_PER_DAY, &x) > 0)
		c->filler_ms = x;
	else if (yml_get(n, "duration_ms") == NULL)
		at_error(d, n, "missing key 'duration_ms'");
}

static void
parse_notes(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *n)
{
	struct rv_err err;
	const char *s;
	size_t i;

	if (n->kind != YML_MAP) {
		at_error(d, n, "notes must be a map of text");
		return;
	}
	c->notes = json_object();
	for (i = 0; i < n->npairs; i++) {
		if (yml_str(n->pairs[i].value, &s, &err) < 0)
			failed(d, &err);
		else
			json_object_set_new(c->notes, n->pairs[i].key->str,
			    json_string(s));
	}
}

static int
read_text(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;

	if (f == NULL)
		return -1;
	do {
		if (n == cap) {
			char *p = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (p == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
}

static void
defaults(struct rv_channel *c, const struct rv_channel_defaults *def)
{
	int i;

	c->type = strdup("network");
	c->width = 1280;
	c->height = 720;
	c->frame_rate = (struct rv_rate){ 30000, 1001 };
	c->sample_rate = 48000;
	c->audio_channels = 2;
	c->day_start_min = def ? def->day_start_min : 360;
	c->traffic.allowed = (1 << 7) - 1;
	c->traffic.default_cooldown_ms = 3600 * 1000;
	for (i = 0; i < 8; i++)
		c->traffic.cooldown_ms[i] = -1;
}

int
rv_channel_id_ok(const char *id)
{
	const char *p;

	/* "metrics" is the run folder's metrics folder. */
	if (id == NULL || *id == '\0' || *id == '.' || *id == '-' ||
	    strlen(id) > 64 || strcmp(id, "metrics") == 0)
		return 0;
	for (p = id; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		    strchr("_.:-", *p) != NULL))
			return 0;
	return 1;
}

static void
parse_identity(struct rv_channel *c, struct rv_diags *d,
    const struct yml_node *root, const struct rv_channel_defaults *def)
{
	const struct yml_node *v;
	struct rv_err err;
	int64_t x;

	c->id = get_str(d, root, "channel", 1);
	if (c->id != NULL && !rv_channel_id_ok(c->id))
		at_error(d, yml_get(root, "channel"), "a channel id is 1 to "
		    "64 lower-case letters, digits and _ . : -, not starting "
		    "with . or - (%s)", c->id);
	if (get_int(d, root, "channel_number", 1, 99999, &x) > 0)
		c->number = (int)x;
	c->name = get_str(d, root, "name", 0);
	if (c->name == NULL && c->id != NULL)
		c->name = strdup(c->id);
	if ((v = yml_get(root, "channel_type")) != NULL) {
		free(c->type);
		c->type = get_str(d, root, "channel_type", 0);
		if (c->type != NULL && strcmp(c->type, "movie") != 0 &&
		    strcmp(c->type, "network") != 0)
			at_error(d, v, "channel_type is network or movie (%s)",
			    c->type);
	}
	c->timezone = get_str(d, root, "timezone", 0);
	if (c->timezone == NULL)
		c->timezone = strdup(def && def->timezone ? def->timezone :
		    "UTC");
	else if (rv_tz_check(c->timezone, &err) < 0)
		at_error(d, yml_get(root, "timezone"), "unknown time zone (%s)",
		    c->timezone);
	c->logo = get_str(d, root, "logo", 0);
	c->group = get_str(d, root, "group", 0);
}

int
rv_channel_load(const char *path, const struct rv_channel_defaults *def,
    struct rv_channel **out, struct rv_diags *d)
{
	static const char *const keys[] = {
		"channel", "channel_number", "name", "channel_type", "timezone",
		"template", "grid_minutes", "format", "filler", "traffic",
		"notes", "pools", "templates", "schedule", "logo", "group",
		"broadcast_day", NULL
	};
	const struct yml_node *root, *v, *sched, *grid_at;
	struct rv_channel *c;
	struct rv_err err;
	char *text;
	size_t len, i;
	int64_t x;
	int l, grid_top = 0;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -1;
	defaults(c, def);
	c->file = strdup(path);
	if (read_text(path, &text, &len) < 0) {
		rv_diag_error(d, "%s: cannot read: %m", path);
		rv_channel_free(c);
		return -1;
	}
	rv_sha256_hex(text, len, c->sha256);
	c->doc = yml_load_buffer(path, text, len, &err);
	free(text);
	if (c->doc == NULL) {
		failed(d, &err);
		rv_channel_free(c);
		return -1;
	}
	root = yml_root(c->doc);
	if (root->kind != YML_MAP) {
		at_error(d, root, "a channel file is a map");
		rv_channel_free(c);
		return -1;
	}
	check_keys(d, root, keys);
	parse_identity(c, d, root, def);
	if (get_int(d, root, "grid_minutes", 1, 1440, &x) > 0)
		grid_top = (int)x;
	if ((v = yml_get(root, "format")) != NULL)
		parse_format(c, d, v);
	/* The node the grid came from, for a located error. */
	grid_at = v != NULL && yml_get(v, "grid_minutes") != NULL ?
	    yml_get(v, "grid_minutes") : yml_get(root, "grid_minutes");
	if (c->grid_minutes == 0)
		c->grid_minutes = grid_top;
	if (c->grid_minutes == 0 && (v = yml_get(root, "template")) != NULL &&
	    v->kind == YML_SCALAR && strcmp(v->str, "premium_movie") == 0)
		c->grid_minutes = 15;
	if (c->grid_minutes == 0)
		c->grid_minutes = 30;
	if (1440 % c->grid_minutes != 0)
		at_error(d, grid_at ? grid_at : root, "grid_minutes must divide "
		    "a day (%d)", c->grid_minutes);
	if ((v = yml_get(root, "filler")) != NULL)
		parse_filler(c, d, v);
	if ((v = yml_get(root, "traffic")) != NULL)
		parse_traffic(c, d, v);
	if ((v = yml_get(root, "notes")) != NULL)
		parse_notes(c, d, v);
	if ((v = yml_get(root, "pools")) != NULL)
		parse_pools(c, d, v);
	if ((v = yml_get(root, "templates")) != NULL && v->kind != YML_MAP)
		at_error(d, v, "templates must be a map");
	sched = yml_get(root, "schedule");
	if (sched == NULL || sched->kind != YML_MAP) {
		at_error(d, sched ? sched : root, sched ? "schedule must be a "
		    "map of day layers" : "missing key 'schedule'");
	} else {
		for (i = 0; i < sched->npairs; i++) {
			const char *name = sched->pairs[i].key->str;

			for (l = 0; l < RV_NLAYERS &&
			    strcmp(name, layer_names[l]) != 0; l++)
				;
			if (l == RV_NLAYERS) {
				rv_diag_warn(d, "%s:%d:%d: '%s' is not a day layer "
				    "(all_day, weekdays, weekends, monday … "
				    "sunday): ignored", sched->pairs[i].key->file,
				    sched->pairs[i].key->line,
				    sched->pairs[i].key->col, name);
				continue;
			}
			parse_day(c, d, name, sched->pairs[i].value,
			    yml_get(root, "templates"), &c->layers[l]);
		}
	}
	if (d->nerrors > 0) {
		rv_channel_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void
entry_free(struct rv_entry *e)
{
	int i;

	free(e->title);
	free(e->pools);
	free(e->movie.pools);
	rv_strs_free(&e->movie.rating_include);
	rv_strs_free(&e->movie.rating_exclude);
	for (i = 0; i < e->nslots; i++) {
		free(e->slots[i].title);
		free(e->slots[i].program);
	}
	free(e->slots);
}

void
rv_channel_free(struct rv_channel *c)
{
	int i, j;

	if (c == NULL)
		return;
	for (i = 0; i < RV_NLAYERS; i++) {
		for (j = 0; j < c->layers[i].n; j++)
			entry_free(&c->layers[i].entries[j]);
		free(c->layers[i].entries);
	}
	for (i = 0; i < c->npools; i++) {
		free(c->pools[i].name);
		rv_match_free(&c->pools[i].match);
	}
	free(c->pools);
	json_decref(c->notes);
	free(c->file);
	free(c->id);
	free(c->name);
	free(c->type);
	free(c->timezone);
	free(c->logo);
	free(c->group);
	free(c->filler_path);
	free(c->filler_title);
	free(c->preset);
	yml_free(c->doc);
	free(c);
}
