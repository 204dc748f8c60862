// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-decode-gfx.c - the migration GET, QUERY_GFX_PLANE probe and GFX
 * EDID header decoders (decode-feature.c, decode-gfx.c) on hand-built and
 * hostile answers, read back through the JSON emitter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "uapi/vfio-abi.h"
#include "tap.h"

static uint8_t b[64];

enum what { FEATURE, PROBE, EDID };

struct call {
	enum what what;
	uint32_t id;
	long ret;
	size_t len;
	uint64_t region_size;
	bool be;
};

static json_t *run(const struct call *c, unsigned int *errors)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct vi_emit *em = vi_emit_new(VI_EMIT_JSON, f, 0);
	struct vi_bytes d = vi_bytes_make(b, c->len, c->be);
	json_t *j;

	em_obj_begin(em, NULL, NULL);
	if (c->what == FEATURE)
		vi_decode_feature_get(em, c->id, c->ret, d);
	else if (c->what == PROBE)
		vi_decode_gfx_probe(em, c->ret);
	else
		vi_decode_gfx_edid(em, d, c->region_size);
	em_obj_end(em);
	*errors = vi_emit_errors(em);
	vi_emit_finish(em);
	fclose(f);
	j = json_loads(out, 0, NULL);
	if (!j)
		printf("# unparsable: %s\n", out);
	free(out);
	return j;
}

static json_t *at(json_t *j, const char *k1, const char *k2)
{
	json_t *v = json_object_get(j, k1);

	return k2 ? json_object_get(v, k2) : v;
}

static long long num(json_t *j, const char *k1, const char *k2)
{
	json_t *v = at(j, k1, k2);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -999999;
}

/* Does a note of @level hold @word? */
static bool noted(json_t *j, const char *level, const char *word)
{
	json_t *n = json_object_get(j, "notes"), *e;
	size_t i;

	json_array_foreach(n, i, e) {
		const char *l = json_string_value(json_object_get(e, "level"));
		const char *m = json_string_value(json_object_get(e, "message"));

		if (l && m && !strcmp(l, level) && strstr(m, word))
			return true;
	}
	return false;
}

static void put32(size_t o, uint32_t v, bool be)
{
	vi_store(b + o, 4, v, be);
}

