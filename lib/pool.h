/*
 * pool — a pool's `match:` criteria (rv-dsl(5)) and the assets they select,
 * in schedule order.  The compiler and `rv-catalog match` share this code,
 * so an operator can test a pool before writing it into a channel.
 *
 * All present criteria must hold; the values of a list are alternatives.
 * Text compares ignore case.  Order: episodes by (series, season, episode),
 * everything else by (title, year); the asset id breaks ties, so nothing
 * depends on the order the catalog was loaded in.
 */
#ifndef RV_POOL_H
#define RV_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "log.h"
#include "yml.h"

struct rv_range {
	int	lo, hi;		/* inclusive */
};

struct rv_strs {
	char	**v;
	int	  n;
};

/* Free the strings and the list; s is left empty. */
void	rv_strs_free(struct rv_strs *s);

struct rv_match {
	char		*type;		/* NULL: any kind */
	struct rv_strs	 series;	/* "Title" or "Title (Year)" */
	struct rv_range	*season;	/* NULL: any */
	int		 nseason;
	struct rv_range	*episode;
	int		 nepisode;
	struct rv_strs	 genres;
	struct rv_strs	 rating_include, rating_exclude;
	int64_t		 min_duration_ms, max_duration_ms;	/* -1: none */
	int		 year_lo, year_hi;			/* 0: none */
	struct rv_strs	 collections;
	struct rv_strs	 sources;
};

/* Parse a `match:` map.  Errors carry FILE:LINE:COL; an unknown key is
 * passed to warn (may be NULL) and otherwise ignored. */
int	rv_match_parse(const struct yml_node *map, struct rv_match *m,
	    yml_warn_fn *warn, void *arg, struct rv_err *err);
void	rv_match_free(struct rv_match *m);

int	rv_match_asset(const struct rv_match *m, const struct rv_cat_asset *a);

/* The assets of c that m selects, in schedule order.  *out is malloc'd
 * (free it); its pointers belong to c. */
int	rv_pool_select(const struct rv_catalog *c, const struct rv_match *m,
	    const struct rv_cat_asset ***out, size_t *n, struct rv_err *err);

/* Schedule order of two assets (for qsort of pointers). */
int	rv_pool_order(const void *a, const void *b);

#endif
