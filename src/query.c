// SPDX-License-Identifier: GPL-2.0-or-later
/* query.c - the argsz-growth engine and its typed wrappers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "uapi/vfio-abi.h"

/*
 * Query buffers are kept for the next query instead of being freed: a
 * dump makes a few dozen queries, most of them a few hundred bytes, and an
 * answer may ask for up to VI_QUERY_MAX_SIZE.  Every call must see zeroes
 * up to the size it is given; a kept buffer knows how far it was handed
 * out since it was last all zero (@dirty: everything a backend or a prep
 * could have written), so taking it clears only that much of what is
 * asked, never the whole MiB again for a small query after a large one.
 *
 * The header sits in front of the bytes with a gap; under AddressSanitizer
 * the gap, the bytes past what a query was given, and a kept buffer's
 * bytes are poisoned, so reading before or past a query's buffer, or one
 * that vi_query_free() gave back, is still reported.  The kept buffers
 * are process-wide: vfio-info has one thread.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)	/* clang */
#define QUERY_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)	/* gcc */
#define QUERY_ASAN 1
#endif
#ifdef QUERY_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)	((void)(p), (void)(n))
#define UNPOISON(p, n)	((void)(p), (void)(n))
#endif

struct qbuf {
	size_t cap;		/* bytes after QBUF_DATA */
	size_t dirty;		/* bytes from the start that may not be zero */
	struct qbuf *next;	/* in its size class's list while kept */
};
#define QBUF_DATA	64	/* the header, then a poisoned gap */

/*
 * Kept buffers by size class: class k holds 256 << k bytes, up to
 * VI_QUERY_MAX_SIZE (1 MiB, class 12); taking and giving back is one step,
 * with no search.  A few are kept in each class, and only one of the
 * largest, so that at most about 3 MiB stay allocated between queries.
 */
#define QCLASSES	13
#define QCLASS_KEEP	8
#define QKEEP_LARGE	1	/* classes 9 (128 KiB) and up */
static struct qbuf *kept[QCLASSES];
static unsigned int nkept[QCLASSES];

/* The class that holds @want bytes; QCLASSES if none does. */
static unsigned int class_of(size_t want)
{
	unsigned long long w = want > 1 ? (unsigned long long)(want - 1) >> 8 : 0;
	unsigned int k = w ? 64 - (unsigned int)__builtin_clzll(w) : 0;

	return k < QCLASSES ? k : QCLASSES;
}

static struct qbuf *hdr_of(uint8_t *p)
{
	return (struct qbuf *)(void *)(p - QBUF_DATA);
}

static uint8_t *data_of(struct qbuf *b)
{
	return (uint8_t *)b + QBUF_DATA;
}

/* Give @p (a query's buffer, or NULL) back: kept if its class has room. */
static void buf_put(uint8_t *p)
{
	struct qbuf *b;
	unsigned int k;

	if (!p)
		return;
	b = hdr_of(p);
	k = class_of(b->cap);
	if (k == QCLASSES || (size_t)256 << k != b->cap ||
	    nkept[k] == (k >= 9 ? QKEEP_LARGE : QCLASS_KEEP)) {
		UNPOISON(b, QBUF_DATA + b->cap);
		free(b);
		return;
	}
	POISON(p, b->cap);
	b->next = kept[k];
	kept[k] = b;
	nkept[k]++;
}

/* @want zero bytes (a kept buffer of its class, or a new one), NULL when
 * out of memory. */
static uint8_t *buf_get(size_t want)
{
	unsigned int k = class_of(want);
	size_t cap = k < QCLASSES ? (size_t)256 << k : want;
	struct qbuf *b = k < QCLASSES ? kept[k] : NULL;
	uint8_t *p;

	if (b) {
		kept[k] = b->next;
		nkept[k]--;
		p = data_of(b);
		UNPOISON(p, want);
		/* past @dirty it is zero already */
		memset(p, 0, want < b->dirty ? want : b->dirty);
		if (want > b->dirty)
			b->dirty = want;
		return p;
	}
	b = calloc(1, QBUF_DATA + cap);
	if (!b)
		return NULL;
	b->cap = cap;
	b->dirty = want;
	p = data_of(b);
	POISON((uint8_t *)b + sizeof(*b), QBUF_DATA - sizeof(*b));
	POISON(p + want, cap - want);
	return p;
}

