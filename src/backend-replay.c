// SPDX-License-Identifier: GPL-2.0-or-later
/* backend-replay.c - answer from a capture file with the kernel's size negotiation. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "backend.h"
#include "bytes.h"
#include "callkey.h"
#include "capture-io.h"
#include "uapi/vfio-abi.h"

#define HANDLE_BASE	3	/* handles look like fds and are never 0 */
#define MAX_LINK_HOPS	40
#define MAX_ERRNO	4095


struct rp_answer {
	long ret;
	int err;
	uint8_t *data;
	size_t len;
	bool has_data;
};

struct rp_call {
	const struct vi_ioc_desc *desc;
	struct vi_callkey key;
	struct rp_answer ans;
	uint8_t *aux;
	size_t auxlen;
	bool has_aux;
	struct rp_answer *resp;	/* "responses", served in order */
	size_t nresp, next;
};

struct rp_calls {
	struct rp_call *v;
	size_t n;
};

/* Captured region bytes: merged, sorted by (index, offset). */
struct rp_extent {
	uint32_t index;
	uint64_t off;
	uint8_t *data;
	size_t len;
};

/* An irq index set up through SET_IRQS: the event handle of each vector. */
struct rp_irqset {
	uint32_t index;
	int *trig;		/* per vector: an event handle, or -1 */
	uint32_t n;
};

struct rp_device {
	char *name, *group, *cdev;
	struct rp_calls calls;
	struct rp_extent *ext;
	size_t next;
	struct rp_irqset *irqsets;	/* what SET_IRQS set up, by index */
	size_t nirqsets;
};

struct rp_group {
	char *name;
	struct rp_calls calls;
};

struct rp_handle {
	bool used;
	bool iommu_set;		/* container: SET_IOMMU succeeded */
	enum vi_fdkind kind;
	int dev;		/* device index (VI_FD_DEVICE) */
	char *group;		/* group name (VI_FD_GROUP) */
	uint64_t events;	/* VI_FD_EVENTFD: signalled, not yet read */
};

struct rp_map {
	void *addr;
	size_t len;
};

/* Capture profiles that change where the caps flag and cap_offset live. */
enum { PROF_DEVTREE_2013 = 1 << 0, PROF_ZPCI_IOMMU_2019 = 1 << 1 };

struct replay {
	json_t *root;
	json_t *ns[3];		/* sysfs, procfs, dev (borrowed from root) */
	struct rp_device *devs;
	size_t ndevs;
	struct rp_group *groups;
	size_t ngroups;
	struct rp_calls container, iommufd;
	struct rp_handle *h;
	size_t nh;
	char **profiles;
	unsigned int prof;
	struct rp_map *maps;
	size_t nmaps;
	struct vi_hostinfo host;
};

static struct replay *RP(struct vi_backend *be)
{
	return be->priv;
}

/* ==== loading ==== */

struct loadctx {
	const char *file;
	char *err;
	size_t errlen;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int lerr(struct loadctx *c, const char *where, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s: %s", c->file, where, msg);
	return -1;
}

/* @w = @where followed by the printf-style @fmt (a JSON path). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void sub(char *w, size_t n, const char *where, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	snprintf(w, n, "%s", where);
	used = strlen(w);
	va_start(ap, fmt);
	vsnprintf(w + used, n - used, fmt, ap);
	va_end(ap);
}

static int load_hex(struct loadctx *c, const char *where, json_t *v, uint8_t **out, size_t *len)
{
	size_t bad = 0;
	int ret;

	if (!json_is_string(v))
		return lerr(c, where, "must be a hex string");
	ret = vi_hex_decode(json_string_value(v), out, len, &bad);
	if (ret == VI_HEX_BAD_CHAR)
		return lerr(c, where, "bad hex digit '%c' at character %zu",
			    json_string_value(v)[bad], bad);
	if (ret == VI_HEX_ODD)
		return lerr(c, where, "odd number of hex digits");
	if (ret < 0)
		return lerr(c, where, "out of memory");
	return 0;
}

static int load_uint(struct loadctx *c, const char *where, json_t *v, uint64_t max,
		     uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return lerr(c, where, "must be an integer from 0 to %llu",
			    (unsigned long long)max);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* "ret" and "errno" of a call or of one response object. */
static int load_answer(struct loadctx *c, const char *where, json_t *o, struct rp_answer *a)
{
	char w[320];
	json_t *v;

	a->ret = 0;
	a->err = 0;
	v = json_object_get(o, "ret");
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < -1 ||
		    json_integer_value(v) > INT_MAX) {
			sub(w, sizeof(w), where, ".ret");
			return lerr(c, w, "must be -1 or a non-negative integer");
		}
		a->ret = (long)json_integer_value(v);
	}
	v = json_object_get(o, "errno");
	if (v) {
		sub(w, sizeof(w), where, ".errno");
		if (json_is_string(v)) {
			a->err = vi_errno_value(json_string_value(v));
			if (!a->err)
				return lerr(c, w, "unknown errno name \"%s\"",
					    json_string_value(v));
		} else if (json_is_integer(v) && json_integer_value(v) > 0 &&
			   json_integer_value(v) <= MAX_ERRNO) {
			a->err = (int)json_integer_value(v);
		} else {
			return lerr(c, w, "must be an errno name such as \"EINVAL\"");
		}
	}
	if (a->ret < 0 && !a->err) {
		return lerr(c, where, "\"ret\": -1 needs an \"errno\"");
	}
	return 0;
}

static void free_call(struct rp_call *call)
{
	free(call->ans.data);
	free(call->aux);
	for (size_t j = 0; j < call->nresp; j++)
		free(call->resp[j].data);
	free(call->resp);
	memset(call, 0, sizeof(*call));
}

static void free_calls(struct rp_calls *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free_call(&cs->v[i]);
	free(cs->v);
	cs->v = NULL;
	cs->n = 0;
}

static int load_responses(struct loadctx *c, const char *where, json_t *arr,
			  struct rp_call *call)
{
	char w[320];
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return lerr(c, where, "must be an array");
	if (json_array_size(arr) == 0)
		return lerr(c, where, "must not be empty");
	call->resp = calloc(json_array_size(arr), sizeof(*call->resp));
	if (!call->resp)
		return lerr(c, where, "out of memory");
	json_array_foreach(arr, i, v) {
		struct rp_answer *a = &call->resp[i];

		sub(w, sizeof(w), where, "[%zu]", i);
		call->nresp = i + 1;
		if (json_is_string(v)) {
			if (load_hex(c, w, v, &a->data, &a->len) < 0)
				return -1;
			a->has_data = true;
		} else if (json_is_object(v)) {
			if (load_answer(c, w, v, a) < 0)
				return -1;
		} else {
			return lerr(c, w, "must be a hex string or an object with ret/errno");
		}
	}
	return 0;
}

/* Returns 1 when the call names an ioctl this vfio-info does not know:
 * a newer writer may record more, and readers ignore what they do not know. */
