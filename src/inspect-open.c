// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect-open.c - one device opened and kept open for the shell
 * (vi_device_open): the same opening steps as vi_inspect, no output,
 * and the facts the shell's commands need about regions and irqs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "inspect.h"
#include "inspect-int.h"
#include "query.h"
#include "uapi/vfio-abi.h"
#include "util.h"

static int device_open_legacy(struct ctx *c, struct vi_device *dev, const struct vi_devref *d)
{
	struct vi_backend *be = c->be;
	long ext[VI_EXTENSION_MAX + 1] = { 0 };
	bool noiommu = strncmp(d->group, "noiommu-", 8) == 0;
	struct group_state g = { 0 };
	struct vi_ioarg a = { 0 };
	struct vi_query q;
	char node[64];
	unsigned int type;
	long r;

	dev->container = be->ops->open_node(be, "/dev/vfio/vfio", VI_FD_CONTAINER);
	if (dev->container < 0) {
		r = dev->container;
		insp_fail_open(c, (int)r, "/dev/vfio/vfio");
		return (int)r;
	}
	snprintf(node, sizeof(node), "/dev/vfio/%s", d->group);
	dev->group = be->ops->open_node(be, node, VI_FD_GROUP);
	if (dev->group < 0) {
		r = dev->group;
		insp_fail_open(c, (int)r, node);
		return (int)r;
	}
	r = vi_q_group_status(be, dev->group, &q);
	if (r >= 0 && !(vi_get32(vi_query_bytes(&q), VI_GROUP_STATUS_FLAGS) &
			VI_GROUP_FLAGS_VIABLE)) {
		char *m = insp_members_text(be, noiommu ? d->group + 8 : d->group);
		insp_fail(c, -EPERM, "group %s is not viable: %s. Please ensure all devices "
		     "within the iommu_group are bound to their vfio bus driver", d->group, m);
		free(m);
		r = -EPERM;
	} else if (r < 0) {
		insp_fail(c, (int)r, "group %s: VFIO_GROUP_GET_STATUS failed: %s", d->group,
		     strerror((int)-r));
	}
	vi_query_free(&q);
	if (r < 0)
		return (int)r;
	a.handle = dev->container;
	r = vi_be_ioctl(be, dev->group, VI_IOC_GROUP_SET_CONTAINER, &a);
	if (r < 0) {
		insp_fail(c, (int)r, "group %s: VFIO_GROUP_SET_CONTAINER failed: %s", d->group,
		     strerror((int)-r));
		return (int)r;
	}
	for (unsigned int e = 1; e <= VI_EXTENSION_MAX; e++)
		if (e != VI_DMA_CC_IOMMU && e != VI_EEH && e != VI_UNMAP_ALL &&
		    e != VI_UPDATE_VADDR && e != VI_TYPE1_NESTING_IOMMU)
			ext[e] = insp_value_call(c, dev->container, VI_IOC_CHECK_EXTENSION, e);
	type = insp_pick_iommu(ext, noiommu);
	if (!type) {
		insp_fail(c, -ENODEV, "group %s: the container offers no usable IOMMU type%s",
		     d->group, noiommu ? " (noiommu needs vfio.enable_unsafe_noiommu_mode=1)" : "");
		return -ENODEV;
	}
	r = insp_value_call(c, dev->container, VI_IOC_SET_IOMMU, type);
	if (r < 0) {
		insp_fail(c, (int)r, "group %s: VFIO_SET_IOMMU(%s) failed: %s", d->group,
		     vi_name_of(vi_extensions, type), strerror((int)-r));
		return (int)r;
	}
	g.group = dev->group;
	dev->dev = insp_get_device_fd(c, &g, d->name);
	return dev->dev < 0 ? dev->dev : 0;
}

