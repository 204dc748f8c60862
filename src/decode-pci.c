// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-pci.c - PCI config space as read through the VFIO config region:
 * the header and the capability and extended capability lists.
 *
 * Config space is little-endian on every host (it is the device's byte
 * order, not the kernel's), so it is read little-endian whatever the
 * capture says.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "decode-caps.h"

#define CFG_STD		256
#define CFG_EXT		4096

static void std_caps(struct vi_emit *em, struct vi_bytes c, uint8_t first)
{
	uint8_t seen[CFG_STD / 8];
	uint8_t ptr = first & 0xfc;
	unsigned int n = 0;

	memset(seen, 0, sizeof(seen));
	em_arr_begin(em, "capabilities", NULL);
	while (ptr) {
		uint8_t id = 0, next = 0;
		const char *name;

		if (ptr < 0x40 || !vi_bytes_has(c, ptr, 2)) {
			em_note(em, VI_NOTE_ERROR, "capability pointer 0x%02x lies outside "
				"the device-specific area of config space", ptr);
			break;
		}
		if (seen[ptr / 8] & (1u << (ptr % 8))) {
			em_note(em, VI_NOTE_ERROR, "capability list loops back to 0x%02x", ptr);
			break;
		}
		seen[ptr / 8] |= (uint8_t)(1u << (ptr % 8));
		vi_u8(c, ptr, &id);
		vi_u8(c, ptr + 1, &next);
		name = vi_name_of(vi_pci_cap_ids, id);
		em_obj_begin(em, NULL, "[%02x] %s", ptr, name ? name : "unknown");
		em_detail_begin(em);
		em_hex(em, "offset", ptr);
		em_enum(em, "id", id, vi_pci_cap_ids);
		em_hex(em, "next", next);
		em_detail_end(em);
		em_obj_end(em);
		ptr = next & 0xfc;
		if (++n >= 48)	/* (256 - 64) / 4: no room for more */
			break;
	}
	em_arr_end(em);
}

static void ext_caps(struct vi_emit *em, struct vi_bytes c)
{
	uint8_t seen[CFG_EXT / 4 / 8];
	uint32_t off = 0x100;

	memset(seen, 0, sizeof(seen));
	em_arr_begin(em, "extended_capabilities", NULL);
	while (off) {
		uint32_t hdr, id, ver, next;
		const char *name;

		if (off < 0x100 || vi_u32(c, off, &hdr)) {
			em_note(em, VI_NOTE_ERROR, "extended capability at 0x%03x lies "
				"outside extended config space", off);
			break;
		}
		if (hdr == 0 || hdr == 0xffffffffu)
			break;	/* no extended capabilities */
		if (seen[off / 4 / 8] & (1u << (off / 4 % 8))) {
			em_note(em, VI_NOTE_ERROR, "extended capability list loops back "
				"to 0x%03x", off);
			break;
		}
		seen[off / 4 / 8] |= (uint8_t)(1u << (off / 4 % 8));
		id = hdr & 0xffff;
		ver = (hdr >> 16) & 0xf;
		next = (hdr >> 20) & 0xffc;
		name = vi_name_of(vi_pci_ecap_ids, id);
		em_obj_begin(em, NULL, "[%03x] %s v%u", off, name ? name : "unknown", ver);
		em_detail_begin(em);
		em_hex(em, "offset", off);
		em_enum(em, "id", id, vi_pci_ecap_ids);
		em_u64(em, "version", ver);
		em_hex(em, "next", next);
		em_detail_end(em);
		em_obj_end(em);
		if (next && next <= off) {
			em_note(em, VI_NOTE_ERROR, "extended capability at 0x%03x points "
				"back to 0x%03x", off, next);
			break;
		}
		off = next;
	}
	em_arr_end(em);
}

void vi_decode_pci_config(struct vi_emit *em, struct vi_bytes cfg)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint16_t vendor = 0, device = 0, cmd = 0, status = 0;
	uint8_t rev = 0, htype = 0, capptr = 0, pin = 0, line = 0;
	uint32_t cls;
	const char *cname;

	if (!vi_bytes_has(c, 0, 64)) {
		em_note(em, VI_NOTE_ERROR, "config space read returned %zu bytes, fewer "
			"than the 64-byte header", c.len);
		return;
	}
	vi_u16(c, 0x00, &vendor);
	vi_u16(c, 0x02, &device);
	vi_u16(c, 0x04, &cmd);
	vi_u16(c, 0x06, &status);
	vi_u8(c, 0x08, &rev);
	cls = vi_get32(c, 0x08) >> 8;
	vi_u8(c, 0x0e, &htype);
	vi_u8(c, 0x34, &capptr);
	vi_u8(c, 0x3c, &line);
	vi_u8(c, 0x3d, &pin);

	em_size(em, "length", c.len);
	em_hex(em, "vendor_id", vendor);
	em_hex(em, "device_id", device);
	em_hex(em, "command", cmd);
	em_hex(em, "status", status);
	em_hex(em, "revision", rev);
	em_strf(em, "class", "0x%06x", cls);
	cname = vi_name_of(vi_pci_class_names, cls >> 16);
	if (cname)
		em_str(em, "class_name", cname);
	else
		em_null(em, "class_name");
	em_hex(em, "header_type", htype);
	if ((htype & 0x7f) == 0) {
		em_arr_begin(em, "bars", NULL);
		for (int i = 0; i < 6; i++)
			em_hex(em, NULL, vi_get32(c, 0x10 + 4 * (size_t)i));
		em_arr_end(em);
		em_hex(em, "subsystem_vendor_id", vi_get32(c, 0x2c) & 0xffff);
		em_hex(em, "subsystem_id", vi_get32(c, 0x2c) >> 16);
		em_hex(em, "rom_bar", vi_get32(c, 0x30));
	}
	em_u64(em, "interrupt_pin", pin);
	em_u64(em, "interrupt_line", line);
	if (vendor == 0xffff)
		em_note(em, VI_NOTE_WARN, "vendor id 0xffff: the device did not answer "
			"(powered off or removed?)");
	if (status & 0x10)
		std_caps(em, c, capptr);
	else
		em_arr_begin(em, "capabilities", NULL), em_arr_end(em);
	if (c.len > CFG_STD)
		ext_caps(em, c);
}
