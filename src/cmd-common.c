// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-common.c - what every command does the same way: pick the backend,
 * make the output emitter, report inspector failures, honour a capture's
 * ABI profiles. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"
#include "decode.h"

/* A note on a malformed capture: the loader quotes every value from the
 * file through vi_printable(), so a message of printable ASCII is shown as
 * it is (escaping it again would double each backslash); anything else
 * goes through vi_error's escaping. */
static void report_capture(void *ctx, int err, const char *msg)
{
	unsigned int *count = ctx;
	const unsigned char *p = (const unsigned char *)msg;

	while (*p >= 0x20 && *p < 0x7f)
		p++;
	if (*p) {
		vi_report_stderr(ctx, err, msg);
		return;
	}
	if (count)
		(*count)++;
	fprintf(stderr, "vfio-info: %s\n", msg);
}

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/vfio-info"
#endif

/* --replay NAME: a path that exists is taken as it is; a bare name that
 * does not (no '/') is looked up among the installed example captures,
 * $VFIO_INFO_CAPTURES or PKGDATADIR/captures, as NAME and NAME.json.
 * Returns @name or @buf; *@dirp is the directory looked in, if any. */
static const char *replay_path(const char *name, char *buf, size_t len, const char **dirp)
{
	const char *dir = getenv("VFIO_INFO_CAPTURES");
	static const char *const suffix[] = { "", ".json" };
	struct stat st;

	if (stat(name, &st) == 0 || errno != ENOENT || !name[0] || strchr(name, '/') ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return name;
	if (!dir || !dir[0])
		dir = PKGDATADIR "/captures";
	*dirp = dir;
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		int n = snprintf(buf, len, "%s/%s%s", dir, name, suffix[i]);

		if (n > 0 && (size_t)n < len && stat(buf, &st) == 0)
			return buf;
	}
	return name;
}

struct vi_backend *vi_open_backend(const struct vi_opts *o, int *status)
{
	struct vi_backend *be;
	char err[512] = "";

	if (o->replay) {
		/* each part no kernel would answer: a message, then left out */
		struct vi_replay_opts ro = { o->replay_max, report_capture, o->malformed };
		char path[4096];
		const char *dir = NULL, *file = replay_path(o->replay, path, sizeof(path), &dir);

		be = vi_backend_replay_open(file, &ro, err, sizeof(err));
		if (!be && file == o->replay && dir) {
			vi_error("%s: no such file, and no example capture of that name in %s",
				 o->replay, dir);
			*status = VI_EXIT_FAILURE;
		} else if (!be) {
			vi_error("%s", err[0] ? err : "cannot load the capture file");
			*status = VI_EXIT_FAILURE;
		}
	} else if (o->sysroot) {
		be = vi_backend_sysroot_new(o->sysroot);
		if (!be) {
			vi_error("cannot set up the backend for --sysroot: %s", strerror(errno));
			*status = VI_EXIT_FAILURE;
		}
	} else {
		be = vi_backend_live_new();
		if (!be) {
			vi_error("cannot set up the live backend: %s", strerror(errno));
			*status = VI_EXIT_FAILURE;
		}
	}
	return be;
}

struct vi_emit *vi_output_emitter(const struct vi_opts *o)
{
	unsigned int flags = VI_EMIT_VERSION;

	if (o->verbose)
		flags |= VI_EMIT_VERBOSE;
	if (o->pretty)
		flags |= VI_EMIT_PRETTY;
	if (o->color && !o->json)
		flags |= VI_EMIT_COLOR;
	return vi_emit_new(o->json ? VI_EMIT_JSON : VI_EMIT_TEXT, stdout, flags);
}

void vi_report_stderr(void *ctx, int err, const char *msg)
{
	unsigned int *count = ctx;

	if (count)
		(*count)++;
	vi_error("%s", msg);
	(void)err;
}

unsigned int vi_capture_profiles(const struct vi_backend *be)
{
	unsigned int bits = 0;

	for (const char *const *p = be->profiles; p && *p; p++)
		for (unsigned int b = 1; b <= VI_PROF_ZPCI_IOMMU; b <<= 1)
			if (strcmp(*p, vi_profile_name(b)) == 0)
				bits |= b;
	return bits;
}

/* The exit status for a negative (or positive) errno: EXIT STATUS in the
 * man page. */
int vi_exit_for_errno(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return VI_EXIT_OK;
	case ENOENT:
	case ENXIO:
	case ENODEV:
		return VI_EXIT_NOTFOUND;
	case EACCES:
	case EPERM:
		return VI_EXIT_PERM;
	case EBUSY:
		return VI_EXIT_BUSY;
	default:
		return VI_EXIT_FAILURE;
	}
}