static int device_open_cdev(struct ctx *c, struct vi_device *dev, const struct vi_devref *d)
{
	struct vi_backend *be = c->be;
	uint8_t bind[VI_BIND_SIZE], uuid[16], ioas[VI_IOAS_ALLOC_SIZE], att[VI_ATTACH_SIZE];
	struct vi_ioarg a = { 0 };
	bool be_ = be->big_endian;
	char node[128];
	long r;

	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", d->cdev);
	dev->dev = be->ops->open_node(be, node, VI_FD_DEVICE);
	if (dev->dev < 0) {
		insp_fail_open(c, dev->dev, node);
		return dev->dev;
	}
	dev->iommufd = be->ops->open_node(be, "/dev/iommu", VI_FD_IOMMUFD);
	if (dev->iommufd < 0) {
		insp_fail_open(c, dev->iommufd, "/dev/iommu");
		return dev->iommufd;
	}
	memset(bind, 0, sizeof(bind));
	vi_put32(bind, sizeof(bind), VI_BIND_ARGSZ, sizeof(bind), be_);
	vi_put32(bind, sizeof(bind), VI_BIND_IOMMUFD, (uint32_t)dev->iommufd, be_);
	a.buf = bind;
	a.len = sizeof(bind);
	if (c->o->vf_token && vi_parse_uuid(c->o->vf_token, uuid) == 0) {
		vi_put32(bind, sizeof(bind), VI_BIND_FLAGS, VI_BIND_FLAG_TOKEN, be_);
		a.aux = uuid;
		a.auxlen = sizeof(uuid);
	}
	r = vi_be_ioctl(be, dev->dev, VI_IOC_DEVICE_BIND_IOMMUFD, &a);
	if (r < 0) {
		insp_fail(c, (int)r, "%s: VFIO_DEVICE_BIND_IOMMUFD failed: %s", node,
		     strerror((int)-r));
		return (int)r;
	}
	/* attach to an IOAS, as a VMM does: some devices refuse access to
	 * their regions until they are attached */
	memset(ioas, 0, sizeof(ioas));
	vi_put32(ioas, sizeof(ioas), VI_IOAS_ALLOC_SIZE_F, sizeof(ioas), be_);
	memset(&a, 0, sizeof(a));
	a.buf = ioas;
	a.len = sizeof(ioas);
	r = vi_be_ioctl(be, dev->iommufd, VI_IOC_IOMMU_IOAS_ALLOC, &a);
	if (r >= 0) {
		memset(att, 0, sizeof(att));
		vi_put32(att, sizeof(att), VI_ATTACH_ARGSZ, sizeof(att), be_);
		vi_put32(att, sizeof(att), VI_ATTACH_PT_ID,
			 vi_get32(vi_bytes_make(ioas, sizeof(ioas), be_), VI_IOAS_ALLOC_OUT_ID), be_);
		memset(&a, 0, sizeof(a));
		a.buf = att;
		a.len = sizeof(att);
		(void)vi_be_ioctl(be, dev->dev, VI_IOC_DEVICE_ATTACH_IOMMUFD_PT, &a);
	}
	return 0;
}

/* SPARSE_MMAP areas and MSIX_MAPPABLE from a region info answer. */
static void region_caps(struct vi_region *rg, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(&rg->q);
	struct vi_capiter it;
	struct vi_cap cap;
	uint32_t off = 0;

	if ((profiles & VI_PROF_DEVTREE) || !(rg->flags & VI_REGION_FLAG_CAPS) ||
	    vi_u32(b, VI_REGION_CAP_OFFSET, &off) || !off)
		return;
	vi_capiter_init(&it, b, off, VI_REGION_SIZE);
	while (vi_capiter_next(&it, &cap)) {
		if (cap.id == 3) {
			rg->msix_mappable = true;
		} else if (cap.id == 1 && !rg->sparse) {
			uint32_t nr = 0, fit;

			rg->sparse = true;
			if (vi_u32(cap.body, 8, &nr))
				continue;
			fit = cap.body.len >= 16 ? (uint32_t)((cap.body.len - 16) / 16) : 0;
			if (nr > fit)
				nr = fit;
			if (nr > 4096)
				nr = 4096;
			rg->areas = calloc(nr ? nr : 1, sizeof(*rg->areas));
			if (!rg->areas)
				continue;
			for (uint32_t i = 0; i < nr; i++) {
				rg->areas[i].offset = vi_get64(cap.body, 16 + 16 * (size_t)i);
				rg->areas[i].size = vi_get64(cap.body, 24 + 16 * (size_t)i);
			}
			rg->nareas = nr;
		}
	}
}

