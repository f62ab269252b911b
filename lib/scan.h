/*
 * scan — index folders of media into the catalog: walk, recognise media by
 * extension, probe new and changed files on `jobs` threads, derive kind,
 * series/season/episode/title/year, collections, genres and rating from
 * names, folders and `.retrovue.yaml` files, and mark what disappeared.
 *
 * Incremental: a file whose (size, mtime) is unchanged is not probed
 * again.  Results are committed in batches as probes finish, so an
 * interrupted scan keeps what it did.
 */
#ifndef RV_SCAN_H
#define RV_SCAN_H

#include <signal.h>
#include <stdint.h>

#include <sqlite3.h>

#include "catalog.h"
#include "log.h"

struct rv_scan_stats {
	int64_t	files;		/* media files seen */
	int64_t	added, changed, unchanged, missing, failed;
	int64_t	probed;		/* probe calls made */
	int64_t	aliases;
};

struct rv_scan_opts {
	int		 jobs;		/* probe threads; 0: one per CPU */
	int		 full;		/* probe every file, changed or not */
	int64_t		 now_ms;
	volatile sig_atomic_t *stop;	/* polled: finish what is in hand */
};

/* roots are absolute, canonical folder paths (realpath). */
int	rv_scan(sqlite3 *db, char *const *roots, int nroots,
	    const struct rv_scan_opts *o, rv_catalog_warn_fn *warn, void *arg,
	    struct rv_scan_stats *st, struct rv_err *err);

/* Probe the files of imported (Plex) assets that were never probed or
 * whose size or time changed, recording streams and chapters; a file that
 * is gone or unreadable makes its asset 'failed' until a probe succeeds.
 * st: files looked at, changed (probed fine), unchanged, failed. */
int	rv_scan_probe_imported(sqlite3 *db, const struct rv_scan_opts *o,
	    rv_catalog_warn_fn *warn, void *arg, struct rv_scan_stats *st,
	    struct rv_err *err);

/* Whether a file name has a media extension we scan. */
int	rv_scan_is_media(const char *name);

#endif
