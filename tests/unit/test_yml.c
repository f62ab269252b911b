/* Unit tests for lib/yml: located YAML trees, includes, anchors, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "yml.h"

/*
 * The real channel files; the test copies them into its temporary folder.
 * When the reference folder is not there (a tarball build), the copies
 * below, byte for byte the same, stand in.
 */
/* The 13 real channel files, kept in the tree (tests/channels). */
static const char *
reference_dir(void)
{
	static char dir[4096];
	const char *top = getenv("RV_TOP");

	snprintf(dir, sizeof(dir), "%s/tests/channels", top ? top : ".");
	return dir;
}
#define REFERENCE_DIR	reference_dir()

static const char defaults_yaml[] =
    "filler:\n"
    "  path: /opt/retrovue/assets/filler.mp4\n"
    "  duration_ms: 3650000\n"
    "\n"
    "format:\n"
    "  video: { width: 968, height: 720, frame_rate: \"30000/1001\" }\n"
    "  audio: { sample_rate: 48000, channels: 2 }\n"
    "  grid_minutes: 30\n"
    "\n"
    "traffic:\n"
    "  allowed_types: [commercial, promo, station_id, psa, stinger, bumper, "
    "filler]\n"
    "  default_cooldown_seconds: 3600\n"
    "  type_cooldowns:\n"
    "    commercial: 3600\n"
    "    promo: 1800\n"
    "  max_plays_per_day: 0    # 0 = unlimited\n";

static const char cheers_yaml[] =
    "channel: cheers-24-7\n"
    "channel_number: 2\n"
    "name: \"Cheers 24/7\"\n"
    "channel_type: network\n"
    "timezone: America/New_York\n"
    "\n"
    "format:\n"
    "  video: { width: 968, height: 720, frame_rate: \"30000/1001\" }\n"
    "  audio: { sample_rate: 48000, channels: 2 }\n"
    "  grid_minutes: 30\n"
    "\n"
    "filler: !include _defaults.yaml:filler\n";