static void device_facts(struct vi_device *dev)
{
	struct vi_backend *be = dev->be;
	struct vi_bytes b;

	if (vi_q_device_info(be, dev->dev, &dev->info) < 0)
		return;
	b = vi_query_bytes(&dev->info);
	vi_u32(b, VI_DEVINFO_FLAGS, &dev->flags);
	vi_u32(b, VI_DEVINFO_NUM_REGIONS, &dev->nregions);
	vi_u32(b, VI_DEVINFO_NUM_IRQS, &dev->nirqs);
	if (dev->nregions > MAX_REGIONS)
		dev->nregions = MAX_REGIONS;
	if (dev->nirqs > MAX_REGIONS)
		dev->nirqs = MAX_REGIONS;
	dev->kind = vi_devkind_of(dev->flags, dev->profiles);
	dev->regions = calloc(dev->nregions ? dev->nregions : 1, sizeof(*dev->regions));
	dev->irqs = calloc(dev->nirqs ? dev->nirqs : 1, sizeof(*dev->irqs));
	if (!dev->regions || !dev->irqs) {
		dev->nregions = dev->nirqs = 0;
		return;
	}
	for (uint32_t i = 0; i < dev->nregions; i++) {
		struct vi_region *rg = &dev->regions[i];
		const char *n;
		long r = vi_q_region_info(be, dev->dev, i, &rg->q);

		rg->index = i;
		b = vi_query_bytes(&rg->q);
		n = vi_region_name(dev->kind, i, b, dev->profiles, rg->name, sizeof(rg->name));
		if (n && n != rg->name)
			snprintf(rg->name, sizeof(rg->name), "%s", n);
		else if (!n)
			rg->name[0] = '\0';
		rg->ok = r >= 0 && vi_u32(b, VI_REGION_FLAGS, &rg->flags) == 0 &&
			 vi_u64(b, VI_REGION_SIZE_OFF, &rg->size) == 0 &&
			 vi_u64(b, VI_REGION_OFFSET_OFF, &rg->offset) == 0;
		if (rg->ok)
			region_caps(rg, dev->profiles);
	}
	for (uint32_t i = 0; i < dev->nirqs; i++) {
		struct vi_irq *iq = &dev->irqs[i];
		const char *n;
		long r = vi_q_irq_info(be, dev->dev, i, VI_IRQ_MINSZ, &iq->q);

		iq->index = i;
		b = vi_query_bytes(&iq->q);
		n = vi_irq_name(dev->kind, i, b, dev->profiles, iq->name, sizeof(iq->name));
		if (n && n != iq->name)
			snprintf(iq->name, sizeof(iq->name), "%s", n);
		else if (!n)
			iq->name[0] = '\0';
		iq->ok = r >= 0 && vi_u32(b, VI_IRQ_FLAGS, &iq->flags) == 0 &&
			 vi_u32(b, VI_IRQ_COUNT, &iq->count) == 0;
	}
}

int vi_device_open(struct vi_backend *be, const struct vi_devref *d,
		   const struct vi_inspect_opts *o, struct vi_device **out)
{
	struct ctx c = { be, NULL, o, 0, NULL, false };
	struct vi_device *dev = calloc(1, sizeof(*dev));
	int r;

	*out = NULL;
	if (!dev)
		return -ENOMEM;
	dev->be = be;
	dev->name = vi_strdup(d->name);
	dev->dev = dev->group = dev->container = dev->iommufd = -1;
	dev->profiles = o->profiles;
	dev->cdev = insp_use_cdev(&c, d);
	if (dev->cdev && !d->cdev) {
		insp_fail(&c, -ENODEV, "%s has no device cdev (the kernel lacks "
		     "CONFIG_VFIO_DEVICE_CDEV, or the device is noiommu): use --legacy",
		     d->name);
		r = -ENODEV;
	} else if (dev->cdev) {
		r = device_open_cdev(&c, dev, d);
	} else if (!d->group) {
		insp_fail(&c, -ENODEV, "%s is in no IOMMU group", d->name);
		r = -ENODEV;
	} else {
		r = device_open_legacy(&c, dev, d);
	}
	if (r < 0) {
		vi_device_close(dev);
		return r;
	}
	device_facts(dev);
	*out = dev;
	return 0;
}

void vi_device_close(struct vi_device *dev)
{
	struct vi_backend *be;

	if (!dev)
		return;
	be = dev->be;
	for (uint32_t i = 0; dev->regions && i < dev->nregions; i++) {
		vi_query_free(&dev->regions[i].q);
		free(dev->regions[i].areas);
	}
	for (uint32_t i = 0; dev->irqs && i < dev->nirqs; i++)
		vi_query_free(&dev->irqs[i].q);
	free(dev->regions);
	free(dev->irqs);
	vi_query_free(&dev->info);
	if (dev->dev >= 0)
		be->ops->close(be, dev->dev);
	if (dev->iommufd >= 0)
		be->ops->close(be, dev->iommufd);
	if (dev->group >= 0)
		be->ops->close(be, dev->group);
	if (dev->container >= 0)
		be->ops->close(be, dev->container);
	free(dev->name);
	free(dev);
}
