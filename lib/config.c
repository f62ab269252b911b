/*
 * config — retrovue.yaml.  One table lists every key with its type, range
 * and place in struct rv_config; loading, checking and dumping all walk it,
 * so that a key cannot be read without also being dumped.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "yml.h"

static const struct rv_config_sys builtin_sys = {
	.config_file = "/etc/retrovue/retrovue.yaml",
	.state_dir = "/var/lib/retrovue",
	.run_dir = "/run/retrovue",
	.channels_dir = "/etc/retrovue/channels",
	.zoneinfo = "/usr/share/zoneinfo",
};

static const struct rv_config_sys *sys = &builtin_sys;

void
rv_config_set_sys(const struct rv_config_sys *s)
{
	sys = s != NULL ? s : &builtin_sys;
}

enum ktype {
	K_PATH,		/* absolute after loading */
	K_ZONE,		/* IANA zone name */
	K_HHMM,		/* "HH:MM" stored as minutes */
	K_INT,
	K_PRESET,	/* libx264 preset */
	K_LISTEN,	/* host:port or [v6]:port */
	K_URL,		/* "" or http(s)://... */
	K_DEVICE,	/* "" or 8 hex digits */
	K_NAME,		/* free text without control characters */
	K_LEVEL		/* quiet | normal | info | debug */
};

struct key {
	const char	*section;	/* NULL: top level */
	const char	*name;
	enum ktype	 type;
	int		 min, max;	/* K_INT */
	size_t		 off;
	size_t		 size;		/* strings: buffer size */
};

#define STR(m)	offsetof(struct rv_config, m), \
		sizeof(((struct rv_config *)0)->m)
#define INT(m)	offsetof(struct rv_config, m), sizeof(int)