int main(void)
{
	unsigned int errs;
	struct call c;
	json_t *j;

	/* MIGRATION: mtty's flags */
	memset(b, 0, sizeof(b));
	vi_store(b, 8, 7, false);
	c = (struct call){ FEATURE, VI_FEATURE_MIGRATION, 0, 8, 0, false };
	j = run(&c, &errs);
	is_int(num(j, "migration_flags", "value"), 7, "migration flags STOP_COPY|P2P|PRE_COPY");
	is_int(num(j, "migration_flags", "unknown"), 0, "no unknown bits");
	is_int(json_array_size(at(j, "migration_flags", "names")), 3, "three names");
	ok(!json_object_get(j, "notes"), "no notes");
	json_decref(j);

	/* unknown bits kept, STOP_COPY missing: a warning, not dropped */
	vi_store(b, 8, 0x4000000000000004ull, false);
	j = run(&c, &errs);
	ok(json_integer_value(at(j, "migration_flags", "unknown")) == 0x4000000000000000ll,
	   "bit 62 shown as unknown");
	ok(noted(j, "warning", "STOP_COPY"), "missing STOP_COPY noted");
	is_int(errs, 0, "a warning only");
	json_decref(j);

	/* short: 5 bytes of the 8 */
	c.len = 5;
	j = run(&c, &errs);
	ok(!json_object_get(j, "migration_flags"), "short answer: no flags invented");
	is_int(errs, 1, "short answer is an error");
	json_decref(j);

	/* a GET that fails */
	c = (struct call){ FEATURE, VI_FEATURE_MIGRATION, -EIO, 0, 0, false };
	j = run(&c, &errs);
	is_int(num(j, "get_ret", NULL), -EIO, "get_ret -EIO");
	is_str(json_string_value(json_object_get(j, "get_errno")), "EIO", "get_errno EIO");
	ok(!json_object_get(j, "migration_flags"), "no flags after a failure");
	json_decref(j);
	c.ret = -4000;
	j = run(&c, &errs);
	is_int(num(j, "get_ret", NULL), -4000, "an errno without a name: get_ret");
	ok(json_is_null(json_object_get(j, "get_errno")), "get_errno null for an unnamed errno");
	json_decref(j);

	/* MIG_DEVICE_STATE, big-endian: RUNNING, data_fd -1 */
	memset(b, 0, sizeof(b));
	put32(0, 2, true);
	put32(4, UINT32_MAX, true);
	c = (struct call){ FEATURE, VI_FEATURE_MIG_DEVICE_STATE, 0, 8, 0, true };
	j = run(&c, &errs);
	is_int(num(j, "device_state", "value"), 2, "device_state 2");
	is_str(json_string_value(at(j, "device_state", "name")), "RUNNING", "named RUNNING");
	ok(!json_object_get(j, "notes"), "data_fd -1: no note");
	json_decref(j);

	/* unknown state and a data_fd no kernel answers */
	put32(0, 77, true);
	put32(4, 5, true);
	j = run(&c, &errs);
	is_int(num(j, "device_state", "value"), 77, "unknown state shown");
	ok(json_is_null(at(j, "device_state", "name")), "with a null name");
	ok(noted(j, "warning", "device_state 77"), "unknown state noted");
	ok(noted(j, "warning", "data_fd 5"), "data_fd 5 noted");
	json_decref(j);

	/* only the state: data_fd missing */
	c.len = 4;
	j = run(&c, &errs);
	is_int(num(j, "device_state", "value"), 77, "state read from 4 bytes");
	is_int(errs, 1, "missing data_fd is an error");
	json_decref(j);
	c.len = 0;
	j = run(&c, &errs);
	ok(!json_object_get(j, "device_state"), "empty answer: no state");
	json_decref(j);

	/* a positive return */
	c = (struct call){ FEATURE, VI_FEATURE_MIGRATION, 3, 8, 0, false };
	memset(b, 0, sizeof(b));
	vi_store(b, 8, 1, false);
	j = run(&c, &errs);
	ok(noted(j, "warning", "returned 3"), "a positive return noted");
	is_int(num(j, "migration_flags", "value"), 1, "and the answer decoded");
	json_decref(j);

	/* probes */
	c = (struct call){ PROBE, 0, 0, 0, 0, false };
	j = run(&c, &errs);
	is_int(num(j, "ret", NULL), 0, "probe ret 0");
	ok(!json_object_get(j, "errno"), "no errno on success");
	json_decref(j);
	c.ret = -EINVAL;
	j = run(&c, &errs);
	is_int(num(j, "ret", NULL), -EINVAL, "probe ret -EINVAL");
	is_str(json_string_value(json_object_get(j, "errno")), "EINVAL", "errno EINVAL");
	json_decref(j);
	c.ret = 1;
	j = run(&c, &errs);
	ok(noted(j, "warning", "returned 1"), "probe returning 1 noted");
	json_decref(j);

	/* EDID: mbochs' header */
	memset(b, 0, sizeof(b));
	put32(0, 0x800, false);
	put32(4, 0x400, false);
	put32(12, 1920, false);
	put32(16, 1440, false);
	put32(20, 1, false);
	c = (struct call){ EDID, 0, 0, 24, 0x1000, false };
	j = run(&c, &errs);
	is_int(num(j, "edid_offset", NULL), 0x800, "edid_offset");
	is_int(num(j, "edid_max_size", NULL), 0x400, "edid_max_size");
	is_int(num(j, "edid_size", NULL), 0, "edid_size");
	is_int(num(j, "max_xres", NULL), 1920, "max_xres");
	is_int(num(j, "max_yres", NULL), 1440, "max_yres");
	is_str(json_string_value(at(j, "link_state", "name")), "UP", "link_state UP");
	ok(!json_object_get(j, "notes"), "a sound header: no notes");
	is_int(errs, 0, "no errors");
	json_decref(j);

	/* big-endian host: the same fields in its order */
	memset(b, 0, sizeof(b));
	put32(0, 0x800, true);
	put32(4, 0x400, true);
	put32(20, 2, true);
	c.be = true;
	j = run(&c, &errs);
	is_int(num(j, "edid_offset", NULL), 0x800, "big-endian edid_offset");
	is_str(json_string_value(at(j, "link_state", "name")), "DOWN", "big-endian DOWN");
	ok(noted(j, "info", "no limit"), "0x0 resolution: no limit");
	json_decref(j);

	/* hostile: offset past the region, size over the maximum, link 9 */
	memset(b, 0, sizeof(b));
	put32(0, 0x5000, false);
	put32(4, 0x100, false);
	put32(8, 0x180, false);
	put32(20, 9, false);
	c = (struct call){ EDID, 0, 0, 24, 0x1000, false };
	j = run(&c, &errs);
	ok(noted(j, "error", "past the region's end"), "offset past the end");
	ok(noted(j, "warning", "more than edid_max_size"), "edid_size over the maximum");
	ok(noted(j, "warning", "link_state 9"), "link_state 9 noted");
	is_int(num(j, "link_state", "value"), 9, "link_state 9 shown");
	is_int(errs, 1, "one error");
	json_decref(j);

	/* blob running past the end; offset + max overflowing 32 bits */
	put32(0, 0x800, false);
	put32(4, 0xffffffff, false);
	put32(8, 0, false);
	put32(20, 1, false);
	j = run(&c, &errs);
	ok(noted(j, "error", "runs past"), "0x800 + 0xffffffff is past the end (no wrap)");
	json_decref(j);

	/* offset inside the header, max 0, size of no whole blocks */
	put32(0, 8, false);
	put32(4, 0, false);
	put32(8, 100, false);
	j = run(&c, &errs);
	ok(noted(j, "error", "inside the 24-byte header"), "offset in the header");
	ok(noted(j, "warning", "no EDID fits"), "max size 0");
	ok(noted(j, "warning", "more than edid_max_size"), "size 100 over max 0");
	json_decref(j);
	put32(4, 0x400, false);
	put32(0, 0x800, false);
	j = run(&c, &errs);
	ok(noted(j, "warning", "128-byte"), "size 100: no whole EDID blocks");
	json_decref(j);

	/* a region smaller than the header; a short read */
	c.region_size = 16;
	c.len = 16;
	j = run(&c, &errs);
	ok(noted(j, "error", "the region is 16 bytes"), "tiny region noted");
	ok(noted(j, "error", "16 of the header's 24"), "short read noted");
	ok(!json_object_get(j, "max_yres"), "fields beyond the read absent");
	is_int(num(j, "edid_size", NULL), 100, "fields inside the read shown");
	json_decref(j);
	c.len = 0;
	c.region_size = 0;
	j = run(&c, &errs);
	ok(!json_object_get(j, "edid_offset"), "empty read: nothing invented");
	json_decref(j);

	return tap_done();
}
