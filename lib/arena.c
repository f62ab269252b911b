#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	alignas(max_align_t) unsigned char data[];
};

struct rv_arena {
	struct chunk	*head;
};

struct rv_arena *
rv_arena_new(void)
{
	return calloc(1, sizeof(struct rv_arena));
}

void
rv_arena_free(struct rv_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *
rv_arena_alloc(struct rv_arena *a, size_t n)
{
	size_t align = alignof(max_align_t), size;
	struct chunk *c = a->head;
	void *p;

	n = (n + align - 1) / align * align;
	if (c == NULL || c->size - c->used < n) {
		size = n > CHUNK ? n : CHUNK;
		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *
rv_arena_strdup(struct rv_arena *a, const char *s)
{
	size_t n;
	char *p;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	p = rv_arena_alloc(a, n);
	if (p != NULL)
		memcpy(p, s, n);
	return p;
}
