/*
 * loudness — EBU R128 integrated loudness of media files, and the static
 * gain that brings each asset to the channel target (DESIGN §6: rv-air
 * applies it as it normalises; the expander copies gain_db onto content
 * segments).
 *
 * Measuring decodes the first audio stream with libavcodec and runs it
 * through libavfilter's ebur128 meter (resampled to the 48 kHz the meter
 * is defined at, as the ffmpeg command line does), so the figures equal
 * `ffmpeg -i FILE -af ebur128 -f null -`.  This module owns the
 * loudness_lufs and gain_db columns of the assets table.
 *
 * libav reports through av_log: the ebur128 meter prints a summary at
 * AV_LOG_INFO for every file it measures, so a program that measures
 * many files lowers av_log_set_level() first.
 */
#ifndef RV_LOUDNESS_H
#define RV_LOUDNESS_H

#include <signal.h>
#include <stdint.h>

#include <sqlite3.h>

#include "catalog.h"
#include "log.h"

/* The meter's absolute gate: a file with nothing louder than this, or
 * too short for one 400 ms gating block, reads exactly this figure. */
#define RV_LOUDNESS_SILENT	(-70.0)

/* The gain range the schema allows (assets.gain_db). */
#define RV_LOUDNESS_GAIN_MAX	60.0

/*
 * Integrated loudness (EBU R128, LUFS) of the first audio stream of a
 * file; a silent file gives RV_LOUDNESS_SILENT.  Fails, naming the file,
 * when the file cannot be opened, has no audio stream, its audio cannot
 * be decoded at all (a packet that fails to decode here and there is
 * skipped, as the ffmpeg command line does), or changes its sample
 * format, rate or channel layout mid-stream.
 */
int	rv_loudness_measure(const char *path, double *lufs,
	    struct rv_err *err);

/*
 * Gain (dB) that brings lufs to target_lufs, rounded to 0.01 dB and
 * clamped to ±RV_LOUDNESS_GAIN_MAX.  A non-finite lufs gives 0.
 */
double	rv_loudness_gain(double lufs, double target_lufs);

struct rv_loudness_stats {
	int64_t	 measured;	/* loudness and gain stored */
	int64_t	 failed;	/* reported through warn, nothing stored */
	int64_t	 skipped_silent;	/* stored as silent, no gain */
};

/*
 * Measure every ready asset that has an audio stream (audio_codec not
 * NULL) and no loudness yet, with `jobs` threads (0: one per CPU), and
 * store loudness_lufs and gain_db = rv_loudness_gain(loudness, target).
 *
 *   - A silent file is stored as loudness_lufs = RV_LOUDNESS_SILENT with
 *     gain_db NULL: no gain can bring silence to the target, and playing
 *     it at unity is right.  It counts as skipped_silent and is not
 *     measured again.
 *   - A file that cannot be measured (missing, unreadable, undecodable)
 *     is reported through warn (may be NULL), counted as failed and
 *     left without loudness, so the next run tries it again.  Per-file
 *     failures never fail the run.
 *   - An asset without audio is never selected and keeps gain_db NULL.
 *   - Each result is written as soon as it arrives, in its own
 *     transaction, and only if the asset still names the file that was
 *     measured: an interrupted run loses at most the files in flight, and
 *     a re-run measures only what is left.
 *
 * Only the calling thread touches db; the workers open their own libav
 * contexts and hand results back.  `stop` (may be NULL) is polled about
 * ten times a second: once it is non-zero the files in flight are
 * abandoned, what has finished is stored, and the call fails with
 * "interrupted".  Progress is drawn on a terminal (lib/progress).
 * stats (may be NULL) is filled in on success and on failure.  Fails on a
 * database error or when no worker thread can be started.
 */
int	rv_loudness_run(sqlite3 *db, double target_lufs, int jobs,
	    volatile sig_atomic_t *stop, rv_catalog_warn_fn *warn, void *arg,
	    struct rv_loudness_stats *stats, struct rv_err *err);

#endif