static const struct key keys[] = {
	{ NULL, "database", K_PATH, 0, 0, STR(database) },
	{ NULL, "run_dir", K_PATH, 0, 0, STR(run_dir) },
	{ NULL, "channels_dir", K_PATH, 0, 0, STR(channels_dir) },
	{ NULL, "timezone", K_ZONE, 0, 0, STR(timezone) },
	{ NULL, "broadcast_day_start", K_HHMM, 0, 0,
	    INT(broadcast_day_start) },
	{ "catalog", "loudness_target_lufs", K_INT, -70, 0,
	    INT(catalog.loudness_target_lufs) },
	{ "catalog", "jobs", K_INT, 0, 64, INT(catalog.jobs) },
	{ "horizon", "epg_days", K_INT, 1, 30, INT(horizon.epg_days) },
	{ "horizon", "exec_hours", K_INT, 1, 168, INT(horizon.exec_hours) },
	{ "horizon", "locked_minutes", K_INT, 0, 1440,
	    INT(horizon.locked_minutes) },
	{ "horizon", "retention_days", K_INT, 1, 365,
	    INT(horizon.retention_days) },
	{ "playout", "preset", K_PRESET, 0, 0, STR(playout.preset) },
	{ "playout", "video_bitrate_kbps", K_INT, 100, 50000,
	    INT(playout.video_bitrate_kbps) },
	{ "playout", "audio_bitrate_kbps", K_INT, 32, 512,
	    INT(playout.audio_bitrate_kbps) },
	{ "playout", "gop_seconds", K_INT, 1, 10, INT(playout.gop_seconds) },
	{ "playout", "feed_ahead_blocks", K_INT, 1, 100,
	    INT(playout.feed_ahead_blocks) },
	{ "playout", "feed_ahead_seconds", K_INT, 1, 3600,
	    INT(playout.feed_ahead_seconds) },
	{ "playout", "consumer_timeout_seconds", K_INT, 1, 600,
	    INT(playout.consumer_timeout_seconds) },
	{ "hls", "target_seconds", K_INT, 1, 10, INT(hls.target_seconds) },
	{ "hls", "window", K_INT, 3, 100, INT(hls.window) },
	{ "hls", "grace_seconds", K_INT, 0, 3600, INT(hls.grace_seconds) },
	{ "serve", "listen", K_LISTEN, 0, 0, STR(serve.listen) },
	{ "serve", "base_url", K_URL, 0, 0, STR(serve.base_url) },
	{ "serve", "linger_seconds", K_INT, 0, 3600,
	    INT(serve.linger_seconds) },
	{ "serve", "max_starting", K_INT, 1, 64, INT(serve.max_starting) },
	{ "serve", "start_timeout_seconds", K_INT, 1, 120,
	    INT(serve.start_timeout_seconds) },
	{ "serve", "tuners", K_INT, 1, 64, INT(serve.tuners) },
	{ "serve", "device_id", K_DEVICE, 0, 0, STR(serve.device_id) },
	{ "serve", "friendly_name", K_NAME, 0, 0, STR(serve.friendly_name) },
	{ "metrics", "interval_seconds", K_INT, 1, 3600,
	    INT(metrics.interval_seconds) },
	{ "log", "level", K_LEVEL, 0, 0, INT(log.level) },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const presets[] = { "ultrafast", "superfast",
    "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow",
    NULL };

static const char *const levels[] = { "quiet", "normal", "info", "debug",
    NULL };

/* Strings */

/* Copy and zero the rest, so that equal configurations compare equal. */
static int
set_str(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return -1;
	memset(dst, 0, size);
	memcpy(dst, src, len);
	return 0;
}

/* base/rel, or rel when it is absolute; "./" prefixes are dropped. */
static int
join_path(char *out, size_t size, const char *base, const char *rel)
{
	char tmp[RV_CONFIG_PATH_MAX];
	int n;

	if (rel[0] == '/' || base == NULL)
		return set_str(out, size, rel);
	while (rel[0] == '.' && rel[1] == '/')
		for (rel += 2; *rel == '/'; rel++)
			;
	if (strcmp(rel, ".") == 0 || *rel == '\0')
		return set_str(out, size, base);
	n = snprintf(tmp, sizeof(tmp), "%s%s%s", base,
	    base[strlen(base) - 1] == '/' ? "" : "/", rel);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	return set_str(out, size, tmp);
}

/* The absolute folder holding path; -1 if it is too long or the cwd is
 * unknown. */
static int
folder_of(const char *path, char *out, size_t size)
{
	char cwd[RV_CONFIG_PATH_MAX], dir[RV_CONFIG_PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (slash == path)
		return set_str(out, size, "/");
	if (slash != NULL) {
		if ((size_t)(slash - path) >= sizeof(dir))
			return -1;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else
		strlcpy(dir, ".", sizeof(dir));
	if (dir[0] == '/')
		return set_str(out, size, dir);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	return join_path(out, size, cwd, dir);
}

/* Defaults */

static bool
writable_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    access(path, W_OK | X_OK) == 0;
}

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* An absolute $name, or NULL: XDG says relative values are ignored. */
static const char *
abs_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] == '/' ? v : NULL;
}

static const char *
home(void)
{
	const char *h = abs_env("HOME");
	struct passwd *pw;

	if (h != NULL)
		return h;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir[0] == '/')
		return pw->pw_dir;
	return NULL;
}

/* /tmp/retrovue-<uid>: the last resort, always at hand. */
static void
tmp_dir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/retrovue-%lu", (unsigned long)getuid());
}

static void
default_database(char *out, size_t size)
{
	const char *data = abs_env("XDG_DATA_HOME"), *h = home();
	char buf[RV_CONFIG_PATH_MAX];
	int n = -1;

	if (writable_dir(sys->state_dir))
		n = snprintf(buf, sizeof(buf), "%s/retrovue.db",
		    sys->state_dir);
	else if (data != NULL)
		n = snprintf(buf, sizeof(buf), "%s/retrovue/retrovue.db", data);
	else if (h != NULL)
		n = snprintf(buf, sizeof(buf),
		    "%s/.local/share/retrovue/retrovue.db", h);
	if (n >= 0 && (size_t)n < sizeof(buf) && set_str(out, size, buf) == 0)
		return;
	/* No home at all: beside the run files. */
	tmp_dir(buf, sizeof(buf));
	snprintf(out, size, "%s/retrovue.db", buf);
}

