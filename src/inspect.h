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

#include "backend.h"
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

#endif
