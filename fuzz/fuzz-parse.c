// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-parse.c - the small readers every capture and every name goes
 * through, each held to what its header promises.
 *
 * Input: byte 0 picks the reader (and a size for the ones that take
 * one), the rest is the text, NUL-terminated here.  Readers: hex
 * (vi_hex_decode, round trip through vi_hex_encode), errno names,
 * DEVICE_FEATURE flag words, capture path keys (vi_path_normalize),
 * PCI addresses, UUIDs, sizes (--replay-max-size), the name validators
 * and shell quoting, and the escaping every printed name gets
 * (vi_escape, vi_printable).  A broken
 * promise aborts, so the fuzzer reports it as a crash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture-io.h"
#include "emit-int.h"
#include "fuzz.h"
#include "safe.h"
#include "util.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz-parse: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static void hex(const char *s)
{
	uint8_t *b = NULL, *b2 = NULL;
	size_t n = 0, n2 = 0, bad = 0;
	int r = vi_hex_decode(s, &b, &n, &bad);
	char *e;

	if (r == VI_HEX_BAD_CHAR) {
		CHECK(bad < strlen(s));
		return;
	}
	if (r != 0)
		return;
	CHECK(b != NULL);
	e = vi_hex_encode(b, n);
	CHECK(e != NULL);
	CHECK(vi_hex_decode(e, &b2, &n2, NULL) == 0);
	CHECK(n2 == n && (n == 0 || memcmp(b, b2, n) == 0));
	free(e);
	free(b);
	free(b2);
}

static void errno_name(const char *s, unsigned int k)
{
	int v = vi_errno_value(s);
	const char *name;

	if (v) {
		name = vi_errno_name(v);
		CHECK(name != NULL);
		CHECK(vi_errno_value(name) == v);
	}
	name = vi_errno_name((int)k);
	if (name)
		CHECK(vi_errno_value(name) == (int)k);
}

static void feature_flags(const char *s, unsigned int k)
{
	uint32_t bits = 0, again = 0;
	char buf[64];

	if (vi_feature_flags_parse(s, &bits) == 0) {
		vi_feature_flags_format(bits, buf, sizeof(buf));
		CHECK(vi_feature_flags_parse(buf, &again) == 0);
		CHECK(again == bits);
	}
	/* every word the formatter writes parses back */
	vi_feature_flags_format((uint32_t)k << 16 | (uint32_t)k, buf, sizeof(buf));
	CHECK(vi_feature_flags_parse(buf, &bits) == 0);
}

static void path(const char *s)
{
	char *p = vi_path_normalize(s), *q;
	size_t n;

	CHECK(p != NULL);
	n = strlen(p);
	CHECK(n <= strlen(s));
	CHECK(p[0] != '/' && (n == 0 || p[n - 1] != '/'));
	CHECK(!strstr(p, "//"));
	/* no "." or ".." component is left */
	for (const char *c = p; *c; ) {
		size_t len = strcspn(c, "/");

		CHECK(!(len == 1 && c[0] == '.'));
		CHECK(!(len == 2 && c[0] == '.' && c[1] == '.'));
		c += len;
		if (*c == '/')
			c++;
	}
	q = vi_path_normalize(p);
	CHECK(q && strcmp(p, q) == 0);
	free(q);
	free(p);
}

static void bdf(const char *s)
{
	char out[16], again[16];

	if (vi_parse_bdf(s, out) != 0)
		return;
	CHECK(strlen(out) == 12);
	CHECK(vi_parse_bdf(out, again) == 0 && strcmp(out, again) == 0);
	CHECK(vi_name_ok(VI_NAME_BDF, out));
}

