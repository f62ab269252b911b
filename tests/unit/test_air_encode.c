/*
 * Unit tests for lib/air/encode: sessions of generated frames (solid
 * colours changing every 10 frames, a 1 kHz tone) encoded to MPEG-TS, then
 * checked three ways: the bytes the callback received (whole 188-byte
 * packets, PAT repetition, PCR spacing, parsed here), ffprobe's reading of
 * the file those bytes made (every frame at its exact PTS, key frames,
 * audio continuity and length), and the H.264 elementary stream (SPS and
 * PPS before every IDR).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>

#include "air/encode.h"

#define W		320
#define H		240
#define RATE		48000
#define PRIMING		1024		/* AAC encoder delay, samples */
#define PRIMING_90K	1920		/* the same at 90 kHz */
#define MAX_FRAMES	300
#define TONE_HZ		1000.0
#define PCR_HZ		27000000LL

static char dir[] = "/tmp/rvencode.XXXXXX";

/* assert_int_equal prints unsigned hex; timestamps read better signed. */
static void
check_i64(int64_t got, int64_t want, const char *expr, const char *file,
    int line)
{
	if (got == want)
		return;
	print_error("%s is %lld, want %lld\n", expr, (long long)got,
	    (long long)want);
	_fail(file, line);
}

#define assert_i64(got, want) \
	check_i64((got), (want), #got, __FILE__, __LINE__)

/* What the write callback saw. */
struct sink {
	FILE	*f;
	int64_t	 chunks, packets;
	int64_t	 bad_len, bad_sync;	/* chunks not whole packets */
	int64_t	 max_chunk;
	int64_t	 pat, sdt;		/* PID 0 and PID 0x11 packets */
	int	 pcr_pid;		/* -1: none yet; -2: more than one */
	int64_t	 pcr[4096];
	int	 npcr;
	int64_t	 refuse_after;		/* chunks; -1: never refuse */
};

/* One encoded session and ffprobe's reading of it. */
struct run {
	const char	*name;
	struct rv_rate	 rate;
	int		 frames;
	int		 done;
	struct sink	 sink;
	int64_t		 offset, samples, max_pending, pending_after;
	int64_t		 enc_frames, enc_samples;
	/* video */
	int		 nv;
	int64_t		 vpts[MAX_FRAMES + 8], vdts[MAX_FRAMES + 8];
	int		 vkey[MAX_FRAMES + 8];
	char		 vtype[MAX_FRAMES + 8];
	/* audio packets and decoded frames */
	int		 na, nad;
	int64_t		 apts[1024], adpts[1024];
	int		 adsamples[1024];
};

static const int forced[] = { 0, 75, 150 };

static struct run runs[] = {
	{ .name = "ntsc.ts", .rate = { 30000, 1001 }, .frames = 300 },
	{ .name = "pal.ts", .rate = { 25, 1 }, .frames = 250 },
	{ .name = "film.ts", .rate = { 24000, 1001 }, .frames = 60 },
};

enum { NTSC, PAL, FILM };

static int
sink_write(void *arg, const uint8_t *ts, size_t len)
{
	struct sink *s = arg;
	const uint8_t *p;
	size_t off;
	int pid;

	if (s->refuse_after >= 0 && s->chunks >= s->refuse_after)
		return -1;
	s->chunks++;
	if ((int64_t)len > s->max_chunk)
		s->max_chunk = (int64_t)len;
	if (len == 0 || len % RV_ENC_TS_PACKET != 0)
		s->bad_len++;
	if (len == 0 || ts[0] != 0x47)
		s->bad_sync++;
	if (s->f != NULL && fwrite(ts, 1, len, s->f) != len)
		return -1;
	for (off = 0; off + RV_ENC_TS_PACKET <= len;
	    off += RV_ENC_TS_PACKET) {
		p = ts + off;
		s->packets++;
		if (p[0] != 0x47) {
			s->bad_sync++;
			continue;
		}
		pid = (p[1] & 0x1f) << 8 | p[2];
		if (pid == 0)
			s->pat++;
		if (pid == 0x11)
			s->sdt++;
		/* An adaptation field with the PCR flag. */
		if ((p[3] & 0x20) && p[4] >= 7 && (p[5] & 0x10)) {
			int64_t base, ext;

			base = (int64_t)p[6] << 25 | (int64_t)p[7] << 17 |
			    (int64_t)p[8] << 9 | (int64_t)p[9] << 1 |
			    p[10] >> 7;
			ext = (int64_t)(p[10] & 1) << 8 | p[11];
			if (s->pcr_pid == -1)
				s->pcr_pid = pid;
			else if (s->pcr_pid != pid)
				s->pcr_pid = -2;
			if (s->npcr < (int)(sizeof(s->pcr) / sizeof(s->pcr[0])))
				s->pcr[s->npcr++] = base * 300 + ext;
		}
	}
	return 0;
}

/* Frame n: a solid colour that changes every 10 frames. */
static void
paint(AVFrame *f, int64_t n)
{
	int c = (int)(n / 10), y;
	uint8_t luma = (uint8_t)(16 + c * 37 % 220);
	uint8_t cb = (uint8_t)(16 + c * 53 % 224);
	uint8_t cr = (uint8_t)(16 + c * 91 % 224);

	for (y = 0; y < f->height; y++)
		memset(f->data[0] + y * f->linesize[0], luma, f->width);
	for (y = 0; y < f->height / 2; y++) {
		memset(f->data[1] + y * f->linesize[1], cb, f->width / 2);
		memset(f->data[2] + y * f->linesize[2], cr, f->width / 2);
	}
}

/* The tone from sample `from` on, in both channels. */
static void
tone(float *l, float *r, int64_t from, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		l[i] = (float)(0.25 * sin(2.0 * M_PI * TONE_HZ *
		    (double)((from + i) % RATE) / RATE));
		r[i] = l[i];
	}
}

