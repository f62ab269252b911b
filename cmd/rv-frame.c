/*
 * rv-frame — inspect and build frames (rv-frame(1), rv-frame(5)).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "frame.h"
#include "framedump.h"
#include "log.h"

static const char usage[] =
    "usage: rv-frame dump [-x] [FILE]   frames -> one JSON object per line\n"
    "       rv-frame pack [FILE]        JSON lines -> frames\n"
    "       rv-frame ts [FILE]          the T payloads only: a playable .ts\n"
    "       rv-frame -h | --version\n"
    "options: -x, --hex  give binary payloads whole, so pack can rebuild them\n"
    "         -v         more messages\n";

static int
open_input(const char *path, const char **name)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		*name = "stdin";
		return STDIN_FILENO;
	}
	*name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		rv_warnx("%s: %s", path, strerror(errno));
	return fd;
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t k;

	while (n > 0) {
		k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rv_warnx("write: %s", strerror(errno));
			return -1;
		}
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
dump(int fd, const char *name, int full)
{
	struct rv_frame_reader *r;
	struct rv_frame f = { 0 };
	struct rv_err err;
	json_t *line;
	char *text;
	int rc, status = RV_EXIT_OK;

	r = malloc(sizeof(*r));
	if (r == NULL) {
		rv_warnx("out of memory");
		return RV_EXIT_FAIL;
	}
	rv_frame_reader_init(r, fd, name);
	while ((rc = rv_frame_read(r, &f, &err)) == 1) {
		if (rv_frame_describe(&f, full, &line, &err) < 0) {
			rv_warnx("%s: frame %lld: %s", name,
			    (long long)r->frames, err.msg);
			status = RV_EXIT_FAIL;
		}
		if (line == NULL)
			break;
		text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(line);
		if (text == NULL || write_all(STDOUT_FILENO, text,
		    strlen(text)) < 0 || write_all(STDOUT_FILENO, "\n", 1) < 0) {
			free(text);
			status = RV_EXIT_FAIL;
			break;
		}
		free(text);
	}
	if (rc < 0) {
		rv_warnx("%s", err.msg);
		status = RV_EXIT_FAIL;
	}
	rv_frame_free(&f);
	free(r);
	return status;
}

static int
pack(FILE *in, const char *name)
{
	struct rv_frame f = { 0 };
	struct rv_err err;
	json_error_t jerr;
	json_t *line;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int status = RV_EXIT_OK;

	while ((n = getline(&buf, &cap, in)) > 0) {
		lineno++;
		if (strspn(buf, " \t\r\n") == (size_t)n)
			continue;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = 0;
		line = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES,
		    &jerr);
		if (line == NULL) {
			rv_warnx("%s:%ld:%d: %s", name, lineno, jerr.column,
			    jerr.text);
			status = RV_EXIT_FAIL;
			break;
		}
		memset(&f, 0, sizeof(f));
		if (rv_frame_from_line(line, &f, &err) < 0) {
			rv_warnx("%s:%ld: %s", name, lineno, err.msg);
			json_decref(line);
			status = RV_EXIT_FAIL;
			break;
		}
		json_decref(line);
		if (rv_frame_write(STDOUT_FILENO, f.type, f.payload, f.len,
		    &err) < 0) {
			rv_warnx("%s", err.msg);
			rv_frame_free(&f);
			status = RV_EXIT_FAIL;
			break;
		}
		rv_frame_free(&f);
	}
	if (n < 0 && ferror(in)) {
		rv_warnx("%s: read: %s", name, strerror(errno));
		status = RV_EXIT_FAIL;
	}
	free(buf);
	return status;
}

static int
ts(int fd, const char *name)
{
	struct rv_frame_reader *r;
	struct rv_frame f = { 0 };
	struct rv_err err;
	int rc, status = RV_EXIT_OK;

	r = malloc(sizeof(*r));
	if (r == NULL) {
		rv_warnx("out of memory");
		return RV_EXIT_FAIL;
	}
	rv_frame_reader_init(r, fd, name);
	while ((rc = rv_frame_read(r, &f, &err)) == 1) {
		if (f.type != 'T')
			continue;
		if (f.len % RV_TS_PACKET != 0) {
			rv_warnx("%s: frame %lld: 'T' payload of %zu bytes is "
			    "not a whole number of %d-byte packets", name,
			    (long long)r->frames, f.len, RV_TS_PACKET);
			status = RV_EXIT_FAIL;
			break;
		}
		if (write_all(STDOUT_FILENO, f.payload, f.len) < 0) {
			status = RV_EXIT_FAIL;
			break;
		}
	}
	if (rc < 0) {
		rv_warnx("%s", err.msg);
		status = RV_EXIT_FAIL;
	}
	rv_frame_free(&f);
	free(r);
	return status;
}

static const struct option longopts[] = {
	{ "hex", no_argument, NULL, 'x' },
	RV_CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* Parse options; -1 to go on, else the exit status to return. */
static int
options(int argc, char *argv[], const char *optstring, int *full)
{
	int ch;

	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (ch == 'x')
			*full = 1;
		else if ((ch = rv_cli_option(ch, usage)) >= 0)
			return ch;
	}
	return -1;
}

static int
run_pack(const char *path)
{
	const char *name = "stdin";
	FILE *in = stdin;
	int status;

	if (path != NULL && strcmp(path, "-") != 0) {
		name = path;
		in = fopen(path, "re");
		if (in == NULL) {
			rv_warnx("%s: %s", path, strerror(errno));
			return RV_EXIT_FAIL;
		}
	}
	status = pack(in, name);
	if (in != stdin)
		fclose(in);
	return status;
}

int
main(int argc, char *argv[])
{
	const char *cmd, *name, *path;
	int full = 0, fd, status;

	rv_log_init(argv[0]);
	rv_cli_signals();
	/* Like cat(1): `rv-frame dump | head` ends quietly when head does. */
	signal(SIGPIPE, SIG_DFL);
	if ((status = options(argc, argv, "+xhv", &full)) >= 0)
		return status;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return rv_cli_usage_error(usage, "missing command");
	cmd = argv[0];
	/* Options may also follow the command: rv-frame dump -x FILE. */
	optind = 1;
	if ((status = options(argc, argv, "xhv", &full)) >= 0)
		return status;
	if (argc - optind > 1)
		return rv_cli_usage_error(usage, "too many arguments");
	path = argc > optind ? argv[optind] : NULL;
	if (strcmp(cmd, "dump") != 0 && strcmp(cmd, "ts") != 0 &&
	    strcmp(cmd, "pack") != 0)
		return rv_cli_usage_error(usage, "unknown command '%s'", cmd);
	if (full && strcmp(cmd, "dump") != 0)
		return rv_cli_usage_error(usage, "-x is for dump");
	if (strcmp(cmd, "pack") == 0)
		return run_pack(path);
	fd = open_input(path, &name);
	if (fd < 0)
		return RV_EXIT_FAIL;
	status = cmd[0] == 'd' ? dump(fd, name, full) : ts(fd, name);
	if (fd != STDIN_FILENO)
		close(fd);
	return status;
}
