// SPDX-License-Identifier: GPL-2.0-or-later
/* record-write.c - the capture file of what the recording backend kept. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "capture-io.h"
#include "names.h"
#include "record.h"

#ifdef PACKAGE_VERSION
#define TOOL_NAME	"vfio-info " PACKAGE_VERSION
#else
#define TOOL_NAME	"vfio-info"
#endif

static json_t *hex_value(const uint8_t *p, size_t len)
{
	char *hex = vi_hex_encode(p, len);
	json_t *v = hex ? json_string(hex) : NULL;

	free(hex);
	return v;
}

static json_t *call_json(const struct rec_call *c)
{
	json_t *o = json_object();
	char flags[32];

	json_object_set_new(o, "ioctl", json_string(c->desc->name));
	if (c->key.sel & VI_SEL_NAME)
		json_object_set_new(o, "name", json_string(c->key.name));
	if (c->key.sel & VI_SEL_INDEX)
		json_object_set_new(o, "index", json_integer(c->key.index));
	if (c->key.sel & VI_SEL_EXTENSION)
		json_object_set_new(o, "extension", json_integer((json_int_t)c->key.extension));
	if (c->key.sel & VI_SEL_IOMMU_SET)
		json_object_set_new(o, "iommu_set", json_true());
	if (c->key.sel & VI_SEL_FEATURE) {
		vi_feature_flags_format(c->key.fflags, flags, sizeof(flags));
		json_object_set_new(o, "feature", json_integer(c->key.feature));
		json_object_set_new(o, "flags", json_string(flags));
	}
	if (c->key.sel & VI_SEL_DEV_ID)
		json_object_set_new(o, "dev_id", json_integer(c->key.dev_id));
	if ((c->key.sel & VI_SEL_PLANE) &&
	    vi_flags_join(vi_gfx_plane_flags, c->key.plane, flags, sizeof(flags)) == 0)
		json_object_set_new(o, "plane_flags", json_string(flags));
	if (c->key.sel & VI_SEL_HWTYPE)
		json_object_set_new(o, "in_data_type", json_integer(c->key.hwtype));
	if (c->ret < 0) {
		const char *name = vi_errno_name((int)-c->ret);

		json_object_set_new(o, "ret", json_integer(-1));
		json_object_set_new(o, "errno", name ? json_string(name) :
				    json_integer(-c->ret));
	} else {
		json_object_set_new(o, "ret", json_integer(c->ret));
		if (c->has_data)
			json_object_set_new(o, "data", hex_value(c->data, c->len));
		if (c->has_aux)
			json_object_set_new(o, "aux", hex_value(c->aux, c->auxlen));
	}
	return o;
}

static json_t *calls_json(const struct rec_calls *cs)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < cs->n; i++)
		json_array_append_new(arr, call_json(&cs->v[i]));
	return arr;
}

static int cmp_extent(const void *a, const void *b)
{
	const struct rec_extent *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static json_t *device_json(struct rec_device *d)
{
	json_t *o = json_object(), *regions = json_array();

	json_object_set_new(o, "name", json_string(d->name));
	json_object_set_new(o, "group", d->group ? json_string(d->group) : json_null());
	json_object_set_new(o, "cdev", d->cdev ? json_string(d->cdev) : json_null());
	json_object_set_new(o, "ioctls", calls_json(&d->calls));
	if (d->next)
		qsort(d->ext, d->next, sizeof(*d->ext), cmp_extent);
	for (size_t i = 0; i < d->next; i++)
		json_array_append_new(regions,
				      json_pack("{s:I,s:I,s:o}", "index", (json_int_t)d->ext[i].index,
						"offset", (json_int_t)d->ext[i].off, "data",
						hex_value(d->ext[i].data, d->ext[i].len)));
	json_object_set_new(o, "regions", regions);
	return o;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Group names in natural order: "3" before "12", numbers before "noiommu-". */
static int cmp_group_name(const char *a, const char *b)
{
	size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");

	if (la && lb && !a[la] && !b[lb] && la != lb)
		return la < lb ? -1 : 1;
	if (!!la != !!lb)
		return la ? -1 : 1;
	return strcmp(a, b);
}

static int cmp_group(const void *a, const void *b)
{
	return cmp_group_name(((const struct rec_group *)a)->name,
			      ((const struct rec_group *)b)->name);
}

static int cmp_device(const void *a, const void *b)
{
	return strcmp(((const struct rec_device *)a)->name, ((const struct rec_device *)b)->name);
}

static bool key_has_children(json_t *o, const char *key)
{
	size_t n = strlen(key);
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
		if (strncmp(k, key, n) == 0 && k[n] == '/')
			return true;
	return false;
}

