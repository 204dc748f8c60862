// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-iommu.c - the IOMMU side: group status, VFIO_IOMMU_GET_INFO and its
 * capabilities, VFIO_IOMMU_SPAPR_TCE_GET_INFO, IOMMU_GET_HW_INFO blobs, IOAS IOVA ranges.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>

#include "decode-caps.h"
#include "uapi/vfio-abi.h"

#define MAX_RANGES 65536	/* a clamp far beyond any kernel */

void vi_decode_group_status(struct vi_emit *em, const struct vi_query *q)
{
	uint32_t flags;

	if (vi_u32(vi_query_bytes(q), VI_GROUP_STATUS_FLAGS, &flags)) {
		em_note(em, VI_NOTE_ERROR, "group status is too short");
		return;
	}
	em_flags(em, "flags", flags, vi_group_flags);
}

/* zpci-iommu-2019: cap_offset is a __u64 @16, so the struct is 24 bytes. */
static void iommu_caps_zpci(struct vi_emit *em, struct vi_bytes b, unsigned int profiles)
{
	uint64_t capoff = 0;

	if (vi_u64(b, VI_ZIOMMU_CAP_OFFSET, &capoff)) {
		em_note(em, VI_NOTE_ERROR, "CAPS is set but the answer is %zu bytes: no "
			"room for the 64-bit cap_offset", b.len);
		return;
	}
	em_hex(em, "cap_offset", capoff);
	if (capoff == 0)
		em_note(em, VI_NOTE_ERROR, "CAPS is set but cap_offset is 0: the "
			"capabilities did not fit in %zu bytes", b.len);
	else if (capoff > UINT32_MAX || capoff >= b.len)
		em_note(em, VI_NOTE_ERROR, "cap_offset 0x%llx lies past the %zu bytes "
			"returned", (unsigned long long)capoff, b.len);
	else
		vi_decode_caps(em, VI_CHAIN_IOMMU, b, (uint32_t)capoff, VI_ZIOMMU_INFO_SIZE,
			       profiles);
}

void vi_decode_iommu_info(struct vi_emit *em, const struct vi_query *q, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, capoff = 0;
	uint64_t pgsizes = 0;

	if (vi_u32(b, VI_T1INFO_FLAGS, &flags) || vi_u64(b, VI_T1INFO_PGSIZES, &pgsizes)) {
		em_note(em, VI_NOTE_ERROR, "IOMMU info is %zu bytes, shorter than its "
			"16-byte minimum", b.len);
		return;
	}
	em_detail_begin(em);
	em_u64(em, "argsz", vi_get32(b, VI_T1INFO_ARGSZ));
	em_detail_end(em);
	if (profiles & VI_PROF_ZPCI_IOMMU) {
		em_str(em, "profile", vi_profile_name(VI_PROF_ZPCI_IOMMU));
		em_flags(em, "flags_in", VI_ZIOMMU_INFO_CAPABILITIES, vi_type1_info_flags);
	}
	em_flags(em, "flags", flags, vi_type1_info_flags);
	em_pgsizes(em, "iova_pgsizes", pgsizes);
	if ((flags & VI_IOMMU_INFO_CAPS) && (profiles & VI_PROF_ZPCI_IOMMU)) {
		iommu_caps_zpci(em, b, profiles);
	} else if (flags & VI_IOMMU_INFO_CAPS) {
		if (vi_u32(b, VI_T1INFO_CAP_OFFSET, &capoff) == 0)
			em_hex(em, "cap_offset", capoff);
		if (capoff == 0)
			em_note(em, VI_NOTE_ERROR, "CAPS is set but cap_offset is 0: the "
				"capabilities did not fit in %zu bytes", b.len);
		else
			vi_decode_caps(em, VI_CHAIN_IOMMU, b, capoff, 20, profiles);
	}
}

/* ---- sPAPR TCE: struct vfio_iommu_spapr_tce_info ---- */

static const struct vi_name spapr_info_flags[] = {
	{ VI_SPAPR_INFO_DDW, "DDW" }, { 0, NULL }
};

