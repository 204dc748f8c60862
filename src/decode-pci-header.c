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

#include <stdlib.h>

#include "decode-pci-int.h"
#include "pciids.h"

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
	case PF_SPEED:
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

/* The fields of @f with a unit, as the heading says them: "  max_payload
 * 128 bytes, l0s_latency <64ns"; "" when there are none. */
static const char *units_of(uint32_t v, const struct pf *f, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; f->name && used + 1 < len; f++) {
		uint64_t x = field_of(v, f);
		const char *word;
		int w;

		switch (f->kind) {
		case PF_SHL:
			w = snprintf(buf + used, len - used, "%s%s %llu bytes", used ? ", " : "  ",
				     f->name, x < 40 ? (unsigned long long)f->arg << x : 0ull);
			break;
		case PF_CODE:
		case PF_SPEED:
			word = vi_name_of(f->tbl, x);
			if (word)
				w = snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "  ",
					     f->name, word);
			else
				w = snprintf(buf + used, len - used, "%s%s %llu (unknown)",
					     used ? ", " : "  ", f->name, (unsigned long long)x);
			break;
		case PF_WIDTH:
			w = snprintf(buf + used, len - used, "%s%s x%llu", used ? ", " : "  ",
				     f->name, (unsigned long long)x);
			break;
		default:
			continue;
		}
		if (w < 0)
			break;
		used += (size_t)w;
		if (used >= len)
			used = len - 1;
	}
	return buf;
}

/* The registers of one capability at @at; false when one is cut off. */
bool vi_pcid_regs(struct vi_emit *em, struct vi_bytes c, size_t at, const struct preg *r)
{
	for (; r->key; r++) {
		uint32_t v, known = 0;
		char units[160];

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
				em_hexw(em, r->key, v, r->size * 8u);
			continue;
		}
		em_obj_begin(em, r->key, "%s: 0x%0*x%s", r->key, r->size * 2, v,
			     units_of(v, r->f, units, sizeof(units)));
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

const char *vi_pci_size_word(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned int u = 0;

	while (u < sizeof(units) - 1 && v >= 1024 && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	if (u)
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u - 1]);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

void vi_pci_bar_of(struct vi_bytes cfg, unsigned int i, struct vi_pci_bar *b)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint32_t v = 0, prev = 0, hi = 0;

	memset(b, 0, sizeof(*b));
	if (i > 5 || vi_u32(c, 0x10 + 4u * i, &v))
		return;
	b->value = v;
	/* the upper dword of the 64-bit memory BAR before it */
	if (i > 0 && !vi_u32(c, 0x10 + 4u * (i - 1), &prev) && !(prev & 1u) &&
	    (prev & 6u) == 4u) {
		uint32_t pprev = 0;

		/* ... unless that one is itself an upper half */
		if (i < 2 || vi_u32(c, 0x10 + 4u * (i - 2), &pprev) || (pprev & 1u) ||
		    (pprev & 6u) != 4u) {
			b->upper_half = true;
			return;
		}
	}
	b->io = v & 1u;
	if (b->io) {
		b->address = v & ~3u;
		return;
	}
	b->mem_type = (v >> 1) & 3u;
	b->prefetchable = v & 8u;
	b->address = v & ~0xfu;
	if (b->mem_type == 2 && i < 5 && !vi_u32(c, 0x10 + 4u * (i + 1), &hi))
		b->address |= (uint64_t)hi << 32;
}

void vi_pci_bar_text(const struct vi_pci_bar *b, bool sized, uint64_t size, bool disabled,
		     char *buf, size_t len)
{
	char addr[24], sz[40] = "";

	if (sized && size)
		snprintf(sz, sizeof(sz), " [size=%s]", vi_pci_size_word(size, addr, sizeof(addr)));
	if (b->address || (sized && !size))
		snprintf(addr, sizeof(addr), "%llx", (unsigned long long)b->address);
	else
		snprintf(addr, sizeof(addr), "<unassigned>");
	if (b->io)
		snprintf(buf, len, "I/O ports at %s%s%s", addr, disabled ? " [disabled]" : "", sz);
	else
		snprintf(buf, len, "Memory at %s (%s, %sprefetchable)%s%s", addr,
			 b->mem_type == 2 ? "64-bit" : b->mem_type == 1 ? "low-1M" :
			 b->mem_type == 0 ? "32-bit" : "type 3",
			 b->prefetchable ? "" : "non-", disabled ? " [disabled]" : "", sz);
}