static int load_call(struct loadctx *c, const char *where, json_t *o, struct rp_call *call)
{
	char w[320];
	uint64_t u;
	json_t *v;

	if (!json_is_object(o))
		return lerr(c, where, "must be an object");
	v = json_object_get(o, "ioctl");
	if (!json_is_string(v)) {
		sub(w, sizeof(w), where, ".ioctl");
		return lerr(c, w, "missing or not a string");
	}
	call->desc = vi_ioc_by_name(json_string_value(v));
	if (!call->desc)
		return 1;

	if ((v = json_object_get(o, "index"))) {
		sub(w, sizeof(w), where, ".index");
		if (load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.index = (uint32_t)u;
		call->key.sel |= VI_SEL_INDEX;
	}
	if ((v = json_object_get(o, "extension"))) {
		sub(w, sizeof(w), where, ".extension");
		if (load_uint(c, w, v, UINT64_MAX >> 1, &u) < 0)
			return -1;
		call->key.extension = u;
		call->key.sel |= VI_SEL_EXTENSION;
	}
	if (json_is_true(json_object_get(o, "iommu_set")))
		call->key.sel |= VI_SEL_IOMMU_SET;
	if ((v = json_object_get(o, "feature"))) {
		sub(w, sizeof(w), where, ".feature");
		if (load_uint(c, w, v, VI_FEAT_MASK, &u) < 0)
			return -1;
		call->key.feature = (uint32_t)u;
		call->key.sel |= VI_SEL_FEATURE;
	}
	if ((v = json_object_get(o, "flags"))) {
		sub(w, sizeof(w), where, ".flags");
		if (!json_is_string(v) ||
		    vi_feature_flags_parse(json_string_value(v), &call->key.fflags) < 0)
			return lerr(c, w, "must be PROBE, GET, SET joined with \"|\"");
		call->key.sel |= VI_SEL_FLAGS;
	}
	if ((v = json_object_get(o, "dev_id"))) {
		sub(w, sizeof(w), where, ".dev_id");
		if (load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.dev_id = (uint32_t)u;
		call->key.sel |= VI_SEL_DEV_ID;
	}
	if ((v = json_object_get(o, "name"))) {
		sub(w, sizeof(w), where, ".name");
		if (!json_is_string(v) ||
		    strlen(json_string_value(v)) >= sizeof(call->key.name))
			return lerr(c, w, "must be a device name");
		strcpy(call->key.name, json_string_value(v));
		call->key.sel |= VI_SEL_NAME;
	}
	if (load_answer(c, where, o, &call->ans) < 0)
		return -1;
	if ((v = json_object_get(o, "data"))) {
		sub(w, sizeof(w), where, ".data");
		if (load_hex(c, w, v, &call->ans.data, &call->ans.len) < 0)
			return -1;
		call->ans.has_data = true;
	}
	if ((v = json_object_get(o, "aux"))) {
		sub(w, sizeof(w), where, ".aux");
		if (load_hex(c, w, v, &call->aux, &call->auxlen) < 0)
			return -1;
		call->has_aux = true;
	}
	if ((v = json_object_get(o, "responses"))) {
		sub(w, sizeof(w), where, ".responses");
		if (load_responses(c, w, v, call) < 0)
			return -1;
	}
	return 0;
}

static int load_calls(struct loadctx *c, const char *where, json_t *owner, struct rp_calls *cs)
{
	json_t *arr = json_object_get(owner, "ioctls");
	char w[320];
	size_t i;
	json_t *v;

	if (!arr)
		return 0;
	sub(w, sizeof(w), where, "%sioctls", *where ? "." : "");
	if (!json_is_array(arr))
		return lerr(c, w, "must be an array");
	cs->v = calloc(json_array_size(arr) + 1, sizeof(*cs->v));
	if (!cs->v)
		return lerr(c, w, "out of memory");
	json_array_foreach(arr, i, v) {
		int ret;

		sub(w, sizeof(w), where, "%sioctls[%zu]", *where ? "." : "", i);
		memset(&cs->v[cs->n], 0, sizeof(cs->v[cs->n]));
		ret = load_call(c, w, v, &cs->v[cs->n]);
		if (ret == 0) {
			cs->n++;
		} else {
			free_call(&cs->v[cs->n]);
			if (ret < 0)
				return -1;
		}
	}
	return 0;
}

/* A group name: a string, or a number for the convenience of hand-written files. */
static int load_group_name(struct loadctx *c, const char *where, json_t *v, char **out)
{
	char buf[32];

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		*out = strdup(buf);
	} else if (json_is_string(v) && *json_string_value(v) &&
		   !strchr(json_string_value(v), '/')) {
		*out = strdup(json_string_value(v));
	} else {
		return lerr(c, where, "must be a group name such as \"12\" or \"noiommu-3\"");
	}
	return *out ? 0 : lerr(c, where, "out of memory");
}

static int cmp_extent(const void *a, const void *b)
{
	const struct rp_extent *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return 0;
}

/* Sort the extents and merge overlapping or adjacent ones (later wins). */
static int merge_extents(struct rp_device *d)
{
	size_t o = 0;

	if (d->next < 2)
		return 0;
	qsort(d->ext, d->next, sizeof(*d->ext), cmp_extent);
	for (size_t i = 1; i < d->next; i++) {
		struct rp_extent *a = &d->ext[o], *b = &d->ext[i];
		uint64_t aend = a->off + a->len;

		if (a->index == b->index && b->off <= aend) {
			uint64_t bend = b->off + b->len;
			size_t nlen = (size_t)((bend > aend ? bend : aend) - a->off);
			uint8_t *nd = realloc(a->data, nlen ? nlen : 1);

			if (!nd)
				return -1;
			memcpy(nd + (b->off - a->off), b->data, b->len);
			a->data = nd;
			a->len = nlen;
			free(b->data);
			b->data = NULL;
		} else {
			d->ext[++o] = *b;
			if (o != i)
				b->data = NULL;
		}
	}
	d->next = o + 1;
	return 0;
}

static int load_regions(struct loadctx *c, const char *where, json_t *arr, struct rp_device *d)
{
	char w[320];
	size_t i;
	json_t *v;

	if (!arr)
		return 0;
	sub(w, sizeof(w), where, ".regions");
	if (!json_is_array(arr))
		return lerr(c, w, "must be an array");
	d->ext = calloc(json_array_size(arr) + 1, sizeof(*d->ext));
	if (!d->ext)
		return lerr(c, w, "out of memory");
	json_array_foreach(arr, i, v) {
		struct rp_extent *e = &d->ext[d->next];
		uint64_t u;

		sub(w, sizeof(w), where, ".regions[%zu]", i);
		if (!json_is_object(v))
			return lerr(c, w, "must be an object");
		sub(w, sizeof(w), where, ".regions[%zu].index", i);
		if (load_uint(c, w, json_object_get(v, "index"), UINT32_MAX, &u) < 0)
			return -1;
		e->index = (uint32_t)u;
		sub(w, sizeof(w), where, ".regions[%zu].offset", i);
		if (load_uint(c, w, json_object_get(v, "offset"), UINT64_MAX >> 1, &e->off) < 0)
			return -1;
		sub(w, sizeof(w), where, ".regions[%zu].data", i);
		if (load_hex(c, w, json_object_get(v, "data"), &e->data, &e->len) < 0)
			return -1;
		d->next++;
	}
	if (merge_extents(d) < 0)
		return lerr(c, where, "out of memory");
	return 0;
}

static int load_device(struct loadctx *c, size_t i, json_t *o, struct rp_device *d)
{
	char where[64], w[96];
	json_t *v;

	snprintf(where, sizeof(where), "devices[%zu]", i);
	if (!json_is_object(o))
		return lerr(c, where, "must be an object");
	v = json_object_get(o, "name");
	sub(w, sizeof(w), where, ".name");
	if (!json_is_string(v) || !*json_string_value(v))
		return lerr(c, w, "missing or not a string");
	d->name = strdup(json_string_value(v));
	sub(w, sizeof(w), where, ".group");
	if (load_group_name(c, w, json_object_get(o, "group"), &d->group) < 0)
		return -1;
	v = json_object_get(o, "cdev");
	sub(w, sizeof(w), where, ".cdev");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || !*json_string_value(v) ||
		    strchr(json_string_value(v), '/'))
			return lerr(c, w, "must be a name such as \"vfio0\" or null");
		d->cdev = strdup(json_string_value(v));
	}
	if (!d->name)
		return lerr(c, where, "out of memory");
	if (load_calls(c, where, o, &d->calls) < 0)
		return -1;
	return load_regions(c, where, json_object_get(o, "regions"), d);
}

