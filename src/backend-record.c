// SPDX-License-Identifier: GPL-2.0-or-later
/* backend-record.c - wrap a backend and keep every answer for a capture file. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend.h"
#include "names.h"
#include "bytes.h"
#include "callkey.h"
#include "capture-io.h"
#include "record.h"
#include "uapi/vfio-abi.h"


/* ==== owners of handles ==== */

static struct rec_owner *owner_get(struct record *r, int h)
{
	for (size_t i = 0; i < r->nowners; i++)
		if (r->owners[i].h == h)
			return &r->owners[i];
	return NULL;
}

static void owner_drop(struct record *r, int h)
{
	for (size_t i = 0; i < r->nowners; i++)
		if (r->owners[i].h == h) {
			r->owners[i] = r->owners[--r->nowners];
			return;
		}
}

static int owner_set(struct record *r, int h, enum owner_kind kind, size_t idx)
{
	struct rec_owner *o = owner_get(r, h), *nv;

	if (!o) {
		nv = realloc(r->owners, (r->nowners + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->owners = nv;
		o = &r->owners[r->nowners++];
	}
	*o = (struct rec_owner){ h, kind, idx, false };
	return 0;
}

static ssize_t group_index(struct record *r, const char *name)
{
	struct rec_group *nv;

	for (size_t i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].name, name) == 0)
			return (ssize_t)i;
	nv = realloc(r->groups, (r->ngroups + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	r->groups = nv;
	memset(&nv[r->ngroups], 0, sizeof(*nv));
	nv[r->ngroups].name = strdup(name);
	if (!nv[r->ngroups].name)
		return -ENOMEM;
	return (ssize_t)r->ngroups++;
}

static ssize_t device_index(struct record *r, const char *name, const char *group,
			    const char *cdev)
{
	struct rec_device *d, *nv;
	size_t i;

	for (i = 0; i < r->ndevs; i++)
		if (strcmp(r->devs[i].name, name) == 0)
			break;
	if (i == r->ndevs) {
		nv = realloc(r->devs, (r->ndevs + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->devs = nv;
		memset(&nv[i], 0, sizeof(*nv));
		nv[i].name = strdup(name);
		if (!nv[i].name)
			return -ENOMEM;
		r->ndevs++;
	}
	d = &r->devs[i];
	if (group && !d->group)
		d->group = strdup(group);
	if (cdev && !d->cdev)
		d->cdev = strdup(cdev);
	return (ssize_t)i;
}

/* ==== node paths ==== */

static int rec_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	static const char group_dir[] = "/dev/vfio/";
	static const char cdev_dir[] = "/dev/vfio/devices/";
	struct record *r = REC(be);
	int h = INNER(be)->ops->open_node(INNER(be), path, kind);
	ssize_t idx;

	if (h < 0)
		return h;
	if (strcmp(path, "/dev/vfio/vfio") == 0) {
		owner_set(r, h, OWN_CONTAINER, 0);
	} else if (strcmp(path, "/dev/iommu") == 0) {
		owner_set(r, h, OWN_IOMMUFD, 0);
	} else if (strncmp(path, cdev_dir, sizeof(cdev_dir) - 1) == 0) {
		/* The cdev node does not say which device it is: ask the
		 * enumeration (sysfs live, the capture in replay). */
		const char *cdev = path + sizeof(cdev_dir) - 1;
		struct vi_devref *list = NULL;
		size_t n = 0;
		const char *name = cdev, *group = NULL;

		if (INNER(be)->ops->enumerate(INNER(be), &list, &n) == 0) {
			for (size_t i = 0; i < n; i++)
				if (list[i].cdev && strcmp(list[i].cdev, cdev) == 0) {
					name = list[i].name;
					group = list[i].group;
					break;
				}
		}
		idx = device_index(r, name, group, cdev);
		vi_devref_free(list, n);
		if (idx >= 0)
			owner_set(r, h, OWN_DEVICE, (size_t)idx);
	} else if (strncmp(path, group_dir, sizeof(group_dir) - 1) == 0) {
		idx = group_index(r, path + sizeof(group_dir) - 1);
		if (idx >= 0)
			owner_set(r, h, OWN_GROUP, (size_t)idx);
	}
	return h;
}

static void rec_close(struct vi_backend *be, int h)
{
	owner_drop(REC(be), h);
	INNER(be)->ops->close(INNER(be), h);
}

/* ==== ioctl answers ==== */

static void free_call(struct rec_call *c)
{
	free(c->data);
	free(c->aux);
	vi_callkey_clear(&c->key);
}

static void free_calls(struct rec_calls *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free_call(&cs->v[i]);
	free(cs->v);
}

static struct rec_call *find_call(struct rec_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i].desc->ioc == ioc && vi_callkey_same(&cs->v[i].key, k))
			return &cs->v[i];
	return NULL;
}

static void drop_call(struct rec_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	struct rec_call *c = find_call(cs, ioc, k);

	if (!c)
		return;
	free_call(c);
	memmove(c, c + 1, (size_t)(&cs->v[cs->n] - (c + 1)) * sizeof(*c));
	cs->n--;
}

/* Store @c under its key: the last call for a selector wins, in the
 * position of the first one. */
static void store_call(struct rec_calls *cs, struct rec_call *c)
{
	struct rec_call *old = find_call(cs, c->desc->ioc, &c->key), *nv;

	if (old) {
		free_call(old);
		*old = *c;
		c->key.name = NULL;	/* the stored call's now */
		return;
	}
	nv = realloc(cs->v, (cs->n + 1) * sizeof(*nv));
	if (!nv) {
		free_call(c);
		return;
	}
	cs->v = nv;
	cs->v[cs->n++] = *c;
	c->key.name = NULL;
}

static uint8_t *dup_bytes(const void *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

static struct rec_calls *calls_of(struct record *r, struct rec_owner *o)
{
	switch (o->kind) {
	case OWN_CONTAINER:
		return &r->container;
	case OWN_IOMMUFD:
		return &r->iommufd;
	case OWN_GROUP:
		return &r->groups[o->idx].calls;
	case OWN_DEVICE:
		return &r->devs[o->idx].calls;
	}
	return NULL;
}

/* What the kernel wrote, as a capture stores it (pointer fields zeroed). */
static void fill_answer(struct vi_backend *be, const struct vi_ioc_desc *d,
			const struct vi_ioarg *a, uint32_t in_capacity, struct rec_call *c)
{
	struct vi_bytes b = vi_bytes_make(a->buf, a->len, be->big_endian);
	uint64_t n = 0, cnt;
	uint32_t v;

	if (d->arg != VI_ARG_STRUCT || !a->buf || !a->len)
		return;
	switch (d->growth) {
	case VI_GROW_ARGSZ:
		n = vi_get32(b, 0);
		break;
	case VI_GROW_COUNT_ENOSPC:
		cnt = vi_get32(b, VI_HRI_COUNT);
		n = VI_HRI_DEVICES + cnt * VI_HRI_DEV_SIZE;
		break;
	case VI_GROW_COUNT_EMSGSIZE: {
		/* header + the ranges the kernel filled in */
		size_t hdr = a->len < VI_IOVR_SIZE ? a->len : VI_IOVR_SIZE;
		uint64_t nr = vi_get32(b, VI_IOVR_NUM_IOVAS);

		if (nr > in_capacity)
			nr = in_capacity;
		if (!a->aux)
			nr = 0;
		else if (nr > a->auxlen / VI_IOVR_RANGE_SIZE)
			nr = a->auxlen / VI_IOVR_RANGE_SIZE;
		c->data = malloc(hdr + nr * VI_IOVR_RANGE_SIZE + 1);
		if (!c->data)
			return;
		memcpy(c->data, a->buf, hdr);
		if (nr)
			memcpy(c->data + hdr, a->aux, nr * VI_IOVR_RANGE_SIZE);
		c->len = hdr + nr * VI_IOVR_RANGE_SIZE;
		vi_put64(c->data, c->len, VI_IOVR_PTR, 0, be->big_endian);
		c->has_data = true;
		return;
	}
	case VI_GROW_DATA_LEN:
		n = a->len < VI_HWI_SIZE ? a->len : VI_HWI_SIZE;
		v = vi_get32(b, VI_HWI_DATA_LEN);
		if (v > in_capacity)
			v = in_capacity;
		if (!a->aux)
			v = 0;
		else if (v > a->auxlen)
			v = (uint32_t)a->auxlen;
		c->aux = dup_bytes(a->aux, v);
		c->auxlen = v;
		c->has_aux = c->aux != NULL;
		break;
	case VI_GROW_NONE:
	default:
		n = vi_get32(b, 0);
		/* a feature probe answers with its own header: nothing to keep */
		if (d->ioc == VI_IOC_DEVICE_FEATURE && n <= VI_FEAT_MINSZ)
			return;
		/* nor does a QUERY_GFX_PLANE probe (0 or an error) */
		if (d->ioc == VI_IOC_DEVICE_QUERY_GFX_PLANE &&
		    (vi_get32(b, VI_GFXP_FLAGS) & VI_GFX_PLANE_TYPE_PROBE))
			return;
		break;
	}
	if (n > a->len)
		n = a->len;
	c->data = dup_bytes(a->buf, (size_t)n);
	if (!c->data)
		return;
	c->len = (size_t)n;
	c->has_data = true;
	if (d->ioc == VI_IOC_IOMMU_GET_HW_INFO)
		vi_put64(c->data, c->len, VI_HWI_DATA_PTR, 0, be->big_endian);
	else if (d->ioc == VI_IOC_DEVICE_BIND_IOMMUFD)
		vi_put64(c->data, c->len, VI_BIND_TOKEN_PTR, 0, be->big_endian);
}

static long rec_ioctl_keyed(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a,
			    struct rec_call *cp)
{
	struct vi_ioarg none = { 0 };
	struct record *r = REC(be);
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	struct rec_owner *o;
	struct rec_calls *cs;
	uint32_t in_capacity = 0;
	long ret;

	if (!a)
		a = &none;
	/* SET_IRQS changes the device and carries handles meaningful only
	 * here: a replay emulates it instead of repeating an answer */
	if (!d || ioc == VI_IOC_DEVICE_SET_IRQS)
		return INNER(be)->ops->ioctl(INNER(be), h, ioc, a);
	vi_callkey_of(be, ioc, a, &cp->key);
	/* Some extensions answer differently once an IOMMU is set
	 * (DMA_CC_IOMMU, UPDATE_VADDR): keep both answers apart. */
	o = owner_get(r, h);
	if (ioc == VI_IOC_CHECK_EXTENSION && o && o->iommu_set)
		cp->key.sel |= VI_SEL_IOMMU_SET;
	if (a && a->buf) {
		struct vi_bytes b = vi_bytes_make(a->buf, a->len, be->big_endian);

		if (ioc == VI_IOC_IOMMU_IOAS_IOVA_RANGES)
			in_capacity = vi_get32(b, VI_IOVR_NUM_IOVAS);
		else if (ioc == VI_IOC_IOMMU_GET_HW_INFO)
			in_capacity = vi_get32(b, VI_HWI_DATA_LEN);
	}
	ret = INNER(be)->ops->ioctl(INNER(be), h, ioc, a);
	/* a replayed capture that never asked this: nothing to record */
	if (ret == -VI_ENOREC)
		return ret;

	o = owner_get(r, h);
	if (ioc == VI_IOC_SET_IOMMU && ret >= 0 && o)
		o->iommu_set = true;
	if (!o)
		return ret;
	cs = calls_of(r, o);
	cp->desc = d;
	cp->ret = ret;

	if (ioc == VI_IOC_GROUP_GET_DEVICE_FD && ret >= 0 && (cp->key.sel & VI_SEL_NAME)) {
		const char *group = o->kind == OWN_GROUP ? r->groups[o->idx].name : NULL;
		ssize_t idx = device_index(r, cp->key.name, group, NULL);

		if (idx >= 0)
			owner_set(r, (int)ret, OWN_DEVICE, (size_t)idx);
		/* a success after a failure replaces it */
		drop_call(cs, ioc, &cp->key);
		return ret;
	}
	if (d->opens) {
		/* Opening calls are kept only when they failed, and the
		 * ones that hand back an id (BIND's out_devid, the IOAS id,
		 * ATTACH's hwpt id) so a replay shows the same ids. */
		if (ret < 0 || ioc == VI_IOC_DEVICE_BIND_IOMMUFD ||
		    ioc == VI_IOC_IOMMU_IOAS_ALLOC ||
		    ioc == VI_IOC_DEVICE_ATTACH_IOMMUFD_PT) {
			if (ret >= 0)
				fill_answer(be, d, a, 0, cp);
			store_call(cs, cp);
		} else {
			drop_call(cs, ioc, &cp->key);
		}
		return ret;
	}
	/* dump PROBEs every feature id up to VI_FEATURE_PROBE_MAX: an id
	 * no table names, answered ENOTTY, is what replay answers for a
	 * call it has no entry for, so it is not kept */
	if (ioc == VI_IOC_DEVICE_FEATURE && ret == -ENOTTY && (cp->key.sel & VI_SEL_FEATURE) &&
	    !vi_name_of(vi_feature_ids, cp->key.feature))
		return ret;
	if (ret >= 0)
		fill_answer(be, d, a, in_capacity, cp);
	store_call(cs, cp);
	return ret;
}

/* Every call is stored under its key, or its key's name goes. */
static long rec_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	struct rec_call c = { 0 };
	long ret = rec_ioctl_keyed(be, h, ioc, a, &c);

	vi_callkey_clear(&c.key);
	return ret;
}

/* ==== region bytes ==== */

static bool region_of(struct vi_backend *be, struct rec_device *dev, uint64_t off,
		      uint32_t *index, uint64_t *roff)
{
	for (size_t i = 0; i < dev->calls.n; i++) {
		const struct rec_call *c = &dev->calls.v[i];
		struct vi_bytes b;
		uint64_t size, start;

		if (c->desc->ioc != VI_IOC_DEVICE_GET_REGION_INFO || !c->has_data)
			continue;
		b = vi_bytes_make(c->data, c->len, be->big_endian);
		if (vi_u64(b, VI_REGION_SIZE_OFF, &size) < 0 ||
		    vi_u64(b, VI_REGION_OFFSET_OFF, &start) < 0)
			continue;
		if (off >= start && off - start < size) {
			*index = c->key.index;
			*roff = off - start;
			return true;
		}
	}
	return false;
}

/* Add bytes read at (@index, @off), merging with what touches them; the
 * newest bytes win where they overlap. */
static void add_extent(struct rec_device *dev, uint32_t index, uint64_t off,
		       const void *data, size_t len)
{
	struct rec_extent n = { index, off, dup_bytes(data, len), len }, *nv;
	size_t i = 0;

	if (!n.data)
		return;
	while (i < dev->next) {
		struct rec_extent *e = &dev->ext[i];
		uint64_t lo, hi;
		uint8_t *buf;

		if (e->index != index || e->off > n.off + n.len || n.off > e->off + e->len) {
			i++;
			continue;
		}
		lo = e->off < n.off ? e->off : n.off;
		hi = e->off + e->len > n.off + n.len ? e->off + e->len : n.off + n.len;
		buf = malloc((size_t)(hi - lo) + 1);
		if (!buf) {
			free(n.data);
			return;
		}
		memcpy(buf + (e->off - lo), e->data, e->len);
		memcpy(buf + (n.off - lo), n.data, n.len);
		free(n.data);
		free(e->data);
		n.off = lo;
		n.len = (size_t)(hi - lo);
		n.data = buf;
		dev->ext[i] = dev->ext[--dev->next];
		i = 0;
	}
	nv = realloc(dev->ext, (dev->next + 1) * sizeof(*nv));
	if (!nv) {
		free(n.data);
		return;
	}
	dev->ext = nv;
	dev->ext[dev->next++] = n;
}

static ssize_t rec_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	struct record *r = REC(be);
	ssize_t n = INNER(be)->ops->pread(INNER(be), h, buf, len, off);
	struct rec_owner *o = owner_get(r, h);
	uint32_t index;
	uint64_t roff;

	if (n > 0 && o && o->kind == OWN_DEVICE &&
	    region_of(be, &r->devs[o->idx], off, &index, &roff))
		add_extent(&r->devs[o->idx], index, roff, buf, (size_t)n);
	return n;
}

