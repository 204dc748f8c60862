// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-pci-caps.c - the standard capability list and its capabilities
 * (Power Management, MSI, MSI-X, Vendor Specific); PCI Express has its own
 * file (decode-pci-express.c).
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

static const struct vi_name pm_states[] = {
	{ 0, "D0" }, { 1, "D1" }, { 2, "D2" }, { 3, "D3hot" }, { 0, NULL }
};

static const struct vi_name pme_support[] = {
	{ 1u << 0, "D0" }, { 1u << 1, "D1" }, { 1u << 2, "D2" }, { 1u << 3, "D3hot" },
	{ 1u << 4, "D3cold" }, { 0, NULL }
};

/* PMC Aux_Current (PCI PM 1.2, 3.2.3) */
static const struct vi_name aux_currents[] = {
	{ 0, "0mA" }, { 1, "55mA" }, { 2, "100mA" }, { 3, "160mA" }, { 4, "220mA" },
	{ 5, "270mA" }, { 6, "320mA" }, { 7, "375mA" }, { 0, NULL }
};

static const struct pf pm_pmc[] = {
	{ "version", 0, 3, PF_U, 0, NULL }, { "pme_clock", 3, 1, PF_BOOL, 0, NULL },
	{ "immediate_readiness_d0", 4, 1, PF_BOOL, 0, NULL },
	{ "dsi", 5, 1, PF_BOOL, 0, NULL }, { "aux_current", 6, 3, PF_CODE, 0, aux_currents },
	{ "d1", 9, 1, PF_BOOL, 0, NULL }, { "d2", 10, 1, PF_BOOL, 0, NULL },
	{ "pme_support", 11, 5, PF_FLAGS, 0, pme_support }, PF_END
};