/* Check one sysfs/procfs/dev value so that lookups can trust its shape. */
static int check_ns_value(struct loadctx *c, const char *where, json_t *v, bool dev)
{
	uint8_t *bytes;
	size_t len;
	json_t *f;

	if (json_is_string(v) && !dev)
		return 0;
	if (!json_is_object(v))
		return lerr(c, where, dev ? "must be an object with mode, uid, gid, rdev" :
			    "must be a string or an object");
	if ((f = json_object_get(v, "link")) && !json_is_string(f))
		return lerr(c, where, "\"link\" must be a string");
	if ((f = json_object_get(v, "hex"))) {
		if (load_hex(c, where, f, &bytes, &len) < 0)
			return -1;
		free(bytes);
	}
	if (dev && !json_object_get(v, "link")) {
		unsigned int maj, min;
		char extra;

		f = json_object_get(v, "mode");
		if (f && !(json_is_integer(f) || json_is_string(f)))
			return lerr(c, where, "\"mode\" must be an octal string such as \"0600\"");
		if (json_is_string(f)) {
			char *end;
			unsigned long m = strtoul(json_string_value(f), &end, 8);

			if (*end || end == json_string_value(f) || m > 07777)
				return lerr(c, where,
					    "\"mode\" must be an octal string such as \"0600\"");
		}
		f = json_object_get(v, "rdev");
		if (f && (!json_is_string(f) ||
			  sscanf(json_string_value(f), "%u:%u%c", &maj, &min, &extra) != 2))
			return lerr(c, where, "\"rdev\" must be \"major:minor\"");
		f = json_object_get(v, "uid");
		if (f && (!json_is_integer(f) || json_integer_value(f) < 0 ||
			  json_integer_value(f) > UINT32_MAX))
			return lerr(c, where, "\"uid\" must be a number");
		f = json_object_get(v, "gid");
		if (f && (!json_is_integer(f) || json_integer_value(f) < 0 ||
			  json_integer_value(f) > UINT32_MAX))
			return lerr(c, where, "\"gid\" must be a number");
	}
	return 0;
}

static int load_ns(struct loadctx *c, struct replay *r, enum vi_ns ns, const char *key)
{
	json_t *o = json_object_get(r->root, key), *v;
	const char *k;
	char w[512];

	if (!o)
		return 0;
	if (!json_is_object(o))
		return lerr(c, key, "must be an object");
	json_object_foreach(o, k, v) {
		sub(w, sizeof(w), key, "[\"%s\"]", k);
		if (check_ns_value(c, w, v, ns == VI_NS_DEV) < 0)
			return -1;
	}
	r->ns[ns] = o;
	return 0;
}

static int load_host(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	json_t *host = json_object_get(r->root, "host"), *v;
	uint64_t u;

	r->host.big_endian = strcmp(json_string_value(json_object_get(host, "byte_order")),
				    "big") == 0;
	r->host.page_size = 4096;
	if ((v = json_object_get(host, "kernel")) && json_is_string(v))
		snprintf(r->host.kernel, sizeof(r->host.kernel), "%s", json_string_value(v));
	if ((v = json_object_get(host, "machine")) && json_is_string(v))
		snprintf(r->host.machine, sizeof(r->host.machine), "%s", json_string_value(v));
	if ((v = json_object_get(host, "page_size"))) {
		if (load_uint(c, "host.page_size", v, 1u << 30, &u) < 0)
			return -1;
		if (u < 512 || (u & (u - 1)))
			return lerr(c, "host.page_size", "must be a power of two, at least 512");
		r->host.page_size = (unsigned int)u;
	}
	be->big_endian = r->host.big_endian;
	be->page_size = r->host.page_size;
	return 0;
}

static int load_profiles(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	json_t *arr = json_object_get(r->root, "profiles"), *v;
	char w[64];
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return lerr(c, "profiles", "must be an array of profile names");
	r->profiles = calloc(json_array_size(arr) + 1, sizeof(*r->profiles));
	if (!r->profiles)
		return lerr(c, "profiles", "out of memory");
	json_array_foreach(arr, i, v) {
		snprintf(w, sizeof(w), "profiles[%zu]", i);
		if (!json_is_string(v))
			return lerr(c, w, "must be a string");
		r->profiles[i] = strdup(json_string_value(v));
		if (!r->profiles[i])
			return lerr(c, w, "out of memory");
		if (strcmp(r->profiles[i], "devtree-2013") == 0)
			r->prof |= PROF_DEVTREE_2013;
		else if (strcmp(r->profiles[i], "zpci-iommu-2019") == 0)
			r->prof |= PROF_ZPCI_IOMMU_2019;
	}
	be->profiles = (const char *const *)r->profiles;
	return 0;
}

static int load_groups(struct loadctx *c, struct replay *r)
{
	json_t *arr = json_object_get(r->root, "groups"), *v;
	char w[64];
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return lerr(c, "groups", "must be an array");
	r->groups = calloc(json_array_size(arr) + 1, sizeof(*r->groups));
	if (!r->groups)
		return lerr(c, "groups", "out of memory");
	json_array_foreach(arr, i, v) {
		struct rp_group *g = &r->groups[i];

		snprintf(w, sizeof(w), "groups[%zu]", i);
		if (!json_is_object(v))
			return lerr(c, w, "must be an object");
		r->ngroups = i + 1;
		snprintf(w, sizeof(w), "groups[%zu].group", i);
		if (load_group_name(c, w, json_object_get(v, "group"), &g->name) < 0)
			return -1;
		if (!g->name)
			return lerr(c, w, "missing");
		snprintf(w, sizeof(w), "groups[%zu]", i);
		if (load_calls(c, w, v, &g->calls) < 0)
			return -1;
	}
	return 0;
}

static int load_owner_calls(struct loadctx *c, struct replay *r, const char *key,
			    struct rp_calls *cs)
{
	json_t *o = json_object_get(r->root, key);

	if (!o)
		return 0;
	if (!json_is_object(o))
		return lerr(c, key, "must be an object");
	return load_calls(c, key, o, cs);
}

static int cmp_devname(const void *a, const void *b)
{
	const struct rp_device *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* Device names must be unique: sort pointers and compare neighbours. */
static int check_unique_names(struct loadctx *c, struct replay *r)
{
	const struct rp_device **v;
	int ret = 0;

	if (r->ndevs < 2)
		return 0;
	v = calloc(r->ndevs, sizeof(*v));
	if (!v)
		return lerr(c, "devices", "out of memory");
	for (size_t i = 0; i < r->ndevs; i++)
		v[i] = &r->devs[i];
	qsort(v, r->ndevs, sizeof(*v), cmp_devname);
	for (size_t i = 1; i < r->ndevs && !ret; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0) {
			char w[64];

			snprintf(w, sizeof(w), "devices[%zu].name", (size_t)(v[i] - r->devs));
			ret = lerr(c, w, "\"%s\" appears twice", v[i]->name);
		}
	free(v);
	return ret;
}

static int load_devices(struct loadctx *c, struct replay *r)
{
	json_t *arr = json_object_get(r->root, "devices"), *v;
	size_t i;

	r->devs = calloc(json_array_size(arr) + 1, sizeof(*r->devs));
	if (!r->devs)
		return lerr(c, "devices", "out of memory");
	json_array_foreach(arr, i, v) {
		r->ndevs = i + 1;
		if (load_device(c, i, v, &r->devs[i]) < 0)
			return -1;
	}
	return check_unique_names(c, r);
}

static void replay_free(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndevs; i++) {
		struct rp_device *d = &r->devs[i];

		free(d->name);
		free(d->group);
		free(d->cdev);
		free_calls(&d->calls);
		for (size_t j = 0; j < d->next; j++)
			free(d->ext[j].data);
		free(d->ext);
		for (size_t j = 0; j < d->nirqsets; j++)
			free(d->irqsets[j].trig);
		free(d->irqsets);
	}
	free(r->devs);
	for (size_t i = 0; i < r->ngroups; i++) {
		free(r->groups[i].name);
		free_calls(&r->groups[i].calls);
	}
	free(r->groups);
	free_calls(&r->container);
	free_calls(&r->iommufd);
	for (size_t i = 0; i < r->nh; i++)
		free(r->h[i].group);
	free(r->h);
	if (r->profiles)
		for (size_t i = 0; r->profiles[i]; i++)
			free(r->profiles[i]);
	free(r->profiles);
	for (size_t i = 0; i < r->nmaps; i++)
		free(r->maps[i].addr);
	free(r->maps);
	json_decref(r->root);
	free(r);
}

