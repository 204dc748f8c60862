// SPDX-License-Identifier: GPL-2.0-or-later
/* replay-sysfs.c - the capture's sysfs, procfs and dev sections as file
 * systems: files, symlinks resolved as the kernel does, directories; and
 * the checks made when they are loaded (names, links, device nodes). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "capture-io.h"
#include "replay-int.h"
#include "safe.h"

/* NODE_BAD: what loading found malformed (RP_MALFORMED) */
enum node_kind { NODE_NONE, NODE_FILE, NODE_LINK, NODE_DIR, NODE_DEV, NODE_UNREAD, NODE_BAD };

static enum node_kind node_kind(json_t *v, enum vi_ns ns)
{
	if (!v)
		return NODE_NONE;
	if (json_is_string(v))
		return NODE_FILE;
	if (json_object_get(v, RP_MALFORMED))
		return NODE_BAD;
	if (json_object_get(v, "link"))
		return NODE_LINK;
	if (json_object_get(v, "hex"))
		return NODE_FILE;
	if (json_object_get(v, "dir"))
		return NODE_DIR;
	if (ns == VI_NS_DEV)
		return NODE_DEV;
	return NODE_UNREAD;
}

/* The errno every access to a NODE_BAD value fails with. */
static int bad_errno(json_t *v)
{
	json_int_t e = json_integer_value(json_object_get(v, RP_MALFORMED));

	return e > 0 && e <= MAX_ERRNO ? -(int)e : -EIO;
}

static json_t *ns_get(struct replay *r, enum vi_ns ns, const char *key)
{
	if ((unsigned)ns > VI_NS_DEV || !r->ns[ns])
		return NULL;
	return json_object_get(r->ns[ns], key);
}

/* Does some key lie below @dir? */
static bool has_children(struct replay *r, enum vi_ns ns, const char *dir)
{
	size_t n = strlen(dir);
	const char *k;
	json_t *v;

	if (!r->ns[ns])
		return false;
	json_object_foreach(r->ns[ns], k, v) {
		if (n == 0 || (strncmp(k, dir, n) == 0 && k[n] == '/'))
			return true;
	}
	return false;
}

static char *join_path(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", a, (*a && *b) ? "/" : "", b);
	return p;
}

