/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-emit.c - the text and JSON renderers against hand-written expectations. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "tap.h"

/* Local tables: the emitter does its own flag and enum lookup. */
static const struct vi_name dev_flags[] = {
	{ 1, "RESET" },
	{ 2, "PCI" },
	{ 0, NULL },
};

static const struct vi_name irq_idx[] = {
	{ 0, "INTX" },
	{ 1, "MSI" },
	{ 2, "MSIX" },
	{ 0, NULL },
};

struct mbuf {
	char *p;
	size_t n;
	FILE *f;
};

static struct vi_emit *mopen(struct mbuf *b, enum vi_emit_format fmt, unsigned int flags)
{
	b->p = NULL;
	b->n = 0;
	b->f = open_memstream(&b->p, &b->n);
	if (!b->f)
		return NULL;
	return vi_emit_new(fmt, b->f, flags);
}

/* Close the stream and return its contents (caller frees). */
static char *mclose(struct mbuf *b)
{
	fclose(b->f);
	return b->p;
}

static void emit_sample(struct vi_emit *em)
{
	static const uint8_t raw[20] = {
		0x00, 0x01, 0x02, 0x03, 'V', 'F', 'I', 'O',
		0x7f, 0x80, 0xff, ' ', 'a', 'b', 'c', '~',
		0x10, 0x11, '0', '9',
	};

	em_obj_begin(em, "device", "device %s", "0000:00:03.0");
	em_obj_begin(em, "info", NULL);
	em_flags(em, "flags", 0x103, dev_flags);
	em_u64(em, "num_regions", 9);
	em_u64(em, "big", UINT64_MAX);
	em_u64(em, "max", INT64_MAX);
	em_hex(em, "offset", 0x1000);
	em_flags(em, "zero", 0, dev_flags);
	em_flags(em, "wide", 0x100000001ULL, dev_flags);
	em_enum(em, "irq", 2, irq_idx);
	em_enum(em, "irq2", 17, irq_idx);
	em_bool(em, "mmap", true);
	em_bool(em, "sparse", false);
	em_null(em, "nothing");
	em_str(em, "nostr", NULL);
	em_strf(em, "fmt", "%d-%s", 5, "x");
	em_obj_end(em);

	em_arr_begin(em, "sizes", NULL);
	em_size(em, NULL, 0);
	em_size(em, NULL, 512);
	em_size(em, NULL, 4096);
	em_size(em, NULL, 1536);
	em_size(em, NULL, 0x100000000ULL);
	em_note(em, VI_NOTE_WARN, "in array %d", 1);
	em_arr_end(em);

	em_arr_begin(em, "regions", NULL);
	em_obj_begin(em, NULL, "region %u %s", 0u, "BAR0");
	em_u64(em, "index", 0);
	em_size(em, "size", 0x20000);
	em_note(em, VI_NOTE_ERROR, "bad cap at 0x%x", 0x40);
	em_obj_end(em);
	em_obj_begin(em, NULL, NULL);
	em_str(em, NULL, "x");
	em_obj_end(em);
	em_arr_end(em);

	em_detail_begin(em);
	em_obj_begin(em, "negotiation", NULL);
	em_u64(em, "argsz_in", 16);
	em_u64(em, "argsz_out", 88);
	em_note(em, VI_NOTE_ERROR, "hidden %s", "error");
	em_obj_end(em);
	em_detail_end(em);

	em_str(em, "name", "ok\x01\xff\xc3\xa9\\");
	em_bytes(em, "raw", raw, sizeof(raw));
	em_note(em, VI_NOTE_INFO, "done");
	em_obj_end(em);

	/* Unbalanced extra ends are ignored. */
	em_obj_end(em);
	em_arr_end(em);
	em_detail_end(em);
}

#define SP12 "            "

