/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names.h - {value, "NAME"} tables for every flag word, enum and index.
 *
 * Tables end with { 0, NULL }.  A flag table lists single bits; an enum
 * table lists values.  Unknown bits and values are never dropped: the
 * emitter shows the leftover bits in hex and unknown values as numbers.
 */
#ifndef VFIO_INFO_NAMES_H
#define VFIO_INFO_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct vi_name {
	uint64_t value;
	const char *name;
};

/* Name of @v in @tbl, or NULL. */
const char *vi_name_of(const struct vi_name *tbl, uint64_t v);
/* Bits of @v not named in flag table @tbl. */
uint64_t vi_flags_unknown(const struct vi_name *tbl, uint64_t v);
/* "PROBE|REGION": the names of the bits of @v joined with "|" ("" for 0);
 * -1 when a bit has no name or @buf is too small. */
int vi_flags_join(const struct vi_name *tbl, uint64_t v, char *buf, size_t len);
/* The reverse: every word must be a name of @tbl; 0 or -1. */
int vi_flags_split(const struct vi_name *tbl, const char *s, uint64_t *v);

/* vfio_device_info.flags, region flags, irq flags, group status... */
extern const struct vi_name vi_device_flags[];
extern const struct vi_name vi_region_flags[];
extern const struct vi_name vi_irq_flags[];
extern const struct vi_name vi_irq_set_flags[];	/* VFIO_DEVICE_SET_IRQS */
extern const struct vi_name vi_group_flags[];
extern const struct vi_name vi_type1_info_flags[];
extern const struct vi_name vi_extensions[];
extern const struct vi_name vi_hot_reset_flags[];
extern const struct vi_name vi_feature_ids[];
extern const struct vi_name vi_feature_dirs[];
extern const struct vi_name vi_migration_flags[];
extern const struct vi_name vi_mig_states[];
extern const struct vi_name vi_zpci_group_flags[];
extern const struct vi_name vi_atomic_comp_flags[];
extern const struct vi_name vi_hw_info_types[];
extern const struct vi_name vi_hw_caps[];
extern const struct vi_name vi_vtd_flags[];
extern const struct vi_name vi_hw_info_flags[];
/* What a PROBE of feature @id refused with errno @err means, or NULL. */
const char *vi_feature_refusal(uint32_t id, int err);
extern const struct vi_name vi_smmuv3_flags[];
extern const struct vi_name vi_tegra241_flags[];
extern const struct vi_name vi_gfx_link_states[];
extern const struct vi_name vi_gfx_plane_flags[];	/* QUERY_GFX_PLANE */

/*
 * Tables of the ABI proposals (spec/profiles.md): used only when their
 * profile is active, so mainline names never change.
 */
extern const struct vi_name vi_device_flags_devtree[];	/* devtree-2013 */
extern const struct vi_name vi_region_flags_devtree[];	/* devtree-2013 */
extern const struct vi_name vi_irq_flags_devtree[];	/* devtree-2013 */
extern const struct vi_name vi_irq_flags_caps[];	/* irq-caps-2019 */
extern const struct vi_name vi_zpci_qgrp_flags[];	/* zpci-iommu-2019 */

/* Page-size bitmaps: bit n named "4K", "2M", "1G"... */
extern const struct vi_name vi_page_sizes[];

/* Capability ids, per chain. */
extern const struct vi_name vi_devinfo_cap_ids[];
extern const struct vi_name vi_region_cap_ids[];
extern const struct vi_name vi_iommu_cap_ids[];

/* Fixed region and irq index names, per device kind. */
extern const struct vi_name vi_pci_region_idx[];
extern const struct vi_name vi_pci_irq_idx[];
extern const struct vi_name vi_ccw_region_idx[];
extern const struct vi_name vi_ccw_irq_idx[];
extern const struct vi_name vi_ap_irq_idx[];

/* Region type / subtype (VFIO_REGION_INFO_CAP_TYPE). */
const char *vi_region_type_name(uint32_t type);
const char *vi_region_subtype_name(uint32_t type, uint32_t subtype);
/* zpci-clp-region: the IBM subtype 2 the proposal adds (NULL otherwise). */
const char *vi_region_subtype_name_zpci_clp(uint32_t type, uint32_t subtype);

/* irq-caps-2019: VFIO_IRQ_INFO_CAP_TYPE types and subtypes. */
const char *vi_irq_type_name(uint32_t type);
const char *vi_irq_subtype_name(uint32_t type, uint32_t subtype);

/* PCI config space: capability ids and extended capability ids. */
extern const struct vi_name vi_pci_cap_ids[];
extern const struct vi_name vi_pci_ecap_ids[];
/* The words lspci uses for each capability (headings) */
extern const struct vi_name vi_pci_cap_titles[];
extern const struct vi_name vi_pci_ecap_titles[];
extern const struct vi_name vi_pci_class_names[];	/* base class (byte) */

#endif