/* replay-int.h */
char *replay_resolve(struct replay *r, enum vi_ns ns, const char *rel, bool follow_last)
{
	static const char *const roots[] = { "/sys/", "/proc/", "/dev/" };
	char *rest = vi_path_normalize(rel);
	char *cur = strdup("");
	int hops = 0;

	while (rest && cur && *rest) {
		size_t n = strcspn(rest, "/");
		const char *tail = rest[n] ? rest + n + 1 : rest + n;
		char *cand, *next;
		json_t *v;

		if (n == 0 || (n == 1 && rest[0] == '.')) {
			memmove(rest, tail, strlen(tail) + 1);
			continue;
		}
		if (n == 2 && rest[0] == '.' && rest[1] == '.') {
			char *slash = strrchr(cur, '/');

			if (slash)
				*slash = '\0';
			else
				cur[0] = '\0';
			memmove(rest, tail, strlen(tail) + 1);
			continue;
		}
		cand = malloc(strlen(cur) + n + 2);
		if (!cand)
			break;
		sprintf(cand, "%s%s%.*s", cur, *cur ? "/" : "", (int)n, rest);
		v = ns_get(r, ns, cand);
		if (node_kind(v, ns) == NODE_LINK && (*tail || follow_last)) {
			const char *target = json_string_value(json_object_get(v, "link"));

			free(cand);
			if (++hops > MAX_LINK_HOPS)
				break;
			if (target[0] == '/') {
				size_t rl = strlen(roots[ns]);

				cur[0] = '\0';
				if (strncmp(target, roots[ns], rl) == 0)
					target += rl;
			}
			next = join_path(target, tail);
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

/* The value at @rel: exact key first, then through the symlinks.  *@path
 * (malloc'ed) receives the key that was looked up. */
static json_t *ns_lookup(struct replay *r, enum vi_ns ns, const char *rel, char **path,
			 bool *loop)
{
	char *key = vi_path_normalize(rel), *res;
	json_t *v;

	*path = NULL;
	if (!key)
		return NULL;
	v = ns_get(r, ns, key);
	if ((v && node_kind(v, ns) != NODE_LINK) || (!v && has_children(r, ns, key))) {
		*path = key;
		return v;
	}
	res = replay_resolve(r, ns, key, true);
	if (!res) {
		*loop = true;
		*path = key;
		return NULL;
	}
	free(key);
	*path = res;
	return ns_get(r, ns, res);
}

int replay_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			    char **out, size_t *len)
{
	struct replay *r = RP(be);
	char *path = NULL;
	bool loop = false;
	json_t *v = ns_lookup(r, ns, rel, &path, &loop);
	uint8_t *bytes = NULL;
	size_t n = 0;
	int ret = 0;

	switch (node_kind(v, ns)) {
	case NODE_FILE:
		if (json_is_string(v)) {
			n = json_string_length(v);
			bytes = malloc(n + 1);
			if (bytes)
				memcpy(bytes, json_string_value(v), n);
		} else if (vi_hex_decode(json_string_value(json_object_get(v, "hex")),
					 &bytes, &n, NULL) == 0) {
			uint8_t *nb = realloc(bytes, n + 1);

			if (!nb) {
				free(bytes);
				bytes = NULL;
			}
			bytes = nb;
		}
		if (!bytes) {
			ret = -ENOMEM;
			break;
		}
		bytes[n] = '\0';
		*out = (char *)bytes;
		*len = n;
		break;
	case NODE_UNREAD:
		ret = -EIO;
		break;
	case NODE_DIR:
		ret = -EISDIR;
		break;
	case NODE_DEV:
		ret = -EINVAL;
		break;
	case NODE_BAD:
		ret = bad_errno(v);
		break;
	default:
		ret = loop ? -ELOOP : path && has_children(r, ns, path) ? -EISDIR : -ENOENT;
		break;
	}
	free(path);
	return ret;
}

int replay_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	struct replay *r = RP(be);
	char *key = vi_path_normalize(rel), *dir = NULL, *full = NULL;
	const char *base;
	json_t *v;
	int ret;

	if (!key)
		return -ENOMEM;
	v = ns_get(r, ns, key);
	if (node_kind(v, ns) != NODE_LINK) {
		/* resolve the directories above it */
		char *slash = strrchr(key, '/');

		base = slash ? slash + 1 : key;
		if (slash)
			*slash = '\0';
		dir = replay_resolve(r, ns, slash ? key : "", true);
		full = dir ? join_path(dir, base) : NULL;
		v = full ? ns_get(r, ns, full) : NULL;
		if (slash)
			*slash = '/';
	}
	if (node_kind(v, ns) == NODE_LINK) {
		*out = strdup(json_string_value(json_object_get(v, "link")));
		ret = *out ? 0 : -ENOMEM;
	} else if (node_kind(v, ns) == NODE_BAD) {
		ret = bad_errno(v);
	} else if (v || has_children(r, ns, key) || (full && has_children(r, ns, full))) {
		ret = -EINVAL;
	} else {
		ret = -ENOENT;
	}
	free(key);
	free(dir);
	free(full);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append the next component of every key below @dir to @names. */
static int collect_children(struct replay *r, enum vi_ns ns, const char *dir,
			    char ***names, size_t *n, size_t *cap)
{
	size_t dl = strlen(dir);
	const char *k;
	json_t *v;

	json_object_foreach(r->ns[ns], k, v) {
		const char *c;
		size_t cl;

		if (dl) {
			if (strncmp(k, dir, dl) != 0 || k[dl] != '/')
				continue;
			c = k + dl + 1;
		} else {
			c = k;
		}
		cl = strcspn(c, "/");
		if (!cl)
			continue;
		if (*n == *cap) {
			char **nv;

			*cap = *cap ? *cap * 2 : 16;
			nv = realloc(*names, *cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			*names = nv;
		}
		(*names)[*n] = strndup(c, cl);
		if (!(*names)[*n])
			return -ENOMEM;
		(*n)++;
	}
	return 0;
}

int replay_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
			   char ***names, size_t *count)
{
	struct replay *r = RP(be);
	char *key = vi_path_normalize(rel), *res = NULL;
	char **v = NULL;
	size_t n = 0, cap = 0, o = 0;
	bool exists = false;
	json_t *val;
	int ret = 0;

	if (!key)
		return -ENOMEM;
	if (!r->ns[ns]) {
		free(key);
		return -ENOENT;
	}
	val = ns_get(r, ns, key);
	if (node_kind(val, ns) == NODE_BAD) {
		free(key);
		return bad_errno(val);
	}
	if (node_kind(val, ns) == NODE_FILE || node_kind(val, ns) == NODE_UNREAD ||
	    node_kind(val, ns) == NODE_DEV) {
		free(key);
		return -ENOTDIR;
	}
	exists = node_kind(val, ns) == NODE_DIR || has_children(r, ns, key);
	ret = collect_children(r, ns, key, &v, &n, &cap);
	res = ret ? NULL : replay_resolve(r, ns, key, true);
	if (res && strcmp(res, key) != 0) {
		val = ns_get(r, ns, res);
		if (node_kind(val, ns) == NODE_DIR || has_children(r, ns, res))
			exists = true;
		ret = collect_children(r, ns, res, &v, &n, &cap);
	}
	free(key);
	free(res);
	if (!ret && !exists)
		ret = -ENOENT;
	if (ret) {
		vi_names_free(v, n);
		return ret;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (o && strcmp(v[o - 1], v[i]) == 0) {
			free(v[i]);
			continue;
		}
		v[o++] = v[i];
	}
	*names = v;
	*count = o;
	return 0;
}

int replay_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			    struct vi_nodeinfo *st)
{
	struct replay *r = RP(be);
	char *path = NULL;
	bool loop = false;
	json_t *v = ns_lookup(r, ns, rel, &path, &loop), *f;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	switch (node_kind(v, ns)) {
	case NODE_DEV:
		st->mode = S_IFCHR | 0600;
		f = json_object_get(v, "mode");
		if (json_is_string(f))
			st->mode = S_IFCHR | (unsigned int)strtoul(json_string_value(f), NULL, 8);
		else if (json_is_integer(f))
			st->mode = S_IFCHR | ((unsigned int)json_integer_value(f) & 07777);
		if ((f = json_object_get(v, "uid")))
			st->uid = (unsigned int)json_integer_value(f);
		if ((f = json_object_get(v, "gid")))
			st->gid = (unsigned int)json_integer_value(f);
		if ((f = json_object_get(v, "rdev")))
			sscanf(json_string_value(f), "%u:%u", &st->major, &st->minor);
		break;
	case NODE_FILE:
	case NODE_UNREAD:
		st->mode = S_IFREG | 0444;
		break;
	case NODE_DIR:
		st->mode = S_IFDIR | 0755;
		break;
	case NODE_BAD:
		ret = bad_errno(v);
		break;
	default:
		if (loop)
			ret = -ELOOP;
		else if (path && has_children(r, ns, path))
			st->mode = S_IFDIR | 0755;
		else
			ret = -ENOENT;
		break;
	}
	free(path);
	return ret;
}

/* The kernel's dev_t: 12 bits of major, 20 of minor. */
#define MAX_MAJOR	4095u
#define MAX_MINOR	1048575u
/* (uid_t)-1 means "no change" to chown: no file has it. */
#define MAX_ID		4294967294LL

/* ==== loading: the sections' shape, names and links ==== */

/* A key: components as file systems name them (no "", ".", "..", no
 * control characters, at most 255 bytes each). */
static bool key_ok(const char *k)
{
	char comp[256];

	if (!*k)
		return false;
	while (*k) {
		size_t n = strcspn(k, "/");

		if (n == 0 || n >= sizeof(comp))
			return false;
		memcpy(comp, k, n);
		comp[n] = '\0';
		if (!vi_name_ok(VI_NAME_COMPONENT, comp))
			return false;
		k += n;
		if (*k == '/' && !*++k)
			return false;
	}
	return true;
}

/* A symlink target: components as in a key, or "." and ".."; absolute
 * or relative. */
static bool link_ok(const char *t)
{
	char comp[256];

	if (*t == '/')
		t++;
	if (!*t)
		return false;
	while (*t) {
		size_t n = strcspn(t, "/");

		if (n >= sizeof(comp))
			return false;
		memcpy(comp, t, n);
		comp[n] = '\0';
		if (n && strcmp(comp, ".") != 0 && strcmp(comp, "..") != 0 &&
		    !vi_name_ok(VI_NAME_COMPONENT, comp))
			return false;
		t += n;
		if (*t == '/')
			t++;
	}
	return true;
}

static int check_id(struct loadctx *c, const char *where, json_t *v, const char *what)
{
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > MAX_ID)
		return rp_bad(c, where, "\"%s\" must be a number from 0 to %lld (%lld is no %s)",
			   what, MAX_ID, MAX_ID + 1, what);
	return 0;
}