size_t vi_pci_absent_text(unsigned int mask, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned int i = 0; i < 7 && used < len; i++) {
		unsigned int j = i;
		int w;

		if (!(mask & (1u << i)))
			continue;
		if (i == 6) {
			w = snprintf(buf + used, len - used, "%sROM", used ? ", " : "");
		} else {
			while (j + 1 < 6 && (mask & (1u << (j + 1))))
				j++;
			if (j == i)
				w = snprintf(buf + used, len - used, "%sBAR%u", used ? ", " : "", i);
			else
				w = snprintf(buf + used, len - used, "%sBAR%u%sBAR%u",
					     used ? ", " : "", i, j == i + 1 ? ", " : "-", j);
		}
		if (w < 0)
			break;
		used += (size_t)w;
		if (used >= len)
			used = len - 1;
		i = j;
	}
	return used;
}

/* A BAR that reads 0: with the VFIO region's size 0 the device has none;
 * without the sizes (the shell's config) it may also be unassigned. */
#define ABSENT(sized)	((sized) ? "not present" : "0 (not present, or not assigned)")

/* BAR0-5 as lspci shows them; what the device does not implement (value 0
 * and, where the region sizes are known, size 0) and the upper halves of
 * 64-bit BARs are in JSON and in text with -v only. */
static void emit_bars(struct vi_emit *em, struct vi_bytes c, uint16_t cmd,
		      const struct vi_pci_extra *x)
{
	bool sized = x && x->sized;
	unsigned int absent = 0;
	char text[96];

	em_arr_begin(em, "bars", NULL);
	for (unsigned int i = 0; i < 6; i++) {
		struct vi_pci_bar b;
		uint64_t size = sized ? x->sizes[i] : 0;
		bool gone, disabled;

		vi_pci_bar_of(c, i, &b);
		gone = !b.upper_half && !b.value && (!sized || !size);
		disabled = b.io ? !(cmd & 1u) : !(cmd & 2u);
		if (gone)
			absent |= 1u << i;
		if (gone || b.upper_half)
			em_detail_begin(em);
		if (b.upper_half)
			em_obj_begin(em, NULL, "BAR%u: upper half of BAR%u", i, i - 1);
		else if (gone)
			em_obj_begin(em, NULL, "BAR%u: %s", i, ABSENT(sized));
		else {
			vi_pci_bar_text(&b, sized, size, disabled, text, sizeof(text));
			em_obj_begin(em, NULL, "BAR%u: %s", i, text);
		}
		/* the heading says it all: the fields for JSON and -v */
		em_detail_begin(em);
		em_hex(em, "value", b.value);
		if (b.upper_half) {
			em_u64(em, "upper_half_of", i - 1);
		} else {
			em_bool(em, "present", !gone);
			em_bool(em, "io", b.io);
			if (!b.io) {
				em_bool(em, "64bit", b.mem_type == 2);
				em_bool(em, "prefetchable", b.prefetchable);
			}
			em_hex(em, "address", b.address);
			if (sized)
				em_size(em, "size", size);
		}
		em_detail_end(em);
		em_obj_end(em);
		if (gone || b.upper_half)
			em_detail_end(em);
	}
	if (absent) {
		vi_pci_absent_text(absent, text, sizeof(text));
		em_summary(em, "%s: %s", text, ABSENT(sized));
	}
	em_arr_end(em);
}

