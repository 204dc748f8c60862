// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-shell.c - the shell's command line: words, quotes, comments,
 * numbers, region names, widths, options, and completion.
 *
 * Input: byte 0 picks one of the captures the shell tests use
 * (tests/shell/), text or JSON, --write, and whether completion
 * runs too; the rest is a script, one command a line, run through
 * vi_shell_exec() on the replayed device as `vfio-info shell -c` would.
 * `source` lines are skipped (the fuzzer would otherwise read any file on
 * the machine, /dev/zero included), with a margin: any line whose
 * unquoted text starts with "source" is.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "decode.h"
#include "emit.h"
#include "fuzz.h"
#include "inspect.h"
#include "shell.h"
#include "target.h"

#define MAX_LINES	64
#define MAX_COMPLETIONS	256

static const char *const captures[] = {
	"tests/shell/e1000e-bars.json", "tests/shell/nvme-bars.json",
	"tests/shell/sparse.json", "tests/shell/e1000e-host.json",
};

static void report(void *ctx, int err, const char *msg)
{
	(void)ctx; (void)err; (void)msg;
}

/* True when the line, quotes removed, starts with "source". */
static bool is_source(const char *line)
{
	char w[8];
	size_t n = 0;

	while (isspace((unsigned char)*line))
		line++;
	for (; *line && n < 6; line++)
		if (*line != '"' && *line != '\'')
			w[n++] = *line;
	w[n] = '\0';
	return strcmp(w, "source") == 0;
}

/* Completion of the line's last word, as readline would ask. */
static void complete(struct vi_shell *sh, char *line)
{
	char *copy = strdup(line), *words[8], *save = NULL;
	int n = 0;

	if (!copy)
		return;
	for (char *t = strtok_r(copy, " \t", &save); t && n < 8; t = strtok_r(NULL, " \t", &save))
		words[n++] = t;
	for (int w = 0; w <= n && w < 8; w++) {
		const char *prefix = w < n ? words[w] : "";
		unsigned int state = 0;

		for (int k = 0; k < MAX_COMPLETIONS; k++)
			if (!vi_shell_complete(sh, w, words, w, prefix, &state))
				break;
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[4096], err[512], *script, *save = NULL;
	struct vi_targets t = { NULL, 0 };
	struct vi_inspect_opts io;
	struct vi_shell_opts so;
	struct vi_device *dev = NULL;
	struct vi_backend *be;
	struct vi_shell *sh;
	struct vi_emit *em;
	int mode, lines = 0;

	fuzz_setup();
	if (size < 1)
		return 0;
	mode = data[0];
	snprintf(path, sizeof(path), "%s/%s", fuzz_srcdir(), captures[mode & 3]);
	be = vi_backend_replay_new(path, err, sizeof(err));
	if (!be) {
		fprintf(stderr, "fuzz-shell: %s\n", err);
		abort();	/* the bundled capture must load */
	}
	memset(&io, 0, sizeof(io));
	io.profiles = VI_PROF_AUTOMATIC;
	io.report = report;
	if (vi_target_all(be, &t, err, sizeof(err)) < 0 || t.n == 0 ||
	    vi_device_open(be, &t.v[0], &io, &dev) < 0) {
		fprintf(stderr, "fuzz-shell: %s: no device opens\n", path);
		abort();
	}
	em = vi_emit_new(mode & 4 ? VI_EMIT_JSON : VI_EMIT_TEXT, fuzz_null(), 0);
	memset(&so, 0, sizeof(so));
	so.write = mode & 8;
	sh = em ? vi_shell_new(dev, em, &so) : NULL;
	script = malloc(size);
	if (sh && script) {
		memcpy(script, data + 1, size - 1);
		script[size - 1] = '\0';
		for (char *l = strtok_r(script, "\n", &save); l && lines < MAX_LINES;
		     l = strtok_r(NULL, "\n", &save), lines++) {
			if (is_source(l))
				continue;
			vi_shell_add_history(sh, l);
			if (mode & 16)
				complete(sh, l);
			vi_shell_exec(sh, l);
			if (vi_shell_done(sh))
				break;
		}
	}
	free(script);
	vi_shell_free(sh);
	if (em)
		vi_emit_finish(em);
	vi_device_close(dev);
	vi_targets_free(&t);
	vi_backend_destroy(be);
	return 0;
}
