/*
 * yml — YAML documents as located trees, built from libyaml's event API.
 *
 * One load (a top-level file and everything it includes) shares a struct
 * loader: the document that owns the interned file names, the node and byte
 * budgets, and the chain of files being loaded (for cycles).  Each file is
 * parsed by its own struct parse with a stack of open collections and its
 * own anchors, as YAML scopes anchors to a document.
 */
#include "yml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

struct yml_doc {
	struct yml_node	*root;
	char		**names;
	size_t		 nnames;
};

struct loader {
	struct yml_doc	*doc;
	struct rv_err	*err;
	size_t		 nodes;
	size_t		 bytes;
	char		*chain[YML_MAX_INCLUDE_DEPTH + 1];
	int		 nchain;
};

struct anchor {
	char		*name;
	struct yml_node	*node;		/* borrowed from the tree */
	bool		 complete;
};

struct frame {
	struct yml_node	*node;
	struct yml_node	*key;		/* a map's key waiting for its value */
	size_t		 anchor;	/* index + 1 of the node's anchor */
};

struct parse {
	struct loader	*ld;
	const char	*name;		/* interned */
	const char	*buf;
	size_t		 len;
	int		 incdepth;	/* 0 for the file the caller named */
	struct frame	 stack[YML_MAX_DEPTH];
	int		 depth;
	struct anchor	*anchors;	/* in document order */
	size_t		 nanchors;
	size_t		*slots;		/* hash of names: anchor index + 1 */
	size_t		 nslots;
	struct yml_node	*root;
	bool		 seen_doc;
};

static struct yml_node *load_path(struct loader *, const char *,
    const char *, int);

/* Nodes */

static void
node_free(struct yml_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nitems; i++)
		node_free(n->items[i]);
	for (i = 0; i < n->npairs; i++) {
		node_free(n->pairs[i].key);
		node_free(n->pairs[i].value);
	}
	free(n->items);
	free(n->pairs);
	free(n->tag);
	free(n->str);
	free(n);
}

/* Collections nested in n, counting n itself. */
static int
node_height(const struct yml_node *n)
{
	int h, max = 0;
	size_t i;

	if (n == NULL || n->kind == YML_SCALAR)
		return 0;
	for (i = 0; i < n->nitems; i++)
		if ((h = node_height(n->items[i])) > max)
			max = h;
	for (i = 0; i < n->npairs; i++)
		if ((h = node_height(n->pairs[i].value)) > max)
			max = h;
	return max + 1;
}