static ssize_t rec_pwrite(struct vi_backend *be, int h, const void *buf, size_t len,
			  uint64_t off)
{
	return INNER(be)->ops->pwrite(INNER(be), h, buf, len, off);
}

static void *rec_mmap(struct vi_backend *be, int h, size_t len, uint64_t off, bool writable)
{
	return INNER(be)->ops->mmap(INNER(be), h, len, off, writable);
}

static int rec_munmap(struct vi_backend *be, void *addr, size_t len)
{
	return INNER(be)->ops->munmap(INNER(be), addr, len);
}

static int rec_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *n)
{
	return INNER(be)->ops->enumerate(INNER(be), list, n);
}

static int rec_host_info(struct vi_backend *be, struct vi_hostinfo *hi)
{
	return INNER(be)->ops->host_info(INNER(be), hi);
}

/* Interrupt counters are the inner backend's: nothing of them is kept. */
static int rec_event_new(struct vi_backend *be)
{
	struct vi_backend *in = INNER(be);

	return in->ops->event_new ? in->ops->event_new(in) : -ENOSYS;
}

static int rec_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			  uint64_t *counts, bool *settled)
{
	struct vi_backend *in = INNER(be);

	*settled = true;
	return in->ops->event_wait ? in->ops->event_wait(in, hs, n, timeout_ms, counts, settled) :
	       -ENOSYS;
}

