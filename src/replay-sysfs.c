// SPDX-License-Identifier: GPL-2.0-or-later
/* replay-sysfs.c - the capture's sysfs, procfs and dev sections as file
 * systems: files, symlinks resolved as the kernel does, directories; and
 * the checks made when they are loaded (names, links, device nodes).
 * Once loaded a section is an array of nodes sorted by key (struct
 * rp_ns): a lookup is a binary search, and the entries below a directory
 * are one range of it, so that no call scans the whole namespace. */
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
#include "path-resolve.h"
#include "replay-int.h"
#include "safe.h"

/* ---- the sorted namespace ---- */

/* The first node whose key is not below @key (strcmp order); @key is
 * @n bytes, then @tail (may be NULL). */
static size_t ns_lower(const struct rp_ns *s, const char *key, size_t n, const char *tail)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = s->v[mid].key;
		int d = strncmp(k, key, n);

		if (d == 0 && tail) {
			d = strcmp(k + n, tail);
		} else if (d == 0) {
			d = k[n] != '\0';
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct rp_node *ns_get(struct replay *r, enum vi_ns ns, const char *key)
{
	struct rp_ns *s;
	size_t at;

	if ((unsigned)ns > VI_NS_DEV || !r->ns[ns].present)
		return NULL;
	s = &r->ns[ns];
	at = ns_lower(s, key, strlen(key), NULL);
	return at < s->n && strcmp(s->v[at].key, key) == 0 ? &s->v[at] : NULL;
}

static enum rp_node_kind node_kind(const struct rp_node *v)
{
	return v ? (enum rp_node_kind)v->kind : NODE_NONE;
}

/* The range of keys below @dir ("" : all) in [*lo, *hi). */
static void below(const struct rp_ns *s, const char *dir, size_t *lo, size_t *hi)
{
	size_t n = strlen(dir);

	if (!n) {
		*lo = 0;
		*hi = s->n;
		return;
	}
	/* "dir/" .. "dir0" ('0' follows '/') */
	*lo = ns_lower(s, dir, n, "/");
	*hi = ns_lower(s, dir, n, "0");
}

/* Does some key lie below @dir? */
static bool has_children(struct replay *r, enum vi_ns ns, const char *dir)
{
	size_t lo, hi;

	if (!r->ns[ns].present)
		return false;
	below(&r->ns[ns], dir, &lo, &hi);
	return lo < hi;
}

struct link_ctx {
	struct replay *r;
	enum vi_ns ns;
};

/* vi_link_lookup over the capture's nodes */
static int capture_link(void *ctx, const char *key, const char **target)
{
	struct link_ctx *l = ctx;
	struct rp_node *v = ns_get(l->r, l->ns, key);

	if (node_kind(v) != NODE_LINK)
		return 0;
	*target = v->link;
	return 1;
}

/* replay-int.h */
char *replay_resolve(struct replay *r, enum vi_ns ns, const char *rel, bool follow_last)
{
	static const char *const roots[] = { "/sys/", "/proc/", "/dev/" };
	struct link_ctx l = { r, ns };

	return vi_path_resolve(rel, roots[ns], follow_last ? VI_RESOLVE_FOLLOW_LAST : 0,
			       capture_link, &l);
}

/* The node at @rel: exact key first, then through the symlinks.  *@path
 * (malloc'ed) receives the key that was looked up. */
static struct rp_node *ns_lookup(struct replay *r, enum vi_ns ns, const char *rel, char **path,
				 bool *loop)
{
	char *key = vi_path_normalize(rel), *res;
	struct rp_node *v;

	*path = NULL;
	if (!key)
		return NULL;
	v = ns_get(r, ns, key);
	if ((v && node_kind(v) != NODE_LINK) || (!v && has_children(r, ns, key))) {
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
	struct rp_node *v = ns_lookup(r, ns, rel, &path, &loop);
	char *bytes;
	int ret = 0;

	switch (node_kind(v)) {
	case NODE_FILE:
		bytes = malloc(v->len + 1);
		if (!bytes) {
			ret = -ENOMEM;
			break;
		}
		memcpy(bytes, v->data, v->len);
		bytes[v->len] = '\0';
		*out = bytes;
		*len = v->len;
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
		ret = v->err;
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
	struct rp_node *v;
	int ret;

	if (!key)
		return -ENOMEM;
	v = ns_get(r, ns, key);
	if (node_kind(v) != NODE_LINK) {
		/* resolve the directories above it */
		char *slash = strrchr(key, '/');

		base = slash ? slash + 1 : key;
		if (slash)
			*slash = '\0';
		dir = replay_resolve(r, ns, slash ? key : "", true);
		full = dir ? vi_path_join(dir, base) : NULL;
		v = full ? ns_get(r, ns, full) : NULL;
		if (slash)
			*slash = '/';
	}
	if (node_kind(v) == NODE_LINK) {
		*out = strdup(v->link);
		ret = *out ? 0 : -ENOMEM;
	} else if (node_kind(v) == NODE_BAD) {
		ret = v->err;
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

static int add_name(char ***names, size_t *n, size_t *cap, const char *c, size_t cl)
{
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
	return 0;
}

/* Append the next component of every key below @dir to @names: one step
 * per entry of the directory (the keys below an entry that is itself a
 * directory are skipped by one search), not per key below it. */
static int collect_children(struct replay *r, enum vi_ns ns, const char *dir,
			    char ***names, size_t *n, size_t *cap)
{
	const struct rp_ns *s = &r->ns[ns];
	size_t dl = strlen(dir), lo, hi, i;
	char *probe = NULL;

	below(s, dir, &lo, &hi);
	for (i = lo; i < hi;) {
		const char *k = s->v[i].key, *c = dl ? k + dl + 1 : k;
		size_t cl = strcspn(c, "/");

		if (cl && add_name(names, n, cap, c, cl) < 0) {
			free(probe);
			return -ENOMEM;
		}
		if (!c[cl]) {
			i++;
			continue;
		}
		/* the keys below "dir/c/": up to "dir/c0" */
		{
			size_t pl = (size_t)(c - k) + cl;
			char *np = realloc(probe, pl + 1);

			if (!np) {
				free(probe);
				return -ENOMEM;
			}
			probe = np;
			memcpy(probe, k, pl);
			probe[pl] = '\0';
			i = ns_lower(s, probe, pl, "0");
		}
	}
	free(probe);
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
	struct rp_node *val;
	int ret = 0;

	if (!key)
		return -ENOMEM;
	if (!r->ns[ns].present) {
		free(key);
		return -ENOENT;
	}
	val = ns_get(r, ns, key);
	if (node_kind(val) == NODE_BAD) {
		free(key);
		return val->err;
	}
	if (node_kind(val) == NODE_FILE || node_kind(val) == NODE_UNREAD ||
	    node_kind(val) == NODE_DEV) {
		free(key);
		return -ENOTDIR;
	}
	exists = node_kind(val) == NODE_DIR || has_children(r, ns, key);
	ret = collect_children(r, ns, key, &v, &n, &cap);
	res = ret ? NULL : replay_resolve(r, ns, key, true);
	if (res && strcmp(res, key) != 0) {
		val = ns_get(r, ns, res);
		if (node_kind(val) == NODE_DIR || has_children(r, ns, res))
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
	struct rp_node *v = ns_lookup(r, ns, rel, &path, &loop);
	int ret = 0;

	memset(st, 0, sizeof(*st));
	switch (node_kind(v)) {
	case NODE_DEV:
		st->mode = v->mode;
		st->uid = v->uid;
		st->gid = v->gid;
		st->major = v->major;
		st->minor = v->minor;
		break;
	case NODE_FILE:
	case NODE_UNREAD:
		st->mode = S_IFREG | 0444;
		break;
	case NODE_DIR:
		st->mode = S_IFDIR | 0755;
		break;
	case NODE_BAD:
		ret = v->err;
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

/* One checked value into @nd: key and payload in one allocation.  @bad:
 * the value was malformed, every access fails with EIO. */
static int make_node(struct rp_node *nd, const char *key, json_t *v, enum vi_ns ns, bool bad)
{
	size_t kl = strlen(key) + 1, pl = 0;
	const void *payload = NULL;
	uint8_t *hex = NULL;
	json_t *f;
	char *block;

	memset(nd, 0, sizeof(*nd));
	if (bad) {
		nd->kind = NODE_BAD;
		nd->err = -EIO;
	} else if (json_is_string(v)) {
		nd->kind = NODE_FILE;
		payload = json_string_value(v);
		pl = json_string_length(v);
	} else if ((f = json_object_get(v, "link"))) {
		nd->kind = NODE_LINK;
		payload = json_string_value(f);
		pl = strlen(payload);
	} else if ((f = json_object_get(v, "hex"))) {
		nd->kind = NODE_FILE;
		if (vi_hex_decode(json_string_value(f), &hex, &pl, NULL) < 0)
			return -ENOMEM;
		payload = hex;
	} else if (json_object_get(v, "dir")) {
		nd->kind = NODE_DIR;
	} else if (ns == VI_NS_DEV) {
		nd->kind = NODE_DEV;
		nd->mode = S_IFCHR | 0600;
		f = json_object_get(v, "mode");
		if (json_is_string(f))
			nd->mode = S_IFCHR | (unsigned int)strtoul(json_string_value(f), NULL, 8);
		else if (json_is_integer(f))
			nd->mode = S_IFCHR | ((unsigned int)json_integer_value(f) & 07777);
		if ((f = json_object_get(v, "uid")))
			nd->uid = (unsigned int)json_integer_value(f);
		if ((f = json_object_get(v, "gid")))
			nd->gid = (unsigned int)json_integer_value(f);
		if ((f = json_object_get(v, "rdev")))
			sscanf(json_string_value(f), "%u:%u", &nd->major, &nd->minor);
	} else {
		nd->kind = NODE_UNREAD;
	}
	block = malloc(kl + (payload ? pl + 1 : 0));
	if (!block) {
		free(hex);
		return -ENOMEM;
	}
	memcpy(block, key, kl);
	nd->key = block;
	if (payload) {
		memcpy(block + kl, payload, pl);
		block[kl + pl] = '\0';
		if (nd->kind == NODE_LINK)
			nd->link = block + kl;
		else
			nd->data = (const uint8_t *)(block + kl);
		nd->len = pl;
	}
	free(hex);
	return 0;
}

void replay_ns_free(struct rp_ns *s)
{
	for (size_t i = 0; i < s->n; i++)
		free((char *)s->v[i].key);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct node_pos {
	const char *key;
	size_t pos;
};

static int cmp_node_pos(const void *a, const void *b)
{
	return strcmp(((const struct node_pos *)a)->key, ((const struct node_pos *)b)->key);
}

/* Sort @s's nodes (in the file's order) by key; @inv[pos] receives the
 * sorted place of the node that was at @pos. */
static int sort_nodes(struct rp_ns *s, size_t *inv)
{
	struct node_pos *t = malloc((s->n + 1) * sizeof(*t));
	struct rp_node *sv = malloc((s->n + 1) * sizeof(*sv));

	if (!t || !sv) {
		free(t);
		free(sv);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n; i++)
		t[i] = (struct node_pos){ s->v[i].key, i };
	if (s->n > 1)
		qsort(t, s->n, sizeof(*t), cmp_node_pos);
	for (size_t i = 0; i < s->n; i++) {
		sv[i] = s->v[t[i].pos];
		inv[t[i].pos] = i;
	}
	free(s->v);
	free(t);
	s->v = sv;
	return 0;
}

int replay_load_ns(struct loadctx *c, struct replay *r, enum vi_ns ns, const char *name)
{
	json_t *o = json_object_get(r->root, name), *v;
	struct rp_ns *s = &r->ns[ns];
	size_t *inv = NULL;
	const char *k;
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
	s->v = calloc(json_object_size(o) + 1, sizeof(*s->v));
	if (!s->v)
		return rp_fail(c, name, "out of memory");
	json_object_foreach(o, k, v) {
		char *q = rp_shown(k);

		snprintf(w, sizeof(w), "%s[\"%s\"]", name, q);
		free(q);
		if (!key_ok(k)) {
			c->part = "the entry";
			rp_bad(c, w, "not a path (components of printable ASCII, at most 255 "
			    "bytes, no \".\" or \"..\")");
			c->part = NULL;
			continue;
		}
		c->part = NULL;
		c->then = "reading it fails with EIO";
		ret = check_ns_value(c, w, v, ns == VI_NS_DEV);
		c->then = NULL;
		if (ret < 0 && c->fatal)
			return -1;
		if (make_node(&s->v[s->n], k, v, ns, ret < 0) < 0)
			return rp_fail(c, name, "out of memory");
		s->n++;
	}
	s->present = true;
	/* the section is in the nodes now */
	json_object_del(r->root, name);
	inv = malloc((s->n + 1) * sizeof(*inv));
	if (!inv || sort_nodes(s, inv) < 0) {
		free(inv);
		return rp_fail(c, name, "out of memory");
	}
	/* symlinks that never end: what a real file system gives (ELOOP);
	 * noted in the file's order */
	for (size_t pos = 0; pos < s->n; pos++) {
		struct rp_node *nd = &s->v[inv[pos]];
		char *res;

		if (nd->kind != NODE_LINK)
			continue;
		res = replay_resolve(r, ns, nd->key, true);
		if (res) {
			free(res);
			continue;
		}
		{
			char *q = rp_shown(nd->key);

			snprintf(w, sizeof(w), "%s[\"%s\"]", name, q);
			free(q);
		}
		rp_note(c, w, "the link loops (more than %d links in a row), which no "
		     "sysfs does; following it fails with ELOOP", VI_LINK_HOPS_MAX);
		nd->kind = NODE_BAD;
		nd->err = -ELOOP;
	}
	free(inv);
	return 0;
}