void vi_decode_spapr_tce_info(struct vi_emit *em, const struct vi_query *q)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, start = 0, size = 0, maxw = 0, levels = 0;
	uint64_t pgsizes = 0;

	if (vi_u32(b, VI_SPAPR_INFO_FLAGS, &flags) ||
	    vi_u32(b, VI_SPAPR_INFO_DMA32_START, &start) ||
	    vi_u32(b, VI_SPAPR_INFO_DMA32_SIZE, &size)) {
		em_note(em, VI_NOTE_ERROR, "sPAPR TCE info is %zu bytes, shorter than its "
			"%d-byte minimum", b.len, VI_SPAPR_INFO_MINSZ);
		return;
	}
	em_detail_begin(em);
	em_u64(em, "argsz", vi_get32(b, VI_SPAPR_INFO_ARGSZ));
	em_detail_end(em);
	em_flags(em, "flags", flags, spapr_info_flags);
	em_hex(em, "dma32_window_start", start);
	em_size(em, "dma32_window_size", size);
	if (vi_u64(b, VI_SPAPR_INFO_PGSIZES, &pgsizes) ||
	    vi_u32(b, VI_SPAPR_INFO_MAX_WINDOWS, &maxw) ||
	    vi_u32(b, VI_SPAPR_INFO_LEVELS, &levels)) {
		em_note(em, VI_NOTE_WARN, "the answer is %zu bytes: the kernel fills the "
			"DDW part only for argsz >= %d", b.len, VI_SPAPR_INFO_SIZE);
		return;
	}
	em_obj_begin(em, "ddw", NULL);
	em_hex(em, "pgsizes", pgsizes);
	em_arr_begin(em, "page_sizes", NULL);
	for (unsigned int i = 0; i < 64; i++)
		if (pgsizes & (1ull << i))
			em_size(em, NULL, 1ull << i);
	em_arr_end(em);
	em_u64(em, "max_dynamic_windows_supported", maxw);
	em_u64(em, "levels", levels);
	em_obj_end(em);
	if (!(flags & VI_SPAPR_INFO_DDW))
		em_note(em, VI_NOTE_INFO, "DDW is clear: no dynamic DMA windows (the kernel "
			"reports them only for a SPAPR_TCE_v2 container on a PE that has them)");
	else if (pgsizes == 0 || maxw == 0)
		em_note(em, VI_NOTE_WARN, "DDW is set but %s is 0",
			pgsizes == 0 ? "pgsizes" : "max_dynamic_windows_supported");
}

/* ---- zpci-iommu-2019: CLP responses as capabilities ---- */

/* QFN body (offsets include the 8-byte header): the BARs come apart. */
static const struct vi_field zpci_qfn_head[] = {
	{ "ignored", 8, 4, VI_F_RSVD, NULL },
	{ "format", 12, 4, VI_F_U64, NULL },
	{ "reserved1", 16, 8, VI_F_RSVD, NULL },
	{ "vfn", 24, 2, VI_F_U64, NULL },
	{ "u", 26, 1, VI_F_U64, NULL },
	{ "gid", 27, 1, VI_F_HEX, NULL },
	{ "fid", 28, 4, VI_F_HEX, NULL },
	{ "pchid", 38, 2, VI_F_HEX, NULL },
};

static const struct vi_field zpci_qfn_tail[] = {
	{ "reserved2", 64, 8, VI_F_RSVD, NULL },
	{ "sdma", 72, 8, VI_F_HEX, NULL },
	{ "edma", 80, 8, VI_F_HEX, NULL },
	{ "reserved3", 88, 44, VI_F_RSVD, NULL },
	{ "uid", 132, 4, VI_F_HEX, NULL },
};

#define QFN_BAR_SIZE	32	/* bar_size[6] */
#define QFN_BAR		40	/* bar[6] */
#define QFN_UTIL	136
#define QFN_UTIL_LEN	64
#define QFN_LEN		(QFN_UTIL + QFN_UTIL_LEN)
#define NFIELDS(t)	(sizeof(t) / sizeof((t)[0]))

