// SPDX-License-Identifier: GPL-2.0-or-later
/* names.c - every flag, enum, index and id name, as tables. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

const char *vi_name_of(const struct vi_name *tbl, uint64_t v)
{
	for (; tbl && tbl->name; tbl++)
		if (tbl->value == v)
			return tbl->name;
	return NULL;
}

uint64_t vi_flags_unknown(const struct vi_name *tbl, uint64_t v)
{
	for (; tbl && tbl->name; tbl++)
		v &= ~tbl->value;
	return v;
}

int vi_flags_join(const struct vi_name *tbl, uint64_t v, char *buf, size_t len)
{
	size_t used = 0;

	if (!len || vi_flags_unknown(tbl, v))
		return -1;
	buf[0] = '\0';
	for (; tbl && tbl->name; tbl++) {
		int n;

		if (!(v & tbl->value))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", tbl->name);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

int vi_flags_split(const struct vi_name *tbl, const char *s, uint64_t *v)
{
	uint64_t out = 0;

	while (*s) {
		size_t n = strcspn(s, "|");
		const struct vi_name *e = tbl;

		for (; e && e->name; e++)
			if (strlen(e->name) == n && strncmp(e->name, s, n) == 0)
				break;
		if (!e || !e->name)
			return -1;
		out |= e->value;
		s += n;
		if (*s == '|' && *++s == '\0')
			return -1;
	}
	*v = out;
	return 0;
}

#define BIT(n) (1ull << (n))

const struct vi_name vi_device_flags[] = {
	{ BIT(0), "RESET" }, { BIT(1), "PCI" }, { BIT(2), "PLATFORM" },
	{ BIT(3), "AMBA" }, { BIT(4), "CCW" }, { BIT(5), "AP" },
	{ BIT(6), "FSL_MC" }, { BIT(7), "CAPS" }, { BIT(8), "CDX" },
	{ 0, NULL }
};

const struct vi_name vi_region_flags[] = {
	{ BIT(0), "READ" }, { BIT(1), "WRITE" }, { BIT(2), "MMAP" },
	{ BIT(3), "CAPS" }, { 0, NULL }
};

const struct vi_name vi_irq_flags[] = {
	{ BIT(0), "EVENTFD" }, { BIT(1), "MASKABLE" }, { BIT(2), "AUTOMASKED" },
	{ BIT(3), "NORESIZE" }, { 0, NULL }
};

/* vfio_irq_set.flags: one DATA_ type and one ACTION_ type */
const struct vi_name vi_irq_set_flags[] = {
	{ BIT(0), "DATA_NONE" }, { BIT(1), "DATA_BOOL" }, { BIT(2), "DATA_EVENTFD" },
	{ BIT(3), "ACTION_MASK" }, { BIT(4), "ACTION_UNMASK" }, { BIT(5), "ACTION_TRIGGER" },
	{ 0, NULL }
};

/* devtree-2013: the next free bits of 2013 (spec/profiles.md) */
const struct vi_name vi_device_flags_devtree[] = {
	{ BIT(0), "RESET" }, { BIT(1), "PCI" }, { BIT(2), "PLATFORM" },
	{ BIT(3), "DEVTREE" }, { BIT(4), "CCW" }, { BIT(5), "AP" },
	{ BIT(6), "FSL_MC" }, { BIT(7), "CAPS" }, { BIT(8), "CDX" },
	{ 0, NULL }
};

const struct vi_name vi_region_flags_devtree[] = {
	{ BIT(0), "READ" }, { BIT(1), "WRITE" }, { BIT(2), "MMAP" },
	{ BIT(3), "CACHEABLE" }, { BIT(4), "DEVTREE_REG" },
	{ BIT(5), "DEVTREE_RANGE" }, { BIT(6), "DEVTREE_INDEX" },
	{ BIT(7), "DEVTREE_PATH" }, { 0, NULL }
};

const struct vi_name vi_irq_flags_devtree[] = {
	{ BIT(0), "EVENTFD" }, { BIT(1), "MASKABLE" }, { BIT(2), "AUTOMASKED" },
	{ BIT(3), "NORESIZE" }, { BIT(4), "DEVTREE_PATH" }, { 0, NULL }
};

/* irq-caps-2019 */
const struct vi_name vi_irq_flags_caps[] = {
	{ BIT(0), "EVENTFD" }, { BIT(1), "MASKABLE" }, { BIT(2), "AUTOMASKED" },
	{ BIT(3), "NORESIZE" }, { BIT(4), "CAPS" }, { 0, NULL }
};

