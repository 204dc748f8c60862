/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * callkey.h - which recorded answer a call asks for.
 *
 * A capture keeps one answer per (ioctl, selector): the region or irq index,
 * the extension, the feature and its flags, the iommufd device id, the
 * device name of GET_DEVICE_FD.  The recorder files each answer under the
 * selector read from the caller's input; replay finds it by the same key.
 */
#ifndef VFIO_INFO_CALLKEY_H
#define VFIO_INFO_CALLKEY_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

enum {
	VI_SEL_INDEX = 1 << 0,
	VI_SEL_EXTENSION = 1 << 1,
	VI_SEL_FEATURE = 1 << 2,
	VI_SEL_FLAGS = 1 << 3,		/* the feature's GET/SET/PROBE flags */
	VI_SEL_DEV_ID = 1 << 4,
	VI_SEL_NAME = 1 << 5,
	VI_SEL_IOMMU_SET = 1 << 7,	/* CHECK_EXTENSION after SET_IOMMU */
	VI_SEL_PLANE = 1 << 8,		/* QUERY_GFX_PLANE's flags */
	VI_SEL_HWTYPE = 1 << 9,		/* GET_HW_INFO with FLAG_INPUT_TYPE:
					 * in_data_type; matched both ways */
};

/* The longest device name a key keeps (a longer one selects nothing). */
#define VI_CALLKEY_NAME_MAX	256

struct vi_callkey {
	unsigned int sel;		/* VI_SEL_*: which fields below count */
	uint32_t index, feature, fflags, dev_id;
	union {
		uint32_t plane;		/* VI_SEL_PLANE: PROBE|REGION, PROBE|DMABUF */
		uint32_t hwtype;	/* VI_SEL_HWTYPE: the type asked for */
	};
	uint64_t extension;
	char *name;			/* VI_SEL_NAME: malloc'ed, without a
					 * " vf_token=..." suffix */
};

/* The selector of a call, read from the caller's input (bounds-checked, in
 * @be's byte order) before the call is made.  Its name (GET_DEVICE_FD
 * only) is the caller's to free (vi_callkey_clear). */
void vi_callkey_of(const struct vi_backend *be, enum vi_ioc ioc, const struct vi_ioarg *a,
		   struct vi_callkey *k);
void vi_callkey_clear(struct vi_callkey *k);

/* Does the answer recorded under @rec answer a call keyed @k?  Every
 * selector @rec has must be in @k, with the same value, and a hw_info
 * query with INPUT_TYPE is answered only by one recorded with the same
 * type (never by the default answer).  The recorder
 * (same key) and replay (most specific match) both ask this. */
bool vi_callkey_matches(const struct vi_callkey *rec, const struct vi_callkey *k);

/* The same key: the same selectors with the same values. */
bool vi_callkey_same(const struct vi_callkey *a, const struct vi_callkey *b);

#endif
