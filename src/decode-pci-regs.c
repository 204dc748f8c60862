// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-pci-regs.c - config space register by register: which register
 * and capability holds a byte (what `config --diff` names), and how far
 * each capability reaches.
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

/* ==== registers by offset: what `config --diff` names ==== */

/* The type 0 header, register by register. */
static const struct pf hdr_command[] = {
	{ "command", 0, 16, PF_FLAGS, 0, vi_pcid_command_bits }, PF_END
};

static const struct pf hdr_status[] = {
	{ "status", 0, 16, PF_FLAGS, 0, vi_pcid_status_bits },
	{ "devsel", 9, 2, PF_ENUM, 0, vi_pcid_devsel_names }, PF_END
};

static const struct preg hdr0_regs[] = {
	{ "vendor_id", "Vendor ID", 0x00, 2, NULL }, { "device_id", "Device ID", 0x02, 2, NULL },
	{ "command", "Command", 0x04, 2, hdr_command }, { "status", "Status", 0x06, 2, hdr_status },
	{ "revision", "Revision ID", 0x08, 1, NULL },
	{ "prog_if", "Programming Interface", 0x09, 1, NULL },
	{ "subclass", "Subclass", 0x0a, 1, NULL }, { "class", "Base Class", 0x0b, 1, NULL },
	{ "cache_line_size", "Cache Line Size", 0x0c, 1, NULL },
	{ "latency_timer", "Latency Timer", 0x0d, 1, NULL },
	{ "header_type", "Header Type", 0x0e, 1, NULL }, { "bist", "BIST", 0x0f, 1, NULL },
	{ "bar0", "BAR0", 0x10, 4, NULL }, { "bar1", "BAR1", 0x14, 4, NULL },
	{ "bar2", "BAR2", 0x18, 4, NULL }, { "bar3", "BAR3", 0x1c, 4, NULL },
	{ "bar4", "BAR4", 0x20, 4, NULL }, { "bar5", "BAR5", 0x24, 4, NULL },
	{ "cardbus_cis", "CardBus CIS Pointer", 0x28, 4, NULL },
	{ "subsystem_vendor_id", "Subsystem Vendor ID", 0x2c, 2, NULL },
	{ "subsystem_id", "Subsystem ID", 0x2e, 2, NULL },
	{ "rom_bar", "Expansion ROM BAR", 0x30, 4, NULL },
	{ "cap_ptr", "Capabilities Pointer", 0x34, 1, NULL },
	{ "interrupt_line", "Interrupt Line", 0x3c, 1, NULL },
	{ "interrupt_pin", "Interrupt Pin", 0x3d, 1, NULL },
	{ "min_gnt", "Min_Gnt", 0x3e, 1, NULL }, { "max_lat", "Max_Lat", 0x3f, 1, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

/* Every capability starts with these. */
static const struct preg cap_hdr_regs[] = {
	{ "id", "Capability ID", 0, 1, NULL }, { "next", "Next Capability", 1, 1, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf ecap_hdr[] = {
	{ "id", 0, 16, PF_HEX, 0, NULL }, { "version", 16, 4, PF_U, 0, NULL },
	{ "next", 20, 12, PF_HEX, 0, NULL }, PF_END
};

static const struct preg ecap_hdr_regs[] = {
	{ "header", "Header", 0, 4, ecap_hdr }, { NULL, NULL, 0, 0, NULL }
};

/* MSI: where address and data lie depends on 64-bit addressing and
 * per-vector masking (Message Control bits 7 and 8). */
#define MSI_CTRL { "control", "Message Control", 2, 2, vi_pcid_msi_ctrl }
static const struct preg msi32_regs[] = {
	MSI_CTRL, { "address", "Message Address", 4, 4, NULL },
	{ "data", "Message Data", 8, 2, NULL }, { NULL, NULL, 0, 0, NULL }
};
static const struct preg msi64_regs[] = {
	MSI_CTRL, { "address", "Message Address", 4, 4, NULL },
	{ "address_upper", "Message Upper Address", 8, 4, NULL },
	{ "data", "Message Data", 12, 2, NULL }, { NULL, NULL, 0, 0, NULL }
};
static const struct preg msi32_mask_regs[] = {
	MSI_CTRL, { "address", "Message Address", 4, 4, NULL },
	{ "data", "Message Data", 8, 2, NULL }, { "mask", "Mask Bits", 12, 4, NULL },
	{ "pending", "Pending Bits", 16, 4, NULL }, { NULL, NULL, 0, 0, NULL }
};
static const struct preg msi64_mask_regs[] = {
	MSI_CTRL, { "address", "Message Address", 4, 4, NULL },
	{ "address_upper", "Message Upper Address", 8, 4, NULL },
	{ "data", "Message Data", 12, 2, NULL }, { "mask", "Mask Bits", 16, 4, NULL },
	{ "pending", "Pending Bits", 20, 4, NULL }, { NULL, NULL, 0, 0, NULL }
};

static const struct preg vendor_regs[] = {
	{ "length", "Length", 2, 1, NULL }, { NULL, NULL, 0, 0, NULL }
};

/* The register tables of each capability the decoder knows (MSI apart). */
static const struct capregs {
	bool ext;
	uint16_t id;
	const struct preg *regs;
	const struct preg *regs2;	/* PCIe capability version 2 and later */
} cap_regs[] = {
	{ false, 0x01, vi_pcid_pm_regs, NULL }, { false, 0x09, vendor_regs, NULL },
	{ false, 0x10, vi_pcid_express_regs, vi_pcid_express_regs2 }, { false, 0x11, vi_pcid_msix_regs, NULL },
	{ true, 0x0001, vi_pcid_aer_regs, NULL }, { true, 0x0003, vi_pcid_dsn_regs, NULL },
	{ true, 0x000b, vi_pcid_vsec_regs, NULL }, { true, 0x000d, vi_pcid_acs_regs, NULL },
	{ true, 0x000e, vi_pcid_ari_regs, NULL }, { true, 0x000f, vi_pcid_ats_regs, NULL },
	{ true, 0x0010, vi_pcid_sriov_regs, NULL }, { true, 0x0023, vi_pcid_dvsec_regs, NULL },
};

/* Capabilities of a fixed length (PCI Local Bus and PCIe Base specs). */
static const struct { bool ext; uint16_t id, len; } cap_fixed_len[] = {
	{ false, 0x01, 8 }, { false, 0x11, 12 }, { false, 0x13, 6 },
	{ true, 0x0001, 0x48 }, { true, 0x0003, 12 }, { true, 0x000d, 8 },
	{ true, 0x000e, 8 }, { true, 0x000f, 8 }, { true, 0x0010, 0x40 },
	{ true, 0x0013, 0x10 }, { true, 0x0018, 8 }, { true, 0x001b, 8 },
	{ true, 0x001e, 0x10 },
};

#define CAP_UNKNOWN_LEN	64	/* how far a capability of unknown length reaches */

/* Bytes @p spans as far as its id and content tell; 0 when unknown. */
static uint32_t cap_known_len(struct vi_bytes c, const struct vi_pci_capref *p)
{
	uint16_t w = 0;
	uint8_t b = 0;

	for (size_t i = 0; i < sizeof(cap_fixed_len) / sizeof(cap_fixed_len[0]); i++)
		if (cap_fixed_len[i].ext == p->ext && cap_fixed_len[i].id == p->id)
			return cap_fixed_len[i].len;
	if (!p->ext) {
		switch (p->id) {
		case 0x05:
			if (vi_u16(c, p->off + 2u, &w))
				return 0;
			return 10u + ((w & 0x80) ? 4u : 0u) + ((w & 0x100) ? 10u : 0u);
		case 0x09:
			return vi_u8(c, p->off + 2u, &b) ? 0 : b;
		case 0x10:
			if (vi_u16(c, p->off + 2u, &w))
				return 0;
			return (w & 0xf) >= 2 ? 0x3c : 0x24;
		default:
			return 0;
		}
	}
	switch (p->id) {
	case 0x000b:
	case 0x0023:
		return vi_get32(c, p->off + 4u) >> 20;
	case 0x0015:
	case 0x0024:
		return 4u + 8u * ((vi_get32(c, p->off + 8u) >> 5) & 7u);
	default:
		return 0;
	}
}

size_t vi_pci_cap_list(struct vi_bytes cfg, struct vi_pci_capref *out, size_t max)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint8_t seen[CFG_EXT / 4 / 8];
	uint16_t status = 0;
	uint8_t ptr = 0;
	size_t n = 0;

	memset(seen, 0, sizeof(seen));
	if (!vi_u16(c, 0x06, &status) && (status & 0x10) && !vi_u8(c, 0x34, &ptr)) {
		ptr &= 0xfc;
		for (int k = 0; ptr >= 0x40 && k < 48 && n < max; k++) {
			uint8_t id = 0, next = 0;

			if (vi_u8(c, ptr, &id) || vi_u8(c, ptr + 1u, &next) ||
			    (seen[ptr / 32] & (1u << (ptr / 4 % 8))))
				break;
			seen[ptr / 32] |= (uint8_t)(1u << (ptr / 4 % 8));
			out[n++] = (struct vi_pci_capref){ ptr, id, false, 0 };
			ptr = next & 0xfc;
		}
	}
	if (c.len > CFG_STD) {
		uint32_t off = 0x100, hdr = 0;

		while (off >= 0x100 && off < CFG_EXT && n < max && !vi_u32(c, off, &hdr) &&
		       hdr && hdr != 0xffffffffu && !(seen[off / 32] & (1u << (off / 4 % 8)))) {
			uint32_t next = (hdr >> 20) & 0xffc;

			seen[off / 32] |= (uint8_t)(1u << (off / 4 % 8));
			out[n++] = (struct vi_pci_capref){ (uint16_t)off, (uint16_t)(hdr & 0xffff),
							   true, 0 };
			if (next <= off)
				break;
			off = next;
		}
	}
	/* Each one reaches as far as it is known to, never into the next
	 * one in address order nor past its area (up to 0x100 or 0x1000). */
	for (size_t i = 0; i < n; i++) {
		uint32_t end = out[i].ext ? CFG_EXT : CFG_STD, len;

		for (size_t j = 0; j < n; j++)
			if (out[j].ext == out[i].ext && out[j].off > out[i].off && out[j].off < end)
				end = out[j].off;
		len = cap_known_len(c, &out[i]);
		if (!len)
			len = CAP_UNKNOWN_LEN;
		if (len > end - out[i].off)
			len = end - out[i].off;
		out[i].len = (uint16_t)len;
	}
	return n;
}

const char *vi_pci_capref_name(const struct vi_pci_capref *p)
{
	if (p->ext && p->id == 0)
		return "Null";
	return vi_name_of(p->ext ? vi_pci_ecap_ids : vi_pci_cap_ids, p->id);
}

static const struct preg *find_preg(const struct preg *t, uint32_t rel, uint32_t limit)
{
	for (; t && t->key; t++)
		if (rel >= t->off && rel < (uint32_t)t->off + t->size &&
		    (uint32_t)t->off + t->size <= limit)
			return t;
	return NULL;
}

/* The PCIe slot and root registers, where the capability's type and Slot
 * Implemented bit give them (the decoder shows them only there too). */
static const struct preg *pcie_port_preg(struct vi_bytes c, const struct vi_pci_capref *p,
					 uint32_t rel)
{
	const struct preg *r = NULL;
	uint16_t w = 0;

	if (p->ext || p->id != 0x10 || vi_u16(c, p->off + 2u, &w))
		return NULL;
	if (vi_pcid_has_slot(w))
		r = find_preg(vi_pcid_slot_regs, rel, p->len);
	if (!r && vi_pcid_has_root(w))
		r = find_preg(vi_pcid_root_regs, rel, p->len);
	return r;
}

/* The named register of capability @p that holds byte @rel of it. */
static const struct preg *cap_preg(struct vi_bytes c, const struct vi_pci_capref *p,
				   uint32_t rel)
{
	const struct preg *r = find_preg(p->ext ? ecap_hdr_regs : cap_hdr_regs, rel, p->len);
	uint16_t w = 0;

	if (r)
		return r;
	if (!p->ext && p->id == 0x05) {
		static const struct preg *const msi[] = {
			msi32_regs, msi64_regs, msi32_mask_regs, msi64_mask_regs
		};

		vi_u16(c, p->off + 2u, &w);
		return find_preg(msi[((w >> 7) & 1u) | ((w >> 7) & 2u)], rel, p->len);
	}
	for (size_t i = 0; i < sizeof(cap_regs) / sizeof(cap_regs[0]); i++) {
		if (cap_regs[i].ext != p->ext || cap_regs[i].id != p->id)
			continue;
		r = find_preg(cap_regs[i].regs, rel, p->len);
		if (!r)
			r = pcie_port_preg(c, p, rel);
		if (!r && cap_regs[i].regs2 && !vi_u16(c, p->off + 2u, &w) && (w & 0xf) >= 2)
			r = find_preg(cap_regs[i].regs2, rel, p->len);
		return r;
	}
	return NULL;
}

static void reg_from(struct vi_pci_reg *r, const struct preg *p, uint32_t base)
{
	r->off = base + p->off;
	r->size = p->size;
	r->key = p->key;
	r->fields = p->f == vi_pcid_dec ? NULL : p->f;
}

bool vi_pci_reg_at(struct vi_bytes cfg, uint32_t off, struct vi_pci_reg *r)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	struct vi_pci_capref caps[128];
	size_t n;
	uint8_t ht = 0;

	memset(r, 0, sizeof(*r));
	if (off < 0x40) {
		const struct preg *p = NULL;

		if (!vi_u8(c, 0x0e, &ht) && (ht & 0x7f) == 0)
			p = find_preg(hdr0_regs, off, 0x40);
		if (p) {
			reg_from(r, p, 0);
			snprintf(r->name, sizeof(r->name), "header: %s", p->label);
		} else {
			r->off = off & ~3u;
			r->size = 4;
			snprintf(r->name, sizeof(r->name), "header +0x%02x", r->off);
		}
		return true;
	}
	n = vi_pci_cap_list(c, caps, sizeof(caps) / sizeof(caps[0]));
	for (size_t i = 0; i < n; i++) {
		const struct vi_pci_capref *p = &caps[i];
		const char *cn = vi_pci_capref_name(p);
		const struct preg *reg;
		char where[32];
		uint32_t rel;

		if (off < p->off || off - p->off >= p->len)
			continue;
		rel = off - p->off;
		r->in_cap = true;
		r->cap = *p;
		snprintf(where, sizeof(where), p->ext ? "[%03x] %s" : "[%02x] %s", p->off,
			 cn ? cn : "unknown");
		reg = cap_preg(c, p, rel);
		if (reg) {
			reg_from(r, reg, p->off);
			snprintf(r->name, sizeof(r->name), "%s: %s", where, reg->label);
		} else {
			/* a dword of the capability, where it has one */
			rel &= ~3u;
			r->off = p->off + rel;
			r->size = p->len - rel >= 4 ? 4 : 1;
			if (r->size == 1)
				r->off = off;
			snprintf(r->name, sizeof(r->name), "%s +0x%02x", where, r->off - p->off);
		}
		return true;
	}
	r->off = off & ~3u;
	r->size = 4;
	snprintf(r->name, sizeof(r->name), "0x%03x (in no capability)", r->off);
	return false;
}

size_t vi_pci_reg_fields(const struct vi_pci_reg *r, uint32_t a, uint32_t b,
			 const char **names, size_t max)
{
	const struct pf *f = r->fields;
	uint32_t diff = a ^ b, named = 0;
	size_t n = 0;

	if (!f)
		return 0;
	if (r->size < 4)
		diff &= (1u << (8 * r->size)) - 1;
	for (; f->name; f++) {
		uint32_t mask = f->width >= 32 ? ~0u << f->shift :
				((1u << f->width) - 1) << f->shift;

		if (f->kind == PF_FLAGS && f->tbl) {
			for (const struct vi_name *t = f->tbl; t->name; t++) {
				uint32_t bit = (uint32_t)(t->value << f->shift);

				named |= bit;
				if ((diff & bit) && n < max)
					names[n++] = t->name;
			}
			continue;
		}
		named |= mask;
		if ((diff & mask) && n < max)
			names[n++] = f->name;
	}
	if ((diff & ~named) && n < max)
		names[n++] = "unknown_bits";
	return n;
}
