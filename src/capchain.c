// SPDX-License-Identifier: GPL-2.0-or-later
/* capchain.c - validated capability chain iteration. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "capchain.h"
#include "uapi/vfio-abi.h"

void vi_capiter_init(struct vi_capiter *it, struct vi_bytes buf, uint32_t first,
		     uint32_t fixed)
{
	it->buf = buf;
	it->fixed = fixed;
	it->cur = first;
	it->count = 0;
	it->fault = VI_CAPF_NONE;
	it->fault_off = 0;
}

static int fail(struct vi_capiter *it, enum vi_capfault f, uint32_t off)
{
	it->fault = f;
	it->fault_off = off;
	it->cur = 0;
	return 0;
}

int vi_capiter_next(struct vi_capiter *it, struct vi_cap *cap)
{
	uint32_t off = it->cur, end;

	if (off == 0)
		return 0;
	if (off < it->fixed)
		return fail(it, VI_CAPF_INSIDE_FIXED, off);
	if (!vi_bytes_has(it->buf, off, VI_CAP_HDR_SIZE))
		return fail(it, VI_CAPF_PAST_END, off);
	if (it->count >= VI_CAPCHAIN_MAX)
		return fail(it, VI_CAPF_TOO_MANY, off);

	vi_u16(it->buf, off, &cap->id);
	vi_u16(it->buf, off + 2, &cap->version);
	vi_u32(it->buf, off + 4, &cap->next);
	cap->offset = off;

	/* The body runs to the next cap, or to the end of what is valid. */
	end = (uint32_t)it->buf.len;
	if (cap->next > off && cap->next < end)
		end = cap->next;
	cap->body = vi_bytes_sub(it->buf, off, end - off);
	it->count++;

	if (cap->next == 0) {
		it->cur = 0;
	} else if (cap->next <= off) {
		it->fault = VI_CAPF_BACKWARDS;
		it->fault_off = cap->next;
		it->cur = 0;
	} else {
		it->cur = cap->next;	/* checked when it is reached */
	}
	return 1;
}

const char *vi_capfault_str(enum vi_capfault f)
{
	switch (f) {
	case VI_CAPF_NONE:
		return "no fault";
	case VI_CAPF_INSIDE_FIXED:
		return "points inside the fixed structure";
	case VI_CAPF_PAST_END:
		return "runs past the end of the returned data";
	case VI_CAPF_BACKWARDS:
		return "does not move forward (loop)";
	case VI_CAPF_TOO_MANY:
		return "chain is longer than " "64" " capabilities";
	}
	return "unknown fault";
}
