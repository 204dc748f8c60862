// SPDX-License-Identifier: GPL-2.0-or-later
/* prom-cmd.c - list and doctor --format=prometheus: the command runs as
 * with --json, into memory, and prom.c makes the metrics of that document.
 * With -o the file appears whole or not at all: a temporary file in the
 * same directory, renamed over the target. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "emit.h"
#include "prom.h"
#include "util.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

/* Run list or doctor with the JSON emitter into memory. */
static int run_json(const struct vi_opts *o, struct vi_backend *be,
		    int (*run)(const struct vi_opts *, struct vi_backend *, struct vi_emit *),
		    json_t **doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct vi_emit *em;
	json_error_t jerr;
	int status;

	*doc = NULL;
	if (!m)
		return VI_EXIT_FAILURE;
	em = vi_emit_new(VI_EMIT_JSON, m, 0);
	if (!em) {
		fclose(m);
		free(buf);
		return VI_EXIT_FAILURE;
	}
	status = run(o, be, em);
	vi_emit_finish(em);
	if (fclose(m) != 0 || !buf) {
		free(buf);
		return VI_EXIT_FAILURE;
	}
	*doc = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (!*doc && status == VI_EXIT_OK)
		status = VI_EXIT_FAILURE;
	return status;
}

/* -o FILE: a temporary file beside it (its name does not end in .prom, so
 * the collector never reads it half written), readable by the exporter's
 * user, synced, then renamed over FILE. */
static int write_file(const char *path, const json_t *list, const json_t *doctor, int live)
{
	const char *slash = strrchr(path, '/');
	char *tmp;
	FILE *f;
	int fd, r;

	if (slash)
		tmp = vi_asprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		tmp = vi_asprintf(".%s.XXXXXX", path);
	if (!tmp)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		r = -errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return r;
	}
	r = vi_prom_write(f, list, doctor, PACKAGE_VERSION, live, (long long)time(NULL));
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		r = r ? r : -errno;
	if (fclose(f) != 0)
		r = r ? r : -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	free(tmp);
	return r;
}

static int prom_cmd(struct vi_opts *o, int doctor)
{
	struct vi_backend *be;
	json_t *list = NULL, *doc = NULL;
	int status = VI_EXIT_OK, st, r;
	struct vi_opts lo;

	be = vi_open_backend(o, &status);
	if (!be)
		return status;
	if (doctor) {
		/* every group, for viability and each device's group */
		lo = *o;
		lo.args = NULL;
		lo.nargs = 0;
		lo.all = false;
		lo.probe = false;
		st = run_json(&lo, be, vi_list_run, &list);
		if (st != VI_EXIT_OK && st != VI_EXIT_NOTFOUND)
			status = st;
		st = run_json(o, be, vi_doctor_run, &doc);
		if (st != VI_EXIT_OK)
			status = st;
	} else {
		status = run_json(o, be, vi_list_run, &list);
		if (status == VI_EXIT_NOTFOUND)
			vi_error("no device matches the filters");
	}
	vi_backend_destroy(be);
	if ((doctor && !doc) || (!doctor && !list)) {
		json_decref(list);
		return status != VI_EXIT_OK ? status : VI_EXIT_FAILURE;
	}
	if (o->output) {
		r = write_file(o->output, list, doc, !o->replay);
		if (r < 0) {
			vi_error("cannot write %s: %s", o->output, strerror(-r));
			status = VI_EXIT_FAILURE;
		}
	} else {
		r = vi_prom_write(stdout, list, doc, PACKAGE_VERSION, !o->replay,
				  (long long)time(NULL));
		if (r < 0 && status == VI_EXIT_OK)
			status = VI_EXIT_FAILURE;
	}
	json_decref(list);
	json_decref(doc);
	return status;
}

int vi_prom_list(struct vi_opts *o)
{
	return prom_cmd(o, 0);
}

int vi_prom_doctor(struct vi_opts *o)
{
	return prom_cmd(o, 1);
}