static int
ploc_errf(struct parse *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
ploc_errf(struct parse *p, int line, int col, const char *fmt, ...)
{
	char msg[RV_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rv_errf(p->ld->err, "%s:%d:%d: %s", p->name, line, col, msg);
}

/* Every node of a load passes here, so the budget bounds the work too. */
static struct yml_node *
node_new(struct parse *p, enum yml_kind kind, const char *file, int line,
    int col)
{
	struct yml_node *n;

	if (p->ld->nodes >= YML_MAX_NODES) {
		ploc_errf(p, line, col, "more than %d nodes in one document",
		    YML_MAX_NODES);
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		ploc_errf(p, line, col, "out of memory");
		return NULL;
	}
	p->ld->nodes++;
	n->kind = kind;
	n->file = file;
	n->line = line;
	n->col = col;
	return n;
}

static char *
dup_bytes(const char *s, size_t len)
{
	char *d;

	if ((d = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* A deep copy that keeps every location; line/col name the alias. */
static struct yml_node *
node_copy(struct parse *p, const struct yml_node *n, int line, int col)
{
	struct yml_node *c;
	size_t i;

	if ((c = node_new(p, n->kind, n->file, line, col)) == NULL)
		return NULL;
	c->line = n->line;
	c->col = n->col;
	c->quoted = n->quoted;
	c->len = n->len;
	if (n->tag != NULL && (c->tag = strdup(n->tag)) == NULL)
		goto nomem;
	if (n->str != NULL && (c->str = dup_bytes(n->str, n->len)) == NULL)
		goto nomem;
	if (n->nitems > 0) {
		c->items = calloc(n->nitems, sizeof(*c->items));
		if (c->items == NULL)
			goto nomem;
		for (i = 0; i < n->nitems; i++, c->nitems++)
			if ((c->items[i] = node_copy(p, n->items[i], line,
			    col)) == NULL)
				goto fail;
	}
	if (n->npairs > 0) {
		c->pairs = calloc(n->npairs, sizeof(*c->pairs));
		if (c->pairs == NULL)
			goto nomem;
		for (i = 0; i < n->npairs; i++) {
			c->pairs[i].key = node_copy(p, n->pairs[i].key, line,
			    col);
			if (c->pairs[i].key != NULL)
				c->pairs[i].value = node_copy(p,
				    n->pairs[i].value, line, col);
			c->npairs++;
			if (c->pairs[i].value == NULL)
				goto fail;
		}
	}
	return c;
nomem:
	ploc_errf(p, line, col, "out of memory");
fail:
	node_free(c);
	return NULL;
}

static bool
same_key(const struct yml_node *a, const struct yml_node *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static bool
key_is(const struct yml_node *k, const char *s, size_t len)
{
	return k->len == len && memcmp(k->str, s, len) == 0;
}

/* Documents and file names */

static const char *
intern(struct yml_doc *doc, const char *name)
{
	char **names;
	size_t i;

	for (i = 0; i < doc->nnames; i++)
		if (strcmp(doc->names[i], name) == 0)
			return doc->names[i];
	names = reallocarray(doc->names, doc->nnames + 1, sizeof(*names));
	if (names == NULL)
		return NULL;
	doc->names = names;
	if ((names[doc->nnames] = strdup(name)) == NULL)
		return NULL;
	return names[doc->nnames++];
}

void
yml_free(struct yml_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	node_free(doc->root);
	for (i = 0; i < doc->nnames; i++)
		free(doc->names[i]);
	free(doc->names);
	free(doc);
}

const struct yml_node *
yml_root(const struct yml_doc *doc)
{
	return doc != NULL ? doc->root : NULL;
}

/* Building the tree */

static void
parse_cleanup(struct parse *p)
{
	size_t i;

	while (p->depth > 0) {
		p->depth--;
		node_free(p->stack[p->depth].key);
		node_free(p->stack[p->depth].node);
	}
	for (i = 0; i < p->nanchors; i++)
		free(p->anchors[i].name);
	free(p->anchors);
	free(p->slots);
	node_free(p->root);
	p->root = NULL;
}

static size_t
hash_name(const char *s)
{
	size_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Point the name's slot at anchor i; a redefinition takes the slot over. */
static void
slot_set(struct parse *p, size_t i)
{
	const char *name = p->anchors[i].name;
	size_t mask = p->nslots - 1, h = hash_name(name) & mask;

	while (p->slots[h] != 0 &&
	    strcmp(p->anchors[p->slots[h] - 1].name, name) != 0)
		h = (h + 1) & mask;
	p->slots[h] = i + 1;
}

/* Room for one more anchor, its hash table kept at most half full. */
static int
grow_anchors(struct parse *p)
{
	struct anchor *a;
	size_t *slots, i, n;

	if ((p->nanchors & (p->nanchors - 1)) == 0) {
		a = reallocarray(p->anchors, p->nanchors ? p->nanchors * 2 : 1,
		    sizeof(*a));
		if (a == NULL)
			return -1;
		p->anchors = a;
	}
	if ((p->nanchors + 1) * 2 <= p->nslots)
		return 0;
	n = p->nslots ? p->nslots * 2 : 16;
	if ((slots = calloc(n, sizeof(*slots))) == NULL)
		return -1;
	free(p->slots);
	p->slots = slots;
	p->nslots = n;
	for (i = 0; i < p->nanchors; i++)
		slot_set(p, i);
	return 0;
}

/* Anchors are hashed: hostile input may define and use very many. */
static int
add_anchor(struct parse *p, const char *name, struct yml_node *n,
    bool complete, size_t *index)
{
	struct anchor *a;

	if (grow_anchors(p) == -1)
		return ploc_errf(p, n->line, n->col, "out of memory");
	a = &p->anchors[p->nanchors];
	if ((a->name = strdup(name)) == NULL)
		return ploc_errf(p, n->line, n->col, "out of memory");
	a->node = n;
	a->complete = complete;
	slot_set(p, p->nanchors);
	if (index != NULL)
		*index = p->nanchors;
	p->nanchors++;
	return 0;
}

/* The most recent definition, as YAML says. */
static struct anchor *
find_anchor(struct parse *p, const char *name)
{
	size_t mask = p->nslots - 1, h;

	if (p->nslots == 0)
		return NULL;
	for (h = hash_name(name) & mask; p->slots[h] != 0; h = (h + 1) & mask)
		if (strcmp(p->anchors[p->slots[h] - 1].name, name) == 0)
			return &p->anchors[p->slots[h] - 1];
	return NULL;
}

static int
append_item(struct yml_node *seq, struct yml_node *n)
{
	struct yml_node **items;

	/* Grow by doubling: sequences of many items must stay linear. */
	if ((seq->nitems & (seq->nitems - 1)) == 0) {
		items = reallocarray(seq->items, seq->nitems ? seq->nitems * 2 :
		    1, sizeof(*items));
		if (items == NULL)
			return -1;
		seq->items = items;
	}
	seq->items[seq->nitems++] = n;
	return 0;
}

static int
append_pair(struct yml_node *map, struct yml_node *k, struct yml_node *v)
{
	struct yml_pair *pairs;

	if ((map->npairs & (map->npairs - 1)) == 0) {
		pairs = reallocarray(map->pairs, map->npairs ? map->npairs * 2 :
		    1, sizeof(*pairs));
		if (pairs == NULL)
			return -1;
		map->pairs = pairs;
	}
	map->pairs[map->npairs].key = k;
	map->pairs[map->npairs].value = v;
	map->npairs++;
	return 0;
}

/* Hand a finished node to its parent (or make it the root); takes n. */
static int
attach(struct parse *p, struct yml_node *n)
{
	struct frame *top;
	enum yml_kind kind;
	int line = n->line, col = n->col;

	if (p->depth == 0) {
		node_free(p->root);
		p->root = n;
		return 0;
	}
	top = &p->stack[p->depth - 1];
	if (top->node->kind == YML_SEQ) {
		if (append_item(top->node, n) == -1)
			goto nomem;
		return 0;
	}
	if (top->key == NULL) {
		if (n->kind != YML_SCALAR) {
			kind = n->kind;
			node_free(n);
			return ploc_errf(p, line, col,
			    "a map key must be a scalar, not a %s",
			    yml_kind_name(kind));
		}
		top->key = n;
		return 0;
	}
	if (append_pair(top->node, top->key, n) == -1)
		goto nomem;
	top->key = NULL;
	return 0;
nomem:
	node_free(n);
	return ploc_errf(p, line, col, "out of memory");
}

struct keyref {
	const struct yml_node	*key;
	size_t			 index;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
	int c;

	if ((c = memcmp(x->key->str, y->key->str, n)) != 0)
		return c;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Sorting keeps a map of many keys from costing n^2 comparisons; among all
 * repeated keys the one repeated earliest in the document is reported.
 */
static int
check_duplicates(struct parse *p, const struct yml_node *map)
{
	const struct yml_node *first = NULL, *dup = NULL;
	struct keyref *refs;
	size_t i, j, n = map->npairs, best = SIZE_MAX;
	char v[64];

	if (n < 2)
		return 0;
	if ((refs = calloc(n, sizeof(*refs))) == NULL)
		return ploc_errf(p, map->line, map->col, "out of memory");
	for (i = 0; i < n; i++) {
		refs[i].key = map->pairs[i].key;
		refs[i].index = i;
	}
	qsort(refs, n, sizeof(*refs), keyref_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && same_key(refs[i].key, refs[j].key);
		    j++)
			;
		/* Within a run the second is the first repetition. */
		if (j - i >= 2 && refs[i + 1].index < best) {
			best = refs[i + 1].index;
			dup = refs[i + 1].key;
			first = refs[i].key;
		}
	}
	free(refs);
	if (dup == NULL)
		return 0;
	if (first->file != dup->file)
		return yml_errf(p->ld->err, dup,
		    "duplicate key '%s' (first at %s:%d:%d)",
		    yml_show(dup, v, sizeof(v)), first->file, first->line,
		    first->col);
	return yml_errf(p->ld->err, dup, "duplicate key '%s' (first at %d:%d)",
	    yml_show(dup, v, sizeof(v)), first->line, first->col);
}

/* Includes */

/*
 * Split "dir/file.yaml:key.path" at the first ':' after the last '/', so
 * that a directory name may hold a colon.
 */
static int
split_include(struct parse *p, const struct yml_node *s, char **file,
    const char **keys)
{
	const char *slash, *colon;
	char v[64];

	if (s->len == 0 || strlen(s->str) != s->len)
		return yml_errf(p->ld->err, s,
		    "!include needs FILE or FILE:key.path");
	slash = strrchr(s->str, '/');
	colon = strchr(slash != NULL ? slash : s->str, ':');
	*keys = colon != NULL ? colon + 1 : NULL;
	if (colon == s->str || (colon != NULL && colon[1] == '\0'))
		return yml_errf(p->ld->err, s,
		    "!include needs FILE or FILE:key.path (%s)",
		    yml_show(s, v, sizeof(v)));
	*file = dup_bytes(s->str, colon != NULL ? (size_t)(colon - s->str) :
	    s->len);
	if (*file == NULL)
		return yml_errf(p->ld->err, s, "out of memory");
	return 0;
}

/* FILE relative to the directory of the including file. */
static char *
include_path(const char *including, const char *file)
{
	const char *slash;
	char *path;
	int dirlen;

	slash = strrchr(including, '/');
	if (file[0] == '/' || slash == NULL)
		return strdup(file);
	dirlen = (int)(slash - including);
	if (asprintf(&path, "%.*s/%s", dirlen, including, file) == -1)
		return NULL;
	return path;
}

/* Follow key.path down from *root; returns the slot holding the target. */
static struct yml_node **
descend(struct parse *p, const struct yml_node *s, struct yml_node **root,
    const char *keys, const char *file)
{
	struct yml_node **slot = root, *cur;
	const char *comp = keys, *dot;
	size_t len, i;
	char *end, v[64];
	unsigned long idx;

	while (comp != NULL) {
		dot = strchr(comp, '.');
		len = dot != NULL ? (size_t)(dot - comp) : strlen(comp);
		cur = *slot;
		slot = NULL;
		if (cur != NULL && cur->kind == YML_MAP) {
			for (i = 0; i < cur->npairs; i++)
				if (len > 0 && key_is(cur->pairs[i].key, comp,
				    len)) {
					slot = &cur->pairs[i].value;
					break;
				}
		} else if (cur != NULL && cur->kind == YML_SEQ && len > 0 &&
		    comp[0] >= '0' && comp[0] <= '9') {
			errno = 0;
			idx = strtoul(comp, &end, 10);
			if (errno == 0 && end == comp + len &&
			    idx < cur->nitems)
				slot = &cur->items[idx];
		}
		if (slot == NULL) {
			yml_errf(p->ld->err, s, "cannot include '%s': %s has "
			    "no key '%.*s'", yml_show(s, v, sizeof(v)), file,
			    (int)(comp + len - keys), keys);
			return NULL;
		}
		comp = dot != NULL ? dot + 1 : NULL;
	}
	return slot;
}

/* The error came from an included file: say where it was included. */
static void
included_from(struct rv_err *err, const struct yml_node *s)
{
	char inner[RV_ERR_MAX];

	if (err == NULL)
		return;
	memcpy(inner, err->msg, sizeof(inner));
	rv_errf(err, "%.900s (included from %s:%d:%d)", inner, s->file,
	    s->line, s->col);
}

/* Replace the !include scalar s by what it names; takes s. */
static struct yml_node *
include(struct parse *p, struct yml_node *s)
{
	struct loader *ld = p->ld;
	struct yml_node *root = NULL, *target = NULL, **slot;
	char *file = NULL, *path = NULL, *real = NULL;
	const char *keys = NULL;
	char v[64];
	int i;

	if (split_include(p, s, &file, &keys) == -1)
		goto out;
	if (p->incdepth >= YML_MAX_INCLUDE_DEPTH) {
		yml_errf(ld->err, s, "includes nested deeper than %d (%s)",
		    YML_MAX_INCLUDE_DEPTH, yml_show(s, v, sizeof(v)));
		goto out;
	}
	if ((path = include_path(p->name, file)) == NULL) {
		yml_errf(ld->err, s, "out of memory");
		goto out;
	}
	if ((real = realpath(path, NULL)) == NULL) {
		yml_errf(ld->err, s, "cannot include '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < ld->nchain; i++)
		if (strcmp(ld->chain[i], real) == 0) {
			yml_errf(ld->err, s, "include cycle: %s is already "
			    "being loaded", path);
			goto out;
		}
	if ((root = load_path(ld, path, real, p->incdepth + 1)) == NULL) {
		included_from(ld->err, s);
		goto out;
	}
	if ((slot = descend(p, s, &root, keys, path)) == NULL)
		goto out;
	if (p->depth + node_height(*slot) > YML_MAX_DEPTH) {
		yml_errf(ld->err, s, "nesting deeper than %d levels",
		    YML_MAX_DEPTH);
		goto out;
	}
	target = *slot;
	*slot = NULL;
out:
	node_free(root);
	node_free(s);
	free(file);
	free(path);
	free(real);
	return target;
}

/* Events */

static const char *
tag_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.tag;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.tag;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.tag;
	default:
		return NULL;
	}
}

static const char *
anchor_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

static struct yml_node *
event_node(struct parse *p, const yaml_event_t *ev, enum yml_kind kind)
{
	struct yml_node *n;
	const char *tag = tag_of(ev);

	n = node_new(p, kind, p->name, (int)ev->start_mark.line + 1,
	    (int)ev->start_mark.column + 1);
	if (n == NULL)
		return NULL;
	if (tag != NULL && (n->tag = strdup(tag)) == NULL) {
		ploc_errf(p, n->line, n->col, "out of memory");
		node_free(n);
		return NULL;
	}
	return n;
}

static bool
is_include(const struct yml_node *n)
{
	return n->tag != NULL && strcmp(n->tag, "!include") == 0;
}

static int
on_scalar(struct parse *p, const yaml_event_t *ev)
{
	struct yml_node *n;
	const char *anchor = anchor_of(ev);

	if ((n = event_node(p, ev, YML_SCALAR)) == NULL)
		return -1;
	n->len = ev->data.scalar.length;
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	n->str = dup_bytes((const char *)ev->data.scalar.value, n->len);
	if (n->str == NULL) {
		ploc_errf(p, n->line, n->col, "out of memory");
		node_free(n);
		return -1;
	}
	if (is_include(n) && (n = include(p, n)) == NULL)
		return -1;
	if (anchor != NULL && add_anchor(p, anchor, n, true, NULL) == -1) {
		node_free(n);
		return -1;
	}
	return attach(p, n);
}

static int
on_alias(struct parse *p, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;
	struct anchor *a;
	struct yml_node *n;

	if ((a = find_anchor(p, name)) == NULL)
		return ploc_errf(p, line, col, "undefined alias '*%s'", name);
	if (!a->complete)
		return ploc_errf(p, line, col,
		    "alias '*%s' refers to a node that contains it", name);
	if (p->depth + node_height(a->node) > YML_MAX_DEPTH)
		return ploc_errf(p, line, col, "nesting deeper than %d levels",
		    YML_MAX_DEPTH);
	if ((n = node_copy(p, a->node, line, col)) == NULL)
		return -1;
	return attach(p, n);
}

static int
on_start(struct parse *p, const yaml_event_t *ev, enum yml_kind kind)
{
	struct frame *f;
	struct yml_node *n;
	const char *anchor = anchor_of(ev);

	if (p->depth == YML_MAX_DEPTH)
		return ploc_errf(p, (int)ev->start_mark.line + 1,
		    (int)ev->start_mark.column + 1,
		    "nesting deeper than %d levels", YML_MAX_DEPTH);
	if ((n = event_node(p, ev, kind)) == NULL)
		return -1;
	if (is_include(n)) {
		yml_errf(p->ld->err, n, "!include takes a scalar "
		    "FILE[:key.path], not a %s", yml_kind_name(kind));
		node_free(n);
		return -1;
	}
	f = &p->stack[p->depth++];
	f->node = n;
	f->key = NULL;
	f->anchor = 0;
	if (anchor == NULL)
		return 0;
	if (add_anchor(p, anchor, n, false, &f->anchor) == -1)
		return -1;
	f->anchor++;
	return 0;
}

static int
on_end(struct parse *p)
{
	struct yml_node *n;

	p->depth--;
	n = p->stack[p->depth].node;
	/* libyaml always pairs keys with values; this is only a safeguard. */
	node_free(p->stack[p->depth].key);
	if (n->kind == YML_MAP && check_duplicates(p, n) == -1) {
		node_free(n);
		return -1;
	}
	if (p->stack[p->depth].anchor != 0)
		p->anchors[p->stack[p->depth].anchor - 1].complete = true;
	return attach(p, n);
}

static int
on_event(struct parse *p, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (p->seen_doc)
			return ploc_errf(p, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "a second document is not allowed in one file");
		p->seen_doc = true;
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(p, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(p, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(p, ev, YML_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(p, ev, YML_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(p);
	case YAML_STREAM_END_EVENT:
		*done = true;
		return 0;
	default:
		return 0;
	}
}

/* Reader errors carry a byte offset, not a line and column. */
static void
offset_location(const char *buf, size_t len, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

static int
syntax_error(struct parse *p, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? parser->problem : "error";
	int line, col;

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return rv_errf(p->ld->err, "%s: out of memory", p->name);
	case YAML_READER_ERROR:
		offset_location(p->buf, p->len, parser->problem_offset, &line,
		    &col);
		if (parser->problem_value != -1)
			return ploc_errf(p, line, col, "%s (#%X)", problem,
			    (unsigned)parser->problem_value);
		return ploc_errf(p, line, col, "%s", problem);
	default:
		line = (int)parser->problem_mark.line + 1;
		col = (int)parser->problem_mark.column + 1;
		if (parser->context != NULL)
			return ploc_errf(p, line, col, "%s (%s at %d:%d)",
			    problem, parser->context,
			    (int)parser->context_mark.line + 1,
			    (int)parser->context_mark.column + 1);
		return ploc_errf(p, line, col, "%s", problem);
	}
}

/* An empty file, or one holding only comments, reads as an empty map. */
static int
empty_to_map(struct parse *p)
{
	struct yml_node *r = p->root;

	if (r != NULL && (r->kind != YML_SCALAR || r->tag != NULL ||
	    r->quoted || r->len != 0))
		return 0;
	p->root = node_new(p, YML_MAP, p->name, r ? r->line : 1,
	    r ? r->col : 1);
	node_free(r);
	return p->root != NULL ? 0 : -1;
}

static struct yml_node *
parse_buffer(struct loader *ld, const char *name, const char *buf,
    size_t len, int incdepth)
{
	struct parse p;
	yaml_parser_t parser;
	yaml_event_t ev;
	struct yml_node *root;
	bool done = false;
	int rc;

	memset(&p, 0, sizeof(p));
	p.ld = ld;
	p.buf = buf;
	p.len = len;
	p.incdepth = incdepth;
	if ((p.name = intern(ld->doc, name)) == NULL) {
		rv_errf(ld->err, "%s: out of memory", name);
		return NULL;
	}
	if (!yaml_parser_initialize(&parser)) {
		rv_errf(ld->err, "%s: out of memory", name);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_error(&p, &parser);
			goto fail;
		}
		rc = on_event(&p, &ev, &done);
		yaml_event_delete(&ev);
		if (rc == -1)
			goto fail;
	}
	yaml_parser_delete(&parser);
	if (empty_to_map(&p) == -1) {
		parse_cleanup(&p);
		return NULL;
	}
	root = p.root;
	p.root = NULL;
	parse_cleanup(&p);
	return root;
fail:
	yaml_parser_delete(&parser);
	parse_cleanup(&p);
	return NULL;
}

/* Loading files */

static int
read_file(struct loader *ld, const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0, room = YML_MAX_INPUT - ld->bytes;
	char *buf = NULL, *nbuf;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return rv_errf(ld->err, "cannot read %s: %s", path,
		    strerror(errno));
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((nbuf = realloc(buf, cap + 1)) == NULL) {
				rv_errf(ld->err, "%s: out of memory", path);
				goto fail;
			}
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			rv_errf(ld->err, "cannot read %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > room) {
			rv_errf(ld->err, "%s: more than %d MiB of YAML in one "
			    "load", path, YML_MAX_INPUT / (1024 * 1024));
			goto fail;
		}
	}
	close(fd);
	ld->bytes += len;
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

/* Load path (shown in messages) whose real path is real. */
static struct yml_node *
load_path(struct loader *ld, const char *path, const char *real,
    int incdepth)
{
	struct yml_node *root;
	char *buf = NULL;
	size_t len = 0;

	if (read_file(ld, path, &buf, &len) == -1)
		return NULL;
	if ((ld->chain[ld->nchain] = strdup(real)) == NULL) {
		free(buf);
		rv_errf(ld->err, "%s: out of memory", path);
		return NULL;
	}
	ld->nchain++;
	root = parse_buffer(ld, path, buf, len, incdepth);
	free(ld->chain[--ld->nchain]);
	free(buf);
	return root;
}

static struct yml_doc *
load(const char *name, const char *buf, size_t len, bool is_file,
    struct rv_err *err)
{
	struct loader ld;
	char *real;

	memset(&ld, 0, sizeof(ld));
	ld.err = err;
	if ((ld.doc = calloc(1, sizeof(*ld.doc))) == NULL) {
		rv_errf(err, "%s: out of memory", name);
		return NULL;
	}
	real = realpath(name, NULL);
	if (is_file && real == NULL) {
		rv_errf(err, "cannot read %s: %s", name, strerror(errno));
		yml_free(ld.doc);
		return NULL;
	}
	if (is_file)
		ld.doc->root = load_path(&ld, name, real, 0);
	else {
		/* A buffer named after a real file still closes a cycle. */
		if (real != NULL)
			ld.chain[ld.nchain++] = real;
		ld.doc->root = parse_buffer(&ld, name, buf, len, 0);
		if (real != NULL)
			ld.nchain--;
	}
	free(real);
	if (ld.doc->root == NULL) {
		yml_free(ld.doc);
		return NULL;
	}
	return ld.doc;
}

struct yml_doc *
yml_load_file(const char *path, struct rv_err *err)
{
	return load(path, NULL, 0, true, err);
}

struct yml_doc *
yml_load_buffer(const char *name, const char *buf, size_t len,
    struct rv_err *err)
{
	return load(name, buf, len, false, err);
}

/* Accessors */

const char *
yml_kind_name(enum yml_kind kind)
{
	switch (kind) {
	case YML_SCALAR:
		return "scalar";
	case YML_SEQ:
		return "sequence";
	case YML_MAP:
		return "map";
	}
	return "node";
}

const struct yml_node *
yml_get(const struct yml_node *map, const char *key)
{
	size_t i, len;

	if (map == NULL || map->kind != YML_MAP || key == NULL)
		return NULL;
	len = strlen(key);
	for (i = 0; i < map->npairs; i++)
		if (key_is(map->pairs[i].key, key, len))
			return map->pairs[i].value;
	return NULL;
}

bool
yml_is_null(const struct yml_node *n)
{
	if (n == NULL || n->kind != YML_SCALAR || n->quoted || n->tag != NULL)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcasecmp(n->str, "null") == 0;
}

int
yml_errf(struct rv_err *err, const struct yml_node *n, const char *fmt, ...)
{
	char msg[RV_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n == NULL)
		return rv_errf(err, "%s", msg);
	return rv_errf(err, "%s:%d:%d: %s", n->file, n->line, n->col, msg);
}

const char *
yml_show(const struct yml_node *n, char *buf, size_t size)
{
	size_t i, len, max;

	if (n == NULL)
		return "missing";
	if (n->kind != YML_SCALAR)
		return n->kind == YML_MAP ? "a map" : "a sequence";
	if (size < 8)
		return "...";
	len = n->len;
	max = size - 4;
	if (len == 0)
		return "empty";
	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)n->str[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)n->str[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (len < n->len)
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

int
yml_expect(const struct yml_node *n, enum yml_kind kind, struct rv_err *err)
{
	char v[64];

	if (n == NULL)
		return rv_errf(err, "expected a %s", yml_kind_name(kind));
	if (n->kind == kind)
		return 0;
	if (n->kind == YML_SCALAR)
		return yml_errf(err, n, "expected a %s, not a scalar (%s)",
		    yml_kind_name(kind), yml_show(n, v, sizeof(v)));
	return yml_errf(err, n, "expected a %s, not a %s", yml_kind_name(kind),
	    yml_kind_name(n->kind));
}

int
yml_str(const struct yml_node *n, const char **out, struct rv_err *err)
{
	if (n == NULL || n->kind != YML_SCALAR)
		return yml_errf(err, n, "expected a string, not a %s",
		    n ? yml_kind_name(n->kind) : "missing value");
	if (strlen(n->str) != n->len)
		return yml_errf(err, n, "string holds a NUL character");
	*out = n->str;
	return 0;
}

int
yml_int(const struct yml_node *n, int64_t min, int64_t max, int64_t *out,
    struct rv_err *err)
{
	const char *s;
	char *end, v[64];
	long long x;

	if (n == NULL || n->kind != YML_SCALAR)
		return yml_errf(err, n, "expected an integer from %lld to "
		    "%lld, not a %s", (long long)min, (long long)max,
		    n ? yml_kind_name(n->kind) : "missing value");
	s = n->str;
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		goto bad;
	errno = 0;
	x = strtoll(n->str, &end, 10);
	if (errno != 0 || end != n->str + n->len || x < min || x > max)
		goto bad;
	*out = x;
	return 0;
bad:
	return yml_errf(err, n, "expected an integer from %lld to %lld (%s)",
	    (long long)min, (long long)max, yml_show(n, v, sizeof(v)));
}

int
yml_bool(const struct yml_node *n, bool *out, struct rv_err *err)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	char v[64];
	size_t i;

	if (n == NULL || n->kind != YML_SCALAR)
		return yml_errf(err, n, "expected true or false, not a %s",
		    n ? yml_kind_name(n->kind) : "missing value");
	for (i = 0; i < 3; i++) {
		if (strcasecmp(n->str, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(n->str, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return yml_errf(err, n, "expected true or false (%s)",
	    yml_show(n, v, sizeof(v)));
}

/* Checking keys */

static bool
allowed_key(const char *const *allowed, const struct yml_node *k)
{
	for (; *allowed != NULL; allowed++)
		if (key_is(k, *allowed, strlen(*allowed)))
			return true;
	return false;
}

/* Edit distance, for "did you mean"; long keys are never close. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, up;
	size_t row[64];

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			cur = prev + (a[i - 1] != b[j - 1]);
			if (up + 1 < cur)
				cur = up + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			prev = up;
		}
	}
	return row[lb];
}

static void
unknown_key(struct rv_err *err, const struct yml_node *k,
    const char *const *allowed)
{
	const char *best = NULL;
	size_t d, bestd = SIZE_MAX;
	char v[64];

	for (; *allowed != NULL; allowed++)
		if ((d = distance(k->str, *allowed)) < bestd) {
			bestd = d;
			best = *allowed;
		}
	if (best != NULL && bestd <= 2 && bestd < k->len)
		yml_errf(err, k, "unknown key '%s' (did you mean '%s'?)",
		    yml_show(k, v, sizeof(v)), best);
	else
		yml_errf(err, k, "unknown key '%s'",
		    yml_show(k, v, sizeof(v)));
}

int
yml_check_keys(const struct yml_node *map, const char *const *allowed,
    struct rv_err *err)
{
	size_t i;

	if (yml_expect(map, YML_MAP, err) == -1)
		return -1;
	for (i = 0; i < map->npairs; i++)
		if (!allowed_key(allowed, map->pairs[i].key)) {
			unknown_key(err, map->pairs[i].key, allowed);
			return -1;
		}
	return 0;
}

int
yml_check_keys_warn(const struct yml_node *map, const char *const *allowed,
    yml_warn_fn *warn, void *arg)
{
	struct rv_err msg;
	size_t i;
	int n = 0;

	if (map == NULL || map->kind != YML_MAP)
		return 0;
	for (i = 0; i < map->npairs; i++)
		if (!allowed_key(allowed, map->pairs[i].key)) {
			unknown_key(&msg, map->pairs[i].key, allowed);
			if (warn != NULL)
				warn(arg, map->pairs[i].key, msg.msg);
			n++;
		}
	return n;
}