static void
default_run_dir(char *out, size_t size)
{
	const char *runtime = abs_env("XDG_RUNTIME_DIR");
	char buf[RV_CONFIG_PATH_MAX];
	int n = -1;

	if (writable_dir(sys->run_dir))
		n = snprintf(buf, sizeof(buf), "%s", sys->run_dir);
	else if (runtime != NULL)
		n = snprintf(buf, sizeof(buf), "%s/retrovue", runtime);
	if (n >= 0 && (size_t)n < sizeof(buf) && set_str(out, size, buf) == 0)
		return;
	tmp_dir(buf, sizeof(buf));
	set_str(out, size, buf);
}

/* ./channels is made absolute, like every other path. */
static void
default_channels_dir(char *out, size_t size)
{
	char cwd[RV_CONFIG_PATH_MAX];

	if (is_dir(sys->channels_dir) &&
	    set_str(out, size, sys->channels_dir) == 0)
		return;
	if (getcwd(cwd, sizeof(cwd)) == NULL ||
	    join_path(out, size, cwd, "channels") == -1)
		set_str(out, size, "./channels");
}

void
rv_config_defaults(struct rv_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	default_database(cfg->database, sizeof(cfg->database));
	default_run_dir(cfg->run_dir, sizeof(cfg->run_dir));
	default_channels_dir(cfg->channels_dir, sizeof(cfg->channels_dir));
	set_str(cfg->timezone, sizeof(cfg->timezone), "UTC");
	cfg->broadcast_day_start = 6 * 60;
	cfg->catalog.loudness_target_lufs = -24;
	cfg->catalog.jobs = 0;
	cfg->horizon.epg_days = 3;
	cfg->horizon.exec_hours = 6;
	cfg->horizon.locked_minutes = 120;
	cfg->horizon.retention_days = 2;
	set_str(cfg->playout.preset, sizeof(cfg->playout.preset), "veryfast");
	cfg->playout.video_bitrate_kbps = 3000;
	cfg->playout.audio_bitrate_kbps = 128;
	cfg->playout.gop_seconds = 2;
	cfg->playout.feed_ahead_blocks = 3;
	cfg->playout.feed_ahead_seconds = 20;
	cfg->playout.consumer_timeout_seconds = 10;
	cfg->hls.target_seconds = 2;
	cfg->hls.window = 10;
	cfg->hls.grace_seconds = 30;
	set_str(cfg->serve.listen, sizeof(cfg->serve.listen),
	    "127.0.0.1:8080");
	set_str(cfg->serve.listen_host, sizeof(cfg->serve.listen_host),
	    "127.0.0.1");
	cfg->serve.listen_port = 8080;
	cfg->serve.linger_seconds = 20;
	cfg->serve.max_starting = 2;
	cfg->serve.start_timeout_seconds = 10;
	cfg->serve.tuners = 4;
	set_str(cfg->serve.friendly_name, sizeof(cfg->serve.friendly_name),
	    "RetroVue");
	cfg->metrics.interval_seconds = 5;
	cfg->log.level = RV_NORMAL;
}

/* Values */

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

