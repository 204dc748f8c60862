// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-pci-header.c - PCI config space as read through the VFIO config
 * region: the type 0 header, its BARs, and the entry points that walk the
 * capability lists (decode-pci-caps.c, decode-pci-ecaps.c); the register
 * and field tables as data, and the code that shows them.
 *
 * Config space is little-endian on every host (it is the device's byte
 * order, not the kernel's), so it is read little-endian whatever the
 * capture says.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "decode-pci-int.h"

/* Offset of standard capability @id, or 0. */
static uint8_t find_std_cap(struct vi_bytes c, uint8_t want)
{
	uint16_t status = 0;
	uint8_t ptr = 0, id = 0;

	if (vi_u16(c, 0x06, &status) || !(status & 0x10) || vi_u8(c, 0x34, &ptr))
		return 0;
	ptr &= 0xfc;
	for (int n = 0; ptr >= 0x40 && n < 48; n++) {
		if (vi_u8(c, ptr, &id))
			return 0;
		if (id == want)
			return ptr;
		if (vi_u8(c, ptr + 1, &ptr))
			return 0;
		ptr &= 0xfc;
	}
	return 0;
}

bool vi_pci_msix_of(struct vi_bytes cfg, struct vi_pci_msix *m)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint8_t at = find_std_cap(c, 0x11);
	uint16_t ctrl = 0;
	uint32_t t = 0, p = 0;

	memset(m, 0, sizeof(*m));
	if (!at || vi_u16(c, at + 2, &ctrl) || vi_u32(c, at + 4, &t) || vi_u32(c, at + 8, &p))
		return false;
	m->cap = at;
	m->entries = (ctrl & 0x7ffu) + 1;
	m->enabled = ctrl & 0x8000u;
	m->masked = ctrl & 0x4000u;
	m->table_bir = t & 7;
	m->table_off = t & ~7u;
	m->pba_bir = p & 7;
	m->pba_off = p & ~7u;
	m->table_len = m->entries * 16;
	m->pba_len = (m->entries + 63) / 64 * 8;
	return true;
}

/* As a register's field list: the register is a plain count. */
const struct pf vi_pcid_dec[] = { PF_END };

const struct vi_name vi_pcid_command_bits[] = {
	{ 1u << 0, "IO" }, { 1u << 1, "MEMORY" }, { 1u << 2, "BUS_MASTER" },
	{ 1u << 3, "SPECIAL_CYCLES" }, { 1u << 4, "MWI" }, { 1u << 5, "VGA_SNOOP" },
	{ 1u << 6, "PARITY" }, { 1u << 7, "STEPPING" }, { 1u << 8, "SERR" },
	{ 1u << 9, "FAST_B2B" }, { 1u << 10, "INTX_DISABLE" }, { 0, NULL }
};

const struct vi_name vi_pcid_status_bits[] = {
	{ 1u << 0, "IMMEDIATE_READINESS" }, { 1u << 3, "INTX" }, { 1u << 4, "CAP_LIST" },
	{ 1u << 5, "66MHZ" }, { 1u << 7, "FAST_B2B" }, { 1u << 8, "MASTER_PARITY_ERROR" },
	{ 1u << 11, "SIG_TARGET_ABORT" }, { 1u << 12, "RCV_TARGET_ABORT" },
	{ 1u << 13, "RCV_MASTER_ABORT" }, { 1u << 14, "SIG_SYSTEM_ERROR" },
	{ 1u << 15, "DETECTED_PARITY_ERROR" }, { 0, NULL }
};

const struct vi_name vi_pcid_devsel_names[] = {
	{ 0, "fast" }, { 1, "medium" }, { 2, "slow" }, { 0, NULL }
};

static uint64_t field_of(uint32_t v, const struct pf *f)
{
	return f->width >= 32 ? v >> f->shift : (v >> f->shift) & ((1u << f->width) - 1);
}

static void emit_field(struct vi_emit *em, const struct pf *f, uint64_t x)
{
	switch (f->kind) {
	case PF_BOOL:
		em_bool(em, f->name, x != 0);
		break;
	case PF_HEX:
		em_hex(em, f->name, x);
		break;
	case PF_ENUM:
		em_enum(em, f->name, x, f->tbl);
		break;
	case PF_FLAGS:
		em_flags(em, f->name, x, f->tbl);
		break;
	case PF_SHL:
		em_u64(em, f->name, x < 40 ? (uint64_t)f->arg << x : 0);
		break;
	case PF_PLUS1:
		em_u64(em, f->name, x + 1);
		break;
	case PF_POW2:
		em_u64(em, f->name, x < 32 ? 1ull << x : 0);
		break;
	case PF_MUL:
		em_hex(em, f->name, x * f->arg);
		break;
	case PF_ZERO_IS:
		em_u64(em, f->name, x ? x : f->arg);
		break;
	default:
		em_u64(em, f->name, x);
		break;
	}
}