static AVFrame *
new_frame(int w, int h)
{
	AVFrame *f;

	if ((f = av_frame_alloc()) == NULL)
		fail_msg("out of memory");
	f->format = AV_PIX_FMT_YUV420P;
	f->width = w;
	f->height = h;
	if (av_frame_get_buffer(f, 0) < 0)
		fail_msg("av_frame_get_buffer");
	return f;
}

static void
base_config(struct rv_enc_config *c, struct rv_rate rate)
{
	memset(c, 0, sizeof(*c));
	c->width = W;
	c->height = H;
	c->rate = rate;
	c->service_name = "Test Channel";
	c->provider = "RetroVue";
}

/* `key=value` out of an ffprobe compact line ("a=1|key=2|…"). */
static const char *
field(const char *line, const char *key)
{
	size_t n = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == line || p[-1] == '|') && p[n] == '=')
			return p + n + 1;
		p += n;
	}
	fail_msg("no %s in \"%s\"", key, line);
	return NULL;
}

/* The next line with fields; ffprobe puts blank lines between some. */
static int
next_line(char *line, size_t size, FILE *p)
{
	while (fgets(line, (int)size, p) != NULL)
		if (strchr(line, '=') != NULL)
			return 1;
	return 0;
}

static FILE *
probe(const struct run *r, const char *what)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ffprobe -v error %s -of compact=p=0 "
	    "'%s/%s'", what, dir, r->name);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("popen: %s", cmd);
	return p;
}

