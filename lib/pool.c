#include "pool.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const match_keys[] = {
	"type", "series_title", "season", "episode", "genre", "rating",
	"min_duration_sec", "max_duration_sec", "year_range", "collection",
	"source", NULL
};

static const char *const kinds[] = {
	"episode", "movie", "commercial", "promo", "station_id", "psa",
	"stinger", "bumper", "filler", NULL
};

void
rv_strs_free(struct rv_strs *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* A string, or a list of strings. */
static int
parse_strs(const struct yml_node *node, struct rv_strs *out,
    struct rv_err *err)
{
	const struct yml_node *const *items = &node;
	size_t n = 1, i;
	const char *s;

	if (node->kind == YML_SEQ) {
		items = (const struct yml_node *const *)node->items;
		n = node->nitems;
		if (n == 0)
			return yml_errf(err, node, "empty list");
	}
	out->v = calloc(n, sizeof(*out->v));
	if (out->v == NULL)
		return rv_errf(err, "out of memory");
	for (i = 0; i < n; i++) {
		if (yml_str(items[i], &s, err) < 0)
			return -1;
		if (s[0] == 0)
			return yml_errf(err, items[i], "empty text");
		if ((out->v[out->n++] = strdup(s)) == NULL)
			return rv_errf(err, "out of memory");
	}
	return 0;
}

static int
read_int(const char **p, int *v)
{
	int n = 0;
	long x = 0;

	while (isdigit((unsigned char)**p) && n < 9) {
		x = x * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*v = (int)x;
	return n > 0 && !isdigit((unsigned char)**p);
}

/* "3", "1..4", "1-4". */
static int
parse_range(const struct yml_node *node, struct rv_range *r,
    struct rv_err *err)
{
	const char *s, *p;

	if (yml_str(node, &s, err) < 0)
		return -1;
	p = s;
	while (*p == ' ')
		p++;
	if (!read_int(&p, &r->lo))
		goto bad;
	r->hi = r->lo;
	while (*p == ' ')
		p++;
	if (p[0] == '.' && p[1] == '.')
		p += 2;
	else if (p[0] == '-')
		p++;
	else if (*p == 0)
		return 0;
	else
		goto bad;
	while (*p == ' ')
		p++;
	if (!read_int(&p, &r->hi))
		goto bad;
	while (*p == ' ')
		p++;
	if (*p != 0 || r->hi < r->lo)
		goto bad;
	return 0;
bad:
	return yml_errf(err, node, "expected a number or a range like 1..4 "
	    "(%s)", s);
}

static int
parse_ranges(const struct yml_node *node, struct rv_range **out, int *n,
    struct rv_err *err)
{
	size_t count = node->kind == YML_SEQ ? node->nitems : 1, i;

	if (node->kind == YML_MAP)
		return yml_errf(err, node, "expected a number, a range or a "
		    "list of them");
	if (count == 0)
		return yml_errf(err, node, "empty list");
	*out = calloc(count, sizeof(**out));
	if (*out == NULL)
		return rv_errf(err, "out of memory");
	for (i = 0; i < count; i++) {
		if (parse_range(node->kind == YML_SEQ ? node->items[i] : node,
		    &(*out)[i], err) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

static int
parse_year_range(const struct yml_node *node, struct rv_match *m,
    struct rv_err *err)
{
	struct rv_range r;
	int64_t lo, hi;

	if (node->kind == YML_SEQ) {
		if (node->nitems != 2)
			return yml_errf(err, node, "year_range as a list needs "
			    "two years");
		if (yml_int(node->items[0], 1000, 9999, &lo, err) < 0 ||
		    yml_int(node->items[1], lo, 9999, &hi, err) < 0)
			return -1;
		m->year_lo = (int)lo;
		m->year_hi = (int)hi;
		return 0;
	}
	if (parse_range(node, &r, err) < 0)
		return -1;
	if (r.lo < 1000 || r.hi > 9999)
		return yml_errf(err, node, "years must have four digits");
	m->year_lo = r.lo;
	m->year_hi = r.hi;
	return 0;
}

static int
parse_rating(const struct yml_node *node, struct rv_match *m,
    struct rv_err *err)
{
	static const char *const keys[] = { "include", "exclude", NULL };
	const struct yml_node *v;

	/* A plain string or list means "include". */
	if (node->kind != YML_MAP)
		return parse_strs(node, &m->rating_include, err);
	if (yml_check_keys(node, keys, err) < 0)
		return -1;
	if ((v = yml_get(node, "include")) != NULL &&
	    parse_strs(v, &m->rating_include, err) < 0)
		return -1;
	if ((v = yml_get(node, "exclude")) != NULL &&
	    parse_strs(v, &m->rating_exclude, err) < 0)
		return -1;
	return 0;
}

static int
parse_kind(const struct yml_node *node, struct rv_match *m,
    struct rv_err *err)
{
	const char *s;
	int i;

	if (yml_str(node, &s, err) < 0)
		return -1;
	for (i = 0; kinds[i] != NULL; i++)
		if (strcmp(s, kinds[i]) == 0)
			return (m->type = strdup(s)) ? 0 :
			    rv_errf(err, "out of memory");
	return yml_errf(err, node, "unknown type (%s): expected episode, "
	    "movie, commercial, promo, station_id, psa, stinger, bumper or "
	    "filler", s);
}

static int
parse_key(const char *key, const struct yml_node *v, struct rv_match *m,
    struct rv_err *err)
{
	int64_t sec;

	if (strcmp(key, "type") == 0)
		return parse_kind(v, m, err);
	if (strcmp(key, "series_title") == 0)
		return parse_strs(v, &m->series, err);
	if (strcmp(key, "season") == 0)
		return parse_ranges(v, &m->season, &m->nseason, err);
	if (strcmp(key, "episode") == 0)
		return parse_ranges(v, &m->episode, &m->nepisode, err);
	if (strcmp(key, "genre") == 0)
		return parse_strs(v, &m->genres, err);
	if (strcmp(key, "rating") == 0)
		return parse_rating(v, m, err);
	if (strcmp(key, "collection") == 0)
		return parse_strs(v, &m->collections, err);
	if (strcmp(key, "source") == 0)
		return parse_strs(v, &m->sources, err);
	if (strcmp(key, "year_range") == 0)
		return parse_year_range(v, m, err);
	if (yml_int(v, 0, INT64_C(10) * 365 * 86400, &sec, err) < 0)
		return -1;
	if (strcmp(key, "min_duration_sec") == 0)
		m->min_duration_ms = sec * 1000;
	else
		m->max_duration_ms = sec * 1000;
	return 0;
}

int
rv_match_parse(const struct yml_node *map, struct rv_match *m,
    yml_warn_fn *warn, void *arg, struct rv_err *err)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->min_duration_ms = m->max_duration_ms = -1;
	if (yml_expect(map, YML_MAP, err) < 0)
		return -1;
	if (warn != NULL)
		yml_check_keys_warn(map, match_keys, warn, arg);
	for (i = 0; i < map->npairs; i++) {
		const char *key = map->pairs[i].key->str;
		int known = 0, k;

		for (k = 0; match_keys[k] != NULL; k++)
			known |= strcmp(key, match_keys[k]) == 0;
		if (known && parse_key(key, map->pairs[i].value, m, err) < 0) {
			rv_match_free(m);
			return -1;
		}
	}
	if (m->min_duration_ms >= 0 && m->max_duration_ms >= 0 &&
	    m->min_duration_ms > m->max_duration_ms) {
		rv_match_free(m);
		return yml_errf(err, map, "min_duration_sec is above "
		    "max_duration_sec");
	}
	return 0;
}

void
rv_match_free(struct rv_match *m)
{
	if (m == NULL)
		return;
	free(m->type);
	rv_strs_free(&m->series);
	free(m->season);
	free(m->episode);
	rv_strs_free(&m->genres);
	rv_strs_free(&m->rating_include);
	rv_strs_free(&m->rating_exclude);
	rv_strs_free(&m->collections);
	rv_strs_free(&m->sources);
	memset(m, 0, sizeof(*m));
	m->min_duration_ms = m->max_duration_ms = -1;
}

static int
in_ranges(const struct rv_range *r, int n, int v)
{
	int i;

	if (n == 0)
		return 1;
	if (v < 0)
		return 0;	/* an asset without the number never matches */
	for (i = 0; i < n; i++)
		if (v >= r[i].lo && v <= r[i].hi)
			return 1;
	return 0;
}

static int
one_of(const struct rv_strs *want, const char *have)
{
	int i;

	if (have == NULL)
		return 0;
	for (i = 0; i < want->n; i++)
		if (strcasecmp(want->v[i], have) == 0)
			return 1;
	return 0;
}

static int
any_of(const struct rv_strs *want, const char *const *have, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (one_of(want, have[i]))
			return 1;
	return 0;
}

/* "Title (1978)" also names a show stored as "Title" with that year, the
 * way Plex tells same-titled shows apart. */
static int
series_matches(const char *want, const struct rv_cat_asset *a)
{
	size_t n = strlen(want);
	int year;

	if (a->series_title == NULL)
		return 0;
	if (strcasecmp(want, a->series_title) == 0)
		return 1;
	if (n < 7 || want[n - 1] != ')' || want[n - 6] != '(' ||
	    sscanf(want + n - 5, "%4d)", &year) != 1)
		return 0;
	n -= 6;
	while (n > 0 && want[n - 1] == ' ')
		n--;
	return a->series_year == year && strlen(a->series_title) == n &&
	    strncasecmp(want, a->series_title, n) == 0;
}

int
rv_match_asset(const struct rv_match *m, const struct rv_cat_asset *a)
{
	int i, ok;

	if (m->type != NULL && strcmp(m->type, a->kind) != 0)
		return 0;
	if (m->series.n > 0) {
		for (ok = 0, i = 0; i < m->series.n && !ok; i++)
			ok = series_matches(m->series.v[i], a);
		if (!ok)
			return 0;
	}
	if (!in_ranges(m->season, m->nseason, a->season) ||
	    !in_ranges(m->episode, m->nepisode, a->episode))
		return 0;
	if (m->genres.n > 0 && !any_of(&m->genres, a->genres, a->ngenres))
		return 0;
	if (m->rating_include.n > 0 && !one_of(&m->rating_include, a->rating))
		return 0;
	if (m->rating_exclude.n > 0 && one_of(&m->rating_exclude, a->rating))
		return 0;
	if (m->min_duration_ms >= 0 && a->duration_ms < m->min_duration_ms)
		return 0;
	if (m->max_duration_ms >= 0 && a->duration_ms > m->max_duration_ms)
		return 0;
	/* An episode without its own year goes by its show's. */
	if (m->year_lo != 0 && ((a->year ? a->year : a->series_year) <
	    m->year_lo || (a->year ? a->year : a->series_year) > m->year_hi))
		return 0;
	if (m->collections.n > 0 &&
	    !any_of(&m->collections, a->collections, a->ncollections))
		return 0;
	if (m->sources.n > 0 && !one_of(&m->sources, a->source_name) &&
	    !one_of(&m->sources, a->source))
		return 0;
	return 1;
}

static int
cmp_text(const char *a, const char *b)
{
	int c;

	c = strcasecmp(a ? a : "", b ? b : "");
	return c != 0 ? c : strcmp(a ? a : "", b ? b : "");
}

int
rv_pool_order(const void *pa, const void *pb)
{
	const struct rv_cat_asset *a = *(const struct rv_cat_asset *const *)pa;
	const struct rv_cat_asset *b = *(const struct rv_cat_asset *const *)pb;
	int c;

	/* A show is its title, ignoring case, and its year. */
	if ((c = strcasecmp(a->series_title ? a->series_title : "",
	    b->series_title ? b->series_title : "")) != 0)
		return c;
	if (a->series_year != b->series_year)
		return a->series_year < b->series_year ? -1 : 1;
	if (a->season != b->season)
		return a->season < b->season ? -1 : 1;
	if (a->episode != b->episode)
		return a->episode < b->episode ? -1 : 1;
	if ((c = cmp_text(a->title, b->title)) != 0)
		return c;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return strcmp(a->id, b->id);
}

int
rv_pool_select(const struct rv_catalog *c, const struct rv_match *m,
    const struct rv_cat_asset ***out, size_t *n, struct rv_err *err)
{
	const struct rv_cat_asset **v;
	size_t i;

	*out = NULL;
	*n = 0;
	v = calloc(c->n ? c->n : 1, sizeof(*v));
	if (v == NULL)
		return rv_errf(err, "out of memory");
	for (i = 0; i < c->n; i++)
		if (rv_match_asset(m, &c->assets[i]))
			v[(*n)++] = &c->assets[i];
	qsort(v, *n, sizeof(*v), rv_pool_order);
	*out = v;
	return 0;
}
