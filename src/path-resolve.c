// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * path-resolve.c - symlinks along a path, resolved one component at a
 * time as the kernel walks a path: "." is dropped, ".." goes up (never
 * above the root), and a link's target replaces the components read so
 * far (absolute: from the root) and is walked before the rest.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-io.h"
#include "path-resolve.h"

/* @a, then @b, joined by one slash where both are non-empty (malloc'd). */
char *vi_path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", a, (*a && *b) ? "/" : "", b);
	return p;
}

char *vi_path_resolve(const char *rel, const char *root, unsigned int flags,
		      vi_link_lookup look, void *ctx)
{
	size_t rl = strlen(root);
	char *rest = vi_path_normalize(rel);
	char *cur = strdup("");
	int hops = 0;

	while (rest && cur && *rest) {
		size_t n = strcspn(rest, "/");
		const char *tail = rest[n] ? rest + n + 1 : rest + n;
		const char *target;
		char *cand, *next;

		if (n == 0 || (n == 1 && rest[0] == '.')) {
			memmove(rest, tail, strlen(tail) + 1);
			continue;
		}
		if (n == 2 && rest[0] == '.' && rest[1] == '.') {
			char *slash = strrchr(cur, '/');

			*(slash ? slash : cur) = '\0';
			memmove(rest, tail, strlen(tail) + 1);
			continue;
		}
		cand = malloc(strlen(cur) + n + 2);
		if (!cand)
			break;
		sprintf(cand, "%s%s%.*s", cur, *cur ? "/" : "", (int)n, rest);
		if ((*tail || (flags & VI_RESOLVE_FOLLOW_LAST)) && look(ctx, cand, &target) > 0) {
			free(cand);
			if (++hops > VI_LINK_HOPS_MAX)
				break;
			if (target[0] == '/') {
				if (strncmp(target, root, rl) == 0)
					target += rl;
				else if (flags & VI_RESOLVE_IN_ROOT)
					break;
				cur[0] = '\0';
			}
			next = vi_path_join(target, tail);
			free(rest);
			rest = next;
			continue;
		}
		free(cur);
		cur = cand;
		memmove(rest, tail, strlen(tail) + 1);
	}
	if (!rest || !cur || *rest) {
		free(rest);
		free(cur);
		return NULL;
	}
	free(rest);
	return cur;
}
