// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-load-call.c - a capture's recorded calls into the replay model:
 * each call's ioctl and selector (struct vi_callkey), its answer (ret,
 * errno, the struct the kernel wrote), "aux" and "responses".  A call no
 * kernel would answer that way is noted and left out; one naming an ioctl
 * this vfio-info does not know is skipped (a newer writer's).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "capture-io.h"
#include "names.h"
#include "replay-int.h"
#include "safe.h"
#include "uapi/vfio-abi.h"


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

/* The same, the bytes kept in the capture's arena (*@out is never NULL). */
static int load_hex_kept(struct loadctx *c, const char *where, json_t *v, uint8_t **out,
			 size_t *len)
{
	uint8_t *tmp = NULL;

	if (rp_load_hex(c, where, v, &tmp, len) < 0)
		return -1;
	*out = rp_keep(c, *len);
	if (*out)
		memcpy(*out, tmp, *len);
	free(tmp);
	return *out ? 0 : rp_fail(c, where, "out of memory");
}

int rp_load_uint(struct loadctx *c, const char *where, json_t *v, uint64_t max,
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
	int err = 0;
	json_t *v;

	a->ret = 0;
	v = json_object_get(o, "ret");
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < -1 ||
		    json_integer_value(v) > INT_MAX) {
			rp_sub(w, sizeof(w), where, ".ret");
			return rp_bad(c, w, "must be -1 or a non-negative integer");
		}
		a->ret = (int32_t)json_integer_value(v);
	}
	v = json_object_get(o, "errno");
	if (v) {
		rp_sub(w, sizeof(w), where, ".errno");
		if (json_is_string(v)) {
			err = vi_errno_value(json_string_value(v));
			if (!err) {
				char *q = rp_shown(json_string_value(v));
				int r = rp_bad(c, w, "unknown errno name \"%s\"", q);

				free(q);
				return r;
			}
		} else if (json_is_integer(v) && json_integer_value(v) > 0 &&
			   json_integer_value(v) <= MAX_ERRNO) {
			err = (int)json_integer_value(v);
		} else {
			return rp_bad(c, w, "must be an errno name such as \"EINVAL\"");
		}
	}
	if (a->ret < 0 && !err)
		return rp_bad(c, where, "\"ret\": -1 needs an \"errno\"");
	if (a->ret < 0)
		a->ret = -err;
	return 0;
}

/* A hex string as an answer's bytes (at most RP_ANSWER_MAX: a length no
 * struct the kernel writes comes near). */
static int load_answer_hex(struct loadctx *c, const char *where, json_t *v, struct rp_answer *a)
{
	size_t len = 0;

	if (load_hex_kept(c, where, v, &a->data, &len) < 0)
		return -1;
	if (len > RP_ANSWER_MAX) {
		a->data = NULL;
		return rp_bad(c, where, "longer than 2 GiB");
	}
	a->len = (uint32_t)len;
	a->has_data = true;
	return 0;
}

static struct rp_more *call_more(struct loadctx *c, const char *where, struct rp_call *call)
{
	if (!call->more) {
		call->more = rp_keep(c, sizeof(*call->more));
		if (!call->more)
			rp_fail(c, where, "out of memory");
		else
			memset(call->more, 0, sizeof(*call->more));
	}
	return call->more;
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
	call->more->resp = rp_keep(c, json_array_size(arr) * sizeof(*call->more->resp));
	if (!call->more->resp)
		return rp_fail(c, where, "out of memory");
	memset(call->more->resp, 0, json_array_size(arr) * sizeof(*call->more->resp));
	json_array_foreach(arr, i, v) {
		struct rp_answer *a = &call->more->resp[i];

		rp_sub(w, sizeof(w), where, "[%zu]", i);
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
		rp_sub(w, sizeof(w), where, ".ioctl");
		return rp_bad(c, w, "missing or not a string");
	}
	call->desc = vi_ioc_by_name(json_string_value(v));
	if (!call->desc)
		return 1;

