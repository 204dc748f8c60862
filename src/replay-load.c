// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-load.c - parse and check a capture file into the replay model.
 *
 * A capture may come from a stranger.  The envelope (version, byte order,
 * devices) must be right or nothing loads; below it, each part is checked
 * on its own: a call, a region extent, a device, a group, a sysfs entry
 * that no kernel would give is reported (one note naming its JSON
 * position) and left out, and the rest loads.  Memory stays a small
 * multiple of the file: each part's JSON is freed once it is loaded, and
 * region extents are sorted once and merged in one pass.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bytes.h"
#include "capture-io.h"
#include "names.h"
#include "replay-int.h"
#include "safe.h"
#include "uapi/vfio-abi.h"

/* Answers up to ARENA_SMALL bytes are packed into ARENA_CHUNK blocks. */
#define ARENA_SMALL	1024
#define ARENA_CHUNK	(64 * 1024 - 64)

/* After this many notes, only how many more there were. */
#define MAX_NOTES	100

/* The capture cannot be used at all (broken envelope, out of memory). */
int rp_fail(struct loadctx *c, const char *where, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s: %s", c->file, where, msg);
	c->fatal = true;
	return -1;
}

static void vnote(struct loadctx *c, const char *where, const char *fmt, va_list ap)
{
	char msg[512], line[1400];
	unsigned int rank = c->rank < 16 ? c->rank : 15;

	c->notes++;
	/* only the first MAX_NOTES in the parts' order are shown: no rank
	 * needs more than that many kept */
	if (!c->o || !c->o->report || ++c->rank_notes[rank] > MAX_NOTES)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (c->then)
		snprintf(line, sizeof(line), "%s: %s: malformed capture: %s; %s", c->file,
			 where, msg, c->then);
	else
		snprintf(line, sizeof(line), "%s: %s: malformed capture: %s%s%s%s", c->file,
			 where, msg, c->part ? "; " : "", c->part ? c->part : "",
			 c->part ? " is left out" : "");
	if (c->npend == c->cappend) {
		size_t cap = c->cappend ? c->cappend * 2 : 16;
		struct rp_pending *np = realloc(c->pend, cap * sizeof(*np));

		if (!np)
			return;
		c->pend = np;
		c->cappend = cap;
	}
	c->pend[c->npend].rank = rank;
	c->pend[c->npend].line = strdup(line);
	if (c->pend[c->npend].line)
		c->npend++;
}

/* The notes kept, in the parts' order (then the file's), at most
 * MAX_NOTES of them, then how many more there were; forgotten after. */
static void flush_notes(struct loadctx *c, bool more)
{
	size_t shown = 0;

	for (unsigned int rank = 0; rank < 16; rank++)
		for (size_t i = 0; i < c->npend; i++)
			if (c->pend[i].rank == rank && shown < MAX_NOTES) {
				c->o->report(c->o->report_ctx, -EINVAL, c->pend[i].line);
				shown++;
			}
	if (more && c->notes > MAX_NOTES) {
		char line[512];

		snprintf(line, sizeof(line), "%s: malformed capture: %lu more malformed "
			 "item%s not shown", c->file, c->notes - MAX_NOTES,
			 c->notes - MAX_NOTES == 1 ? "" : "s");
		c->o->report(c->o->report_ctx, -EINVAL, line);
	}
}

static void forget_notes(struct loadctx *c)
{
	for (size_t i = 0; i < c->npend; i++)
		free(c->pend[i].line);
	free(c->pend);
	c->pend = NULL;
	c->npend = c->cappend = 0;
	c->notes = 0;
	memset(c->rank_notes, 0, sizeof(c->rank_notes));
}

/* Something no kernel answers: reported, and the part being loaded
 * (c->part) is left out.  Returns -1 for the caller to drop it. */
int rp_bad(struct loadctx *c, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(c, where, fmt, ap);
	va_end(ap);
	return -1;
}

/* The same, when the caller keeps what it can (says so in @fmt). */
void rp_note(struct loadctx *c, const char *where, const char *fmt, ...)
{
	const char *part = c->part, *then = c->then;
	va_list ap;

	c->part = NULL;
	c->then = NULL;
	va_start(ap, fmt);
	vnote(c, where, fmt, ap);
	va_end(ap);
	c->part = part;
	c->then = then;
}

/* @w = @where followed by the printf-style @fmt (a JSON path). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void sub(char *w, size_t n, const char *where, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	snprintf(w, n, "%s", where);
	used = strlen(w);
	va_start(ap, fmt);
	vsnprintf(w + used, n - used, fmt, ap);
	va_end(ap);
}

/* A value from the file, fit to quote in a message (malloc'ed). */
char *rp_shown(const char *s)
{
	return vi_printable(s, VI_MSG_NAME_MAX);
}