/* zpci-iommu-2019: QGRP flags (the CLP response's) */
const struct vi_name vi_zpci_qgrp_flags[] = {
	{ BIT(0), "REFRESH" }, { BIT(1), "FRAME" }, { 0, NULL }
};

const struct vi_name vi_group_flags[] = {
	{ BIT(0), "VIABLE" }, { BIT(1), "CONTAINER_SET" }, { 0, NULL }
};

const struct vi_name vi_type1_info_flags[] = {
	{ BIT(0), "PGSIZES" }, { BIT(1), "CAPS" }, { 0, NULL }
};

const struct vi_name vi_extensions[] = {
	{ 1, "TYPE1_IOMMU" }, { 2, "SPAPR_TCE_IOMMU" }, { 3, "TYPE1v2_IOMMU" },
	{ 4, "DMA_CC_IOMMU" }, { 5, "EEH" }, { 6, "TYPE1_NESTING_IOMMU" },
	{ 7, "SPAPR_TCE_v2_IOMMU" }, { 8, "NOIOMMU_IOMMU" }, { 9, "UNMAP_ALL" },
	{ 10, "UPDATE_VADDR" }, { 0, NULL }
};

const struct vi_name vi_hot_reset_flags[] = {
	{ BIT(0), "DEV_ID" }, { BIT(1), "DEV_ID_OWNED" }, { 0, NULL }
};

const struct vi_name vi_feature_ids[] = {
	{ 0, "PCI_VF_TOKEN" }, { 1, "MIGRATION" }, { 2, "MIG_DEVICE_STATE" },
	{ 3, "LOW_POWER_ENTRY" }, { 4, "LOW_POWER_ENTRY_WITH_WAKEUP" },
	{ 5, "LOW_POWER_EXIT" }, { 6, "DMA_LOGGING_START" },
	{ 7, "DMA_LOGGING_STOP" }, { 8, "DMA_LOGGING_REPORT" },
	{ 9, "MIG_DATA_SIZE" }, { 10, "BUS_MASTER" }, { 11, "DMA_BUF" },
	{ 12, "MIG_PRECOPY_INFOv2" }, { 13, "ZPCI_ERROR" }, { 0, NULL }
};

/* What a refused PROBE of a feature means, from the kernel's code
 * (drivers/vfio/vfio_main.c vfio_ioctl_device_feature() and the drivers'
 * device_feature ops, Linux 7.3).  ENOTTY, neither the core nor the
 * driver knowing the id, needs no words. */
struct feature_refusal {
	uint32_t id;		/* UINT32_MAX: any id */
	int err;
	const char *meaning;
};

static const struct feature_refusal feature_refusals[] = {
	/* the core checks the device's migration flags before the PROBE
	 * (vfio_ioctl_device_feature_migration_precopy_info_v2) */
	{ 12, EINVAL, "the kernel knows it (Linux 7.2 on), but the device "
	  "offers no PRE_COPY migration" },
	/* vfio_pci_zdev_feature_err(): not a zPCI function */
	{ 13, ENODEV, "the kernel knows it, but the device is not an s390 "
	  "zPCI function" },
	{ UINT32_MAX, EINVAL, "the kernel knows it, but not for this "
	  "device or not with these flags" },
	{ 0, 0, NULL }
};

const char *vi_feature_refusal(uint32_t id, int err)
{
	for (const struct feature_refusal *f = feature_refusals; f->meaning; f++)
		if (f->id == id && f->err == err)
			return f->meaning;
	for (const struct feature_refusal *f = feature_refusals; f->meaning; f++)
		if (f->id == UINT32_MAX && f->err == err)
			return f->meaning;
	return NULL;
}

const struct vi_name vi_feature_dirs[] = {
	{ BIT(16), "GET" }, { BIT(17), "SET" }, { BIT(18), "PROBE" }, { 0, NULL }
};

const struct vi_name vi_migration_flags[] = {
	{ BIT(0), "STOP_COPY" }, { BIT(1), "P2P" }, { BIT(2), "PRE_COPY" },
	{ 0, NULL }
};

const struct vi_name vi_mig_states[] = {
	{ 0, "ERROR" }, { 1, "STOP" }, { 2, "RUNNING" }, { 3, "STOP_COPY" },
	{ 4, "RESUMING" }, { 5, "RUNNING_P2P" }, { 6, "PRE_COPY" },
	{ 7, "PRE_COPY_P2P" }, { 0, NULL }
};

