// SPDX-License-Identifier: GPL-2.0-or-later
/* record-facts.c - the sysfs, procfs and /dev facts a capture keeps: every
 * link met on the way, so the capture mirrors the real layout, and of a
 * few files only what vfio-info needs of them (see keep_lines). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "capture-io.h"
#include "path-resolve.h"
#include "record.h"

static json_t *ns_obj(struct record *r, enum vi_ns ns)
{
	if ((unsigned)ns > VI_NS_DEV)
		return NULL;
	if (!r->ns[ns])
		r->ns[ns] = json_object();
	return r->ns[ns];
}

/* Set @key to @v (stolen); a marker ("dir" / unread file) never replaces
 * what is known. */
static void ns_put(struct record *r, enum vi_ns ns, const char *rel, json_t *v, bool marker)
{
	json_t *o = ns_obj(r, ns);
	char *key = vi_path_normalize(rel);

	if (!o || !key || !v || (marker && json_object_get(o, key)))
		json_decref(v);
	else
		json_object_set_new(o, key, v);
	free(key);
}

static char *child_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", dir, *dir ? "/" : "", name);
	return p;
}

struct link_ctx {
	struct vi_backend *be;
	enum vi_ns ns;
	char *target;		/* the last link read */
};

/* vi_link_lookup through the inner backend, recording each link read */
static int inner_link(void *ctx, const char *key, const char **target)
{
	struct link_ctx *l = ctx;
	struct vi_backend *in = INNER(l->be);

	free(l->target);
	l->target = NULL;
	if (in->ops->readlink(in, l->ns, key, &l->target) < 0)
		return 0;
	ns_put(REC(l->be), l->ns, key, json_pack("{s:s}", "link", l->target), false);
	*target = l->target;
	return 1;
}

/* The path of @rel with every symlink along it resolved through the inner
 * backend (the last component too when @follow_last), recording each link
 * met: the capture then mirrors the real layout whatever path the caller
 * used.  Falls back to the path as given.  malloc'ed. */
static char *canonical(struct vi_backend *be, enum vi_ns ns, const char *rel, bool follow_last)
{
	static const char *const roots[] = { "/sys/", "/proc/", "/dev/" };
	struct link_ctx l = { be, ns, NULL };
	char *p = vi_path_resolve(rel, roots[ns],
				  VI_RESOLVE_IN_ROOT | (follow_last ? VI_RESOLVE_FOLLOW_LAST : 0),
				  inner_link, &l);

	free(l.target);
	return p ? p : vi_path_normalize(rel);
}

/* A process's open files are its own business: of /proc/<pid>/fd/<n> only
 * the links to VFIO and iommufd nodes are recorded (they name holders). */
static bool private_link(enum vi_ns ns, const char *rel, const char *target)
{
	if (ns != VI_NS_PROC || !strstr(rel, "/fd/"))
		return false;
	return strncmp(target, "/dev/vfio/", 10) != 0 && strcmp(target, "/dev/iommu") != 0;
}

/* The last component of @rel ("route" of "net/route"), and whether the
 * one before it is @dir (NULL: any). */
static bool named(const char *rel, const char *dir, const char *base)
{
	const char *slash = strrchr(rel, '/'), *b = slash ? slash + 1 : rel;
	size_t dl;

	if (strcmp(b, base) != 0)
		return false;
	if (!dir)
		return true;
	if (!slash)
		return false;
	dl = strlen(dir);
	return (size_t)(slash - rel) >= dl && strncmp(slash - dl, dir, dl) == 0 &&
	       (slash - dl == rel || slash[-(long)dl - 1] == '/');
}

/* Field @i (0-based) of a whitespace-separated line, into @buf. */
static const char *field(const char *line, size_t len, int i, char *buf, size_t blen)
{
	size_t p = 0;

	for (int k = 0;; k++) {
		size_t s, e;

		while (p < len && (line[p] == ' ' || line[p] == '\t'))
			p++;
		s = p;
		while (p < len && line[p] != ' ' && line[p] != '\t')
			p++;
		e = p;
		if (s == e)
			return NULL;
		if (k == i) {
			size_t n = e - s < blen - 1 ? e - s : blen - 1;

			memcpy(buf, line + s, n);
			buf[n] = '\0';
			return buf;
		}
	}
}