static char dir[256];

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_yml.XXXXXX", tmp ? tmp : "/tmp");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/name, in a static buffer that the next call reuses. */
static const char *
at(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
copy_reference(const char *name, const char *fallback)
{
	char src[4200], buf[8192];
	FILE *f;
	size_t n;

	snprintf(src, sizeof(src), "%s/%s", REFERENCE_DIR, name);
	if ((f = fopen(src, "r")) == NULL) {
		put(name, fallback);
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	put(name, buf);
}

static struct yml_doc *
parse(const char *text, struct rv_err *err)
{
	return yml_load_buffer(at("t.yaml"), text, strlen(text), err);
}

/* The error message with the temporary folder cut off its file names. */
static const char *
msg(const struct rv_err *err)
{
	static char out[RV_ERR_MAX];
	const char *s = err->msg, *hit;
	size_t dlen = strlen(dir), o = 0;

	while ((hit = strstr(s, dir)) != NULL && o < sizeof(out) - 1) {
		while (s < hit && o < sizeof(out) - 1)
			out[o++] = *s++;
		s += dlen + 1;
	}
	while (*s != '\0' && o < sizeof(out) - 1)
		out[o++] = *s++;
	out[o] = '\0';
	return out;
}

static const char *
base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void
nested_nodes_carry_file_line_and_column(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *root, *a, *b, *item;

	(void)state;
	doc = parse("top: 1\n"
	    "a:\n"
	    "  b:\n"
	    "    - x\n"
	    "    - { k: v }\n", &err);
	assert_non_null(doc);
	root = yml_root(doc);
	assert_int_equal(root->kind, YML_MAP);
	assert_int_equal(root->npairs, 2);
	assert_string_equal(base(root->file), "t.yaml");
	a = yml_get(root, "a");
	assert_non_null(a);
	assert_int_equal(a->kind, YML_MAP);
	assert_int_equal(a->line, 3);
	assert_int_equal(a->col, 3);
	assert_int_equal(a->pairs[0].key->line, 3);
	assert_int_equal(a->pairs[0].key->col, 3);
	b = yml_get(a, "b");
	assert_int_equal(b->kind, YML_SEQ);
	assert_int_equal(b->nitems, 2);
	item = b->items[0];
	assert_string_equal(item->str, "x");
	assert_int_equal(item->line, 4);
	assert_int_equal(item->col, 7);
	item = yml_get(b->items[1], "k");
	assert_string_equal(item->str, "v");
	assert_int_equal(item->line, 5);
	assert_int_equal(item->col, 12);
	assert_int_equal(root->pairs[0].value->line, 1);
	assert_int_equal(root->pairs[0].value->col, 6);
	yml_free(doc);
}

static void
map_keeps_document_order(void **state)
{
	struct rv_err err;
	struct yml_doc *doc = parse("z: 1\na: 2\nm: 3\n", &err);
	const struct yml_node *root = yml_root(doc);

	(void)state;
	assert_string_equal(root->pairs[0].key->str, "z");
	assert_string_equal(root->pairs[1].key->str, "a");
	assert_string_equal(root->pairs[2].key->str, "m");
	assert_null(yml_get(root, "absent"));
	assert_null(yml_get(root->pairs[0].value, "z"));
	yml_free(doc);
}

static void
plain_and_quoted_scalars_are_told_apart(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r;

	(void)state;
	doc = parse("plain: 06:00\n"
	    "single: '06:00'\n"
	    "double: \"06:00\"\n"
	    "block: |\n"
	    "  text\n"
	    "folded: >\n"
	    "  text\n"
	    "empty:\n", &err);
	assert_non_null(doc);
	r = yml_root(doc);
	assert_false(yml_get(r, "plain")->quoted);
	assert_string_equal(yml_get(r, "plain")->str, "06:00");
	assert_true(yml_get(r, "single")->quoted);
	assert_string_equal(yml_get(r, "single")->str, "06:00");
	assert_true(yml_get(r, "double")->quoted);
	assert_true(yml_get(r, "block")->quoted);
	assert_string_equal(yml_get(r, "block")->str, "text\n");
	assert_true(yml_get(r, "folded")->quoted);
	assert_true(yml_is_null(yml_get(r, "empty")));
	assert_false(yml_is_null(yml_get(r, "single")));
	yml_free(doc);
}

static void
unknown_tag_is_kept_for_the_caller(void **state)
{
	struct rv_err err;
	struct yml_doc *doc = parse("a: !duration 90m\nb: plain\n", &err);
	const struct yml_node *r = yml_root(doc);

	(void)state;
	assert_non_null(doc);
	assert_string_equal(yml_get(r, "a")->tag, "!duration");
	assert_string_equal(yml_get(r, "a")->str, "90m");
	assert_null(yml_get(r, "b")->tag);
	yml_free(doc);
}

static void
empty_document_is_an_empty_map(void **state)
{
	static const char *const texts[] = { "", "# only a comment\n", "---\n",
	    "--- # comment\n...\n" };
	struct rv_err err;
	struct yml_doc *doc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		doc = parse(texts[i], &err);
		assert_non_null(doc);
		assert_int_equal(yml_root(doc)->kind, YML_MAP);
		assert_int_equal(yml_root(doc)->npairs, 0);
		yml_free(doc);
	}
}

static void
second_document_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("a: 1\n---\nb: 2\n", &err));
	assert_string_equal(msg(&err),
	    "t.yaml:2:1: a second document is not allowed in one file");
}

static void
duplicate_key_is_error_with_both_locations(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("a: 1\n"
	    "b:\n"
	    "  x: 1\n"
	    "  y: 2\n"
	    "  x: 3\n", &err));
	assert_string_equal(msg(&err),
	    "t.yaml:5:3: duplicate key 'x' (first at 3:3)");
	assert_null(parse("{ a: 1, b: 2, b: 3, a: 4 }", &err));
	assert_string_equal(msg(&err),
	    "t.yaml:1:15: duplicate key 'b' (first at 1:9)");
}

static void
duplicate_key_in_a_large_map_is_found(void **state)
{
	struct rv_err err;
	char *text, *p;
	int i;

	(void)state;
	text = malloc(5000 * 16);
	assert_non_null(text);
	for (p = text, i = 0; i < 5000; i++)
		p += sprintf(p, "k%d: %d\n", i, i);
	strcpy(p, "k4321: again\n");
	assert_null(parse(text, &err));
	assert_string_equal(msg(&err),
	    "t.yaml:5001:1: duplicate key 'k4321' (first at 4322:1)");
	free(text);
}

