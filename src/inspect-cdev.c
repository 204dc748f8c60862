// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect-cdev.c - the cdev + iommufd flow: bind the device cdev to an
 * iommufd, hw_info, an IOAS and its IOVA ranges, then the device fd's
 * queries; and which flow a device takes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "inspect-int.h"
#include "query.h"
#include "uapi/vfio-abi.h"
#include "util.h"

struct hwi_in {
	uint32_t dev_id, type;
};

static void prep_hwi_typed(uint8_t *buf, size_t len, bool be, const void *ctx)
{
	const struct hwi_in *in = ctx;

	vi_put32(buf, len, VI_HWI_FLAGS, VI_HWI_FLAG_INPUT_TYPE, be);
	vi_put32(buf, len, VI_HWI_DEV_ID, in->dev_id, be);
	vi_put32(buf, len, VI_HWI_IN_DATA_TYPE, in->type, be);
}

static long hw_info_typed(struct ctx *c, int iommufd, uint32_t devid, uint32_t type,
			  struct vi_query *q)
{
	struct hwi_in in = { devid, type };

	return vi_query_run(c->be, iommufd, VI_IOC_IOMMU_GET_HW_INFO, VI_HWI_SIZE,
			    prep_hwi_typed, &in, q);
}

/* The end of a typed query: no negotiation for a call replay has no
 * answer for (no kernel was asked). */
static void typed_done(struct vi_emit *em, long r, struct vi_query *q)
{
	if (r == -VI_ENOREC)
		vi_query_free(q);
	else
		vi_emit_query_done(em, q);
}

/*
 * IOMMU_HW_INFO_FLAG_INPUT_TYPE (6.17): the answer for each type the ABI
 * names other than @plain, the one the default query gave (a Tegra241
 * CMDQV answers the default query as an SMMUv3).  DEFAULT is asked first:
 * a kernel before 6.17 refuses the flag with EOPNOTSUPP, the same errno
 * a newer one gives for a type its driver does not report, and only
 * DEFAULT, which every driver accepts, tells the two apart; so an older
 * kernel's refusal is shown once.  A capture that never asked (replay
 * answers "not recorded") shows nothing.
 */
static void hw_info_types(struct ctx *c, int iommufd, uint32_t devid, uint32_t plain)
{
	struct vi_emit *em = c->em;
	struct vi_query q;
	/* type 0: NONE on output, DEFAULT on input */
	long r = hw_info_typed(c, iommufd, devid, VI_HW_INFO_TYPE_NONE, &q);

	if (r == -VI_ENOREC) {
		vi_query_free(&q);
		return;
	}
	em_obj_begin(em, "input_type", "input type");
	vi_decode_hw_info_input(em, r);
	vi_emit_query_done(em, &q);
	if (r >= 0) {
		em_arr_begin(em, "types", NULL);
		for (const struct vi_name *t = vi_hw_info_types; t->name; t++) {
			uint32_t type = (uint32_t)t->value;

			if (type == VI_HW_INFO_TYPE_NONE || type == plain)
				continue;
			r = hw_info_typed(c, iommufd, devid, type, &q);
			em_obj_begin(em, NULL, "type %u %s", type, t->name);
			vi_decode_hw_info_typed(em, type, r, &q);
			typed_done(em, r, &q);
			em_obj_end(em);
		}
		em_arr_end(em);
	}
	em_obj_end(em);
}

