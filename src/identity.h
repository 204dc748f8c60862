/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * identity.h - a device's identity and its group, written with the same
 * keys and types by dump, list and doctor, so their JSON joins on
 * "address" (see vfio-info(1), JSON OUTPUT, and data/schema/).
 */
#ifndef VFIO_INFO_IDENTITY_H
#define VFIO_INFO_IDENTITY_H

#include <stdbool.h>

#include "emit.h"

struct vi_pciids;
struct vi_pcidev;

/*
 * "group": the number of @group ("12" or "noiommu-12"), null when @group
 * is NULL or no group number; "noiommu": whether it is a noiommu group
 * (text shows it only when true).
 */
void vi_emit_group_id(struct vi_emit *em, const char *group, bool noiommu);

/*
 * In a detail block (JSON only, text -v), for a PCI function:
 * "vendor_id", "device_id", "subsystem_vendor_id", "subsystem_id",
 * "class" (24 bits), "revision" (numbers, each when sysfs had it),
 * "vendor_name", "device_name", "subsystem_name", "class_name",
 * "prog_if_name" (pci.ids: string or null; the names the config decode
 * gives, from the same lookups).
 */
void vi_emit_pci_ids(struct vi_emit *em, const struct vi_pciids *db,
		     const struct vi_pcidev *d);

/*
 * In a detail block: "address", the ids above, "group" and "noiommu".
 * The driver is the caller's: every command shows it as "driver" (string
 * or null).
 */
void vi_emit_pci_identity(struct vi_emit *em, const struct vi_pciids *db,
			  const struct vi_pcidev *d);

/*
 * A mediated device's "mdev": {"parent": name or null, "type": type id or
 * null}, shown in text as "mdev: TYPE on PARENT".  vi_emit_pci_identity()
 * writes it for a device whose sysfs has an mdev_type (after its detail
 * block).
 */
void vi_emit_mdev_id(struct vi_emit *em, const char *parent, const char *type);

#endif