static const struct pf pm_pmcsr[] = {
	{ "power_state", 0, 2, PF_ENUM, 0, pm_states },
	{ "no_soft_reset", 3, 1, PF_BOOL, 0, NULL }, { "pme_enable", 8, 1, PF_BOOL, 0, NULL },
	{ "data_select", 9, 4, PF_U, 0, NULL }, { "data_scale", 13, 2, PF_U, 0, NULL },
	{ "pme_status", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

const struct preg vi_pcid_pm_regs[] = {
	{ "pmc", "PMC", 2, 2, pm_pmc }, { "pmcsr", "PMCSR", 4, 2, pm_pmcsr },
	{ NULL, NULL, 0, 0, NULL }
};

const struct pf vi_pcid_msi_ctrl[] = {
	{ "enable", 0, 1, PF_BOOL, 0, NULL }, { "vectors_capable", 1, 3, PF_POW2, 0, NULL },
	{ "vectors_enabled", 4, 3, PF_POW2, 0, NULL }, { "64bit", 7, 1, PF_BOOL, 0, NULL },
	{ "per_vector_masking", 8, 1, PF_BOOL, 0, NULL },
	{ "extended_message_data", 9, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf msix_ctrl[] = {
	{ "table_size", 0, 11, PF_PLUS1, 0, NULL }, { "function_mask", 14, 1, PF_BOOL, 0, NULL },
	{ "enable", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf msix_bir[] = {
	{ "bar", 0, 3, PF_U, 0, NULL }, { "offset", 3, 29, PF_MUL, 8, NULL }, PF_END
};

const struct preg vi_pcid_msix_regs[] = {
	{ "control", "Message Control", 2, 2, msix_ctrl },
	{ "table", "Table", 4, 4, msix_bir }, { "pba", "PBA", 8, 4, msix_bir },
	{ NULL, NULL, 0, 0, NULL }
};

static void cap_msi(struct vi_emit *em, struct vi_bytes c, uint8_t at)
{
	static const struct preg ctrl[] = {
		{ "control", "Message Control", 2, 2, vi_pcid_msi_ctrl }, { NULL, NULL, 0, 0, NULL }
	};
	uint16_t mc = 0;
	size_t o = at + 4;

	if (!vi_pcid_regs(em, c, at, ctrl) || vi_u16(c, at + 2, &mc))
		return;
	if (!vi_bytes_has(c, o, (mc & 0x80) ? 8 : 4) || !vi_bytes_has(c, o + ((mc & 0x80) ? 8 : 4), 2)) {
		em_note(em, VI_NOTE_ERROR, "MSI capability is cut off");
		return;
	}
	if (mc & 0x80) {
		em_hex(em, "address", vi_get64(vi_bytes_make(c.p, c.len, false), o));
		o += 8;
	} else {
		em_hex(em, "address", vi_get32(vi_bytes_make(c.p, c.len, false), o));
		o += 4;
	}
	em_hex(em, "data", (uint16_t)vi_load(c.p + o, 2, false));
	o += 4;
	if (mc & 0x100) {
		uint32_t m = 0, p = 0;

		if (vi_u32(c, o, &m) || vi_u32(c, o + 4, &p)) {
			em_note(em, VI_NOTE_ERROR, "MSI mask and pending bits are cut off");
			return;
		}
		em_hex(em, "mask", m);
		em_hex(em, "pending", p);
	}
}

static void cap_vendor(struct vi_emit *em, struct vi_bytes c, uint8_t at)
{
	uint8_t len = 0;

	if (vi_u8(c, at + 2, &len))
		return;
	em_u64(em, "length", len);
	if (len > 3)
		vi_pcid_raw(em, c, at + 3, len - 3u);
}

static char sign(bool b)
{
	return b ? '+' : '-';
}

/* A virtio device's vendor capabilities (virtio 1.x, 4.1.4) name the
 * structure they point to, as lspci says them. */
static bool virtio_cfg_type(struct vi_bytes c, uint8_t at, char *buf, size_t len,
			    const char *t)
{
	static const struct vi_name types[] = {
		{ 1, "CommonCfg" }, { 2, "Notify" }, { 3, "ISR" }, { 4, "DeviceCfg" },
		{ 0, NULL }
	};
	uint16_t vendor = 0, device = 0;
	uint8_t type = 0;
	const char *n;

	if (vi_u16(c, 0, &vendor) || vi_u16(c, 2, &device) || vendor != 0x1af4 ||
	    device < 0x1000 || device > 0x107f || vi_u8(c, at + 3u, &type))
		return false;
	n = vi_name_of(types, type);
	snprintf(buf, len, "%s: VirtIO: %s", t, n ? n : "<unknown>");
	return true;
}

void vi_pci_cap_title(struct vi_bytes cfg, uint8_t at, char *buf, size_t len)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint8_t id = 0, b = 0;
	uint16_t w = 0;
	const char *t;

	if (vi_u8(c, at, &id)) {
		snprintf(buf, len, "capability cut off");
		return;
	}
	t = vi_name_of(vi_pci_cap_titles, id);
	if (!t) {
		snprintf(buf, len, "unknown capability 0x%02x", id);
		return;
	}
	switch (id) {
	case 0x01:
		if (!vi_u16(c, at + 2u, &w)) {
			snprintf(buf, len, "%s version %u", t, w & 7u);
			return;
		}
		break;
	case 0x05:
		if (!vi_u16(c, at + 2u, &w)) {
			snprintf(buf, len, "%s: Enable%c Count=%u/%u Maskable%c 64bit%c", t,
				 sign(w & 1u), 1u << ((w >> 4) & 7u), 1u << ((w >> 1) & 7u),
				 sign(w & 0x100u), sign(w & 0x80u));
			return;
		}
		break;
	case 0x09:
		if (virtio_cfg_type(c, at, buf, len, t))
			return;
		if (!vi_u8(c, at + 2u, &b)) {
			snprintf(buf, len, "%s: Len=%02x", t, b);
			return;
		}
		break;
	case 0x10:
		if (vi_pcid_express_title(c, at, buf, len))
			return;
		break;
	case 0x11:
		if (!vi_u16(c, at + 2u, &w)) {
			snprintf(buf, len, "%s: Enable%c Count=%u Masked%c", t, sign(w & 0x8000u),
				 (w & 0x7ffu) + 1u, sign(w & 0x4000u));
			return;
		}
		break;
	default:
		break;
	}
	snprintf(buf, len, "%s", t);
}

/* The capability list; @deep decodes each capability's registers.  In a
 * @short_view (sysfs gives 64 bytes without CAP_SYS_ADMIN) a list that
 * runs past what was read is expected, not an error. */
void vi_pcid_std_caps(struct vi_emit *em, struct vi_bytes c, uint8_t first, bool deep,
		     bool short_view)
{
	uint8_t seen[CFG_STD / 8];
	uint8_t ptr = first & 0xfc;
	unsigned int n = 0;

	memset(seen, 0, sizeof(seen));
	em_arr_begin(em, "capabilities", NULL);
	while (ptr) {
		uint8_t id = 0, next = 0;
		char title[96];

		if (short_view && ptr >= 0x40 && !vi_bytes_has(c, ptr, 2)) {
			em_note(em, VI_NOTE_INFO, "the capability at 0x%02x lies past the "
				"%zu bytes read: the list is not shown", ptr, c.len);
			break;
		}
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
		vi_pci_cap_title(c, ptr, title, sizeof(title));
		em_obj_begin(em, NULL, "[%02x] %s", ptr, title);
		em_detail_begin(em);
		em_hex(em, "offset", ptr);
		em_enum(em, "id", id, vi_pci_cap_ids);
		em_hex(em, "next", next);
		em_detail_end(em);
		if (deep) switch (id) {
		case 0x01:
			vi_pcid_regs(em, c, ptr, vi_pcid_pm_regs);
			break;
		case 0x05:
			cap_msi(em, c, ptr);
			break;
		case 0x09:
			cap_vendor(em, c, ptr);
			break;
		case 0x10:
			vi_pcid_express(em, c, ptr);
			break;
		case 0x11:
			vi_pcid_regs(em, c, ptr, vi_pcid_msix_regs);
			break;
		default:
			/* not decoded: the dwords up to the next capability */
			vi_pcid_raw(em, c, ptr + 2u, next > ptr ? (size_t)(next - ptr - 2) : 14);
			break;
		}
		em_obj_end(em);
		ptr = next & 0xfc;
		if (++n >= 48)
			break;
	}
	em_arr_end(em);
}

/* The extended capability list; @deep decodes each one's registers. */