int rp_load_hex(struct loadctx *c, const char *where, json_t *v, uint8_t **out, size_t *len)
{
	size_t bad_at = 0;
	int ret;

	if (!json_is_string(v))
		return rp_bad(c, where, "must be a hex string");
	ret = vi_hex_decode(json_string_value(v), out, len, &bad_at);
	if (ret == VI_HEX_BAD_CHAR) {
		char ch[2] = { json_string_value(v)[bad_at], '\0' };
		char *q = rp_shown(ch);
		int r = rp_bad(c, where, "bad hex digit '%s' at character %zu", q, bad_at);

		free(q);
		return r;
	}
	if (ret == VI_HEX_ODD)
		return rp_bad(c, where, "odd number of hex digits");
	if (ret < 0)
		return rp_fail(c, where, "out of memory");
	return 0;
}

static int load_uint(struct loadctx *c, const char *where, json_t *v, uint64_t max,
		     uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return rp_bad(c, where, "must be an integer from 0 to %llu",
			   (unsigned long long)max);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* "ret" and "errno" of a call or of one response object. */
static int load_answer(struct loadctx *c, const char *where, json_t *o, struct rp_answer *a)
{
	char w[320];
	json_t *v;

	a->ret = 0;
	a->err = 0;
	v = json_object_get(o, "ret");
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < -1 ||
		    json_integer_value(v) > INT_MAX) {
			sub(w, sizeof(w), where, ".ret");
			return rp_bad(c, w, "must be -1 or a non-negative integer");
		}
		a->ret = (int32_t)json_integer_value(v);
	}
	v = json_object_get(o, "errno");
	if (v) {
		sub(w, sizeof(w), where, ".errno");
		if (json_is_string(v)) {
			a->err = vi_errno_value(json_string_value(v));
			if (!a->err) {
				char *q = rp_shown(json_string_value(v));
				int r = rp_bad(c, w, "unknown errno name \"%s\"", q);

				free(q);
				return r;
			}
		} else if (json_is_integer(v) && json_integer_value(v) > 0 &&
			   json_integer_value(v) <= MAX_ERRNO) {
			a->err = (int)json_integer_value(v);
		} else {
			return rp_bad(c, w, "must be an errno name such as \"EINVAL\"");
		}
	}
	if (a->ret < 0 && !a->err)
		return rp_bad(c, where, "\"ret\": -1 needs an \"errno\"");
	return 0;
}

static void free_call(struct rp_call *call)
{
	free(call->key.name);
	if (!call->ans.shared)
		free(call->ans.data);
	if (call->more) {
		free(call->more->aux);
		for (size_t j = 0; j < call->more->nresp; j++)
			if (!call->more->resp[j].shared)
				free(call->more->resp[j].data);
		free(call->more->resp);
		free(call->more);
	}
	memset(call, 0, sizeof(*call));
}

/* A hex string as an answer's bytes (at most 4 GiB: a length no
 * struct the kernel writes comes near). */
static int load_answer_hex(struct loadctx *c, const char *where, json_t *v, struct rp_answer *a)
{
	size_t len = 0;

	if (rp_load_hex(c, where, v, &a->data, &len) < 0)
		return -1;
	if (len > UINT32_MAX) {
		free(a->data);
		a->data = NULL;
		return rp_bad(c, where, "longer than 4 GiB");
	}
	a->len = (uint32_t)len;
	a->has_data = true;
	/* a small one moves into the arena */
	if (c->arena && len && len <= ARENA_SMALL) {
		struct rp_chunk *k = *c->arena;

		if (!k || k->cap - k->used < len) {
			k = malloc(sizeof(*k) + ARENA_CHUNK);
			if (!k)
				return 0;	/* it stays where it is */
			k->next = *c->arena;
			k->used = 0;
			k->cap = ARENA_CHUNK;
			*c->arena = k;
		}
		memcpy(k->b + k->used, a->data, len);
		free(a->data);
		a->data = k->b + k->used;
		a->shared = true;
		k->used += len;
	}
	return 0;
}

static struct rp_more *call_more(struct loadctx *c, const char *where, struct rp_call *call)
{
	if (!call->more && !(call->more = calloc(1, sizeof(*call->more))))
		rp_fail(c, where, "out of memory");
	return call->more;
}

