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

#include <stdio.h>
#include <string.h>

#include "decode-caps.h"

#define CFG_STD		256
#define CFG_EXT		4096


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

/* ==== config space to lspci -vvv depth: registers and fields as data ==== */

enum pf_kind {
	PF_BOOL,	/* one bit: yes/no */
	PF_U,		/* number */
	PF_HEX,
	PF_ENUM,	/* with tbl */
	PF_FLAGS,	/* the field's bits, shifted down, with tbl */
	PF_SHL,		/* arg << value (sizes: 128 << n bytes) */
	PF_PLUS1,	/* value + 1 (table sizes) */
	PF_POW2,	/* 1 << value (vector counts) */
	PF_MUL,		/* arg * value (offsets in units) */
	PF_ZERO_IS,	/* value, where 0 encodes arg (Max End-End TLP Prefixes) */
};

struct pf {
	const char *name;
	uint8_t shift, width;
	uint8_t kind;
	uint32_t arg;
	const struct vi_name *tbl;
};

struct preg {
	const char *key;	/* JSON member */
	const char *label;	/* text heading, as lspci names it */
	uint16_t off;		/* from the capability */
	uint8_t size;		/* 1, 2, 4 */
	const struct pf *f;	/* NULL-name terminated; NULL: value only */
};

#define PF_END { NULL, 0, 0, 0, 0, NULL }

/* As a register's field list: the register is a plain count. */
static const struct pf pf_dec[] = { PF_END };

static const struct vi_name pci_command_bits[] = {
	{ 1u << 0, "IO" }, { 1u << 1, "MEMORY" }, { 1u << 2, "BUS_MASTER" },
	{ 1u << 3, "SPECIAL_CYCLES" }, { 1u << 4, "MWI" }, { 1u << 5, "VGA_SNOOP" },
	{ 1u << 6, "PARITY" }, { 1u << 7, "STEPPING" }, { 1u << 8, "SERR" },
	{ 1u << 9, "FAST_B2B" }, { 1u << 10, "INTX_DISABLE" }, { 0, NULL }
};

static const struct vi_name pci_status_bits[] = {
	{ 1u << 0, "IMMEDIATE_READINESS" }, { 1u << 3, "INTX" }, { 1u << 4, "CAP_LIST" },
	{ 1u << 5, "66MHZ" }, { 1u << 7, "FAST_B2B" }, { 1u << 8, "MASTER_PARITY_ERROR" },
	{ 1u << 11, "SIG_TARGET_ABORT" }, { 1u << 12, "RCV_TARGET_ABORT" },
	{ 1u << 13, "RCV_MASTER_ABORT" }, { 1u << 14, "SIG_SYSTEM_ERROR" },
	{ 1u << 15, "DETECTED_PARITY_ERROR" }, { 0, NULL }
};

static const struct vi_name devsel_names[] = {
	{ 0, "fast" }, { 1, "medium" }, { 2, "slow" }, { 0, NULL }
};

static const struct vi_name pm_states[] = {
	{ 0, "D0" }, { 1, "D1" }, { 2, "D2" }, { 3, "D3hot" }, { 0, NULL }
};

static const struct vi_name pme_support[] = {
	{ 1u << 0, "D0" }, { 1u << 1, "D1" }, { 1u << 2, "D2" }, { 1u << 3, "D3hot" },
	{ 1u << 4, "D3cold" }, { 0, NULL }
};

static const struct pf pm_pmc[] = {
	{ "version", 0, 3, PF_U, 0, NULL }, { "pme_clock", 3, 1, PF_BOOL, 0, NULL },
	{ "immediate_readiness_d0", 4, 1, PF_BOOL, 0, NULL },
	{ "dsi", 5, 1, PF_BOOL, 0, NULL }, { "aux_current", 6, 3, PF_U, 0, NULL },
	{ "d1", 9, 1, PF_BOOL, 0, NULL }, { "d2", 10, 1, PF_BOOL, 0, NULL },
	{ "pme_support", 11, 5, PF_FLAGS, 0, pme_support }, PF_END
};