#define TEXT_HEAD \
	"device 0000:00:03.0\n" \
	"  info\n" \
	"    flags: 0x00000103 RESET|PCI|0x100\n" \
	"    num_regions: 9\n" \
	"    big: 18446744073709551615\n" \
	"    max: 9223372036854775807\n" \
	"    offset: 0x1000\n" \
	"    zero: 0x00000000 (none)\n" \
	"    wide: 0x0000000100000001 RESET|0x100000000\n" \
	"    irq: 2 MSIX\n" \
	"    irq2: 17 (unknown)\n" \
	"    mmap: yes\n" \
	"    sparse: no\n" \
	"    nothing: -\n" \
	"    nostr: -\n" \
	"    fmt: 5-x\n" \
	"  sizes\n" \
	"    - 0x0\n" \
	"    - 0x200 (512 bytes)\n" \
	"    - 0x1000 (4 KiB)\n" \
	"    - 0x600 (1.5 KiB)\n" \
	"    - 0x100000000 (4 GiB)\n" \
	"    ! warning: in array 1\n" \
	"  regions\n" \
	"    region 0 BAR0\n" \
	"      index: 0\n" \
	"      size: 0x20000 (128 KiB)\n" \
	"      ! error: bad cap at 0x40\n" \
	"    -\n" \
	"      value: x\n"

#define TEXT_DETAIL \
	"  negotiation\n" \
	"    argsz_in: 16\n" \
	"    argsz_out: 88\n" \
	"    ! error: hidden error\n"

#define TEXT_TAIL \
	"  name: ok\\x01\\xff\\xc3\\xa9\\\\\n" \
	"  raw: 20 bytes\n" \
	"    0000: 00 01 02 03 56 46 49 4f 7f 80 ff 20 61 62 63 7e |....VFIO... abc~|\n" \
	"    0010: 10 11 30 39" SP12 SP12 SP12 " |..09|\n" \
	"  note: done\n"

static const char want_json[] =
	"{\"info\":{"
	"\"flags\":{\"value\":259,\"names\":[\"RESET\",\"PCI\"],\"unknown\":256},"
	"\"num_regions\":9,"
	"\"big\":18446744073709551615,"
	"\"max\":9223372036854775807,"
	"\"offset\":4096,"
	"\"zero\":{\"value\":0,\"names\":[],\"unknown\":0},"
	"\"wide\":{\"value\":4294967297,\"names\":[\"RESET\"],\"unknown\":4294967296},"
	"\"irq\":{\"value\":2,\"name\":\"MSIX\"},"
	"\"irq2\":{\"value\":17,\"name\":null},"
	"\"mmap\":true,\"sparse\":false,\"nothing\":null,\"nostr\":null,\"fmt\":\"5-x\"},"
	"\"sizes\":[0,512,4096,1536,4294967296],"
	"\"regions\":[{\"index\":0,\"size\":131072,"
	"\"notes\":[{\"level\":\"error\",\"message\":\"bad cap at 0x40\"}]},"
	"{\"value\":\"x\"}],"
	"\"negotiation\":{\"argsz_in\":16,\"argsz_out\":88,"
	"\"notes\":[{\"level\":\"error\",\"message\":\"hidden error\"}]},"
	"\"name\":\"ok\\\\x01\\\\xff\xc3\xa9\\\\\\\\\","
	"\"raw\":\"000102035646494f7f80ff206162637e10113039\","
	"\"notes\":[{\"level\":\"warning\",\"message\":\"in array 1\"},"
	"{\"level\":\"info\",\"message\":\"done\"}]}\n";

static void test_sample(void)
{
	struct mbuf b;
	struct vi_emit *em;
	json_error_t jerr;
	json_t *root;
	char *s;
	int r;

	em = mopen(&b, VI_EMIT_TEXT, 0);
	ok(em != NULL, "text emitter created");
	emit_sample(em);
	is_int(vi_emit_errors(em), 2, "text: error notes counted, hidden one too");
	r = vi_emit_finish(em);
	is_int(r, 0, "text: finish succeeds");
	s = mclose(&b);
	is_str(s, TEXT_HEAD TEXT_TAIL, "text: sample, detail hidden");
	free(s);

	em = mopen(&b, VI_EMIT_TEXT, VI_EMIT_VERBOSE);
	emit_sample(em);
	is_int(vi_emit_finish(em), 0, "text verbose: finish succeeds");
	s = mclose(&b);
	is_str(s, TEXT_HEAD TEXT_DETAIL TEXT_TAIL, "text verbose: sample, detail shown");
	free(s);

	em = mopen(&b, VI_EMIT_JSON, 0);
	emit_sample(em);
	is_int(vi_emit_errors(em), 2, "json: error notes counted");
	is_int(vi_emit_finish(em), 0, "json: finish succeeds");
	s = mclose(&b);
	is_str(s, want_json, "json: sample, compact");

	/* jansson reads integers as signed: above INT64_MAX only as reals. */
	root = json_loads(s, JSON_DECODE_INT_AS_REAL, &jerr);
	ok(root != NULL, "json: output parses (%s)", root ? "ok" : jerr.text);
	ok(json_is_number(json_object_get(json_object_get(root, "info"), "big")),
	   "json: a u64 above INT64_MAX is a number");
	is_str(json_string_value(json_object_get(root, "name")),
	       "ok\\x01\\xff\xc3\xa9\\\\", "json: hostile string escaped, UTF-8 kept");
	json_decref(root);
	free(s);

	/* The same document, pretty: must parse to an equal value. */
	em = mopen(&b, VI_EMIT_JSON, VI_EMIT_PRETTY);
	emit_sample(em);
	vi_emit_finish(em);
	s = mclose(&b);
	root = json_loads(s, JSON_DECODE_INT_AS_REAL, NULL);
	{
		json_t *compact = json_loads(want_json, JSON_DECODE_INT_AS_REAL, NULL);

		ok(root && compact && json_equal(root, compact), "json pretty: same value as compact");
		json_decref(compact);
	}
	ok(strchr(s, '\n') != strrchr(s, '\n'), "json pretty: more than one line");
	json_decref(root);
	free(s);
}

