// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-load-region.c - a device's captured region bytes ("regions")
 * into the replay model: each extent checked and clipped to the region's
 * size (its GET_REGION_INFO answer), then sorted once and merged in one
 * pass, so that a region's bytes are found by (index, offset).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bytes.h"
#include "replay-int.h"
#include "uapi/vfio-abi.h"

struct region_size {
	uint32_t index;
	uint64_t size;
};

static int cmp_region_size(const void *a, const void *b)
{
	const struct region_size *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* The region sizes the device's GET_REGION_INFO answers give, sorted by
 * index (the first answer for an index counts).  malloc'ed; *n entries. */
static struct region_size *region_sizes(struct loadctx *c, const struct rp_device *d,
					size_t *n)
{
	struct region_size *v = calloc(d->calls.n + 1, sizeof(*v));
	size_t o = 0;

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < d->calls.n; i++) {
		const struct rp_call *call = &d->calls.v[i];
		struct vi_bytes b = vi_bytes_make(call->ans.data, call->ans.len, c->big_endian);
		uint64_t size;
		uint32_t index;

		if (call->desc->ioc != VI_IOC_DEVICE_GET_REGION_INFO || call->ans.ret < 0 ||
		    vi_u64(b, VI_REGION_SIZE_OFF, &size) < 0)
			continue;
		index = (call->key.sel & VI_SEL_INDEX) ? call->key.index :
			vi_get32(b, VI_REGION_INDEX);
		v[o++] = (struct region_size){ index, size };
	}
	qsort(v, o, sizeof(*v), cmp_region_size);
	/* keep the first of equal indexes (qsort is not stable: any one) */
	*n = 0;
	for (size_t i = 0; i < o; i++)
		if (!*n || v[*n - 1].index != v[i].index)
			v[(*n)++] = v[i];
	return v;
}

static const struct region_size *region_size_of(const struct region_size *v, size_t n,
						uint32_t index)
{
	struct region_size key = { index, 0 };

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_region_size) : NULL;
}