static void emit_rom(struct vi_emit *em, struct vi_bytes c, const struct vi_pci_extra *x)
{
	uint32_t v = vi_get32(c, 0x30);
	bool sized = x && x->sized;
	uint64_t size = sized ? x->sizes[6] : 0;
	bool gone = !v && (!sized || !size);
	char sz[40] = "", w[24];

	if (sized && size)
		snprintf(sz, sizeof(sz), " [size=%s]", vi_pci_size_word(size, w, sizeof(w)));
	em_detail_begin(em);
	em_hexw(em, "rom_bar", v, 32);
	em_detail_end(em);
	if (gone)
		em_detail_begin(em);
	if (gone)
		em_obj_begin(em, "rom", "ROM: %s", ABSENT(sized));
	else if (v & ~0x7ffu)
		em_obj_begin(em, "rom", "ROM: Expansion ROM at %x%s%s", v & ~0x7ffu,
			     v & 1u ? "" : " [disabled]", sz);
	else
		em_obj_begin(em, "rom", "ROM: Expansion ROM at <unassigned>%s%s",
			     v & 1u ? "" : " [disabled]", sz);
	em_detail_begin(em);
	em_bool(em, "present", !gone);
	em_hex(em, "address", v & ~0x7ffu);
	em_bool(em, "enabled", v & 1u);
	if (sized)
		em_size(em, "size", size);
	em_detail_end(em);
	em_obj_end(em);
	if (gone) {
		em_detail_end(em);
		em_summary(em, "ROM: %s", ABSENT(sized));
	}
}

/* A name from pci.ids, or null. */
static void emit_name(struct vi_emit *em, const char *key, char *s)
{
	if (s) {
		em_str(em, key, s);
	} else {
		/* the number beside it says what there is to say */
		em_detail_begin(em);
		em_null(em, key);
		em_detail_end(em);
	}
	free(s);
}

/*
 * The header and capability lists.  @deep decodes every register of every
 * capability (the shell's `config`); otherwise ids and offsets only.
 */
static void decode_config(struct vi_emit *em, struct vi_bytes cfg, bool deep, bool short_view,
			  const struct vi_pci_extra *x)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint16_t vendor = 0, device = 0, cmd = 0, status = 0, svid = 0, sid = 0;
	uint8_t rev = 0, htype = 0, capptr = 0, pin = 0, line = 0;
	const struct vi_pciids *db = x ? x->db : NULL;
	uint32_t cls;

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
	vi_u16(c, 0x2c, &svid);
	vi_u16(c, 0x2e, &sid);

	em_size(em, "length", c.len);
	em_hexw(em, "vendor_id", vendor, 16);
	if (x)
		emit_name(em, "vendor_name", vi_pciids_vendor(db, vendor));
	em_hexw(em, "device_id", device, 16);
	if (x)
		emit_name(em, "device_name", vi_pciids_device(db, vendor, device));
	if (deep) {
		header_full(em, c);
	} else {
		em_hexw(em, "command", cmd, 16);
		em_hexw(em, "status", status, 16);
	}
	em_hexw(em, "revision", rev, 8);
	em_hexw(em, "class", cls, 24);
	/* the name list and doctor give (pci.ids: the sub-class, else the
	 * base class); without a database, the base class's name */
	if (x)
		emit_name(em, "class_name", vi_pciids_class(db, cls));
	else
		em_str(em, "class_name", vi_name_of(vi_pci_class_names, cls >> 16));
	if (x)
		emit_name(em, "prog_if_name", vi_pciids_prog_if(db, cls));
	em_hexw(em, "header_type", htype, 8);
	if (deep)
		em_bool(em, "multifunction", htype & 0x80);
	if ((htype & 0x7f) == 0) {
		emit_bars(em, c, cmd, x);
		em_hexw(em, "subsystem_vendor_id", svid, 16);
		em_hexw(em, "subsystem_id", sid, 16);
		if (x)
			emit_name(em, "subsystem_name",
				  vi_pciids_subsystem(db, vendor, device, svid, sid));
		emit_rom(em, c, x);
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

void vi_decode_pci_config_ex(struct vi_emit *em, struct vi_bytes cfg,
			     const struct vi_pci_extra *x)
{
	decode_config(em, cfg, false, false, x);
}

void vi_decode_pci_config(struct vi_emit *em, struct vi_bytes cfg)
{
	decode_config(em, cfg, false, false, NULL);
}

void vi_decode_pci_config_full(struct vi_emit *em, struct vi_bytes cfg)
{
	decode_config(em, cfg, true, false, NULL);
}

void vi_decode_pci_config_full_ex(struct vi_emit *em, struct vi_bytes cfg,
				  const struct vi_pci_extra *x)
{
	decode_config(em, cfg, true, false, x);
}

void vi_decode_pci_config_view(struct vi_emit *em, struct vi_bytes cfg,
			       const struct vi_pci_extra *x)
{
	decode_config(em, cfg, true, cfg.len < CFG_STD, x);
}
