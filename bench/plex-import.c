/*
 * The import half of `rv-catalog import-plex`, for bench/plex-import.sh
 * when rv-catalog is not built: import PLEXDB into RVDB with the maps
 * given, and print the counts and the time rv_plex_import took.
 *
 *   plex-import RVDB PLEXDB [FROM=TO]...
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "db.h"
#include "plex.h"

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
count_warning(void *arg, const char *msg)
{
	(void)msg;
	++*(int *)arg;
}

int
main(int argc, char **argv)
{
	struct rv_plex_map maps[16];
	struct rv_plex_stats st;
	struct rv_err err;
	long long t0, t1;
	sqlite3 *db;
	int i, nmaps = argc - 3, warnings = 0;

	if (argc < 3 || nmaps > 16) {
		fprintf(stderr, "usage: plex-import RVDB PLEXDB "
		    "[FROM=TO]...\n");
		return 2;
	}
	for (i = 0; i < nmaps; i++)
		if (rv_plex_map_parse(argv[3 + i], &maps[i], &err) < 0) {
			fprintf(stderr, "plex-import: %s\n", err.msg);
			return 2;
		}
	if (rv_db_open(argv[1], &db, &err) < 0) {
		fprintf(stderr, "plex-import: %s\n", err.msg);
		return 1;
	}
	t0 = mono_ms();
	if (rv_plex_import(db, argv[2], maps, nmaps, (long long)time(NULL) *
	    1000, &st, count_warning, &warnings, &err) < 0) {
		fprintf(stderr, "plex-import: %s\n", err.msg);
		return 1;
	}
	t1 = mono_ms();
	printf("%lld movies, %lld episodes: %lld added, %lld updated, "
	    "%lld removed; skipped %lld deleted, %lld unplayable, %lld "
	    "without season or show; %lld multi-part; %d warnings; "
	    "rv_plex_import %lld ms\n", (long long)st.movies,
	    (long long)st.episodes, (long long)st.added, (long long)st.updated,
	    (long long)st.removed, (long long)st.skipped_deleted,
	    (long long)st.skipped_unplayable, (long long)st.skipped_orphans,
	    (long long)st.multipart, warnings, t1 - t0);
	rv_db_close(db);
	for (i = 0; i < nmaps; i++)
		rv_plex_map_free(&maps[i]);
	return 0;
}
