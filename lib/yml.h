/*
 * yml — a YAML document as a tree of located nodes.
 *
 * Shared by the configuration and the channel-DSL compiler, which must
 * report every problem as FILE:LINE:COL.  A loaded document owns every node
 * and every file name its nodes point at; nothing in the tree outlives
 * yml_free().  All scalars stay strings: what "30" or "06:00" means is the
 * caller's business, read through the typed readers below.
 *
 * On top of plain YAML: `!include FILE[:key.path]` on a scalar splices in
 * (part of) another file, `&anchor`/`*alias` are expanded into copies, and
 * limits on nodes, nesting and includes keep hostile input from exhausting
 * memory or stack.
 */
#ifndef RV_YML_H
#define RV_YML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define YML_MAX_NODES		1000000	/* nodes created by one load */
#define YML_MAX_DEPTH		64	/* nested sequences and maps */
#define YML_MAX_INCLUDE_DEPTH	8	/* nested !include */
#define YML_MAX_INPUT		(64 * 1024 * 1024) /* bytes read by one load */

enum yml_kind {
	YML_SCALAR,
	YML_SEQ,
	YML_MAP
};

struct yml_pair {
	struct yml_node	*key;		/* always a YML_SCALAR */
	struct yml_node	*value;
};

struct yml_node {
	enum yml_kind	 kind;
	const char	*file;		/* owned by the document */
	int		 line;		/* 1-based */
	int		 col;		/* 1-based */
	char		*tag;		/* "!foo", "tag:yaml.org,2002:str" or NULL */

	/* YML_SCALAR */
	char		*str;		/* NUL-terminated; may hold a \0 escape */
	size_t		 len;
	bool		 quoted;	/* anything but a plain scalar */

	/* YML_SEQ */
	struct yml_node	**items;
	size_t		 nitems;

	/* YML_MAP, in document order, keys unique */
	struct yml_pair	*pairs;
	size_t		 npairs;
};

struct yml_doc;

/*
 * Load one document.  An empty file gives an empty map; a second document
 * in the stream is an error.  Includes are resolved relative to the
 * directory of path (or of name for a buffer).  On failure NULL and err
 * holds "FILE:LINE:COL: what is wrong".
 */
struct yml_doc	*yml_load_file(const char *path, struct rv_err *err);
struct yml_doc	*yml_load_buffer(const char *name, const char *buf, size_t len,
		    struct rv_err *err);
void		 yml_free(struct yml_doc *doc);
const struct yml_node *yml_root(const struct yml_doc *doc);

/* "scalar", "sequence" or "map". */
const char	*yml_kind_name(enum yml_kind kind);

/* The value under key in a map; NULL if absent or if map is not a map. */
const struct yml_node *yml_get(const struct yml_node *map, const char *key);

/* A plain, untagged "", "~" or "null" (any case): YAML's null. */
bool		 yml_is_null(const struct yml_node *node);

/*
 * A node as a message may quote it: a scalar cut to fit size (at most
 * size - 4 bytes and "..."), control characters as '?', "empty" for "";
 * "a map" or "a sequence" otherwise.  Returns buf or a constant string.
 */
const char	*yml_show(const struct yml_node *node, char *buf, size_t size);

/*
 * Format "FILE:LINE:COL: msg" into err (just msg if node is NULL).  Returns
 * -1 like rv_errf().
 */
int		 yml_errf(struct rv_err *err, const struct yml_node *node,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Typed readers.  Each returns 0 and sets *out, or -1 with a located error
 * that quotes the offending value, e.g.
 *   "c.yaml:4:13: expected an integer from 1 to 30 (45)".
 */
int		 yml_str(const struct yml_node *node, const char **out,
		    struct rv_err *err);
int		 yml_int(const struct yml_node *node, int64_t min, int64_t max,
		    int64_t *out, struct rv_err *err);
int		 yml_bool(const struct yml_node *node, bool *out,
		    struct rv_err *err);
/* 0 if node is of kind, else "expected a map, not a sequence". */
int		 yml_expect(const struct yml_node *node, enum yml_kind kind,
		    struct rv_err *err);

/*
 * Check the keys of a map against allowed (NULL-terminated).  yml_check_keys
 * fails on the first unknown key: "FILE:L:C: unknown key 'x'" (plus a
 * suggestion when one allowed key is close).  yml_check_keys_warn reports
 * every unknown key through warn and returns how many there were.
 */
int		 yml_check_keys(const struct yml_node *map,
		    const char *const *allowed, struct rv_err *err);
typedef void	 yml_warn_fn(void *arg, const struct yml_node *key,
		    const char *msg);
int		 yml_check_keys_warn(const struct yml_node *map,
		    const char *const *allowed, yml_warn_fn *warn, void *arg);

#endif
