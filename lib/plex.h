/*
 * plex — import a Plex Media Server library database into the catalog
 * (`rv-catalog import-plex`).
 *
 * Plex's com.plexapp.plugins.library.db is read, never written, while
 * Plex may be running: it is opened read-only without creating a file
 * beside it (or, when SQLite cannot read it in place, a private copy is
 * read), read in one short read transaction into memory, and closed
 * before the catalog is touched.
 * Movies and episodes become assets of source 'plex' whose identity is
 * Plex's ratingKey (metadata_items.id), so a re-import updates them in
 * place; an asset Plex no longer has becomes 'missing', never deleted.
 * This module owns only the reading and the mapping of Plex's rows; the
 * rows it writes belong to catalog (rv_catalog_put and friends).
 *
 * The rules, where Plex leaves a choice:
 *   - the file is the first part (by index) of the lowest-id media item
 *     that is not deleted and has a part that is not deleted;
 *   - duration: media_items.duration, else media_parts.duration, else
 *     metadata_items.duration.  A multi-part item (a film split over two
 *     files) is imported as its first file alone, with that part's own
 *     duration (the other durations cover every part); without one it is
 *     unplayable.  Multi-part items are counted and reported;
 *   - an episode takes collections and genres of its own, of its season
 *     and of its show (Plex tags genres on the show), and the show's
 *     content rating when it has none of its own;
 *   - a Plex path is mapped by the longest FROM that is a whole-component
 *     prefix of it ("/data/tv" maps "/data/tv/x", not "/data/tvshows/x").
 */
#ifndef RV_PLEX_H
#define RV_PLEX_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "catalog.h"
#include "log.h"

/* Plex may be writing: wait this long for its lock, not the 30 s our own
 * database allows, and never hold one of ours meanwhile. */
#define RV_PLEX_BUSY_TIMEOUT_MS	2000

/* --map FROM=TO: a path as Plex sees it → the path here. */
struct rv_plex_map {
	const char	*from, *to;
};

/*
 * movies, episodes: imported (playable).  updated: were in the catalog,
 * refreshed in place; added: new to it; removed: gone from Plex (or no
 * longer playable), now 'missing'.  Skipped: deleted (deleted_at on the
 * item, its season or show, or its only media item or part), unplayable
 * (no media part, or no duration), orphans (an episode whose season or
 * show Plex lacks).  multipart: imported as their first part only.
 */
struct rv_plex_stats {
	int64_t	movies, episodes, updated, added, removed;
	int64_t	skipped_deleted, skipped_unplayable, skipped_orphans;
	int64_t	multipart;
};

/*
 * Import the Plex database at plexdb into db, mapping paths with maps
 * (nmaps may be 0), in one transaction on db, then rebuild the aliases.
 * Warnings (alias clashes, episodes without a show, multi-part items) go
 * to warn(arg, message) when warn is not NULL.  stats may be NULL.
 * Returns 0, or -1 with err naming plexdb or the step that failed; on
 * failure the catalog is left as it was.
 */
int	rv_plex_import(sqlite3 *db, const char *plexdb,
	    const struct rv_plex_map *maps, int nmaps, int64_t now_ms,
	    struct rv_plex_stats *stats, rv_catalog_warn_fn *warn, void *arg,
	    struct rv_err *err);

/*
 * Parse "FROM=TO" (split at the first '='; both sides non-empty) into m.
 * m->from owns a copy of both strings: release it with rv_plex_map_free.
 */
int	rv_plex_map_parse(const char *arg, struct rv_plex_map *m,
	    struct rv_err *err);
void	rv_plex_map_free(struct rv_plex_map *m);

/*
 * The path plex_path maps to, written to out (size n): the TO of the
 * longest FROM that is plex_path or a folder above it, followed by the
 * rest of plex_path; plex_path itself when no FROM matches.  Returns -1
 * when out is too small.
 */
int	rv_plex_map_path(const struct rv_plex_map *maps, int nmaps,
	    const char *plex_path, char *out, size_t n);

#endif
