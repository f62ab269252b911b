#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "clock.h"

static void
draw(struct rv_progress *p)
{
	int width = 30, filled;

	filled = p->total > 0 ? (int)(p->done * width / p->total) : 0;
	fprintf(stderr, "\r%s: %s [%.*s%*s] %lld/%lld", rv_progname(), p->what,
	    filled, "##############################", width - filled, "",
	    (long long)p->done, (long long)p->total);
	fflush(stderr);
	p->last_draw_ms = rv_mono_ms();
}

void
rv_progress_start(struct rv_progress *p, const char *what, int64_t total)
{
	p->what = what;
	p->total = total;
	p->done = 0;
	p->tty = isatty(STDERR_FILENO) && rv_log_level() >= RV_NORMAL;
	p->last_draw_ms = 0;
	if (p->tty && total > 0)
		draw(p);
}

void
rv_progress_step(struct rv_progress *p, int64_t n)
{
	p->done += n;
	if (p->tty && (rv_mono_ms() - p->last_draw_ms >= 100 ||
	    p->done == p->total))
		draw(p);
}

void
rv_progress_end(struct rv_progress *p)
{
	if (p->tty && p->total > 0)
		fprintf(stderr, "\r\033[K");
}
