// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-pci-ecaps.c - the extended capability list (config space from
 * 0x100) and the extended capabilities the decoder knows.
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

static const struct vi_name aer_uncorrectable[] = {
	{ 1u << 4, "DLP" }, { 1u << 5, "SDES" }, { 1u << 12, "POISONED_TLP" },
	{ 1u << 13, "FCP" }, { 1u << 14, "COMPLETION_TIMEOUT" },
	{ 1u << 15, "COMPLETER_ABORT" }, { 1u << 16, "UNEXPECTED_COMPLETION" },
	{ 1u << 17, "RECEIVER_OVERFLOW" }, { 1u << 18, "MALFORMED_TLP" }, { 1u << 19, "ECRC" },
	{ 1u << 20, "UNSUPPORTED_REQUEST" }, { 1u << 21, "ACS_VIOLATION" },
	{ 1u << 22, "UNCORRECTABLE_INTERNAL" }, { 1u << 23, "MC_BLOCKED_TLP" },
	{ 1u << 24, "ATOMIC_EGRESS_BLOCKED" }, { 1u << 25, "TLP_PREFIX_BLOCKED" },
	{ 1u << 26, "POISONED_TLP_EGRESS_BLOCKED" }, { 0, NULL }
};

static const struct vi_name aer_correctable[] = {
	{ 1u << 0, "RECEIVER_ERROR" }, { 1u << 6, "BAD_TLP" }, { 1u << 7, "BAD_DLLP" },
	{ 1u << 8, "REPLAY_NUM_ROLLOVER" }, { 1u << 12, "REPLAY_TIMER_TIMEOUT" },
	{ 1u << 13, "ADVISORY_NONFATAL" }, { 1u << 14, "CORRECTED_INTERNAL" },
	{ 1u << 15, "HEADER_LOG_OVERFLOW" }, { 0, NULL }
};

static const struct pf aer_unc[] = { { "errors", 0, 32, PF_FLAGS, 0, aer_uncorrectable }, PF_END };
static const struct pf aer_cor[] = { { "errors", 0, 32, PF_FLAGS, 0, aer_correctable }, PF_END };
static const struct pf aer_capctl[] = {
	{ "first_error_pointer", 0, 5, PF_U, 0, NULL }, { "ecrc_gen_capable", 5, 1, PF_BOOL, 0, NULL },
	{ "ecrc_gen_enable", 6, 1, PF_BOOL, 0, NULL }, { "ecrc_check_capable", 7, 1, PF_BOOL, 0, NULL },
	{ "ecrc_check_enable", 8, 1, PF_BOOL, 0, NULL },
	{ "multiple_header_capable", 9, 1, PF_BOOL, 0, NULL },
	{ "multiple_header_enable", 10, 1, PF_BOOL, 0, NULL }, PF_END
};

