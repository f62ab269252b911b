#include "air/fence.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

int64_t
rv_tick_of(int64_t t, int64_t epoch, struct rv_rate r)
{
	/* Before the session began: tick 0 (nothing earlier airs). */
	return t <= epoch ? 0 : rv_fence_frame(t - epoch, r);
}

int
rv_block_ticks(const json_t *plan, int64_t epoch, struct rv_rate r,
    int64_t start_tick, int64_t join_ms, struct rv_block_ticks *out,
    struct rv_err *err)
{
	const json_t *segs = json_object_get(plan, "segments"), *s;
	int64_t start, end, at, dur, in, from, tick, t0;
	size_t i, n = json_array_size(segs);

	memset(out, 0, sizeof(*out));
	if (rv_json_int(plan, "start_ms", &start, err) < 0 ||
	    rv_json_int(plan, "end_ms", &end, err) < 0)
		return -1;
	out->fence_tick = rv_tick_of(end, epoch, r);
	out->start_tick = rv_tick_of(join_ms >= 0 ? join_ms : start, epoch, r);
	if (out->start_tick < start_tick)
		out->start_tick = start_tick;
	if (out->fence_tick < out->start_tick)
		out->fence_tick = out->start_tick;
	out->seams = calloc(n + 1, sizeof(*out->seams));
	if (out->seams == NULL)
		return rv_errf(err, "out of memory");
	for (at = start, i = 0; i < n; i++, at += dur) {
		s = json_array_get(segs, i);
		in = 0;
		if (rv_json_int(s, "dur_ms", &dur, err) < 0 ||
		    rv_json_opt_int(s, "in_ms", &in, err) < 0) {
			rv_block_ticks_free(out);
			return -1;
		}
		tick = rv_tick_of(at, epoch, r);
		if (tick < out->start_tick)
			tick = out->start_tick;
		if (tick >= out->fence_tick ||
		    rv_tick_of(at + dur, epoch, r) <= tick)
			continue;	/* no frame of it airs */
		/* The instant of its first frame, and how far into the
		 * segment that is. */
		t0 = epoch + rv_frame_ms(tick, r);
		from = t0 > at ? t0 - at : 0;
		out->seams[out->n] = (struct rv_seam){ (int)i, tick, 0,
		    in + from, dur - from, at, join_ms >= 0 && at < join_ms };
		if (out->n > 0)
			out->seams[out->n - 1].end_tick = tick;
		out->n++;
	}
	if (out->n > 0)
		out->seams[out->n - 1].end_tick = out->fence_tick;
	return 0;
}

void
rv_block_ticks_free(struct rv_block_ticks *b)
{
	free(b->seams);
	memset(b, 0, sizeof(*b));
}