/* Check one sysfs/procfs/dev value so that lookups can trust its shape.
 * -1 (noted) when it is not what a file system holds. */
static int check_ns_value(struct loadctx *c, const char *where, json_t *v, bool dev)
{
	uint8_t *bytes;
	size_t len;
	json_t *f;

	if (json_is_string(v) && !dev)
		return 0;
	if (!json_is_object(v))
		return rp_bad(c, where, dev ? "must be an object with mode, uid, gid, rdev" :
			   "must be a string or an object");
	if (json_object_get(v, RP_MALFORMED))
		return rp_bad(c, where, "\"%s\" is vfio-info's own mark, not a capture key",
			   RP_MALFORMED);
	if ((f = json_object_get(v, "link"))) {
		if (!json_is_string(f))
			return rp_bad(c, where, "\"link\" must be a string");
		if (!link_ok(json_string_value(f))) {
			char *q = rp_shown(json_string_value(f));
			int r = rp_bad(c, where, "link target \"%s\" is not a path", q);

			free(q);
			return r;
		}
	}
	if ((f = json_object_get(v, "hex"))) {
		if (rp_load_hex(c, where, f, &bytes, &len) < 0)
			return -1;
		free(bytes);
	}
	if (dev && !json_object_get(v, "link")) {
		unsigned int maj, min;
		char extra;

		f = json_object_get(v, "mode");
		if (f && !(json_is_integer(f) || json_is_string(f)))
			return rp_bad(c, where, "\"mode\" must be an octal string such as \"0600\"");
		if (json_is_string(f)) {
			char *end;
			unsigned long m = strtoul(json_string_value(f), &end, 8);

			if (*end || end == json_string_value(f) || m > 07777)
				return rp_bad(c, where, "\"mode\" must be an octal string from "
					   "\"0000\" to \"7777\" such as \"0600\"");
		}
		if (json_is_integer(f) && (json_integer_value(f) < 0 ||
					   json_integer_value(f) > 07777))
			return rp_bad(c, where, "\"mode\" %lld is not a permission mode "
				   "(0 to 07777, i.e. 4095)", (long long)json_integer_value(f));
		f = json_object_get(v, "rdev");
		if (f && (!json_is_string(f) ||
			  sscanf(json_string_value(f), "%u:%u%c", &maj, &min, &extra) != 2 ||
			  maj > MAX_MAJOR || min > MAX_MINOR))
			return rp_bad(c, where, "\"rdev\" must be \"major:minor\" (major to %u, "
				   "minor to %u)", MAX_MAJOR, MAX_MINOR);
		if (check_id(c, where, json_object_get(v, "uid"), "uid") < 0 ||
		    check_id(c, where, json_object_get(v, "gid"), "gid") < 0)
			return -1;
	}
	return 0;
}

