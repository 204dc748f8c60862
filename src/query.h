/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query.h - the argsz-growth engine.
 *
 * One generic loop serves every info ioctl: start at the minimal size, ask,
 * read back what the kernel says it needs, grow and ask again; zero the
 * buffer before every call; bound the rounds and the size.  The protocol
 * (which signal means "grow") comes from the ioctl table (ioc.h).  Every
 * call made is kept in q->calls, because the negotiation is diagnostic
 * data in itself (-v, JSON "negotiation").
 *
 * This is the only file that writes argsz/size fields.
 */
#ifndef VFIO_INFO_QUERY_H
#define VFIO_INFO_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "bytes.h"

#define VI_QUERY_MAX_ROUNDS	8
#define VI_QUERY_MAX_SIZE	(1u << 20)	/* 1 MiB */

struct vi_call {
	uint32_t in;		/* argsz / size / capacity asked */
	uint32_t out;		/* what the kernel reported back */
	long ret;		/* >= 0 or -errno */
};

enum vi_query_stop {
	VI_QSTOP_OK,		/* answer complete */
	VI_QSTOP_ERROR,		/* the kernel returned an error */
	VI_QSTOP_ROUNDS,	/* still growing after VI_QUERY_MAX_ROUNDS */
	VI_QSTOP_TOO_BIG,	/* asked for more than VI_QUERY_MAX_SIZE */
	VI_QSTOP_NOMEM,
};

struct vi_query {
	enum vi_ioc ioc;
	bool big_endian;
	uint8_t *buf;		/* the struct (and caps / appended data) */
	size_t alloc;
	size_t valid;		/* bytes of buf that hold the answer */
	uint8_t *aux;		/* user-pointer payload (ranges, hw-info blob) */
	size_t auxalloc;
	size_t auxvalid;
	long ret;		/* final return: >= 0 or -errno */
	enum vi_query_stop stop;
	struct vi_call calls[VI_QUERY_MAX_ROUNDS];
	unsigned int ncalls;
};

/* Fills selector fields (index, flags, dev_id...) after each zeroing. */
typedef void (*vi_query_prep)(uint8_t *buf, size_t len, bool be, const void *ctx);

/*
 * Run one info query with the growth protocol of @ioc.  @start is the
 * initial struct size (>= the kernel's minimum).  Returns q->ret.
 * q must be released with vi_query_free() whatever the result.
 */
long vi_query_run(struct vi_backend *be, int h, enum vi_ioc ioc, size_t start,
		  vi_query_prep prep, const void *ctx, struct vi_query *q);
void vi_query_free(struct vi_query *q);

/* The answer as bounded bytes. */
static inline struct vi_bytes vi_query_bytes(const struct vi_query *q)
{
	return vi_bytes_make(q->buf, q->valid, q->big_endian);
}

static inline struct vi_bytes vi_query_aux(const struct vi_query *q)
{
	return vi_bytes_make(q->aux, q->auxvalid, q->big_endian);
}

/* Typed wrappers. */
long vi_q_device_info(struct vi_backend *be, int h, struct vi_query *q);
long vi_q_region_info(struct vi_backend *be, int h, uint32_t index, struct vi_query *q);
long vi_q_irq_info(struct vi_backend *be, int h, uint32_t index, size_t start, struct vi_query *q);
long vi_q_group_status(struct vi_backend *be, int h, struct vi_query *q);
long vi_q_iommu_info(struct vi_backend *be, int h, uint32_t flags_in, struct vi_query *q);
long vi_q_hot_reset_info(struct vi_backend *be, int h, struct vi_query *q);
long vi_q_feature(struct vi_backend *be, int h, uint32_t flags, size_t datasz, struct vi_query *q);
long vi_q_hw_info(struct vi_backend *be, int h, uint32_t dev_id, struct vi_query *q);
long vi_q_iova_ranges(struct vi_backend *be, int h, uint32_t ioas_id, struct vi_query *q);
/* Not a query but built the same way (argsz is written here only): one
 * VFIO_DEVICE_SET_IRQS, with @count s32 handles from @hs (DATA_EVENTFD)
 * or no data (@hs NULL). */
long vi_q_set_irqs(struct vi_backend *be, int h, uint32_t index, uint32_t flags,
		   uint32_t start, uint32_t count, const int *hs, struct vi_query *q);

#endif