int
rv_config_preset_ok(const char *s)
{
	return in_list(presets, s);
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* "6:00" or "06:00", 00:00 to 23:59. */
static int
parse_hhmm(const char *s, int *minutes)
{
	int h = 0, m, i = 0;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	for (; i < 2 && isdigit((unsigned char)s[i]); i++)
		h = h * 10 + (s[i] - '0');
	if (s[i] != ':' || !isdigit((unsigned char)s[i + 1]) ||
	    !isdigit((unsigned char)s[i + 2]) || s[i + 3] != '\0')
		return -1;
	m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	if (h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

/* Letters, digits, "._+-" and '/' between components; no "..". */
static bool
zone_name_ok(const char *z)
{
	const char *p;

	if (z[0] == '\0' || z[0] == '/' || strlen(z) >= RV_CONFIG_NAME_MAX)
		return false;
	for (p = z; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("._+-/", *p) == NULL)
			return false;
		/* A component may not start with '.', which rules out "..". */
		if (*p == '.' && (p == z || p[-1] == '/'))
			return false;
		if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
			return false;
	}
	return true;
}

/* A compiled zone file begins with "TZif"; zone.tab and folders do not. */
static bool
zone_file(const char *dir, const char *zone)
{
	char path[RV_CONFIG_PATH_MAX], magic[4];
	int fd, n;
	bool ok;

	if (dir == NULL || dir[0] == '\0')
		return false;
	n = snprintf(path, sizeof(path), "%s/%s", dir, zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return false;
	ok = read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

static bool
zone_exists(const char *zone)
{
	/* UTC needs no tzdata: a minimal container has none. */
	if (strcmp(zone, "UTC") == 0)
		return true;
	return zone_file(getenv("TZDIR"), zone) ||
	    zone_file(sys->zoneinfo, zone);
}

/* libhdhomerun's hdhomerun_discover_validate_device_id(). */
static const uint8_t hdhr_lut[16] = {
	0xa, 0x5, 0xf, 0x6, 0x7, 0xc, 0x1, 0xb,
	0x9, 0x2, 0x8, 0xd, 0x4, 0x3, 0xe, 0x0
};

/* The last digit that makes the seven high digits of id a valid ID. */
static unsigned
hdhr_check_digit(uint32_t id)
{
	return hdhr_lut[(id >> 28) & 0xf] ^ ((id >> 24) & 0xf) ^
	    hdhr_lut[(id >> 20) & 0xf] ^ ((id >> 16) & 0xf) ^
	    hdhr_lut[(id >> 12) & 0xf] ^ ((id >> 8) & 0xf) ^
	    hdhr_lut[(id >> 4) & 0xf];
}

static uint32_t
hdhr_fix(uint32_t id)
{
	uint32_t high = id & ~UINT32_C(0xf);

	return high | hdhr_check_digit(high);
}

/* 0 and the ID in upper case, 1 if it fails the checksum, else -1. */
static int
parse_device_id(const char *s, char out[9], uint32_t *idp)
{
	uint32_t id = 0;
	int i;

	for (i = 0; i < 8; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		id = id << 4 | (uint32_t)(isdigit((unsigned char)s[i]) ?
		    s[i] - '0' : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	if (s[8] != '\0')
		return -1;
	snprintf(out, 9, "%08X", (unsigned)id);
	*idp = id;
	return hdhr_fix(id) == id ? 0 : 1;
}

/* Hostnames and IPv4 addresses; IPv6 lives inside brackets. */
static bool
host_ok(const char *h, size_t len, bool v6)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (isalnum((unsigned char)h[i]) || h[i] == '.' || h[i] == '-')
			continue;
		if (v6 && (h[i] == ':' || h[i] == '%' || h[i] == '_'))
			continue;
		return false;
	}
	return true;
}

static int
parse_listen(const char *s, char *host, size_t size, int *port)
{
	const char *h = s, *colon, *p;
	size_t hlen;
	long n = 0;
	bool v6 = false;

	if (s[0] == '[') {
		if ((colon = strchr(s, ']')) == NULL || colon[1] != ':')
			return -1;
		h = s + 1;
		hlen = (size_t)(colon - h);
		colon++;
		v6 = true;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return -1;
		hlen = (size_t)(colon - s);
		if (memchr(s, ':', hlen) != NULL)
			return -2;
	}
	if (!host_ok(h, hlen, v6) || hlen >= size)
		return -1;
	for (p = colon + 1; isdigit((unsigned char)*p) && n <= 65535; p++)
		n = n * 10 + (*p - '0');
	if (p == colon + 1 || *p != '\0')
		return -1;
	if (n < 1 || n > 65535)
		return -3;
	memset(host, 0, size);
	memcpy(host, h, hlen);
	*port = (int)n;
	return 0;
}

static bool
url_ok(const char *s)
{
	const char *rest;

	if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else
		return false;
	if (*rest == '\0' || *rest == '/')
		return false;
	/* The URL goes verbatim into M3U, JSON and XML. */
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f ||
		    strchr("\"'<>\\`", *s) != NULL)
			return false;
	return true;
}

/* Loading */

struct apply {
	struct rv_config	*cfg;
	const char		*dir;	/* absolute folder of the file */
	struct rv_err		*err;
};

static int
apply_path(struct apply *a, const struct key *k, const struct yml_node *n,
    const char *s)
{
	char v[64];

	if (*s == '\0')
		return yml_errf(a->err, n, "expected a path (empty)");
	if (join_path((char *)a->cfg + k->off, k->size, a->dir, s) == -1)
		return yml_errf(a->err, n, "path longer than %zu bytes (%s)",
		    k->size - 1, yml_show(n, v, sizeof(v)));
	return 0;
}

/* serve.listen, which also sets listen_host and listen_port. */
static int
check_listen(struct apply *a, const struct yml_node *n, const char *s,
    const char *v)
{
	struct rv_config *cfg = a->cfg;

	switch (parse_listen(s, cfg->serve.listen_host,
	    sizeof(cfg->serve.listen_host), &cfg->serve.listen_port)) {
	case 0:
		return 0;
	case -2:
		return yml_errf(a->err, n, "an IPv6 address needs brackets, "
		    "as in [::1]:8080 (%s)", v);
	case -3:
		return yml_errf(a->err, n, "expected a port from 1 to 65535 "
		    "(%s)", v);
	default:
		return yml_errf(a->err, n, "expected host:port or "
		    "[IPv6]:port (%s)", v);
	}
}

/* serve.device_id, into id in upper case. */
static int
check_device(struct apply *a, const struct yml_node *n, const char *s,
    const char *v, char id[9])
{
	uint32_t x;

	switch (parse_device_id(s, id, &x)) {
	case 0:
		return 0;
	case 1:
		return yml_errf(a->err, n, "fails the HDHomeRun checksum, so "
		    "clients would ignore the tuner; %08X would pass (%s)",
		    (unsigned)hdhr_fix(x), v);
	default:
		return yml_errf(a->err, n, "expected 8 hexadecimal digits "
		    "(%s)", v);
	}
}

static int
apply_string(struct apply *a, const struct key *k, const struct yml_node *n)
{
	char *dst = (char *)a->cfg + k->off, buf[64], id[9];
	const char *s, *v;
	size_t len;

	if (yml_str(n, &s, a->err) == -1)
		return -1;
	v = yml_show(n, buf, sizeof(buf));
	switch (k->type) {
	case K_PATH:
		return apply_path(a, k, n, s);
	case K_ZONE:
		if (!zone_name_ok(s))
			return yml_errf(a->err, n, "not a time zone name (%s)",
			    v);
		if (!zone_exists(s))
			return yml_errf(a->err, n, "unknown time zone (%s)", v);
		break;
	case K_PRESET:
		if (!rv_config_preset_ok(s))
			return yml_errf(a->err, n, "%s (%s)", RV_PRESETS_MSG, v);
		break;
	case K_LISTEN:
		if (check_listen(a, n, s, v) == -1)
			return -1;
		break;
	case K_URL:
		if (*s != '\0' && !url_ok(s))
			return yml_errf(a->err, n, "expected an http:// or "
			    "https:// URL (%s)", v);
		break;
	case K_DEVICE:
		if (*s == '\0')
			break;
		if (check_device(a, n, s, v, id) == -1)
			return -1;
		s = id;
		break;
	case K_NAME:
		if (*s == '\0' || has_control(s))
			return yml_errf(a->err, n, "expected a name without "
			    "control characters (%s)", v);
		break;
	default:
		break;
	}
	if (set_str(dst, k->size, s) == -1)
		return yml_errf(a->err, n, "longer than %zu bytes (%s)",
		    k->size - 1, v);
	/* Programs append "/channel/2.m3u8" to it. */
	if (k->type == K_URL)
		while ((len = strlen(dst)) > 0 && dst[len - 1] == '/')
			dst[len - 1] = '\0';
	return 0;
}

/* The int a key of an integer type lives in. */
static int *
int_at(struct rv_config *cfg, const struct key *k)
{
	return (int *)(void *)((char *)cfg + k->off);
}

static int
int_of(const struct rv_config *cfg, const struct key *k)
{
	return *(const int *)(const void *)((const char *)cfg + k->off);
}

static int
apply_key(struct apply *a, const struct key *k, const struct yml_node *n)
{
	const char *s;
	char v[64];
	int64_t x;
	int i;

	switch (k->type) {
	case K_INT:
		if (yml_int(n, k->min, k->max, &x, a->err) == -1)
			return -1;
		*int_at(a->cfg, k) = (int)x;
		return 0;
	case K_HHMM:
		if (n->kind != YML_SCALAR || strlen(n->str) != n->len ||
		    parse_hhmm(n->str, int_at(a->cfg, k)) == -1)
			return yml_errf(a->err, n, "expected a time HH:MM from "
			    "00:00 to 23:59 (%s)", yml_show(n, v, sizeof(v)));
		return 0;
	case K_LEVEL:
		if (yml_str(n, &s, a->err) == -1)
			return -1;
		for (i = 0; levels[i] != NULL; i++)
			if (strcmp(levels[i], s) == 0) {
				*int_at(a->cfg, k) = RV_QUIET + i;
				return 0;
			}
		return yml_errf(a->err, n, "expected quiet, normal, info or "
		    "debug (%s)", yml_show(n, v, sizeof(v)));
	default:
		return apply_string(a, k, n);
	}
}

/* The keys allowed in section, NULL-terminated; at the top level (NULL)
 * the section names are keys too. */
static size_t
allowed_keys(const char *section, const char **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < NKEYS && n + 1 < max; i++) {
		if (section != NULL) {
			if (keys[i].section != NULL &&
			    strcmp(keys[i].section, section) == 0)
				out[n++] = keys[i].name;
			continue;
		}
		if (keys[i].section == NULL) {
			out[n++] = keys[i].name;
			continue;
		}
		for (j = 0; j < n; j++)
			if (strcmp(out[j], keys[i].section) == 0)
				break;
		if (j == n)
			out[n++] = keys[i].section;
	}
	out[n] = NULL;
	return n;
}

/* A section written as "horizon:" with every key commented out is empty. */
static const struct yml_node *
section_node(const struct yml_node *root, const char *section)
{
	const struct yml_node *n;

	if (section == NULL)
		return root;
	n = yml_get(root, section);
	return yml_is_null(n) ? NULL : n;
}

static int
check_shape(const struct yml_node *root, struct rv_err *err)
{
	const char *allowed[32];
	const struct yml_node *sec;
	size_t i;

	if (yml_expect(root, YML_MAP, err) == -1)
		return -1;
	allowed_keys(NULL, allowed, 32);
	if (yml_check_keys(root, allowed, err) == -1)
		return -1;
	for (i = 0; i < NKEYS; i++) {
		if (keys[i].section == NULL ||
		    (i > 0 && keys[i - 1].section != NULL &&
		    strcmp(keys[i - 1].section, keys[i].section) == 0))
			continue;
		if ((sec = section_node(root, keys[i].section)) == NULL)
			continue;
		allowed_keys(keys[i].section, allowed, 32);
		if (yml_check_keys(sec, allowed, err) == -1)
			return -1;
	}
	return 0;
}

static int
check_horizon(const struct rv_config *cfg, const struct yml_node *root,
    struct rv_err *err)
{
	const struct yml_node *h = section_node(root, "horizon"), *at;

	if (cfg->horizon.locked_minutes <= cfg->horizon.exec_hours * 60)
		return 0;
	/* Blame what the file said: one of the two is in it. */
	if ((at = yml_get(h, "locked_minutes")) == NULL)
		at = yml_get(h, "exec_hours");
	return yml_errf(err, at, "horizon.locked_minutes (%d) must not exceed "
	    "horizon.exec_hours * 60 (%d)", cfg->horizon.locked_minutes,
	    cfg->horizon.exec_hours * 60);
}

static int
apply_doc(const char *name, const struct yml_doc *doc, struct rv_config *cfg,
    struct rv_err *err)
{
	const struct yml_node *root = yml_root(doc), *sec, *n;
	struct rv_config next = *cfg;
	char dir[RV_CONFIG_PATH_MAX];
	struct apply a = { &next, dir, err };
	size_t i;

	if (folder_of(name, dir, sizeof(dir)) == -1)
		return rv_errf(err, "%s: cannot find its folder: %s", name,
		    strerror(errno));
	if (check_shape(root, err) == -1)
		return -1;
	for (i = 0; i < NKEYS; i++) {
		if ((sec = section_node(root, keys[i].section)) == NULL)
			continue;
		if (yml_expect(sec, YML_MAP, err) == -1)
			return -1;
		if ((n = yml_get(sec, keys[i].name)) == NULL)
			continue;
		if (apply_key(&a, &keys[i], n) == -1)
			return -1;
	}
	if (check_horizon(&next, root, err) == -1)
		return -1;
	if (set_str(next.source, sizeof(next.source), name) == -1)
		return rv_errf(err, "%s: path too long", name);
	*cfg = next;
	return 0;
}

int
rv_config_load_file(const char *path, struct rv_config *cfg,
    struct rv_err *err)
{
	struct yml_doc *doc;
	int rc;

	if ((doc = yml_load_file(path, err)) == NULL)
		return -1;
	rc = apply_doc(path, doc, cfg, err);
	yml_free(doc);
	return rc;
}

int
rv_config_load_buffer(const char *name, const char *buf, size_t len,
    struct rv_config *cfg, struct rv_err *err)
{
	struct yml_doc *doc;
	int rc;

	if ((doc = yml_load_buffer(name, buf, len, err)) == NULL)
		return -1;
	rc = apply_doc(name, doc, cfg, err);
	yml_free(doc);
	return rc;
}

/* $name, when set, replaces dst; a relative path is from the cwd. */
static int
apply_env(char *dst, size_t size, const char *name)
{
	const char *v = getenv(name);
	char cwd[RV_CONFIG_PATH_MAX];

	if (v == NULL || *v == '\0')
		return 0;
	if (v[0] == '/')
		return set_str(dst, size, v);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	return join_path(dst, size, cwd, v);
}

/* -C, then $RV_CONFIG, must exist; the other two may be missing. */
static const char *
find_file(const char *path)
{
	const char *env = getenv("RV_CONFIG");

	if (path != NULL)
		return path;
	if (env != NULL && *env != '\0')
		return env;
	if (access("retrovue.yaml", F_OK) == 0)
		return "retrovue.yaml";
	if (sys->config_file != NULL && access(sys->config_file, F_OK) == 0)
		return sys->config_file;
	return NULL;
}

int
rv_config_load(const char *path_or_null, struct rv_config *cfg,
    struct rv_err *err)
{
	static const char *const env[] = { "RV_DB", "RV_RUN", "RV_CHANNELS" };
	char *dst[3];
	size_t size[3];
	const char *file;
	int i;

	rv_config_defaults(cfg);
	if ((file = find_file(path_or_null)) != NULL &&
	    rv_config_load_file(file, cfg, err) == -1)
		return -1;
	dst[0] = cfg->database;
	size[0] = sizeof(cfg->database);
	dst[1] = cfg->run_dir;
	size[1] = sizeof(cfg->run_dir);
	dst[2] = cfg->channels_dir;
	size[2] = sizeof(cfg->channels_dir);
	for (i = 0; i < 3; i++)
		if (apply_env(dst[i], size[i], env[i]) == -1)
			return rv_errf(err, "$%s: path too long or current "
			    "folder unknown", env[i]);
	return 0;
}

/* Derived values */

void
rv_config_device_id(const struct rv_config *cfg, char out[9])
{
	const unsigned char *p;
	uint32_t h = UINT32_C(2166136261);

	if (cfg->serve.device_id[0] != '\0') {
		memcpy(out, cfg->serve.device_id, 9);
		return;
	}
	for (p = (const unsigned char *)cfg->database; *p != '\0'; p++) {
		h ^= *p;
		h *= UINT32_C(16777619);
	}
	snprintf(out, 9, "%08X", (unsigned)hdhr_fix(h));
}

void
rv_config_base_url(const struct rv_config *cfg, char *buf, size_t size)
{
	if (cfg->serve.base_url[0] != '\0')
		snprintf(buf, size, "%s", cfg->serve.base_url);
	else
		snprintf(buf, size, "http://%s", cfg->serve.listen);
}

/* Dumping */

/* A YAML double-quoted string: loads back byte for byte. */
static void
put_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void
dump_key(const struct rv_config *cfg, const struct key *k, FILE *fp)
{
	const char *str = (const char *)cfg + k->off;
	char derived[1024];
	int v;

	fprintf(fp, "%s%s: ", k->section ? "  " : "", k->name);
	switch (k->type) {
	case K_INT:
		fprintf(fp, "%d\n", int_of(cfg, k));
		return;
	case K_HHMM:
		v = int_of(cfg, k);
		fprintf(fp, "\"%02d:%02d\"\n", v / 60, v % 60);
		return;
	case K_LEVEL:
		v = int_of(cfg, k);
		fprintf(fp, "%s\n", v >= RV_QUIET && v <= RV_DEBUG ?
		    levels[v - RV_QUIET] : "normal");
		return;
	default:
		put_quoted(fp, str);
		break;
	}
	/* What an empty value stands for, for -v diagnostics. */
	if (k->type == K_DEVICE && *str == '\0') {
		rv_config_device_id(cfg, derived);
		fprintf(fp, "\t# derived: %s", derived);
	} else if (k->type == K_URL && *str == '\0') {
		rv_config_base_url(cfg, derived, sizeof(derived));
		fprintf(fp, "\t# derived: %s", derived);
	}
	fputc('\n', fp);
}

int
rv_config_dump(const struct rv_config *cfg, FILE *fp)
{
	const char *section = NULL;
	size_t i;

	fprintf(fp, "# retrovue.yaml(5): the effective configuration\n");
	fprintf(fp, "# source: %s\n", cfg->source[0] != '\0' ? cfg->source :
	    "none (defaults and environment)");
	for (i = 0; i < NKEYS; i++) {
		if (keys[i].section != NULL && (section == NULL ||
		    strcmp(section, keys[i].section) != 0)) {
			section = keys[i].section;
			fprintf(fp, "%s:\n", section);
		}
		dump_key(cfg, &keys[i], fp);
	}
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}
