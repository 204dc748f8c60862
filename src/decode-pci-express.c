// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-pci-express.c - the PCI Express capability: device, link, slot
 * and root registers and their fields.
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

/* DevCap acceptable latencies and LnkCap exit latencies (PCIe Base 7.0,
 * 7.5.3.3 and 7.5.3.6), in lspci's words */
static const struct vi_name l0s_acceptable[] = {
	{ 0, "<64ns" }, { 1, "<128ns" }, { 2, "<256ns" }, { 3, "<512ns" }, { 4, "<1us" },
	{ 5, "<2us" }, { 6, "<4us" }, { 7, "unlimited" }, { 0, NULL }
};
static const struct vi_name l1_acceptable[] = {
	{ 0, "<1us" }, { 1, "<2us" }, { 2, "<4us" }, { 3, "<8us" }, { 4, "<16us" },
	{ 5, "<32us" }, { 6, "<64us" }, { 7, "unlimited" }, { 0, NULL }
};
static const struct vi_name l0s_exit[] = {
	{ 0, "<64ns" }, { 1, "<128ns" }, { 2, "<256ns" }, { 3, "<512ns" }, { 4, "<1us" },
	{ 5, "<2us" }, { 6, "<4us" }, { 7, ">4us" }, { 0, NULL }
};
static const struct vi_name l1_exit[] = {
	{ 0, "<1us" }, { 1, "<2us" }, { 2, "<4us" }, { 3, "<8us" }, { 4, "<16us" },
	{ 5, "<32us" }, { 6, "<64us" }, { 7, ">64us" }, { 0, NULL }
};

static const struct pf pcie_caps[] = {
	{ "version", 0, 4, PF_U, 0, NULL }, { "type", 4, 4, PF_ENUM, 0, pcie_types },
	{ "slot", 8, 1, PF_BOOL, 0, NULL }, { "interrupt_message", 9, 5, PF_U, 0, NULL },
	{ "flit_mode", 15, 1, PF_BOOL, 0, NULL }, PF_END
};

