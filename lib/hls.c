/*
 * hls — the live HLS segmenter (see hls.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "hls.h"
#include "metrics.h"

#define TS		188
#define PTS_BITS	33
#define PTS_MASK	((INT64_C(1) << PTS_BITS) - 1)
#define PTS_HALF	(INT64_C(1) << (PTS_BITS - 1))
#define HZ		90000
#define PSI_HOLD	16		/* table packets held before a cut */
#define PMT_MAX		16
#define JUMP_MAX	(60 * HZ)	/* a PTS step beyond this: a jump */
#define NAME_MAX_LEN	32

struct seg {
	int64_t		 n;
	int64_t		 d90;		/* duration, 90 kHz */
	int64_t		 pdt;		/* UTC ms of its first frame, -1 */
	int		 disc;
};

struct retired {
	int64_t		 n;
	int64_t		 age90;		/* media written since it left */
};

struct rv_hls {
	struct rv_hls_config cfg;
	char		 session[128];
	int64_t		 next;		/* number of the next segment */
	int64_t		 disc_seq;
	int		 ever;		/* the folder has had a segment */
	struct seg	 win[RV_HLS_WINDOW_MAX];
	int		 nwin;
	struct retired	*ret;
	size_t		 nret, capret;

	/* Input. */
	uint8_t		 carry[TS];
	size_t		 ncarry;
	int		 lost;		/* looking for sync */
	int		 pmt[PMT_MAX];
	int		 npmt;
	uint8_t		 psi[PSI_HOLD * TS];
	int		 npsi;

	/* The segment being built. */
	FILE		*fp;
	int		 failed;	/* a write to it failed */
	char		 why[128];
	int		 disc;		/* it carries a discontinuity */
	int		 first;		/* it is a session's first */
	int		 pending_disc;	/* for the next one */
	int		 has_pts;
	int64_t		 first_pts, last_pts, last_delta;

	int		 have_ext;
	int64_t		 ext;		/* unwrapped video PTS */
	int		 have_marker;
	int64_t		 m_pts, m_utc;

	struct rv_hls_stats st;
};