static void
read_probe(struct run *r)
{
	char line[1024];
	FILE *p;
	int i;

	/* Video packets: pts and dts. */
	p = probe(r, "-select_streams v -show_entries packet=pts,dts");
	r->nv = 0;
	while (next_line(line, sizeof(line), p) && r->nv < MAX_FRAMES + 8) {
		r->vpts[r->nv] = strtoll(field(line, "pts"), NULL, 10);
		r->vdts[r->nv] = strtoll(field(line, "dts"), NULL, 10);
		r->nv++;
	}
	assert_int_equal(pclose(p), 0);
	/* Video frames: decoded, with their key flag and picture type. */
	p = probe(r, "-select_streams v -show_entries "
	    "frame=pts,key_frame,pict_type");
	i = 0;
	while (next_line(line, sizeof(line), p) && i < MAX_FRAMES + 8) {
		if (strtoll(field(line, "pts"), NULL, 10) != r->vpts[i])
			fail_msg("%s: frame %d: pts %s, packet pts %lld",
			    r->name, i, field(line, "pts"),
			    (long long)r->vpts[i]);
		r->vkey[i] = atoi(field(line, "key_frame"));
		r->vtype[i] = field(line, "pict_type")[0];
		i++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(i, r->nv);
	/* Audio packets. */
	p = probe(r, "-select_streams a -show_entries packet=pts");
	r->na = 0;
	while (next_line(line, sizeof(line), p) && r->na < 1024)
		r->apts[r->na++] = strtoll(field(line, "pts"), NULL, 10);
	assert_int_equal(pclose(p), 0);
	/* Audio decoded. */
	p = probe(r, "-select_streams a -show_entries frame=pts,nb_samples");
	r->nad = 0;
	while (next_line(line, sizeof(line), p) && r->nad < 1024) {
		r->adpts[r->nad] = strtoll(field(line, "pts"), NULL, 10);
		r->adsamples[r->nad] = atoi(field(line, "nb_samples"));
		r->nad++;
	}
	assert_int_equal(pclose(p), 0);
}

/* Encode run i (once), with IDRs forced at `forced`, and probe it. */
static struct run *
session(int i)
{
	struct run *r = &runs[i];
	struct rv_enc_config cfg;
	struct rv_enc *e;
	struct rv_err err;
	float l[4096], rt[4096];
	const float *planes[2] = { l, rt };
	char path[512];
	AVFrame *f;
	int64_t n, k;
	size_t j;

	if (r->done)
		return r;
	snprintf(path, sizeof(path), "%s/%s", dir, r->name);
	memset(&r->sink, 0, sizeof(r->sink));
	r->sink.pcr_pid = -1;
	r->sink.refuse_after = -1;
	if ((r->sink.f = fopen(path, "wb")) == NULL)
		fail_msg("%s: cannot create", path);
	base_config(&cfg, r->rate);
	if (rv_enc_open(&cfg, sink_write, &r->sink, &e, &err) != 0)
		fail_msg("rv_enc_open: %s", err.msg);
	r->offset = rv_enc_pts_offset(e);
	f = new_frame(W, H);
	r->samples = 0;
	r->max_pending = 0;
	for (n = 0; n < r->frames; n++) {
		for (j = 0; j < sizeof(forced) / sizeof(forced[0]); j++)
			if (forced[j] == n)
				rv_enc_force_idr(e);
		paint(f, n);
		if (rv_enc_video(e, f, &err) != 0)
			fail_msg("frame %lld: %s", (long long)n, err.msg);
		k = rv_frame_samples(n, r->rate, RATE);
		assert_true(k <= 4096);
		tone(l, rt, r->samples, (int)k);
		if (rv_enc_audio(e, planes, (int)k, &err) != 0)
			fail_msg("audio of frame %lld: %s", (long long)n,
			    err.msg);
		r->samples += k;
		if (rv_enc_pending(e) > r->max_pending)
			r->max_pending = rv_enc_pending(e);
	}
	r->enc_frames = rv_enc_frames(e);
	r->enc_samples = rv_enc_samples(e);
	if (rv_enc_finish(e, &err) != 0)
		fail_msg("rv_enc_finish: %s", err.msg);
	r->pending_after = rv_enc_pending(e);
	rv_enc_free(e);
	av_frame_free(&f);
	assert_int_equal(fclose(r->sink.f), 0);
	r->sink.f = NULL;
	read_probe(r);
	r->done = 1;
	return r;
}

/* Key frames as the encoder must place them: forced IDRs, and the GOP
 * cadence counted from the last IDR. */
static int
expect_key(const struct run *r, int n, int *last)
{
	int64_t gop = (int64_t)RV_ENC_GOP_SECONDS * r->rate.num / r->rate.den;
	size_t j;

	for (j = 0; j < sizeof(forced) / sizeof(forced[0]); j++)
		if (forced[j] == n) {
			*last = n;
			return 1;
		}
	if (n - *last >= gop) {
		*last = n;
		return 1;
	}
	return 0;
}

static void
check_video_timing(int i)
{
	struct run *r = session(i);
	int n;

	assert_int_equal(r->nv, r->frames);
	assert_i64(r->enc_frames, r->frames);
	for (n = 0; n < r->nv; n++) {
		/* Exact, with one constant offset; DTS = PTS. */
		if (r->vpts[n] - rv_frame_pts(n, r->rate) != r->offset)
			fail_msg("%s: frame %d: pts %lld, want %lld + %lld",
			    r->name, n, (long long)r->vpts[n],
			    (long long)rv_frame_pts(n, r->rate),
			    (long long)r->offset);
		assert_i64(r->vdts[n], r->vpts[n]);
		if (n > 0)
			assert_i64(r->vpts[n] - r->vpts[n - 1],
			    rv_frame_pts(n, r->rate) -
			    rv_frame_pts(n - 1, r->rate));
	}
}

static void
video_at_30000_1001_has_every_frame_at_floor_pts_plus_one_offset(
    void **state)
{
	(void)state;
	check_video_timing(NTSC);
	/* 3003 ticks apart; the offset is priming + mux delay. */
	assert_i64(runs[NTSC].vpts[1] - runs[NTSC].vpts[0], 3003);
	assert_i64(runs[NTSC].offset, PRIMING_90K +
	    RV_ENC_MUX_DELAY_MS * 90);
	assert_i64(runs[NTSC].vpts[0], 10920);
}

static void
video_at_25_has_every_frame_at_its_pts_plus_one_offset(void **state)
{
	(void)state;
	check_video_timing(PAL);
	assert_i64(runs[PAL].vpts[1] - runs[PAL].vpts[0], 3600);
	assert_i64(runs[PAL].offset, runs[NTSC].offset);
}

static void
video_at_24000_1001_takes_the_floor_not_a_rounded_duration(void **state)
{
	struct run *r;

	(void)state;
	check_video_timing(FILM);
	r = &runs[FILM];
	/* 3753.75 ticks a frame: 3753, 3754, 3754, 3754, … */
	assert_i64(r->vpts[1] - r->vpts[0], 3753);
	assert_i64(r->vpts[2] - r->vpts[1], 3754);
	assert_i64(r->vpts[59] - r->vpts[0], 221471);	/* floor(59·3753.75) */
}

static void
check_keys(int i)
{
	struct run *r = session(i);
	int n, last = 0, prev = -1, gap, max_gap = 0, keys = 0;
	int64_t gop = (int64_t)RV_ENC_GOP_SECONDS * r->rate.num / r->rate.den;

	for (n = 0; n < r->nv; n++) {
		if (r->vkey[n] != expect_key(r, n, &last))
			fail_msg("%s: frame %d: key_frame %d, want %d", r->name,
			    n, r->vkey[n], !r->vkey[n]);
		/* I only at IDRs, and no B-frames at all. */
		assert_int_equal(r->vtype[n], r->vkey[n] ? 'I' : 'P');
		if (r->vkey[n]) {
			if (prev >= 0 && (gap = n - prev) > max_gap)
				max_gap = gap;
			prev = n;
			keys++;
		}
	}
	assert_true(max_gap <= gop);
	assert_true(r->nv - prev <= gop);
	assert_true(keys >= 3);
}

static void
key_frames_at_forced_idrs_and_every_2_s_counted_from_the_last(
    void **state)
{
	struct run *r;

	(void)state;
	check_keys(NTSC);
	check_keys(PAL);
	/* At 30000/1001 the GOP is 59 frames: 0, 59, 75, 134, 150, 209,
	 * 268. */
	r = &runs[NTSC];
	assert_int_equal(r->vkey[59], 1);
	assert_int_equal(r->vkey[134], 1);
	assert_int_equal(r->vkey[118], 0);
	assert_int_equal(r->vkey[268], 1);
}

/* Annex B NAL units of the elementary stream: before every IDR (the
 * first slice of each), an SPS and a PPS since the previous picture. */
static void
every_idr_carries_sps_and_pps(void **state)
{
	struct run *r;
	char cmd[1024], es[512];
	uint8_t *buf;
	long len, i;
	int sps = 0, pps = 0, idrs = 0, keys = 0, type, n;
	FILE *f;

	(void)state;
	r = session(NTSC);
	snprintf(es, sizeof(es), "%s/ntsc.h264", dir);
	snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -v error -y -i '%s/%s' "
	    "-map 0:v -c copy -f h264 '%s'", dir, r->name, es);
	assert_int_equal(system(cmd), 0);
	if ((f = fopen(es, "rb")) == NULL)
		fail_msg("%s", es);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (i = 0; i + 4 < len; i++) {
		if (buf[i] != 0 || buf[i + 1] != 0 || buf[i + 2] != 1)
			continue;
		type = buf[i + 3] & 0x1f;
		if (type == 7)
			sps = 1;
		else if (type == 8)
			pps = 1;
		else if (type == 5 || type == 1) {
			/* first_mb_in_slice = 0: a picture's first slice. */
			if (buf[i + 4] & 0x80) {
				if (type == 5) {
					idrs++;
					if (!sps || !pps)
						fail_msg("IDR %d without SPS/PPS",
						    idrs);
				}
				sps = pps = 0;
			}
		}
		i += 2;
	}
	free(buf);
	for (n = 0; n < r->nv; n++)
		keys += r->vkey[n];
	assert_int_equal(idrs, keys);
	assert_int_equal(idrs, 7);
}