/* ==== handles ==== */

static int handle_new(struct replay *r, enum vi_fdkind kind, int dev, const char *group)
{
	size_t i;

	for (i = 0; i < r->nh; i++)
		if (!r->h[i].used)
			break;
	if (i == r->nh) {
		struct rp_handle *nh = realloc(r->h, (r->nh + 8) * sizeof(*nh));

		if (!nh)
			return -ENOMEM;
		memset(nh + r->nh, 0, 8 * sizeof(*nh));
		r->h = nh;
		r->nh += 8;
	}
	r->h[i].kind = kind;
	r->h[i].dev = dev;
	r->h[i].group = NULL;
	r->h[i].events = 0;
	if (group) {
		r->h[i].group = strdup(group);
		if (!r->h[i].group)
			return -ENOMEM;
	}
	r->h[i].used = true;
	return (int)i + HANDLE_BASE;
}

static struct rp_handle *handle_get(struct replay *r, int h)
{
	if (h < HANDLE_BASE || (size_t)(h - HANDLE_BASE) >= r->nh ||
	    !r->h[h - HANDLE_BASE].used)
		return NULL;
	return &r->h[h - HANDLE_BASE];
}

static bool group_known(struct replay *r, const char *name)
{
	for (size_t i = 0; i < r->ndevs; i++)
		if (r->devs[i].group && strcmp(r->devs[i].group, name) == 0)
			return true;
	for (size_t i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].name, name) == 0)
			return true;
	return false;
}

static struct rp_calls *calls_of(struct replay *r, struct rp_handle *hd)
{
	switch (hd->kind) {
	case VI_FD_CONTAINER:
		return &r->container;
	case VI_FD_IOMMUFD:
		return &r->iommufd;
	case VI_FD_DEVICE:
		return &r->devs[hd->dev].calls;
	case VI_FD_GROUP:
		for (size_t i = 0; i < r->ngroups; i++)
			if (strcmp(r->groups[i].name, hd->group) == 0)
				return &r->groups[i].calls;
		return NULL;
	case VI_FD_EVENTFD:
		return NULL;
	}
	return NULL;
}

static int replay_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	static const char group_dir[] = "/dev/vfio/";
	static const char cdev_dir[] = "/dev/vfio/devices/";
	struct replay *r = RP(be);
	const char *rest;

	if (strcmp(path, "/dev/vfio/vfio") == 0)
		return handle_new(r, VI_FD_CONTAINER, -1, NULL);
	if (strcmp(path, "/dev/iommu") == 0)
		return handle_new(r, VI_FD_IOMMUFD, -1, NULL);
	if (strncmp(path, cdev_dir, sizeof(cdev_dir) - 1) == 0) {
		rest = path + sizeof(cdev_dir) - 1;
		for (size_t i = 0; i < r->ndevs; i++)
			if (r->devs[i].cdev && strcmp(r->devs[i].cdev, rest) == 0)
				return handle_new(r, VI_FD_DEVICE, (int)i, NULL);
		return -ENOENT;
	}
	if (strncmp(path, group_dir, sizeof(group_dir) - 1) == 0) {
		rest = path + sizeof(group_dir) - 1;
		if (*rest && !strchr(rest, '/') && group_known(r, rest))
			return handle_new(r, VI_FD_GROUP, -1, rest);
	}
	return -ENOENT;
}

static void irqset_drop(struct rp_device *dev, struct rp_irqset *set)
{
	free(set->trig);
	*set = dev->irqsets[--dev->nirqsets];
}

static void replay_close(struct vi_backend *be, int h)
{
	struct replay *r = RP(be);
	struct rp_handle *hd = handle_get(r, h);

	if (!hd)
		return;
	/* The kernel tears a device's interrupts down when its file
	 * closes; an eventfd closed while set up is no longer signalled
	 * through this handle number (which may be given out again). */
	if (hd->kind == VI_FD_DEVICE) {
		struct rp_device *dev = &r->devs[hd->dev];

		while (dev->nirqsets)
			irqset_drop(dev, &dev->irqsets[0]);
	} else if (hd->kind == VI_FD_EVENTFD) {
		for (size_t i = 0; i < r->ndevs; i++)
			for (size_t j = 0; j < r->devs[i].nirqsets; j++)
				for (uint32_t v = 0; v < r->devs[i].irqsets[j].n; v++)
					if (r->devs[i].irqsets[j].trig[v] == h)
						r->devs[i].irqsets[j].trig[v] = -1;
	}
	free(hd->group);
	hd->group = NULL;
	hd->used = false;
}

/* ==== ioctl ==== */

static uint32_t buf_get32(struct vi_backend *be, const struct vi_ioarg *a, size_t off)
{
	return vi_get32(vi_bytes_make(a->buf, a->len, be->big_endian), off);
}

static void buf_put32(struct vi_backend *be, struct vi_ioarg *a, size_t off, uint32_t v)
{
	vi_put32(a->buf, a->len, off, v, be->big_endian);
}

/* Copy @n bytes of @src at @off into the caller's buffer, bounded by @room. */
static void copy_out(void *dst, size_t room, size_t off, const uint8_t *src, size_t n)
{
	if (off >= room)
		return;
	if (n > room - off)
		n = room - off;
	memcpy((uint8_t *)dst + off, src + off, n);
}

