/* SPDX-License-Identifier: GPL-2.0-or-later */
/* identity.c - a device's identity keys, shared by dump, list and doctor. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "pciids.h"
#include "sysfs.h"

/* The group number of "12" or "noiommu-12"; false if it is none. */
static bool group_number(const char *g, uint64_t *out)
{
	uint64_t v = 0;

	if (!g)
		return false;
	if (!strncmp(g, "noiommu-", 8))
		g += 8;
	if (!*g || strlen(g) > 9)	/* the kernel's group ids are ints */
		return false;
	for (; *g; g++) {
		if (*g < '0' || *g > '9')
			return false;
		v = v * 10 + (uint64_t)(*g - '0');
	}
	*out = v;
	return true;
}

void vi_emit_group_id(struct vi_emit *em, const char *group, bool noiommu)
{
	uint64_t n;

	if (group && !strncmp(group, "noiommu-", 8))
		noiommu = true;
	if (group_number(group, &n))
		em_u64(em, "group", n);
	else
		em_null(em, "group");
	if (!noiommu)
		em_detail_begin(em);
	em_bool(em, "noiommu", noiommu);
	if (!noiommu)
		em_detail_end(em);
}

static void name_or_null(struct vi_emit *em, const char *key, char *s)
{
	if (s)
		em_str(em, key, s);
	else
		em_null(em, key);
	free(s);
}

void vi_emit_pci_ids(struct vi_emit *em, const struct vi_pciids *db,
		     const struct vi_pcidev *d)
{
	em_detail_begin(em);
	if (d->pci) {
		if (d->vendor >= 0)
			em_hex(em, "vendor_id", (uint64_t)d->vendor);
		if (d->device >= 0)
			em_hex(em, "device_id", (uint64_t)d->device);
		if (d->subvendor >= 0 && d->subdevice >= 0) {
			em_hex(em, "subsystem_vendor_id", (uint64_t)d->subvendor);
			em_hex(em, "subsystem_id", (uint64_t)d->subdevice);
		}
		if (d->class >= 0)
			em_hex(em, "class", (uint64_t)d->class);
		if (d->revision >= 0)
			em_hex(em, "revision", (uint64_t)d->revision);
		/* the pci.ids lookups only for output that shows them (list
		 * of 4096 devices: 10-20% of its time) */
		if (!em_shown(em) && (d->vendor >= 0 || d->device >= 0 || d->class >= 0 ||
				      d->revision >= 0 || (d->subvendor >= 0 && d->subdevice >= 0)))
			goto out;
		name_or_null(em, "vendor_name", d->vendor >= 0 ?
			     vi_pciids_vendor(db, (unsigned int)d->vendor) : NULL);
		name_or_null(em, "device_name", d->vendor >= 0 && d->device >= 0 ?
			     vi_pciids_device(db, (unsigned int)d->vendor,
					      (unsigned int)d->device) : NULL);
		name_or_null(em, "subsystem_name", d->vendor >= 0 && d->device >= 0 &&
			     d->subvendor >= 0 && d->subdevice >= 0 ?
			     vi_pciids_subsystem(db, (unsigned int)d->vendor,
						 (unsigned int)d->device,
						 (unsigned int)d->subvendor,
						 (unsigned int)d->subdevice) : NULL);
		name_or_null(em, "class_name", d->class >= 0 ?
			     vi_pciids_class(db, (unsigned int)d->class) : NULL);
		name_or_null(em, "prog_if_name", d->class >= 0 ?
			     vi_pciids_prog_if(db, (unsigned int)d->class) : NULL);
	}
out:
	em_detail_end(em);
}

void vi_emit_pci_identity(struct vi_emit *em, const struct vi_pciids *db,
			  const struct vi_pcidev *d)
{
	em_detail_begin(em);
	em_str(em, "address", d->name);
	vi_emit_pci_ids(em, db, d);
	vi_emit_group_id(em, d->group, d->noiommu);
	em_detail_end(em);
	if (d->mdev)
		vi_emit_mdev_id(em, d->mdev_parent, d->mdev_type);
}

void vi_emit_mdev_id(struct vi_emit *em, const char *parent, const char *type)
{
	em_obj_begin(em, "mdev", "mdev: %s on %s", type ? type : "unknown type",
		     parent ? parent : "an unknown parent");
	em_detail_begin(em);
	parent ? em_str(em, "parent", parent) : em_null(em, "parent");
	type ? em_str(em, "type", type) : em_null(em, "type");
	em_detail_end(em);
	em_obj_end(em);
}
