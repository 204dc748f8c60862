/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * emit-int.h - private interface between emit.c and the two renderers.
 *
 * emit.c owns everything the formats share: the container stack, detail
 * blocks, the error count, flag splitting and enum lookup, NULL-key rules
 * and unbalanced-call recovery.  A renderer only turns the prepared calls
 * into bytes, as they arrive: neither keeps a whole document.  It is never called for anything inside a hidden detail
 * block, and it never sees a NULL key inside an object (emit.c substitutes
 * "value").  Inside an array, and for a container at depth 0, the key is
 * passed through unchanged (it may be NULL) and is no JSON member name.
 */
#ifndef VFIO_INFO_EMIT_INT_H
#define VFIO_INFO_EMIT_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "emit.h"

enum vi_kind { VI_OBJ, VI_ARR };

struct vi_frame {
	enum vi_kind kind;
	bool hidden;		/* opened inside a hidden detail block; a renderer's
				 * begin may also set it to drop the container and
				 * everything in it (JSON: a duplicate key) */
	size_t count;		/* members or elements written so far */
	void *priv;		/* renderer data, freed by the renderer's end */
};

enum vi_vtype {
	VI_V_U64, VI_V_I64, VI_V_HEX, VI_V_SIZE, VI_V_STR, VI_V_BOOL, VI_V_NULL,
	VI_V_FLAGS, VI_V_ENUM, VI_V_BYTES,
};

/* One scalar, already looked up: renderers do no table work. */
struct vi_value {
	enum vi_vtype type;
	uint64_t u;			/* U64 HEX SIZE FLAGS ENUM, BOOL as 0/1,
					 * I64 as its two's complement */
	const char *s;			/* STR: raw bytes, never NULL */
	const char *name;		/* ENUM: the name, or NULL if unknown */
	const char *const *names;	/* FLAGS: names of the set known bits */
	size_t nnames;
	uint64_t unknown;		/* FLAGS: bits no table entry named */
	const uint8_t *p;		/* BYTES (p is never NULL) */
	size_t n;
	unsigned int digits;		/* HEX: at least this many hex digits in
					 * text (a register's width), 0: no padding */
};

struct vi_emit;

struct vi_emit_ops {
	bool wants_label;	/* format the printf-style labels at all */
	int (*init)(struct vi_emit *em);
	/* @f is already pushed: it is the top frame, its parent is f - 1. */
	void (*begin)(struct vi_emit *em, struct vi_frame *f, const char *key,
		      const char *label);
	/* @f is still the top frame. */
	void (*end)(struct vi_emit *em, struct vi_frame *f);
	void (*scalar)(struct vi_emit *em, const char *key, const struct vi_value *v);
	void (*note)(struct vi_emit *em, enum vi_note_level lvl, const char *msg);
	/* Optional: something was made that a hidden detail block keeps from
	 * the renderer (text: its container is not empty). */
	void (*hidden)(struct vi_emit *em);
	void (*flush)(struct vi_emit *em);
	/* Write what is pending and free the renderer state: 0 or -errno. */
	int (*finish)(struct vi_emit *em);
};

struct vi_emit {
	const struct vi_emit_ops *ops;
	FILE *out;
	unsigned int flags;
	unsigned int errors;		/* VI_NOTE_ERROR notes so far */
	unsigned int detail;		/* open detail blocks */
	bool hide_detail;		/* this renderer hides detail blocks */
	struct vi_frame *frames;	/* container stack, frames[0] outermost */
	size_t nframes, cap;
	size_t lost;			/* begins that could not be pushed (ENOMEM) */
	int err;			/* first internal failure, -errno */
	void *priv;			/* renderer state */
};

extern const struct vi_emit_ops vi_emit_text_ops;
extern const struct vi_emit_ops vi_emit_json_ops;

static inline struct vi_frame *vi_emit_top(const struct vi_emit *em)
{
	return em->nframes ? &em->frames[em->nframes - 1] : NULL;
}

static inline bool vi_emit_in_array(const struct vi_emit *em)
{
	const struct vi_frame *t = vi_emit_top(em);

	return t && t->kind == VI_ARR;
}

/* malloc'ed vsnprintf result, NULL on failure. */
char *vi_vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *vi_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Printable copy of untrusted @s (malloc'ed, NULL on ENOMEM): bytes
 * 0x20..0x7e are kept, a backslash is doubled, everything else becomes the
 * four characters \xNN (lowercase).  With @keep_utf8, well-formed UTF-8
 * sequences of two to four bytes are kept as they are (the result is then
 * always valid UTF-8, as jansson requires).
 */
char *vi_escape(const char *s, bool keep_utf8);
/* True if vi_escape(@s) would return @s unchanged (printable ASCII, no
 * backslash): the renderers then write @s without a copy. */
bool vi_escape_plain(const char *s);

/* Level names shared by both renderers: "info", "warning", "error". */
const char *vi_note_level_name(enum vi_note_level lvl);

#endif