static void
syntax_error_names_problem_location(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("a: 1\nb: [1, 2\nc: 3\n", &err));
	assert_non_null(strstr(msg(&err), "t.yaml:3:2: "));
	assert_null(parse("a: 1\n  b: 2\n", &err));
	assert_string_equal(msg(&err), "t.yaml:2:4: mapping values are not "
	    "allowed in this context");
	assert_null(parse("a: 1\nb: \"\xff\"\n", &err));
	assert_string_equal(msg(&err),
	    "t.yaml:2:5: invalid leading UTF-8 octet (#FF)");
}

static void
non_scalar_map_key_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("ok: 1\n? [a, b]\n: v\n", &err));
	assert_string_equal(msg(&err),
	    "t.yaml:2:3: a map key must be a scalar, not a sequence");
}

static void
missing_file_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(yml_load_file(at("nope.yaml"), &err));
	assert_string_equal(msg(&err),
	    "cannot read nope.yaml: No such file or directory");
}

static void
real_include_resolves_with_included_file_location(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r, *filler, *path;

	(void)state;
	copy_reference("_defaults.yaml", defaults_yaml);
	copy_reference("cheers-24-7.yaml", cheers_yaml);
	doc = yml_load_file(at("cheers-24-7.yaml"), &err);
	assert_non_null(doc);
	r = yml_root(doc);
	assert_string_equal(yml_get(r, "channel")->str, "cheers-24-7");
	assert_string_equal(base(yml_get(r, "channel")->file),
	    "cheers-24-7.yaml");
	filler = yml_get(r, "filler");
	assert_non_null(filler);
	assert_int_equal(filler->kind, YML_MAP);
	assert_null(filler->tag);
	path = yml_get(filler, "path");
	assert_string_equal(path->str, "/opt/retrovue/assets/filler.mp4");
	assert_string_equal(path->file, at("_defaults.yaml"));
	assert_int_equal(path->line, 2);
	assert_int_equal(path->col, 9);
	assert_string_equal(yml_get(filler, "duration_ms")->str, "3650000");
	yml_free(doc);
}

/* DESIGN.md §3: the 13 channel files are real and must all work. */
static void
every_reference_channel_file_loads(void **state)
{
	static const char *const names[] = { "babylon-5-tv", "cheers-24-7",
	    "chicago-dispatch", "galactica-command", "hbo-classics",
	    "late-night-legal", "nightmare-theater", "retro-prime",
	    "saturday-supercade", "showtime-cinema", "soap-opera",
	    "the-precinct", "trek-tv" };
	struct rv_err err;
	struct yml_doc *doc;
	char path[4200];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/_defaults.yaml", REFERENCE_DIR);
	if (access(path, R_OK) == -1)
		fail_msg("%s: not found (run with RV_TOP set to the source "
		    "tree)", path);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.yaml", REFERENCE_DIR,
		    names[i]);
		doc = yml_load_file(path, &err);
		if (doc == NULL)
			fail_msg("%s", err.msg);
		assert_int_equal(yml_get(yml_root(doc), "filler")->kind,
		    YML_MAP);
		yml_free(doc);
	}
}

static void
include_of_whole_file_and_of_sequence_item(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r, *n;

	(void)state;
	put("sub/part.yaml", "list: [a, b, c]\nname: part\n");
	put("main.yaml", "whole: !include sub/part.yaml\n"
	    "second: !include sub/part.yaml:list.1\n");
	doc = yml_load_file(at("main.yaml"), &err);
	if (doc == NULL)
		fail_msg("%s", err.msg);
	r = yml_root(doc);
	n = yml_get(yml_get(r, "whole"), "name");
	assert_string_equal(n->str, "part");
	assert_string_equal(n->file, at("sub/part.yaml"));
	assert_int_equal(n->line, 2);
	n = yml_get(r, "second");
	assert_string_equal(n->str, "b");
	assert_int_equal(n->line, 1);
	assert_int_equal(n->col, 11);
	yml_free(doc);
}

