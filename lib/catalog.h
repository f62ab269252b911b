/*
 * catalog — the assets table and what hangs off it (genres, collections,
 * chapters, markers, aliases): putting a scanned or imported asset in,
 * finding one by id, alias or path, and the read-only in-memory snapshot
 * of every ready asset that pools and the compiler work from.
 *
 * An asset's id is derived from its identity ("folder:" + path, or
 * "plex:" + ratingKey), so rescans and re-imports keep ids stable and
 * nothing depends on the order rows were loaded in.
 */
#ifndef RV_CATALOG_H
#define RV_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "log.h"
#include "probe.h"

/* Room for an asset id: ours are "a-" + 16 hex digits, but a catalog
 * filled by other tools may hold longer ones. */
#define RV_ASSET_ID	64

struct rv_marker {
	const char	*kind;		/* intro, credits, commercial */
	int64_t		 start_ms, end_ms;
};

/* What a scan or an import knows about one asset. */
struct rv_asset_in {
	const char	*source;	/* "folder" or "plex" */
	const char	*path;		/* the local file */
	int64_t		 plex_rating_key;	/* plex only, else 0 */
	const char	*source_name;	/* scanned root's name, Plex library */
	const char	*kind;		/* episode, movie, commercial, … */
	const char	*title;
	const char	*series_title;	/* episodes */
	int		 series_year;	/* 0: unknown */
	int		 season, episode;	/* -1: unknown */
	int		 year;		/* 0: unknown */
	const char	*rating;
	const char	*description;
	int64_t		 size, mtime_ns;
	/* Probed streams and chapters; NULL keeps what is stored (a Plex
	 * import that did not probe).  duration_ms is used without one. */
	const struct rv_probe *probe;
	int64_t		 duration_ms;
	const char	*const *genres;
	int		 ngenres;
	const char	*const *collections;
	int		 ncollections;
	const struct rv_marker *markers;	/* NULL keeps what is stored */
	int		 nmarkers;
	const char	*fail_reason;	/* non-NULL: state 'failed' */
};

/* A writer keeps its statements prepared across many puts (an import of
 * 12,000 items prepares each statement once). */
struct rv_catalog_writer;

int	rv_catalog_writer_open(sqlite3 *db, struct rv_catalog_writer **out,
	    struct rv_err *err);
void	rv_catalog_writer_close(struct rv_catalog_writer *w);

/* Insert or update the asset with this identity, with its genres,
 * collections, chapters and markers; id receives its id.  Run inside the
 * caller's transaction.  An asset with no duration and no fail_reason is
 * stored as failed ("no duration"). */
int	rv_catalog_put(struct rv_catalog_writer *w, const struct rv_asset_in *a,
	    int64_t now_ms, char id[RV_ASSET_ID], struct rv_err *err);

/* The id an identity maps to ("folder", path) / ("plex", key as text). */
void	rv_catalog_asset_id(const char *source, const char *key,
	    char id[RV_ASSET_ID]);

/* Record what probing an existing asset's file found (an imported asset
 * that was never probed, or whose file changed): p with its streams and
 * chapters, or reason when the file is gone or unreadable ('failed' —
 * kept by later imports until a probe succeeds). */
int	rv_catalog_put_probe(struct rv_catalog_writer *w, const char *id,
	    int64_t size, int64_t mtime_ns, const struct rv_probe *p,
	    const char *reason, int64_t now_ms, struct rv_err *err);

/* Mark an asset missing (its file is gone); it is never scheduled. */
int	rv_catalog_mark_missing(sqlite3 *db, const char *id, int64_t now_ms,
	    struct rv_err *err);

/* Rebuild every alias: "plex://<ratingKey>" and
 * "asset.<series slug>.sNNeNN".  Two shows that share a slug both get
 * the year added ("battlestar_galactica_1978"); a clash the year cannot
 * settle gets no slug alias at all.  Each clash is reported through warn
 * (never a silent overwrite).  Returns the number of aliases, or -1. */
typedef void rv_catalog_warn_fn(void *arg, const char *msg);
int	rv_catalog_rebuild_aliases(sqlite3 *db, rv_catalog_warn_fn *warn,
	    void *arg, struct rv_err *err);

/* The asset a name means: an id, an alias, or a file path. */
int	rv_catalog_resolve(sqlite3 *db, const char *name, char id[RV_ASSET_ID],
	    struct rv_err *err);

/* A ready asset as pools and the compiler see it.  Strings and arrays
 * belong to the snapshot. */
struct rv_cat_asset {
	const char	*id, *kind, *title, *series_title, *rating, *path;
	const char	*source, *source_name, *description;
	int		 season, episode, year, series_year;
	int64_t		 duration_ms;
	int		 has_gain;
	double		 gain_db;
	const char	**genres;
	int		 ngenres;
	const char	**collections;
	int		 ncollections;
	int64_t		*chapters_ms;	/* chapter starts, ascending */
	int		 nchapters;
};

struct rv_cat_alias {
	const char	*alias;
	const struct rv_cat_asset *asset;
};

struct rv_catalog {
	struct rv_cat_asset *assets;	/* sorted by id */
	size_t		 n;
	struct rv_cat_alias *aliases;	/* sorted by alias */
	size_t		 naliases;
	struct rv_arena	*arena;
};

/* Load every ready asset. */
int	rv_catalog_load(sqlite3 *db, struct rv_catalog **out,
	    struct rv_err *err);
void	rv_catalog_free(struct rv_catalog *c);
const struct rv_cat_asset *rv_catalog_find(const struct rv_catalog *c,
	    const char *id);
/* A ready asset by id, alias or path; NULL when none. */
const struct rv_cat_asset *rv_catalog_lookup(const struct rv_catalog *c,
	    const char *name);

#endif
