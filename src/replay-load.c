// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-load.c - parse and check a capture file into the replay model.
 *
 * A capture may come from a stranger.  The envelope (version, byte order,
 * devices) must be right or nothing loads; below it, each part is checked
 * on its own: a call, a region extent, a device, a group, a sysfs entry
 * that no kernel would give is reported (one note naming its JSON
 * position) and left out, and the rest loads.  Memory stays a small
 * multiple of the file: each part's JSON is freed once it is loaded, and
 * region extents are sorted once and merged in one pass.
 *
 * This file reads the envelope and the parts in their order (host,
 * profiles, the namespaces, container, iommufd, groups, devices), as the
 * streaming reader hands "groups" and "devices" over; the calls of each
 * owner are loaded in replay-load-call.c, a device's region bytes in
 * replay-load-region.c, the namespaces in replay-sysfs.c, and the notes
 * are kept and shown by replay-note.c.
 */
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

#include "bytes.h"
#include "capture-io.h"
#include "names.h"
#include "replay-int.h"
#include "safe.h"
#include "uapi/vfio-abi.h"

/* A group name: a string, or a number for the convenience of hand-written
 * files.  *out stays NULL when absent or null; -1 (noted) when not a
 * group number as the kernel makes them. */
static int load_group_name(struct loadctx *c, const char *where, json_t *v, char **out)
{
	char buf[32];

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		*out = rp_keep_str(c, buf);
	} else if (json_is_string(v) && vi_name_ok(VI_NAME_GROUP, json_string_value(v))) {
		*out = rp_keep_str(c, json_string_value(v));
	} else {
		char *q = rp_shown(json_is_string(v) ? json_string_value(v) : "");
		int r = rp_bad(c, where, "\"%s\" is not an IOMMU group such as \"12\" or "
			    "\"noiommu-3\"", q);

		free(q);
		return r;
	}
	return *out ? 0 : rp_fail(c, where, "out of memory");
}

/* What a device holds outside the capture's arena: what SET_IRQS set up. */
static void free_device(struct rp_device *d)
{
	for (size_t j = 0; j < d->nirqsets; j++)
		free(d->irqsets[j].trig);
	free(d->irqsets);
	memset(d, 0, sizeof(*d));
}

/* -1 when the device is left out (noted) or on a fatal error. */
static int load_device(struct loadctx *c, size_t i, json_t *o, struct rp_device *d)
{
	char where[64], w[96];
	const char *name;
	json_t *v;

	snprintf(where, sizeof(where), "devices[%zu]", i);
	c->part = where;
	if (!json_is_object(o))
		return rp_bad(c, where, "must be an object");
	v = json_object_get(o, "name");
	rp_sub(w, sizeof(w), where, ".name");
	if (!json_is_string(v) || !*json_string_value(v))
		return rp_bad(c, w, "missing or not a string");
	name = json_string_value(v);
	if (!vi_name_ok(VI_NAME_COMPONENT, name)) {
		char *q = rp_shown(name);
		int r = rp_bad(c, w, "\"%s\" is not a device name (one path component of "
			    "printable ASCII, at most 255 bytes, as sysfs names devices)", q);

		free(q);
		return r;
	}
	d->name = rp_keep_str(c, name);
	if (!d->name)
		return rp_fail(c, where, "out of memory");
	rp_sub(w, sizeof(w), where, ".group");
	c->part = w;
	if (load_group_name(c, w, json_object_get(o, "group"), &d->group) < 0 && c->fatal)
		return -1;
	v = json_object_get(o, "cdev");
	rp_sub(w, sizeof(w), where, ".cdev");
	if (v && !json_is_null(v)) {
		if (json_is_string(v) && vi_name_ok(VI_NAME_CDEV, json_string_value(v))) {
			d->cdev = rp_keep_str(c, json_string_value(v));
			if (!d->cdev)
				return rp_fail(c, w, "out of memory");
		} else {
			char *q = rp_shown(json_is_string(v) ? json_string_value(v) : "");

			rp_bad(c, w, "\"%s\" is not a device cdev such as \"vfio0\"", q);
			free(q);
		}
	}
	c->part = NULL;
	if (rp_load_calls(c, where, o, &d->calls) < 0)
		return -1;
	return rp_load_regions(c, where, json_object_get(o, "regions"), d);
}