static int
mkdir_sub(void **state)
{
	char path[4200];

	if (setup(state) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/sub", dir);
	return mkdir(path, 0700);
}

static void
include_paths_are_relative_to_the_including_file(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;

	(void)state;
	put("sub/a.yaml", "v: !include b.yaml:x\n");
	put("sub/b.yaml", "x: from-sub\n");
	put("b.yaml", "x: from-top\n");
	put("main.yaml", "a: !include sub/a.yaml:v\n");
	doc = yml_load_file(at("main.yaml"), &err);
	if (doc == NULL)
		fail_msg("%s", err.msg);
	assert_string_equal(yml_get(yml_root(doc), "a")->str, "from-sub");
	yml_free(doc);
}

static void
missing_include_file_is_error_at_the_include(void **state)
{
	struct rv_err err;

	(void)state;
	put("main.yaml", "a: 1\nfiller: !include nope.yaml:filler\n");
	assert_null(yml_load_file(at("main.yaml"), &err));
	assert_string_equal(msg(&err), "main.yaml:2:9: cannot include "
	    "'nope.yaml': No such file or directory");
}

static void
missing_key_path_is_error_naming_the_key(void **state)
{
	struct rv_err err;

	(void)state;
	put("d.yaml", "filler:\n  path: x\n");
	put("main.yaml", "f: !include d.yaml:filler.nope.deeper\n");
	assert_null(yml_load_file(at("main.yaml"), &err));
	assert_string_equal(msg(&err), "main.yaml:1:4: cannot include "
	    "'d.yaml:filler.nope.deeper': d.yaml has no key 'filler.nope'");
	put("main.yaml", "f: !include \"d.yaml:\"\n");
	assert_null(yml_load_file(at("main.yaml"), &err));
	assert_string_equal(msg(&err), "main.yaml:1:4: !include needs FILE "
	    "or FILE:key.path (d.yaml:)");
}

static void
include_cycle_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	put("a.yaml", "x: !include b.yaml\n");
	put("b.yaml", "y: !include a.yaml:x\n");
	assert_null(yml_load_file(at("a.yaml"), &err));
	assert_string_equal(msg(&err), "b.yaml:1:4: include cycle: a.yaml is "
	    "already being loaded (included from a.yaml:1:4)");
	put("self.yaml", "x: !include self.yaml\n");
	assert_null(yml_load_file(at("self.yaml"), &err));
	assert_string_equal(msg(&err), "self.yaml:1:4: include cycle: "
	    "self.yaml is already being loaded");
}

static void
same_file_may_be_included_twice(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;

	(void)state;
	put("d.yaml", "a: 1\nb: 2\n");
	put("main.yaml", "x: !include d.yaml:a\ny: !include d.yaml:b\n");
	doc = yml_load_file(at("main.yaml"), &err);
	assert_non_null(doc);
	assert_string_equal(yml_get(yml_root(doc), "y")->str, "2");
	yml_free(doc);
}

static void
includes_nest_at_most_8_deep(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	char name[32], text[64];
	int i;

	(void)state;
	/* f0 includes f1 ... includes f8: eight nested includes. */
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "f%d.yaml", i);
		snprintf(text, sizeof(text), "v: !include f%d.yaml:v\n", i + 1);
		put(name, text);
	}
	put("f8.yaml", "v: bottom\n");
	doc = yml_load_file(at("f0.yaml"), &err);
	if (doc == NULL)
		fail_msg("%s", err.msg);
	assert_string_equal(yml_get(yml_root(doc), "v")->str, "bottom");
	assert_string_equal(yml_get(yml_root(doc), "v")->file, at("f8.yaml"));
	yml_free(doc);
	put("f8.yaml", "v: !include f9.yaml:v\n");
	put("f9.yaml", "v: too deep\n");
	assert_null(yml_load_file(at("f0.yaml"), &err));
	assert_non_null(strstr(msg(&err), "f8.yaml:1:4: includes nested "
	    "deeper than 8 (f9.yaml:v) (included from f7.yaml:1:4)"));
}