enum keep { KEEP_ALL, KEEP_CPU_FLAGS, KEEP_DEFAULT_ROUTES, KEEP_DEFAULT_ROUTES6,
	    KEEP_BLOCK_MOUNTINFO, KEEP_BLOCK_MOUNTS };

/*
 * Of a few procfs files a capture keeps only what vfio-info needs, since
 * the rest describes the host beyond the devices: of cpuinfo the first
 * flags line (the hypervisor flag), of net/route the header and the
 * default routes, of net/ipv6_route the default routes (::/0), of mountinfo and mounts the mounts of block devices
 * (a device major other than 0; a source under /dev/).
 */
static enum keep keep_kind(enum vi_ns ns, const char *rel)
{
	if (ns != VI_NS_PROC)
		return KEEP_ALL;
	if (strcmp(rel, "cpuinfo") == 0)
		return KEEP_CPU_FLAGS;
	if (named(rel, "net", "route"))
		return KEEP_DEFAULT_ROUTES;
	if (named(rel, "net", "ipv6_route"))
		return KEEP_DEFAULT_ROUTES6;
	if (named(rel, NULL, "mountinfo"))
		return KEEP_BLOCK_MOUNTINFO;
	if (named(rel, NULL, "mounts"))
		return KEEP_BLOCK_MOUNTS;
	return KEEP_ALL;
}

static bool keep_line(enum keep k, const char *l, size_t n, size_t lineno, bool *done)
{
	char f[64];

	switch (k) {
	case KEEP_CPU_FLAGS:
		/* x86 "flags", arm64 "Features", s390x "features": the first */
		if (field(l, n, 0, f, sizeof(f)) &&
		    (strcmp(f, "flags") == 0 || strcasecmp(f, "features") == 0)) {
			*done = true;
			return true;
		}
		return false;
	case KEEP_DEFAULT_ROUTES:
		return lineno == 0 || (field(l, n, 1, f, sizeof(f)) &&
				       strcmp(f, "00000000") == 0);
	case KEEP_DEFAULT_ROUTES6:
		return field(l, n, 0, f, sizeof(f)) && strlen(f) == 32 &&
		       strspn(f, "0") == 32 && field(l, n, 1, f, sizeof(f)) &&
		       strcmp(f, "00") == 0;
	case KEEP_BLOCK_MOUNTINFO:
		return field(l, n, 2, f, sizeof(f)) && strncmp(f, "0:", 2) != 0;
	case KEEP_BLOCK_MOUNTS:
		return field(l, n, 0, f, sizeof(f)) && strncmp(f, "/dev/", 5) == 0;
	default:
		return true;
	}
}

/* The lines of @text that @k keeps; malloc'ed, *@olen set. */
static char *keep_lines(enum keep k, const char *text, size_t len, size_t *olen)
{
	char *o = malloc(len + 1);
	size_t p = 0, w = 0, lineno = 0;
	bool done = false;

	if (!o)
		return NULL;
	while (p < len && !done) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t n = nl ? (size_t)(nl - (text + p)) : len - p;

		if (keep_line(k, text + p, n, lineno++, &done)) {
			memcpy(o + w, text + p, n);
			w += n;
			if (nl)
				o[w++] = '\n';
		}
		p += n + (nl ? 1 : 0);
	}
	o[w] = '\0';
	*olen = w;
	return o;
}

int vi_rec_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 char **out, size_t *len)
{
	int ret = INNER(be)->ops->read_file(INNER(be), ns, rel, out, len);
	enum keep k = keep_kind(ns, rel);
	char *key, *kept = NULL;
	const char *text;
	size_t tlen;
	json_t *v;

	if (ret < 0)
		return ret;
	text = *out;
	tlen = *len;
	if (k != KEEP_ALL) {
		kept = keep_lines(k, *out, *len, &tlen);
		if (!kept)
			return ret;	/* not recorded rather than recorded whole */
		text = kept;
	}
	/* text only without NUL bytes (binary files such as a PCI device's
	 * `config` are mostly zeros, which a capture may not hold as \u0000) */
	v = memchr(text, 0, tlen) ? NULL : json_stringn(text, tlen);
	if (!v) {
		/* not UTF-8: keep the bytes as hex */
		char *hex = vi_hex_encode(text, tlen);

		v = hex ? json_pack("{s:s}", "hex", hex) : NULL;
		free(hex);
	}
	free(kept);
	key = canonical(be, ns, rel, true);
	if (key)
		ns_put(REC(be), ns, key, v, false);
	else
		json_decref(v);
	free(key);
	return ret;
}

