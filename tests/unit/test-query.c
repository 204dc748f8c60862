// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-query.c - the growth engine against a small in-test kernel model.
 *
 * The model answers like the kernel code paths described in
 * reference/uapi-inventory.md §1.8; each test checks the calls made (sizes
 * in and out, count) and what the engine kept.
 */
#include <errno.h>
#include <string.h>

#include "bytes.h"
#include "query.h"
#include "uapi/vfio-abi.h"
#include "tap.h"

enum mode { M_REGION_CAPS, M_REGION_PLAIN, M_GROW_FOREVER, M_HOT_RESET, M_IOVA,
	    M_HWINFO, M_ERROR, M_HUGE, M_BIG_ENDIAN, M_SCRIBBLE, M_SCRIBBLE_RETRY };

static enum mode mode;
static int calls;
static size_t dirty;	/* bytes found non-zero on entry, beyond what the caller sets */

/* Counts the bytes of @p that are not zero, but for @skip1 and @skip2
 * (4-byte fields the engine fills in), then writes over all of them. */
static void check_and_scribble(uint8_t *p, size_t len, size_t skip1, size_t skip2)
{
	for (size_t i = 0; p && i < len; i++) {
		if ((i >= skip1 && i < skip1 + 4) || (i >= skip2 && i < skip2 + 4))
			continue;
		dirty += p[i] != 0;
	}
	if (p)
		memset(p, 0xee, len);
}

static long fake_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	bool bend = be->big_endian;
	struct vi_bytes in = vi_bytes_make(a->buf, a->len, bend);
	uint32_t argsz = vi_get32(in, 0);
	uint8_t *b = a->buf;

	calls++;
	switch (mode) {
	case M_REGION_CAPS:
	case M_BIG_ENDIAN:
		if (argsz < 32)
			return -EINVAL;
		vi_put32(b, a->len, VI_REGION_FLAGS, 0x7 | VI_REGION_FLAG_CAPS, bend);
		vi_put64(b, a->len, VI_REGION_SIZE_OFF, 0x4000, bend);
		if (argsz < 40) {
			vi_put32(b, a->len, VI_REGION_ARGSZ, 40, bend);
			vi_put32(b, a->len, VI_REGION_CAP_OFFSET, 0, bend);
			return 0;
		}
		vi_put32(b, a->len, VI_REGION_CAP_OFFSET, 32, bend);
		vi_put32(b, a->len, 32, 3 | (1u << 16), bend);	/* MSIX_MAPPABLE v1 */
		vi_put32(b, a->len, 36, 0, bend);
		return 0;
	case M_REGION_PLAIN:
		vi_put32(b, a->len, VI_REGION_FLAGS, 0x3, bend);
		return 0;
	case M_GROW_FOREVER:
		vi_put32(b, a->len, 0, argsz + 8, bend);
		return 0;
	case M_HUGE:
		vi_put32(b, a->len, 0, 0x7fffffff, bend);
		return 0;
	case M_ERROR:
		return -ENOTTY;
	case M_HOT_RESET:
		if (argsz < 12)
			return -EINVAL;
		if (argsz < 12 + 2 * 8) {
			vi_put32(b, a->len, VI_HRI_COUNT, 2, bend);
			return -ENOSPC;
		}
		vi_put32(b, a->len, VI_HRI_COUNT, 2, bend);
		vi_put32(b, a->len, 12, 7, bend);
		vi_put32(b, a->len, 20, 8, bend);
		return 0;
	case M_IOVA: {
		uint32_t cap = vi_get32(in, VI_IOVR_NUM_IOVAS);
		vi_put32(b, a->len, VI_IOVR_NUM_IOVAS, 3, bend);
		if (cap < 3)
			return -EMSGSIZE;
		for (int i = 0; i < 3; i++)
			vi_put64(a->aux, a->auxlen, 16 * (size_t)i, 0x1000u * (i + 1), bend);
		return 0;
	}
	case M_SCRIBBLE:	/* a kernel writing all it may, asking for more */
		check_and_scribble(b, a->len, 0, VI_REGION_INDEX);
		vi_put32(b, a->len, 0, argsz < 256 ? argsz * 2 : argsz, bend);
		return 0;
	case M_SCRIBBLE_RETRY:	/* the same size again after -EAGAIN */
		check_and_scribble(b, a->len, 0, 0);
		if (calls < 3)
			return -EAGAIN;
		vi_put32(b, a->len, VI_HRI_COUNT, 0, bend);
		return 0;
	case M_HWINFO: {
		uint32_t dl = vi_get32(in, VI_HWI_DATA_LEN);
		if (a->aux)
			memset(a->aux, 0xab, dl < 24 ? dl : 24);
		vi_put32(b, a->len, VI_HWI_DATA_LEN, 24, bend);
		vi_put32(b, a->len, VI_HWI_DATA_TYPE, 1, bend);
		return 0;
	}
	}
	return -EINVAL;
}

static const struct vi_backend_ops fake_ops = { .name = "fake", .ioctl = fake_ioctl };

