// SPDX-License-Identifier: GPL-2.0-or-later
/* replay-load.c - parse and check a capture file into the replay model. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "capture-io.h"
#include "replay-int.h"
#include "uapi/vfio-abi.h"

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

void replay_free(struct replay *r)
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
int replay_load(struct replay *r, struct vi_backend *be, const char *path,
		char *err, size_t errlen)
{
	struct loadctx c = { path, err, errlen };

	r->root = vi_capture_load(path, err, errlen);
	if (!r->root)
		return -1;
	if (load_host(&c, r, be) < 0 || load_profiles(&c, r, be) < 0 ||
	    load_ns(&c, r, VI_NS_SYS, "sysfs") < 0 ||
	    load_ns(&c, r, VI_NS_PROC, "procfs") < 0 ||
	    load_ns(&c, r, VI_NS_DEV, "dev") < 0 ||
	    load_owner_calls(&c, r, "container", &r->container) < 0 ||
	    load_owner_calls(&c, r, "iommufd", &r->iommufd) < 0 ||
	    load_groups(&c, r) < 0 || load_devices(&c, r) < 0)
		return -1;
	return 0;
}