/* By (index, offset), then by place in the file. */
static int cmp_extent(const void *a, const void *b)
{
	const struct rp_extent *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * Sort once, then merge each run of extents that touch or overlap into one
 * buffer in a single pass: every byte is copied once, whatever the number
 * of extents.  A writer never records bytes twice; where extents overlap
 * (noted), the one that starts later (for equal starts, the later in the
 * file) gives the bytes.
 */
static int merge_extents(struct loadctx *c, const char *where, struct rp_device *d)
{
	size_t o = 0, i = 0;

	if (d->next < 2)
		return 0;
	qsort(d->ext, d->next, sizeof(*d->ext), cmp_extent);
	while (i < d->next) {
		struct rp_extent *a = &d->ext[i];
		uint64_t end = a->off + a->len;
		size_t endpos = a->pos, j = i + 1;
		uint8_t *buf;

		for (; j < d->next && d->ext[j].index == a->index && d->ext[j].off <= end; j++) {
			struct rp_extent *b = &d->ext[j];

			if (b->off < end) {
				char w[320];

				rp_sub(w, sizeof(w), where, ".regions[%zu]", b->pos);
				rp_note(c, w, "overlaps the bytes of regions[%zu] (a capture holds "
				     "each byte once); where they overlap, this one's are used",
				     endpos);
			}
			if (b->off + b->len > end) {
				end = b->off + b->len;
				endpos = b->pos;
			}
		}
		if (j == i + 1) {
			d->ext[o++] = *a;
			i = j;
			continue;
		}
		buf = malloc((size_t)(end - a->off));
		if (!buf) {
			/* what is left, for the caller to free */
			while (i < d->next)
				d->ext[o++] = d->ext[i++];
			d->next = o;
			return rp_fail(c, where, "out of memory");
		}
		for (size_t k = i; k < j; k++) {
			memcpy(buf + (d->ext[k].off - a->off), d->ext[k].data, d->ext[k].len);
			free(d->ext[k].data);
		}
		d->ext[o++] = (struct rp_extent){ a->index, a->off, buf,
						  (size_t)(end - a->off), a->pos };
		i = j;
	}
	d->next = o;
	return 0;
}

/* One "regions" entry into d->ext[d->next] (not yet counted). */
static int load_extent(struct loadctx *c, const char *w0, json_t *v, struct rp_extent *e)
{
	char w[320];
	uint64_t u;

	if (!json_is_object(v))
		return rp_bad(c, w0, "must be an object");
	rp_sub(w, sizeof(w), w0, ".index");
	if (rp_load_uint(c, w, json_object_get(v, "index"), UINT32_MAX, &u) < 0)
		return -1;
	e->index = (uint32_t)u;
	rp_sub(w, sizeof(w), w0, ".offset");
	if (rp_load_uint(c, w, json_object_get(v, "offset"), UINT64_MAX >> 1, &e->off) < 0)
		return -1;
	rp_sub(w, sizeof(w), w0, ".data");
	return rp_load_hex(c, w, json_object_get(v, "data"), &e->data, &e->len);
}

/* Bytes beyond the region's size (as its GET_REGION_INFO answer says)
 * are not the device's: left out, noted. */
static int clip_extent(struct loadctx *c, const char *w, struct rp_extent *e,
		       const struct region_size *rs)
{
	if (!rs || e->off + e->len <= rs->size)
		return 0;
	if (e->off >= rs->size)
		return rp_bad(c, w, "%zu byte%s at offset 0x%llx lie%s beyond the end of region "
			   "%u (0x%llx bytes)", e->len, e->len == 1 ? "" : "s",
			   (unsigned long long)e->off, e->len == 1 ? "s" : "", e->index, (unsigned long long)rs->size);
	rp_note(c, w, "%zu bytes at offset 0x%llx run past the end of region %u (0x%llx "
	     "bytes); the %llu bytes beyond it are left out", e->len,
	     (unsigned long long)e->off, e->index, (unsigned long long)rs->size,
	     (unsigned long long)(e->off + e->len - rs->size));
	e->len = (size_t)(rs->size - e->off);
	{
		uint8_t *nd = realloc(e->data, e->len ? e->len : 1);

		if (nd)
			e->data = nd;
	}
	return 0;
}

/* Into d->ext, malloc'ed: each extent checked, clipped, then merged. */
static int load_extents(struct loadctx *c, const char *where, json_t *arr, struct rp_device *d)
{
	struct region_size *rs;
	size_t nrs = 0, i;
	char w[320];
	json_t *v;

	rp_sub(w, sizeof(w), where, ".regions");
	d->ext = calloc(json_array_size(arr) + 1, sizeof(*d->ext));
	rs = region_sizes(c, d, &nrs);
	if (!d->ext || !rs) {
		free(rs);
		return rp_fail(c, w, "out of memory");
	}
	json_array_foreach(arr, i, v) {
		struct rp_extent *e = &d->ext[d->next];
		int ret;

		memset(e, 0, sizeof(*e));
		e->pos = i;
		rp_sub(w, sizeof(w), where, ".regions[%zu]", i);
		c->part = w;
		ret = load_extent(c, w, v, e);
		if (ret == 0)
			ret = clip_extent(c, w, e, region_size_of(rs, nrs, e->index));
		c->part = NULL;
		if (ret == 0 && e->len) {
			d->next++;
		} else {
			free(e->data);
			e->data = NULL;
			if (c->fatal)
				break;
		}
		json_array_set_new(arr, i, json_null());
	}
	free(rs);
	if (c->fatal)
		return -1;
	return merge_extents(c, where, d);
}

static void free_extents(struct rp_device *d)
{
	if (d->ext)
		for (size_t i = 0; i < d->next; i++)
			free(d->ext[i].data);
	free(d->ext);
	d->ext = NULL;
	d->next = 0;
}

/* The extents are read and merged in scratch memory, then kept in the
 * capture's arena: only the bytes that remain, and no room for extents
 * left out. */
int rp_load_regions(struct loadctx *c, const char *where, json_t *arr, struct rp_device *d)
{
	struct rp_extent *kept;
	char w[320];

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		rp_sub(w, sizeof(w), where, ".regions");
		c->part = w;
		rp_bad(c, w, "must be an array");
		c->part = NULL;
		return 0;
	}
	if (load_extents(c, where, arr, d) < 0) {
		free_extents(d);
		return -1;
	}
	kept = rp_keep(c, (d->next ? d->next : 1) * sizeof(*kept));
	for (size_t i = 0; kept && i < d->next; i++) {
		kept[i] = d->ext[i];
		kept[i].data = rp_keep(c, d->ext[i].len);
		if (!kept[i].data)
			kept = NULL;
		else
			memcpy(kept[i].data, d->ext[i].data, d->ext[i].len);
	}
	if (!kept) {
		free_extents(d);
		return rp_fail(c, where, "out of memory");
	}
	{
		size_t n = d->next;

		free_extents(d);
		d->ext = kept;
		d->next = n;
	}
	return 0;
}