static const struct pf pcie_devcap[] = {
	{ "max_payload", 0, 3, PF_SHL, 128, NULL }, { "phantom_functions", 3, 2, PF_U, 0, NULL },
	{ "extended_tag", 5, 1, PF_BOOL, 0, NULL },
	{ "l0s_latency", 6, 3, PF_CODE, 0, l0s_acceptable },
	{ "l1_latency", 9, 3, PF_CODE, 0, l1_acceptable },
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
	{ "max_speed", 0, 4, PF_SPEED, 0, link_speeds }, { "max_width", 4, 6, PF_WIDTH, 0, NULL },
	{ "aspm", 10, 2, PF_ENUM, 0, aspm_names },
	{ "l0s_exit_latency", 12, 3, PF_CODE, 0, l0s_exit },
	{ "l1_exit_latency", 15, 3, PF_CODE, 0, l1_exit }, { "clock_pm", 18, 1, PF_BOOL, 0, NULL },
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
	{ "speed", 0, 4, PF_SPEED, 0, link_speeds }, { "width", 4, 6, PF_WIDTH, 0, NULL },
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
	{ "target_speed", 0, 4, PF_SPEED, 0, target_speeds },
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

const struct preg vi_pcid_express_regs[] = {
	{ "caps", "PCIe Capabilities", 2, 2, pcie_caps },
	{ "devcap", "DevCap", 4, 4, pcie_devcap }, { "devctl", "DevCtl", 8, 2, pcie_devctl },
	{ "devsta", "DevSta", 10, 2, pcie_devsta }, { "lnkcap", "LnkCap", 12, 4, pcie_lnkcap },
	{ "lnkctl", "LnkCtl", 16, 2, pcie_lnkctl }, { "lnksta", "LnkSta", 18, 2, pcie_lnksta },
	{ NULL, NULL, 0, 0, NULL }
};

/* Of a Root Port, Downstream Port or PCI/PCI-X to PCIe bridge whose Slot
 * Implemented bit is set (as lspci shows them). */
const struct preg vi_pcid_slot_regs[] = {
	{ "sltcap", "SltCap", 20, 4, pcie_sltcap }, { "sltctl", "SltCtl", 24, 2, pcie_sltctl },
	{ "sltsta", "SltSta", 26, 2, pcie_sltsta }, { NULL, NULL, 0, 0, NULL }
};

/* Of a Root Port or Root Complex Event Collector. */
const struct preg vi_pcid_root_regs[] = {
	{ "rootctl", "RootCtl", 28, 2, pcie_rootctl }, { "rootcap", "RootCap", 30, 2, pcie_rootcap },
	{ "rootsta", "RootSta", 32, 4, pcie_rootsta }, { NULL, NULL, 0, 0, NULL }
};

/* Capability version 2 adds these (v1 devices may leave them undefined). */
const struct preg vi_pcid_express_regs2[] = {
	{ "devcap2", "DevCap2", 36, 4, pcie_devcap2 }, { "devctl2", "DevCtl2", 40, 2, pcie_devctl2 },
	{ "lnkcap2", "LnkCap2", 44, 4, pcie_lnkcap2 }, { "lnkctl2", "LnkCtl2", 48, 2, pcie_lnkctl2 },
	{ "lnksta2", "LnkSta2", 50, 2, pcie_lnksta2 }, { NULL, NULL, 0, 0, NULL }
};

bool vi_pcid_has_slot(uint16_t caps)
{
	unsigned int type = (caps >> 4) & 0xf;

	return (caps & 0x100) && (type == 4 || type == 6 || type == 8);
}

bool vi_pcid_has_root(uint16_t caps)
{
	unsigned int type = (caps >> 4) & 0xf;

	return type == 4 || type == 10;
}

/* The PCI Express capability: device and link registers, slot registers
 * where there is a slot, root registers on a root port or event
 * collector, and from version 2 the second set. */
void vi_pcid_express(struct vi_emit *em, struct vi_bytes c, uint8_t at)
{
	uint16_t caps = 0;

	if (!vi_pcid_regs(em, c, at, vi_pcid_express_regs) || vi_u16(c, at + 2u, &caps))
		return;
	if (vi_pcid_has_slot(caps) && !vi_pcid_regs(em, c, at, vi_pcid_slot_regs))
		return;
	if (vi_pcid_has_root(caps) && !vi_pcid_regs(em, c, at, vi_pcid_root_regs))
		return;
	if ((caps & 0xf) >= 2)
		vi_pcid_regs(em, c, at, vi_pcid_express_regs2);
}

/* lspci's heading: "Express (v2) Endpoint, MSI 00". */
bool vi_pcid_express_title(struct vi_bytes c, uint8_t at, char *buf, size_t len)
{
	static const struct vi_name types[] = {
		{ 0, "Endpoint" }, { 1, "Legacy Endpoint" }, { 4, "Root Port" },
		{ 5, "Upstream Port" }, { 6, "Downstream Port" },
		{ 7, "PCI-Express to PCI/PCI-X Bridge" }, { 8, "PCI/PCI-X to PCI-Express Bridge" },
		{ 9, "Root Complex Integrated Endpoint" }, { 10, "Root Complex Event Collector" },
		{ 0, NULL }
	};
	uint16_t w = 0;
	unsigned int ver, type;
	const char *tn;
	char vbuf[16], tbuf[24];

	if (vi_u16(c, at + 2u, &w))
		return false;
	ver = w & 0xfu;
	type = (w >> 4) & 0xfu;
	tn = vi_name_of(types, type);
	if (!tn) {
		snprintf(tbuf, sizeof(tbuf), "Unknown type %u", type);
		tn = tbuf;
	}
	snprintf(vbuf, sizeof(vbuf), "(v%u) ", ver);
	snprintf(buf, len, "Express %s%s%s, MSI %02x", vbuf, tn,
		 vi_pcid_has_slot(w) ? " (Slot+)" : (type == 4 || type == 6) ? " (Slot-)" : "",
		 (w >> 9) & 0x1fu);
	return true;
}
