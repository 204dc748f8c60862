// SPDX-License-Identifier: GPL-2.0-or-later
/* replay-irq.c - VFIO_DEVICE_SET_IRQS in replay, checked as vfio-pci checks
 * it and then emulated, and the interrupt counters of the event handles. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>

#include "bytes.h"
#include "replay-int.h"
#include "uapi/vfio-abi.h"

void replay_irqset_drop(struct rp_device *dev, struct rp_irqset *set)
{
	free(set->trig);
	*set = dev->irqsets[--dev->nirqsets];
}

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
	c = replay_find_call(cs, ioc, &k);
	if (c && rp_nresp(c)) {
		for (size_t i = c->more->nresp; i-- > 0;)
			if (c->more->resp[i].has_data)
				return vi_bytes_make(c->more->resp[i].data, c->more->resp[i].len,
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
long replay_set_irqs(struct vi_backend *be, struct rp_handle *hd, struct vi_ioarg *a)
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
		replay_irqset_drop(dev, set);
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
			e = replay_handle_get(r, set->trig[v]);
			if (e && e->kind == VI_FD_EVENTFD)
				e->events++;
		}
		return 0;
	}

	k.sel = VI_SEL_INDEX;
	k.index = index;
	rec = replay_find_call(&dev->calls, VI_IOC_DEVICE_SET_IRQS, &k);
	if (rec && rec->ans.ret < 0)
		return rec->ans.ret;
	if (!(iflags & VI_IRQ_INFO_EVENTFD) || !count)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		int32_t fd = (int32_t)vi_get32(b, VI_IRQSET_DATA + (size_t)i * each);
		struct rp_handle *e;

		if (fd == -1)
			continue;
		if (fd < 0)
			return -EINVAL;
		e = replay_handle_get(r, fd);
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

/* ==== interrupt counters ==== */

int replay_event_new(struct vi_backend *be)
{
	return replay_handle_new(RP(be), VI_FD_EVENTFD, -1, NULL);
}

/* No device raises interrupts here: what the handles counted (loopback
 * triggers, delivered during SET_IRQS) is all there will be, at once. */
int replay_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			     uint64_t *counts, bool *settled)
{
	struct replay *r = RP(be);
	int fired = 0;

	*settled = true;
	for (size_t i = 0; i < n; i++) {
		struct rp_handle *e = replay_handle_get(r, hs[i]);

		if (!e || e->kind != VI_FD_EVENTFD)
			return -EBADF;
	}
	for (size_t i = 0; i < n; i++) {
		struct rp_handle *e = replay_handle_get(r, hs[i]);

		if (e->events) {
			counts[i] += e->events;
			e->events = 0;
			fired++;
		}
	}
	(void)timeout_ms;
	return fired;
}
