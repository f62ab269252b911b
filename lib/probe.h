/*
 * probe — what a media file holds, read with libavformat/libavcodec:
 * container, duration, chapters, the first video and audio streams.
 * Owns the struct rv_probe it fills (free with rv_probe_free).
 */
#ifndef RV_PROBE_H
#define RV_PROBE_H

#include <stdint.h>

#include "log.h"

struct rv_chapter {
	int64_t	 start_ms, end_ms;
	char	*title;			/* NULL when the file has none */
};

struct rv_probe {
	char	 container[64];		/* libavformat's short name */
	int64_t	 duration_ms;		/* as the container reports it */
	int	 nchapters;
	struct rv_chapter *chapters;	/* by start time */

	int	 has_video;
	char	 video_codec[32];
	int	 width, height;
	int64_t	 fps_num, fps_den;	/* 0/0 when unknown */
	char	 field_order[16];	/* progressive, tt, bb, tb, bt, unknown */
	int	 sar_num, sar_den;	/* sample aspect ratio, 1/1 if unset */

	int	 has_audio;
	char	 audio_codec[32];
	int	 audio_channels;
	int	 audio_rate;
};

/* 0 on success; -1 with err naming the file when it cannot be opened or
 * holds no audio or video stream, or no duration. */
int	rv_probe_file(const char *path, struct rv_probe *p, struct rv_err *err);
void	rv_probe_free(struct rv_probe *p);

#endif