static void test_pretty(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, VI_EMIT_PRETTY);
	char *s;

	em_obj_begin(em, "ignored", "ignored");
	em_u64(em, "a", 1);
	em_arr_begin(em, "b", NULL);
	em_hex(em, "ignored", 1);
	em_flags(em, "f", 3, dev_flags);
	em_arr_end(em);
	em_arr_begin(em, "c", NULL);
	em_arr_end(em);
	em_obj_begin(em, "d", NULL);
	em_note(em, VI_NOTE_WARN, "w");
	em_obj_end(em);
	em_obj_begin(em, "e", NULL);
	em_obj_end(em);
	em_obj_end(em);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "{\n  \"a\": 1,\n  \"b\": [\n    1,\n"
	       "    {\n      \"value\": 3,\n      \"names\": [\n        \"RESET\",\n"
	       "        \"PCI\"\n      ],\n      \"unknown\": 0\n    }\n  ],\n"
	       "  \"c\": [],\n"
	       "  \"d\": {\n    \"notes\": [\n      {\n        \"level\": \"warning\",\n"
	       "        \"message\": \"w\"\n      }\n    ]\n  },\n"
	       "  \"e\": {}\n}\n",
	       "json pretty: two-space indent, empty containers, notes, trailing newline");
	free(s);
}

/* Count lines that parse as JSON; -1 if one does not. */
static int json_lines(const char *s)
{
	char *copy = strdup(s), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *v = json_loads(line, JSON_DECODE_ANY, NULL);

		if (!v) {
			n = -1;
			break;
		}
		json_decref(v);
		n++;
	}
	free(copy);
	return n;
}

static void test_json_lines(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, 0);
	char *s;

	em_obj_begin(em, "cmd1", NULL);
	em_u64(em, "x", 1);
	em_obj_end(em);
	vi_emit_flush(em);
	is_str(b.p, "{\"x\":1}\n", "flush: a finished top-level object is written");

	em_obj_begin(em, NULL, NULL);
	em_str(em, "a", "b");
	vi_emit_flush(em);
	is_str(b.p, "{\"x\":1}\n{\"a\":\"b\"", "flush: an open top-level object is written so far");

	em_obj_end(em);
	em_u64(em, "loose", 5);
	em_note(em, VI_NOTE_ERROR, "oops");
	em_u64(em, NULL, 6);
	vi_emit_flush(em);
	is_str(b.p, "{\"x\":1}\n{\"a\":\"b\"}\n"
	       "{\"loose\":5,\"value\":6,\"notes\":[{\"level\":\"error\",\"message\":\"oops\"}]}\n",
	       "flush: depth-0 members collected into one implicit object");

	/* A note with no enclosing object, and ends that do not match. */
	em_arr_begin(em, "top", NULL);
	em_u64(em, "ignored", 1);
	em_note(em, VI_NOTE_INFO, "n");
	em_obj_begin(em, "ignored", NULL);
	em_u64(em, "k", 2);
	em_arr_end(em);		/* closes the forgotten object too */
	em_obj_end(em);		/* nothing of that kind open: ignored */
	em_u64(em, "after", 3);
	em_arr_begin(em, "unclosed", NULL);
	em_bool(em, NULL, true);
	is_int(vi_emit_errors(em), 1, "json lines: one error note");
	is_int(vi_emit_finish(em), 0, "json lines: finish succeeds");
	s = mclose(&b);
	is_str(s, "{\"x\":1}\n{\"a\":\"b\"}\n"
	       "{\"loose\":5,\"value\":6,\"notes\":[{\"level\":\"error\",\"message\":\"oops\"}]}\n"
	       "[1,{\"k\":2}]\n"
	       "{\"after\":3,\"notes\":[{\"level\":\"info\",\"message\":\"n\"}]}\n"
	       "[true]\n",
	       "finish: remaining values, unclosed ones closed, in order");
	is_int(json_lines(s), 6, "json lines: every line parses");
	free(s);
}