const struct vi_name vi_zpci_group_flags[] = {
	{ BIT(0), "REFRESH" }, { 0, NULL }
};

const struct vi_name vi_atomic_comp_flags[] = {
	{ BIT(0), "COMP32" }, { BIT(1), "COMP64" }, { BIT(2), "COMP128" },
	{ 0, NULL }
};

const struct vi_name vi_hw_info_types[] = {
	{ 0, "NONE" }, { 1, "INTEL_VTD" }, { 2, "ARM_SMMUV3" },
	{ 3, "TEGRA241_CMDQV" }, { 4, "AMD" }, { 0, NULL }
};

const struct vi_name vi_hw_caps[] = {
	{ BIT(0), "DIRTY_TRACKING" }, { BIT(1), "PCI_PASID_EXEC" },
	{ BIT(2), "PCI_PASID_PRIV" }, { BIT(3), "PCI_ATS_NOT_SUPPORTED" },
	{ 0, NULL }
};

/* iommu_hw_info.flags (input) */
const struct vi_name vi_hw_info_flags[] = {
	{ BIT(0), "INPUT_TYPE" }, { 0, NULL }
};

const struct vi_name vi_vtd_flags[] = {
	{ BIT(0), "ERRATA_772415_SPR17" }, { 0, NULL }
};

const struct vi_name vi_smmuv3_flags[] = {
	{ BIT(0), "ERRATA_REPEAT_TLBI_CFGI" }, { 0, NULL }
};

/* iommu_hw_info_tegra241_cmdqv.flags: no bit is defined yet (the kernel
 * writes 0); a set bit is shown as unknown */
const struct vi_name vi_tegra241_flags[] = {
	{ 0, NULL }
};

const struct vi_name vi_gfx_link_states[] = {
	{ 1, "UP" }, { 2, "DOWN" }, { 0, NULL }
};

const struct vi_name vi_gfx_plane_flags[] = {
	{ BIT(0), "PROBE" }, { BIT(1), "DMABUF" }, { BIT(2), "REGION" }, { 0, NULL }
};

const struct vi_name vi_devinfo_cap_ids[] = {
	{ 1, "ZPCI_BASE" }, { 2, "ZPCI_GROUP" }, { 3, "ZPCI_UTIL" },
	{ 4, "ZPCI_PFIP" }, { 5, "PCI_ATOMIC_COMP" }, { 0, NULL }
};

const struct vi_name vi_region_cap_ids[] = {
	{ 1, "SPARSE_MMAP" }, { 2, "TYPE" }, { 3, "MSIX_MAPPABLE" },
	{ 4, "NVLINK2_SSATGT" }, { 5, "NVLINK2_LNKSPD" }, { 0, NULL }
};

const struct vi_name vi_iommu_cap_ids[] = {
	{ 1, "IOVA_RANGE" }, { 2, "MIGRATION" }, { 3, "DMA_AVAIL" }, { 0, NULL }
};

const struct vi_name vi_pci_region_idx[] = {
	{ 0, "BAR0" }, { 1, "BAR1" }, { 2, "BAR2" }, { 3, "BAR3" },
	{ 4, "BAR4" }, { 5, "BAR5" }, { 6, "ROM" }, { 7, "CONFIG" },
	{ 8, "VGA" }, { 0, NULL }
};

const struct vi_name vi_pci_irq_idx[] = {
	{ 0, "INTX" }, { 1, "MSI" }, { 2, "MSIX" }, { 3, "ERR" }, { 4, "REQ" },
	{ 0, NULL }
};

const struct vi_name vi_ccw_region_idx[] = {
	{ 0, "CONFIG" }, { 0, NULL }
};

const struct vi_name vi_ccw_irq_idx[] = {
	{ 0, "IO" }, { 1, "CRW" }, { 2, "REQ" }, { 0, NULL }
};

const struct vi_name vi_ap_irq_idx[] = {
	{ 0, "REQ" }, { 1, "CFG_CHG" }, { 0, NULL }
};

/* Region types: PCI vendor types carry bit 31 and the vendor id. */
#define PCI_VENDOR_TYPE 0x80000000u

static const struct vi_name region_types[] = {
	{ 1, "GFX" }, { 2, "CCW" }, { 3, "MIGRATION_DEPRECATED" },
	{ PCI_VENDOR_TYPE | 0x8086, "PCI_VENDOR_INTEL" },
	{ PCI_VENDOR_TYPE | 0x10de, "PCI_VENDOR_NVIDIA" },
	{ PCI_VENDOR_TYPE | 0x1014, "PCI_VENDOR_IBM" },
	{ 0, NULL }
};

