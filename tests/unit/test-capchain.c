// SPDX-License-Identifier: GPL-2.0-or-later
/* test-capchain.c - the capability walker on good and hostile chains. */
#include <string.h>

#include "capchain.h"
#include "tap.h"

static uint8_t buf[128];

static void cap(size_t off, uint16_t id, uint16_t ver, uint32_t next)
{
	vi_store(buf + off, 2, id, false);
	vi_store(buf + off + 2, 2, ver, false);
	vi_store(buf + off + 4, 4, next, false);
}

static int walk(size_t len, uint32_t first, struct vi_capiter *it, uint16_t *ids)
{
	struct vi_cap c;
	int n = 0;

	vi_capiter_init(it, vi_bytes_make(buf, len, false), first, 32);
	while (vi_capiter_next(it, &c))
		ids[n++] = c.id;
	return n;
}

int main(void)
{
	struct vi_capiter it;
	uint16_t ids[80];

	memset(buf, 0, sizeof(buf));
	cap(32, 1, 1, 48);
	cap(48, 2, 1, 64);
	cap(64, 3, 1, 0);
	is_int(walk(72, 32, &it, ids), 3, "three caps");
	ok(ids[0] == 1 && ids[1] == 2 && ids[2] == 3, "in order");
	is_int(it.fault, VI_CAPF_NONE, "no fault");

	cap(64, 3, 1, 48);	/* back to the second: a loop */
	is_int(walk(72, 32, &it, ids), 3, "loop: each cap once");
	is_int(it.fault, VI_CAPF_BACKWARDS, "loop detected");

	cap(64, 3, 1, 120);	/* past the valid length */
	is_int(walk(72, 32, &it, ids), 3, "next past the end: three caps");
	is_int(it.fault, VI_CAPF_PAST_END, "next past the end detected");
	is_int(it.fault_off, 120, "fault offset named");

	is_int(walk(72, 16, &it, ids), 0, "first cap inside the fixed struct");
	is_int(it.fault, VI_CAPF_INSIDE_FIXED, "inside fixed detected");

	is_int(walk(36, 32, &it, ids), 0, "header truncated");
	is_int(it.fault, VI_CAPF_PAST_END, "truncated header detected");

	cap(64, 3, 1, 64);	/* self loop */
	is_int(walk(72, 32, &it, ids), 3, "self loop: stops");
	is_int(it.fault, VI_CAPF_BACKWARDS, "self loop detected");

	/* a long chain of 8-byte caps hits the length bound, not a hang */
	{
		static uint8_t big[8 * 100 + 64];
		struct vi_cap c;
		int n = 0;
		for (size_t o = 32; o + 8 <= sizeof(big); o += 8) {
			vi_store(big + o, 2, 9, false);
			vi_store(big + o + 4, 4, (uint32_t)(o + 8 < sizeof(big) ? o + 8 : 0), false);
		}
		vi_capiter_init(&it, vi_bytes_make(big, sizeof(big), false), 32, 32);
		while (vi_capiter_next(&it, &c))
			n++;
		is_int(n, VI_CAPCHAIN_MAX, "long chain bounded");
		is_int(it.fault, VI_CAPF_TOO_MANY, "too many detected");
	}

	/* body extends to next, or to the end */
	{
		struct vi_cap c;
		cap(32, 1, 1, 48);
		cap(48, 2, 1, 0);
		vi_capiter_init(&it, vi_bytes_make(buf, 60, false), 32, 32);
		vi_capiter_next(&it, &c);
		is_int(c.body.len, 16, "body up to next");
		vi_capiter_next(&it, &c);
		is_int(c.body.len, 12, "last body up to the valid end");
	}
	return tap_done();
}
