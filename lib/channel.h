/*
 * channel — a channel file (rv-dsl(5)) as the compiler sees it: identity,
 * format, filler, traffic policy, pools, templates and the schedule's day
 * layers, each entry with the place in the file it came from.
 *
 * Loading reports every problem of a file in one go (struct rv_diags):
 * errors as FILE:LINE:COL: what is wrong (value), unknown keys as
 * warnings.  The channel owns its YAML document, so locations stay valid
 * for the compiler's own messages.
 */
#ifndef RV_CHANNEL_H
#define RV_CHANNEL_H

#include <stdint.h>

#include <jansson.h>

#include "clock.h"
#include "log.h"
#include "pool.h"
#include "yml.h"

struct rv_diags {
	char	**errors;
	int	  nerrors;
	char	**warnings;
	int	  nwarnings;
};

void	rv_diags_free(struct rv_diags *d);
void	rv_diag_error(struct rv_diags *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	rv_diag_warn(struct rv_diags *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

enum rv_mode { RV_MODE_SEQUENTIAL, RV_MODE_SHUFFLE, RV_MODE_RANDOM };
enum rv_entry_kind {
	RV_ENTRY_BLOCK,		/* episodes from pools over a window */
	RV_ENTRY_MARATHON,	/* movies back to back over a window */
	RV_ENTRY_MOVIE,		/* one movie */
	RV_ENTRY_SLOTS		/* a slot list with episode selectors */
};

struct rv_movie_sel {
	int		*pools;
	int		 npools;
	struct rv_strs	 rating_include, rating_exclude;
	int64_t		 min_duration_ms, max_duration_ms;	/* -1: none */
	int		 cooldown_days;
};

struct rv_slot {
	char		*title;		/* NULL: the asset's */
	char		*program;	/* a named asset, or NULL */
	int		 pool;		/* -1 with program */
	enum rv_mode	 mode;
	const struct yml_node *at;
};

struct rv_entry {
	enum rv_entry_kind kind;
	char		 key[64];	/* "all_day[2]": seeds and messages */
	const struct yml_node *at;
	int		 start_min;	/* local minutes after midnight */
	int		 end_min;	/* -1: none */
	int64_t		 duration_ms;	/* -1: none */
	char		*title;
	int		*pools;		/* blocks */
	int		 npools;
	enum rv_mode	 mode;
	struct rv_movie_sel movie;	/* marathons, movies */
	int		 allow_bleed;
	struct rv_slot	*slots;
	int		 nslots;
};

/* Day layers, in precedence order: a later layer overrides the time it
 * covers in the earlier ones. */
enum { RV_LAYER_ALL_DAY, RV_LAYER_WEEKDAYS, RV_LAYER_WEEKENDS,
	RV_LAYER_MONDAY, RV_NLAYERS = RV_LAYER_MONDAY + 7 };

struct rv_layer {
	struct rv_entry	*entries;	/* sorted by start */
	int		 n;
	int		 present;
};

struct rv_channel_pool {
	char		*name;
	struct rv_match	 match;
	const struct yml_node *at;
};

struct rv_traffic {
	int		 allowed;	/* bit per interstitial kind */
	int64_t		 default_cooldown_ms;
	int64_t		 cooldown_ms[8];	/* per kind; -1: the default */
	int		 max_plays_per_day;	/* 0: unlimited */
};

struct rv_channel {
	char		*file;
	struct yml_doc	*doc;
	char		 sha256[65];	/* of the file's text */
	char		*id;
	int		 number;	/* 0: none given */
	char		*name;
	char		*type;		/* "network" or "movie" */
	char		*timezone;
	char		*logo, *group;
	int		 grid_minutes;
	int		 day_start_min;
	int		 width, height;
	struct rv_rate	 frame_rate;
	int		 sample_rate, audio_channels;
	/* Encoder settings of this channel; NULL / 0: the configuration's
	 * playout defaults. */
	char		*preset;
	int		 video_kbps, audio_kbps;
	char		*filler_path;
	int64_t		 filler_ms;
	char		*filler_title;
	struct rv_traffic traffic;
	json_t		*notes;		/* NULL when none */
	struct rv_channel_pool *pools;
	int		 npools;
	struct rv_layer	 layers[RV_NLAYERS];
};

/* What the configuration supplies: a channel's default zone and day
 * start. */
struct rv_channel_defaults {
	const char	*timezone;
	int		 day_start_min;
};

/* Interstitial kinds, in the order of struct rv_traffic's arrays. */
extern const char *const rv_interstitial_kinds[8];

/* 0 and *out set, or -1 with every problem in d. */
int	rv_channel_load(const char *path, const struct rv_channel_defaults *def,
	    struct rv_channel **out, struct rv_diags *d);
void	rv_channel_free(struct rv_channel *c);
/* 1 when id is a channel id: 1 to 64 of a-z 0-9 _ . : -, not starting
 * with . or -, and not "metrics" (it names a folder in the run folder,
 * beside metrics/, and is passed to programs as an argument). */
int	rv_channel_id_ok(const char *id);
int	rv_channel_pool_index(const struct rv_channel *c, const char *name);

#endif