struct subtype_name {
	uint32_t type, subtype;
	const char *name;
};

static const struct subtype_name region_subtypes[] = {
	{ PCI_VENDOR_TYPE | 0x8086, 1, "INTEL_IGD_OPREGION" },
	{ PCI_VENDOR_TYPE | 0x8086, 2, "INTEL_IGD_HOST_CFG" },
	{ PCI_VENDOR_TYPE | 0x8086, 3, "INTEL_IGD_LPC_CFG" },
	{ PCI_VENDOR_TYPE | 0x10de, 1, "NVIDIA_NVLINK2_RAM" },
	{ PCI_VENDOR_TYPE | 0x1014, 1, "IBM_NVLINK2_ATSD" },
	{ 1, 1, "GFX_EDID" },
	{ 2, 1, "CCW_ASYNC_CMD" },
	{ 2, 2, "CCW_SCHIB" },
	{ 2, 3, "CCW_CRW" },
	{ 3, 1, "MIGRATION_DEPRECATED" },
	{ 0, 0, NULL }
};

/* zpci-clp-region: IBM subtype 2 exists only in that proposal. */
static const struct subtype_name region_subtypes_zpci_clp[] = {
	{ PCI_VENDOR_TYPE | 0x1014, 2, "IBM_ZPCI_CLP" },
	{ 0, 0, NULL }
};

/* irq-caps-2019: VFIO_IRQ_INFO_CAP_TYPE */
static const struct vi_name irq_types[] = {
	{ 1, "GFX" }, { 0, NULL }
};

static const struct subtype_name irq_subtypes[] = {
	{ 1, 1, "GFX_DISPLAY_IRQ" },
	{ 0, 0, NULL }
};

static const char *subtype_lookup(const struct subtype_name *t, uint32_t type,
				  uint32_t subtype)
{
	for (; t->name; t++)
		if (t->type == type && t->subtype == subtype)
			return t->name;
	return NULL;
}

const char *vi_region_subtype_name_zpci_clp(uint32_t type, uint32_t subtype)
{
	return subtype_lookup(region_subtypes_zpci_clp, type, subtype);
}

const char *vi_irq_type_name(uint32_t type)
{
	return vi_name_of(irq_types, type);
}

const char *vi_irq_subtype_name(uint32_t type, uint32_t subtype)
{
	return subtype_lookup(irq_subtypes, type, subtype);
}

const char *vi_region_type_name(uint32_t type)
{
	return vi_name_of(region_types, type);
}

const char *vi_region_subtype_name(uint32_t type, uint32_t subtype)
{
	return subtype_lookup(region_subtypes, type, subtype);
}

/* PCI capability ids (PCI Local Bus spec, ECN list). */
const struct vi_name vi_pci_cap_ids[] = {
	{ 0x01, "PM" }, { 0x02, "AGP" }, { 0x03, "VPD" }, { 0x04, "SLOTID" },
	{ 0x05, "MSI" }, { 0x06, "CHSWP" }, { 0x07, "PCIX" }, { 0x08, "HT" },
	{ 0x09, "VNDR" }, { 0x0a, "DBG" }, { 0x0b, "CCRC" }, { 0x0c, "SHPC" },
	{ 0x0d, "SSVID" }, { 0x0e, "AGP3" }, { 0x0f, "SECDEV" }, { 0x10, "EXP" },
	{ 0x11, "MSIX" }, { 0x12, "SATA" }, { 0x13, "AF" }, { 0x14, "EA" },
	{ 0, NULL }
};