/* The most specific recorded call that answers (@ioc, @k). */
static struct rp_call *find_call(struct rp_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	struct rp_call *best = NULL;
	int best_n = -1;

	if (!cs)
		return NULL;
	for (size_t i = 0; i < cs->n; i++) {
		struct rp_call *c = &cs->v[i];
		int n;

		if (c->desc->ioc != ioc || !vi_callkey_matches(&c->key, k))
			continue;
		n = __builtin_popcount(c->key.sel);
		if (n > best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

static long answer_ret(const struct rp_answer *a)
{
	return a->ret < 0 ? -a->err : a->ret;
}

/* "responses": one per call in order, the last one repeated. */
static long serve_response(struct rp_call *c, struct vi_ioarg *a)
{
	struct rp_answer *ans = &c->resp[c->next < c->nresp ? c->next : c->nresp - 1];

	if (c->next < c->nresp)
		c->next++;
	if (ans->has_data) {
		if (a->buf && a->len)
			memcpy(a->buf, ans->data, ans->len < a->len ? ans->len : a->len);
		return 0;
	}
	return answer_ret(ans);
}

/* Where the capability flag and cap_offset of a CAPS-style call live. */
struct caps_field {
	uint32_t flag;
	size_t off, size;
};

static bool caps_field(struct replay *r, enum vi_ioc ioc, struct caps_field *cf)
{
	switch (ioc) {
	case VI_IOC_DEVICE_GET_INFO:
		*cf = (struct caps_field){ VI_DEVICE_FLAGS_CAPS, VI_DEVINFO_CAP_OFFSET, 4 };
		return true;
	case VI_IOC_DEVICE_GET_REGION_INFO:
		/* devtree-2013 uses bit 3 for CACHEABLE */
		if (r->prof & PROF_DEVTREE_2013)
			return false;
		*cf = (struct caps_field){ VI_REGION_FLAG_CAPS, VI_REGION_CAP_OFFSET, 4 };
		return true;
	case VI_IOC_DEVICE_GET_IRQ_INFO:
		/* irq-caps-2019; devtree-2013 uses bit 4 for DEVTREE_PATH */
		if (r->prof & PROF_DEVTREE_2013)
			return false;
		*cf = (struct caps_field){ 1u << 4, VI_IRQ_CAPS_CAP_OFFSET, 4 };
		return true;
	case VI_IOC_IOMMU_GET_INFO:
		*cf = (struct caps_field){ VI_IOMMU_INFO_CAPS, VI_T1INFO_CAP_OFFSET,
					   (r->prof & PROF_ZPCI_IOMMU_2019) ? 8 : 4 };
		return true;
	default:
		return false;
	}
}

/* DEVICE_GET_INFO, GET_REGION_INFO, GET_IRQ_INFO, IOMMU_GET_INFO. */
static long serve_argsz(struct vi_backend *be, const struct vi_ioc_desc *d,
			const struct rp_call *c, struct vi_ioarg *a)
{
	struct vi_bytes data = vi_bytes_make(c->ans.data, c->ans.len, be->big_endian);
	struct caps_field cf;
	bool caps = false;
	size_t room, fixed, len = c->ans.len;
	uint64_t capoff = 0;
	uint32_t argsz;

	if (a->len < 4)
		return -EFAULT;
	argsz = buf_get32(be, a, 0);
	if (argsz < d->minsz)
		return -EINVAL;
	room = argsz < a->len ? argsz : a->len;

	/* zpci-iommu-2019: capabilities only for a caller that sets
	 * VFIO_IOMMU_INFO_CAPABILITIES in flags; otherwise the fixed part */
	if (d->ioc == VI_IOC_IOMMU_GET_INFO && (RP(be)->prof & PROF_ZPCI_IOMMU_2019) &&
	    !(buf_get32(be, a, VI_T1INFO_FLAGS) & VI_IOMMU_INFO_CAPS)) {
		copy_out(a->buf, room, 0, c->ans.data,
			 len < VI_T1INFO_MINSZ ? len : VI_T1INFO_MINSZ);
		buf_put32(be, a, 0, argsz);
		if (room >= VI_T1INFO_FLAGS + 4)
			buf_put32(be, a, VI_T1INFO_FLAGS,
				  vi_get32(data, VI_T1INFO_FLAGS) & ~VI_IOMMU_INFO_CAPS);
		return c->ans.ret;
	}

	if (caps_field(RP(be), d->ioc, &cf) && (vi_get32(data, 4) & cf.flag)) {
		caps = true;
		capoff = cf.size == 8 ? vi_get64(data, cf.off) : vi_get32(data, cf.off);
	}
	if (caps && capoff && capoff <= len) {
		fixed = (size_t)capoff;
	} else {
		fixed = d->fixedsz;
		if (caps && fixed < cf.off + cf.size)
			fixed = cf.off + cf.size;
		if (fixed > len)
			fixed = len;
	}

	if (argsz >= len) {
		copy_out(a->buf, room, 0, c->ans.data, len);
		buf_put32(be, a, 0, argsz);
		return c->ans.ret;
	}
	copy_out(a->buf, room, 0, c->ans.data, fixed);
	buf_put32(be, a, 0, len > fixed ? (uint32_t)len : argsz);
	if (caps && cf.off + cf.size <= room) {
		if (cf.size == 8)
			vi_put64(a->buf, room, cf.off, 0, be->big_endian);
		else
			vi_put32(a->buf, room, cf.off, 0, be->big_endian);
	}
	return c->ans.ret;
}

/* GET_PCI_HOT_RESET_INFO: -ENOSPC with count when short, argsz untouched. */
static long serve_hot_reset(struct vi_backend *be, const struct vi_ioc_desc *d,
			    const struct rp_call *c, struct vi_ioarg *a)
{
	struct vi_bytes data = vi_bytes_make(c->ans.data, c->ans.len, be->big_endian);
	uint32_t argsz;
	size_t room;

	if (a->len < 4)
		return -EFAULT;
	argsz = buf_get32(be, a, 0);
	if (argsz < d->minsz)
		return -EINVAL;
	room = argsz < a->len ? argsz : a->len;
	if (argsz < c->ans.len) {
		buf_put32(be, a, VI_HRI_FLAGS, 0);
		buf_put32(be, a, VI_HRI_COUNT, vi_get32(data, VI_HRI_COUNT));
		return -ENOSPC;
	}
	copy_out(a->buf, room, 0, c->ans.data, c->ans.len);
	buf_put32(be, a, 0, argsz);
	return c->ans.ret;
}

/* IOMMU_IOAS_IOVA_RANGES: header + ranges; -EMSGSIZE when they do not fit. */
static long serve_iova_ranges(struct vi_backend *be, const struct vi_ioc_desc *d,
			      const struct rp_call *c, struct vi_ioarg *a)
{
	struct vi_bytes data = vi_bytes_make(c->ans.data, c->ans.len, be->big_endian);
	uint32_t size, capacity, total;
	size_t room, have, n;

	if (a->len < 4)
		return -EFAULT;
	size = buf_get32(be, a, VI_IOVR_SIZE_F);
	if (size < d->minsz)
		return -EINVAL;
	room = size < a->len ? size : a->len;
	capacity = buf_get32(be, a, VI_IOVR_NUM_IOVAS);
	total = vi_get32(data, VI_IOVR_NUM_IOVAS);
	have = c->ans.len > VI_IOVR_SIZE ? (c->ans.len - VI_IOVR_SIZE) / VI_IOVR_RANGE_SIZE : 0;

	n = total;
	if (n > have)
		n = have;
	if (n > capacity)
		n = capacity;
	if (!a->aux)
		n = 0;
	else if (n > a->auxlen / VI_IOVR_RANGE_SIZE)
		n = a->auxlen / VI_IOVR_RANGE_SIZE;
	if (n)
		memcpy(a->aux, c->ans.data + VI_IOVR_SIZE, n * VI_IOVR_RANGE_SIZE);
	vi_put32(a->buf, room, VI_IOVR_NUM_IOVAS, total, be->big_endian);
	vi_put64(a->buf, room, VI_IOVR_ALIGNMENT, vi_get64(data, VI_IOVR_ALIGNMENT),
		 be->big_endian);
	if (total > capacity)
		return -EMSGSIZE;
	return c->ans.ret;
}

/* IOMMU_GET_HW_INFO: copy what fits of the blob, zero the rest, report
 * the full data_len. */
static long serve_hw_info(struct vi_backend *be, const struct vi_ioc_desc *d,
			  const struct rp_call *c, struct vi_ioarg *a)
{
	uint32_t size, capacity;
	size_t room, n;

	if (a->len < 4)
		return -EFAULT;
	size = buf_get32(be, a, VI_HWI_SIZE_F);
	if (size < d->minsz)
		return -EINVAL;
	room = size < a->len ? size : a->len;
	capacity = buf_get32(be, a, VI_HWI_DATA_LEN);
	if (!a->aux)
		capacity = 0;
	else if (capacity > a->auxlen)
		capacity = (uint32_t)a->auxlen;
	n = c->auxlen < capacity ? c->auxlen : capacity;
	if (n)
		memcpy(a->aux, c->aux, n);
	if (capacity > n)
		memset((uint8_t *)a->aux + n, 0, capacity - n);
	vi_put32(a->buf, room, VI_HWI_DATA_LEN, (uint32_t)c->auxlen, be->big_endian);
	/* out_data_type, out_max_pasid_log2 (+ reserved), out_capabilities */
	if (c->ans.len >= VI_HWI_MAX_PASID_LOG2 + 4)
		copy_out(a->buf, room, VI_HWI_DATA_TYPE, c->ans.data, 8);
	if (c->ans.len >= VI_HWI_CAPABILITIES + 8)
		copy_out(a->buf, room, VI_HWI_CAPABILITIES, c->ans.data, 8);
	return c->ans.ret;
}

/* Fixed-size structs (GROUP_GET_STATUS, DEVICE_FEATURE, ...). */
static long serve_fixed(struct vi_backend *be, const struct vi_ioc_desc *d,
			const struct rp_call *c, struct vi_ioarg *a)
{
	uint32_t argsz;
	size_t room;

	if (a->len < 4)
		return -EFAULT;
	argsz = buf_get32(be, a, 0);
	if (argsz < d->minsz)
		return -EINVAL;
	room = argsz < a->len ? argsz : a->len;
	copy_out(a->buf, room, 0, c->ans.data, c->ans.len);
	buf_put32(be, a, 0, argsz);
	return c->ans.ret;
}

static long serve_get_device_fd(struct replay *r, struct rp_handle *hd,
				const struct rp_call *c, const struct vi_callkey *k)
{
	if (c && c->ans.ret < 0)
		return -c->ans.err;
	if (!(k->sel & VI_SEL_NAME))
		return -EINVAL;
	for (size_t i = 0; i < r->ndevs; i++) {
		struct rp_device *dev = &r->devs[i];

		if (strcmp(dev->name, k->name) != 0)
			continue;
		if (dev->group && strcmp(dev->group, hd->group) != 0)
			break;
		return handle_new(r, VI_FD_DEVICE, (int)i, NULL);
	}
	return -ENODEV;
}

/* Calls that only open, bind or attach succeed unless the capture says otherwise. */
static long serve_open_call(struct vi_backend *be, enum vi_ioc ioc, const struct rp_call *c,
			    struct vi_ioarg *a)
{
	struct replay *r = RP(be);

	if (c && c->ans.ret < 0)
		return -c->ans.err;
	switch (ioc) {
	case VI_IOC_GROUP_SET_CONTAINER: {
		struct rp_handle *other = handle_get(r, a->handle);

		if (!c && !other)
			return -EBADF;
		if (!c && other->kind != VI_FD_CONTAINER && other->kind != VI_FD_IOMMUFD)
			return -EBADFD;
		break;
	}
	case VI_IOC_DEVICE_BIND_IOMMUFD:
		if (!a->buf || a->len < VI_BIND_OUT_DEVID + 4)
			return -EFAULT;
		if (c && c->ans.has_data && c->ans.len >= VI_BIND_OUT_DEVID + 4)
			memcpy((uint8_t *)a->buf + VI_BIND_OUT_DEVID,
			       c->ans.data + VI_BIND_OUT_DEVID, 4);
		else
			buf_put32(be, a, VI_BIND_OUT_DEVID, 1);
		break;
	case VI_IOC_IOMMU_IOAS_ALLOC:
		if (!a->buf || a->len < VI_IOAS_ALLOC_OUT_ID + 4)
			return -EFAULT;
		if (c && c->ans.has_data && c->ans.len >= VI_IOAS_ALLOC_OUT_ID + 4)
			memcpy((uint8_t *)a->buf + VI_IOAS_ALLOC_OUT_ID,
			       c->ans.data + VI_IOAS_ALLOC_OUT_ID, 4);
		else
			buf_put32(be, a, VI_IOAS_ALLOC_OUT_ID, 1);
		break;
	case VI_IOC_DEVICE_ATTACH_IOMMUFD_PT:
		/* pt_id: the IOAS in, the hwpt the kernel made out */
		if (c && c->ans.has_data && c->ans.len >= VI_ATTACH_PT_ID + 4 &&
		    a->buf && a->len >= VI_ATTACH_PT_ID + 4)
			memcpy((uint8_t *)a->buf + VI_ATTACH_PT_ID,
			       c->ans.data + VI_ATTACH_PT_ID, 4);
		break;
	default:
		break;
	}
	return c ? c->ans.ret : 0;
}

/* ==== SET_IRQS: checked as vfio-pci checks it, then emulated ==== */

/* The captured answer of an info call (the last "responses" entry with
 * data, when the kernel's answers changed between calls). */
static struct vi_bytes captured_answer(struct vi_backend *be, struct rp_calls *cs,
				       enum vi_ioc ioc, bool indexed, uint32_t index)
{
	struct vi_callkey k = { 0 };
	struct rp_call *c;

	if (indexed) {
		k.sel = VI_SEL_INDEX;
		k.index = index;
	}
	c = find_call(cs, ioc, &k);
	if (c && c->nresp) {
		for (size_t i = c->nresp; i-- > 0;)
			if (c->resp[i].has_data)
				return vi_bytes_make(c->resp[i].data, c->resp[i].len,
						     be->big_endian);
		c = NULL;
	}
	if (!c || c->ans.ret < 0 || !c->ans.has_data)
		return vi_bytes_make(NULL, 0, be->big_endian);
	return vi_bytes_make(c->ans.data, c->ans.len, be->big_endian);
}

static struct rp_irqset *irqset_find(struct rp_device *dev, uint32_t index)
{
	for (size_t i = 0; i < dev->nirqsets; i++)
		if (dev->irqsets[i].index == index)
			return &dev->irqsets[i];
	return NULL;
}

/* Grow (or make) the set of @index to @n vectors; new ones unassigned. */
static struct rp_irqset *irqset_size(struct rp_device *dev, struct rp_irqset *set,
				     uint32_t index, uint32_t n)
{
	int *t;

	if (!set) {
		struct rp_irqset *nv = realloc(dev->irqsets,
					       (dev->nirqsets + 1) * sizeof(*nv));

		if (!nv)
			return NULL;
		dev->irqsets = nv;
		set = &nv[dev->nirqsets++];
		*set = (struct rp_irqset){ index, NULL, 0 };
	}
	if (n <= set->n)
		return set;
	t = realloc(set->trig, n * sizeof(*t));
	if (!t)
		return NULL;
	for (uint32_t v = set->n; v < n; v++)
		t[v] = -1;
	set->trig = t;
	set->n = n;
	return set;
}

/*
 * The kernel's checks (vfio_set_irqs_validate_and_prepare and the PCI
 * handlers): argsz, index below num_irqs, start + count within the
 * index's count, one known DATA_ type with its data present (EINVAL),
 * one ACTION_ type the index supports (ENOTTY).  Then what it does:
 * DATA_EVENTFD assigns the handles (-1 unassigns), DATA_NONE with count
 * 0 tears the index down, DATA_NONE or DATA_BOOL with vectors signal
 * their handles at once (loopback).  Of INTx, MSI and MSI-X a PCI
 * device has one set up at a time.  A failure the capture records for
 * the index ("VFIO_DEVICE_SET_IRQS" with "index") answers set-ups.
 */
static long serve_set_irqs(struct vi_backend *be, struct rp_handle *hd, struct vi_ioarg *a)
{
	struct replay *r = RP(be);
	struct rp_device *dev = &r->devs[hd->dev];
	struct vi_bytes b = vi_bytes_make(a->buf, a->len, be->big_endian);
	struct vi_bytes info;
	uint32_t argsz, flags, index, start, count, dflags, nirqs, iflags, max;
	struct rp_irqset *set;
	struct rp_call *rec;
	struct vi_callkey k = { 0 };
	size_t each;

	if (vi_u32(b, VI_IRQSET_ARGSZ, &argsz) || vi_u32(b, VI_IRQSET_FLAGS, &flags) ||
	    vi_u32(b, VI_IRQSET_INDEX, &index) || vi_u32(b, VI_IRQSET_START, &start) ||
	    vi_u32(b, VI_IRQSET_COUNT, &count))
		return -EFAULT;
	info = captured_answer(be, &dev->calls, VI_IOC_DEVICE_GET_INFO, false, 0);
	if (vi_u32(info, VI_DEVINFO_FLAGS, &dflags) || vi_u32(info, VI_DEVINFO_NUM_IRQS, &nirqs))
		return -ENOTTY;
	if (argsz < VI_IRQSET_MINSZ || index >= nirqs || count >= UINT32_MAX - start ||
	    (flags & ~(VI_IRQ_SET_DATA_TYPE_MASK | VI_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;
	info = captured_answer(be, &dev->calls, VI_IOC_DEVICE_GET_IRQ_INFO, true, index);
	if (vi_u32(info, VI_IRQ_FLAGS, &iflags) || vi_u32(info, VI_IRQ_COUNT, &max))
		return -EINVAL;
	if (start >= max || count > max - start)
		return -EINVAL;
	switch (flags & VI_IRQ_SET_DATA_TYPE_MASK) {
	case VI_IRQ_SET_DATA_NONE:
		each = 0;
		break;
	case VI_IRQ_SET_DATA_BOOL:
		each = 1;
		break;
	case VI_IRQ_SET_DATA_EVENTFD:
		each = VI_IRQSET_FD_SIZE;
		break;
	default:
		return -EINVAL;
	}
	if (each && (argsz - VI_IRQSET_MINSZ) / each < count)
		return -EINVAL;
	if (each && !vi_bytes_has(b, VI_IRQSET_DATA, count * each))
		return -EFAULT;
	set = irqset_find(dev, index);
	switch (flags & VI_IRQ_SET_ACTION_TYPE_MASK) {
	case VI_IRQ_SET_ACTION_MASK:
	case VI_IRQ_SET_ACTION_UNMASK:
		if (!(iflags & VI_IRQ_INFO_MASKABLE))
			return -ENOTTY;
		return set && count ? 0 : -EINVAL;
	case VI_IRQ_SET_ACTION_TRIGGER:
		break;
	default:
		return -ENOTTY;
	}

	if ((flags & VI_IRQ_SET_DATA_NONE) && !count) {
		if (!set)
			return -EINVAL;
		irqset_drop(dev, set);
		return 0;
	}
	if (!(flags & VI_IRQ_SET_DATA_EVENTFD)) {
		/* loopback: the handles set up for these vectors count one */
		if (!set)
			return -EINVAL;
		for (uint32_t i = 0; i < count; i++) {
			uint32_t v = start + i;
			struct rp_handle *e;

			if (v >= set->n || set->trig[v] < 0 || (each && !b.p[VI_IRQSET_DATA + i]))
				continue;
			e = handle_get(r, set->trig[v]);
			if (e && e->kind == VI_FD_EVENTFD)
				e->events++;
		}
		return 0;
	}

	k.sel = VI_SEL_INDEX;
	k.index = index;
	rec = find_call(&dev->calls, VI_IOC_DEVICE_SET_IRQS, &k);
	if (rec && rec->ans.ret < 0)
		return -rec->ans.err;
	if (!(iflags & VI_IRQ_INFO_EVENTFD) || !count)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		int32_t fd = (int32_t)vi_get32(b, VI_IRQSET_DATA + (size_t)i * each);
		struct rp_handle *e;

		if (fd == -1)
			continue;
		if (fd < 0)
			return -EINVAL;
		e = handle_get(r, fd);
		if (!e)
			return -EBADF;
		if (e->kind != VI_FD_EVENTFD)
			return -EINVAL;
	}
	/* INTx, MSI and MSI-X exclude each other on a PCI device */
	if (!set && (dflags & 2u) && index <= 2)
		for (size_t i = 0; i < dev->nirqsets; i++)
			if (dev->irqsets[i].index <= 2)
				return -EINVAL;
	if (set && start + count > set->n && (iflags & VI_IRQ_INFO_NORESIZE))
		return -EINVAL;
	set = irqset_size(dev, set, index, start + count);
	if (!set)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++)
		set->trig[start + i] = (int32_t)vi_get32(b, VI_IRQSET_DATA + (size_t)i * each);
	return 0;
}

static long replay_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	struct vi_ioarg none = { 0 };
	struct replay *r = RP(be);
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	struct rp_handle *hd = handle_get(r, h);
	struct rp_call *c;
	struct vi_callkey k;

	if (!a)
		a = &none;
	if (!hd)
		return -EBADF;
	if (!d)
		return -EINVAL;
	if (d->fd != hd->kind)
		return -ENOTTY;
	if (d->arg == VI_ARG_STRUCT && (!a->buf || !a->len))
		return -EFAULT;
	if (ioc == VI_IOC_DEVICE_SET_IRQS)
		return serve_set_irqs(be, hd, a);
	vi_callkey_of(be, ioc, a, &k);
	if (ioc == VI_IOC_CHECK_EXTENSION && hd->iommu_set)
		k.sel |= VI_SEL_IOMMU_SET;
	c = find_call(calls_of(r, hd), ioc, &k);
	if (c && c->nresp)
		return serve_response(c, a);
	if (ioc == VI_IOC_GROUP_GET_DEVICE_FD)
		return serve_get_device_fd(r, hd, c, &k);
	if (d->opens) {
		long ret = serve_open_call(be, ioc, c, a);

		if (ioc == VI_IOC_SET_IOMMU && ret >= 0)
			hd->iommu_set = true;
		return ret;
	}
	if (!c)
		return -ENOTTY;
	if (c->ans.ret < 0)
		return -c->ans.err;
	if (d->arg != VI_ARG_STRUCT || (!c->ans.has_data && !c->has_aux))
		return c->ans.ret;

	switch (d->growth) {
	case VI_GROW_ARGSZ:
		return serve_argsz(be, d, c, a);
	case VI_GROW_COUNT_ENOSPC:
		return serve_hot_reset(be, d, c, a);
	case VI_GROW_COUNT_EMSGSIZE:
		return serve_iova_ranges(be, d, c, a);
	case VI_GROW_DATA_LEN:
		return serve_hw_info(be, d, c, a);
	case VI_GROW_NONE:
	default:
		return serve_fixed(be, d, c, a);
	}
}

/* ==== region bytes ==== */

/* Translate a device file offset into (region index, offset in region)
 * through the captured GET_REGION_INFO answers. */
static bool find_region(struct vi_backend *be, struct rp_device *dev, uint64_t off,
			uint32_t *index, uint64_t *roff)
{
	for (size_t i = 0; i < dev->calls.n; i++) {
		const struct rp_call *c = &dev->calls.v[i];
		struct vi_bytes data;
		uint64_t size, start;

		if (c->desc->ioc != VI_IOC_DEVICE_GET_REGION_INFO || !c->ans.has_data ||
		    c->ans.ret < 0)
			continue;
		data = vi_bytes_make(c->ans.data, c->ans.len, be->big_endian);
		if (vi_u64(data, VI_REGION_SIZE_OFF, &size) < 0 ||
		    vi_u64(data, VI_REGION_OFFSET_OFF, &start) < 0)
			continue;
		if (off >= start && off - start < size) {
			*index = (c->key.sel & VI_SEL_INDEX) ? c->key.index :
				 vi_get32(data, VI_REGION_INDEX);
			*roff = off - start;
			return true;
		}
	}
	return false;
}

static struct rp_extent *find_extent(struct rp_device *dev, uint32_t index, uint64_t roff)
{
	for (size_t i = 0; i < dev->next; i++) {
		struct rp_extent *e = &dev->ext[i];

		if (e->index == index && roff >= e->off && roff - e->off < e->len)
			return e;
	}
	return NULL;
}

static struct rp_device *device_of(struct replay *r, int h)
{
	struct rp_handle *hd = handle_get(r, h);

	return hd && hd->kind == VI_FD_DEVICE ? &r->devs[hd->dev] : NULL;
}

static ssize_t replay_rw(struct vi_backend *be, int h, void *rbuf, const void *wbuf,
			 size_t len, uint64_t off)
{
	struct rp_device *dev = device_of(RP(be), h);
	struct rp_extent *e;
	uint32_t index;
	uint64_t roff;
	size_t n;

	if (!dev)
		return -EBADF;
	if (!len)
		return 0;
	if (!find_region(be, dev, off, &index, &roff))
		return -EIO;
	/* the capture holds no bytes there: not an I/O error, no data */
	e = find_extent(dev, index, roff);
	if (!e)
		return -ENODATA;
	n = (size_t)(e->len - (roff - e->off));
	if (n > len)
		n = len;
	if (rbuf)
		memcpy(rbuf, e->data + (roff - e->off), n);
	else
		memcpy(e->data + (roff - e->off), wbuf, n);
	return (ssize_t)n;
}

static ssize_t replay_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	return replay_rw(be, h, buf, NULL, len, off);
}

static ssize_t replay_pwrite(struct vi_backend *be, int h, const void *buf, size_t len,
			     uint64_t off)
{
	return replay_rw(be, h, NULL, buf, len, off);
}

static void *replay_mmap(struct vi_backend *be, int h, size_t len, uint64_t off, bool writable)
{
	struct replay *r = RP(be);
	struct rp_device *dev = device_of(r, h);
	size_t page = be->page_size ? be->page_size : 4096, alloc;
	struct rp_map *nm;
	bool any = false;
	uint32_t index;
	uint64_t roff;
	uint8_t *p;

	if (!dev) {
		errno = EBADF;
		return NULL;
	}
	if (!len || len > SIZE_MAX - page || !find_region(be, dev, off, &index, &roff)) {
		errno = ENODEV;
		return NULL;
	}
	alloc = (len + page - 1) / page * page;
	p = aligned_alloc(page, alloc);
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	memset(p, 0, alloc);
	for (size_t i = 0; i < dev->next; i++) {
		struct rp_extent *e = &dev->ext[i];
		uint64_t s, t;

		if (e->index != index)
			continue;
		s = e->off > roff ? e->off : roff;
		t = e->off + e->len < roff + len ? e->off + e->len : roff + len;
		if (s >= t)
			continue;
		memcpy(p + (s - roff), e->data + (s - e->off), (size_t)(t - s));
		any = true;
	}
	if (!any) {
		free(p);
		errno = ENODEV;
		return NULL;
	}
	nm = realloc(r->maps, (r->nmaps + 1) * sizeof(*nm));
	if (!nm) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	r->maps = nm;
	r->maps[r->nmaps++] = (struct rp_map){ p, len };
	return p;
}

static int replay_munmap(struct vi_backend *be, void *addr, size_t len)
{
	struct replay *r = RP(be);

	for (size_t i = 0; i < r->nmaps; i++) {
		if (r->maps[i].addr != addr)
			continue;
		free(addr);
		r->maps[i] = r->maps[--r->nmaps];
		return 0;
	}
	return -EINVAL;
}

/* ==== sysfs, procfs, dev ==== */

enum node_kind { NODE_NONE, NODE_FILE, NODE_LINK, NODE_DIR, NODE_DEV, NODE_UNREAD };

static enum node_kind node_kind(json_t *v, enum vi_ns ns)
{
	if (!v)
		return NODE_NONE;
	if (json_is_string(v))
		return NODE_FILE;
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

/* Resolve the symlinks along @rel (relative to the namespace root), the
 * last component too when @follow_last.  malloc'ed, or NULL (-ELOOP or
 * out of memory). */
static char *resolve(struct replay *r, enum vi_ns ns, const char *rel, bool follow_last)
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
static json_t *ns_lookup(struct replay *r, enum vi_ns ns, const char *rel, char **path)
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
	res = resolve(r, ns, key, true);
	if (!res) {
		*path = key;
		return NULL;
	}
	free(key);
	*path = res;
	return ns_get(r, ns, res);
}

static int replay_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			    char **out, size_t *len)
{
	struct replay *r = RP(be);
	char *path = NULL;
	json_t *v = ns_lookup(r, ns, rel, &path);
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
	default:
		ret = path && has_children(r, ns, path) ? -EISDIR : -ENOENT;
		break;
	}
	free(path);
	return ret;
}

