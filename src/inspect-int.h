/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inspect-int.h - what the inspect-*.c files share: the session's state,
 * a group's, the facts of a region, and the steps each file offers the
 * others.  Not for use outside inspect*.c.
 */
#ifndef VFIO_INFO_INSPECT_INT_H
#define VFIO_INFO_INSPECT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "emit.h"
#include "inspect.h"
#include "pciids.h"

#define MAX_REGIONS	256	/* clamp for num_regions / num_irqs */
#define MAX_CONFIG	4096

struct group_state {
	char *id;		/* "12" or "noiommu-3" */
	int container;		/* handle or -1 */
	int group;		/* handle or -1 */
	int err;		/* why it could not be opened */
	unsigned int type;	/* the IOMMU type set, to open it again */
};

struct ctx {
	struct vi_backend *be;
	struct vi_emit *em;
	const struct vi_inspect_opts *o;
	int first_err;
	struct vi_pciids *db;	/* opened for the first PCI device's names */
	bool db_tried;
};

struct region_fact {
	bool ok;
	uint32_t flags;
	uint64_t size, offset;
};

/* inspect.c: failures, groups and containers */
void insp_fail(struct ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void insp_fail_open(struct ctx *c, int err, const char *node);
long insp_value_call(struct ctx *c, int h, enum vi_ioc ioc, uint64_t v);
unsigned int insp_pick_iommu(const long *ext, bool noiommu);
char *insp_members_text(struct vi_backend *be, const char *num);
bool insp_takes_token(struct ctx *c, const char *name);
int insp_get_device_fd(struct ctx *c, struct group_state *g, const char *name);

/* inspect-device.c: an open device fd's queries; sysfs identity */
void insp_device_fd(struct ctx *c, int h, const char *name);
void insp_device_sysfs(struct ctx *c, const struct vi_devref *d);

/* inspect-cdev.c */
void insp_cdev(struct ctx *c, const struct vi_devref *d);
bool insp_use_cdev(struct ctx *c, const struct vi_devref *d);

/* inspect-profile.c */
bool insp_is_zpci_clp(struct vi_bytes info, unsigned int profiles);
void insp_zpci_clp(struct ctx *c, int h, const struct region_fact *f);
void insp_devtree(struct ctx *c, const char *name, uint32_t nreg,
		  const struct region_fact *facts);

#endif