static void free_calls(struct rp_calls *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free_call(&cs->v[i]);
	free(cs->v);
	cs->v = NULL;
	cs->n = 0;
}

static int load_responses(struct loadctx *c, const char *where, json_t *arr,
			  struct rp_call *call)
{
	char w[320];
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return rp_bad(c, where, "must be an array");
	if (json_array_size(arr) == 0)
		return rp_bad(c, where, "must not be empty");
	if (!call_more(c, where, call))
		return -1;
	call->more->resp = calloc(json_array_size(arr), sizeof(*call->more->resp));
	if (!call->more->resp)
		return rp_fail(c, where, "out of memory");
	json_array_foreach(arr, i, v) {
		struct rp_answer *a = &call->more->resp[i];

		sub(w, sizeof(w), where, "[%zu]", i);
		call->more->nresp = i + 1;
		if (json_is_string(v)) {
			if (load_answer_hex(c, w, v, a) < 0)
				return -1;
		} else if (json_is_object(v)) {
			if (load_answer(c, w, v, a) < 0)
				return -1;
		} else {
			return rp_bad(c, w, "must be a hex string or an object with ret/errno");
		}
	}
	return 0;
}

/* Does a success of this call always come with the struct the kernel
 * wrote?  Info queries do; calls that only open or act, and a feature
 * PROBE (with or without GET) or a SET, and a QUERY_GFX_PLANE probe,
 * write nothing back. */
static bool success_has_data(const struct rp_call *call)
{
	const struct vi_ioc_desc *d = call->desc;

	if (d->arg != VI_ARG_STRUCT || d->opens || d->side_effect)
		return false;
	if (d->ioc == VI_IOC_DEVICE_FEATURE)
		return (call->key.sel & VI_SEL_FLAGS) && (call->key.fflags & VI_FEAT_GET) &&
		       !(call->key.fflags & VI_FEAT_PROBE);
	/* a QUERY_GFX_PLANE probe answers 0 or an error, nothing more */
	if (d->ioc == VI_IOC_DEVICE_QUERY_GFX_PLANE)
		return !(call->key.sel & VI_SEL_PLANE) || !(call->key.plane & VI_GFX_PLANE_TYPE_PROBE);
	return true;
}

/* Returns 1 when the call names an ioctl this vfio-info does not know:
 * a newer writer may record more, and readers ignore what they do not know. */