static void test_text_edges(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_TEXT, 0);
	char *s;

	em_u64(em, NULL, 3);
	em_note(em, VI_NOTE_INFO, "hi\n");
	em_arr_begin(em, "outer", NULL);
	em_arr_begin(em, NULL, NULL);
	em_u64(em, "ignored", 1);
	em_bytes(em, "b", (const uint8_t *)"A", 1);
	em_arr_end(em);
	em_arr_end(em);
	em_obj_begin(em, "e", "label \x1b[31m");
	em_str(em, "s", "");
	em_bytes(em, "z", NULL, 0);
	em_bytes(em, "bad", NULL, 4);
	em_flags(em, "f", 0x8, NULL);
	em_enum(em, "e", 0, NULL);
	em_obj_end(em);
	em_obj_begin(em, "a", NULL);
	em_arr_begin(em, "b", NULL);
	em_u64(em, NULL, 1);
	em_obj_end(em);		/* closes the forgotten array too */
	em_u64(em, "after", 2);
	em_detail_begin(em);
	em_obj_begin(em, "hid", NULL);
	em_detail_end(em);
	em_u64(em, "still_hidden", 1);
	em_obj_end(em);
	em_u64(em, "shown", 1);
	is_int(vi_emit_finish(em), 0, "text edges: finish succeeds");
	s = mclose(&b);
	is_str(s,
	       "value: 3\n"
	       "note: hi\\x0a\n"
	       "outer\n"
	       "  -\n"
	       "    - 1\n"
	       "    - 1 byte\n"
	       "      0000: 41" SP12 SP12 SP12 "         " " |A|\n"
	       "label \\x1b[31m\n"
	       "  s: \"\"\n"
	       "  z: 0 bytes\n"
	       "  bad: -\n"
	       "  f: 0x00000008 0x8\n"
	       "  e: 0 (unknown)\n"
	       "a\n"
	       "  b\n"
	       "    - 1\n"
	       "after: 2\n"
	       "shown: 1\n",
	       "text edges: depth 0, nested arrays, escapes, recovery, hidden container");
	free(s);
}

/* The command layer's document root: em_obj_begin(em, NULL, NULL) at depth 0. */
static void emit_rooted(struct vi_emit *em)
{
	em_obj_begin(em, NULL, NULL);
	em_u64(em, "vfio-info", 1);
	em_arr_begin(em, "devices", NULL);
	em_obj_begin(em, NULL, "device %s", "x");
	em_note(em, VI_NOTE_WARN, "w");
	em_obj_end(em);
	em_arr_end(em);
	em_obj_end(em);
	em_obj_begin(em, NULL, NULL);
	em_u64(em, "n", 2);
	em_obj_end(em);
}

static void test_anon_root(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_TEXT, 0);
	char *s;

	emit_rooted(em);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "vfio-info: 1\n"
	       "devices\n"
	       "  device x\n"
	       "    ! warning: w\n"
	       "n: 2\n",
	       "anonymous root: no heading, no indentation in text");
	free(s);

	em = mopen(&b, VI_EMIT_JSON, 0);
	emit_rooted(em);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "{\"vfio-info\":1,\"devices\":[{\"notes\":"
	       "[{\"level\":\"warning\",\"message\":\"w\"}]}]}\n"
	       "{\"n\":2}\n",
	       "anonymous root: two top-level objects, one per line");
	free(s);
}