void vi_query_free(struct vi_query *q)
{
	buf_put(q->buf);
	buf_put(q->aux);
	q->buf = q->aux = NULL;
	q->alloc = q->valid = q->auxalloc = q->auxvalid = 0;
}

/*
 * A zeroed buffer of @want bytes for the next call, in place of the last
 * one.  Nothing of the last answer is kept (the call is made afresh).
 */
static int fresh(uint8_t **p, size_t *have, size_t want)
{
	buf_put(*p);
	*have = 0;
	if (want == 0)
		want = 1;	/* a valid pointer even for an empty payload */
	*p = buf_get(want);
	if (!*p)
		return -ENOMEM;
	*have = want;
	return 0;
}

static uint32_t get32(const struct vi_query *q, size_t off)
{
	return vi_get32(vi_bytes_make(q->buf, q->alloc, q->big_endian), off);
}

/* What the kernel asks for next, per protocol; 0 when satisfied. */
static size_t wanted(const struct vi_query *q, const struct vi_ioc_desc *d, long ret)
{
	switch (d->growth) {
	case VI_GROW_ARGSZ:
		if (ret < 0)
			return 0;
		return get32(q, 0) > q->alloc ? get32(q, 0) : 0;
	case VI_GROW_COUNT_ENOSPC:
		if (ret != -ENOSPC)
			return 0;
		return VI_HRI_DEVICES + (size_t)get32(q, VI_HRI_COUNT) * VI_HRI_DEV_SIZE;
	case VI_GROW_COUNT_EMSGSIZE:
		if (ret != -EMSGSIZE)
			return 0;
		return (size_t)get32(q, VI_IOVR_NUM_IOVAS) * VI_IOVR_RANGE_SIZE;
	case VI_GROW_DATA_LEN:
		if (ret < 0)
			return 0;
		return get32(q, VI_HWI_DATA_LEN) > q->auxalloc ? get32(q, VI_HWI_DATA_LEN) : 0;
	case VI_GROW_NONE:
		break;
	}
	return 0;
}

/* The growth protocols that grow the user-pointer payload, not the struct. */
static bool grows_aux(const struct vi_ioc_desc *d)
{
	return d->growth == VI_GROW_COUNT_EMSGSIZE || d->growth == VI_GROW_DATA_LEN;
}