static void
error_inside_included_file_says_where_it_was_included(void **state)
{
	struct rv_err err;

	(void)state;
	put("bad.yaml", "a: [1\n");
	put("main.yaml", "x: 1\ny: !include bad.yaml\n");
	assert_null(yml_load_file(at("main.yaml"), &err));
	assert_non_null(strstr(msg(&err), "bad.yaml:2:1: "));
	assert_non_null(strstr(msg(&err), " (included from main.yaml:2:4)"));
}

static void
include_on_a_map_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("x: !include { a: 1 }\n", &err));
	assert_string_equal(msg(&err), "t.yaml:1:4: !include takes a scalar "
	    "FILE[:key.path], not a map");
}

static void
alias_is_a_deep_copy_of_the_anchor(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r, *a, *b;

	(void)state;
	doc = parse("base: &fmt\n"
	    "  width: 968\n"
	    "  audio: { channels: 2 }\n"
	    "copy: *fmt\n"
	    "name: &n hello\n"
	    "again: *n\n", &err);
	if (doc == NULL)
		fail_msg("%s", err.msg);
	r = yml_root(doc);
	a = yml_get(r, "base");
	b = yml_get(r, "copy");
	assert_ptr_not_equal(a, b);
	assert_int_equal(b->kind, YML_MAP);
	assert_string_equal(yml_get(yml_get(b, "audio"), "channels")->str,
	    "2");
	assert_ptr_not_equal(yml_get(b, "audio"), yml_get(a, "audio"));
	assert_int_equal(yml_get(b, "width")->line, 2);
	assert_string_equal(yml_get(r, "again")->str, "hello");
	yml_free(doc);
}

static void
undefined_alias_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("a: 1\nb: *nope\n", &err));
	assert_string_equal(msg(&err), "t.yaml:2:4: undefined alias '*nope'");
}

static void
latest_anchor_definition_wins(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;

	(void)state;
	doc = parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n", &err);
	assert_non_null(doc);
	assert_string_equal(yml_get(yml_root(doc), "b")->str, "1");
	assert_string_equal(yml_get(yml_root(doc), "d")->str, "2");
	yml_free(doc);
}

static void
alias_inside_its_own_anchor_is_error(void **state)
{
	struct rv_err err;

	(void)state;
	assert_null(parse("a: &x [1, *x]\n", &err));
	assert_string_equal(msg(&err),
	    "t.yaml:1:11: alias '*x' refers to a node that contains it");
}

/* Anchors are looked up by hash: many of them cost linear time. */
static void
many_anchors_and_aliases_load(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	char *text, *p;
	int i, n = 50000;

	(void)state;
	text = malloc((size_t)n * 40);
	assert_non_null(text);
	p = text;
	for (i = 0; i < n; i++)
		p += sprintf(p, "k%d: &a%d %d\n", i, i, i);
	for (i = 0; i < n; i++)
		p += sprintf(p, "r%d: *a%d\n", i, i);
	doc = parse(text, &err);
	free(text);
	if (doc == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(yml_root(doc)->npairs, 2 * n);
	assert_string_equal(yml_get(yml_root(doc), "r4321")->str, "4321");
	yml_free(doc);
}

static void
alias_bomb_stops_at_the_node_limit(void **state)
{
	struct rv_err err;

	(void)state;
	/* Each level multiplies by 10: 10^9 nodes if nothing stopped it. */
	assert_null(parse("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n", &err));
	assert_non_null(strstr(msg(&err), "more than 1000000 nodes"));
}

static char *
nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2), *p = s;
	int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		*p++ = '[';
	for (i = 0; i < depth; i++)
		*p++ = ']';
	*p = '\0';
	return s;
}

static void
nesting_is_limited_to_64_levels(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	char *s;

	(void)state;
	s = nested(64);
	doc = parse(s, &err);
	free(s);
	assert_non_null(doc);
	yml_free(doc);
	s = nested(100000);
	assert_null(parse(s, &err));
	free(s);
	assert_string_equal(msg(&err),
	    "t.yaml:1:65: nesting deeper than 64 levels");
	/* An alias may not smuggle extra depth in either: 1 + 34 + 40. */
	{
		char text[256], *inner = nested(40), *outer = nested(34);

		outer[34] = '\0';
		snprintf(text, sizeof(text), "a: &x %s\nb: %s*x\n", inner,
		    outer);
		free(inner);
		free(outer);
		assert_null(parse(text, &err));
	}
	assert_string_equal(msg(&err),
	    "t.yaml:2:38: nesting deeper than 64 levels");
}

