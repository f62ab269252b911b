#include "cli.h"

#include <stdarg.h>
#include <string.h>

#include "channel.h"
#include "config.h"
#include "log.h"
#include "metrics.h"

#ifndef RV_VERSION
#define RV_VERSION "unknown"
#endif

volatile sig_atomic_t rv_stop_signal;

int
rv_cli_version(void)
{
	printf("%s %s (RetroVue/C)\n", rv_progname(), RV_VERSION);
	return RV_EXIT_OK;
}

int
rv_cli_help(const char *usage)
{
	fputs(usage, stdout);
	return RV_EXIT_OK;
}

int
rv_cli_option(int ch, const char *usage)
{
	switch (ch) {
	case 'h':
		return rv_cli_help(usage);
	case 'v':
		rv_log_set_level(rv_log_level() + 1);
		return -1;
	case RV_OPT_VERSION:
		return rv_cli_version();
	default:
		return rv_cli_usage_error(usage, "unknown option");
	}
}

int
rv_cli_usage_error(const char *usage, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n%s", rv_progname(), msg, usage);
	return RV_EXIT_USAGE;
}

int
rv_cli_config(const char *path, struct rv_config *cfg)
{
	struct rv_err err;

	if (rv_config_load(path, cfg, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	if (rv_log_level() == RV_NORMAL)
		rv_log_set_level(cfg->log.level);
	rv_metrics_set_interval(cfg->metrics.interval_seconds * 1000);
	if (rv_log_level() >= RV_INFO) {
		fprintf(stderr, "%s: configuration from %s:\n", rv_progname(),
		    cfg->source[0] ? cfg->source : "defaults (no file)");
		rv_config_dump(cfg, stderr);
	}
	return 0;
}

void
rv_cli_print_diags(struct rv_diags *d)
{
	int i;

	for (i = 0; i < d->nwarnings; i++)
		rv_warnx("warning: %s", d->warnings[i]);
	for (i = 0; i < d->nerrors; i++)
		rv_warnx("%s", d->errors[i]);
	rv_diags_free(d);
}

static void
on_stop(int sig)
{
	rv_stop_signal = sig;
}

void
rv_cli_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	/* A program started in the background (a supervisor's stage) was
	 * given SIGINT ignored: Ctrl-C at the terminal is for the
	 * supervisor, which stops the stages in their order. */
	if (sigaction(SIGINT, NULL, &old) < 0 || old.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