static void test_two_emitters(void)
{
	struct mbuf ta, jb;
	struct vi_emit *a = mopen(&ta, VI_EMIT_TEXT, 0);
	struct vi_emit *b = mopen(&jb, VI_EMIT_JSON, 0);
	char *s;

	em_obj_begin(a, "x", "X");
	em_obj_begin(b, "y", "Y");
	em_detail_begin(a);
	em_u64(a, "n", 1);
	em_u64(b, "n", 2);
	em_detail_end(a);
	em_note(a, VI_NOTE_ERROR, "e");
	em_obj_end(a);
	em_obj_end(b);
	is_int(vi_emit_errors(a), 1, "two emitters: errors counted apart (a)");
	is_int(vi_emit_errors(b), 0, "two emitters: errors counted apart (b)");
	vi_emit_finish(a);
	vi_emit_finish(b);
	s = mclose(&ta);
	is_str(s, "X\n  ! error: e\n", "two emitters: text unaffected by the other");
	free(s);
	s = mclose(&jb);
	is_str(s, "{\"n\":2}\n", "two emitters: json unaffected by the other");
	free(s);
}

static void test_dup_key(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, 0);
	char *s;

	em_obj_begin(em, NULL, NULL);
	em_u64(em, "k", 1);
	em_u64(em, "k", 2);
	em_obj_begin(em, "k", NULL);
	em_u64(em, "inner", 3);
	em_note(em, VI_NOTE_ERROR, "dropped");
	em_obj_end(em);
	em_u64(em, "after", 4);
	em_obj_end(em);
	is_int(vi_emit_errors(em), 1, "dup key: not a decode error (the dropped note is)");
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "{\"k\":1,\"after\":4,\"notes\":[{\"level\":\"warning\","
	       "\"message\":\"internal: duplicate key \\\"k\\\"\"},"
	       "{\"level\":\"warning\",\"message\":\"internal: duplicate key \\\"k\\\"\"}]}\n",
	       "dup key: first value kept, a later scalar or container dropped, note added");
	free(s);
}

/* Every integer is an exact decimal JSON number, whatever its size. */
static void test_numbers(void)
{
	static const struct {
		uint64_t v;
		const char *want;
	} t[] = {
		{ 0, "0" },
		{ (1ULL << 53) + 1, "9007199254740993" },
		{ 1ULL << 63, "9223372036854775808" },
		{ UINT64_MAX, "18446744073709551615" },
	};
	struct mbuf b;
	struct vi_emit *em;
	char want[256], *s;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		em = mopen(&b, VI_EMIT_JSON, 0);
		em_obj_begin(em, NULL, NULL);
		em_u64(em, "u", t[i].v);
		em_hex(em, "h", t[i].v);
		em_size(em, "s", t[i].v);
		em_flags(em, "f", t[i].v, NULL);
		em_enum(em, "e", t[i].v, NULL);
		em_arr_begin(em, "a", NULL);
		em_u64(em, NULL, t[i].v);
		em_arr_end(em);
		em_obj_end(em);
		vi_emit_finish(em);
		s = mclose(&b);
		snprintf(want, sizeof(want), "{\"u\":%s,\"h\":%s,\"s\":%s,"
			 "\"f\":{\"value\":%s,\"names\":[],\"unknown\":%s},"
			 "\"e\":{\"value\":%s,\"name\":null},\"a\":[%s]}\n",
			 t[i].want, t[i].want, t[i].want, t[i].want, t[i].want,
			 t[i].want, t[i].want);
		is_str(s, want, "numbers: %s exact in every kind of integer", t[i].want);
		free(s);
	}
}

/* Signed values (an ioctl's return): exact down to INT64_MIN, both formats. */
static void test_signed(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, 0);
	char *s;

	em_obj_begin(em, NULL, NULL);
	em_i64(em, "ok", 0);
	em_i64(em, "ret", -22);
	em_i64(em, "min", INT64_MIN);
	em_i64(em, "max", INT64_MAX);
	em_obj_end(em);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "{\"ok\":0,\"ret\":-22,\"min\":-9223372036854775808,"
	       "\"max\":9223372036854775807}\n", "signed: JSON numbers");
	free(s);

	em = mopen(&b, VI_EMIT_TEXT, 0);
	em_i64(em, "ret", -22);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "ret: -22\n", "signed: text");
	free(s);
}