long vi_query_run(struct vi_backend *be, int h, enum vi_ioc ioc, size_t start,
		  vi_query_prep prep, const void *ctx, struct vi_query *q)
{
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	size_t next_size = start, next_aux = 0;
	long ret = -EINVAL;

	memset(q, 0, sizeof(*q));
	q->ioc = ioc;
	q->big_endian = be->big_endian;
	q->stop = VI_QSTOP_ERROR;
	if (!d || d->arg != VI_ARG_STRUCT) {
		q->ret = -EINVAL;
		return q->ret;
	}

	for (unsigned int round = 0; round < VI_QUERY_MAX_ROUNDS; round++) {
		struct vi_ioarg arg = { 0 };
		size_t need;

		/* every call starts from zeroes, as far as the kernel can see:
		 * the struct up to argsz and the payload behind the pointer */
		if (fresh(&q->buf, &q->alloc, next_size) ||
		    (grows_aux(d) && fresh(&q->aux, &q->auxalloc, next_aux))) {
			q->stop = VI_QSTOP_NOMEM;
			q->ret = -ENOMEM;
			return q->ret;
		}
		if (prep)
			prep(q->buf, q->alloc, q->big_endian, ctx);
		/* argsz (VFIO) or size (IOMMUFD): always the real allocation */
		vi_put32(q->buf, q->alloc, 0, (uint32_t)q->alloc, q->big_endian);
		if (d->growth == VI_GROW_COUNT_EMSGSIZE)
			vi_put32(q->buf, q->alloc, VI_IOVR_NUM_IOVAS,
				 (uint32_t)(next_aux / VI_IOVR_RANGE_SIZE), q->big_endian);
		if (d->growth == VI_GROW_DATA_LEN)
			vi_put32(q->buf, q->alloc, VI_HWI_DATA_LEN,
				 (uint32_t)next_aux, q->big_endian);

		arg.buf = q->buf;
		arg.len = q->alloc;
		if (grows_aux(d)) {
			arg.aux = next_aux ? q->aux : NULL;
			arg.auxlen = next_aux;
		}
		ret = vi_be_ioctl(be, h, ioc, &arg);

		q->calls[q->ncalls].in = grows_aux(d) ? (uint32_t)next_aux : (uint32_t)q->alloc;
		q->calls[q->ncalls].ret = ret;
		switch (d->growth) {
		case VI_GROW_COUNT_ENOSPC:
			q->calls[q->ncalls].out = get32(q, VI_HRI_COUNT);
			q->calls[q->ncalls].in = (uint32_t)q->alloc;
			break;
		case VI_GROW_COUNT_EMSGSIZE:
			q->calls[q->ncalls].out = get32(q, VI_IOVR_NUM_IOVAS);
			q->calls[q->ncalls].in = (uint32_t)(next_aux / VI_IOVR_RANGE_SIZE);
			break;
		case VI_GROW_DATA_LEN:
			q->calls[q->ncalls].out = get32(q, VI_HWI_DATA_LEN);
			break;
		default:
			q->calls[q->ncalls].out = get32(q, 0);
			break;
		}
		q->ncalls++;

		/* hot-reset info: the topology changed between two calls */
		if (d->growth == VI_GROW_COUNT_ENOSPC && ret == -EAGAIN &&
		    round + 1 < VI_QUERY_MAX_ROUNDS)
			continue;
		need = wanted(q, d, ret);
		if (need == 0)
			break;
		if (need > VI_QUERY_MAX_SIZE) {
			q->stop = VI_QSTOP_TOO_BIG;
			goto partial;
		}
		if (grows_aux(d)) {
			if (need <= next_aux && ret < 0)
				break;	/* "no room" yet nothing more asked */
			next_aux = need;
		} else {
			if (need <= q->alloc)
				break;	/* the kernel says no room, asks no more */
			next_size = need;
		}
		if (round + 1 == VI_QUERY_MAX_ROUNDS) {
			q->stop = VI_QSTOP_ROUNDS;
			goto partial;
		}
	}

	q->ret = ret;
	if (ret < 0) {
		q->stop = VI_QSTOP_ERROR;
		q->valid = q->alloc;	/* what came back, e.g. -ENOSPC's count */
		return ret;
	}
	q->stop = VI_QSTOP_OK;
	goto lengths;

partial:
	/* Growth gave up: keep what the last call returned, if it succeeded. */
	q->ret = ret;
lengths:
	q->valid = q->alloc;
	if (d->growth == VI_GROW_ARGSZ) {
		/* valid length is min(reported, allocated) */
		uint32_t rep = get32(q, 0);
		if (rep < q->valid)
			q->valid = rep;	/* below the minimum: the decoder says so */
	}
	if (d->growth == VI_GROW_DATA_LEN) {
		uint32_t dl = get32(q, VI_HWI_DATA_LEN);
		q->auxvalid = dl < q->auxalloc ? dl : q->auxalloc;
		if (!q->aux)
			q->auxvalid = 0;
	}
	if (d->growth == VI_GROW_COUNT_EMSGSIZE && q->aux) {
		size_t n = get32(q, VI_IOVR_NUM_IOVAS);
		size_t cap = next_aux / VI_IOVR_RANGE_SIZE;
		q->auxvalid = (n < cap ? n : cap) * VI_IOVR_RANGE_SIZE;
	}
	return q->ret;
}

/* ---- typed wrappers ---- */

struct u32_at {
	size_t off;
	uint32_t v;
};

static void prep_u32(uint8_t *buf, size_t len, bool be, const void *ctx)
{
	const struct u32_at *f = ctx;
	vi_put32(buf, len, f->off, f->v, be);
}

long vi_q_device_info(struct vi_backend *be, int h, struct vi_query *q)
{
	return vi_query_run(be, h, VI_IOC_DEVICE_GET_INFO, VI_DEVINFO_MINSZ, NULL, NULL, q);
}