static void rec_destroy(struct vi_backend *be)
{
	struct record *r = REC(be);

	free_calls(&r->container);
	free_calls(&r->iommufd);
	for (size_t i = 0; i < r->ngroups; i++) {
		free(r->groups[i].name);
		free_calls(&r->groups[i].calls);
	}
	free(r->groups);
	for (size_t i = 0; i < r->ndevs; i++) {
		struct rec_device *d = &r->devs[i];

		free(d->name);
		free(d->group);
		free(d->cdev);
		free_calls(&d->calls);
		for (size_t j = 0; j < d->next; j++)
			free(d->ext[j].data);
		free(d->ext);
	}
	free(r->devs);
	free(r->owners);
	for (int i = 0; i < 3; i++)
		json_decref(r->ns[i]);
	vi_backend_destroy(r->inner);
	free(r);
	free(be);
}

static const struct vi_backend_ops record_ops = {
	.name = "record",
	.open_node = rec_open_node,
	.close = rec_close,
	.ioctl = rec_ioctl,
	.pread = rec_pread,
	.pwrite = rec_pwrite,
	.mmap = rec_mmap,
	.munmap = rec_munmap,
	.read_file = vi_rec_read_file,
	.readlink = vi_rec_readlink,
	.list_dir = vi_rec_list_dir,
	.stat_node = vi_rec_stat_node,
	.enumerate = rec_enumerate,
	.host_info = rec_host_info,
	.event_new = rec_event_new,
	.event_wait = rec_event_wait,
	.destroy = rec_destroy,
};