/* The registers of one capability at @at; false when one is cut off. */
bool vi_pcid_regs(struct vi_emit *em, struct vi_bytes c, size_t at, const struct preg *r)
{
	for (; r->key; r++) {
		uint32_t v, known = 0;

		if (!vi_bytes_has(c, at + r->off, r->size)) {
			em_note(em, VI_NOTE_ERROR, "%s at 0x%zx lies past the end of config "
				"space as read (%zu bytes)", r->label, at + r->off, c.len);
			return false;
		}
		v = (uint32_t)vi_load(c.p + at + r->off, r->size, false);
		if (!r->f || r->f == vi_pcid_dec) {
			if (r->f)
				em_u64(em, r->key, v);
			else
				em_hex(em, r->key, v);
			continue;
		}
		em_obj_begin(em, r->key, "%s: 0x%0*x", r->label, r->size * 2, v);
		em_detail_begin(em);
		em_hex(em, "value", v);
		em_detail_end(em);
		for (const struct pf *f = r->f; f->name; f++) {
			emit_field(em, f, field_of(v, f));
			known |= f->width >= 32 ? ~0u << f->shift :
				 ((1u << f->width) - 1) << f->shift;
		}
		if (r->size < 4)
			known |= ~0u << (8 * r->size);
		if (v & ~known)
			em_hex(em, "unknown_bits", v & ~known);
		em_obj_end(em);
	}
	return true;
}

void vi_pcid_raw(struct vi_emit *em, struct vi_bytes c, size_t at, size_t len)
{
	struct vi_bytes s = vi_bytes_sub(c, at, len);

	if (s.len)
		em_bytes(em, "raw", s.p, s.len);
}

static void header_full(struct vi_emit *em, struct vi_bytes c)
{
	uint16_t cmd = 0, status = 0;

	vi_u16(c, 0x04, &cmd);
	vi_u16(c, 0x06, &status);
	em_flags(em, "command_bits", cmd, vi_pcid_command_bits);
	em_flags(em, "status_bits", status & ~0x0600u, vi_pcid_status_bits);
	em_enum(em, "devsel", (status >> 9) & 3, vi_pcid_devsel_names);
}

/*
 * The header and capability lists.  @deep decodes every register of every
 * capability (the shell's `config`); otherwise ids and offsets only.
 */
static void decode_config(struct vi_emit *em, struct vi_bytes cfg, bool deep, bool short_view)
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
	if (deep) {
		header_full(em, c);
	} else {
		em_hex(em, "command", cmd);
		em_hex(em, "status", status);
	}
	em_hex(em, "revision", rev);
	em_strf(em, "class", "0x%06x", cls);
	cname = vi_name_of(vi_pci_class_names, cls >> 16);
	em_str(em, "class_name", cname);
	em_hex(em, "header_type", htype);
	if (deep)
		em_bool(em, "multifunction", htype & 0x80);
	if ((htype & 0x7f) == 0) {
		em_arr_begin(em, "bars", NULL);
		for (int i = 0; i < 6 && !deep; i++)
			em_hex(em, NULL, vi_get32(c, 0x10 + 4 * (size_t)i));
		for (int i = 0; i < 6 && deep; i++) {
			uint32_t b = vi_get32(c, 0x10 + 4 * (size_t)i);

			em_obj_begin(em, NULL, "BAR%d: 0x%08x%s%s%s", i, b,
				     b & 1 ? " io" : " memory",
				     !(b & 1) && (b & 6) == 4 ? " 64-bit" : "",
				     !(b & 1) && (b & 8) ? " prefetchable" : "");
			em_detail_begin(em);
			em_hex(em, "value", b);
			em_detail_end(em);
			em_obj_end(em);
		}
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
	if (status & 0x10) {
		vi_pcid_std_caps(em, c, capptr, deep, short_view);
	} else {
		em_arr_begin(em, "capabilities", NULL);
		em_arr_end(em);
	}
	if (c.len > CFG_STD) {
		vi_pcid_ext_caps(em, c, deep);
	}
}

void vi_decode_pci_config(struct vi_emit *em, struct vi_bytes cfg)
{
	decode_config(em, cfg, false, false);
}

void vi_decode_pci_config_full(struct vi_emit *em, struct vi_bytes cfg)
{
	decode_config(em, cfg, true, false);
}

void vi_decode_pci_config_view(struct vi_emit *em, struct vi_bytes cfg)
{
	decode_config(em, cfg, true, cfg.len < CFG_STD);
}