/* Strings: JSON escapes on top of vi_escape(), keys too. */
static void test_escape(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, 0);
	json_t *root;
	char *s;

	em_obj_begin(em, NULL, NULL);
	em_str(em, "q\"k", "a\"b\\c\n\t\x1b[0m\x7f/");
	em_str(em, "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	em_str(em, "bad", "\xc3(\xed\xa0\x80\xc2\x9b\xf5\x80");
	em_str(em, "empty", "");
	em_str(em, "plain", "x\"y z");	/* printable ASCII: written without a copy */
	em_note(em, VI_NOTE_WARN, "note \"%s\"\n", "x");
	em_obj_end(em);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "{\"q\\\"k\":\"a\\\"b\\\\\\\\c\\\\x0a\\\\x09\\\\x1b[0m\\\\x7f/\","
	       "\"utf8\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
	       "\"bad\":\"\\\\xc3(\\\\xed\\\\xa0\\\\x80\\\\xc2\\\\x9b\\\\xf5\\\\x80\","
	       "\"empty\":\"\","
	       "\"plain\":\"x\\\"y z\","
	       "\"notes\":[{\"level\":\"warning\",\"message\":\"note \\\"x\\\"\\\\x0a\"}]}\n",
	       "escape: quotes, backslashes, controls, DEL, invalid UTF-8 and C1 as text");
	root = json_loads(s, 0, NULL);
	ok(root != NULL, "escape: output parses");
	is_str(json_string_value(json_object_get(root, "q\"k")), "a\"b\\\\c\\x0a\\x09\\x1b[0m\\x7f/",
	       "escape: the string reads back as vi_escape() made it");
	json_decref(root);
	free(s);
}

/* Streaming: written as the calls come; notes wait for their object's end. */
static void test_stream(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, 0);
	char *s;

	em_obj_begin(em, NULL, NULL);
	em_arr_begin(em, "devices", NULL);
	em_obj_begin(em, NULL, NULL);
	em_note(em, VI_NOTE_INFO, "outer first");
	em_u64(em, "a", 1);
	em_obj_begin(em, "inner", NULL);
	em_arr_begin(em, "list", NULL);
	em_arr_begin(em, NULL, NULL);
	em_note(em, VI_NOTE_WARN, "in nested arrays");
	em_arr_end(em);
	em_arr_end(em);
	fflush(b.f);
	is_str(b.p, "{\"devices\":[{\"a\":1,\"inner\":{\"list\":[[]]",
	       "stream: members written at once, notes held back");
	em_obj_end(em);
	em_note(em, VI_NOTE_ERROR, "outer second");
	em_obj_end(em);
	fflush(b.f);
	is_str(b.p, "{\"devices\":[{\"a\":1,\"inner\":{\"list\":[[]],"
	       "\"notes\":[{\"level\":\"warning\",\"message\":\"in nested arrays\"}]},"
	       "\"notes\":[{\"level\":\"info\",\"message\":\"outer first\"},"
	       "{\"level\":\"error\",\"message\":\"outer second\"}]}",
	       "stream: one notes member at the end of each object, in order");
	em_arr_end(em);
	em_obj_end(em);
	vi_emit_finish(em);
	s = mclose(&b);
	free(s);
}

/* Text: a container with nothing in it prints no heading. */
static void test_text_empty(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_TEXT, 0);
	char *s;

	em_obj_begin(em, NULL, NULL);
	em_arr_begin(em, "empty", NULL);
	em_arr_end(em);
	em_obj_begin(em, "outer", "outer %d", 1);
	em_obj_begin(em, "empty_too", NULL);
	em_arr_begin(em, NULL, NULL);
	em_arr_end(em);
	em_obj_end(em);
	em_obj_begin(em, "inner", NULL);
	em_note(em, VI_NOTE_INFO, "only a note");
	em_obj_end(em);
	em_obj_end(em);
	em_obj_begin(em, "hidden_only", NULL);
	em_detail_begin(em);
	em_u64(em, "x", 1);
	em_detail_end(em);
	em_obj_end(em);
	em_obj_begin(em, "last", NULL);
	em_u64(em, "y", 2);
	em_obj_end(em);
	em_obj_end(em);
	vi_emit_finish(em);
	s = mclose(&b);
	is_str(s, "outer 1\n  inner\n    note: only a note\nhidden_only\nlast\n  y: 2\n",
	       "text: empty containers print nothing; hidden detail is not nothing");
	free(s);
}