void vi_cap_zpci_qfn(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		     unsigned int profiles)
{
	struct vi_bytes c = cap->body;

	if (!vi_emit_fields(em, c, zpci_qfn_head, NFIELDS(zpci_qfn_head), "QFN", QFN_LEN))
		goto truncated;
	if (!vi_bytes_has(c, QFN_BAR, 24)) {
		em_note(em, VI_NOTE_ERROR, "QFN is truncated: %zu bytes, needs %d; stopped "
			"before the BARs (offset %d)", c.len, QFN_LEN, QFN_BAR_SIZE);
		goto truncated;
	}
	em_arr_begin(em, "bars", NULL);
	for (int i = 0; i < 6; i++) {
		uint8_t n = c.p[QFN_BAR_SIZE + i];
		uint32_t bar = vi_get32(c, QFN_BAR + 4 * (size_t)i);

		em_obj_begin(em, NULL, "bar %d", i);
		em_hex(em, "bar", bar);
		em_u64(em, "bar_size", n);
		if (n == 0)	/* no BAR: JSON null, a person reads "absent" */
			em_str_text(em, "size", NULL, "absent");
		else if (n < 64)
			em_size(em, "size", 1ull << n);
		else
			em_note(em, VI_NOTE_ERROR, "bar_size %u: 2^%u bytes does not fit "
				"64 bits", n, n);
		em_obj_end(em);
	}
	em_arr_end(em);
	if (!vi_emit_fields(em, c, zpci_qfn_tail, NFIELDS(zpci_qfn_tail), "QFN", QFN_LEN))
		goto truncated;
	if (!vi_bytes_has(c, QFN_UTIL, QFN_UTIL_LEN)) {
		em_note(em, VI_NOTE_ERROR, "QFN is truncated: %zu bytes, needs %d; stopped "
			"before util_str (offset %d)", c.len, QFN_LEN, QFN_UTIL);
		goto truncated;
	}
	vi_emit_ebcdic(em, "util_str", vi_bytes_sub(c, QFN_UTIL, QFN_UTIL_LEN));
	return;
truncated:
	em_bytes(em, "data", c.p, c.len);
}

static const struct vi_field zpci_qgrp_fields[] = {
	{ "ignored", 8, 4, VI_F_RSVD, NULL },
	{ "format", 12, 4, VI_F_U64, NULL },
	{ "reserved1", 16, 8, VI_F_RSVD, NULL },
	{ "noi", 24, 2, VI_F_U64, NULL },
	{ "pci_version", 26, 1, VI_F_U64, NULL },	/* "version" is the header's */
	{ "flags", 27, 1, VI_F_FLAGS, vi_zpci_qgrp_flags },
	{ "maxstbl", 28, 2, VI_F_U64, NULL },
	{ "mui", 30, 2, VI_F_U64, NULL },
	{ "reserved3", 32, 8, VI_F_RSVD, NULL },
	{ "dasm", 40, 8, VI_F_HEX, NULL },
	{ "msia", 48, 8, VI_F_HEX, NULL },
	{ "reserved4", 56, 8, VI_F_RSVD, NULL },
	{ "reserved5", 64, 8, VI_F_RSVD, NULL },
};

void vi_cap_zpci_qgrp(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles)
{
	if (!vi_emit_fields(em, cap->body, zpci_qgrp_fields, NFIELDS(zpci_qgrp_fields),
			    "QGRP", 72))
		em_bytes(em, "data", cap->body.p, cap->body.len);
}

void vi_cap_iova_range(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	struct vi_bytes c = cap->body;
	uint32_t nr = 0, fit;

	if (vi_u32(c, 8, &nr)) {
		em_note(em, VI_NOTE_ERROR, "IOVA_RANGE is truncated: %zu bytes", c.len);
		return;
	}
	em_u64(em, "nr_iovas", nr);
	fit = c.len >= 16 ? (uint32_t)((c.len - 16) / 16) : 0;
	if (nr > fit) {
		em_note(em, VI_NOTE_ERROR, "nr_iovas %u does not fit in the capability "
			"(room for %u): showing %u", nr, fit, fit);
		nr = fit;
	}
	if (nr > MAX_RANGES)
		nr = MAX_RANGES;
	em_arr_begin(em, "ranges", NULL);
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t s = vi_get64(c, 16 + 16 * (size_t)i);
		uint64_t e = vi_get64(c, 24 + 16 * (size_t)i);

		em_obj_begin(em, NULL, "range 0x%llx-0x%llx",
			     (unsigned long long)s, (unsigned long long)e);
		em_hex(em, "start", s);
		em_hex(em, "end", e);
		if (e < s)
			em_note(em, VI_NOTE_WARN, "end lies before start");
		em_obj_end(em);
	}
	em_arr_end(em);
}

/* the uAPI defines no bit of the MIGRATION capability's flags: a flag word
 * all of whose bits show as unknown */
static const struct vi_name migration_cap_flags[] = { { 0, NULL } };