static int load_call(struct loadctx *c, const char *where, json_t *o, struct rp_call *call)
{
	char w[320];
	uint64_t u;
	json_t *v;

	if (!json_is_object(o))
		return rp_bad(c, where, "must be an object");
	v = json_object_get(o, "ioctl");
	if (!json_is_string(v)) {
		sub(w, sizeof(w), where, ".ioctl");
		return rp_bad(c, w, "missing or not a string");
	}
	call->desc = vi_ioc_by_name(json_string_value(v));
	if (!call->desc)
		return 1;

	if ((v = json_object_get(o, "index"))) {
		sub(w, sizeof(w), where, ".index");
		if (load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.index = (uint32_t)u;
		call->key.sel |= VI_SEL_INDEX;
	}
	if ((v = json_object_get(o, "extension"))) {
		sub(w, sizeof(w), where, ".extension");
		if (load_uint(c, w, v, UINT64_MAX >> 1, &u) < 0)
			return -1;
		call->key.extension = u;
		call->key.sel |= VI_SEL_EXTENSION;
	}
	if (json_is_true(json_object_get(o, "iommu_set")))
		call->key.sel |= VI_SEL_IOMMU_SET;
	if ((v = json_object_get(o, "feature"))) {
		sub(w, sizeof(w), where, ".feature");
		if (load_uint(c, w, v, VI_FEAT_MASK, &u) < 0)
			return -1;
		call->key.feature = (uint32_t)u;
		call->key.sel |= VI_SEL_FEATURE;
	}
	if ((v = json_object_get(o, "flags"))) {
		sub(w, sizeof(w), where, ".flags");
		if (!json_is_string(v) ||
		    vi_feature_flags_parse(json_string_value(v), &call->key.fflags) < 0)
			return rp_bad(c, w, "must be PROBE, GET, SET joined with \"|\"");
		call->key.sel |= VI_SEL_FLAGS;
	}
	if ((v = json_object_get(o, "plane_flags"))) {
		uint64_t pf;

		sub(w, sizeof(w), where, ".plane_flags");
		if (!json_is_string(v) ||
		    vi_flags_split(vi_gfx_plane_flags, json_string_value(v), &pf) < 0)
			return rp_bad(c, w, "must be PROBE, DMABUF, REGION joined with \"|\"");
		call->key.plane = (uint32_t)pf;
		call->key.sel |= VI_SEL_PLANE;
	}
	if ((v = json_object_get(o, "in_data_type"))) {
		sub(w, sizeof(w), where, ".in_data_type");
		if (load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.hwtype = (uint32_t)u;
		call->key.sel |= VI_SEL_HWTYPE;
	}
	if ((v = json_object_get(o, "dev_id"))) {
		sub(w, sizeof(w), where, ".dev_id");
		if (load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.dev_id = (uint32_t)u;
		call->key.sel |= VI_SEL_DEV_ID;
	}
	if ((v = json_object_get(o, "name"))) {
		sub(w, sizeof(w), where, ".name");
		if (!json_is_string(v) || !vi_name_ok(VI_NAME_COMPONENT, json_string_value(v)) ||
		    strlen(json_string_value(v)) >= VI_CALLKEY_NAME_MAX) {
			char *q = rp_shown(json_is_string(v) ? json_string_value(v) : "");
			int r = rp_bad(c, w, "\"%s\" is not a device name", q);

			free(q);
			return r;
		}
		call->key.name = strdup(json_string_value(v));
		if (!call->key.name)
			return rp_fail(c, w, "out of memory");
		call->key.sel |= VI_SEL_NAME;
	}
	if (load_answer(c, where, o, &call->ans) < 0)
		return -1;
	if ((v = json_object_get(o, "data"))) {
		sub(w, sizeof(w), where, ".data");
		if (load_answer_hex(c, w, v, &call->ans) < 0)
			return -1;
	}
	if ((v = json_object_get(o, "aux"))) {
		sub(w, sizeof(w), where, ".aux");
		if (!call_more(c, w, call) ||
		    rp_load_hex(c, w, v, &call->more->aux, &call->more->auxlen) < 0)
			return -1;
		call->more->has_aux = true;
	}
	if ((v = json_object_get(o, "responses"))) {
		sub(w, sizeof(w), where, ".responses");
		if (load_responses(c, w, v, call) < 0)
			return -1;
	}
	if (!rp_nresp(call) && call->ans.ret == 0 && call->ans.len == 0 && success_has_data(call))
		return rp_bad(c, where, "%s succeeded (ret 0) with %s, but the kernel always "
			   "writes its struct", call->desc->name,
			   call->ans.has_data ? "empty \"data\"" : "no \"data\"");
	return 0;
}

static int load_calls(struct loadctx *c, const char *where, json_t *owner, struct rp_calls *cs)
{
	json_t *arr = json_object_get(owner, "ioctls");
	char w[320];
	size_t i;
	json_t *v;

	if (!arr)
		return 0;
	sub(w, sizeof(w), where, "%sioctls", *where ? "." : "");
	if (!json_is_array(arr)) {
		c->part = w;
		rp_bad(c, w, "must be an array");
		c->part = NULL;
		return 0;
	}
	cs->v = calloc(json_array_size(arr) ? json_array_size(arr) : 1, sizeof(*cs->v));
	if (!cs->v)
		return rp_fail(c, w, "out of memory");
	json_array_foreach(arr, i, v) {
		int ret;

		sub(w, sizeof(w), where, "%sioctls[%zu]", *where ? "." : "", i);
		memset(&cs->v[cs->n], 0, sizeof(cs->v[cs->n]));
		c->part = w;
		ret = load_call(c, w, v, &cs->v[cs->n]);
		c->part = NULL;
		if (ret == 0) {
			cs->n++;
		} else {
			free_call(&cs->v[cs->n]);
			if (c->fatal)
				return -1;
		}
		/* loaded: its JSON is no longer needed */
		json_array_set_new(arr, i, json_null());
	}
	/* no room kept for calls left out */
	if (cs->n < json_array_size(arr)) {
		struct rp_call *nv = realloc(cs->v, (cs->n + 1) * sizeof(*cs->v));

		if (nv)
			cs->v = nv;
	}
	return 0;
}

/* A group name: a string, or a number for the convenience of hand-written
 * files.  *out stays NULL when absent or null; -1 (noted) when not a
 * group number as the kernel makes them. */
static int load_group_name(struct loadctx *c, const char *where, json_t *v, char **out)
{
	char buf[32];

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		*out = strdup(buf);
	} else if (json_is_string(v) && vi_name_ok(VI_NAME_GROUP, json_string_value(v))) {
		*out = strdup(json_string_value(v));
	} else {
		char *q = rp_shown(json_is_string(v) ? json_string_value(v) : "");
		int r = rp_bad(c, where, "\"%s\" is not an IOMMU group such as \"12\" or "
			    "\"noiommu-3\"", q);

		free(q);
		return r;
	}
	return *out ? 0 : rp_fail(c, where, "out of memory");
}

/* ---- region bytes ---- */

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

				sub(w, sizeof(w), where, ".regions[%zu]", b->pos);
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
		if (!buf)
			return rp_fail(c, where, "out of memory");
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
	sub(w, sizeof(w), w0, ".index");
	if (load_uint(c, w, json_object_get(v, "index"), UINT32_MAX, &u) < 0)
		return -1;
	e->index = (uint32_t)u;
	sub(w, sizeof(w), w0, ".offset");
	if (load_uint(c, w, json_object_get(v, "offset"), UINT64_MAX >> 1, &e->off) < 0)
		return -1;
	sub(w, sizeof(w), w0, ".data");
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

static int load_regions(struct loadctx *c, const char *where, json_t *arr, struct rp_device *d)
{
	struct region_size *rs;
	size_t nrs = 0, i;
	char w[320];
	json_t *v;

	if (!arr)
		return 0;
	sub(w, sizeof(w), where, ".regions");
	if (!json_is_array(arr)) {
		c->part = w;
		rp_bad(c, w, "must be an array");
		c->part = NULL;
		return 0;
	}
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
		sub(w, sizeof(w), where, ".regions[%zu]", i);
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

static void free_device(struct rp_device *d)
{
	free(d->name);
	free(d->group);
	free(d->cdev);
	free_calls(&d->calls);
	for (size_t j = 0; j < d->next; j++)
		free(d->ext[j].data);
	free(d->ext);
	for (size_t j = 0; j < d->nirqsets; j++)
		free(d->irqsets[j].trig);
	free(d->irqsets);
	memset(d, 0, sizeof(*d));
}

/* -1 when the device is left out (noted) or on a fatal error. */
static int load_device(struct loadctx *c, size_t i, json_t *o, struct rp_device *d)
{
	char where[64], w[96];
	const char *name;
	json_t *v;

	snprintf(where, sizeof(where), "devices[%zu]", i);
	c->part = where;
	if (!json_is_object(o))
		return rp_bad(c, where, "must be an object");
	v = json_object_get(o, "name");
	sub(w, sizeof(w), where, ".name");
	if (!json_is_string(v) || !*json_string_value(v))
		return rp_bad(c, w, "missing or not a string");
	name = json_string_value(v);
	if (!vi_name_ok(VI_NAME_COMPONENT, name)) {
		char *q = rp_shown(name);
		int r = rp_bad(c, w, "\"%s\" is not a device name (one path component of "
			    "printable ASCII, at most 255 bytes, as sysfs names devices)", q);

		free(q);
		return r;
	}
	d->name = strdup(name);
	if (!d->name)
		return rp_fail(c, where, "out of memory");
	sub(w, sizeof(w), where, ".group");
	c->part = w;
	if (load_group_name(c, w, json_object_get(o, "group"), &d->group) < 0 && c->fatal)
		return -1;
	v = json_object_get(o, "cdev");
	sub(w, sizeof(w), where, ".cdev");
	if (v && !json_is_null(v)) {
		if (json_is_string(v) && vi_name_ok(VI_NAME_CDEV, json_string_value(v))) {
			d->cdev = strdup(json_string_value(v));
			if (!d->cdev)
				return rp_fail(c, w, "out of memory");
		} else {
			char *q = rp_shown(json_is_string(v) ? json_string_value(v) : "");

			rp_bad(c, w, "\"%s\" is not a device cdev such as \"vfio0\"", q);
			free(q);
		}
	}
	c->part = NULL;
	if (load_calls(c, where, o, &d->calls) < 0)
		return -1;
	return load_regions(c, where, json_object_get(o, "regions"), d);
}

static int load_host(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	json_t *host = json_object_get(r->root, "host"), *v;

	r->host.big_endian = strcmp(json_string_value(json_object_get(host, "byte_order")),
				    "big") == 0;
	c->big_endian = r->host.big_endian;
	r->host.page_size = 4096;
	if ((v = json_object_get(host, "kernel")) && json_is_string(v))
		snprintf(r->host.kernel, sizeof(r->host.kernel), "%s", json_string_value(v));
	if ((v = json_object_get(host, "machine")) && json_is_string(v))
		snprintf(r->host.machine, sizeof(r->host.machine), "%s", json_string_value(v));
	if ((v = json_object_get(host, "page_size"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 512 ||
		    json_integer_value(v) > (1 << 30) ||
		    (json_integer_value(v) & (json_integer_value(v) - 1)))
			return rp_fail(c, "host.page_size", "must be a power of two, at least 512");
		r->host.page_size = (unsigned int)json_integer_value(v);
	}
	be->big_endian = r->host.big_endian;
	be->page_size = r->host.page_size;
	return 0;
}

static int load_profiles(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	json_t *arr = json_object_get(r->root, "profiles"), *v;
	size_t i, n = 0;
	char w[64];

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		c->part = "profiles";
		rp_bad(c, "profiles", "must be an array of profile names");
		c->part = NULL;
		return 0;
	}
	r->profiles = calloc(json_array_size(arr) + 1, sizeof(*r->profiles));
	if (!r->profiles)
		return rp_fail(c, "profiles", "out of memory");
	json_array_foreach(arr, i, v) {
		snprintf(w, sizeof(w), "profiles[%zu]", i);
		if (!json_is_string(v) || !vi_name_ok(VI_NAME_MODULE, json_string_value(v))) {
			c->part = w;
			rp_bad(c, w, "must be a profile name such as \"devtree-2013\"");
			c->part = NULL;
			continue;
		}
		r->profiles[n] = strdup(json_string_value(v));
		if (!r->profiles[n])
			return rp_fail(c, w, "out of memory");
		if (strcmp(r->profiles[n], "devtree-2013") == 0)
			r->prof |= PROF_DEVTREE_2013;
		else if (strcmp(r->profiles[n], "zpci-iommu-2019") == 0)
			r->prof |= PROF_ZPCI_IOMMU_2019;
		n++;
	}
	be->profiles = (const char *const *)r->profiles;
	return 0;
}

/* groups[@i] into r->groups[r->ngroups] (room for it made by the caller). */
static int load_group(struct loadctx *c, struct replay *r, size_t i, json_t *v)
{
	struct rp_group *g = &r->groups[r->ngroups];
	char part[32], w[64];

	snprintf(part, sizeof(part), "groups[%zu]", i);
	c->part = part;
	if (!json_is_object(v)) {
		rp_bad(c, part, "must be an object");
		c->part = NULL;
		return 0;
	}
	snprintf(w, sizeof(w), "groups[%zu].group", i);
	if (load_group_name(c, w, json_object_get(v, "group"), &g->name) < 0) {
		c->part = NULL;
		return c->fatal ? -1 : 0;
	}
	if (!g->name) {
		rp_bad(c, w, "missing");
		c->part = NULL;
		return 0;
	}
	c->part = NULL;
	if (load_calls(c, part, v, &g->calls) < 0) {
		free(g->name);
		g->name = NULL;
		return -1;
	}
	r->ngroups++;
	return 0;
}

/* Room for one more in an array grown by doubling (@cap elements now). */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	void *nv;
	size_t nc;

	if (n + 1 < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	nv = realloc(*v, nc * size);
	if (!nv)
		return -1;
	memset((char *)nv + *cap * size, 0, (nc - *cap) * size);
	*v = nv;
	*cap = nc;
	return 0;
}

static int load_groups(struct loadctx *c, struct replay *r)
{
	json_t *arr = json_object_get(r->root, "groups"), *v;
	size_t i;

	if (!arr || r->streamed_groups)
		return 0;
	if (!json_is_array(arr)) {
		c->part = "groups";
		rp_bad(c, "groups", "must be an array");
		c->part = NULL;
		return 0;
	}
	r->groups = calloc(json_array_size(arr) + 1, sizeof(*r->groups));
	if (!r->groups)
		return rp_fail(c, "groups", "out of memory");
	json_array_foreach(arr, i, v) {
		if (load_group(c, r, i, v) < 0)
			return -1;
		json_array_set_new(arr, i, json_null());
	}
	return 0;
}

static int load_owner_calls(struct loadctx *c, struct replay *r, const char *key,
			    struct rp_calls *cs)
{
	json_t *o = json_object_get(r->root, key);

	if (!o)
		return 0;
	if (!json_is_object(o)) {
		c->part = key;
		rp_bad(c, key, "must be an object");
		c->part = NULL;
		return 0;
	}
	return load_calls(c, key, o, cs);
}

/* Devices sorted by name, then by place in the file. */
static int cmp_devname(const void *a, const void *b)
{
	const struct rp_device *const *x = a, *const *y = b;
	int d = strcmp((*x)->name, (*y)->name);

	return d ? d : (*x)->pos < (*y)->pos ? -1 : (*x)->pos > (*y)->pos;
}

/* Device names must be unique: a later device of the same name is left out. */
static int check_unique_names(struct loadctx *c, struct replay *r)
{
	struct rp_device **v;
	size_t o = 0;

	if (r->ndevs < 2)
		return 0;
	v = calloc(r->ndevs, sizeof(*v));
	if (!v)
		return rp_fail(c, "devices", "out of memory");
	for (size_t i = 0; i < r->ndevs; i++)
		v[i] = &r->devs[i];
	qsort(v, r->ndevs, sizeof(*v), cmp_devname);
	for (size_t i = 1; i < r->ndevs; i++) {
		if (strcmp(v[i - 1]->name, v[i]->name) != 0)
			continue;
		{
			char w[64], part[32], *q = rp_shown(v[i]->name);

			snprintf(w, sizeof(w), "devices[%zu].name", v[i]->pos);
			snprintf(part, sizeof(part), "devices[%zu]", v[i]->pos);
			c->part = part;
			rp_bad(c, w, "\"%s\" appears twice (also devices[%zu])", q, v[i - 1]->pos);
			c->part = NULL;
			free(q);
		}
		v[i]->dropped = true;
		v[i] = v[i - 1];	/* compare the next with the first kept */
	}
	free(v);
	for (size_t i = 0; i < r->ndevs; i++) {
		if (r->devs[i].dropped)
			free_device(&r->devs[i]);
		else
			r->devs[o++] = r->devs[i];
	}
	r->ndevs = o;
	return 0;
}

/* devices[@i] into r->devs[r->ndevs] (room for it made by the caller). */
static int load_device_at(struct loadctx *c, struct replay *r, size_t i, json_t *v)
{
	struct rp_device *d = &r->devs[r->ndevs];

	d->pos = i;
	if (load_device(c, i, v, d) < 0) {
		c->part = NULL;
		free_device(d);
		if (c->fatal)
			return -1;
	} else {
		r->ndevs++;
	}
	return 0;
}

static int load_devices(struct loadctx *c, struct replay *r)
{
	json_t *arr = json_object_get(r->root, "devices"), *v;
	size_t i;

	if (!r->streamed_devices) {
		r->devs = calloc(json_array_size(arr) + 1, sizeof(*r->devs));
		if (!r->devs)
			return rp_fail(c, "devices", "out of memory");
		json_array_foreach(arr, i, v) {
			if (load_device_at(c, r, i, v) < 0)
				return -1;
			json_array_set_new(arr, i, json_null());
		}
	}
	return check_unique_names(c, r);
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndevs; i++)
		free_device(&r->devs[i]);
	free(r->devs);
	for (size_t i = 0; i < r->ngroups; i++) {
		free(r->groups[i].name);
		free_calls(&r->groups[i].calls);
	}
	free(r->groups);
	free_calls(&r->container);
	free_calls(&r->iommufd);
	for (size_t i = 0; i < r->nh; i++)
		free(r->h[i].group);
	free(r->h);
	if (r->profiles)
		for (size_t i = 0; r->profiles[i]; i++)
			free(r->profiles[i]);
	free(r->profiles);
	for (size_t i = 0; i < r->nmaps; i++)
		free(r->maps[i].addr);
	free(r->maps);
	for (int i = 0; i < 3; i++)
		replay_ns_free(&r->ns[i]);
	while (r->arena) {
		struct rp_chunk *k = r->arena;

		r->arena = k->next;
		free(k);
	}
	replay_index_free(r);
	json_decref(r->root);
	free(r);
}

/* The parts in the order their notes are shown. */
enum { RANK_HOST, RANK_PROFILES, RANK_SYSFS, RANK_PROCFS, RANK_DEV, RANK_CONTAINER,
       RANK_IOMMUFD, RANK_GROUPS, RANK_DEVICES };

struct streamctx {
	struct replay *r;
	struct vi_backend *be;
	struct loadctx *c;
	size_t capgroups, capdevs;
};

/* "groups" may be loaded as it is read; "devices" once the envelope
 * before it is right and gives the byte order its region sizes need. */
static bool stream_ready(void *ctx, json_t *root, const char *key)
{
	struct streamctx *s = ctx;
	char err[256];
	struct loadctx scratch = { .file = "", .err = err, .errlen = sizeof(err) };
	json_t *v;

	if (strcmp(key, "groups") == 0) {
		s->r->streamed_groups = true;
		return true;
	}
	v = json_object_get(root, "vfio-info-capture");
	if (!json_is_integer(v) || json_integer_value(v) != VI_CAPTURE_VERSION)
		return false;
	v = json_object_get(json_object_get(root, "host"), "byte_order");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "little") != 0 &&
				   strcmp(json_string_value(v), "big") != 0))
		return false;
	s->r->root = root;
	if (load_host(&scratch, s->r, s->be) < 0) {
		s->r->root = NULL;
		return false;
	}
	s->r->root = NULL;
	s->c->big_endian = scratch.big_endian;
	s->r->streamed_devices = true;
	return true;
}