void insp_cdev(struct ctx *c, const struct vi_devref *d)
{
	struct vi_emit *em = c->em;
	char node[128];
	uint8_t bind[VI_BIND_SIZE], uuid[16], ioas[VI_IOAS_ALLOC_SIZE], att[VI_ATTACH_SIZE];
	struct vi_ioarg a = { 0 };
	struct vi_query q;
	bool be_ = c->be->big_endian;
	int dev, iommufd;
	uint32_t devid, ioas_id, hwtype = 0;
	bool typed;
	long r;

	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", d->cdev);
	dev = c->be->ops->open_node(c->be, node, VI_FD_DEVICE);
	if (dev < 0) {
		insp_fail_open(c, dev, node);
		vi_emit_error(em, dev);
		return;
	}
	iommufd = c->be->ops->open_node(c->be, "/dev/iommu", VI_FD_IOMMUFD);
	if (iommufd < 0) {
		insp_fail_open(c, iommufd, "/dev/iommu");
		vi_emit_error(em, iommufd);
		c->be->ops->close(c->be, dev);
		return;
	}

	em_obj_begin(em, "iommufd", NULL);
	memset(bind, 0, sizeof(bind));
	vi_put32(bind, sizeof(bind), VI_BIND_ARGSZ, sizeof(bind), be_);
	vi_put32(bind, sizeof(bind), VI_BIND_IOMMUFD, (uint32_t)iommufd, be_);
	a.buf = bind;
	a.len = sizeof(bind);
	if (insp_takes_token(c, d->name) && vi_parse_uuid(c->o->vf_token, uuid) == 0) {
		vi_put32(bind, sizeof(bind), VI_BIND_FLAGS, VI_BIND_FLAG_TOKEN, be_);
		a.aux = uuid;
		a.auxlen = sizeof(uuid);
	}
	r = vi_be_ioctl(c->be, dev, VI_IOC_DEVICE_BIND_IOMMUFD, &a);
	if (r < 0) {
		vi_emit_error(em, r);
		em_obj_end(em);
		if (r == -EBUSY || r == -EINVAL)
			insp_fail(c, (int)r, "%s: VFIO_DEVICE_BIND_IOMMUFD failed: %s (is the "
			     "device or its group open elsewhere?)", node, strerror((int)-r));
		else
			insp_fail(c, (int)r, "%s: VFIO_DEVICE_BIND_IOMMUFD failed: %s", node,
			     strerror((int)-r));
		goto close;
	}
	devid = vi_get32(vi_bytes_make(bind, sizeof(bind), be_), VI_BIND_OUT_DEVID);
	em_u64(em, "dev_id", devid);

	em_obj_begin(em, "hw_info", "hw info");
	r = vi_q_hw_info(c->be, iommufd, devid, &q);
	if (r < 0)
		vi_emit_error(em, r);
	else
		vi_decode_hw_info(em, &q);
	typed = r >= 0 && vi_u32(vi_query_bytes(&q), VI_HWI_DATA_TYPE, &hwtype) == 0;
	vi_emit_query_done(em, &q);
	if (typed)
		hw_info_types(c, iommufd, devid, hwtype);
	em_obj_end(em);

	/* IOVA ranges reflect the device's reserved regions only once it is
	 * attached to the IOAS: allocate one, attach, ask. */
	em_obj_begin(em, "ioas", "IOAS");
	memset(ioas, 0, sizeof(ioas));
	vi_put32(ioas, sizeof(ioas), VI_IOAS_ALLOC_SIZE_F, sizeof(ioas), be_);
	memset(&a, 0, sizeof(a));
	a.buf = ioas;
	a.len = sizeof(ioas);
	r = vi_be_ioctl(c->be, iommufd, VI_IOC_IOMMU_IOAS_ALLOC, &a);
	if (r < 0) {
		vi_emit_error(em, r);
		goto ioas_done;
	}
	ioas_id = vi_get32(vi_bytes_make(ioas, sizeof(ioas), be_), VI_IOAS_ALLOC_OUT_ID);
	em_u64(em, "id", ioas_id);
	memset(att, 0, sizeof(att));
	vi_put32(att, sizeof(att), VI_ATTACH_ARGSZ, sizeof(att), be_);
	vi_put32(att, sizeof(att), VI_ATTACH_PT_ID, ioas_id, be_);
	memset(&a, 0, sizeof(a));
	a.buf = att;
	a.len = sizeof(att);
	r = vi_be_ioctl(c->be, dev, VI_IOC_DEVICE_ATTACH_IOMMUFD_PT, &a);
	if (r < 0) {
		vi_emit_error(em, r);
		goto ioas_done;
	}
	em_u64(em, "hwpt_id", vi_get32(vi_bytes_make(att, sizeof(att), be_), VI_ATTACH_PT_ID));
	em_obj_begin(em, "iova_ranges", "IOVA ranges");
	r = vi_q_iova_ranges(c->be, iommufd, ioas_id, &q);
	if (r < 0)
		vi_emit_error(em, r);
	else
		vi_decode_iova_ranges(em, &q);
	vi_emit_query_done(em, &q);
	em_obj_end(em);
ioas_done:
	em_obj_end(em);	/* ioas */
	em_obj_end(em);	/* iommufd */

	insp_device_fd(c, dev, d->name);
close:
	c->be->ops->close(c->be, dev);
	c->be->ops->close(c->be, iommufd);
}

bool insp_use_cdev(struct ctx *c, const struct vi_devref *d)
{
	struct vi_nodeinfo st;
	/* asked whatever the choice, so a capture records the fact and its
	 * replay picks the flow the capture was taken with */
	bool have_iommufd = c->be->ops->stat_node(c->be, VI_NS_DEV, "iommu", &st) == 0;

	if (c->o->flow == VI_FLOW_LEGACY)
		return false;
	if (c->o->flow == VI_FLOW_CDEV)
		return true;
	return d->cdev && have_iommufd;
}
