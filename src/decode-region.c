// SPDX-License-Identifier: GPL-2.0-or-later
/* decode-region.c - VFIO_DEVICE_GET_REGION_INFO and its capabilities. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "decode-caps.h"
#include "uapi/vfio-abi.h"

#define SPARSE_MAX_AREAS	4096	/* far beyond any driver; a clamp */

/* The TYPE cap of a region answer, if any: returns 1 and fills type, sub. */
static int find_type(struct vi_bytes info, uint32_t *type, uint32_t *sub)
{
	uint32_t flags = 0, off = 0;
	struct vi_capiter it;
	struct vi_cap cap;

	if (vi_u32(info, VI_REGION_FLAGS, &flags) || !(flags & VI_REGION_FLAG_CAPS) ||
	    vi_u32(info, VI_REGION_CAP_OFFSET, &off) || off == 0)
		return 0;
	vi_capiter_init(&it, info, off, VI_REGION_SIZE);
	while (vi_capiter_next(&it, &cap))
		if (cap.id == 2 && vi_u32(cap.body, 8, type) == 0 &&
		    vi_u32(cap.body, 12, sub) == 0)
			return 1;
	return 0;
}

const char *vi_region_name(enum vi_devkind kind, uint32_t index, struct vi_bytes info,
			   char *buf, size_t len)
{
	uint32_t type, sub;
	const char *n = NULL;

	if (kind == VI_DEV_PCI && index < VI_PCI_NUM_REGIONS)
		return vi_name_of(vi_pci_region_idx, index);
	if (kind == VI_DEV_CCW)
		n = vi_name_of(vi_ccw_region_idx, index);
	if (n)
		return n;
	if (find_type(info, &type, &sub)) {
		n = vi_region_subtype_name(type, sub);
		if (n)
			return n;
		if (type & 0x80000000u)
			snprintf(buf, len, "vendor-%04x-%u", type & 0xffff, sub);
		else
			snprintf(buf, len, "type-%u-%u", type, sub);
		return buf;
	}
	return NULL;
}

void vi_decode_region_info(struct vi_emit *em, const struct vi_query *q,
			   enum vi_devkind kind, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, capoff = 0;
	uint64_t size = 0, offset = 0;

	if (vi_u32(b, VI_REGION_FLAGS, &flags) || vi_u64(b, VI_REGION_SIZE_OFF, &size) ||
	    vi_u64(b, VI_REGION_OFFSET_OFF, &offset)) {
		em_note(em, VI_NOTE_ERROR, "region info is %zu bytes, shorter than its "
			"32-byte minimum", b.len);
		return;
	}
	em_detail_begin(em);
	em_u64(em, "argsz", vi_get32(b, VI_REGION_ARGSZ));
	em_detail_end(em);
	em_flags(em, "flags", flags, vi_region_flags);
	em_size(em, "size", size);
	em_hex(em, "offset", offset);
	if (size && offset > UINT64_MAX - size)
		em_note(em, VI_NOTE_WARN, "offset + size wraps around 2^64");
	if (flags & VI_REGION_FLAG_CAPS) {
		vi_u32(b, VI_REGION_CAP_OFFSET, &capoff);
		em_hex(em, "cap_offset", capoff);
		if (capoff == 0)
			em_note(em, VI_NOTE_ERROR, "CAPS is set but cap_offset is 0: the "
				"capabilities did not fit in %zu bytes", b.len);
		else
			vi_decode_caps(em, VI_CHAIN_REGION, b, capoff, VI_REGION_SIZE, profiles);
	}
	if (kind == VI_DEV_PCI && q->valid >= VI_REGION_SIZE) {
		uint32_t index = vi_get32(b, VI_REGION_INDEX);
		if (index >= VI_PCI_NUM_REGIONS && !(flags & VI_REGION_FLAG_CAPS))
			em_note(em, VI_NOTE_WARN, "device-specific region without a TYPE "
				"capability: its meaning is unknown");
	}
}

void vi_cap_sparse_mmap(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d)
{
	struct vi_bytes c = cap->body;
	uint32_t nr = 0, fit;

	if (vi_u32(c, 8, &nr)) {
		em_note(em, VI_NOTE_ERROR, "SPARSE_MMAP is truncated: %zu bytes", c.len);
		return;
	}
	em_u64(em, "nr_areas", nr);
	fit = c.len >= 16 ? (uint32_t)((c.len - 16) / 16) : 0;
	if (nr > fit) {
		em_note(em, VI_NOTE_ERROR, "nr_areas %u does not fit in the capability "
			"(room for %u): showing %u", nr, fit, fit);
		nr = fit;
	}
	if (nr > SPARSE_MAX_AREAS)
		nr = SPARSE_MAX_AREAS;
	em_arr_begin(em, "areas", NULL);
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t off = vi_get64(c, 16 + 16 * (size_t)i);
		uint64_t sz = vi_get64(c, 24 + 16 * (size_t)i);

		em_obj_begin(em, NULL, "area %u", i);
		em_hex(em, "offset", off);
		em_size(em, "size", sz);
		em_obj_end(em);
	}
	em_arr_end(em);
}

void vi_cap_region_type(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d)
{
	uint32_t type, sub;
	const char *tn, *sn;

	if (vi_u32(cap->body, 8, &type) || vi_u32(cap->body, 12, &sub)) {
		em_note(em, VI_NOTE_ERROR, "TYPE is truncated: %zu bytes", cap->body.len);
		return;
	}
	tn = vi_region_type_name(type);
	sn = vi_region_subtype_name(type, sub);
	em_hex(em, "type", type);
	if (tn)
		em_str(em, "type_name", tn);
	else
		em_null(em, "type_name");
	if (type & 0x80000000u)
		em_hex(em, "vendor", type & 0xffff);
	em_u64(em, "subtype", sub);
	if (sn)
		em_str(em, "subtype_name", sn);
	else
		em_null(em, "subtype_name");
}

void vi_cap_header_only(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d)
{
	(void)em;
	(void)cap;
}

void vi_cap_nvlink2_ssatgt(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d)
{
	uint64_t tgt;

	if (vi_u64(cap->body, 8, &tgt)) {
		em_note(em, VI_NOTE_ERROR, "NVLINK2_SSATGT is truncated");
		return;
	}
	em_hex(em, "tgt", tgt);
}

void vi_cap_nvlink2_lnkspd(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d)
{
	uint32_t spd;

	if (vi_u32(cap->body, 8, &spd)) {
		em_note(em, VI_NOTE_ERROR, "NVLINK2_LNKSPD is truncated");
		return;
	}
	em_u64(em, "link_speed", spd);
}