long vi_q_region_info(struct vi_backend *be, int h, uint32_t index, struct vi_query *q)
{
	struct u32_at f = { VI_REGION_INDEX, index };
	return vi_query_run(be, h, VI_IOC_DEVICE_GET_REGION_INFO, VI_REGION_MINSZ,
			    prep_u32, &f, q);
}

long vi_q_irq_info(struct vi_backend *be, int h, uint32_t index, size_t start,
		   struct vi_query *q)
{
	struct u32_at f = { VI_IRQ_INDEX, index };
	return vi_query_run(be, h, VI_IOC_DEVICE_GET_IRQ_INFO, start, prep_u32, &f, q);
}

long vi_q_group_status(struct vi_backend *be, int h, struct vi_query *q)
{
	return vi_query_run(be, h, VI_IOC_GROUP_GET_STATUS, VI_GROUP_STATUS_SIZE,
			    NULL, NULL, q);
}

long vi_q_iommu_info(struct vi_backend *be, int h, uint32_t flags_in, struct vi_query *q)
{
	struct u32_at f = { VI_T1INFO_FLAGS, flags_in };
	return vi_query_run(be, h, VI_IOC_IOMMU_GET_INFO, VI_T1INFO_MINSZ, prep_u32, &f, q);
}

long vi_q_hot_reset_info(struct vi_backend *be, int h, struct vi_query *q)
{
	return vi_query_run(be, h, VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, VI_HRI_MINSZ,
			    NULL, NULL, q);
}

long vi_q_feature(struct vi_backend *be, int h, uint32_t flags, size_t datasz,
		  struct vi_query *q)
{
	struct u32_at f = { VI_FEAT_FLAGS, flags };
	return vi_query_run(be, h, VI_IOC_DEVICE_FEATURE, VI_FEAT_MINSZ + datasz,
			    prep_u32, &f, q);
}

long vi_q_hw_info(struct vi_backend *be, int h, uint32_t dev_id, struct vi_query *q)
{
	struct u32_at f = { VI_HWI_DEV_ID, dev_id };
	return vi_query_run(be, h, VI_IOC_IOMMU_GET_HW_INFO, VI_HWI_SIZE, prep_u32, &f, q);
}

long vi_q_iova_ranges(struct vi_backend *be, int h, uint32_t ioas_id, struct vi_query *q)
{
	struct u32_at f = { VI_IOVR_IOAS_ID, ioas_id };
	return vi_query_run(be, h, VI_IOC_IOMMU_IOAS_IOVA_RANGES, VI_IOVR_SIZE,
			    prep_u32, &f, q);
}

/* VFIO_DEVICE_SET_IRQS: no growth, one call; the header and, for
 * DATA_EVENTFD, one s32 handle per vector. */
struct irq_set_req {
	uint32_t flags, index, start, count;
	const int *hs;
};

static void prep_irq_set(uint8_t *buf, size_t len, bool be, const void *ctx)
{
	const struct irq_set_req *r = ctx;

	vi_put32(buf, len, VI_IRQSET_FLAGS, r->flags, be);
	vi_put32(buf, len, VI_IRQSET_INDEX, r->index, be);
	vi_put32(buf, len, VI_IRQSET_START, r->start, be);
	vi_put32(buf, len, VI_IRQSET_COUNT, r->count, be);
	for (uint32_t i = 0; r->hs && i < r->count; i++)
		vi_put32(buf, len, VI_IRQSET_DATA + (size_t)i * VI_IRQSET_FD_SIZE,
			 (uint32_t)r->hs[i], be);
}

long vi_q_set_irqs(struct vi_backend *be, int h, uint32_t index, uint32_t flags,
		   uint32_t start, uint32_t count, const int *hs, struct vi_query *q)
{
	struct irq_set_req r = { flags, index, start, count, hs };

	if (hs && count > (VI_QUERY_MAX_SIZE - VI_IRQSET_SIZE) / VI_IRQSET_FD_SIZE) {
		memset(q, 0, sizeof(*q));
		q->ioc = VI_IOC_DEVICE_SET_IRQS;
		q->ret = -E2BIG;
		return q->ret;
	}
	return vi_query_run(be, h, VI_IOC_DEVICE_SET_IRQS,
			    VI_IRQSET_SIZE + (hs ? (size_t)count * VI_IRQSET_FD_SIZE : 0),
			    prep_irq_set, &r, q);
}