static int load_host(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	json_t *host = json_object_get(r->root, "host"), *v;

	r->host.big_endian = strcmp(json_string_value(json_object_get(host, "byte_order")),
				    "big") == 0;
	c->big_endian = r->host.big_endian;
	r->host.page_size = 4096;
	if ((v = json_object_get(host, "kernel")) && json_is_string(v))
		snprintf(r->host.kernel, sizeof(r->host.kernel), "%s", json_string_value(v));
	if ((v = json_object_get(host, "machine")) && json_is_string(v))
		snprintf(r->host.machine, sizeof(r->host.machine), "%s", json_string_value(v));
	if ((v = json_object_get(host, "page_size"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 512 ||
		    json_integer_value(v) > (1 << 30) ||
		    (json_integer_value(v) & (json_integer_value(v) - 1)))
			return rp_fail(c, "host.page_size", "must be a power of two, at least 512");
		r->host.page_size = (unsigned int)json_integer_value(v);
	}
	be->big_endian = r->host.big_endian;
	be->page_size = r->host.page_size;
	return 0;
}

static int load_profiles(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	json_t *arr = json_object_get(r->root, "profiles"), *v;
	size_t i, n = 0;
	char w[64];

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		c->part = "profiles";
		rp_bad(c, "profiles", "must be an array of profile names");
		c->part = NULL;
		return 0;
	}
	r->profiles = calloc(json_array_size(arr) + 1, sizeof(*r->profiles));
	if (!r->profiles)
		return rp_fail(c, "profiles", "out of memory");
	json_array_foreach(arr, i, v) {
		snprintf(w, sizeof(w), "profiles[%zu]", i);
		if (!json_is_string(v) || !vi_name_ok(VI_NAME_MODULE, json_string_value(v))) {
			c->part = w;
			rp_bad(c, w, "must be a profile name such as \"devtree-2013\"");
			c->part = NULL;
			continue;
		}
		r->profiles[n] = strdup(json_string_value(v));
		if (!r->profiles[n])
			return rp_fail(c, w, "out of memory");
		if (strcmp(r->profiles[n], "devtree-2013") == 0)
			r->prof |= PROF_DEVTREE_2013;
		else if (strcmp(r->profiles[n], "zpci-iommu-2019") == 0)
			r->prof |= PROF_ZPCI_IOMMU_2019;
		n++;
	}
	be->profiles = (const char *const *)r->profiles;
	return 0;
}

/* groups[@i] into r->groups[r->ngroups] (room for it made by the caller). */
static int load_group(struct loadctx *c, struct replay *r, size_t i, json_t *v)
{
	struct rp_group *g = &r->groups[r->ngroups];
	char part[32], w[64];

	snprintf(part, sizeof(part), "groups[%zu]", i);
	c->part = part;
	if (!json_is_object(v)) {
		rp_bad(c, part, "must be an object");
		c->part = NULL;
		return 0;
	}
	snprintf(w, sizeof(w), "groups[%zu].group", i);
	if (load_group_name(c, w, json_object_get(v, "group"), &g->name) < 0) {
		c->part = NULL;
		return c->fatal ? -1 : 0;
	}
	if (!g->name) {
		rp_bad(c, w, "missing");
		c->part = NULL;
		return 0;
	}
	c->part = NULL;
	if (rp_load_calls(c, part, v, &g->calls) < 0) {
		g->name = NULL;
		return -1;
	}
	r->ngroups++;
	return 0;
}

/* Room for one more in an array grown by doubling (@cap elements now). */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	void *nv;
	size_t nc;

	if (n + 1 < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	nv = realloc(*v, nc * size);
	if (!nv)
		return -1;
	memset((char *)nv + *cap * size, 0, (nc - *cap) * size);
	*v = nv;
	*cap = nc;
	return 0;
}

static int load_groups(struct loadctx *c, struct replay *r)
{
	json_t *arr = json_object_get(r->root, "groups"), *v;
	size_t i;

	if (!arr || r->streamed_groups)
		return 0;
	if (!json_is_array(arr)) {
		c->part = "groups";
		rp_bad(c, "groups", "must be an array");
		c->part = NULL;
		return 0;
	}
	r->groups = calloc(json_array_size(arr) + 1, sizeof(*r->groups));
	if (!r->groups)
		return rp_fail(c, "groups", "out of memory");
	json_array_foreach(arr, i, v) {
		if (load_group(c, r, i, v) < 0)
			return -1;
		json_array_set_new(arr, i, json_null());
	}
	return 0;
}

static int load_owner_calls(struct loadctx *c, struct replay *r, const char *key,
			    struct rp_calls *cs)
{
	json_t *o = json_object_get(r->root, key);

