/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * emit.h - the one output vocabulary.
 *
 * Decoders describe data with these calls and never print.  Two renderers
 * turn the same call sequence into an indented text tree (emit-text.c) or a
 * JSON document (emit-json.c), so the two cannot drift.
 *
 * JSON typing rules (documented in vfio-info(1)):
 * Every integer is a JSON number, exact for all 64-bit values (format 2);
 * text shows the form a person reads:
 *   em_u64   counts, indexes, versions      -> decimal
 *   em_hex   addresses, offsets, masks, ids -> 0x... (em_hexw: padded to a
 *            register's width, e.g. a 16-bit command as 0x0103)
 *   em_size  sizes                          -> 0x... plus KiB/MiB
 *   em_flags flag words -> {"value":N,"names":[..],"unknown":N}
 *   em_enum  enums      -> {"value":N,"name":"NAME"|null}
 *   notes    -> "notes": [{"level":"warning","message":".."}] in the
 *               object that was open when the note was made
 *
 * Each container begun at depth 0 is one top-level value; a root opened
 * with no key and no label prints nothing in text.  Compact JSON writes
 * one top-level value a line (JSON Lines), so a shell session prints one
 * object per command.  A NULL key inside an object becomes "value"; the
 * member name "notes" is reserved.  vi_emit_finish returns 0 or -errno.
 */
#ifndef VFIO_INFO_EMIT_H
#define VFIO_INFO_EMIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "names.h"

struct vi_emit;

enum vi_emit_format { VI_EMIT_TEXT, VI_EMIT_JSON };

enum vi_note_level {
	VI_NOTE_INFO,		/* explanation, not a problem */
	VI_NOTE_WARN,		/* suspicious but decoded */
	VI_NOTE_ERROR,		/* malformed: something could not be decoded */
};

#define VI_EMIT_VERBOSE		(1u << 0)	/* text: show detail blocks */
#define VI_EMIT_PRETTY		(1u << 1)	/* json: indent */
#define VI_EMIT_VERSION		(1u << 2)	/* json: "vfio-info" first in each top-level object */

/*
 * The JSON format version, written as "vfio-info": N first in every
 * top-level object (a command's document, each shell line) with
 * VI_EMIT_VERSION.  New keys keep it; a key removed or renamed, or a
 * type or meaning changed, bumps it (vfio-info(1), JSON OUTPUT).
 */
#define VI_JSON_FORMAT		3
#define VI_EMIT_COLOR		(1u << 3)	/* text: colour notes and doctor's verdicts */

struct vi_emit *vi_emit_new(enum vi_emit_format fmt, FILE *out, unsigned int flags);
/* Flush what is pending (JSON: the whole document) and free. */
int vi_emit_finish(struct vi_emit *em);
/* Notes of level VI_NOTE_ERROR made so far. */
unsigned int vi_emit_errors(const struct vi_emit *em);
/* Flush a finished top-level item (shell: one JSON object per command). */
void vi_emit_flush(struct vi_emit *em);

/*
 * Containers.  @key names the member in the enclosing object (ignored for
 * array elements); @label, if not NULL, is the text heading (printf-style),
 * otherwise the key is used.
 */
void em_obj_begin(struct vi_emit *em, const char *key, const char *label, ...)
	__attribute__((format(printf, 3, 4)));
void em_obj_end(struct vi_emit *em);
void em_arr_begin(struct vi_emit *em, const char *key, const char *label, ...)
	__attribute__((format(printf, 3, 4)));
void em_arr_end(struct vi_emit *em);

/*
 * Detail blocks: everything emitted between em_detail_begin() and
 * em_detail_end() is always in JSON but shown in text only with
 * VI_EMIT_VERBOSE (e.g. the argsz negotiation of each query).
 */
void em_detail_begin(struct vi_emit *em);
void em_detail_end(struct vi_emit *em);
/* False when what is emitted now is not rendered (a detail block in text
 * without -v): a caller may skip work done only for the output, such as
 * name lookups, once it has emitted something in the block. */
bool em_shown(const struct vi_emit *em);

/*
 * One line for a person that sums up what detail blocks hold ("BAR1-BAR5,
 * ROM: not present"): printed by text without -v only, never in JSON,
 * where the items themselves are.
 */
void em_summary(struct vi_emit *em, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Scalars. */
void em_u64(struct vi_emit *em, const char *key, uint64_t v);
/* signed: a return value (0 or -errno) */
void em_i64(struct vi_emit *em, const char *key, int64_t v);
void em_hex(struct vi_emit *em, const char *key, uint64_t v);
/* em_hex of a register @bits wide: text pads to its hex digits. */
void em_hexw(struct vi_emit *em, const char *key, uint64_t v, unsigned int bits);
void em_size(struct vi_emit *em, const char *key, uint64_t v);
/* @s NULL emits null (as em_null) */
void em_str(struct vi_emit *em, const char *key, const char *s);
void em_strf(struct vi_emit *em, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A string whose text form is @text, a longer one for a person (an errno
 * name with its strerror phrase); JSON writes @s.  @text NULL: @s. */
void em_str_text(struct vi_emit *em, const char *key, const char *s, const char *text);
/* A number whose text form is @text (a file mode in octal, "0600");
 * JSON writes @v.  @text NULL: as em_u64. */
void em_u64_text(struct vi_emit *em, const char *key, uint64_t v, const char *text);
/* A page-size bitmap (bit n: pages of 2^n bytes).  JSON: em_flags with
 * vi_page_sizes (the exact mask and every size's name); text: the mask and
 * the sizes, runs of contiguous powers of two compressed, "0x40201000 4K,
 * 2M, 1G", "0xfffffffffffff000 4K-8E (every power of two)". */
void em_pgsizes(struct vi_emit *em, const char *key, uint64_t v);
void em_bool(struct vi_emit *em, const char *key, bool v);
void em_null(struct vi_emit *em, const char *key);
void em_flags(struct vi_emit *em, const char *key, uint64_t v, const struct vi_name *tbl);
void em_enum(struct vi_emit *em, const char *key, uint64_t v, const struct vi_name *tbl);
/* Raw bytes: JSON "hex string", text an xxd-style dump. */
void em_bytes(struct vi_emit *em, const char *key, const uint8_t *p, size_t n);

void em_note(struct vi_emit *em, enum vi_note_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void em_vnote(struct vi_emit *em, enum vi_note_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Human size: "4 KiB", "1.5 MiB", "3 bytes".  Writes to @buf. */
const char *vi_human_size(uint64_t v, char *buf, size_t len);

#endif