/*
 * A viewer tuning in: the stream cut at the PAT just before frame 75's
 * first TS packet (an IDR, flagged random-access) decodes from that frame
 * on, every frame at its PTS.
 */
static void
tuning_in_at_a_forced_idr_decodes_from_there(void **state)
{
	struct run *r;
	char path[512], cut[512], cmd[1200], line[256];
	uint8_t *ts;
	long len, pkt, last_pat = -1, at = -1;
	int keys = 0, pid, n;
	FILE *f, *p;

	(void)state;
	r = session(NTSC);
	snprintf(path, sizeof(path), "%s/%s", dir, r->name);
	snprintf(cut, sizeof(cut), "%s/tunein.ts", dir);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	ts = malloc((size_t)len);
	assert_non_null(ts);
	assert_int_equal(fread(ts, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (pkt = 0; pkt + RV_ENC_TS_PACKET <= len; pkt += RV_ENC_TS_PACKET) {
		const uint8_t *b = ts + pkt;

		pid = (b[1] & 0x1f) << 8 | b[2];
		if (pid == 0)
			last_pat = pkt;
		/* Video, payload start, adaptation field with the random
		 * access indicator. */
		if (pid == 0x100 && (b[1] & 0x40) && (b[3] & 0x20) &&
		    b[4] > 0 && (b[5] & 0x40) && ++keys == 3) {
			at = pkt;
			break;
		}
	}
	assert_true(at > 0);
	/* PAT and PMT immediately precede the IDR. */
	assert_true(last_pat >= 0);
	assert_true((at - last_pat) / RV_ENC_TS_PACKET <= 3);
	if ((f = fopen(cut, "wb")) == NULL)
		fail_msg("%s", cut);
	assert_int_equal(fwrite(ts + last_pat, 1, (size_t)(len - last_pat), f),
	    (size_t)(len - last_pat));
	assert_int_equal(fclose(f), 0);
	free(ts);
	snprintf(cmd, sizeof(cmd), "ffprobe -v error -select_streams v "
	    "-show_entries frame=pts,key_frame -of compact=p=0 '%s'", cut);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("popen: %s", cmd);
	n = 75;
	while (next_line(line, sizeof(line), p)) {
		if (n == 75)
			assert_int_equal(atoi(field(line, "key_frame")), 1);
		assert_i64(strtoll(field(line, "pts"), NULL, 10), r->vpts[n]);
		n++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(n, r->frames);
}

static void
check_audio(int i)
{
	struct run *r = session(i);
	int64_t want_samples, decoded = 0, packets;
	int k;

	want_samples = rv_frame_sample_start(r->frames, r->rate, RATE);
	assert_i64(r->samples, want_samples);
	assert_i64(r->enc_samples, want_samples);
	/* One packet per 1024 samples, the last short, plus the one the
	 * encoder's delay holds back. */
	packets = (want_samples + 1023) / 1024 + 1;
	assert_i64(r->na, packets);
	/* The first packet is the priming: sample 0 is at the offset, where
	 * video frame 0 is. */
	assert_i64(r->apts[0] + PRIMING_90K, r->offset);
	assert_i64(r->apts[0] + PRIMING_90K, r->vpts[0]);
	for (k = 1; k < r->na; k++)
		if (r->apts[k] - r->apts[k - 1] != PRIMING_90K)
			fail_msg("%s: audio packet %d: pts %lld after %lld",
			    r->name, k, (long long)r->apts[k],
			    (long long)r->apts[k - 1]);
	/* Decoded: contiguous frames, no gap, no overlap. */
	assert_i64(r->nad, r->na);
	for (k = 0; k < r->nad; k++) {
		decoded += r->adsamples[k];
		if (k > 0)
			assert_i64(r->adpts[k] - r->adpts[k - 1],
			    (int64_t)r->adsamples[k - 1] * 90000 / RATE);
	}
	/* The decoder yields the priming and the last frame's padding:
	 * decoded = submitted + 1024 + (< 1024). */
	assert_true(decoded - PRIMING >= want_samples);
	assert_true(decoded - PRIMING - want_samples < 1024);
	assert_i64(decoded, packets * 1024);
}

static void
audio_is_continuous_and_complete_to_within_the_aac_priming(void **state)
{
	(void)state;
	check_audio(NTSC);
	/* 300 frames at 30000/1001: 480480 samples, 471 packets, 482304
	 * decoded = 480480 + 1024 priming + 800 padding. */
	assert_i64(runs[NTSC].samples, 480480);
	assert_i64(runs[NTSC].na, 471);
	check_audio(PAL);
	assert_i64(runs[PAL].samples, 480000);
	check_audio(FILM);
}

static void
check_chunks(const struct run *r)
{
	assert_i64(r->sink.bad_len, 0);
	assert_i64(r->sink.bad_sync, 0);
	assert_true(r->sink.chunks > 0);
	assert_true(r->sink.max_chunk <= RV_ENC_IO_PACKETS * RV_ENC_TS_PACKET);
}

static void
callback_gets_whole_ts_packets_only(void **state)
{
	(void)state;
	check_chunks(session(NTSC));
	check_chunks(session(PAL));
	check_chunks(session(FILM));
}

static void
pat_pmt_and_sdt_repeat_through_a_10_s_stream(void **state)
{
	int i;

	(void)state;
	/*
	 * 10 s each.  The muxer looks at the clock (the DTS of the PES it
	 * is writing) between TS packets and repeats PAT/PMT once 100 ms
	 * have passed, and before each IDR: 103 times at 30000/1001, 86 at
	 * 25/1, whose PES come 40 ms apart.  The SDT every 500 ms: 20.
	 */
	for (i = NTSC; i <= PAL; i++) {
		struct run *r = session(i);

		assert_true(r->sink.pat > 1);
		assert_true(r->sink.pat >= 80);
		assert_true(r->sink.sdt >= 19);
	}
}

/* PCRs on one PID, increasing, never further apart than max_ticks. */
static int64_t
check_pcr(const struct run *r, int64_t max_ticks)
{
	int64_t gap, max_gap = 0;
	int k;

	assert_int_equal(r->sink.pcr_pid, 0x100);
	assert_true(r->sink.npcr > 1);
	assert_true(r->sink.npcr < 4096);
	/* The first PCR: the first video DTS less the mux delay. */
	assert_i64(r->sink.pcr[0], (r->vdts[0] - RV_ENC_MUX_DELAY_MS * 90) *
	    300);
	for (k = 1; k < r->sink.npcr; k++) {
		gap = r->sink.pcr[k] - r->sink.pcr[k - 1];
		assert_true(gap > 0);
		if (gap > max_gap)
			max_gap = gap;
	}
	if (max_gap > max_ticks)
		fail_msg("%s: PCRs %lld ticks apart (%.2f ms)", r->name,
		    (long long)max_gap, max_gap / 27000.0);
	return max_gap;
}

static void
pcr_interval_is_at_most_40_ms_at_25_frames_and_above(void **state)
{
	int64_t gap;

	(void)state;
	gap = check_pcr(session(NTSC), PCR_HZ * 40 / 1000);
	assert_i64(gap, 3003 * 300);		/* one frame: 33.4 ms */
	gap = check_pcr(session(PAL), PCR_HZ * 40 / 1000);
	assert_i64(gap, 3600 * 300);		/* 40 ms exactly */
	/* Below 25 frames/s a frame is 41.7 ms: PCR-only packets come
	 * between, before audio PES that start 15 ms or more after the
	 * last PCR, so that none is more than 15 + 21.3 ms apart. */
	gap = check_pcr(session(FILM), PCR_HZ * 40 / 1000);
	assert_true(gap <= PCR_HZ * 363 / 10000);
	assert_true(session(FILM)->sink.npcr > 60 * 3 / 2);
}

static void
encoder_latency_is_reported_and_drained_by_finish(void **state)
{
	struct run *r;

	(void)state;
	r = session(NTSC);
	assert_true(r->max_pending > 0);
	assert_true(r->max_pending < 60);
	assert_i64(r->pending_after, 0);
}

/* Open must fail with a message containing `want`. */
static void
open_fails(const struct rv_enc_config *c, const char *want)
{
	struct rv_enc *e = (struct rv_enc *)(uintptr_t)1;
	struct rv_err err;
	struct sink s = { .pcr_pid = -1, .refuse_after = -1 };

	err.msg[0] = '\0';
	assert_int_equal(rv_enc_open(c, sink_write, &s, &e, &err), -1);
	assert_null(e);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	assert_i64(s.chunks, 0);
}

static void
bad_configurations_fail_with_a_clear_message(void **state)
{
	struct rv_rate r = { 30000, 1001 };
	struct rv_enc_config c;

	(void)state;
	base_config(&c, r);
	c.width = 321;
	open_fails(&c, "321x240: 4:2:0 needs an even width and height");
	base_config(&c, r);
	c.height = 0;
	open_fails(&c, "each side must be");
	base_config(&c, r);
	c.preset = "nonsense";
	open_fails(&c, "x264 preset \"nonsense\" unknown");
	base_config(&c, r);
	c.rate.num = 0;
	open_fails(&c, "frame rate 0/1001");
	base_config(&c, r);
	c.sample_rate = 12345;
	open_fails(&c, "AAC has no sample rate of 12345 Hz");
	base_config(&c, r);
	c.channels = 6;
	open_fails(&c, "6 audio channels");
	base_config(&c, r);
	c.video_kbps = -5;
	open_fails(&c, "video bitrate -5 kb/s");
	base_config(&c, r);
	c.gop_seconds = -1;
	open_fails(&c, "GOP of -1 s");
}

static void
a_frame_of_the_wrong_size_is_refused_by_name(void **state)
{
	struct rv_rate r = { 25, 1 };
	struct rv_enc_config c;
	struct rv_enc *e;
	struct rv_err err;
	struct sink s = { .pcr_pid = -1, .refuse_after = -1 };
	AVFrame *f;

	(void)state;
	base_config(&c, r);
	if (rv_enc_open(&c, sink_write, &s, &e, &err) != 0)
		fail_msg("%s", err.msg);
	f = new_frame(640, 480);
	assert_int_equal(rv_enc_video(e, f, &err), -1);
	assert_non_null(strstr(err.msg, "video frame 0 is 640x480 yuv420p; "
	    "the session takes 320x240 yuv420p"));
	assert_i64(rv_enc_frames(e), 0);
	av_frame_free(&f);
	/* Still usable: nothing reached the encoder. */
	f = new_frame(W, H);
	paint(f, 0);
	assert_int_equal(rv_enc_video(e, f, &err), 0);
	assert_int_equal(rv_enc_audio(e, (const float *const[]){ NULL, NULL },
	    -1, &err), -1);
	assert_int_equal(rv_enc_finish(e, &err), 0);
	assert_int_equal(rv_enc_video(e, f, &err), -1);
	assert_non_null(strstr(err.msg, "finished"));
	assert_int_equal(rv_enc_finish(e, &err), -1);
	av_frame_free(&f);
	rv_enc_free(e);
	assert_i64(s.bad_len, 0);
	assert_true(s.packets > 0);
}

static void
a_consumer_that_refuses_ends_the_session_with_a_message(void **state)
{
	struct rv_rate r = { 25, 1 };
	struct rv_enc_config c;
	struct rv_enc *e;
	struct rv_err err;
	struct sink s = { .pcr_pid = -1, .refuse_after = 3 };
	float l[1920], rt[1920];
	const float *planes[2] = { l, rt };
	AVFrame *f;
	int n, rc = 0;

	(void)state;
	base_config(&c, r);
	c.preset = "ultrafast";
	if (rv_enc_open(&c, sink_write, &s, &e, &err) != 0)
		fail_msg("%s", err.msg);
	f = new_frame(W, H);
	tone(l, rt, 0, 1920);
	for (n = 0; n < 100 && rc == 0; n++) {
		paint(f, n);
		if ((rc = rv_enc_video(e, f, &err)) == 0)
			rc = rv_enc_audio(e, planes, 1920, &err);
	}
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "the TS consumer refused the bytes"));
	assert_int_equal(rv_enc_video(e, f, &err), -1);
	assert_non_null(strstr(err.msg, "failed earlier"));
	assert_int_equal(rv_enc_finish(e, &err), -1);
	av_frame_free(&f);
	/* Freed unfinished: no leak, no write. */
	rv_enc_free(e);
	assert_i64(s.chunks, 3);
}

static void
free_without_finish_and_free_null_are_fine(void **state)
{
	struct rv_rate r = { 25, 1 };
	struct rv_enc_config c;
	struct rv_enc *e;
	struct rv_err err;
	struct sink s = { .pcr_pid = -1, .refuse_after = -1 };
	AVFrame *f;
	int n;

	(void)state;
	rv_enc_free(NULL);
	base_config(&c, r);
	if (rv_enc_open(&c, sink_write, &s, &e, &err) != 0)
		fail_msg("%s", err.msg);
	f = new_frame(W, H);
	for (n = 0; n < 5; n++) {
		paint(f, n);
		assert_int_equal(rv_enc_video(e, f, &err), 0);
	}
	av_frame_free(&f);
	rv_enc_free(e);
}

static int
make_dir(void **state)
{
	(void)state;
	av_log_set_level(AV_LOG_QUIET);
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
remove_dir(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    video_at_30000_1001_has_every_frame_at_floor_pts_plus_one_offset),
		cmocka_unit_test(
		    video_at_25_has_every_frame_at_its_pts_plus_one_offset),
		cmocka_unit_test(
		    video_at_24000_1001_takes_the_floor_not_a_rounded_duration),
		cmocka_unit_test(
		    key_frames_at_forced_idrs_and_every_2_s_counted_from_the_last),
		cmocka_unit_test(every_idr_carries_sps_and_pps),
		cmocka_unit_test(tuning_in_at_a_forced_idr_decodes_from_there),
		cmocka_unit_test(
		    audio_is_continuous_and_complete_to_within_the_aac_priming),
		cmocka_unit_test(callback_gets_whole_ts_packets_only),
		cmocka_unit_test(pat_pmt_and_sdt_repeat_through_a_10_s_stream),
		cmocka_unit_test(
		    pcr_interval_is_at_most_40_ms_at_25_frames_and_above),
		cmocka_unit_test(
		    encoder_latency_is_reported_and_drained_by_finish),
		cmocka_unit_test(bad_configurations_fail_with_a_clear_message),
		cmocka_unit_test(a_frame_of_the_wrong_size_is_refused_by_name),
		cmocka_unit_test(
		    a_consumer_that_refuses_ends_the_session_with_a_message),
		cmocka_unit_test(free_without_finish_and_free_null_are_fine),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