/* VI_EMIT_VERSION: the format version first in every top-level object. */
static void test_version(void)
{
	struct mbuf b;
	struct vi_emit *em = mopen(&b, VI_EMIT_JSON, VI_EMIT_VERSION);
	char want[256], *s;

	em_obj_begin(em, NULL, NULL);
	em_u64(em, "a", 1);
	em_obj_end(em);
	em_arr_begin(em, NULL, NULL);
	em_obj_begin(em, NULL, NULL);
	em_obj_end(em);
	em_arr_end(em);
	em_u64(em, "loose", 2);
	vi_emit_flush(em);
	em_obj_begin(em, NULL, NULL);
	em_u64(em, "vfio-info", 99);
	em_obj_end(em);
	vi_emit_finish(em);
	s = mclose(&b);
	snprintf(want, sizeof(want),
		 "{\"vfio-info\":%d,\"a\":1}\n[{}]\n{\"vfio-info\":%d,\"loose\":2}\n"
		 "{\"vfio-info\":%d,\"notes\":[{\"level\":\"warning\","
		 "\"message\":\"internal: duplicate key \\\"vfio-info\\\"\"}]}\n",
		 VI_JSON_FORMAT, VI_JSON_FORMAT, VI_JSON_FORMAT);
	is_str(s, want, "version: first in each top-level object, never overwritten");
	free(s);
}

static void test_human_size(void)
{
	static const struct {
		uint64_t v;
		const char *want;
	} t[] = {
		{ 0, "0 bytes" },
		{ 1, "1 byte" },
		{ 1023, "1023 bytes" },
		{ 1024, "1 KiB" },
		{ 1280, "1.3 KiB" },
		{ 1536, "1.5 KiB" },
		{ 1048575, "1.0 MiB" },
		{ 2097151, "2.0 MiB" },
		{ 0x100000000ULL, "4 GiB" },
		{ 1ULL << 60, "1 EiB" },
		{ UINT64_MAX, "16.0 EiB" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_str(vi_human_size(t[i].v, buf, sizeof(buf)), t[i].want,
		       "vi_human_size(%llu)", (unsigned long long)t[i].v);
}

static void test_null_safety(void)
{
	FILE *f = fopen("/dev/null", "w");

	ok(vi_emit_new(VI_EMIT_TEXT, NULL, 0) == NULL, "new: NULL stream refused");
	ok(vi_emit_new((enum vi_emit_format)7, f, 0) == NULL, "new: bad format refused");
	em_u64(NULL, "x", 1);
	em_obj_begin(NULL, "x", NULL);
	em_obj_end(NULL);
	em_note(NULL, VI_NOTE_ERROR, "x");
	vi_emit_flush(NULL);
	is_int(vi_emit_errors(NULL), 0, "NULL emitter: calls are harmless");
	fclose(f);
}

/* em_shown: false only inside a detail block that text without -v hides. */
static void test_shown(void)
{
	static const struct {
		enum vi_emit_format fmt;
		unsigned int flags;
		bool in_detail;
		const char *what;
	} c[] = {
		{ VI_EMIT_TEXT, 0, false, "text" },
		{ VI_EMIT_TEXT, VI_EMIT_VERBOSE, true, "text -v" },
		{ VI_EMIT_JSON, 0, true, "json" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct mbuf b;
		struct vi_emit *em = mopen(&b, c[i].fmt, c[i].flags);

		em_obj_begin(em, NULL, NULL);
		ok(em_shown(em), "%s: shown outside a detail block", c[i].what);
		em_detail_begin(em);
		em_u64(em, "x", 1);
		ok(em_shown(em) == c[i].in_detail, "%s: inside a detail block %s", c[i].what,
		   c[i].in_detail ? "shown" : "not shown");
		em_obj_begin(em, "nested", NULL);
		ok(em_shown(em) == c[i].in_detail, "%s: nested in a detail block alike", c[i].what);
		em_obj_end(em);
		em_detail_end(em);
		ok(em_shown(em), "%s: shown again after the detail block", c[i].what);
		em_obj_end(em);
		vi_emit_finish(em);
		free(mclose(&b));
	}
	ok(!em_shown(NULL), "NULL emitter: nothing is shown");
}

int main(void)
{
	test_sample();
	test_pretty();
	test_json_lines();
	test_text_edges();
	test_anon_root();
	test_two_emitters();
	test_dup_key();
	test_numbers();
	test_signed();
	test_escape();
	test_stream();
	test_text_empty();
	test_version();
	test_human_size();
	test_null_safety();
	test_shown();
	return tap_done();
}
