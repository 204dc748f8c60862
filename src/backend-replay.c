// SPDX-License-Identifier: GPL-2.0-or-later
/* backend-replay.c - answer from a capture file with the kernel's size
 * negotiation: handles, ioctls, region bytes.  SET_IRQS and the interrupt
 * counters are in replay-irq.c.  Loading is in
 * replay-load.c, the sysfs/procfs/dev namespaces in replay-sysfs.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "bytes.h"
#include "callkey.h"
#include "capture-io.h"
#include "names.h"
#include "replay-int.h"
#include "uapi/vfio-abi.h"

/* ==== handles ==== */

int replay_handle_new(struct replay *r, enum vi_fdkind kind, int dev, const char *group)
{
	size_t i;

	/* the lowest free slot, as the kernel gives the lowest free fd */
	for (i = r->hfree; i < r->nh; i++)
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
	/* a new file: nothing of the slot's previous holder (SET_IOMMU) */
	r->h[i].iommu_set = false;
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
	r->hfree = i + 1;
	return (int)i + HANDLE_BASE;
}

struct rp_handle *replay_handle_get(struct replay *r, int h)
{
	if (h < HANDLE_BASE || (size_t)(h - HANDLE_BASE) >= r->nh ||
	    !r->h[h - HANDLE_BASE].used)
		return NULL;
	return &r->h[h - HANDLE_BASE];
}

static bool group_known(struct replay *r, const char *name)
{
	return replay_index_find(&r->dev_groups, name) >= 0 ||
	       replay_index_find(&r->group_by_name, name) >= 0;
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
	case VI_FD_GROUP: {
		long i = replay_index_find(&r->group_by_name, hd->group);

		return i >= 0 ? &r->groups[i].calls : NULL;
	}
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
		return replay_handle_new(r, VI_FD_CONTAINER, -1, NULL);
	if (strcmp(path, "/dev/iommu") == 0)
		return replay_handle_new(r, VI_FD_IOMMUFD, -1, NULL);
	if (strncmp(path, cdev_dir, sizeof(cdev_dir) - 1) == 0) {
		long i;

		rest = path + sizeof(cdev_dir) - 1;
		i = replay_index_find(&r->dev_by_cdev, rest);
		return i >= 0 ? replay_handle_new(r, VI_FD_DEVICE, (int)i, NULL) : -ENOENT;
	}
	if (strncmp(path, group_dir, sizeof(group_dir) - 1) == 0) {
		rest = path + sizeof(group_dir) - 1;
		if (*rest && !strchr(rest, '/') && group_known(r, rest))
			return replay_handle_new(r, VI_FD_GROUP, -1, rest);
	}
	return -ENOENT;
}