const struct preg vi_pcid_aer_regs[] = {
	{ "uncorrectable_status", "UESta", 4, 4, aer_unc },
	{ "uncorrectable_mask", "UEMsk", 8, 4, aer_unc },
	{ "uncorrectable_severity", "UESvrt", 12, 4, aer_unc },
	{ "correctable_status", "CESta", 16, 4, aer_cor },
	{ "correctable_mask", "CEMsk", 20, 4, aer_cor },
	{ "capabilities_control", "AERCap", 24, 4, aer_capctl },
	{ "header_log_0", "HeaderLog 0", 28, 4, NULL }, { "header_log_1", "HeaderLog 1", 32, 4, NULL },
	{ "header_log_2", "HeaderLog 2", 36, 4, NULL }, { "header_log_3", "HeaderLog 3", 40, 4, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf acs_bits[] = {
	{ "source_validation", 0, 1, PF_BOOL, 0, NULL },
	{ "translation_blocking", 1, 1, PF_BOOL, 0, NULL },
	{ "p2p_request_redirect", 2, 1, PF_BOOL, 0, NULL },
	{ "p2p_completion_redirect", 3, 1, PF_BOOL, 0, NULL },
	{ "upstream_forwarding", 4, 1, PF_BOOL, 0, NULL },
	{ "p2p_egress_control", 5, 1, PF_BOOL, 0, NULL },
	{ "direct_translated_p2p", 6, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf acs_cap[] = {
	{ "source_validation", 0, 1, PF_BOOL, 0, NULL },
	{ "translation_blocking", 1, 1, PF_BOOL, 0, NULL },
	{ "p2p_request_redirect", 2, 1, PF_BOOL, 0, NULL },
	{ "p2p_completion_redirect", 3, 1, PF_BOOL, 0, NULL },
	{ "upstream_forwarding", 4, 1, PF_BOOL, 0, NULL },
	{ "p2p_egress_control", 5, 1, PF_BOOL, 0, NULL },
	{ "direct_translated_p2p", 6, 1, PF_BOOL, 0, NULL },
	{ "egress_control_vector_size", 8, 8, PF_U, 0, NULL }, PF_END
};

const struct preg vi_pcid_acs_regs[] = {
	{ "capability", "ACSCap", 4, 2, acs_cap }, { "control", "ACSCtl", 6, 2, acs_bits },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf ats_cap[] = {
	{ "invalidate_queue_depth", 0, 5, PF_U, 0, NULL },
	{ "page_aligned_request", 5, 1, PF_BOOL, 0, NULL },
	{ "global_invalidate", 6, 1, PF_BOOL, 0, NULL },
	{ "relaxed_ordering", 7, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf ats_ctl[] = {
	{ "smallest_translation_unit", 0, 5, PF_U, 0, NULL },
	{ "enable", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

const struct preg vi_pcid_ats_regs[] = {
	{ "capability", "ATSCap", 4, 2, ats_cap }, { "control", "ATSCtl", 6, 2, ats_ctl },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf sriov_cap[] = {
	{ "vf_migration", 0, 1, PF_BOOL, 0, NULL }, { "ari_preserved", 1, 1, PF_BOOL, 0, NULL },
	{ "vf_10bit_tag_requester", 2, 1, PF_BOOL, 0, NULL },
	{ "migration_interrupt_message", 21, 11, PF_U, 0, NULL }, PF_END
};

static const struct pf sriov_ctl[] = {
	{ "vf_enable", 0, 1, PF_BOOL, 0, NULL }, { "vf_migration_enable", 1, 1, PF_BOOL, 0, NULL },
	{ "vf_migration_interrupt", 2, 1, PF_BOOL, 0, NULL },
	{ "vf_memory_space", 3, 1, PF_BOOL, 0, NULL }, { "ari_hierarchy", 4, 1, PF_BOOL, 0, NULL },
	{ "vf_10bit_tag_requester", 5, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf sriov_sta[] = { { "vf_migration_status", 0, 1, PF_BOOL, 0, NULL }, PF_END };

const struct preg vi_pcid_sriov_regs[] = {
	{ "capabilities", "IOVCap", 4, 4, sriov_cap }, { "control", "IOVCtl", 8, 2, sriov_ctl },
	{ "status", "IOVSta", 10, 2, sriov_sta },
	{ "initial_vfs", "Initial VFs", 12, 2, vi_pcid_dec }, { "total_vfs", "Total VFs", 14, 2, vi_pcid_dec },
	{ "num_vfs", "Number of VFs", 16, 2, vi_pcid_dec },
	{ "function_dependency_link", "Function Dependency Link", 18, 1, NULL },
	{ "vf_offset", "VF offset", 20, 2, vi_pcid_dec }, { "vf_stride", "VF stride", 22, 2, vi_pcid_dec },
	{ "vf_device_id", "VF Device ID", 26, 2, NULL },
	{ "supported_page_sizes", "Supported Page Size", 28, 4, NULL },
	{ "system_page_size", "System Page Size", 32, 4, NULL },
	{ "vf_bar0", "VF BAR0", 36, 4, NULL }, { "vf_bar1", "VF BAR1", 40, 4, NULL },
	{ "vf_bar2", "VF BAR2", 44, 4, NULL }, { "vf_bar3", "VF BAR3", 48, 4, NULL },
	{ "vf_bar4", "VF BAR4", 52, 4, NULL }, { "vf_bar5", "VF BAR5", 56, 4, NULL },
	{ "migration_state_array", "VF Migration", 60, 4, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf vsec_hdr[] = {
	{ "id", 0, 16, PF_HEX, 0, NULL }, { "revision", 16, 4, PF_U, 0, NULL },
	{ "length", 20, 12, PF_U, 0, NULL }, PF_END
};

const struct preg vi_pcid_vsec_regs[] = {
	{ "header", "VSEC header", 4, 4, vsec_hdr }, { NULL, NULL, 0, 0, NULL }
};

static const struct pf dvsec_hdr1[] = {
	{ "vendor_id", 0, 16, PF_HEX, 0, NULL }, { "revision", 16, 4, PF_U, 0, NULL },
	{ "length", 20, 12, PF_U, 0, NULL }, PF_END
};

static const struct pf dvsec_hdr2[] = { { "id", 0, 16, PF_HEX, 0, NULL }, PF_END };

const struct preg vi_pcid_dvsec_regs[] = {
	{ "header1", "DVSEC header 1", 4, 4, dvsec_hdr1 },
	{ "header2", "DVSEC header 2", 8, 2, dvsec_hdr2 }, { NULL, NULL, 0, 0, NULL }
};

const struct preg vi_pcid_dsn_regs[] = {
	{ "serial_low", "Serial (low)", 4, 4, NULL }, { "serial_high", "Serial (high)", 8, 4, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf ari_cap[] = {
	{ "mfvc_groups", 0, 1, PF_BOOL, 0, NULL }, { "acs_groups", 1, 1, PF_BOOL, 0, NULL },
	{ "next_function", 8, 8, PF_U, 0, NULL }, PF_END
};

const struct preg vi_pcid_ari_regs[] = {
	{ "capability", "ARICap", 4, 2, ari_cap }, { "control", "ARICtl", 6, 2, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static void ecap_rebar(struct vi_emit *em, struct vi_bytes c, uint32_t at)
{
	uint32_t ctl0 = 0;
	unsigned int n;

	if (vi_u32(c, at + 8, &ctl0)) {
		em_note(em, VI_NOTE_ERROR, "Resizable BAR capability is cut off");
		return;
	}
	n = (ctl0 >> 5) & 7;
	em_u64(em, "entries", n);
	em_arr_begin(em, "bars", NULL);
	for (unsigned int i = 0; i < n && i < 6; i++) {
		uint32_t cap = 0, ctl = 0, cur;
		uint64_t sizes;

		if (vi_u32(c, at + 4 + 8 * i, &cap) || vi_u32(c, at + 8 + 8 * i, &ctl)) {
			em_note(em, VI_NOTE_ERROR, "Resizable BAR entry %u is cut off", i);
			break;
		}
		cur = (ctl >> 8) & 0x3f;
		sizes = (cap >> 4) & 0xfffffffu;
		em_obj_begin(em, NULL, "BAR %u: current %llu MB", ctl & 7,
			     cur < 44 ? (unsigned long long)(1ull << cur) : 0ull);
		em_u64(em, "bar", ctl & 7);
		em_hex(em, "supported_sizes_mb", sizes);	/* bit n: 1 MB << n */
		em_u64(em, "current_size_mb", cur < 44 ? 1ull << cur : 0);
		em_obj_end(em);
	}
	em_arr_end(em);
}

void vi_pci_ecap_title(struct vi_bytes cfg, uint32_t at, char *buf, size_t len)
{
	struct vi_bytes c = vi_bytes_make(cfg.p, cfg.len, false);
	uint32_t hdr = 0, h1 = 0, lo = 0, hi = 0;
	uint16_t h2 = 0;
	unsigned int id, ver;
	const char *t;
	char more[64] = "", unk[48];

	if (vi_u32(c, at, &hdr)) {
		snprintf(buf, len, "extended capability cut off");
		return;
	}
	id = hdr & 0xffffu;
	ver = (hdr >> 16) & 0xfu;
	t = vi_name_of(vi_pci_ecap_titles, id);
	if (!t) {
		snprintf(unk, sizeof(unk), id ? "unknown extended capability 0x%04x" : "Null",
			 id);
		t = unk;
	}
	/* what lspci puts on the heading line, then the version */
	switch (id) {
	case 0x0003:
		if (!vi_u32(c, at + 4u, &lo) && !vi_u32(c, at + 8u, &hi))
			vi_pci_dsn_text(((uint64_t)hi << 32) | lo, more, sizeof(more));
		break;
	case 0x000b:
		if (!vi_u32(c, at + 4u, &h1))
			snprintf(more, sizeof(more), ": ID=%04x Rev=%u Len=%03x", h1 & 0xffffu,
				 (h1 >> 16) & 0xfu, h1 >> 20);
		break;
	case 0x0023:
		if (!vi_u32(c, at + 4u, &h1) && !vi_u16(c, at + 8u, &h2))
			snprintf(more, sizeof(more), ": Vendor=%04x ID=%04x Rev=%u Len=%u",
				 h1 & 0xffffu, h2, (h1 >> 16) & 0xfu, h1 >> 20);
		break;
	default:
		break;
	}
	snprintf(buf, len, "%s%s (v%u)", t, more, ver);
}

void vi_pci_dsn_text(uint64_t sn, char *buf, size_t len)
{
	snprintf(buf, len, " %02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x",
		 (unsigned int)(sn >> 56) & 0xffu, (unsigned int)(sn >> 48) & 0xffu,
		 (unsigned int)(sn >> 40) & 0xffu, (unsigned int)(sn >> 32) & 0xffu,
		 (unsigned int)(sn >> 24) & 0xffu, (unsigned int)(sn >> 16) & 0xffu,
		 (unsigned int)(sn >> 8) & 0xffu, (unsigned int)sn & 0xffu);
}

/* The extended capability list; @deep decodes each one's registers. */
void vi_pcid_ext_caps(struct vi_emit *em, struct vi_bytes c, bool deep)
{
	uint8_t seen[CFG_EXT / 4 / 8];
	uint32_t off = 0x100;

	memset(seen, 0, sizeof(seen));
	em_arr_begin(em, "extended_capabilities", NULL);
	while (off) {
		uint32_t hdr, id, ver, next, span;
		char title[128];

		if (off < 0x100 || vi_u32(c, off, &hdr)) {
			em_note(em, VI_NOTE_ERROR, "extended capability at 0x%03x lies "
				"outside extended config space", off);
			break;
		}
		if (hdr == 0 || hdr == 0xffffffffu)
			break;
		if (seen[off / 4 / 8] & (1u << (off / 4 % 8))) {
			em_note(em, VI_NOTE_ERROR, "extended capability list loops back "
				"to 0x%03x", off);
			break;
		}
		seen[off / 4 / 8] |= (uint8_t)(1u << (off / 4 % 8));
		id = hdr & 0xffff;
		ver = (hdr >> 16) & 0xf;
		next = (hdr >> 20) & 0xffc;
		span = next > off ? next - off : 16;
		vi_pci_ecap_title(c, off, title, sizeof(title));
		em_obj_begin(em, NULL, "[%03x] %s", off, title);
		em_detail_begin(em);
		em_hex(em, "offset", off);
		em_enum(em, "id", id, vi_pci_ecap_ids);
		em_u64(em, "version", ver);
		em_hex(em, "next", next);
		/* one 64-bit number; the heading shows it as lspci does */
		if (id == 0x0003 && vi_bytes_has(c, off + 4u, 8))
			em_hex(em, "serial_number", vi_get64(c, off + 4u));
		em_detail_end(em);
		if (id == 0x0003 && !vi_bytes_has(c, off + 4u, 8))
			em_note(em, VI_NOTE_ERROR, "Device Serial Number at 0x%03x is cut off", off);
		if (deep) switch (id) {
		case 0x0001:
			vi_pcid_regs(em, c, off, vi_pcid_aer_regs);
			break;
		case 0x0003:	/* serial_number above */
			break;
		case 0x000b: {
			uint32_t h = vi_get32(c, off + 4);
			vi_pcid_regs(em, c, off, vi_pcid_vsec_regs);
			if ((h >> 20) > 8)
				vi_pcid_raw(em, c, off + 8, (h >> 20) - 8);
			break;
		}
		case 0x000d:
			vi_pcid_regs(em, c, off, vi_pcid_acs_regs);
			break;
		case 0x000e:
			vi_pcid_regs(em, c, off, vi_pcid_ari_regs);
			break;
		case 0x000f:
			vi_pcid_regs(em, c, off, vi_pcid_ats_regs);
			break;
		case 0x0010:
			vi_pcid_regs(em, c, off, vi_pcid_sriov_regs);
			break;
		case 0x0015:
		case 0x0024:
			ecap_rebar(em, c, off);
			break;
		case 0x0023: {
			uint32_t h = vi_get32(c, off + 4);
			vi_pcid_regs(em, c, off, vi_pcid_dvsec_regs);
			if ((h >> 20) > 10)
				vi_pcid_raw(em, c, off + 10, (h >> 20) - 10);
			break;
		}
		default:
			vi_pcid_raw(em, c, off + 4, span > 4 ? span - 4 : 0);
			break;
		}
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
