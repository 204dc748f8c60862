// SPDX-License-Identifier: GPL-2.0-or-later
/* callkey.c - which recorded answer a call asks for (recorder and replay). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "callkey.h"
#include "uapi/vfio-abi.h"

void vi_callkey_of(const struct vi_backend *be, enum vi_ioc ioc, const struct vi_ioarg *a,
		   struct vi_callkey *k)
{
	struct vi_bytes b = vi_bytes_make(a->buf, a->buf ? a->len : 0, be->big_endian);
	uint32_t v;
	size_t n;

	memset(k, 0, sizeof(*k));
	switch (ioc) {
	case VI_IOC_DEVICE_GET_REGION_INFO:
	case VI_IOC_DEVICE_GET_IRQ_INFO:
		if (vi_u32(b, VI_REGION_INDEX, &k->index) == 0)
			k->sel |= VI_SEL_INDEX;
		break;
	case VI_IOC_CHECK_EXTENSION:
	case VI_IOC_SET_IOMMU:
		k->extension = a->value;
		k->sel |= VI_SEL_EXTENSION;
		break;
	case VI_IOC_DEVICE_FEATURE:
		if (vi_u32(b, VI_FEAT_FLAGS, &v) == 0) {
			k->feature = v & VI_FEAT_MASK;
			k->fflags = v & (VI_FEAT_PROBE | VI_FEAT_GET | VI_FEAT_SET);
			k->sel |= VI_SEL_FEATURE | VI_SEL_FLAGS;
		}
		break;
	case VI_IOC_IOMMU_GET_HW_INFO:
		if (vi_u32(b, VI_HWI_DEV_ID, &k->dev_id) == 0)
			k->sel |= VI_SEL_DEV_ID;
		if (vi_u32(b, VI_HWI_FLAGS, &v) == 0 && (v & VI_HWI_FLAG_INPUT_TYPE) &&
		    vi_u32(b, VI_HWI_IN_DATA_TYPE, &k->hwtype) == 0)
			k->sel |= VI_SEL_HWTYPE;
		break;
	case VI_IOC_DEVICE_QUERY_GFX_PLANE:
		if (vi_u32(b, VI_GFXP_FLAGS, &k->plane) == 0)
			k->sel |= VI_SEL_PLANE;
		break;
	case VI_IOC_GROUP_GET_DEVICE_FD:
		/* the name only: a " vf_token=..." suffix is never kept */
		if (a->str) {
			n = strcspn(a->str, " ");
			if (n < VI_CALLKEY_NAME_MAX && (k->name = malloc(n + 1))) {
				memcpy(k->name, a->str, n);
				k->name[n] = '\0';
				k->sel |= VI_SEL_NAME;
			}
		}
		break;
	default:
		break;
	}
}

void vi_callkey_clear(struct vi_callkey *k)
{
	free(k->name);
	k->name = NULL;
	k->sel &= ~(unsigned int)VI_SEL_NAME;
}

bool vi_callkey_matches(const struct vi_callkey *rec, const struct vi_callkey *k)
{
	unsigned int s = rec->sel;

	if (s & ~k->sel)
		return false;
	if ((s ^ k->sel) & VI_SEL_HWTYPE)
		return false;
	if ((s & VI_SEL_INDEX) && rec->index != k->index)
		return false;
	if ((s & VI_SEL_EXTENSION) && rec->extension != k->extension)
		return false;
	if ((s & VI_SEL_FEATURE) && rec->feature != k->feature)
		return false;
	if ((s & VI_SEL_FLAGS) && rec->fflags != k->fflags)
		return false;
	if ((s & VI_SEL_DEV_ID) && rec->dev_id != k->dev_id)
		return false;
	if ((s & VI_SEL_PLANE) && rec->plane != k->plane)
		return false;
	if ((s & VI_SEL_HWTYPE) && rec->hwtype != k->hwtype)
		return false;
	if ((s & VI_SEL_NAME) && (!rec->name || !k->name || strcmp(rec->name, k->name) != 0))
		return false;
	return true;
}

bool vi_callkey_same(const struct vi_callkey *a, const struct vi_callkey *b)
{
	return a->sel == b->sel && vi_callkey_matches(a, b);
}