const struct vi_name vi_pci_ecap_ids[] = {
	{ 0x0001, "AER" }, { 0x0002, "VC" }, { 0x0003, "DSN" },
	{ 0x0004, "PWR" }, { 0x0005, "RCLD" }, { 0x0006, "RCILC" },
	{ 0x0007, "RCEC" }, { 0x0008, "MFVC" }, { 0x0009, "VC9" },
	{ 0x000a, "RCRB" }, { 0x000b, "VNDR" }, { 0x000c, "CAC" },
	{ 0x000d, "ACS" }, { 0x000e, "ARI" }, { 0x000f, "ATS" },
	{ 0x0010, "SRIOV" }, { 0x0011, "MRIOV" }, { 0x0012, "MCAST" },
	{ 0x0013, "PRI" }, { 0x0014, "AMD_XXX" }, { 0x0015, "REBAR" },
	{ 0x0016, "DPA" }, { 0x0017, "TPH" }, { 0x0018, "LTR" },
	{ 0x0019, "SECPCI" }, { 0x001a, "PMUX" }, { 0x001b, "PASID" },
	{ 0x001c, "LNR" }, { 0x001d, "DPC" }, { 0x001e, "L1SS" },
	{ 0x001f, "PTM" }, { 0x0020, "MPCIE" }, { 0x0021, "FRS" },
	{ 0x0022, "RTR" }, { 0x0023, "DVSEC" }, { 0x0024, "VF_REBAR" },
	{ 0x0025, "DLNK" }, { 0x0026, "PL_16GT" }, { 0x0027, "LMR" },
	{ 0x0028, "HIER_ID" }, { 0x0029, "NPEM" }, { 0x002a, "PL_32GT" },
	{ 0x002b, "ALT_PROT" }, { 0x002c, "SFI" }, { 0x002d, "SHADOW" },
	{ 0x002e, "DOE" }, { 0x002f, "DEV3" }, { 0x0030, "IDE" },
	{ 0x0031, "PL_64GT" },
	{ 0, NULL }
};

/* What lspci calls each capability: the heading's words (the decoders add
 * versions, types and the few values lspci puts on that line). */
const struct vi_name vi_pci_cap_titles[] = {
	{ 0x01, "Power Management" }, { 0x02, "AGP" }, { 0x03, "Vital Product Data" },
	{ 0x04, "Slot ID" }, { 0x05, "MSI" }, { 0x06, "CompactPCI hot-swap" },
	{ 0x07, "PCI-X" }, { 0x08, "HyperTransport" },
	{ 0x09, "Vendor Specific Information" }, { 0x0a, "Debug port" },
	{ 0x0b, "CompactPCI central resource control" }, { 0x0c, "Hot-plug capable" },
	{ 0x0d, "Subsystem" }, { 0x0e, "AGP3" }, { 0x0f, "Secure device" },
	{ 0x10, "Express" }, { 0x11, "MSI-X" }, { 0x12, "SATA HBA" },
	{ 0x13, "PCI Advanced Features" }, { 0x14, "PCI Enhanced Allocation" },
	{ 0x15, "Flattening Portal Bridge" },
	{ 0, NULL }
};

const struct vi_name vi_pci_ecap_titles[] = {
	{ 0x0001, "Advanced Error Reporting" }, { 0x0002, "Virtual Channel" },
	{ 0x0003, "Device Serial Number" }, { 0x0004, "Power Budgeting" },
	{ 0x0005, "Root Complex Link" }, { 0x0006, "Root Complex Internal Link" },
	{ 0x0007, "Root Complex Event Collector Endpoint Association" },
	{ 0x0008, "Multi-Function Virtual Channel" }, { 0x0009, "Virtual Channel" },
	{ 0x000a, "Root Complex Register Block" },
	{ 0x000b, "Vendor Specific Information" },
	{ 0x000c, "Configuration Access Correlation" },
	{ 0x000d, "Access Control Services" },
	{ 0x000e, "Alternative Routing-ID Interpretation (ARI)" },
	{ 0x000f, "Address Translation Service (ATS)" },
	{ 0x0010, "Single Root I/O Virtualization (SR-IOV)" },
	{ 0x0011, "Multi-Root I/O Virtualization (MR-IOV)" }, { 0x0012, "Multicast" },
	{ 0x0013, "Page Request Interface (PRI)" }, { 0x0014, "Reserved for AMD" },
	{ 0x0015, "Resizable BAR" }, { 0x0016, "Dynamic Power Allocation (DPA)" },
	{ 0x0017, "Transaction Processing Hints" },
	{ 0x0018, "Latency Tolerance Reporting" }, { 0x0019, "Secondary PCI Express" },
	{ 0x001a, "Protocol Multiplexing" },
	{ 0x001b, "Process Address Space ID (PASID)" }, { 0x001c, "LN Requester" },
	{ 0x001d, "Downstream Port Containment" }, { 0x001e, "L1 PM Substates" },
	{ 0x001f, "Precision Time Measurement" }, { 0x0020, "PCI Express over M_PHY" },
	{ 0x0021, "FRS Queueing" }, { 0x0022, "Readiness Time Reporting" },
	{ 0x0023, "Designated Vendor-Specific" }, { 0x0024, "VF Resizable BAR" },
	{ 0x0025, "Data Link Feature" }, { 0x0026, "Physical Layer 16.0 GT/s" },
	{ 0x0027, "Lane Margining at the Receiver" }, { 0x0028, "Hierarchy ID" },
	{ 0x0029, "Native PCIe Enclosure Management" },
	{ 0x002a, "Physical Layer 32.0 GT/s" }, { 0x002b, "Alternate Protocol" },
	{ 0x002c, "System Firmware Intermediary" }, { 0x002d, "Shadow Functions" },
	{ 0x002e, "Data Object Exchange" }, { 0x002f, "Device 3" },
	{ 0x0030, "Integrity and Data Encryption" }, { 0x0031, "Physical Layer 64.0 GT/s" },
	{ 0, NULL }
};