static int stream_elem(void *ctx, const char *key, size_t i, json_t *v)
{
	struct streamctx *s = ctx;
	struct replay *r = s->r;
	struct loadctx *c = s->c;
	unsigned int rank = c->rank;
	int ret;

	if (strcmp(key, "groups") == 0) {
		if (grow((void **)&r->groups, r->ngroups, &s->capgroups, sizeof(*r->groups)) < 0)
			return rp_fail(c, "groups", "out of memory");
		c->rank = RANK_GROUPS;
		ret = load_group(c, r, i, v);
	} else {
		if (grow((void **)&r->devs, r->ndevs, &s->capdevs, sizeof(*r->devs)) < 0)
			return rp_fail(c, "devices", "out of memory");
		c->rank = RANK_DEVICES;
		ret = load_device_at(c, r, i, v);
	}
	c->rank = rank;
	return ret;
}

static void free_groups(struct replay *r)
{
	for (size_t i = 0; i < r->ngroups; i++) {
		free(r->groups[i].name);
		free_calls(&r->groups[i].calls);
	}
	free(r->groups);
	r->groups = NULL;
	r->ngroups = 0;
}

static void free_devices(struct replay *r)
{
	for (size_t i = 0; i < r->ndevs; i++)
		free_device(&r->devs[i]);
	free(r->devs);
	r->devs = NULL;
	r->ndevs = 0;
}

