/*
 * progress — a one-line progress bar on stderr for long work, shown only
 * when stderr is a terminal (so logs and pipes stay clean).  Safe to call
 * from one thread at a time; redraws at most ten times a second.
 */
#ifndef RV_PROGRESS_H
#define RV_PROGRESS_H

#include <stdint.h>

struct rv_progress {
	const char	*what;		/* "probing", "measuring loudness" */
	int64_t		 total, done;
	int		 tty;
	int64_t		 last_draw_ms;
};

void	rv_progress_start(struct rv_progress *p, const char *what,
	    int64_t total);
void	rv_progress_step(struct rv_progress *p, int64_t n);
/* Clear the line (a summary follows it). */
void	rv_progress_end(struct rv_progress *p);

#endif