int vi_rec_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	int ret = INNER(be)->ops->readlink(INNER(be), ns, rel, out);
	char *key;

	if (ret < 0 || private_link(ns, rel, *out))
		return ret;
	key = canonical(be, ns, rel, false);
	if (key)
		ns_put(REC(be), ns, key, json_pack("{s:s}", "link", *out), false);
	free(key);
	return ret;
}

/* Record that @rel exists: as the link it is, or as a directory or a file
 * whose content was not read. */
static void note_entry(struct vi_backend *be, enum vi_ns ns, const char *rel)
{
	struct record *r = REC(be);
	struct vi_backend *in = INNER(be);
	struct vi_nodeinfo st;
	json_t *o = ns_obj(r, ns);
	char *key = vi_path_normalize(rel), *target = NULL;

	if (!o || !key || json_object_get(o, key)) {
		free(key);
		return;
	}
	if (ns != VI_NS_DEV && in->ops->readlink(in, ns, key, &target) >= 0) {
		if (!private_link(ns, key, target))
			json_object_set_new(o, key, json_pack("{s:s}", "link", target));
		free(target);
	} else if (in->ops->stat_node(in, ns, key, &st) >= 0) {
		if (S_ISDIR(st.mode))
			json_object_set_new(o, key, json_pack("{s:b}", "dir", 1));
		else if (ns != VI_NS_DEV)
			json_object_set_new(o, key, json_object());
	}
	free(key);
}

static void put_devnode(struct record *r, const char *rel, const struct vi_nodeinfo *st)
{
	char mode[16], rdev[32];

	snprintf(mode, sizeof(mode), "%04o", st->mode & 07777);
	snprintf(rdev, sizeof(rdev), "%u:%u", st->major, st->minor);
	ns_put(r, VI_NS_DEV, rel,
	       json_pack("{s:s,s:I,s:I,s:s}", "mode", mode, "uid", (json_int_t)st->uid,
			 "gid", (json_int_t)st->gid, "rdev", rdev), false);
}

int vi_rec_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 struct vi_nodeinfo *st)
{
	int ret = INNER(be)->ops->stat_node(INNER(be), ns, rel, st);
	char *key;

	if (ret < 0)
		return ret;
	key = canonical(be, ns, rel, true);
	if (!key)
		return ret;
	if (ns == VI_NS_DEV && S_ISCHR(st->mode))
		put_devnode(REC(be), key, st);
	else if (S_ISDIR(st->mode))
		ns_put(REC(be), ns, key, json_pack("{s:b}", "dir", 1), true);
	else if (ns != VI_NS_DEV)
		ns_put(REC(be), ns, key, json_object(), true);
	free(key);
	return ret;
}

int vi_rec_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
			char ***names, size_t *n)
{
	int ret = INNER(be)->ops->list_dir(INNER(be), ns, rel, names, n);
	char *key;

	if (ret < 0)
		return ret;
	key = canonical(be, ns, rel, true);
	if (!key)
		return ret;
	for (size_t i = 0; i < *n; i++) {
		char *p = child_path(key, (*names)[i]);

		if (!p)
			continue;
		if (ns == VI_NS_DEV) {
			struct vi_nodeinfo st;

			if (INNER(be)->ops->stat_node(INNER(be), ns, p, &st) >= 0 &&
			    S_ISCHR(st.mode) && !json_object_get(ns_obj(REC(be), ns), p))
				put_devnode(REC(be), p, &st);
			else
				note_entry(be, ns, p);
		} else {
			note_entry(be, ns, p);
		}
		free(p);
	}
	if (*n == 0)
		ns_put(REC(be), ns, key, json_pack("{s:b}", "dir", 1), true);
	free(key);
	return ret;
}