	if ((v = json_object_get(o, "index"))) {
		rp_sub(w, sizeof(w), where, ".index");
		if (rp_load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.index = (uint32_t)u;
		call->key.sel |= VI_SEL_INDEX;
	}
	if ((v = json_object_get(o, "extension"))) {
		rp_sub(w, sizeof(w), where, ".extension");
		if (rp_load_uint(c, w, v, UINT64_MAX >> 1, &u) < 0)
			return -1;
		call->key.extension = u;
		call->key.sel |= VI_SEL_EXTENSION;
	}
	if (json_is_true(json_object_get(o, "iommu_set")))
		call->key.sel |= VI_SEL_IOMMU_SET;
	if ((v = json_object_get(o, "feature"))) {
		rp_sub(w, sizeof(w), where, ".feature");
		if (rp_load_uint(c, w, v, VI_FEAT_MASK, &u) < 0)
			return -1;
		call->key.feature = (uint32_t)u;
		call->key.sel |= VI_SEL_FEATURE;
	}
	if ((v = json_object_get(o, "flags"))) {
		rp_sub(w, sizeof(w), where, ".flags");
		if (!json_is_string(v) ||
		    vi_feature_flags_parse(json_string_value(v), &call->key.fflags) < 0)
			return rp_bad(c, w, "must be PROBE, GET, SET joined with \"|\"");
		call->key.sel |= VI_SEL_FLAGS;
	}
	if ((v = json_object_get(o, "plane_flags"))) {
		uint64_t pf;

		rp_sub(w, sizeof(w), where, ".plane_flags");
		if (!json_is_string(v) ||
		    vi_flags_split(vi_gfx_plane_flags, json_string_value(v), &pf) < 0)
			return rp_bad(c, w, "must be PROBE, DMABUF, REGION joined with \"|\"");
		call->key.plane = (uint32_t)pf;
		call->key.sel |= VI_SEL_PLANE;
	}
	if ((v = json_object_get(o, "in_data_type"))) {
		rp_sub(w, sizeof(w), where, ".in_data_type");
		if (rp_load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.hwtype = (uint32_t)u;
		call->key.sel |= VI_SEL_HWTYPE;
	}
	if ((v = json_object_get(o, "dev_id"))) {
		rp_sub(w, sizeof(w), where, ".dev_id");
		if (rp_load_uint(c, w, v, UINT32_MAX, &u) < 0)
			return -1;
		call->key.dev_id = (uint32_t)u;
		call->key.sel |= VI_SEL_DEV_ID;
	}
	if ((v = json_object_get(o, "name"))) {
		rp_sub(w, sizeof(w), where, ".name");
		if (!json_is_string(v) || !vi_name_ok(VI_NAME_COMPONENT, json_string_value(v)) ||
		    strlen(json_string_value(v)) >= VI_CALLKEY_NAME_MAX) {
			char *q = rp_shown(json_is_string(v) ? json_string_value(v) : "");
			int r = rp_bad(c, w, "\"%s\" is not a device name", q);

			free(q);
			return r;
		}
		call->key.name = rp_keep_str(c, json_string_value(v));
		if (!call->key.name)
			return rp_fail(c, w, "out of memory");
		call->key.sel |= VI_SEL_NAME;
	}
	if (load_answer(c, where, o, &call->ans) < 0)
		return -1;
	if ((v = json_object_get(o, "data"))) {
		rp_sub(w, sizeof(w), where, ".data");
		if (load_answer_hex(c, w, v, &call->ans) < 0)
			return -1;
	}
	if ((v = json_object_get(o, "aux"))) {
		rp_sub(w, sizeof(w), where, ".aux");
		if (!call_more(c, w, call) ||
		    load_hex_kept(c, w, v, &call->more->aux, &call->more->auxlen) < 0)
			return -1;
		call->more->has_aux = true;
	}
	if ((v = json_object_get(o, "responses"))) {
		rp_sub(w, sizeof(w), where, ".responses");
		if (load_responses(c, w, v, call) < 0)
			return -1;
	}
	if (!rp_nresp(call) && call->ans.ret == 0 && call->ans.len == 0 && success_has_data(call))
		return rp_bad(c, where, "%s succeeded (ret 0) with %s, but the kernel always "
			   "writes its struct", call->desc->name,
			   call->ans.has_data ? "empty \"data\"" : "no \"data\"");
	return 0;
}

/* The calls are read into a scratch array, then kept in the arena sorted
 * by ioctl (stably), with no room for calls left out. */
int rp_load_calls(struct loadctx *c, const char *where, json_t *owner, struct rp_calls *cs)
{
	json_t *arr = json_object_get(owner, "ioctls");
	struct rp_calls t = { 0 };
	char w[320];
	size_t i;
	json_t *v;

	if (!arr)
		return 0;
	rp_sub(w, sizeof(w), where, "%sioctls", *where ? "." : "");
	if (!json_is_array(arr)) {
		c->part = w;
		rp_bad(c, w, "must be an array");
		c->part = NULL;
		return 0;
	}
	t.v = calloc(json_array_size(arr) ? json_array_size(arr) : 1, sizeof(*t.v));
	if (!t.v)
		return rp_fail(c, w, "out of memory");
	json_array_foreach(arr, i, v) {
		int ret;

		rp_sub(w, sizeof(w), where, "%sioctls[%zu]", *where ? "." : "", i);
		memset(&t.v[t.n], 0, sizeof(t.v[t.n]));
		c->part = w;
		ret = load_call(c, w, v, &t.v[t.n]);
		c->part = NULL;
		if (ret == 0)
			t.n++;
		else if (c->fatal)
			break;
		/* loaded: its JSON is no longer needed */
		json_array_set_new(arr, i, json_null());
	}
	if (!c->fatal) {
		if (replay_calls_sort(&t) < 0 ||
		    !(cs->v = rp_keep(c, (t.n ? t.n : 1) * sizeof(*t.v))))
			rp_fail(c, w, "out of memory");
		else if (t.n)
			memcpy(cs->v, t.v, t.n * sizeof(*t.v));
	}
	cs->n = c->fatal ? 0 : t.n;
	free(t.v);
	return c->fatal ? -1 : 0;
}
