// SPDX-License-Identifier: GPL-2.0-or-later
/* decode-device.c - VFIO_DEVICE_GET_INFO and its capabilities. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "decode-caps.h"
#include "uapi/vfio-abi.h"

enum vi_devkind vi_devkind_of(uint32_t flags, unsigned int profiles)
{
	if (flags & (1u << 1))
		return VI_DEV_PCI;
	if (flags & (1u << 2))
		return VI_DEV_PLATFORM;
	/* devtree-2013 gives bit 3 to DEVTREE */
	if ((flags & (1u << 3)) && !(profiles & VI_PROF_DEVTREE))
		return VI_DEV_AMBA;
	if (flags & (1u << 4))
		return VI_DEV_CCW;
	if (flags & (1u << 5))
		return VI_DEV_AP;
	if (flags & (1u << 6))
		return VI_DEV_FSL_MC;
	if (flags & (1u << 8))
		return VI_DEV_CDX;
	return VI_DEV_UNKNOWN;
}

/* True if @cap holds @n bytes; otherwise an error note. */
static bool cap_has(struct vi_emit *em, const struct vi_cap *cap, size_t n, const char *what)
{
	if (vi_bytes_has(cap->body, 0, n))
		return true;
	em_note(em, VI_NOTE_ERROR, "%s is truncated: %zu bytes, needs %zu",
		what, cap->body.len, n);
	em_bytes(em, "data", cap->body.p, cap->body.len);
	return false;
}

void vi_decode_device_info(struct vi_emit *em, const struct vi_query *q, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, nreg = 0, nirq = 0, capoff = 0;

	if (vi_u32(b, VI_DEVINFO_FLAGS, &flags) || vi_u32(b, VI_DEVINFO_NUM_REGIONS, &nreg) ||
	    vi_u32(b, VI_DEVINFO_NUM_IRQS, &nirq)) {
		em_note(em, VI_NOTE_ERROR, "device info is %zu bytes, shorter than its "
			"16-byte minimum", b.len);
		return;
	}
	em_detail_begin(em);
	em_u64(em, "argsz", vi_get32(b, VI_DEVINFO_ARGSZ));
	em_detail_end(em);
	if (profiles & VI_PROF_DEVTREE)
		em_str(em, "profile", vi_profile_name(VI_PROF_DEVTREE));
	em_flags(em, "flags", flags,
		 (profiles & VI_PROF_DEVTREE) ? vi_device_flags_devtree : vi_device_flags);
	em_u64(em, "num_regions", nreg);
	em_u64(em, "num_irqs", nirq);
	if (flags & VI_DEVICE_FLAGS_CAPS) {
		if (vi_u32(b, VI_DEVINFO_CAP_OFFSET, &capoff) == 0)
			em_hex(em, "cap_offset", capoff);
		if (capoff == 0)
			em_note(em, VI_NOTE_ERROR, "CAPS is set but cap_offset is 0: the "
				"capabilities did not fit in %zu bytes", b.len);
		else
			/* before Linux 6.6 the struct was 20 bytes, so caps
			 * may start at 20: the bound is the minimal struct */
			vi_decode_caps(em, VI_CHAIN_DEVICE, b, capoff, 20, profiles);
	}
	if (profiles & VI_PROF_DEVTREE) {
		if ((flags & VI_DT_DEV_DEVTREE) && !(flags & VI_DT_DEV_PLATFORM))
			em_note(em, VI_NOTE_WARN, "DEVTREE is set without PLATFORM: the "
				"proposal never sets it alone");
	} else if ((flags & (1u << 2)) && (flags & (1u << 3))) {
		em_note(em, VI_NOTE_WARN, "both PLATFORM and AMBA are set");
	}
}

/* ---- zPCI (s390) ---- */

void vi_cap_zpci_base(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	struct vi_bytes c = cap->body;
	uint16_t pchid = 0, vfn = 0, fmb = 0;
	uint8_t pft = 0, gid = 0;

	if (!cap_has(em, cap, 32, "ZPCI_BASE"))
		return;
	em_hex(em, "start_dma", vi_get64(c, 8));
	em_hex(em, "end_dma", vi_get64(c, 16));
	vi_u16(c, 24, &pchid);
	vi_u16(c, 26, &vfn);
	vi_u16(c, 28, &fmb);
	vi_u8(c, 30, &pft);
	vi_u8(c, 31, &gid);
	em_hex(em, "pchid", pchid);
	em_u64(em, "vfn", vfn);
	em_u64(em, "fmb_length", fmb);
	em_hex(em, "pft", pft);
	em_hex(em, "gid", gid);
	if (cap->version >= 2) {
		if (vi_bytes_has(c, VI_ZPCI_BASE_FH, 4))
			em_hex(em, "fh", vi_get32(c, VI_ZPCI_BASE_FH));
		else
			em_note(em, VI_NOTE_ERROR, "ZPCI_BASE v2 is truncated: no room "
				"for fh (%zu bytes)", c.len);
	}
	/* v3 (7.3): how many bytes FEATURE ZPCI_ERROR's GET returns */
	if (cap->version >= 3) {
		if (vi_bytes_has(c, VI_ZPCI_BASE_CCDF_ERR_LENGTH, 4))
			em_u64(em, "ccdf_err_length", vi_get32(c, VI_ZPCI_BASE_CCDF_ERR_LENGTH));
		else
			em_note(em, VI_NOTE_ERROR, "ZPCI_BASE v3 is truncated: no room "
				"for ccdf_err_length (%zu bytes)", c.len);
	}
}

