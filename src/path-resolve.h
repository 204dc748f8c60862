/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * path-resolve.h - symlinks along a path below a namespace's root (/sys/,
 * /proc/, /dev/) resolved as the kernel resolves them, through a lookup
 * the caller gives: replay asks its capture, the recorder the backend it
 * wraps (recording each link met on the way).
 */
#ifndef VFIO_INFO_PATH_RESOLVE_H
#define VFIO_INFO_PATH_RESOLVE_H

#include <stdbool.h>

/* Links followed in a row before a path is said to loop (the kernel's
 * MAXSYMLINKS). */
#define VI_LINK_HOPS_MAX	40

enum {
	VI_RESOLVE_FOLLOW_LAST = 1 << 0,	/* the last component too */
	VI_RESOLVE_IN_ROOT = 1 << 1,		/* an absolute target outside the
						 * root fails; without it, it is
						 * taken below the root */
};

/* Is @key (a path below the root: no leading slash, no "." or "..") a
 * symlink?  1 with *@target set (valid until the next call), 0 when not. */
typedef int (*vi_link_lookup)(void *ctx, const char *key, const char **target);

/* @rel (below @root, e.g. "/sys/") with the links along it resolved
 * through @look: malloc'ed, normalised.  NULL when the links loop (more
 * than VI_LINK_HOPS_MAX in a row), a target leaves the root
 * (VI_RESOLVE_IN_ROOT), or out of memory. */
char *vi_path_join(const char *a, const char *b);

char *vi_path_resolve(const char *rel, const char *root, unsigned int flags,
		      vi_link_lookup look, void *ctx);

#endif