static int replay_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
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
		dir = resolve(r, ns, slash ? key : "", true);
		full = dir ? join_path(dir, base) : NULL;
		v = full ? ns_get(r, ns, full) : NULL;
		if (slash)
			*slash = '/';
	}
	if (node_kind(v, ns) == NODE_LINK) {
		*out = strdup(json_string_value(json_object_get(v, "link")));
		ret = *out ? 0 : -ENOMEM;
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

static int replay_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
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
	if (node_kind(val, ns) == NODE_FILE || node_kind(val, ns) == NODE_UNREAD ||
	    node_kind(val, ns) == NODE_DEV) {
		free(key);
		return -ENOTDIR;
	}
	exists = node_kind(val, ns) == NODE_DIR || has_children(r, ns, key);
	ret = collect_children(r, ns, key, &v, &n, &cap);
	res = ret ? NULL : resolve(r, ns, key, true);
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

static int replay_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			    struct vi_nodeinfo *st)
{
	struct replay *r = RP(be);
	char *path = NULL;
	json_t *v = ns_lookup(r, ns, rel, &path), *f;
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
	default:
		if (path && has_children(r, ns, path))
			st->mode = S_IFDIR | 0755;
		else
			ret = -ENOENT;
		break;
	}
	free(path);
	return ret;
}

