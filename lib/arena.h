/*
 * arena — many small allocations freed at once: the strings and arrays of
 * a read-only snapshot (catalog, compiled schedule) that live and die
 * together.
 */
#ifndef RV_ARENA_H
#define RV_ARENA_H

#include <stddef.h>

struct rv_arena;

struct rv_arena *rv_arena_new(void);
void	rv_arena_free(struct rv_arena *a);
/* Zeroed memory aligned for any type; NULL when out of memory. */
void	*rv_arena_alloc(struct rv_arena *a, size_t n);
/* A copy of s (NULL stays NULL). */
char	*rv_arena_strdup(struct rv_arena *a, const char *s);

#endif