/* Replace the value at @key by the mark that makes every access to it
 * fail with @err. */
static int mark_bad(struct loadctx *c, json_t *o, const char *key, int err)
{
	if (json_object_set_new(o, key, json_pack("{s:i}", RP_MALFORMED, err)) < 0)
		return rp_fail(c, "sysfs", "out of memory");
	return 0;
}

int replay_load_ns(struct loadctx *c, struct replay *r, enum vi_ns ns, const char *name)
{
	json_t *o = json_object_get(r->root, name), *v;
	const char *k;
	void *tmp;
	char w[512];
	int ret;

	if (!o)
		return 0;
	if (!json_is_object(o)) {
		c->part = name;
		rp_bad(c, name, "must be an object");
		c->part = NULL;
		return 0;
	}
	json_object_foreach_safe(o, tmp, k, v) {
		char *q = rp_shown(k);

		snprintf(w, sizeof(w), "%s[\"%s\"]", name, q);
		free(q);
		if (!key_ok(k)) {
			c->part = "the entry";
			rp_bad(c, w, "not a path (components of printable ASCII, at most 255 "
			    "bytes, no \".\" or \"..\")");
			c->part = NULL;
			json_object_del(o, k);
			continue;
		}
		c->part = NULL;
		c->then = "reading it fails with EIO";
		ret = check_ns_value(c, w, v, ns == VI_NS_DEV);
		c->then = NULL;
		if (ret < 0 && (c->fatal || mark_bad(c, o, k, EIO) < 0))
			return -1;
	}
	r->ns[ns] = o;
	/* symlinks that never end: what a real file system gives (ELOOP) */
	json_object_foreach(o, k, v) {
		char *res;

		if (!json_is_string(json_object_get(v, "link")))
			continue;
		res = replay_resolve(r, ns, k, true);
		if (res) {
			free(res);
			continue;
		}
		{
			char *q = rp_shown(k);

			snprintf(w, sizeof(w), "%s[\"%s\"]", name, q);
			free(q);
		}
		rp_note(c, w, "the link loops (more than %d links in a row), which no "
		     "sysfs does; following it fails with ELOOP", MAX_LINK_HOPS);
		if (mark_bad(c, o, k, ELOOP) < 0)
			return -1;
	}
	return 0;
}
