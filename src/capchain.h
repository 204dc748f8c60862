/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capchain.h - validated walk over a vfio_info_cap_header chain.
 *
 * Offsets (cap_offset and every next) count from the start of the info
 * buffer.  The walker yields a capability only when its header lies after
 * the fixed struct and inside the valid length, and stops (with a fault the
 * caller shows) when next does not strictly increase, points past the
 * buffer, or the chain is longer than any kernel makes.
 */
#ifndef VFIO_INFO_CAPCHAIN_H
#define VFIO_INFO_CAPCHAIN_H

#include <stdint.h>

#include "bytes.h"

#define VI_CAPCHAIN_MAX	64

enum vi_capfault {
	VI_CAPF_NONE,
	VI_CAPF_INSIDE_FIXED,	/* offset lies inside the fixed struct */
	VI_CAPF_PAST_END,	/* header does not fit in the valid length */
	VI_CAPF_BACKWARDS,	/* next <= current: a loop or a step back */
	VI_CAPF_TOO_MANY,	/* more caps than VI_CAPCHAIN_MAX */
};

struct vi_cap {
	uint16_t id;
	uint16_t version;
	uint32_t offset;	/* from the start of the info buffer */
	uint32_t next;
	struct vi_bytes body;	/* from the header to next (or the valid end) */
};

struct vi_capiter {
	struct vi_bytes buf;
	uint32_t fixed;		/* size of the fixed struct: caps start at or after it */
	uint32_t cur;		/* offset of the next cap to yield, 0 = done */
	unsigned int count;
	enum vi_capfault fault;
	uint32_t fault_off;	/* offset that caused the fault */
};

void vi_capiter_init(struct vi_capiter *it, struct vi_bytes buf, uint32_t first,
		     uint32_t fixed);
/* 1: *cap filled; 0: end of chain or fault (check it->fault). */
int vi_capiter_next(struct vi_capiter *it, struct vi_cap *cap);
const char *vi_capfault_str(enum vi_capfault f);

#endif