/* ==== the rest ==== */

static int cmp_devref(const void *a, const void *b)
{
	return strcmp(((const struct vi_devref *)a)->name, ((const struct vi_devref *)b)->name);
}

static int replay_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *count)
{
	struct replay *r = RP(be);
	struct vi_devref *v = calloc(r->ndevs + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < r->ndevs; i++) {
		v[i].name = strdup(r->devs[i].name);
		v[i].group = r->devs[i].group ? strdup(r->devs[i].group) : NULL;
		v[i].cdev = r->devs[i].cdev ? strdup(r->devs[i].cdev) : NULL;
		if (!v[i].name || (r->devs[i].group && !v[i].group) ||
		    (r->devs[i].cdev && !v[i].cdev)) {
			vi_devref_free(v, i + 1);
			return -ENOMEM;
		}
	}
	if (r->ndevs)
		qsort(v, r->ndevs, sizeof(*v), cmp_devref);
	*list = v;
	*count = r->ndevs;
	return 0;
}

static int replay_host_info(struct vi_backend *be, struct vi_hostinfo *hi)
{
	*hi = RP(be)->host;
	return 0;
}

/* ==== interrupt counters ==== */

static int replay_event_new(struct vi_backend *be)
{
	return handle_new(RP(be), VI_FD_EVENTFD, -1, NULL);
}