void vi_cap_migration(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	struct vi_bytes c = cap->body;

	if (!vi_bytes_has(c, 0, 32)) {
		em_note(em, VI_NOTE_ERROR, "MIGRATION is truncated: %zu bytes, needs 32", c.len);
		em_bytes(em, "data", c.p, c.len);
		return;
	}
	em_flags(em, "flags", vi_get32(c, 8), migration_cap_flags);
	em_pgsizes(em, "pgsize_bitmap", vi_get64(c, 16));
	em_size(em, "max_dirty_bitmap_size", vi_get64(c, 24));
}

void vi_cap_dma_avail(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	uint32_t avail;

	if (vi_u32(cap->body, 8, &avail)) {
		em_note(em, VI_NOTE_ERROR, "DMA_AVAIL is truncated: %zu bytes", cap->body.len);
		return;
	}
	em_u64(em, "avail", avail);
}

/* ---- iommufd ---- */

static void hw_vtd(struct vi_emit *em, struct vi_bytes d)
{
	if (!vi_bytes_has(d, 0, VI_HWVTD_SIZE)) {
		em_note(em, VI_NOTE_ERROR, "INTEL_VTD data is %zu bytes, needs %d", d.len,
			VI_HWVTD_SIZE);
		return;
	}
	em_flags(em, "flags", vi_get32(d, VI_HWVTD_FLAGS), vi_vtd_flags);
	em_hex(em, "cap_reg", vi_get64(d, VI_HWVTD_CAP_REG));
	em_hex(em, "ecap_reg", vi_get64(d, VI_HWVTD_ECAP_REG));
}

static void hw_smmuv3(struct vi_emit *em, struct vi_bytes d)
{
	if (!vi_bytes_has(d, 0, VI_HWSMMU_SIZE)) {
		em_note(em, VI_NOTE_ERROR, "ARM_SMMUV3 data is %zu bytes, needs %d", d.len,
			VI_HWSMMU_SIZE);
		return;
	}
	em_flags(em, "flags", vi_get32(d, VI_HWSMMU_FLAGS), vi_smmuv3_flags);
	em_arr_begin(em, "idr", NULL);
	for (int i = 0; i < 6; i++)
		em_hex(em, NULL, vi_get32(d, VI_HWSMMU_IDR + 4 * (size_t)i));
	em_arr_end(em);
	em_hex(em, "iidr", vi_get32(d, VI_HWSMMU_IIDR));
	em_hex(em, "aidr", vi_get32(d, VI_HWSMMU_AIDR));
}

static void hw_tegra(struct vi_emit *em, struct vi_bytes d)
{
	uint8_t ver = 0, lq = 0, ls = 0;

	if (!vi_bytes_has(d, 0, VI_HWTEGRA_SIZE)) {
		em_note(em, VI_NOTE_ERROR, "TEGRA241_CMDQV data is %zu bytes, needs %d", d.len,
			VI_HWTEGRA_SIZE);
		return;
	}
	vi_u8(d, VI_HWTEGRA_VERSION, &ver);
	vi_u8(d, VI_HWTEGRA_LOG2VCMDQS, &lq);
	vi_u8(d, VI_HWTEGRA_LOG2VSIDS, &ls);
	em_flags(em, "flags", vi_get32(d, VI_HWTEGRA_FLAGS), vi_tegra241_flags);
	em_u64(em, "version", ver);
	em_u64(em, "log2vcmdqs", lq);
	em_u64(em, "log2vsids", ls);
}

/* struct iommu_hw_info_amd is EFR and EFR2 (16 bytes) in every kernel that
 * has it (6.18 on); bytes beyond are not part of the ABI: shown raw. */
static void hw_amd(struct vi_emit *em, struct vi_bytes d)
{
	if (!vi_bytes_has(d, 0, VI_HWAMD_SIZE)) {
		em_note(em, VI_NOTE_ERROR, "AMD data is %zu bytes, needs %d", d.len,
			VI_HWAMD_SIZE);
		return;
	}
	em_hex(em, "efr", vi_get64(d, VI_HWAMD_EFR));
	em_hex(em, "efr2", vi_get64(d, VI_HWAMD_EFR2));
	if (d.len > VI_HWAMD_SIZE) {
		em_note(em, VI_NOTE_WARN, "AMD data is %zu bytes, the ABI defines %d: "
			"the rest shown raw", d.len, VI_HWAMD_SIZE);
		em_bytes(em, "extra", d.p + VI_HWAMD_SIZE, d.len - VI_HWAMD_SIZE);
	}
}