static void
report(struct rv_hls *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
report(struct rv_hls *h, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (h->cfg.report == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	h->cfg.report(h->cfg.report_arg, msg);
}

static void
seg_name(char *buf, size_t n, int64_t num, const char *suffix)
{
	snprintf(buf, n, "%08lld.ts%s", (long long)num, suffix);
}

static void
path(const struct rv_hls *h, char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", h->cfg.dir, name);
}

/* A segment file's number, or -1 if name is not one ("NNNNNNNN.ts",
 * eight or more digits). */
static int64_t
seg_number(const char *name)
{
	size_t i, len = strlen(name);
	int64_t v = 0;

	if (len < 11 || len > 21 || strcmp(name + len - 3, ".ts") != 0)
		return -1;
	for (i = 0; i < len - 3; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

/* Write text to name through name.tmp and a rename. */
static int
replace_file(struct rv_hls *h, const char *name, const char *text,
    struct rv_err *err)
{
	char dst[4200];

	path(h, dst, sizeof(dst), name);
	return rv_file_replace(dst, text, strlen(text), err);
}

/* PTS modulo 2^33 of b relative to a, as a signed step. */
static int64_t
pts_step(int64_t a, int64_t b)
{
	int64_t d = (b - a) & PTS_MASK;

	return d >= PTS_HALF ? d - (INT64_C(1) << PTS_BITS) : d;
}

static int64_t
unwrap(struct rv_hls *h, int64_t pts)
{
	if (!h->have_ext) {
		h->have_ext = 1;
		h->ext = pts;
	} else
		h->ext += pts_step(h->ext, pts);
	return h->ext;
}

static int64_t
pdt_of(const struct rv_hls *h, int64_t pts)
{
	if (!h->have_marker)
		return -1;
	return h->m_utc + rv_floor_div(pts_step(h->m_pts, pts) * 1000, HZ);
}

/* Playlist and state. */

static int
write_playlist(struct rv_hls *h, struct rv_err *err)
{
	char *buf, t[64], name[NAME_MAX_LEN];
	size_t cap = 512 + (size_t)h->nwin * 160, len = 0;
	int i, any_disc = 0, rc;

	if ((buf = malloc(cap)) == NULL)
		return rv_errf(err, "out of memory");
	for (i = 0; i < h->nwin; i++)
		any_disc |= h->win[i].disc;
	len += (size_t)snprintf(buf + len, cap - len,
	    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%d\n"
	    "#EXT-X-MEDIA-SEQUENCE:%lld\n", (2 * h->cfg.target_ms + 999) / 1000,
	    (long long)(h->nwin > 0 ? h->win[0].n : h->next));
	if (h->disc_seq > 0 || any_disc)
		len += (size_t)snprintf(buf + len, cap - len,
		    "#EXT-X-DISCONTINUITY-SEQUENCE:%lld\n",
		    (long long)h->disc_seq);
	for (i = 0; i < h->nwin; i++) {
		const struct seg *s = &h->win[i];
		int64_t ms = (s->d90 + 45) / 90;

		if (s->disc)
			len += (size_t)snprintf(buf + len, cap - len,
			    "#EXT-X-DISCONTINUITY\n");
		if (s->pdt >= 0)
			len += (size_t)snprintf(buf + len, cap - len,
			    "#EXT-X-PROGRAM-DATE-TIME:%s\n",
			    rv_time_format(s->pdt, t, sizeof(t)));
		seg_name(name, sizeof(name), s->n, "");
		len += (size_t)snprintf(buf + len, cap - len,
		    "#EXTINF:%lld.%03lld,\n%s\n", (long long)(ms / 1000),
		    (long long)(ms % 1000), name);
	}
	rc = replace_file(h, RV_HLS_PLAYLIST, buf, err);
	free(buf);
	if (rc == 0)
		h->st.playlist_ms = rv_wall_now();
	return rc;
}

static int
write_state(struct rv_hls *h, struct rv_err *err)
{
	json_t *j, *w, *r;
	char *text;
	size_t i;
	int rc;

	w = json_array();
	r = json_array();
	for (i = 0; i < (size_t)h->nwin; i++)
		json_array_append_new(w, json_pack("{s:I, s:I, s:I, s:b}",
		    "n", (json_int_t)h->win[i].n, "d90",
		    (json_int_t)h->win[i].d90, "pdt", (json_int_t)h->win[i].pdt,
		    "disc", h->win[i].disc));
	for (i = 0; i < h->nret; i++)
		json_array_append_new(r, json_pack("{s:I, s:I}", "n",
		    (json_int_t)h->ret[i].n, "age90",
		    (json_int_t)h->ret[i].age90));
	j = json_pack("{s:i, s:s, s:I, s:I, s:o, s:o}", "version", 1,
	    "session", h->session, "next", (json_int_t)h->next, "disc_seq",
	    (json_int_t)h->disc_seq, "window", w, "retired", r);
	if (j == NULL)
		return rv_errf(err, "out of memory");
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (text == NULL)
		return rv_errf(err, "out of memory");
	rc = replace_file(h, RV_HLS_STATE, text, err);
	free(text);
	return rc;
}

static void
unlink_seg(struct rv_hls *h, int64_t n)
{
	char name[NAME_MAX_LEN], p[4200];

	seg_name(name, sizeof(name), n, "");
	path(h, p, sizeof(p), name);
	if (unlink(p) == 0)
		h->st.deleted++;
}

static int
retire(struct rv_hls *h, int64_t n)
{
	struct retired *r;

	if (h->nret == h->capret) {
		size_t cap = h->capret ? h->capret * 2 : 16;

		if ((r = reallocarray(h->ret, cap, sizeof(*r))) == NULL)
			return -1;
		h->ret = r;
		h->capret = cap;
	}
	h->ret[h->nret].n = n;
	h->ret[h->nret].age90 = 0;
	h->nret++;
	return 0;
}

/* The oldest listed segment leaves the window (its file stays a grace
 * period); a discontinuity leaving counts in DISCONTINUITY-SEQUENCE. */
static int
slide(struct rv_hls *h)
{
	if (retire(h, h->win[0].n) < 0)
		return -1;
	if (h->win[0].disc)
		h->disc_seq++;
	memmove(h->win, h->win + 1, sizeof(h->win[0]) * (size_t)(h->nwin - 1));
	h->nwin--;
	return 0;
}

/* Age the retired files by d90 of new media; delete those past grace. */
static void
age_retired(struct rv_hls *h, int64_t d90)
{
	size_t i, k = 0;

	for (i = 0; i < h->nret; i++) {
		h->ret[i].age90 += d90;
		if (h->ret[i].age90 >= (int64_t)h->cfg.grace_ms * 90)
			unlink_seg(h, h->ret[i].n);
		else
			h->ret[k++] = h->ret[i];
	}
	h->nret = k;
}

/* A finished segment file joins the window. */
static int
publish(struct rv_hls *h, struct seg s, struct rv_err *err)
{
	age_retired(h, s.d90);
	if (h->nwin == h->cfg.window && slide(h) < 0)
		return rv_errf(err, "out of memory");
	h->win[h->nwin++] = s;
	h->next = s.n + 1;
	h->ever = 1;
	h->st.segments++;
	if (h->cfg.grace_ms == 0)
		age_retired(h, 0);
	if (write_state(h, err) < 0 || write_playlist(h, err) < 0)
		return -1;
	return 0;
}

/* Close the segment being built, d90 long. */
static int
finalize(struct rv_hls *h, int64_t d90, struct rv_err *err)
{
	char name[NAME_MAX_LEN], tmp[4210], dst[4200];
	struct seg s;
	int bad;

	if (h->fp == NULL)
		return 0;
	seg_name(name, sizeof(name), h->next, "");
	path(h, dst, sizeof(dst), name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
	bad = h->failed;
	if (fflush(h->fp) != 0 && !bad) {
		bad = 1;
		snprintf(h->why, sizeof(h->why), "%s", strerror(errno));
	}
	if (fclose(h->fp) != 0 && !bad) {
		bad = 1;
		snprintf(h->why, sizeof(h->why), "%s", strerror(errno));
	}
	h->fp = NULL;
	if (!bad && !h->has_pts) {
		bad = 1;
		snprintf(h->why, sizeof(h->why), "no video in it");
	}
	if (!bad && rename(tmp, dst) < 0) {
		bad = 1;
		snprintf(h->why, sizeof(h->why), "%s", strerror(errno));
	}
	if (bad) {
		unlink(tmp);
		h->st.dropped++;
		h->pending_disc = 1;
		report(h, "%s: segment dropped: %s", dst, h->why);
		return 0;
	}
	s.n = h->next;
	s.d90 = d90 < 0 ? 0 : d90;
	s.pdt = pdt_of(h, h->first_pts);
	s.disc = h->disc;
	h->first = 0;
	return publish(h, s, err);
}

static void
seg_write(struct rv_hls *h, const uint8_t *p, size_t n)
{
	char name[NAME_MAX_LEN], tmp[4200];

	if (h->fp == NULL) {
		seg_name(name, sizeof(name), h->next, ".tmp");
		path(h, tmp, sizeof(tmp), name);
		h->failed = 0;
		h->disc = h->pending_disc;
		h->pending_disc = 0;
		if ((h->fp = fopen(tmp, "we")) == NULL) {
			/* Keep a stream to fail on, so that the segment is
			 * reported once, when it would have been done. */
			snprintf(h->why, sizeof(h->why), "%s",
			    strerror(errno));
			h->failed = 1;
			h->fp = fopen("/dev/null", "we");
			if (h->fp == NULL)
				return;
		}
	}
	if (!h->failed && fwrite(p, 1, n, h->fp) != n) {
		h->failed = 1;
		snprintf(h->why, sizeof(h->why), "%s", strerror(errno));
	}
}

static void
flush_psi(struct rv_hls *h)
{
	if (h->npsi > 0)
		seg_write(h, h->psi, (size_t)h->npsi * TS);
	h->npsi = 0;
}

/* The PAT's program map PIDs. */
static void
parse_pat(struct rv_hls *h, const uint8_t *p, int off)
{
	int sec, len, end, i, pid;

	if (off >= TS)
		return;
	sec = off + 1 + p[off];
	if (sec + 8 > TS || p[sec] != 0x00)
		return;
	len = ((p[sec + 1] & 0x0f) << 8) | p[sec + 2];
	end = sec + 3 + len - 4;
	if (end > TS)
		end = TS;
	h->npmt = 0;
	for (i = sec + 8; i + 4 <= end && h->npmt < PMT_MAX; i += 4) {
		pid = ((p[i + 2] & 0x1f) << 8) | p[i + 3];
		if (((p[i] << 8) | p[i + 1]) != 0)
			h->pmt[h->npmt++] = pid;
	}
}

static int
is_psi(const struct rv_hls *h, int pid)
{
	int i;

	if (pid == 0x0000 || pid == 0x0011)
		return 1;
	for (i = 0; i < h->npmt; i++)
		if (h->pmt[i] == pid)
			return 1;
	return 0;
}

/* An H.264 IDR or SPS NAL in the elementary stream bytes of one packet. */
static int
has_key_nal(const uint8_t *p, int from)
{
	int i, t;

	for (i = from; i + 3 < TS; i++)
		if (p[i] == 0 && p[i + 1] == 0 && p[i + 2] == 1) {
			t = p[i + 3] & 0x1f;
			if (t == 5 || t == 7)
				return 1;
		}
	return 0;
}

/* A cut before this packet, which starts a video frame at PTS pts. */
static int
cut(struct rv_hls *h, int64_t pts, int key, struct rv_err *err)
{
	int64_t dur, step, need;

	if (!h->has_pts) {
		h->has_pts = 1;
		h->first_pts = h->last_pts = pts;
		return 0;
	}
	dur = pts - h->first_pts;
	step = pts - h->last_pts;
	need = (int64_t)(h->first ? h->cfg.first_ms : h->cfg.target_ms) *
	    90 * 95 / 100;
	if (step <= 0 || step > JUMP_MAX) {
		report(h, "video PTS jumped by %lld ms: a discontinuity",
		    (long long)(step / 90));
		if (finalize(h, h->last_pts - h->first_pts + h->last_delta,
		    err) < 0)
			return -1;
		h->pending_disc = 1;
		h->first_pts = h->last_pts = pts;
		return 0;
	}
	h->last_delta = step;
	if ((key && dur >= need) || dur >= 2 * (int64_t)h->cfg.target_ms * 90) {
		if (!key) {
			h->st.forced_cuts++;
			report(h, "no keyframe in %lld ms of video: segment "
			    "%08lld cut at a frame that is not one",
			    (long long)(dur / 90), (long long)h->next);
		}
		if (finalize(h, dur, err) < 0)
			return -1;
		h->first_pts = pts;
	}
	h->last_pts = pts;
	return 0;
}

static int
packet(struct rv_hls *h, const uint8_t *p, struct rv_err *err)
{
	int pid = ((p[1] & 0x1f) << 8) | p[2];
	int pusi = (p[1] & 0x40) != 0;
	int afc = (p[3] >> 4) & 3;
	int off = 4, rai = 0, key;
	int64_t pts;

	if (afc & 2) {
		if (p[4] > 0)
			rai = (p[5] & 0x40) != 0;
		off = 5 + p[4];
	}
	if (!(afc & 1) || off >= TS) {
		off = TS;		/* no payload */
	}
	if (pid == 0 && pusi)
		parse_pat(h, p, off);
	if (is_psi(h, pid)) {
		if (h->npsi == PSI_HOLD)
			flush_psi(h);
		memcpy(h->psi + (size_t)h->npsi * TS, p, TS);
		h->npsi++;
		return 0;
	}
	if (pusi && off + 14 <= TS && p[off] == 0 && p[off + 1] == 0 &&
	    p[off + 2] == 1 && (p[off + 3] & 0xf0) == 0xe0 &&
	    (p[off + 7] & 0x80)) {
		pts = ((int64_t)(p[off + 9] & 0x0e) << 29) |
		    ((int64_t)p[off + 10] << 22) |
		    ((int64_t)(p[off + 11] & 0xfe) << 14) |
		    ((int64_t)p[off + 12] << 7) | (p[off + 13] >> 1);
		key = rai || has_key_nal(p, off + 9 + p[off + 8]);
		if (cut(h, unwrap(h, pts), key, err) < 0)
			return -1;
	}
	flush_psi(h);
	seg_write(h, p, TS);
	return 0;
}

/* Sync is lost: skip to the next 0x47 after buf[i]. */
static size_t
resync(struct rv_hls *h, const uint8_t *buf, size_t i, size_t len)
{
	size_t skip;

	if (!h->lost) {
		h->st.resyncs++;
		report(h, "TS sync lost at input byte %lld: skipping to the "
		    "next packet start", (long long)(h->st.bytes -
		    (int64_t)len + (int64_t)i));
		h->lost = 1;
	}
	for (skip = 1; i + skip < len && buf[i + skip] != 0x47; skip++)
		;
	h->st.skipped += (int64_t)skip;
	return i + skip;
}

int
rv_hls_feed(struct rv_hls *h, const uint8_t *buf, size_t len,
    struct rv_err *err)
{
	size_t i = 0, need;

	h->st.bytes += (int64_t)len;
	if (h->ncarry > 0) {
		/* The carry starts with a sync byte (see below). */
		need = TS - h->ncarry;
		if (len < need) {
			memcpy(h->carry + h->ncarry, buf, len);
			h->ncarry += len;
			return 0;
		}
		memcpy(h->carry + h->ncarry, buf, need);
		i = need;
		h->ncarry = 0;
		if (packet(h, h->carry, err) < 0)
			return -1;
	}
	while (i < len) {
		if (buf[i] != 0x47) {
			i = resync(h, buf, i, len);
			continue;
		}
		if (len - i < TS)
			break;
		/* In sync a packet start is trusted; after a loss, only
		 * when the next one starts where it should (or the chunk
		 * ends first). */
		if (h->lost && i + TS < len && buf[i + TS] != 0x47) {
			i = resync(h, buf, i, len);
			continue;
		}
		if (h->lost) {
			report(h, "TS sync found again");
			h->lost = 0;
		}
		if (packet(h, buf + i, err) < 0)
			return -1;
		i += TS;
	}
	memcpy(h->carry, buf + i, len - i);
	h->ncarry = len - i;
	return 0;
}

int
rv_hls_finish(struct rv_hls *h, struct rv_err *err)
{
	if (h->npsi > 0 && h->fp != NULL)
		flush_psi(h);
	h->npsi = 0;
	if (h->ncarry > 0) {
		report(h, "%zu bytes of a partial TS packet at the end of the "
		    "input dropped", h->ncarry);
		h->st.skipped += (int64_t)h->ncarry;
		h->ncarry = 0;
	}
	if (finalize(h, h->last_pts - h->first_pts + h->last_delta, err) < 0)
		return -1;
	h->has_pts = 0;
	return 0;
}

int
rv_hls_session(struct rv_hls *h, const char *session, struct rv_err *err)
{
	if (strcmp(session, h->session) == 0)
		return 0;
	if (h->fp != NULL && finalize(h, h->last_pts - h->first_pts +
	    h->last_delta, err) < 0)
		return -1;
	snprintf(h->session, sizeof(h->session), "%s", session);
	h->has_pts = 0;
	h->have_ext = 0;
	h->have_marker = 0;
	h->last_delta = 0;
	h->first = 1;
	if (h->ever)
		h->pending_disc = 1;
	return write_state(h, err);
}

void
rv_hls_marker(struct rv_hls *h, int64_t pts, int64_t utc_ms)
{
	/* Markers give instants rounded to the millisecond; the session's
	 * first (its start, exact) stays the anchor for an hour of PTS, so
	 * that rounding does not show, and is renewed hourly so that the
	 * distance stays well inside the 33-bit PTS range. */
	if (h->have_marker && pts_step(h->m_pts, pts & PTS_MASK) <
	    INT64_C(3600) * HZ)
		return;
	h->have_marker = 1;
	h->m_pts = pts & PTS_MASK;
	h->m_utc = utc_ms;
}

void
rv_hls_stats(const struct rv_hls *h, struct rv_hls_stats *st)
{
	*st = h->st;
	st->next = h->next;
}

/* Opening: the state file, then the folder's files. */

static void
load_state(struct rv_hls *h)
{
	char p[4200];
	json_t *j, *w, *r, *e;
	json_error_t je;
	json_int_t n, d, pdt, next, ds, age;
	const char *session;
	size_t i;
	int disc;

	path(h, p, sizeof(p), RV_HLS_STATE);
	if ((j = json_load_file(p, 0, &je)) == NULL) {
		if (access(p, F_OK) == 0)
			report(h, "%s:%d: %s (starting a fresh playlist)", p,
			    je.line, je.text);
		return;
	}
	if (json_unpack_ex(j, &je, 0, "{s:s, s:I, s:I, s:o, s:o}",
	    "session", &session, "next", &next, "disc_seq", &ds, "window", &w,
	    "retired", &r) < 0 || !json_is_array(w) || !json_is_array(r) ||
	    next < 0 || ds < 0) {
		report(h, "%s: not a state file this program wrote (%s); "
		    "starting a fresh playlist", p, je.text);
		json_decref(j);
		return;
	}
	snprintf(h->session, sizeof(h->session), "%s", session);
	h->next = next;
	h->disc_seq = ds;
	h->ever = next > 0;
	json_array_foreach(w, i, e) {
		if (json_unpack(e, "{s:I, s:I, s:I, s:b}", "n", &n, "d90", &d,
		    "pdt", &pdt, "disc", &disc) < 0 || n < 0 || n >= next)
			continue;
		/* A smaller --window than last time keeps the newest. */
		if (h->nwin == h->cfg.window && slide(h) < 0)
			break;
		h->win[h->nwin++] = (struct seg){ n, d, pdt, disc };
	}
	json_array_foreach(r, i, e)
		if (json_unpack(e, "{s:I, s:I}", "n", &n, "age90", &age) == 0 &&
		    retire(h, n) == 0)
			h->ret[h->nret - 1].age90 = age;
	json_decref(j);
}

static int
known(const struct rv_hls *h, int64_t n)
{
	size_t i;
	int k;

	for (k = 0; k < h->nwin; k++)
		if (h->win[k].n == n)
			return 1;
	for (i = 0; i < h->nret; i++)
		if (h->ret[i].n == n)
			return 1;
	return 0;
}

/* Remove .tmp leftovers and segments no state names; keep numbers
 * rising past any file there. */
static int
sweep(struct rv_hls *h, struct rv_err *err)
{
	DIR *d = opendir(h->cfg.dir);
	struct dirent *de;
	char p[4200];
	size_t len;
	int64_t n;
	int k;

	if (d == NULL)
		return rv_errf(err, "%s: %s", h->cfg.dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0) {
			path(h, p, sizeof(p), de->d_name);
			unlink(p);
			continue;
		}
		if ((n = seg_number(de->d_name)) < 0)
			continue;
		if (n >= h->next)
			h->next = n + 1;
		if (!known(h, n)) {
			path(h, p, sizeof(p), de->d_name);
			unlink(p);
		}
	}
	closedir(d);
	/* A listed segment whose file is gone leaves the window. */
	for (k = 0; k < h->nwin; k++) {
		char name[NAME_MAX_LEN];

		seg_name(name, sizeof(name), h->win[k].n, "");
		path(h, p, sizeof(p), name);
		if (access(p, F_OK) != 0) {
			memmove(h->win + k, h->win + k + 1,
			    sizeof(h->win[0]) * (size_t)(h->nwin - k - 1));
			h->nwin--;
			k--;
		}
	}
	if (h->next > 0)
		h->ever = 1;
	return 0;
}

/* mkdir -p: the run folder of a channel may not exist yet. */
static int
mkdirs(const char *dir, struct rv_err *err)
{
	char p[4200], *q;

	snprintf(p, sizeof(p), "%s", dir);
	for (q = p + 1; ; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;

		*q = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return rv_errf(err, "%s: %s", p, strerror(errno));
		*q = c;
		if (c == '\0')
			break;
	}
	return 0;
}

int
rv_hls_open(struct rv_hls **out, const struct rv_hls_config *cfg,
    struct rv_err *err)
{
	struct rv_hls *h;

	*out = NULL;
	if (cfg->dir == NULL || cfg->dir[0] == '\0')
		return rv_errf(err, "no folder given");
	if (strlen(cfg->dir) > 4000)
		return rv_errf(err, "%s: folder name too long", cfg->dir);
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return rv_errf(err, "out of memory");
	h->cfg = *cfg;
	if (h->cfg.target_ms <= 0)
		h->cfg.target_ms = 2000;
	if (h->cfg.first_ms <= 0)
		h->cfg.first_ms = h->cfg.target_ms < 1000 ? h->cfg.target_ms :
		    1000;
	if (h->cfg.window <= 0)
		h->cfg.window = 10;
	if (h->cfg.window > RV_HLS_WINDOW_MAX)
		h->cfg.window = RV_HLS_WINDOW_MAX;
	if (h->cfg.grace_ms < 0)
		h->cfg.grace_ms = 30000;
	if (mkdirs(h->cfg.dir, err) < 0) {
		free(h);
		return -1;
	}
	h->first = 1;
	load_state(h);
	if (sweep(h, err) < 0) {
		rv_hls_free(h);
		return -1;
	}
	if (h->cfg.fresh) {
		char p[4200];

		while (h->nwin > 0)
			if (slide(h) < 0) {
				rv_hls_free(h);
				return rv_errf(err, "out of memory");
			}
		path(h, p, sizeof(p), RV_HLS_PLAYLIST);
		if (write_state(h, err) < 0) {
			rv_hls_free(h);
			return -1;
		}
		if (unlink(p) < 0 && errno != ENOENT) {
			rv_errf(err, "%s: %s", p, strerror(errno));
			rv_hls_free(h);
			return -1;
		}
	}
	*out = h;
	return 0;
}

void
rv_hls_free(struct rv_hls *h)
{
	char name[NAME_MAX_LEN], tmp[4200];

	if (h == NULL)
		return;
	if (h->fp != NULL) {
		fclose(h->fp);
		seg_name(name, sizeof(name), h->next, ".tmp");
		path(h, tmp, sizeof(tmp), name);
		unlink(tmp);
	}
	free(h->ret);
	free(h);
}