void vi_cap_zpci_group(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	struct vi_bytes c = cap->body;
	uint16_t mui = 0, noi = 0, maxstbl = 0, imaxstbl = 0;
	uint8_t ver = 0, rsvd = 0;

	if (!cap_has(em, cap, 39, "ZPCI_GROUP"))
		return;
	em_hex(em, "dasm", vi_get64(c, 8));
	em_hex(em, "msi_addr", vi_get64(c, 16));
	em_flags(em, "flags", vi_get64(c, 24), vi_zpci_group_flags);
	vi_u16(c, 32, &mui);
	vi_u16(c, 34, &noi);
	vi_u16(c, 36, &maxstbl);
	vi_u8(c, 38, &ver);
	em_u64(em, "mui", mui);
	em_u64(em, "noi", noi);
	em_u64(em, "maxstbl", maxstbl);
	/* "version" is the capability header's */
	em_u64(em, "pci_version", ver);
	if (cap->version >= 2) {
		if (vi_u8(c, 39, &rsvd) || vi_u16(c, 40, &imaxstbl)) {
			em_note(em, VI_NOTE_ERROR, "ZPCI_GROUP v2 is truncated: no room "
				"for imaxstbl (%zu bytes)", c.len);
			return;
		}
		if (rsvd)
			em_hex(em, "reserved", rsvd);
		em_u64(em, "imaxstbl", imaxstbl);
	}
}

/* A {__u32 size; __u8 data[]} cap: the size is clamped to the bytes present. */
static struct vi_bytes sized_payload(struct vi_emit *em, const struct vi_cap *cap,
				     const char *what)
{
	struct vi_bytes c = cap->body;
	uint32_t size = 0;

	if (!cap_has(em, cap, 12, what)) {
		struct vi_bytes none = { NULL, 0, c.big_endian };
		return none;
	}
	vi_u32(c, 8, &size);
	em_u64(em, "size", size);
	if (size > c.len - 12) {
		em_note(em, VI_NOTE_ERROR, "%s size %u runs past the capability "
			"(%zu bytes available)", what, size, c.len - 12);
		size = (uint32_t)(c.len - 12);
	}
	return vi_bytes_sub(c, 12, size);
}

void vi_cap_zpci_util(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	struct vi_bytes s = sized_payload(em, cap, "ZPCI_UTIL");
	char text[256];

	if (!s.p)
		return;
	em_bytes(em, "util_str", s.p, s.len);
	if (vi_ebcdic_to_ascii(s.p, s.len, text, sizeof(text)))
		em_str(em, "util_str_text", text);
	else
		em_null(em, "util_str_text");
}

void vi_cap_zpci_pfip(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	struct vi_bytes s = sized_payload(em, cap, "ZPCI_PFIP");

	if (s.p)
		em_bytes(em, "pfip", s.p, s.len);
}

void vi_cap_atomic_comp(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		unsigned int profiles)
{
	uint32_t rsvd;

	if (!cap_has(em, cap, 16, "PCI_ATOMIC_COMP"))
		return;
	em_flags(em, "flags", vi_get32(cap->body, 8), vi_atomic_comp_flags);
	rsvd = vi_get32(cap->body, 12);
	if (rsvd)
		em_hex(em, "reserved", rsvd);
}

/* ---- VFIO_DEVICE_GET_PCI_HOT_RESET_INFO ---- */

/* VFIO_PCI_DEVID_OWNED and VFIO_PCI_DEVID_NOT_OWNED (-1 as a __u32) */
static const struct vi_name hot_reset_devids[] = {
	{ 0, "OWNED" }, { 0xffffffffu, "NOT_OWNED" }, { 0, NULL },
};

void vi_decode_hot_reset_info(struct vi_emit *em, const struct vi_query *q)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, count = 0, fit;
	bool devid;

	if (vi_u32(b, VI_HRI_FLAGS, &flags) || vi_u32(b, VI_HRI_COUNT, &count)) {
		em_note(em, VI_NOTE_ERROR, "hot-reset info is %zu bytes, shorter than "
			"its 12-byte minimum", b.len);
		return;
	}
	devid = flags & VI_HRI_FLAG_DEV_ID;
	em_flags(em, "flags", flags, vi_hot_reset_flags);
	em_u64(em, "count", count);
	fit = (uint32_t)((b.len - VI_HRI_DEVICES) / VI_HRI_DEV_SIZE);
	if (count > fit) {
		em_note(em, VI_NOTE_ERROR, "count %u does not fit in the %zu bytes "
			"returned: showing %u", count, b.len, fit);
		count = fit;
	}
	em_arr_begin(em, "devices", NULL);
	for (uint32_t i = 0; i < count; i++) {
		size_t o = VI_HRI_DEVICES + (size_t)i * VI_HRI_DEV_SIZE;
		uint32_t id = vi_get32(b, o);
		uint16_t seg = 0;
		uint8_t bus = 0, devfn = 0;

		vi_u16(b, o + 4, &seg);
		vi_u8(b, o + 6, &bus);
		vi_u8(b, o + 7, &devfn);
		em_obj_begin(em, NULL, "%04x:%02x:%02x.%x", seg, bus, devfn >> 3, devfn & 7);
		em_detail_begin(em);
		em_strf(em, "address", "%04x:%02x:%02x.%x", seg, bus, devfn >> 3, devfn & 7);
		em_detail_end(em);
		if (devid) {
			/* an iommufd device id, or one of the two markers */
			em_enum(em, "devid", id, hot_reset_devids);
		} else {
			em_u64(em, "group", id);
		}
		em_obj_end(em);
	}
	em_arr_end(em);
}
