/* SPDX-License-Identifier: GPL-2.0-or-later */
/* emit.c - the emitter front end shared by the text and JSON renderers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "emit-int.h"

/*
 * Rules every caller can rely on (both formats):
 *  - A NULL @key inside an object means "value"; so does a NULL @key of a
 *    scalar made at depth 0.
 *  - A top-level container with neither key nor label is an anonymous
 *    document root: text prints no heading for it and does not indent its
 *    contents (JSON ignores top-level keys and labels anyway).
 *  - An end call closes the innermost open container of its kind, and any
 *    containers opened inside it that were left open.  An end call with no
 *    open container of its kind is ignored; so is an extra detail end.
 *  - vi_emit_finish() closes whatever is still open.
 *  - An em_str() of NULL is a null, never a dropped member.
 *  - Error notes are counted even where a detail block hides them.
 *  - Nothing is ever written to stderr; there is no global state.
 */

char *vi_vfmt(const char *fmt, va_list ap)
{
	va_list aq;
	char *buf;
	int n;

	if (!fmt)
		return NULL;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if (!buf)
		return NULL;
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	return buf;
}

/*
 * @fmt formatted into @buf when it fits (labels, notes and values are
 * short: no allocation, one pass), else into a new allocation; NULL when
 * out of memory.  The caller frees a result that is not @buf.
 */
static char *__attribute__((format(printf, 3, 0)))
fmt_in(char *buf, size_t len, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (!fmt)
		return NULL;
	va_copy(aq, ap);
	n = vsnprintf(buf, len, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	if ((size_t)n < len)
		return buf;
	return vi_vfmt(fmt, ap);
}

char *vi_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vi_vfmt(fmt, ap);
	va_end(ap);
	return s;
}

/* Length of the well-formed UTF-8 sequence at @s (@n bytes left), or 0. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF, and no
	 * C1 control (U+0080-U+009F: U+009B is CSI to a terminal). */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

/* 1 for the bytes printed as they are, 0x20..0x7e but the backslash (and
 * 0 for NUL, which ends the scan): one lookup a byte, where three
 * comparisons would each be traced in the fuzz targets for every byte of
 * every string printed. */
static const unsigned char plain_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 10 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* a0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* b0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* c0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* d0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* e0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* f0 */
};

bool vi_escape_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (plain_byte[*p])
		p++;
	return !*p;
}