static void
int_out_of_range_names_range_and_value(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r;
	int64_t v = 0;

	(void)state;
	doc = parse("ok: 30\nbig: 31\nneg: -5\nword: lots\nfrac: 1.5\n"
	    "hex: 0x10\nhuge: 99999999999999999999\nmap: {a: 1}\n"
	    "quoted: \"7\"\nplus: +3\n", &err);
	assert_non_null(doc);
	r = yml_root(doc);
	assert_int_equal(yml_int(yml_get(r, "ok"), 1, 30, &v, &err), 0);
	assert_int_equal(v, 30);
	assert_int_equal(yml_int(yml_get(r, "big"), 1, 30, &v, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:2:6: expected an integer from 1 to 30 (31)");
	assert_int_equal(yml_int(yml_get(r, "neg"), -4, 0, &v, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:3:6: expected an integer from -4 to 0 (-5)");
	assert_int_equal(yml_int(yml_get(r, "neg"), -70, 0, &v, &err), 0);
	assert_int_equal(v, -5);
	assert_int_equal(yml_int(yml_get(r, "word"), 1, 30, &v, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:4:7: expected an integer from 1 to 30 (lots)");
	assert_int_equal(yml_int(yml_get(r, "frac"), 1, 30, &v, &err), -1);
	assert_int_equal(yml_int(yml_get(r, "hex"), 1, 30, &v, &err), -1);
	assert_int_equal(yml_int(yml_get(r, "huge"), INT64_MIN, INT64_MAX, &v,
	    &err), -1);
	assert_int_equal(yml_int(yml_get(r, "map"), 1, 30, &v, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:8:6: expected an integer from 1 to 30, not a map");
	assert_int_equal(yml_int(yml_get(r, "quoted"), 1, 30, &v, &err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(yml_int(yml_get(r, "plus"), 1, 30, &v, &err), 0);
	assert_int_equal(v, 3);
	yml_free(doc);
}

static void
bool_accepts_true_false_yes_no_on_off(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r;
	bool b;

	(void)state;
	doc = parse("[true, 'yes', On, false, NO, off, maybe]", &err);
	assert_non_null(doc);
	r = yml_root(doc);
	assert_int_equal(yml_bool(r->items[0], &b, &err), 0);
	assert_true(b);
	assert_int_equal(yml_bool(r->items[1], &b, &err), 0);
	assert_true(b);
	assert_int_equal(yml_bool(r->items[2], &b, &err), 0);
	assert_true(b);
	assert_int_equal(yml_bool(r->items[3], &b, &err), 0);
	assert_false(b);
	assert_int_equal(yml_bool(r->items[4], &b, &err), 0);
	assert_false(b);
	assert_int_equal(yml_bool(r->items[5], &b, &err), 0);
	assert_false(b);
	assert_int_equal(yml_bool(r->items[6], &b, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:1:35: expected true or false (maybe)");
	yml_free(doc);
}

static void
str_and_expect_report_the_wrong_kind(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;
	const struct yml_node *r;
	const char *s;

	(void)state;
	doc = parse("s: text\nl: [1]\nnul: \"a\\0b\"\n", &err);
	assert_non_null(doc);
	r = yml_root(doc);
	assert_int_equal(yml_str(yml_get(r, "s"), &s, &err), 0);
	assert_string_equal(s, "text");
	assert_int_equal(yml_str(yml_get(r, "l"), &s, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:2:4: expected a string, not a sequence");
	assert_int_equal(yml_str(yml_get(r, "nul"), &s, &err), -1);
	assert_int_equal(yml_get(r, "nul")->len, 3);
	assert_int_equal(yml_expect(yml_get(r, "s"), YML_MAP, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:1:4: expected a map, not a scalar (text)");
	assert_int_equal(yml_expect(r, YML_MAP, &err), 0);
	yml_free(doc);
}

static void
errf_prefixes_the_node_location(void **state)
{
	struct rv_err err;
	struct yml_doc *doc = parse("a:\n  b: x\n", &err);

	(void)state;
	assert_int_equal(yml_errf(&err, yml_get(yml_get(yml_root(doc), "a"),
	    "b"), "bad %s", "thing"), -1);
	assert_string_equal(msg(&err), "t.yaml:2:6: bad thing");
	assert_int_equal(yml_errf(&err, NULL, "no node"), -1);
	assert_string_equal(err.msg, "no node");
	yml_free(doc);
}

static const char *const allowed[] = { "epg_days", "exec_hours", NULL };

static void
unknown_key_is_error_with_line(void **state)
{
	struct rv_err err;
	struct yml_doc *doc;

	(void)state;
	doc = parse("epg_days: 1\nexec_hours: 2\nbogus: 3\nepg_day: 4\n", &err);
	assert_non_null(doc);
	assert_int_equal(yml_check_keys(yml_root(doc), allowed, &err), -1);
	assert_string_equal(msg(&err), "t.yaml:3:1: unknown key 'bogus'");
	yml_free(doc);
	doc = parse("epg_day: 4\n", &err);
	assert_int_equal(yml_check_keys(yml_root(doc), allowed, &err), -1);
	assert_string_equal(msg(&err),
	    "t.yaml:1:1: unknown key 'epg_day' (did you mean 'epg_days'?)");
	yml_free(doc);
	doc = parse("epg_days: 1\n", &err);
	assert_int_equal(yml_check_keys(yml_root(doc), allowed, &err), 0);
	yml_free(doc);
}

struct warnings {
	int	n;
	char	last[RV_ERR_MAX];
	int	last_line;
};

static void
collect(void *arg, const struct yml_node *key, const char *m)
{
	struct warnings *w = arg;

	w->n++;
	w->last_line = key->line;
	snprintf(w->last, sizeof(w->last), "%s", m);
}

static void
unknown_keys_as_warnings_report_each_one(void **state)
{
	struct warnings w = { 0 };
	struct rv_err err;
	struct yml_doc *doc;

	(void)state;
	doc = parse("one: 1\nepg_days: 1\ntwo: 2\n", &err);
	assert_int_equal(yml_check_keys_warn(yml_root(doc), allowed, collect,
	    &w), 2);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.last_line, 3);
	assert_non_null(strstr(w.last, "t.yaml:3:1: unknown key 'two'"));
	yml_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    nested_nodes_carry_file_line_and_column, setup, teardown),
		cmocka_unit_test_setup_teardown(map_keeps_document_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    plain_and_quoted_scalars_are_told_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unknown_tag_is_kept_for_the_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    empty_document_is_an_empty_map, setup, teardown),
		cmocka_unit_test_setup_teardown(second_document_is_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    duplicate_key_is_error_with_both_locations, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    duplicate_key_in_a_large_map_is_found, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    syntax_error_names_problem_location, setup, teardown),
		cmocka_unit_test_setup_teardown(non_scalar_map_key_is_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(missing_file_is_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    real_include_resolves_with_included_file_location, setup,
		    teardown),
		cmocka_unit_test(every_reference_channel_file_loads),
		cmocka_unit_test_setup_teardown(
		    include_of_whole_file_and_of_sequence_item, mkdir_sub,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    include_paths_are_relative_to_the_including_file,
		    mkdir_sub, teardown),
		cmocka_unit_test_setup_teardown(
		    missing_include_file_is_error_at_the_include, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    missing_key_path_is_error_naming_the_key, setup, teardown),
		cmocka_unit_test_setup_teardown(include_cycle_is_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(same_file_may_be_included_twice,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(includes_nest_at_most_8_deep,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    error_inside_included_file_says_where_it_was_included,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(include_on_a_map_is_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    alias_is_a_deep_copy_of_the_anchor, setup, teardown),
		cmocka_unit_test_setup_teardown(undefined_alias_is_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(latest_anchor_definition_wins,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    alias_inside_its_own_anchor_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(many_anchors_and_aliases_load,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    alias_bomb_stops_at_the_node_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(nesting_is_limited_to_64_levels,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    int_out_of_range_names_range_and_value, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    bool_accepts_true_false_yes_no_on_off, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    str_and_expect_report_the_wrong_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(errf_prefixes_the_node_location,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_key_is_error_with_line,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unknown_keys_as_warnings_report_each_one, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