void vi_decode_hw_info(struct vi_emit *em, const struct vi_query *q)
{
	struct vi_bytes b = vi_query_bytes(q), d = vi_query_aux(q);
	uint32_t type = 0, len = 0;
	uint8_t pasid = 0;

	if (vi_u32(b, VI_HWI_DATA_LEN, &len) || vi_u32(b, VI_HWI_DATA_TYPE, &type)) {
		em_note(em, VI_NOTE_ERROR, "hw info is too short");
		return;
	}
	vi_u8(b, VI_HWI_MAX_PASID_LOG2, &pasid);
	em_enum(em, "type", type, vi_hw_info_types);
	em_u64(em, "data_len", len);
	em_u64(em, "max_pasid_log2", pasid);
	em_flags(em, "capabilities", vi_get64(b, VI_HWI_CAPABILITIES), vi_hw_caps);
	em_obj_begin(em, "data", NULL);
	switch (type) {
	case 0:
		break;
	case 1:
		hw_vtd(em, d);
		break;
	case 2:
		hw_smmuv3(em, d);
		break;
	case 3:
		hw_tegra(em, d);
		break;
	case 4:
		hw_amd(em, d);
		break;
	default:
		em_note(em, VI_NOTE_WARN, "unknown hw info type %u: shown raw", type);
		em_bytes(em, "raw", d.p, d.len);
		break;
	}
	em_obj_end(em);
}

void vi_decode_hw_info_input(struct vi_emit *em, long ret)
{
	vi_emit_outcome(em, ret);
	/* before 6.17 iommufd refuses every flag it does not know with
	 * EOPNOTSUPP; from 6.17 on DEFAULT is accepted by every driver */
	if (ret == -EOPNOTSUPP)
		em_str(em, "meaning", "this kernel does not know "
		       "IOMMU_HW_INFO_FLAG_INPUT_TYPE (Linux 6.17): it answers for "
		       "its default type only");
}

void vi_decode_hw_info_typed(struct vi_emit *em, uint32_t asked, long ret,
			     const struct vi_query *q)
{
	uint32_t got;

	em_detail_begin(em);
	em_enum(em, "in_data_type", asked, vi_hw_info_types);
	em_detail_end(em);
	vi_emit_outcome(em, ret);
	/* the IOMMU driver's hw_info refuses a type it does not report */
	if (ret == -EOPNOTSUPP)
		em_str(em, "meaning", "the device's IOMMU driver reports no hw info of "
		       "this type");
	if (ret < 0)
		return;
	vi_decode_hw_info(em, q);
	/* a driver without hw_info answers NONE whatever is asked */
	if (!vi_u32(vi_query_bytes(q), VI_HWI_DATA_TYPE, &got) && got != asked &&
	    got != VI_HW_INFO_TYPE_NONE)
		em_note(em, VI_NOTE_WARN, "asked for type %u, the kernel answered type %u",
			asked, got);
}

void vi_decode_iova_ranges(struct vi_emit *em, const struct vi_query *q)
{
	struct vi_bytes b = vi_query_bytes(q), r = vi_query_aux(q);
	uint32_t n = 0;
	size_t fit = r.len / VI_IOVR_RANGE_SIZE;

	vi_u32(b, VI_IOVR_NUM_IOVAS, &n);
	em_u64(em, "num_iovas", n);
	em_hex(em, "out_iova_alignment", vi_get64(b, VI_IOVR_ALIGNMENT));
	if (n > fit) {
		em_note(em, VI_NOTE_ERROR, "num_iovas %u but only %zu ranges returned", n, fit);
		n = (uint32_t)fit;
	}
	em_arr_begin(em, "ranges", NULL);
	for (uint32_t i = 0; i < n && i < MAX_RANGES; i++) {
		uint64_t s = vi_get64(r, 16 * (size_t)i), l = vi_get64(r, 16 * (size_t)i + 8);

		em_obj_begin(em, NULL, "range 0x%llx-0x%llx",
			     (unsigned long long)s, (unsigned long long)l);
		em_hex(em, "start", s);
		em_hex(em, "last", l);
		em_obj_end(em);
	}
	em_arr_end(em);
}