	if (!o)
		return 0;
	if (!json_is_object(o)) {
		c->part = key;
		rp_bad(c, key, "must be an object");
		c->part = NULL;
		return 0;
	}
	return rp_load_calls(c, key, o, cs);
}

/* Devices sorted by name, then by place in the file. */
static int cmp_devname(const void *a, const void *b)
{
	const struct rp_device *const *x = a, *const *y = b;
	int d = strcmp((*x)->name, (*y)->name);

	return d ? d : (*x)->pos < (*y)->pos ? -1 : (*x)->pos > (*y)->pos;
}

/* Device names must be unique: a later device of the same name is left out. */
static int check_unique_names(struct loadctx *c, struct replay *r)
{
	struct rp_device **v;
	size_t o = 0;

	if (r->ndevs < 2)
		return 0;
	v = calloc(r->ndevs, sizeof(*v));
	if (!v)
		return rp_fail(c, "devices", "out of memory");
	for (size_t i = 0; i < r->ndevs; i++)
		v[i] = &r->devs[i];
	qsort(v, r->ndevs, sizeof(*v), cmp_devname);
	for (size_t i = 1; i < r->ndevs; i++) {
		if (strcmp(v[i - 1]->name, v[i]->name) != 0)
			continue;
		{
			char w[64], part[32], *q = rp_shown(v[i]->name);

			snprintf(w, sizeof(w), "devices[%zu].name", v[i]->pos);
			snprintf(part, sizeof(part), "devices[%zu]", v[i]->pos);
			c->part = part;
			rp_bad(c, w, "\"%s\" appears twice (also devices[%zu])", q, v[i - 1]->pos);
			c->part = NULL;
			free(q);
		}
		v[i]->dropped = true;
		v[i] = v[i - 1];	/* compare the next with the first kept */
	}
	free(v);
	for (size_t i = 0; i < r->ndevs; i++) {
		if (r->devs[i].dropped)
			free_device(&r->devs[i]);
		else
			r->devs[o++] = r->devs[i];
	}
	r->ndevs = o;
	return 0;
}

/* devices[@i] into r->devs[r->ndevs] (room for it made by the caller). */
static int load_device_at(struct loadctx *c, struct replay *r, size_t i, json_t *v)
{
	struct rp_device *d = &r->devs[r->ndevs];

	d->pos = i;
	if (load_device(c, i, v, d) < 0) {
		c->part = NULL;
		free_device(d);
		if (c->fatal)
			return -1;
	} else {
		r->ndevs++;
	}
	return 0;
}

static int load_devices(struct loadctx *c, struct replay *r)
{
	json_t *arr = json_object_get(r->root, "devices"), *v;
	size_t i;

	if (!r->streamed_devices) {
		r->devs = calloc(json_array_size(arr) + 1, sizeof(*r->devs));
		if (!r->devs)
			return rp_fail(c, "devices", "out of memory");
		json_array_foreach(arr, i, v) {
			if (load_device_at(c, r, i, v) < 0)
				return -1;
			json_array_set_new(arr, i, json_null());
		}
	}
	return check_unique_names(c, r);
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndevs; i++)
		free_device(&r->devs[i]);
	free(r->devs);
	free(r->groups);
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
	for (int i = 0; i < 3; i++)
		replay_ns_free(&r->ns[i]);
	rp_arena_free(&r->arena);
	replay_index_free(r);
	json_decref(r->root);
	free(r);
}

/* The parts in the order their notes are shown. */
enum { RANK_HOST, RANK_PROFILES, RANK_SYSFS, RANK_PROCFS, RANK_DEV, RANK_CONTAINER,
       RANK_IOMMUFD, RANK_GROUPS, RANK_DEVICES };

struct streamctx {
	struct replay *r;
	struct vi_backend *be;
	struct loadctx *c;
	size_t capgroups, capdevs;
};

/* "groups" may be loaded as it is read; "devices" once the envelope
 * before it is right and gives the byte order its region sizes need. */
static bool stream_ready(void *ctx, json_t *root, const char *key)
{
	struct streamctx *s = ctx;
	char err[256];
	struct loadctx scratch = { .file = "", .err = err, .errlen = sizeof(err) };
	json_t *v;

	if (strcmp(key, "groups") == 0) {
		s->r->streamed_groups = true;
		return true;
	}
	v = json_object_get(root, "vfio-info-capture");
	if (!json_is_integer(v) || json_integer_value(v) != VI_CAPTURE_VERSION)
		return false;
	v = json_object_get(json_object_get(root, "host"), "byte_order");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "little") != 0 &&
				   strcmp(json_string_value(v), "big") != 0))
		return false;
	s->r->root = root;
	if (load_host(&scratch, s->r, s->be) < 0) {
		s->r->root = NULL;
		return false;
	}
	s->r->root = NULL;
	s->c->big_endian = scratch.big_endian;
	s->r->streamed_devices = true;
	return true;
}