int main(void)
{
	struct vi_backend be = { &fake_ops, false, 4096, NULL, NULL };
	struct vi_query q;
	long r;

	mode = M_REGION_CAPS;
	calls = 0;
	r = vi_q_region_info(&be, 0, 2, &q);
	is_int(r, 0, "region with caps: success");
	is_int(q.ncalls, 2, "region with caps: exactly two calls");
	is_int(q.calls[0].in, 32, "first call asks 32 bytes");
	is_int(q.calls[0].out, 40, "kernel answers 40");
	is_int(q.calls[1].in, 40, "second call asks 40");
	is_int(q.valid, 40, "valid length 40");
	is_int(vi_get32(vi_query_bytes(&q), VI_REGION_INDEX), 2, "index re-set after growth");
	is_int(vi_get32(vi_query_bytes(&q), VI_REGION_CAP_OFFSET), 32, "cap_offset 32");
	vi_query_free(&q);

	mode = M_BIG_ENDIAN;
	be.big_endian = true;
	r = vi_q_region_info(&be, 0, 1, &q);
	is_int(r, 0, "big-endian: success");
	is_int(q.ncalls, 2, "big-endian: argsz read in the kernel's order");
	ok(q.buf[0] == 0 && q.buf[3] == 40, "big-endian: argsz stored big-endian");
	vi_query_free(&q);
	be.big_endian = false;

	mode = M_REGION_PLAIN;
	r = vi_q_region_info(&be, 0, 0, &q);
	is_int(q.ncalls, 1, "region without caps: one call");
	is_int(q.valid, 32, "region without caps: 32 bytes valid");
	vi_query_free(&q);

	mode = M_GROW_FOREVER;
	r = vi_q_device_info(&be, 0, &q);
	is_int(q.ncalls, VI_QUERY_MAX_ROUNDS, "argsz growing forever stops after the bound");
	is_int(q.stop, VI_QSTOP_ROUNDS, "and says why");
	vi_query_free(&q);

	/* zeroes before every call, as far as the kernel can see, after a
	 * call that wrote over the whole buffer, grown or not */
	mode = M_SCRIBBLE;
	dirty = 0;
	r = vi_q_region_info(&be, 0, 5, &q);
	is_int(q.ncalls, 4, "scribbling kernel: grows 32 to 256 bytes in four calls");
	is_int(dirty, 0, "scribbling kernel: every grown buffer was zero but argsz and index");
	vi_query_free(&q);
	mode = M_SCRIBBLE_RETRY;
	dirty = 0;
	calls = 0;
	r = vi_q_hot_reset_info(&be, 0, &q);
	is_int(r, 0, "scribbling kernel: hot-reset info succeeds on the third call");
	is_int(q.ncalls, 3, "scribbling kernel: two retries at the same size");
	is_int(dirty, 0, "scribbling kernel: the retried buffer was zero again but argsz");
	vi_query_free(&q);

	/* buffers are kept for later queries: written over, given back and
	 * taken again (at every size from 32 to 256 bytes), each is zero
	 * again; one still held is never handed to another query */
	mode = M_REGION_CAPS;
	r = vi_q_region_info(&be, 0, 2, &q);
	mode = M_SCRIBBLE;
	dirty = 0;
	for (int i = 0; i < 3; i++) {
		struct vi_query q2;

		vi_q_region_info(&be, 0, 5, &q2);
		vi_query_free(&q2);
	}
	is_int(dirty, 0, "scribbling kernel: buffers used before are zero when taken again");
	is_int(vi_get32(vi_query_bytes(&q), VI_REGION_CAP_OFFSET), 32,
	       "an answer still held is not written over by later queries");
	vi_query_free(&q);

	mode = M_HUGE;
	r = vi_q_device_info(&be, 0, &q);
	is_int(q.ncalls, 1, "absurd argsz: no second call");
	is_int(q.stop, VI_QSTOP_TOO_BIG, "absurd argsz: stop reason");
	ok(q.alloc <= VI_QUERY_MAX_SIZE, "absurd argsz: nothing huge allocated");
	vi_query_free(&q);

	mode = M_ERROR;
	r = vi_q_irq_info(&be, 0, 0, VI_IRQ_MINSZ, &q);
	is_int(r, -ENOTTY, "error passes through");
	is_int(q.ncalls, 1, "error: one call");
	vi_query_free(&q);

	mode = M_HOT_RESET;
	r = vi_q_hot_reset_info(&be, 0, &q);
	is_int(r, 0, "hot reset: success after ENOSPC");
	is_int(q.ncalls, 2, "hot reset: two calls");
	is_int(q.calls[0].ret, -ENOSPC, "hot reset: first ENOSPC");
	is_int(q.calls[0].out, 2, "hot reset: count 2 reported");
	is_int(q.alloc, 28, "hot reset: 12 + 2*8 allocated");
	vi_query_free(&q);

	mode = M_IOVA;
	r = vi_q_iova_ranges(&be, 0, 5, &q);
	is_int(r, 0, "iova ranges: success after EMSGSIZE");
	is_int(q.ncalls, 2, "iova ranges: two calls");
	is_int(q.auxvalid, 48, "iova ranges: three ranges kept");
	is_int(vi_get64(vi_query_aux(&q), 32), 0x3000, "iova ranges: third range start");
	vi_query_free(&q);

	mode = M_HWINFO;
	r = vi_q_hw_info(&be, 0, 1, &q);
	is_int(r, 0, "hw info: success");
	is_int(q.ncalls, 2, "hw info: data_len 0 then 24");
	is_int(q.calls[0].in, 0, "hw info: first data_len 0");
	is_int(q.auxvalid, 24, "hw info: 24 bytes of blob");
	vi_query_free(&q);

	return tap_done();
}