/* No device raises interrupts here: what the handles counted (loopback
 * triggers, delivered during SET_IRQS) is all there will be, at once. */
static int replay_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			     uint64_t *counts, bool *settled)
{
	struct replay *r = RP(be);
	int fired = 0;

	*settled = true;
	for (size_t i = 0; i < n; i++) {
		struct rp_handle *e = handle_get(r, hs[i]);

		if (!e || e->kind != VI_FD_EVENTFD)
			return -EBADF;
	}
	for (size_t i = 0; i < n; i++) {
		struct rp_handle *e = handle_get(r, hs[i]);

		if (e->events) {
			counts[i] += e->events;
			e->events = 0;
			fired++;
		}
	}
	(void)timeout_ms;
	return fired;
}

static void replay_destroy(struct vi_backend *be)
{
	replay_free(RP(be));
	free(be);
}

static const struct vi_backend_ops replay_ops = {
	.name = "replay",
	.open_node = replay_open_node,
	.close = replay_close,
	.ioctl = replay_ioctl,
	.pread = replay_pread,
	.pwrite = replay_pwrite,
	.mmap = replay_mmap,
	.munmap = replay_munmap,
	.read_file = replay_read_file,
	.readlink = replay_readlink,
	.list_dir = replay_list_dir,
	.stat_node = replay_stat_node,
	.enumerate = replay_enumerate,
	.host_info = replay_host_info,
	.event_new = replay_event_new,
	.event_wait = replay_event_wait,
	.destroy = replay_destroy,
};

struct vi_backend *vi_backend_replay_new(const char *path, char *err, size_t errlen)
{
	struct loadctx c = { path, err, errlen };
	struct vi_backend *be = calloc(1, sizeof(*be));
	struct replay *r = calloc(1, sizeof(*r));

	if (errlen)
		err[0] = '\0';
	if (!be || !r) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	be->ops = &replay_ops;
	be->priv = r;
	r->root = vi_capture_load(path, err, errlen);
	if (!r->root)
		goto fail;
	if (load_host(&c, r, be) < 0 || load_profiles(&c, r, be) < 0 ||
	    load_ns(&c, r, VI_NS_SYS, "sysfs") < 0 ||
	    load_ns(&c, r, VI_NS_PROC, "procfs") < 0 ||
	    load_ns(&c, r, VI_NS_DEV, "dev") < 0 ||
	    load_owner_calls(&c, r, "container", &r->container) < 0 ||
	    load_owner_calls(&c, r, "iommufd", &r->iommufd) < 0 ||
	    load_groups(&c, r) < 0 || load_devices(&c, r) < 0)
		goto fail;
	return be;
fail:
	replay_free(r);
	free(be);
	return NULL;
}
