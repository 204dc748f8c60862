/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inspect.h - walking groups, containers, iommufd and devices: which
 * queries run, in which order, and what each answer is handed to.
 *
 * Only side-effect-free info queries run, plus what opening needs
 * (SET_CONTAINER, SET_IOMMU, GET_DEVICE_FD; or BIND_IOMMUFD, IOAS_ALLOC,
 * ATTACH for the IOVA ranges).  Config space is read through the config
 * region; BARs are never read and nothing is written.
 */
#ifndef VFIO_INFO_INSPECT_H
#define VFIO_INFO_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "decode.h"
#include "query.h"
#include "emit.h"
#include "target.h"

enum vi_flow { VI_FLOW_AUTO, VI_FLOW_LEGACY, VI_FLOW_CDEV };

struct vi_inspect_opts {
	enum vi_flow flow;
	const char *vf_token;		/* UUID string or NULL */
	unsigned int profiles;		/* VI_PROF_* */
	/* Called for each hard failure, in order: @err is -errno. */
	void (*report)(void *ctx, int err, const char *msg);
	void *report_ctx;
};

/*
 * Emit "groups" and "devices" arrays into the open object for @t.
 * Returns 0 or the -errno of the first hard failure (already reported).
 */
int vi_inspect(struct vi_backend *be, struct vi_emit *em, const struct vi_targets *t,
	       const struct vi_inspect_opts *o);

/*
 * One device opened and kept open (the shell): the same opening steps as
 * vi_inspect, without output, and the facts commands need about each
 * region and irq.  The queries are kept so that their decoders can be run
 * again, piece by piece.
 */
struct vi_area {
	uint64_t offset, size;
};

struct vi_region {
	bool ok;			/* the region info query answered */
	uint32_t index, flags;
	uint64_t size, offset;		/* offset: in the device file */
	char name[48];			/* BAR0, CONFIG, a type name, or "" */
	bool sparse;			/* SPARSE_MMAP cap present */
	bool msix_mappable;
	struct vi_area *areas;		/* sparse areas, clamped to the cap */
	uint32_t nareas;
	struct vi_query q;
};

struct vi_irq {
	bool ok;
	uint32_t index, flags, count;
	char name[32];
	struct vi_query q;
};

struct vi_device {
	struct vi_backend *be;
	char *name;
	bool cdev;
	int dev, group, container, iommufd;	/* handles, -1 when unused */
	enum vi_devkind kind;
	unsigned int profiles;
	uint32_t flags;
	struct vi_query info;
	uint32_t nregions, nirqs;
	struct vi_region *regions;
	struct vi_irq *irqs;
};

/*
 * Open @d (legacy group + container, or cdev + iommufd as @o->flow says)
 * and ask for its device, region and irq info.  Failures are reported
 * through @o->report as in vi_inspect.  Returns 0 and *out, or -errno.
 */
int vi_device_open(struct vi_backend *be, const struct vi_devref *d,
		   const struct vi_inspect_opts *o, struct vi_device **out);
void vi_device_close(struct vi_device *dev);

/* The "features" array of an open device handle @h: every id from 0 to
 * VI_FEATURE_PROBE_MAX PROBEd, the GETs of MIGRATION and MIG_DEVICE_STATE
 * decoded (dump and the shell's `features`). */
void vi_inspect_features(struct vi_backend *be, struct vi_emit *em, int h);

#endif
