// SPDX-License-Identifier: GPL-2.0-or-later
/* decode-region.c - VFIO_DEVICE_GET_REGION_INFO and its capabilities. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "decode-caps.h"
#include "uapi/vfio-abi.h"

#define SPARSE_MAX_AREAS	4096	/* far beyond any driver; a clamp */

bool vi_region_type_of(struct vi_bytes info, unsigned int profiles, uint32_t *type,
		       uint32_t *sub)
{
	uint32_t flags = 0, off = 0;
	struct vi_capiter it;
	struct vi_cap cap;

	/* devtree-2013 gives bit 3 to CACHEABLE: there is no chain then */
	if (profiles & VI_PROF_DEVTREE)
		return false;
	if (vi_u32(info, VI_REGION_FLAGS, &flags) || !(flags & VI_REGION_FLAG_CAPS) ||
	    vi_u32(info, VI_REGION_CAP_OFFSET, &off) || off == 0)
		return false;
	vi_capiter_init(&it, info, off, VI_REGION_SIZE);
	while (vi_capiter_next(&it, &cap))
		if (cap.id == 2 && vi_u32(cap.body, 8, type) == 0 &&
		    vi_u32(cap.body, 12, sub) == 0)
			return true;
	return false;
}

/* Subtype name under @profiles: the proposals' names only when active. */
static const char *subtype_name(uint32_t type, uint32_t sub, unsigned int profiles,
				unsigned int *from)
{
	const char *n = NULL;

	*from = 0;
	if (profiles & VI_PROF_ZPCI_CLP) {
		n = vi_region_subtype_name_zpci_clp(type, sub);
		if (n)
			*from = VI_PROF_ZPCI_CLP;
	}
	return n ? n : vi_region_subtype_name(type, sub);
}