static void uuid(const char *s)
{
	uint8_t u[16], u2[16];
	char canon[40];
	int o = 0;

	if (vi_parse_uuid(s, u) != 0) {
		CHECK(!vi_is_uuid(s));
		return;
	}
	CHECK(vi_is_uuid(s));
	for (int i = 0; i < 16; i++)
		o += snprintf(canon + o, sizeof(canon) - (size_t)o, "%s%02x",
			      i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
	CHECK(strcasecmp(canon, s) == 0);
	CHECK(vi_parse_uuid(canon, u2) == 0 && memcmp(u, u2, 16) == 0);
}

static void printable_ascii(const char *e)
{
	for (const char *c = e; *c; c++)
		CHECK((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
}

static bool shell_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       strchr("_@%+=:,./-", c);
}

static void names(const char *s, unsigned int k)
{
	enum vi_name_kind kind = (enum vi_name_kind)(k % (VI_NAME_USER + 1));
	char *q = vi_shquote(s);
	bool plain = *s != '\0';

	CHECK(q != NULL);
	for (const char *c = s; *c; c++)
		plain = plain && shell_plain((unsigned char)*c);
	if (plain) {
		CHECK(strcmp(q, s) == 0);
	} else {
		/* single quotes around it, every ' written as '\'' */
		size_t n = strlen(q), i = 1;
		const char *c = s;

		CHECK(n >= 2 && q[0] == '\'' && q[n - 1] == '\'');
		while (*c) {
			if (*c == '\'') {
				CHECK(strncmp(q + i, "'\\''", 4) == 0);
				i += 4;
			} else {
				CHECK(q[i] == *c);
				i++;
			}
			c++;
		}
		CHECK(i == n - 1);
	}
	free(q);
	if (vi_name_ok(kind, s))
		printable_ascii(s);	/* a valid name prints as it is */
	CHECK(vi_name_kind_word(kind) != NULL);
}

static void escape(const char *s, unsigned int k)
{
	size_t max = k * 4;
	char *e = vi_escape(s, false), *p;

	CHECK(e != NULL);
	printable_ascii(e);
	free(e);
	e = vi_escape(s, true);
	CHECK(e != NULL);
	/* UTF-8 kept, but no C0, DEL or C1 control (U+0080-U+009F) */
	for (const unsigned char *c = (const unsigned char *)e; *c; c++) {
		CHECK(*c >= 0x20 && *c != 0x7f);
		CHECK(!(c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f));
	}
	free(e);
	p = vi_printable(s, max);
	CHECK(p != NULL);
	printable_ascii(p);
	CHECK(strlen(p) <= (max < 16 ? 16 : max));
	free(p);
}

/* --replay-max-size and the sizes messages print */
static void sizes(const char *s, unsigned int k)
{
	uint64_t v = 0, again = 0;
	char buf[64];

	if (vi_size_parse(s, &v) == 0) {
		CHECK(v > 0);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
		CHECK(vi_size_parse(buf, &again) == 0 && again == v);
	}
	for (const char *c = s; *c && c < s + 8; c++)
		v = v << 8 | (unsigned char)*c;
	vi_size_words(v >> (k & 15), buf, sizeof(buf));
	CHECK(buf[0] != '\0');
	printable_ascii(buf);
	CHECK(vi_file_type_word((unsigned int)v) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned int sel, k;

	fuzz_setup();
	if (size < 1)
		return 0;
	sel = data[0] & 0x0f;
	k = data[0] >> 4;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (sel) {
	case 0: hex(s); break;
	case 1: errno_name(s, k | (size & 0xff) << 4); break;
	case 2: feature_flags(s, k); break;
	case 3: path(s); break;
	case 4: bdf(s); break;
	case 5: uuid(s); break;
	case 6: case 7: names(s, k | (sel & 1) << 4); break;
	case 8: escape(s, k); break;
	case 9: escape(s, k + 16 * (size & 0x3f)); break;
	case 10: sizes(s, k); break;
	default:
		/* everything at once, for inputs that matter to several */
		hex(s); path(s); bdf(s); uuid(s); names(s, k); escape(s, k); sizes(s, k);
		break;
	}
	free(s);
	return 0;
}