struct vi_backend *vi_backend_record_new(struct vi_backend *inner)
{
	struct vi_backend *be;
	struct record *r;

	if (!inner)
		return NULL;
	be = calloc(1, sizeof(*be));
	r = calloc(1, sizeof(*r));
	if (!be || !r) {
		free(be);
		free(r);
		return NULL;
	}
	r->inner = inner;
	be->ops = &record_ops;
	be->priv = r;
	be->big_endian = inner->big_endian;
	be->page_size = inner->page_size;
	be->profiles = inner->profiles;
	return be;
}

int vi_record_devices(struct vi_backend *rec, const struct vi_devref *v, size_t n)
{
	if (!rec || rec->ops != &record_ops)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (v[i].name && device_index(REC(rec), v[i].name, v[i].group, v[i].cdev) < 0)
			return -ENOMEM;
	return 0;
}

int vi_record_write(struct vi_backend *rec, const char *path, const char *const *profiles)
{
	struct vi_hostinfo hi;
	json_t *root;
	int ret;

	if (!rec || rec->ops != &record_ops)
		return -EINVAL;
	memset(&hi, 0, sizeof(hi));
	ret = INNER(rec)->ops->host_info(INNER(rec), &hi);
	if (ret < 0)
		return ret;
	root = vi_rec_json(REC(rec), &hi, profiles);
	if (!root)
		return -ENOMEM;
	ret = vi_capture_save(path, root);
	json_decref(root);
	return ret;
}