static int stream_elem(void *ctx, const char *key, size_t i, json_t *v)
{
	struct streamctx *s = ctx;
	struct replay *r = s->r;
	struct loadctx *c = s->c;
	unsigned int rank = c->rank;
	int ret;

	if (strcmp(key, "groups") == 0) {
		if (grow((void **)&r->groups, r->ngroups, &s->capgroups, sizeof(*r->groups)) < 0)
			return rp_fail(c, "groups", "out of memory");
		c->rank = RANK_GROUPS;
		ret = load_group(c, r, i, v);
	} else {
		if (grow((void **)&r->devs, r->ndevs, &s->capdevs, sizeof(*r->devs)) < 0)
			return rp_fail(c, "devices", "out of memory");
		c->rank = RANK_DEVICES;
		ret = load_device_at(c, r, i, v);
	}
	c->rank = rank;
	return ret;
}

static void free_groups(struct replay *r)
{
	free(r->groups);
	r->groups = NULL;
	r->ngroups = 0;
}

static void free_devices(struct replay *r)
{
	for (size_t i = 0; i < r->ndevs; i++)
		free_device(&r->devs[i]);
	free(r->devs);
	r->devs = NULL;
	r->ndevs = 0;
}

/* The reader gives the file to jansson: forget what it handed over. */
static void stream_reset(void *ctx)
{
	struct streamctx *s = ctx;

	free_groups(s->r);
	free_devices(s->r);
	/* nothing else is in the arena yet */
	rp_arena_free(&s->r->arena);
	s->r->streamed_groups = s->r->streamed_devices = false;
	s->capgroups = s->capdevs = 0;
	rp_notes_forget(s->c);
	s->c->fatal = false;
}

static int load_parts(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	c->rank = RANK_HOST;
	if (load_host(c, r, be) < 0)
		return -1;
	c->rank = RANK_PROFILES;
	if (load_profiles(c, r, be) < 0)
		return -1;
	c->rank = RANK_SYSFS;
	if (replay_load_ns(c, r, VI_NS_SYS, "sysfs") < 0)
		return -1;
	c->rank = RANK_PROCFS;
	if (replay_load_ns(c, r, VI_NS_PROC, "procfs") < 0)
		return -1;
	c->rank = RANK_DEV;
	if (replay_load_ns(c, r, VI_NS_DEV, "dev") < 0)
		return -1;
	c->rank = RANK_CONTAINER;
	if (load_owner_calls(c, r, "container", &r->container) < 0)
		return -1;
	c->rank = RANK_IOMMUFD;
	if (load_owner_calls(c, r, "iommufd", &r->iommufd) < 0)
		return -1;
	c->rank = RANK_GROUPS;
	if (load_groups(c, r) < 0)
		return -1;
	c->rank = RANK_DEVICES;
	return load_devices(c, r);
}

int replay_load(struct replay *r, struct vi_backend *be, const char *path, const void *mem,
		size_t len, const char *name, const struct vi_replay_opts *o, char *err,
		size_t errlen)
{
	static const char *const keys[] = { "groups", "devices", NULL };
	struct loadctx c = { .file = name, .err = err, .errlen = errlen, .o = o,
			     .arena = &r->arena };
	struct streamctx sc = { .r = r, .be = be, .c = &c };
	struct vi_capture_stream s = { keys, stream_ready, stream_elem, stream_reset, &sc };
	int ret = 0;

	r->root = vi_capture_read(path, mem, len, name, o ? o->max_size : 0, &s, err, errlen);
	if (!r->root)
		ret = -1;
	else if (load_parts(&c, r, be) < 0)
		ret = -1;
	else if (replay_index_build(r) < 0)
		ret = rp_fail(&c, "devices", "out of memory");
	/* everything is in the model now: the parser's tree goes */
	json_decref(r->root);
	r->root = NULL;
	if (c.o && c.o->report && (ret == 0 || c.fatal))
		rp_notes_flush(&c, ret == 0);
	r->notes = c.notes;
	rp_notes_forget(&c);
	return ret;
}