static void replay_close(struct vi_backend *be, int h)
{
	struct replay *r = RP(be);
	struct rp_handle *hd = replay_handle_get(r, h);

	if (!hd)
		return;
	/* The kernel tears a device's interrupts down when its file
	 * closes; an eventfd closed while set up is no longer signalled
	 * through this handle number (which may be given out again). */
	if (hd->kind == VI_FD_DEVICE) {
		struct rp_device *dev = &r->devs[hd->dev];

		while (dev->nirqsets)
			replay_irqset_drop(dev, &dev->irqsets[0]);
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
	if ((size_t)(h - HANDLE_BASE) < r->hfree)
		r->hfree = (size_t)(h - HANDLE_BASE);
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

/* The most specific recorded call that answers (@ioc, @k): among the
 * calls of @ioc (a range of the sorted list), the first with the most
 * selectors. */
struct rp_call *replay_find_call(struct rp_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	struct rp_call *best = NULL;
	int best_n = -1;
	size_t lo, hi;

	if (!cs)
		return NULL;
	replay_calls_range(cs, ioc, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		struct rp_call *c = &cs->v[i];
		int n;

		if (!vi_callkey_matches(&c->key, k))
			continue;
		n = __builtin_popcount(c->key.sel);
		if (n > best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

/* "responses": one per call in order, the last one repeated. */
static long serve_response(struct rp_call *c, struct vi_ioarg *a)
{
	struct rp_more *m = c->more;
	struct rp_answer *ans = &m->resp[m->next < m->nresp ? m->next : m->nresp - 1];

	if (m->next < m->nresp)
		m->next++;
	if (ans->has_data) {
		if (a->buf && a->len)
			memcpy(a->buf, ans->data, ans->len < a->len ? ans->len : a->len);
		return 0;
	}
	return ans->ret;
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
	size_t room, n, have;

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
	have = c->more ? c->more->auxlen : 0;
	n = have < capacity ? have : capacity;
	if (n)
		memcpy(a->aux, c->more->aux, n);
	if (capacity > n)
		memset((uint8_t *)a->aux + n, 0, capacity - n);
	vi_put32(a->buf, room, VI_HWI_DATA_LEN, (uint32_t)(c->more ? c->more->auxlen : 0),
		 be->big_endian);
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
		return c->ans.ret;
	long i;

	if (!(k->sel & VI_SEL_NAME))
		return -EINVAL;
	i = replay_index_find(&r->dev_by_name, k->name);
	if (i < 0 || (r->devs[i].group && strcmp(r->devs[i].group, hd->group) != 0))
		return -ENODEV;
	return replay_handle_new(r, VI_FD_DEVICE, (int)i, NULL);
}

/* An id the kernel wrote into the caller's struct at off (4 bytes): the
 * recorded one, when the capture holds it and the caller's buffer has
 * room.  False when it did not copy. */
static bool out32_from_capture(struct vi_ioarg *a, const struct rp_call *c, size_t off)
{
	if (!c || !c->ans.has_data || c->ans.len < off + 4 || !a->buf || a->len < off + 4)
		return false;
	memcpy((uint8_t *)a->buf + off, c->ans.data + off, 4);
	return true;
}

/* Calls that only open, bind or attach succeed unless the capture says otherwise. */
static long serve_open_call(struct vi_backend *be, enum vi_ioc ioc, const struct rp_call *c,
			    struct vi_ioarg *a)
{
	struct replay *r = RP(be);

	if (c && c->ans.ret < 0)
		return c->ans.ret;
	switch (ioc) {
	case VI_IOC_GROUP_SET_CONTAINER: {
		struct rp_handle *other = replay_handle_get(r, a->handle);

		if (!c && !other)
			return -EBADF;
		if (!c && other->kind != VI_FD_CONTAINER && other->kind != VI_FD_IOMMUFD)
			return -EBADFD;
		break;
	}
	case VI_IOC_DEVICE_BIND_IOMMUFD:
		if (!a->buf || a->len < VI_BIND_OUT_DEVID + 4)
			return -EFAULT;
		if (!out32_from_capture(a, c, VI_BIND_OUT_DEVID))
			buf_put32(be, a, VI_BIND_OUT_DEVID, 1);
		break;
	case VI_IOC_IOMMU_IOAS_ALLOC:
		if (!a->buf || a->len < VI_IOAS_ALLOC_OUT_ID + 4)
			return -EFAULT;
		if (!out32_from_capture(a, c, VI_IOAS_ALLOC_OUT_ID))
			buf_put32(be, a, VI_IOAS_ALLOC_OUT_ID, 1);
		break;
	case VI_IOC_DEVICE_ATTACH_IOMMUFD_PT:
		/* pt_id: the IOAS in, the hwpt the kernel made out */
		out32_from_capture(a, c, VI_ATTACH_PT_ID);
		break;
	default:
		break;
	}
	return c ? c->ans.ret : 0;
}

/* A call the capture has no entry for.  A PROBE of a feature id vfio-info
 * names, with no entry for that id at all, was never asked by the
 * vfio-info that made the capture (it keeps every named id's answer,
 * ENOTTY too), nor was a hw_info query with INPUT_TYPE: "not recorded".
 * Anything else answers ENOTTY, as a kernel that does not know the call
 * (a capture keeps no ENOTTY of an unnamed feature id). */
static long replay_unrecorded(struct rp_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	size_t lo, hi;

	if (ioc == VI_IOC_IOMMU_GET_HW_INFO && (k->sel & VI_SEL_HWTYPE))
		return -VI_ENOREC;
	if (ioc != VI_IOC_DEVICE_FEATURE || !(k->sel & VI_SEL_FEATURE) ||
	    !(k->fflags & VI_FEAT_PROBE) || !vi_name_of(vi_feature_ids, k->feature))
		return -ENOTTY;
	if (cs) {
		replay_calls_range(cs, ioc, &lo, &hi);
		for (size_t i = lo; i < hi; i++)
			if ((cs->v[i].key.sel & VI_SEL_FEATURE) && cs->v[i].key.feature == k->feature)
				return -ENOTTY;
	}
	return -VI_ENOREC;
}

static long replay_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	struct vi_ioarg none = { 0 };
	struct replay *r = RP(be);
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	struct rp_handle *hd = replay_handle_get(r, h);
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
		return replay_set_irqs(be, hd, a);
	vi_callkey_of(be, ioc, a, &k);
	if (ioc == VI_IOC_CHECK_EXTENSION && hd->iommu_set)
		k.sel |= VI_SEL_IOMMU_SET;
	c = replay_find_call(calls_of(r, hd), ioc, &k);
	if (c && rp_nresp(c)) {
		vi_callkey_clear(&k);
		return serve_response(c, a);
	}
	if (ioc == VI_IOC_GROUP_GET_DEVICE_FD) {
		long ret = serve_get_device_fd(r, hd, c, &k);

		vi_callkey_clear(&k);
		return ret;
	}
	if (d->opens) {
		long ret = serve_open_call(be, ioc, c, a);

		if (ioc == VI_IOC_SET_IOMMU && ret >= 0)
			hd->iommu_set = true;
		return ret;
	}
	if (!c)
		return replay_unrecorded(calls_of(r, hd), ioc, &k);
	if (c->ans.ret < 0)
		return c->ans.ret;
	if (d->arg != VI_ARG_STRUCT || (!c->ans.has_data && !(c->more && c->more->has_aux)))
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
	size_t lo, hi;

	replay_calls_range(&dev->calls, VI_IOC_DEVICE_GET_REGION_INFO, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const struct rp_call *c = &dev->calls.v[i];
		struct vi_bytes data;
		uint64_t size, start;

		if (!c->ans.has_data || c->ans.ret < 0)
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

/* The extent holding @roff of region @index: they are sorted by (index,
 * offset) and do not overlap. */
static struct rp_extent *find_extent(struct rp_device *dev, uint32_t index, uint64_t roff)
{
	size_t lo = 0, hi = dev->next;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct rp_extent *e = &dev->ext[mid];

		if (e->index < index || (e->index == index && e->off + e->len <= roff))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < dev->next && dev->ext[lo].index == index && dev->ext[lo].off <= roff)
		return &dev->ext[lo];
	return NULL;
}

static struct rp_device *device_of(struct replay *r, int h)
{
	struct rp_handle *hd = replay_handle_get(r, h);

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

/* A new backend of the capture @path, or of @len bytes at @mem. */
static struct vi_backend *replay_make(const char *path, const void *mem, size_t len,
				      const char *name, const struct vi_replay_opts *o,
				      char *err, size_t errlen)
{
	struct vi_backend *be;
	struct replay *r;

	if (errlen)
		err[0] = '\0';
	be = calloc(1, sizeof(*be));
	r = calloc(1, sizeof(*r));
	if (!be || !r) {
		snprintf(err, errlen, "%s: out of memory", name);
		free(be);
		free(r);
		return NULL;
	}
	be->ops = &replay_ops;
	be->priv = r;
	if (replay_load(r, be, path, mem, len, name, o, err, errlen) < 0) {
		replay_free(r);
		free(be);
		return NULL;
	}
	return be;
}

struct vi_backend *vi_backend_replay_open(const char *path, const struct vi_replay_opts *o,
					  char *err, size_t errlen)
{
	return replay_make(path, NULL, 0, path, o, err, errlen);
}

struct vi_backend *vi_backend_replay_new(const char *path, char *err, size_t errlen)
{
	return vi_backend_replay_open(path, NULL, err, errlen);
}

struct vi_backend *vi_backend_replay_new_mem(const void *buf, size_t len, const char *name,
					     const struct vi_replay_opts *o,
					     char *err, size_t errlen)
{
	return replay_make(NULL, buf, len, name, o, err, errlen);
}