/* Page-size bitmaps (iova_pgsizes, pgsize_bitmap): bit n is a page of
 * 2^n bytes, named as lspci names sizes. */
const struct vi_name vi_page_sizes[] = {
	{ 1ull << 0, "1" }, { 1ull << 1, "2" }, { 1ull << 2, "4" }, { 1ull << 3, "8" },
	{ 1ull << 4, "16" }, { 1ull << 5, "32" }, { 1ull << 6, "64" }, { 1ull << 7, "128" },
	{ 1ull << 8, "256" }, { 1ull << 9, "512" }, { 1ull << 10, "1K" },
	{ 1ull << 11, "2K" }, { 1ull << 12, "4K" }, { 1ull << 13, "8K" },
	{ 1ull << 14, "16K" }, { 1ull << 15, "32K" }, { 1ull << 16, "64K" },
	{ 1ull << 17, "128K" }, { 1ull << 18, "256K" }, { 1ull << 19, "512K" },
	{ 1ull << 20, "1M" }, { 1ull << 21, "2M" }, { 1ull << 22, "4M" },
	{ 1ull << 23, "8M" }, { 1ull << 24, "16M" }, { 1ull << 25, "32M" },
	{ 1ull << 26, "64M" }, { 1ull << 27, "128M" }, { 1ull << 28, "256M" },
	{ 1ull << 29, "512M" }, { 1ull << 30, "1G" }, { 1ull << 31, "2G" },
	{ 1ull << 32, "4G" }, { 1ull << 33, "8G" }, { 1ull << 34, "16G" },
	{ 1ull << 35, "32G" }, { 1ull << 36, "64G" }, { 1ull << 37, "128G" },
	{ 1ull << 38, "256G" }, { 1ull << 39, "512G" }, { 1ull << 40, "1T" },
	{ 1ull << 41, "2T" }, { 1ull << 42, "4T" }, { 1ull << 43, "8T" },
	{ 1ull << 44, "16T" }, { 1ull << 45, "32T" }, { 1ull << 46, "64T" },
	{ 1ull << 47, "128T" }, { 1ull << 48, "256T" }, { 1ull << 49, "512T" },
	{ 1ull << 50, "1P" }, { 1ull << 51, "2P" }, { 1ull << 52, "4P" },
	{ 1ull << 53, "8P" }, { 1ull << 54, "16P" }, { 1ull << 55, "32P" },
	{ 1ull << 56, "64P" }, { 1ull << 57, "128P" }, { 1ull << 58, "256P" },
	{ 1ull << 59, "512P" }, { 1ull << 60, "1E" }, { 1ull << 61, "2E" },
	{ 1ull << 62, "4E" }, { 1ull << 63, "8E" },
	{ 0, NULL }
};

const struct vi_name vi_pci_class_names[] = {
	{ 0x00, "Unclassified device" }, { 0x01, "Mass storage controller" },
	{ 0x02, "Network controller" }, { 0x03, "Display controller" },
	{ 0x04, "Multimedia controller" }, { 0x05, "Memory controller" },
	{ 0x06, "Bridge" }, { 0x07, "Communication controller" },
	{ 0x08, "Generic system peripheral" }, { 0x09, "Input device controller" },
	{ 0x0a, "Docking station" }, { 0x0b, "Processor" },
	{ 0x0c, "Serial bus controller" }, { 0x0d, "Wireless controller" },
	{ 0x0e, "Intelligent controller" }, { 0x0f, "Satellite communications controller" },
	{ 0x10, "Encryption controller" }, { 0x11, "Signal processing controller" },
	{ 0x12, "Processing accelerators" }, { 0x13, "Non-Essential Instrumentation" },
	{ 0x40, "Coprocessor" }, { 0xff, "Unassigned class" },
	{ 0, NULL }
};
