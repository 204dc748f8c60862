/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.h - what the user named, resolved to VFIO devices.
 *
 * A TARGET is a PCI address (0000:01:00.0 or 01:00.0), a group (12,
 * /dev/vfio/12, noiommu-3, /dev/vfio/noiommu-3), a device cdev
 * (/dev/vfio/devices/vfio0), a sysfs device path, a platform or AMBA
 * device name, or an mdev UUID.  Resolution asks the backend, so a capture
 * answers it the same way a live system does.
 */
#ifndef VFIO_INFO_TARGET_H
#define VFIO_INFO_TARGET_H

#include <stddef.h>

#include "backend.h"

struct vi_targets {
	struct vi_devref *v;
	size_t n;
};

/*
 * Append the devices @arg names to @out (duplicates are skipped).
 * Returns 0, or -ENOENT (nothing by that name), -ENXIO (it exists but is
 * not usable through VFIO), -EINVAL (not a TARGET form); @msg then says
 * what was wrong and what to do.
 */
int vi_target_resolve(struct vi_backend *be, const char *arg, struct vi_targets *out,
		      char *msg, size_t msglen);
/*
 * --all: every device bound to a VFIO driver, found through sysfs (on the
 * buses VFIO drivers bind to: pci, platform, amba, mdev, ...), so that a
 * capture's sysfs answers it as the live system does; devices the backend
 * enumerates that sysfs does not know at all (a capture without a sysfs
 * section) are added.  -ENOENT with @msg when there is none.
 */
int vi_target_all(struct vi_backend *be, struct vi_targets *out, char *msg, size_t msglen);
/* Move from @t to @gone the devices the backend cannot open: sysfs shows
 * them on a VFIO driver, but no kernel answers are at hand (a capture
 * taken without them).  0 or -ENOMEM. */
int vi_target_split_unopenable(struct vi_backend *be, struct vi_targets *t,
			       struct vi_targets *gone);
void vi_targets_free(struct vi_targets *t);
/* Why the device @name is not one the backend can open: it does not exist
 * (-ENOENT), or is on no driver, a host driver, or a VFIO driver without
 * kernel answers at hand (-ENXIO).  @msg says which, @name escaped. */
int vi_target_explain(struct vi_backend *be, const char *name, char *msg, size_t msglen);

/*
 * Is @arg a TARGET's form at all?  0, with @canon the form every command
 * uses when it differs (a PCI address in any accepted spelling, 1:2.3 or
 * 01:00.0, becomes DDDD:BB:DD.F), else empty; -EINVAL with @msg saying what
 * a TARGET of that kind looks like: a group that is no number, a cdev that
 * is not vfioN, something shaped like a PCI address that is none.
 */
int vi_target_check(const char *arg, char *canon, size_t canonlen, char *msg, size_t msglen);
/* @s in a PCI address's shape, [D:]B:D.F with 1-4, 1-2, 1-2 and 1 hex
 * digits: 0 and @bdf canonical, -EINVAL when a field is wrong; -ENOENT
 * for anything else. */
int vi_target_pci_address(const char *s, char bdf[16]);
/* The message for a device name that names no device. */
void vi_target_notfound(const char *name, char *msg, size_t len);

/* "e1000e", or NULL if no driver is bound; malloc'ed. */
char *vi_sysfs_driver(struct vi_backend *be, const char *devpath);

#endif
