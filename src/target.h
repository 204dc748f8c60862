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
/* Every VFIO device the backend knows. */
int vi_target_all(struct vi_backend *be, struct vi_targets *out, char *msg, size_t msglen);
void vi_targets_free(struct vi_targets *t);

/* "e1000e", or NULL if no driver is bound; malloc'ed. */
char *vi_sysfs_driver(struct vi_backend *be, const char *devpath);

#endif