/* The reader gives the file to jansson: forget what it handed over. */
static void stream_reset(void *ctx)
{
	struct streamctx *s = ctx;

	free_groups(s->r);
	free_devices(s->r);
	s->r->streamed_groups = s->r->streamed_devices = false;
	s->capgroups = s->capdevs = 0;
	forget_notes(s->c);
	s->c->fatal = false;
}

static int load_parts(struct loadctx *c, struct replay *r, struct vi_backend *be)
{
	c->rank = RANK_HOST;
	if (load_host(c, r, be) < 0)
		return -1;
	c->rank = RANK_PROFILES;
	if (load_profiles(c, r, be) < 0)
		return -1;
	c->rank = RANK_SYSFS;
	if (replay_load_ns(c, r, VI_NS_SYS, "sysfs") < 0)
		return -1;
	c->rank = RANK_PROCFS;
	if (replay_load_ns(c, r, VI_NS_PROC, "procfs") < 0)
		return -1;
	c->rank = RANK_DEV;
	if (replay_load_ns(c, r, VI_NS_DEV, "dev") < 0)
		return -1;
	c->rank = RANK_CONTAINER;
	if (load_owner_calls(c, r, "container", &r->container) < 0)
		return -1;
	c->rank = RANK_IOMMUFD;
	if (load_owner_calls(c, r, "iommufd", &r->iommufd) < 0)
		return -1;
	c->rank = RANK_GROUPS;
	if (load_groups(c, r) < 0)
		return -1;
	c->rank = RANK_DEVICES;
	return load_devices(c, r);
}

int replay_load(struct replay *r, struct vi_backend *be, const char *path, const void *mem,
		size_t len, const char *name, const struct vi_replay_opts *o, char *err,
		size_t errlen)
{
	static const char *const keys[] = { "groups", "devices", NULL };
	struct loadctx c = { .file = name, .err = err, .errlen = errlen, .o = o,
			     .arena = &r->arena };
	struct streamctx sc = { .r = r, .be = be, .c = &c };
	struct vi_capture_stream s = { keys, stream_ready, stream_elem, stream_reset, &sc };
	int ret = 0;

	r->root = vi_capture_read(path, mem, len, name, o ? o->max_size : 0, &s, err, errlen);
	if (!r->root)
		ret = -1;
	else if (load_parts(&c, r, be) < 0)
		ret = -1;
	else if (replay_index_build(r) < 0)
		ret = rp_fail(&c, "devices", "out of memory");
	/* everything is in the model now: the parser's tree goes */
	json_decref(r->root);
	r->root = NULL;
	if (c.o && c.o->report && (ret == 0 || c.fatal))
		flush_notes(&c, ret == 0);
	r->notes = c.notes;
	forget_notes(&c);
	return ret;
}