const char *vi_region_name(enum vi_devkind kind, uint32_t index, struct vi_bytes info,
			   unsigned int profiles, char *buf, size_t len)
{
	uint32_t type, sub;
	unsigned int from;
	const char *n = NULL;

	if (kind == VI_DEV_PCI && index < VI_PCI_NUM_REGIONS)
		return vi_name_of(vi_pci_region_idx, index);
	if (kind == VI_DEV_CCW)
		n = vi_name_of(vi_ccw_region_idx, index);
	if (n)
		return n;
	if (vi_region_type_of(info, profiles, &type, &sub)) {
		n = subtype_name(type, sub, profiles, &from);
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

/* ---- devtree-2013: structs appended after the fixed struct ---- */

#define DT_PATH_SHOW	1024	/* longest path shown as text */

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

static bool dt_printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

static void dt_path(struct vi_emit *em, struct vi_bytes b, size_t off, uint32_t len)
{
	struct vi_bytes p = vi_bytes_sub(b, off + 4, len);
	char text[DT_PATH_SHOW + 1];
	size_t shown = p.len < DT_PATH_SHOW ? p.len : DT_PATH_SHOW, bad = SIZE_MAX;
	size_t end = align4(off + 4 + len);

	em_u64(em, "path_len", len);
	for (size_t i = 0; i < p.len; i++) {
		if (i < shown)
			text[i] = dt_printable(p.p[i]) ? (char)p.p[i] : '?';
		if (bad == SIZE_MAX && !dt_printable(p.p[i]))
			bad = i;
	}
	text[shown] = '\0';
	em_str(em, "path", text);
	if (shown < p.len)
		em_note(em, VI_NOTE_WARN, "path is %zu bytes: the text shows the first %d",
			p.len, DT_PATH_SHOW);
	if (len == 0)
		em_note(em, VI_NOTE_WARN, "DEVTREE_PATH is set but the path is empty");
	else if (p.p[0] != '/' && bad != 0)
		em_note(em, VI_NOTE_WARN, "path does not start with '/'");
	if (bad != SIZE_MAX) {
		if (p.p[bad] == 0)
			em_note(em, VI_NOTE_ERROR, "path has a NUL at byte %zu, inside its "
				"len %u: len and the string disagree", bad, len);
		else
			em_note(em, VI_NOTE_ERROR, "path is not printable: byte %zu is 0x%02x",
				bad, p.p[bad]);
		em_bytes(em, "path_raw", p.p, p.len);
	}
	/* zero padding to the 4-byte boundary ends the string */
	for (size_t i = off + 4 + len; i < end && i < b.len; i++) {
		if (b.p[i] != 0) {
			em_note(em, VI_NOTE_ERROR, "path is not terminated within its len %u: "
				"padding byte %zu after it is 0x%02x, not zero", len,
				i - (off + 4 + len), b.p[i]);
			break;
		}
	}
}

void vi_decode_devtree_tail(struct vi_emit *em, struct vi_bytes b, size_t fixed,
			    uint32_t flags, uint32_t index_flag, uint32_t path_flag)
{
	/* flag-bit order: the lower bit's struct comes first */
	const struct {
		uint32_t flag;
		bool is_index;
		const char *name;
	} order[2] = {
		{ index_flag < path_flag ? index_flag : path_flag, index_flag < path_flag,
		  index_flag < path_flag ? "DEVTREE_INDEX" : "DEVTREE_PATH" },
		{ index_flag < path_flag ? path_flag : index_flag, index_flag >= path_flag,
		  index_flag < path_flag ? "DEVTREE_PATH" : "DEVTREE_INDEX" },
	};
	size_t off = fixed;

	for (int i = 0; i < 2; i++) {
		uint32_t len = 0, idx = 0;

		if (!order[i].flag || !(flags & order[i].flag))
			continue;
		off = align4(off);
		if (vi_u32(b, off, &len)) {
			em_note(em, VI_NOTE_ERROR, "%s is set but its struct does not fit: "
				"it would start at offset %zu, argsz is %zu", order[i].name,
				off, b.len);
			return;
		}
		if (len > b.len - off - 4) {
			em_note(em, VI_NOTE_ERROR, "%s struct at offset %zu: len %u runs past "
				"argsz (%zu bytes follow the len field)", order[i].name, off,
				len, b.len - off - 4);
			return;
		}
		if (order[i].is_index) {
			if (len != 4) {
				uint8_t c = 0;

				em_note(em, VI_NOTE_ERROR, "DEVTREE_INDEX struct at offset %zu "
					"has len %u, not 4", off, len);
				if (vi_u8(b, off + 4, &c) == 0 && c == '/')
					em_note(em, VI_NOTE_ERROR, "it holds a path: the appended "
						"structs are not in flag-bit order (INDEX, then "
						"PATH)");
				em_bytes(em, "appended", b.p + off, b.len - off);
				return;
			}
			vi_u32(b, off + 4, &idx);
			em_u64(em, "index", idx);
		} else {
			dt_path(em, b, off, len);
		}
		off += 4 + (size_t)len;
	}
	if (align4(off) < b.len && off > fixed)
		em_note(em, VI_NOTE_WARN, "%zu bytes follow the appended structs",
			b.len - align4(off));
}

static void region_devtree(struct vi_emit *em, struct vi_bytes b, uint32_t flags)
{
	uint32_t resv = vi_get32(b, VI_REGION_CAP_OFFSET);
	uint32_t which = flags & (VI_DT_REGION_REG | VI_DT_REGION_RANGE);

	if (resv)
		em_hex(em, "resv", resv);
	if (!(flags & (VI_DT_REGION_REG | VI_DT_REGION_RANGE | VI_DT_REGION_INDEX |
		       VI_DT_REGION_PATH)))
		return;
	em_obj_begin(em, "devtree", NULL);
	if (which == VI_DT_REGION_REG)
		em_str(em, "property", "reg");
	else if (which == VI_DT_REGION_RANGE)
		em_str(em, "property", "ranges");
	else
		em_null(em, "property");
	if (which == (VI_DT_REGION_REG | VI_DT_REGION_RANGE))
		em_note(em, VI_NOTE_WARN, "both DEVTREE_REG and DEVTREE_RANGE are set");
	vi_decode_devtree_tail(em, b, VI_REGION_SIZE, flags, VI_DT_REGION_INDEX,
			       VI_DT_REGION_PATH);
	em_obj_end(em);
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
	if (profiles & VI_PROF_DEVTREE)
		em_str(em, "profile", vi_profile_name(VI_PROF_DEVTREE));
	em_flags(em, "flags", flags,
		 (profiles & VI_PROF_DEVTREE) ? vi_region_flags_devtree : vi_region_flags);
	em_size(em, "size", size);
	em_hex(em, "offset", offset);
	if (size && offset > UINT64_MAX - size)
		em_note(em, VI_NOTE_WARN, "offset + size wraps around 2^64");
	if (profiles & VI_PROF_DEVTREE) {
		region_devtree(em, b, flags);
		return;
	}
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

void vi_cap_sparse_mmap(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
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

void vi_cap_region_type(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	uint32_t type, sub;
	unsigned int from;
	const char *tn, *sn;

	if (vi_u32(cap->body, 8, &type) || vi_u32(cap->body, 12, &sub)) {
		em_note(em, VI_NOTE_ERROR, "TYPE is truncated: %zu bytes", cap->body.len);
		return;
	}
	tn = vi_region_type_name(type);
	sn = subtype_name(type, sub, profiles, &from);
	em_hex(em, "type", type);
	em_str(em, "type_name", tn);
	if (type & 0x80000000u)
		em_hex(em, "vendor", type & 0xffff);
	em_u64(em, "subtype", sub);
	em_str(em, "subtype_name", sn);
	if (from)
		em_str(em, "profile", vi_profile_name(from));
}

/* ---- zpci-clp-region: the content of the IBM subtype 2 region ---- */

static const struct vi_field zpci_clp_fields[] = {
	{ "dasm", 0, 8, VI_F_HEX, NULL },
	{ "start_dma", 8, 8, VI_F_HEX, NULL },
	{ "end_dma", 16, 8, VI_F_HEX, NULL },
	{ "msi_addr", 24, 8, VI_F_HEX, NULL },
	{ "flags", 32, 8, VI_F_FLAGS, vi_zpci_group_flags },
	{ "pchid", 40, 2, VI_F_HEX, NULL },
	{ "mui", 42, 2, VI_F_U64, NULL },
	{ "noi", 44, 2, VI_F_U64, NULL },
	{ "maxstbl", 46, 2, VI_F_U64, NULL },
	{ "version", 48, 1, VI_F_U64, NULL },
	{ "gid", 49, 1, VI_F_HEX, NULL },
};

void vi_decode_zpci_clp(struct vi_emit *em, struct vi_bytes c, uint64_t region_size)
{
	em_str(em, "profile", vi_profile_name(VI_PROF_ZPCI_CLP));
	em_u64(em, "length", c.len);
	if (region_size > c.len)
		em_note(em, VI_NOTE_WARN, "the region is %llu bytes: decoding the first %zu",
			(unsigned long long)region_size, c.len);
	if (!vi_emit_fields(em, c, zpci_clp_fields,
			    sizeof(zpci_clp_fields) / sizeof(zpci_clp_fields[0]),
			    "the zPCI CLP region", VI_ZPCI_CLP_FIXED)) {
		em_bytes(em, "data", c.p, c.len);
		return;
	}
	vi_emit_ebcdic(em, "util_str", vi_bytes_sub(c, VI_ZPCI_CLP_FIXED, c.len));
	em_note(em, VI_NOTE_INFO, "mainline Linux reports these fields in the ZPCI_BASE, "
		"ZPCI_GROUP and ZPCI_UTIL device-info capabilities");
}

void vi_cap_header_only(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	(void)em;
	(void)cap;
}

void vi_cap_nvlink2_ssatgt(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	uint64_t tgt;

	if (vi_u64(cap->body, 8, &tgt)) {
		em_note(em, VI_NOTE_ERROR, "NVLINK2_SSATGT is truncated");
		return;
	}
	em_hex(em, "tgt", tgt);
}

void vi_cap_nvlink2_lnkspd(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	uint32_t spd;

	if (vi_u32(cap->body, 8, &spd)) {
		em_note(em, VI_NOTE_ERROR, "NVLINK2_LNKSPD is truncated");
		return;
	}
	em_u64(em, "link_speed", spd);
}