char *vi_escape(const char *s, bool keep_utf8)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, l;
	char *out;

	if (n > (SIZE_MAX - 1) / 4)
		return NULL;
	out = malloc(n * 4 + 1);
	if (!out)
		return NULL;
	while (i < n) {
		unsigned char c = p[i];

		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
			i++;
		} else if (keep_utf8 && c >= 0x80 && (l = utf8_seq_len(p + i, n - i))) {
			memcpy(out + o, p + i, l);
			o += l;
			i += l;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

const char *vi_note_level_name(enum vi_note_level lvl)
{
	switch (lvl) {
	case VI_NOTE_INFO:
		return "info";
	case VI_NOTE_WARN:
		return "warning";
	default:
		return "error";
	}
}

const char *vi_human_size(uint64_t v, char *buf, size_t len)
{
	static const char *const units[] = {
		"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned int u = 0;
	uint64_t whole, rem, unit, tenths;

	if (!buf || !len)
		return "";
	if (v < 1024) {
		snprintf(buf, len, "%" PRIu64 " %s", v, v == 1 ? "byte" : "bytes");
		return buf;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >> (10 * (u + 1)))
		u++;
	unit = (uint64_t)1 << (10 * u);
	whole = v >> (10 * u);
	rem = v & (unit - 1);
	if (!rem) {
		snprintf(buf, len, "%" PRIu64 " %s", whole, units[u]);
		return buf;
	}
	/* One decimal, rounded half up; cannot overflow as rem < 2^60. */
	tenths = (rem * 10 + unit / 2) >> (10 * u);
	if (tenths == 10) {
		whole++;
		tenths = 0;
		if (whole == 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
			whole = 1;
			u++;
		}
	}
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " %s", whole, tenths, units[u]);
	return buf;
}

struct vi_emit *vi_emit_new(enum vi_emit_format fmt, FILE *out, unsigned int flags)
{
	struct vi_emit *em;

	if (!out || (fmt != VI_EMIT_TEXT && fmt != VI_EMIT_JSON)) {
		errno = EINVAL;
		return NULL;
	}
	em = calloc(1, sizeof(*em));
	if (!em)
		return NULL;
	em->out = out;
	em->flags = flags;
	em->ops = fmt == VI_EMIT_JSON ? &vi_emit_json_ops : &vi_emit_text_ops;
	em->hide_detail = fmt == VI_EMIT_TEXT && !(flags & VI_EMIT_VERBOSE);
	if (em->ops->init && em->ops->init(em) < 0) {
		free(em);
		errno = ENOMEM;
		return NULL;
	}
	return em;
}

unsigned int vi_emit_errors(const struct vi_emit *em)
{
	return em ? em->errors : 0;
}

/* Is the call being made now inside a hidden detail block? */
static bool is_hidden(const struct vi_emit *em)
{
	const struct vi_frame *t = vi_emit_top(em);

	return (em->detail && em->hide_detail) || (t && t->hidden);
}

bool em_shown(const struct vi_emit *em)
{
	return em && !is_hidden(em);
}

/* Tell the renderer that a hidden call was made (see emit-int.h). */
static void hidden_member(struct vi_emit *em)
{
	if (em->ops->hidden)
		em->ops->hidden(em);
}

static const char *member_key(const struct vi_emit *em, const char *key)
{
	if (vi_emit_in_array(em))
		return key;
	return key ? key : "value";
}

static void pop(struct vi_emit *em)
{
	struct vi_frame *f = vi_emit_top(em);

	if (!f->hidden)
		em->ops->end(em, f);
	em->nframes--;
}

int vi_emit_finish(struct vi_emit *em)
{
	int r;

	if (!em)
		return -EINVAL;
	while (em->nframes)
		pop(em);
	r = em->ops->finish(em);
	if (fflush(em->out) == EOF || ferror(em->out))
		r = r ? r : -EIO;
	if (!r)
		r = em->err;
	free(em->frames);
	free(em);
	return r;
}

void vi_emit_flush(struct vi_emit *em)
{
	if (!em)
		return;
	em->ops->flush(em);
	fflush(em->out);
}

static void __attribute__((format(printf, 4, 0)))
begin(struct vi_emit *em, enum vi_kind kind, const char *key, const char *label, va_list ap)
{
	bool hide = is_hidden(em);
	/* At depth 0 there is no enclosing object: the key is passed raw. */
	const char *k = em->nframes ? member_key(em, key) : key;
	struct vi_frame *f;
	char buf[256], *lab = NULL;

	if (em->nframes == em->cap) {
		size_t ncap = em->cap ? em->cap * 2 : 16;
		struct vi_frame *nf = realloc(em->frames, ncap * sizeof(*nf));

		if (!nf) {
			em->lost++;
			em->err = -ENOMEM;
			return;
		}
		em->frames = nf;
		em->cap = ncap;
	}
	f = &em->frames[em->nframes++];
	f->kind = kind;
	f->hidden = hide;
	f->count = 0;
	f->priv = NULL;
	if (hide) {
		hidden_member(em);
		return;
	}
	if (label && em->ops->wants_label)
		lab = fmt_in(buf, sizeof(buf), label, ap);	/* on ENOMEM the key is the heading */
	em->ops->begin(em, f, k, lab);
	if (lab != buf)
		free(lab);
}

static void end(struct vi_emit *em, enum vi_kind kind)
{
	size_t i;

	if (!em)
		return;
	if (em->lost) {
		em->lost--;
		return;
	}
	for (i = em->nframes; i > 0; i--)
		if (em->frames[i - 1].kind == kind)
			break;
	if (!i)
		return;
	while (em->nframes >= i)
		pop(em);
}

void em_obj_begin(struct vi_emit *em, const char *key, const char *label, ...)
{
	va_list ap;

	if (!em)
		return;
	va_start(ap, label);
	begin(em, VI_OBJ, key, label, ap);
	va_end(ap);
}

void em_obj_end(struct vi_emit *em)
{
	end(em, VI_OBJ);
}

void em_summary(struct vi_emit *em, const char *fmt, ...)
{
	va_list ap;

	/* only where detail blocks are hidden, and only in a format that
	 * prints labels (text): JSON holds the items themselves */
	if (!em || !em->hide_detail || !em->ops->wants_label || is_hidden(em))
		return;
	va_start(ap, fmt);
	begin(em, VI_OBJ, NULL, fmt, ap);
	va_end(ap);
	/* a heading alone: it stands for what the detail blocks hold, so it
	 * is printed although nothing visible follows */
	hidden_member(em);
	end(em, VI_OBJ);
}

void em_arr_begin(struct vi_emit *em, const char *key, const char *label, ...)
{
	va_list ap;

	if (!em)
		return;
	va_start(ap, label);
	begin(em, VI_ARR, key, label, ap);
	va_end(ap);
}

void em_arr_end(struct vi_emit *em)
{
	end(em, VI_ARR);
}

void em_detail_begin(struct vi_emit *em)
{
	if (em)
		em->detail++;
}

void em_detail_end(struct vi_emit *em)
{
	if (em && em->detail)
		em->detail--;
}

static void put(struct vi_emit *em, const char *key, const struct vi_value *v)
{
	if (!em)
		return;
	if (is_hidden(em)) {
		hidden_member(em);
		return;
	}
	em->ops->scalar(em, member_key(em, key), v);
}

void em_u64(struct vi_emit *em, const char *key, uint64_t v)
{
	struct vi_value val = { .type = VI_V_U64, .u = v };

	put(em, key, &val);
}

void em_i64(struct vi_emit *em, const char *key, int64_t v)
{
	struct vi_value val = { .type = VI_V_I64, .u = (uint64_t)v };

	put(em, key, &val);
}

void em_hex(struct vi_emit *em, const char *key, uint64_t v)
{
	struct vi_value val = { .type = VI_V_HEX, .u = v };

	put(em, key, &val);
}

void em_hexw(struct vi_emit *em, const char *key, uint64_t v, unsigned int bits)
{
	struct vi_value val = { .type = VI_V_HEX, .u = v, .digits = (bits + 3) / 4 };

	put(em, key, &val);
}

void em_size(struct vi_emit *em, const char *key, uint64_t v)
{
	struct vi_value val = { .type = VI_V_SIZE, .u = v };

	put(em, key, &val);
}

void em_str(struct vi_emit *em, const char *key, const char *s)
{
	struct vi_value val = { .type = s ? VI_V_STR : VI_V_NULL, .s = s };

	put(em, key, &val);
}

void em_strf(struct vi_emit *em, const char *key, const char *fmt, ...)
{
	va_list ap;
	char buf[256], *s;

	if (!em)
		return;
	if (is_hidden(em)) {
		hidden_member(em);
		return;
	}
	va_start(ap, fmt);
	s = fmt_in(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!s && fmt)
		em->err = -ENOMEM;
	em_str(em, key, s);
	if (s != buf)
		free(s);
}

void em_str_text(struct vi_emit *em, const char *key, const char *s, const char *text)
{
	/* the renderer that prints labels is the one a person reads */
	em_str(em, key, em && em->ops->wants_label && text ? text : s);
}

void em_u64_text(struct vi_emit *em, const char *key, uint64_t v, const char *text)
{
	if (em && em->ops->wants_label && text)
		em_str(em, key, text);
	else
		em_u64(em, key, v);
}

/*
 * Page sizes for a person: the set bits as sizes, each run of three or
 * more contiguous powers of two as "4K-2M (every power of two)", the
 * rest one by one: "4K, 2M, 1G".  @buf gets at most 64 names.
 */
static void pgsizes_text(uint64_t v, char *buf, size_t len)
{
	size_t o = 0;
	bool first = true;

	o += (size_t)snprintf(buf, len, v > UINT32_MAX ? "0x%016" PRIx64 : "0x%08" PRIx64, v);
	if (!v) {
		snprintf(buf + o, len - o, " (none)");
		return;
	}
	for (unsigned int i = 0; i < 64 && o < len; i++) {
		unsigned int j = i;
		const char *sep = first ? " " : ", ";

		if (!(v >> i & 1))
			continue;
		first = false;
		while (j + 1 < 64 && (v >> (j + 1) & 1))
			j++;
		if (j - i >= 2) {
			o += (size_t)snprintf(buf + o, len - o, "%s%s-%s (every power of two)", sep,
					      vi_name_of(vi_page_sizes, 1ull << i),
					      vi_name_of(vi_page_sizes, 1ull << j));
			i = j;
		} else {
			o += (size_t)snprintf(buf + o, len - o, "%s%s", sep,
					      vi_name_of(vi_page_sizes, 1ull << i));
		}
	}
}

void em_pgsizes(struct vi_emit *em, const char *key, uint64_t v)
{
	char buf[64 * 8 + 64];

	if (em && em->ops->wants_label) {
		pgsizes_text(v, buf, sizeof(buf));
		em_str(em, key, buf);
	} else {
		em_flags(em, key, v, vi_page_sizes);
	}
}

void em_bool(struct vi_emit *em, const char *key, bool v)
{
	struct vi_value val = { .type = VI_V_BOOL, .u = v };

	put(em, key, &val);
}

void em_null(struct vi_emit *em, const char *key)
{
	struct vi_value val = { .type = VI_V_NULL };

	put(em, key, &val);
}

/*
 * Split @v into the names of @tbl (in table order) and the leftover bits.
 * An entry matches when all of its bits are set; zero entries never match.
 * This does not use names.c, so the emitter stands on its own.
 */
void em_flags(struct vi_emit *em, const char *key, uint64_t v, const struct vi_name *tbl)
{
	struct vi_value val = { .type = VI_V_FLAGS, .u = v, .unknown = v };
	const char *few[64], **names = NULL;	/* tables are short: no allocation */
	size_t i, n = 0;

	if (!em)
		return;
	if (is_hidden(em)) {
		hidden_member(em);
		return;
	}
	if (tbl) {
		while (tbl[n].name)
			n++;
		if (n && v) {
			names = n <= sizeof(few) / sizeof(few[0]) ? few : calloc(n, sizeof(*names));
			if (!names)
				em->err = -ENOMEM;	/* all bits shown as unknown */
		}
	}
	for (i = 0; names && i < n; i++) {
		uint64_t b = tbl[i].value;

		if (b && (v & b) == b) {
			names[val.nnames++] = tbl[i].name;
			val.unknown &= ~b;
		}
	}
	val.names = names;
	put(em, key, &val);
	if (names != few)
		free(names);
}

void em_enum(struct vi_emit *em, const char *key, uint64_t v, const struct vi_name *tbl)
{
	struct vi_value val = { .type = VI_V_ENUM, .u = v };
	size_t i;

	for (i = 0; tbl && tbl[i].name; i++) {
		if (tbl[i].value == v) {
			val.name = tbl[i].name;
			break;
		}
	}
	put(em, key, &val);
}

void em_bytes(struct vi_emit *em, const char *key, const uint8_t *p, size_t n)
{
	struct vi_value val = { .type = VI_V_BYTES, .p = p, .n = n };

	if (!p) {
		if (n)
			val.type = VI_V_NULL;
		val.p = (const uint8_t *)"";
		val.n = 0;
	}
	put(em, key, &val);
}

/* emit.h lacks the attribute; clang's -Wformat-nonliteral wants it here. */
void em_vnote(struct vi_emit *em, enum vi_note_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

void em_vnote(struct vi_emit *em, enum vi_note_level lvl, const char *fmt, va_list ap)
{
	char buf[256], *msg;

	if (!em)
		return;
	if (lvl != VI_NOTE_INFO && lvl != VI_NOTE_WARN)
		lvl = VI_NOTE_ERROR;	/* an unknown level is taken seriously */
	if (lvl == VI_NOTE_ERROR)
		em->errors++;
	if (is_hidden(em)) {
		hidden_member(em);
		return;
	}
	msg = fmt_in(buf, sizeof(buf), fmt, ap);
	if (!msg)
		em->err = -ENOMEM;
	em->ops->note(em, lvl, msg ? msg : fmt ? fmt : "(no message)");
	if (msg != buf)
		free(msg);
}

void em_note(struct vi_emit *em, enum vi_note_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	em_vnote(em, lvl, fmt, ap);
	va_end(ap);
}
