/*
 * config — retrovue.yaml, the operator's settings (DESIGN.md §3,
 * retrovue.yaml(5)).
 *
 * Every key has a default, so that no file is needed for a first run.
 * rv_config_load() finds the file (-C, $RV_CONFIG, ./retrovue.yaml,
 * /etc/retrovue/retrovue.yaml), applies it over the defaults and then the
 * environment ($RV_DB, $RV_RUN, $RV_CHANNELS).  struct rv_config is plain
 * data owned by the caller — fixed-size strings and ints, no pointers — so
 * it may be copied and compared.  Every path in it is absolute: relative
 * paths in a file are taken from the file's folder, those in the
 * environment from the current folder.
 */
#ifndef RV_CONFIG_H
#define RV_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "log.h"

#define RV_CONFIG_PATH_MAX	4096
#define RV_CONFIG_NAME_MAX	256

struct rv_config {
	char	source[RV_CONFIG_PATH_MAX];	/* file read; "" if none */

	char	database[RV_CONFIG_PATH_MAX];
	char	run_dir[RV_CONFIG_PATH_MAX];
	char	channels_dir[RV_CONFIG_PATH_MAX];
	char	timezone[RV_CONFIG_NAME_MAX];	/* IANA name */
	int	broadcast_day_start;		/* minutes after local 00:00 */

	struct {
		int	loudness_target_lufs;
		int	jobs;			/* 0: one per CPU */
	} catalog;

	struct {
		int	epg_days;
		int	exec_hours;
		int	locked_minutes;
		int	retention_days;
	} horizon;

	struct {
		char	preset[16];		/* a libx264 preset */
		int	video_bitrate_kbps;
		int	audio_bitrate_kbps;
		int	gop_seconds;
		int	feed_ahead_blocks;
		int	feed_ahead_seconds;
		int	consumer_timeout_seconds;
	} playout;

	struct {
		int	target_seconds;
		int	window;
		int	grace_seconds;
	} hls;

	struct {
		char	listen[RV_CONFIG_NAME_MAX];	/* as written */
		char	listen_host[RV_CONFIG_NAME_MAX]; /* no brackets */
		int	listen_port;
		char	base_url[1024];		/* "": see rv_config_base_url */
		int	linger_seconds;
		int	max_starting;
		int	start_timeout_seconds;
		int	tuners;
		char	device_id[9];		/* "": see rv_config_device_id */
		char	friendly_name[RV_CONFIG_NAME_MAX];
	} serve;

	struct {
		int	interval_seconds;
	} metrics;

	struct {
		int	level;			/* enum rv_level */
	} log;
};

/* Fill cfg with the defaults, which look at the environment ($HOME,
 * $XDG_DATA_HOME, $XDG_RUNTIME_DIR) and at which system folders exist. */
void	rv_config_defaults(struct rv_config *cfg);

/*
 * Defaults, then the file (path_or_null is -C; NULL looks it up), then the
 * environment.  On failure cfg is left unspecified and err says
 * "FILE:LINE:COL: what is wrong (value)".
 */
int	rv_config_load(const char *path_or_null, struct rv_config *cfg,
	    struct rv_err *err);

/* Apply one file (or buffer) over cfg as it stands; cfg is unchanged on
 * failure.  name locates relative paths and names the file in messages. */
int	rv_config_load_file(const char *path, struct rv_config *cfg,
	    struct rv_err *err);
int	rv_config_load_buffer(const char *name, const char *buf, size_t len,
	    struct rv_config *cfg, struct rv_err *err);

/* The effective configuration as a retrovue.yaml that loads back to the
 * same struct.  Returns -1 if writing failed. */
int	rv_config_dump(const struct rv_config *cfg, FILE *fp);

/* serve.device_id, or when it is "" the ID derived from the database path:
 * FNV-1a of the path with the last digit set to pass the HDHomeRun
 * checksum.  out holds 8 upper-case hex digits. */
void	rv_config_device_id(const struct rv_config *cfg, char out[9]);
/* serve.base_url, or when it is "" "http://" + serve.listen. */
void	rv_config_base_url(const struct rv_config *cfg, char *buf,
	    size_t size);

/*
 * The system locations the lookup and the defaults consult.  Tests point
 * them into a temporary folder; NULL restores the built-in ones.
 */
struct rv_config_sys {
	const char	*config_file;	/* /etc/retrovue/retrovue.yaml */
	const char	*state_dir;	/* /var/lib/retrovue */
	const char	*run_dir;	/* /run/retrovue */
	const char	*channels_dir;	/* /etc/retrovue/channels */
	const char	*zoneinfo;	/* /usr/share/zoneinfo */
};
void	rv_config_set_sys(const struct rv_config_sys *sys);

/* A libx264 preset name (for a channel file's format too). */
int	rv_config_preset_ok(const char *s);
#define RV_PRESETS_MSG	"expected a libx264 preset: ultrafast, superfast, " \
	"veryfast, faster, fast, medium, slow, slower or veryslow"

#endif