/* The namespace with sorted keys and without directory markers that the
 * keys below them make redundant. */
static json_t *ns_json(json_t *src)
{
	size_t n = json_object_size(src), i = 0;
	const char **keys = calloc(n + 1, sizeof(*keys));
	json_t *o = json_object(), *v;
	const char *k;

	if (!keys)
		return o;
	json_object_foreach(src, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_cstr);
	for (i = 0; i < n; i++) {
		v = json_object_get(src, keys[i]);
		if (json_object_get(v, "dir") && key_has_children(src, keys[i]))
			continue;
		json_object_set(o, keys[i], v);
	}
	free(keys);
	return o;
}

/* Groups and devices are reordered in place: owners keep indexes, so fix
 * them up through a permutation. */
static void sort_owned(struct record *r)
{
	size_t *gmap = calloc(r->ngroups + 1, sizeof(*gmap));
	size_t *dmap = calloc(r->ndevs + 1, sizeof(*dmap));
	char **gnames = calloc(r->ngroups + 1, sizeof(*gnames));
	char **dnames = calloc(r->ndevs + 1, sizeof(*dnames));

	if (!gmap || !dmap || !gnames || !dnames)
		goto out;
	for (size_t i = 0; i < r->ngroups; i++)
		gnames[i] = r->groups[i].name;
	for (size_t i = 0; i < r->ndevs; i++)
		dnames[i] = r->devs[i].name;
	if (r->ngroups)
		qsort(r->groups, r->ngroups, sizeof(*r->groups), cmp_group);
	if (r->ndevs)
		qsort(r->devs, r->ndevs, sizeof(*r->devs), cmp_device);
	for (size_t i = 0; i < r->ngroups; i++)
		for (size_t j = 0; j < r->ngroups; j++)
			if (r->groups[j].name == gnames[i])
				gmap[i] = j;
	for (size_t i = 0; i < r->ndevs; i++)
		for (size_t j = 0; j < r->ndevs; j++)
			if (r->devs[j].name == dnames[i])
				dmap[i] = j;
	for (size_t i = 0; i < r->nowners; i++) {
		if (r->owners[i].kind == OWN_GROUP)
			r->owners[i].idx = gmap[r->owners[i].idx];
		else if (r->owners[i].kind == OWN_DEVICE)
			r->owners[i].idx = dmap[r->owners[i].idx];
	}
out:
	free(gmap);
	free(dmap);
	free(gnames);
	free(dnames);
}

json_t *vi_rec_json(struct record *r, const struct vi_hostinfo *hi,
		    const char *const *profiles)
{
	static const char *const ns_keys[] = { "sysfs", "procfs", "dev" };
	json_t *root, *arr;

	sort_owned(r);

	root = json_object();
	if (!root)
		return NULL;
	json_object_set_new(root, "vfio-info-capture", json_integer(VI_CAPTURE_VERSION));
	json_object_set_new(root, "tool", json_string(TOOL_NAME));
	json_object_set_new(root, "host",
			    json_pack("{s:s,s:s,s:s,s:i}", "kernel", hi->kernel,
				      "machine", hi->machine,
				      "byte_order", hi->big_endian ? "big" : "little",
				      "page_size", (int)hi->page_size));
	if (profiles && profiles[0]) {
		arr = json_array();
		for (size_t i = 0; profiles[i]; i++)
			json_array_append_new(arr, json_string(profiles[i]));
		json_object_set_new(root, "profiles", arr);
	}
	for (int i = 0; i < 3; i++)
		if (r->ns[i] && json_object_size(r->ns[i]))
			json_object_set_new(root, ns_keys[i], ns_json(r->ns[i]));
	if (r->container.n)
		json_object_set_new(root, "container",
				    json_pack("{s:o}", "ioctls", calls_json(&r->container)));
	if (r->iommufd.n)
		json_object_set_new(root, "iommufd",
				    json_pack("{s:o}", "ioctls", calls_json(&r->iommufd)));
	if (r->ngroups) {
		arr = json_array();
		for (size_t i = 0; i < r->ngroups; i++)
			json_array_append_new(arr, json_pack("{s:s,s:o}", "group",
							     r->groups[i].name, "ioctls",
							     calls_json(&r->groups[i].calls)));
		json_object_set_new(root, "groups", arr);
	}
	arr = json_array();
	for (size_t i = 0; i < r->ndevs; i++)
		json_array_append_new(arr, device_json(&r->devs[i]));
	json_object_set_new(root, "devices", arr);
	return root;
}