static const struct pf pm_pmcsr[] = {
	{ "power_state", 0, 2, PF_ENUM, 0, pm_states },
	{ "no_soft_reset", 3, 1, PF_BOOL, 0, NULL }, { "pme_enable", 8, 1, PF_BOOL, 0, NULL },
	{ "data_select", 9, 4, PF_U, 0, NULL }, { "data_scale", 13, 2, PF_U, 0, NULL },
	{ "pme_status", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct preg pm_regs[] = {
	{ "pmc", "PMC", 2, 2, pm_pmc }, { "pmcsr", "PMCSR", 4, 2, pm_pmcsr },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf msi_ctrl[] = {
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

static const struct preg msix_regs[] = {
	{ "control", "Message Control", 2, 2, msix_ctrl },
	{ "table", "Table", 4, 4, msix_bir }, { "pba", "PBA", 8, 4, msix_bir },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct vi_name pcie_types[] = {
	{ 0, "Endpoint" }, { 1, "Legacy Endpoint" }, { 4, "Root Port" },
	{ 5, "Upstream Port" }, { 6, "Downstream Port" }, { 7, "PCIe to PCI/PCI-X bridge" },
	{ 8, "PCI/PCI-X to PCIe bridge" }, { 9, "Root Complex Integrated Endpoint" },
	{ 10, "Root Complex Event Collector" }, { 0, NULL }
};

/* Link speed encodings of LnkCap, LnkSta (PCIe Base 7.0). */
static const struct vi_name link_speeds[] = {
	{ 1, "2.5GT/s" }, { 2, "5GT/s" }, { 3, "8GT/s" }, { 4, "16GT/s" }, { 5, "32GT/s" },
	{ 6, "64GT/s" }, { 7, "128GT/s" }, { 0, NULL }
};

/* LnkCtl2 Target Link Speed: the same, and 0, which a function that
 * supports only 2.5GT/s may hardwire (lspci: "hardwire to 0 means only the
 * 2.5GT/s is supported"); the value stays 0 next to the name. */
static const struct vi_name target_speeds[] = {
	{ 0, "2.5GT/s" }, { 1, "2.5GT/s" }, { 2, "5GT/s" }, { 3, "8GT/s" }, { 4, "16GT/s" },
	{ 5, "32GT/s" }, { 6, "64GT/s" }, { 7, "128GT/s" }, { 0, NULL }
};

/* LnkCtl2 Selectable De-emphasis, LnkSta2 Current De-emphasis Level */
static const struct vi_name deemphasis_names[] = {
	{ 0, "-6dB" }, { 1, "-3.5dB" }, { 0, NULL }
};

static const struct vi_name crosslink_names[] = {
	{ 0, "unsupported" }, { 1, "Upstream Port" }, { 2, "Downstream Port" },
	{ 3, "incomplete" }, { 0, NULL }
};

/* LnkSta2 Downstream Component Presence; 3, 6 and 7 are reserved */
static const struct vi_name component_presence[] = {
	{ 0, "Link Down - Not Determined" }, { 1, "Link Down - Not Present" },
	{ 2, "Link Down - Present" }, { 4, "Link Up - Present" },
	{ 5, "Link Up - Present and DRS Received" }, { 0, NULL }
};

/* DevCap2 Emergency Power Reduction Supported; 3 is reserved */
static const struct vi_name epr_names[] = {
	{ 0, "Not Supported" }, { 1, "Dev Specific" }, { 2, "Form Factor Dev Specific" },
	{ 0, NULL }
};

/* DevCap2 LN System CLS; 3 is reserved */
static const struct vi_name ln_cls_names[] = {
	{ 0, "Not Supported" }, { 1, "64byte cachelines" }, { 2, "128byte cachelines" },
	{ 0, NULL }
};

/* SltCtl Attention and Power Indicator Control; 0 is reserved */
static const struct vi_name indicator_names[] = {
	{ 1, "On" }, { 2, "Blink" }, { 3, "Off" }, { 0, NULL }
};

static const struct vi_name aspm_names[] = {
	{ 0, "none" }, { 1, "L0s" }, { 2, "L1" }, { 3, "L0s L1" }, { 0, NULL }
};

static const struct pf pcie_caps[] = {
	{ "version", 0, 4, PF_U, 0, NULL }, { "type", 4, 4, PF_ENUM, 0, pcie_types },
	{ "slot", 8, 1, PF_BOOL, 0, NULL }, { "interrupt_message", 9, 5, PF_U, 0, NULL },
	{ "flit_mode", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_devcap[] = {
	{ "max_payload", 0, 3, PF_SHL, 128, NULL }, { "phantom_functions", 3, 2, PF_U, 0, NULL },
	{ "extended_tag", 5, 1, PF_BOOL, 0, NULL }, { "l0s_latency", 6, 3, PF_U, 0, NULL },
	{ "l1_latency", 9, 3, PF_U, 0, NULL },
	{ "attention_button", 12, 1, PF_BOOL, 0, NULL },
	{ "attention_indicator", 13, 1, PF_BOOL, 0, NULL },
	{ "power_indicator", 14, 1, PF_BOOL, 0, NULL },
	{ "role_based_error", 15, 1, PF_BOOL, 0, NULL },
	{ "err_cor_subclass", 16, 1, PF_BOOL, 0, NULL },
	{ "slot_power_limit", 18, 8, PF_U, 0, NULL }, { "slot_power_scale", 26, 2, PF_U, 0, NULL },
	{ "flr", 28, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_devctl[] = {
	{ "correctable_report", 0, 1, PF_BOOL, 0, NULL },
	{ "nonfatal_report", 1, 1, PF_BOOL, 0, NULL },
	{ "fatal_report", 2, 1, PF_BOOL, 0, NULL },
	{ "unsupported_report", 3, 1, PF_BOOL, 0, NULL },
	{ "relaxed_ordering", 4, 1, PF_BOOL, 0, NULL },
	{ "max_payload", 5, 3, PF_SHL, 128, NULL }, { "extended_tag", 8, 1, PF_BOOL, 0, NULL },
	{ "phantom_functions", 9, 1, PF_BOOL, 0, NULL }, { "aux_power_pm", 10, 1, PF_BOOL, 0, NULL },
	{ "no_snoop", 11, 1, PF_BOOL, 0, NULL }, { "max_read_request", 12, 3, PF_SHL, 128, NULL },
	{ "initiate_flr", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_devsta[] = {
	{ "correctable_error", 0, 1, PF_BOOL, 0, NULL },
	{ "nonfatal_error", 1, 1, PF_BOOL, 0, NULL }, { "fatal_error", 2, 1, PF_BOOL, 0, NULL },
	{ "unsupported_request", 3, 1, PF_BOOL, 0, NULL },
	{ "aux_power", 4, 1, PF_BOOL, 0, NULL },
	{ "transactions_pending", 5, 1, PF_BOOL, 0, NULL },
	{ "emergency_power_reduction", 6, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_lnkcap[] = {
	{ "max_speed", 0, 4, PF_ENUM, 0, link_speeds }, { "max_width", 4, 6, PF_U, 0, NULL },
	{ "aspm", 10, 2, PF_ENUM, 0, aspm_names }, { "l0s_exit_latency", 12, 3, PF_U, 0, NULL },
	{ "l1_exit_latency", 15, 3, PF_U, 0, NULL }, { "clock_pm", 18, 1, PF_BOOL, 0, NULL },
	{ "surprise_down", 19, 1, PF_BOOL, 0, NULL },
	{ "dll_active_reporting", 20, 1, PF_BOOL, 0, NULL },
	{ "bw_notification", 21, 1, PF_BOOL, 0, NULL },
	{ "aspm_optionality", 22, 1, PF_BOOL, 0, NULL }, { "port", 24, 8, PF_U, 0, NULL },
	PF_END
};

static const struct pf pcie_lnkctl[] = {
	{ "aspm", 0, 2, PF_ENUM, 0, aspm_names }, { "rcb_128", 3, 1, PF_BOOL, 0, NULL },
	{ "link_disable", 4, 1, PF_BOOL, 0, NULL }, { "retrain", 5, 1, PF_BOOL, 0, NULL },
	{ "common_clock", 6, 1, PF_BOOL, 0, NULL }, { "extended_synch", 7, 1, PF_BOOL, 0, NULL },
	{ "clock_pm", 8, 1, PF_BOOL, 0, NULL }, { "hw_autonomous_width_disable", 9, 1, PF_BOOL, 0, NULL },
	{ "bw_mgmt_interrupt", 10, 1, PF_BOOL, 0, NULL },
	{ "auto_bw_interrupt", 11, 1, PF_BOOL, 0, NULL },
	{ "flit_mode_disable", 13, 1, PF_BOOL, 0, NULL },
	{ "drs_signaling_control", 14, 2, PF_U, 0, NULL }, PF_END
};

static const struct pf pcie_lnksta[] = {
	{ "speed", 0, 4, PF_ENUM, 0, link_speeds }, { "width", 4, 6, PF_U, 0, NULL },
	{ "training_error", 10, 1, PF_BOOL, 0, NULL }, { "training", 11, 1, PF_BOOL, 0, NULL }, { "slot_clock", 12, 1, PF_BOOL, 0, NULL },
	{ "dll_active", 13, 1, PF_BOOL, 0, NULL }, { "bw_mgmt", 14, 1, PF_BOOL, 0, NULL },
	{ "auto_bw", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_devcap2[] = {
	{ "completion_timeout_ranges", 0, 4, PF_HEX, 0, NULL },
	{ "completion_timeout_disable", 4, 1, PF_BOOL, 0, NULL },
	{ "ari_forwarding", 5, 1, PF_BOOL, 0, NULL },
	{ "atomic_routing", 6, 1, PF_BOOL, 0, NULL }, { "atomic32", 7, 1, PF_BOOL, 0, NULL },
	{ "atomic64", 8, 1, PF_BOOL, 0, NULL }, { "cas128", 9, 1, PF_BOOL, 0, NULL },
	{ "no_ro_enabled_pr", 10, 1, PF_BOOL, 0, NULL }, { "ltr", 11, 1, PF_BOOL, 0, NULL },
	{ "tph_completer", 12, 2, PF_U, 0, NULL },
	{ "ln_system_cls", 14, 2, PF_ENUM, 0, ln_cls_names },
	{ "10bit_tag_completer", 16, 1, PF_BOOL, 0, NULL },
	{ "10bit_tag_requester", 17, 1, PF_BOOL, 0, NULL }, { "obff", 18, 2, PF_U, 0, NULL },
	{ "extended_fmt", 20, 1, PF_BOOL, 0, NULL }, { "eetlp_prefix", 21, 1, PF_BOOL, 0, NULL },
	{ "max_eetlp_prefixes", 22, 2, PF_ZERO_IS, 4, NULL },
	{ "emergency_power_reduction", 24, 2, PF_ENUM, 0, epr_names },
	{ "emergency_power_reduction_init", 26, 1, PF_BOOL, 0, NULL },
	{ "frs", 31, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_devctl2[] = {
	{ "completion_timeout", 0, 4, PF_U, 0, NULL },
	{ "completion_timeout_disable", 4, 1, PF_BOOL, 0, NULL },
	{ "ari_forwarding", 5, 1, PF_BOOL, 0, NULL },
	{ "atomic_requester", 6, 1, PF_BOOL, 0, NULL },
	{ "atomic_egress_blocking", 7, 1, PF_BOOL, 0, NULL },
	{ "ido_request", 8, 1, PF_BOOL, 0, NULL }, { "ido_completion", 9, 1, PF_BOOL, 0, NULL },
	{ "ltr", 10, 1, PF_BOOL, 0, NULL },
	{ "emergency_power_reduction_request", 11, 1, PF_BOOL, 0, NULL },
	{ "10bit_tag_requester", 12, 1, PF_BOOL, 0, NULL },
	{ "obff", 13, 2, PF_U, 0, NULL }, { "eetlp_prefix_blocking", 15, 1, PF_BOOL, 0, NULL },
	PF_END
};

static const struct pf pcie_lnkcap2[] = {
	{ "supported_speeds", 1, 7, PF_HEX, 0, NULL }, { "crosslink", 8, 1, PF_BOOL, 0, NULL },
	{ "lower_skp_os_generation_speeds", 9, 7, PF_HEX, 0, NULL },
	{ "lower_skp_os_reception_speeds", 16, 7, PF_HEX, 0, NULL },
	{ "retimer_presence_detect", 23, 1, PF_BOOL, 0, NULL },
	{ "two_retimers_presence_detect", 24, 1, PF_BOOL, 0, NULL },
	{ "drs", 31, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_lnkctl2[] = {
	{ "target_speed", 0, 4, PF_ENUM, 0, target_speeds },
	{ "enter_compliance", 4, 1, PF_BOOL, 0, NULL },
	{ "hw_autonomous_speed_disable", 5, 1, PF_BOOL, 0, NULL },
	{ "selectable_deemphasis", 6, 1, PF_ENUM, 0, deemphasis_names },
	{ "transmit_margin", 7, 3, PF_U, 0, NULL },
	{ "enter_modified_compliance", 10, 1, PF_BOOL, 0, NULL },
	{ "compliance_sos", 11, 1, PF_BOOL, 0, NULL },
	{ "compliance_preset", 12, 4, PF_U, 0, NULL }, PF_END
};

static const struct pf pcie_lnksta2[] = {
	{ "current_deemphasis", 0, 1, PF_ENUM, 0, deemphasis_names },
	{ "equalization_complete", 1, 1, PF_BOOL, 0, NULL },
	{ "equalization_phase1", 2, 1, PF_BOOL, 0, NULL },
	{ "equalization_phase2", 3, 1, PF_BOOL, 0, NULL },
	{ "equalization_phase3", 4, 1, PF_BOOL, 0, NULL },
	{ "link_equalization_request", 5, 1, PF_BOOL, 0, NULL },
	{ "retimer", 6, 1, PF_BOOL, 0, NULL }, { "two_retimers", 7, 1, PF_BOOL, 0, NULL },
	{ "crosslink_resolution", 8, 2, PF_ENUM, 0, crosslink_names },
	{ "flit_mode", 10, 1, PF_BOOL, 0, NULL },
	{ "downstream_component", 12, 3, PF_ENUM, 0, component_presence },
	{ "drs_message_received", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_sltcap[] = {
	{ "attention_button", 0, 1, PF_BOOL, 0, NULL },
	{ "power_controller", 1, 1, PF_BOOL, 0, NULL },
	{ "mrl_sensor", 2, 1, PF_BOOL, 0, NULL },
	{ "attention_indicator", 3, 1, PF_BOOL, 0, NULL },
	{ "power_indicator", 4, 1, PF_BOOL, 0, NULL },
	{ "hot_plug_surprise", 5, 1, PF_BOOL, 0, NULL },
	{ "hot_plug_capable", 6, 1, PF_BOOL, 0, NULL },
	{ "slot_power_limit", 7, 8, PF_U, 0, NULL }, { "slot_power_scale", 15, 2, PF_U, 0, NULL },
	{ "interlock", 17, 1, PF_BOOL, 0, NULL },
	{ "no_command_completed", 18, 1, PF_BOOL, 0, NULL },
	{ "physical_slot", 19, 13, PF_U, 0, NULL }, PF_END
};

static const struct pf pcie_sltctl[] = {
	{ "attention_button_enable", 0, 1, PF_BOOL, 0, NULL },
	{ "power_fault_enable", 1, 1, PF_BOOL, 0, NULL },
	{ "mrl_sensor_enable", 2, 1, PF_BOOL, 0, NULL },
	{ "presence_detect_enable", 3, 1, PF_BOOL, 0, NULL },
	{ "command_completed_enable", 4, 1, PF_BOOL, 0, NULL },
	{ "hot_plug_interrupt_enable", 5, 1, PF_BOOL, 0, NULL },
	{ "attention_indicator", 6, 2, PF_ENUM, 0, indicator_names },
	{ "power_indicator", 8, 2, PF_ENUM, 0, indicator_names },
	{ "power_controller_off", 10, 1, PF_BOOL, 0, NULL },
	{ "interlock_control", 11, 1, PF_BOOL, 0, NULL },
	{ "dll_state_changed_enable", 12, 1, PF_BOOL, 0, NULL },
	{ "auto_slot_power_limit_disable", 13, 1, PF_BOOL, 0, NULL },
	{ "inband_pd_disable", 14, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_sltsta[] = {
	{ "attention_button_pressed", 0, 1, PF_BOOL, 0, NULL },
	{ "power_fault", 1, 1, PF_BOOL, 0, NULL },
	{ "mrl_sensor_changed", 2, 1, PF_BOOL, 0, NULL },
	{ "presence_detect_changed", 3, 1, PF_BOOL, 0, NULL },
	{ "command_completed", 4, 1, PF_BOOL, 0, NULL },
	{ "mrl_open", 5, 1, PF_BOOL, 0, NULL },
	{ "presence_detect", 6, 1, PF_BOOL, 0, NULL },
	{ "interlock", 7, 1, PF_BOOL, 0, NULL },
	{ "dll_state_changed", 8, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_rootctl[] = {
	{ "serr_correctable", 0, 1, PF_BOOL, 0, NULL },
	{ "serr_nonfatal", 1, 1, PF_BOOL, 0, NULL }, { "serr_fatal", 2, 1, PF_BOOL, 0, NULL },
	{ "pme_interrupt", 3, 1, PF_BOOL, 0, NULL },
	{ "crs_visibility", 4, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_rootcap[] = {
	{ "crs_visibility", 0, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_rootsta[] = {
	{ "pme_requester_id", 0, 16, PF_HEX, 0, NULL }, { "pme_status", 16, 1, PF_BOOL, 0, NULL },
	{ "pme_pending", 17, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct preg pcie_regs[] = {
	{ "caps", "PCIe Capabilities", 2, 2, pcie_caps },
	{ "devcap", "DevCap", 4, 4, pcie_devcap }, { "devctl", "DevCtl", 8, 2, pcie_devctl },
	{ "devsta", "DevSta", 10, 2, pcie_devsta }, { "lnkcap", "LnkCap", 12, 4, pcie_lnkcap },
	{ "lnkctl", "LnkCtl", 16, 2, pcie_lnkctl }, { "lnksta", "LnkSta", 18, 2, pcie_lnksta },
	{ NULL, NULL, 0, 0, NULL }
};

/* Of a Root Port, Downstream Port or PCI/PCI-X to PCIe bridge whose Slot
 * Implemented bit is set (as lspci shows them). */
static const struct preg pcie_slot_regs[] = {
	{ "sltcap", "SltCap", 20, 4, pcie_sltcap }, { "sltctl", "SltCtl", 24, 2, pcie_sltctl },
	{ "sltsta", "SltSta", 26, 2, pcie_sltsta }, { NULL, NULL, 0, 0, NULL }
};

/* Of a Root Port or Root Complex Event Collector. */
static const struct preg pcie_root_regs[] = {
	{ "rootctl", "RootCtl", 28, 2, pcie_rootctl }, { "rootcap", "RootCap", 30, 2, pcie_rootcap },
	{ "rootsta", "RootSta", 32, 4, pcie_rootsta }, { NULL, NULL, 0, 0, NULL }
};

/* Capability version 2 adds these (v1 devices may leave them undefined). */
static const struct preg pcie_regs2[] = {
	{ "devcap2", "DevCap2", 36, 4, pcie_devcap2 }, { "devctl2", "DevCtl2", 40, 2, pcie_devctl2 },
	{ "lnkcap2", "LnkCap2", 44, 4, pcie_lnkcap2 }, { "lnkctl2", "LnkCtl2", 48, 2, pcie_lnkctl2 },
	{ "lnksta2", "LnkSta2", 50, 2, pcie_lnksta2 }, { NULL, NULL, 0, 0, NULL }
};

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

static const struct preg aer_regs[] = {
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

static const struct preg acs_regs[] = {
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

static const struct preg ats_regs[] = {
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

static const struct preg sriov_regs[] = {
	{ "capabilities", "IOVCap", 4, 4, sriov_cap }, { "control", "IOVCtl", 8, 2, sriov_ctl },
	{ "status", "IOVSta", 10, 2, sriov_sta },
	{ "initial_vfs", "Initial VFs", 12, 2, pf_dec }, { "total_vfs", "Total VFs", 14, 2, pf_dec },
	{ "num_vfs", "Number of VFs", 16, 2, pf_dec },
	{ "function_dependency_link", "Function Dependency Link", 18, 1, NULL },
	{ "vf_offset", "VF offset", 20, 2, pf_dec }, { "vf_stride", "VF stride", 22, 2, pf_dec },
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

static const struct preg vsec_regs[] = {
	{ "header", "VSEC header", 4, 4, vsec_hdr }, { NULL, NULL, 0, 0, NULL }
};

static const struct pf dvsec_hdr1[] = {
	{ "vendor_id", 0, 16, PF_HEX, 0, NULL }, { "revision", 16, 4, PF_U, 0, NULL },
	{ "length", 20, 12, PF_U, 0, NULL }, PF_END
};

static const struct pf dvsec_hdr2[] = { { "id", 0, 16, PF_HEX, 0, NULL }, PF_END };

static const struct preg dvsec_regs[] = {
	{ "header1", "DVSEC header 1", 4, 4, dvsec_hdr1 },
	{ "header2", "DVSEC header 2", 8, 2, dvsec_hdr2 }, { NULL, NULL, 0, 0, NULL }
};

static const struct preg dsn_regs[] = {
	{ "serial_low", "Serial (low)", 4, 4, NULL }, { "serial_high", "Serial (high)", 8, 4, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static const struct pf ari_cap[] = {
	{ "mfvc_groups", 0, 1, PF_BOOL, 0, NULL }, { "acs_groups", 1, 1, PF_BOOL, 0, NULL },
	{ "next_function", 8, 8, PF_U, 0, NULL }, PF_END
};

static const struct preg ari_regs[] = {
	{ "capability", "ARICap", 4, 2, ari_cap }, { "control", "ARICtl", 6, 2, NULL },
	{ NULL, NULL, 0, 0, NULL }
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
static bool emit_regs(struct vi_emit *em, struct vi_bytes c, size_t at, const struct preg *r)
{
	for (; r->key; r++) {
		uint32_t v, known = 0;

		if (!vi_bytes_has(c, at + r->off, r->size)) {
			em_note(em, VI_NOTE_ERROR, "%s at 0x%zx lies past the end of config "
				"space as read (%zu bytes)", r->label, at + r->off, c.len);
			return false;
		}
		v = (uint32_t)vi_load(c.p + at + r->off, r->size, false);
		if (!r->f || r->f == pf_dec) {
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

static void emit_raw(struct vi_emit *em, struct vi_bytes c, size_t at, size_t len)
{
	struct vi_bytes s = vi_bytes_sub(c, at, len);

	if (s.len)
		em_bytes(em, "raw", s.p, s.len);
}

static void cap_msi(struct vi_emit *em, struct vi_bytes c, uint8_t at)
{
	static const struct preg ctrl[] = {
		{ "control", "Message Control", 2, 2, msi_ctrl }, { NULL, NULL, 0, 0, NULL }
	};
	uint16_t mc = 0;
	size_t o = at + 4;

	if (!emit_regs(em, c, at, ctrl) || vi_u16(c, at + 2, &mc))
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

static bool pcie_has_slot(uint16_t caps)
{
	unsigned int type = (caps >> 4) & 0xf;

	return (caps & 0x100) && (type == 4 || type == 6 || type == 8);
}

static bool pcie_has_root(uint16_t caps)
{
	unsigned int type = (caps >> 4) & 0xf;

	return type == 4 || type == 10;
}

/* The PCI Express capability: device and link registers, slot registers
 * where there is a slot, root registers on a root port or event
 * collector, and from version 2 the second set. */
static void cap_pcie(struct vi_emit *em, struct vi_bytes c, uint8_t at)
{
	uint16_t caps = 0;

	if (!emit_regs(em, c, at, pcie_regs) || vi_u16(c, at + 2u, &caps))
		return;
	if (pcie_has_slot(caps) && !emit_regs(em, c, at, pcie_slot_regs))
		return;
	if (pcie_has_root(caps) && !emit_regs(em, c, at, pcie_root_regs))
		return;
	if ((caps & 0xf) >= 2)
		emit_regs(em, c, at, pcie_regs2);
}

static void cap_vendor(struct vi_emit *em, struct vi_bytes c, uint8_t at)
{
	uint8_t len = 0;

	if (vi_u8(c, at + 2, &len))
		return;
	em_u64(em, "length", len);
	if (len > 3)
		emit_raw(em, c, at + 3, len - 3u);
}

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

static void header_full(struct vi_emit *em, struct vi_bytes c)
{
	uint16_t cmd = 0, status = 0;

	vi_u16(c, 0x04, &cmd);
	vi_u16(c, 0x06, &status);
	em_flags(em, "command_bits", cmd, pci_command_bits);
	em_flags(em, "status_bits", status & ~0x0600u, pci_status_bits);
	em_enum(em, "devsel", (status >> 9) & 3, devsel_names);
}

/* The capability list; @deep decodes each capability's registers.  In a
 * @short_view (sysfs gives 64 bytes without CAP_SYS_ADMIN) a list that
 * runs past what was read is expected, not an error. */
static void std_caps(struct vi_emit *em, struct vi_bytes c, uint8_t first, bool deep,
		     bool short_view)
{
	uint8_t seen[CFG_STD / 8];
	uint8_t ptr = first & 0xfc;
	unsigned int n = 0;

	memset(seen, 0, sizeof(seen));
	em_arr_begin(em, "capabilities", NULL);
	while (ptr) {
		uint8_t id = 0, next = 0;
		const char *name;

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
		name = vi_name_of(vi_pci_cap_ids, id);
		em_obj_begin(em, NULL, "[%02x] %s", ptr, name ? name : "unknown");
		em_detail_begin(em);
		em_hex(em, "offset", ptr);
		em_enum(em, "id", id, vi_pci_cap_ids);
		em_hex(em, "next", next);
		em_detail_end(em);
		if (deep) switch (id) {
		case 0x01:
			emit_regs(em, c, ptr, pm_regs);
			break;
		case 0x05:
			cap_msi(em, c, ptr);
			break;
		case 0x09:
			cap_vendor(em, c, ptr);
			break;
		case 0x10:
			cap_pcie(em, c, ptr);
			break;
		case 0x11:
			emit_regs(em, c, ptr, msix_regs);
			break;
		default:
			/* not decoded: the dwords up to the next capability */
			emit_raw(em, c, ptr + 2u, next > ptr ? (size_t)(next - ptr - 2) : 14);
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
static void ext_caps(struct vi_emit *em, struct vi_bytes c, bool deep)
{
	uint8_t seen[CFG_EXT / 4 / 8];
	uint32_t off = 0x100;

	memset(seen, 0, sizeof(seen));
	em_arr_begin(em, "extended_capabilities", NULL);
	while (off) {
		uint32_t hdr, id, ver, next, span;
		const char *name;

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
		name = vi_name_of(vi_pci_ecap_ids, id);
		em_obj_begin(em, NULL, "[%03x] %s v%u", off, name ? name : "unknown", ver);
		em_detail_begin(em);
		em_hex(em, "offset", off);
		em_enum(em, "id", id, vi_pci_ecap_ids);
		em_u64(em, "version", ver);
		em_hex(em, "next", next);
		em_detail_end(em);
		if (deep) switch (id) {
		case 0x0001:
			emit_regs(em, c, off, aer_regs);
			break;
		case 0x0003:
			emit_regs(em, c, off, dsn_regs);
			break;
		case 0x000b: {
			uint32_t h = vi_get32(c, off + 4);
			emit_regs(em, c, off, vsec_regs);
			if ((h >> 20) > 8)
				emit_raw(em, c, off + 8, (h >> 20) - 8);
			break;
		}
		case 0x000d:
			emit_regs(em, c, off, acs_regs);
			break;
		case 0x000e:
			emit_regs(em, c, off, ari_regs);
			break;
		case 0x000f:
			emit_regs(em, c, off, ats_regs);
			break;
		case 0x0010:
			emit_regs(em, c, off, sriov_regs);
			break;
		case 0x0015:
		case 0x0024:
			ecap_rebar(em, c, off);
			break;
		case 0x0023: {
			uint32_t h = vi_get32(c, off + 4);
			emit_regs(em, c, off, dvsec_regs);
			if ((h >> 20) > 10)
				emit_raw(em, c, off + 10, (h >> 20) - 10);
			break;
		}
		default:
			emit_raw(em, c, off + 4, span > 4 ? span - 4 : 0);
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
		std_caps(em, c, capptr, deep, short_view);
	} else {
		em_arr_begin(em, "capabilities", NULL);
		em_arr_end(em);
	}
	if (c.len > CFG_STD) {
		ext_caps(em, c, deep);
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

/* ==== registers by offset: what `config --diff` names ==== */

/* The type 0 header, register by register. */
static const struct pf hdr_command[] = {
	{ "command", 0, 16, PF_FLAGS, 0, pci_command_bits }, PF_END
};

static const struct pf hdr_status[] = {
	{ "status", 0, 16, PF_FLAGS, 0, pci_status_bits },
	{ "devsel", 9, 2, PF_ENUM, 0, devsel_names }, PF_END
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
#define MSI_CTRL { "control", "Message Control", 2, 2, msi_ctrl }
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
	{ false, 0x01, pm_regs, NULL }, { false, 0x09, vendor_regs, NULL },
	{ false, 0x10, pcie_regs, pcie_regs2 }, { false, 0x11, msix_regs, NULL },
	{ true, 0x0001, aer_regs, NULL }, { true, 0x0003, dsn_regs, NULL },
	{ true, 0x000b, vsec_regs, NULL }, { true, 0x000d, acs_regs, NULL },
	{ true, 0x000e, ari_regs, NULL }, { true, 0x000f, ats_regs, NULL },
	{ true, 0x0010, sriov_regs, NULL }, { true, 0x0023, dvsec_regs, NULL },
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
	if (pcie_has_slot(w))
		r = find_preg(pcie_slot_regs, rel, p->len);
	if (!r && pcie_has_root(w))
		r = find_preg(pcie_root_regs, rel, p->len);
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
	r->fields = p->f == pf_dec ? NULL : p->f;
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
