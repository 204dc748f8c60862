/* SPDX-License-Identifier: GPL-2.0-or-later */
/* emit-json.c - the JSON renderer: writes JSON text as the calls arrive. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit-int.h"

/*
 * Streaming.  Every call is written to the stream when it is made; the
 * renderer holds, per open object, only the keys written so far (to refuse
 * a duplicate) and its notes, which are written as one "notes" member when
 * the object ends.  Memory is bounded by the depth and width of the open
 * objects, never by the length of the document.
 *
 * Document shape.  Each em_obj_begin()/em_arr_begin() at depth 0 starts a
 * new top-level value; its key and label are ignored.  Scalars made at
 * depth 0 (outside any container) go into one implicit top-level object,
 * which ends when the next top-level container begins, at
 * vi_emit_flush() and at vi_emit_finish().  Notes made where no object is
 * open (e.g. directly in a top-level array) go to that implicit object
 * too: they wait until no top-level value is open.  Each top-level value
 * is followed by a newline: one value is a plain JSON document, several
 * are JSON Lines when compact; with VI_EMIT_PRETTY every value is indented
 * by two spaces a level (jansson's JSON_INDENT(2) layout).  With
 * VI_EMIT_VERSION every top-level object begins with "vfio-info": the
 * format version (VI_JSON_FORMAT); a top-level array has no place for it.
 *
 * Types (see emit.h): every integer is a JSON number, written here as the
 * exact decimal of the unsigned 64-bit value (0 .. 18446744073709551615),
 * never through a double or a signed type.  Strings go through
 * vi_escape(): valid UTF-8 is kept, a backslash is doubled, any other byte
 * outside 0x20..0x7e becomes the text \xNN; the result needs only '"' and
 * '\' escaped for JSON.  "notes" is a reserved member name.  Setting the
 * same key twice in one object is a programming error: the first value is
 * kept, the second (a container with all it holds) is dropped, and the
 * object gets the note {"level":"warning","message":"internal: duplicate
 * key \"k\""}, which vi_emit_errors() does not count.
 */

struct jnote {
	enum vi_note_level lvl;
	char *msg;
};

/* A key written in an object: its hash and where its copy is in the pool. */
struct jkey {
	uint32_t hash;
	size_t off;
};

/* What an open object keeps until it ends.  Its keys' copies share one
 * pool (each NUL-terminated): two allocations grow with the object, not
 * one per key.  An object that ended is kept, emptied, for the next one
 * (its arrays with it): a document allocates about as many as it nests
 * deep, not three for each object. */
struct jobj {
	struct jkey *keys;
	size_t nkeys, capkeys;
	char *pool;
	size_t poollen, poolcap;
	struct jnote *notes;
	size_t nnotes, capnotes;
	struct jobj *next_spare;
};

struct json_state {
	struct jobj loose;	/* the implicit top-level object's keys and notes */
	size_t loose_count;	/* its members written; 0 and !loose_open: not begun */
	bool loose_open;
	struct jobj *spare;	/* ended objects, for the next ones */
};

static struct json_state *state(struct vi_emit *em)
{
	return em->priv;
}

static void fail(struct vi_emit *em, int err)
{
	if (!em->err)
		em->err = err;
}

static bool pretty(const struct vi_emit *em)
{
	return em->flags & VI_EMIT_PRETTY;
}

static void out_c(struct vi_emit *em, char c)
{
	putc(c, em->out);
}

static void out_s(struct vi_emit *em, const char *s)
{
	fputs(s, em->out);
}

static void newline_indent(struct vi_emit *em, size_t level)
{
	out_c(em, '\n');
	while (level--)
		out_s(em, "  ");
}

/* The decimal form of @v, exact for every 64-bit value. */
static void out_u64(struct vi_emit *em, uint64_t v)
{
	char buf[21];
	size_t i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_s(em, buf + i);
}

/* A JSON string of vi_escape()'d bytes: only '"' and '\' need escaping. */
static void out_escaped(struct vi_emit *em, const char *e)
{
	out_c(em, '"');
	for (;;) {
		size_t n = strcspn(e, "\"\\");	/* runs without escapes in one write */

		fwrite(e, 1, n, em->out);
		if (!e[n])
			break;
		out_c(em, '\\');
		out_c(em, e[n]);
		e += n + 1;
	}
	out_c(em, '"');
}

/* A JSON string from untrusted bytes. */
static void out_str(struct vi_emit *em, const char *s)
{
	char *e;

	if (vi_escape_plain(s)) {	/* the common case: no copy */
		out_escaped(em, s);
		return;
	}
	e = vi_escape(s, true);

	if (!e) {
		fail(em, -ENOMEM);
		out_s(em, "\"(out of memory)\"");
		return;
	}
	out_escaped(em, e);
	free(e);
}

/* Before a member or element at @level of a container holding *@count. */
static void item(struct vi_emit *em, size_t *count, size_t level)
{
	if (*count)
		out_c(em, ',');
	if (pretty(em))
		newline_indent(em, level);
	(*count)++;
}

static void key(struct vi_emit *em, const char *k)
{
	out_str(em, k);
	out_s(em, pretty(em) ? ": " : ":");
}

/* Close a container whose own line is at @level and that holds @count. */
static void close_at(struct vi_emit *em, char c, size_t count, size_t level)
{
	if (count && pretty(em))
		newline_indent(em, level);
	out_c(em, c);
}

/* A value that begins on a line at @level (members of objects one deeper). */
static void out_value(struct vi_emit *em, const struct vi_value *v, size_t level)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, m, i;

	switch (v->type) {
	case VI_V_U64:
	case VI_V_HEX:
	case VI_V_SIZE:
		out_u64(em, v->u);
		break;
	case VI_V_I64:
		if (v->u >> 63) {
			out_c(em, '-');
			out_u64(em, ~v->u + 1);	/* exact for INT64_MIN too */
		} else {
			out_u64(em, v->u);
		}
		break;
	case VI_V_STR:
		out_str(em, v->s);
		break;
	case VI_V_BOOL:
		out_s(em, v->u ? "true" : "false");
		break;
	case VI_V_NULL:
		out_s(em, "null");
		break;
	case VI_V_FLAGS:
		out_c(em, '{');
		item(em, &n, level + 1);
		key(em, "value");
		out_u64(em, v->u);
		item(em, &n, level + 1);
		key(em, "names");
		out_c(em, '[');
		for (m = 0, i = 0; i < v->nnames; i++) {
			item(em, &m, level + 2);
			out_str(em, v->names[i]);
		}
		close_at(em, ']', m, level + 1);
		item(em, &n, level + 1);
		key(em, "unknown");
		out_u64(em, v->unknown);
		close_at(em, '}', n, level);
		break;
	case VI_V_ENUM:
		out_c(em, '{');
		item(em, &n, level + 1);
		key(em, "value");
		out_u64(em, v->u);
		item(em, &n, level + 1);
		key(em, "name");
		if (v->name)
			out_str(em, v->name);
		else
			out_s(em, "null");
		close_at(em, '}', n, level);
		break;
	case VI_V_BYTES:
		out_c(em, '"');
		for (i = 0; i < v->n; i++) {
			out_c(em, hex[v->p[i] >> 4]);
			out_c(em, hex[v->p[i] & 15]);
		}
		out_c(em, '"');
		break;
	}
}

static void jobj_free(struct jobj *o)
{
	size_t i;

	for (i = 0; i < o->nnotes; i++)
		free(o->notes[i].msg);
	free(o->keys);
	free(o->pool);
	free(o->notes);
	memset(o, 0, sizeof(*o));
}

/* Empty @o for its next object, keeping its arrays. */
static void jobj_clear(struct jobj *o)
{
	for (size_t i = 0; i < o->nnotes; i++)
		free(o->notes[i].msg);
	o->nkeys = o->poollen = o->nnotes = 0;
}

static uint32_t key_hash(const char *k)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

static void add_note(struct vi_emit *em, struct jobj *o, enum vi_note_level lvl,
		     const char *msg)
{
	char *m;

	if (o->nnotes == o->capnotes) {
		size_t ncap = o->capnotes ? o->capnotes * 2 : 4;
		struct jnote *nn = realloc(o->notes, ncap * sizeof(*nn));

		if (!nn) {
			fail(em, -ENOMEM);
			return;
		}
		o->notes = nn;
		o->capnotes = ncap;
	}
	m = strdup(msg);
	if (!m) {
		fail(em, -ENOMEM);
		return;
	}
	o->notes[o->nnotes].lvl = lvl;
	o->notes[o->nnotes++].msg = m;
}

/*
 * Record @k as a member of @o: true if it may be written, false for a
 * duplicate (noted in @o).  Without memory the key is written unchecked.
 */
static bool claim_key(struct vi_emit *em, struct jobj *o, const char *k)
{
	uint32_t h = key_hash(k);
	size_t i, len = strlen(k) + 1;

	for (i = 0; i < o->nkeys; i++) {
		if (o->keys[i].hash == h && !strcmp(o->pool + o->keys[i].off, k)) {
			char *e = vi_escape(k, true);
			char *msg = e ? vi_fmt("internal: duplicate key \"%s\"", e) : NULL;

			add_note(em, o, VI_NOTE_WARN, msg ? msg : "internal: duplicate key");
			free(msg);
			free(e);
			return false;
		}
	}
	if (o->nkeys == o->capkeys) {
		size_t ncap = o->capkeys ? o->capkeys * 2 : 8;
		struct jkey *nk = realloc(o->keys, ncap * sizeof(*nk));

		if (!nk) {
			fail(em, -ENOMEM);
			return true;
		}
		o->keys = nk;
		o->capkeys = ncap;
	}
	if (len > o->poolcap - o->poollen) {
		size_t ncap = o->poolcap ? o->poolcap : 128;
		char *np;

		while (len > ncap - o->poollen) {
			if (ncap > SIZE_MAX / 2) {
				fail(em, -ENOMEM);
				return true;
			}
			ncap *= 2;
		}
		np = realloc(o->pool, ncap);
		if (!np) {
			fail(em, -ENOMEM);
			return true;
		}
		o->pool = np;
		o->poolcap = ncap;
	}
	memcpy(o->pool + o->poollen, k, len);
	o->keys[o->nkeys].hash = h;
	o->keys[o->nkeys++].off = o->poollen;
	o->poollen += len;
	return true;
}

/* The "notes" member of an object whose members are at @level. */
static void out_notes(struct vi_emit *em, const struct jobj *o, size_t *count, size_t level)
{
	size_t i, n = 0;

	if (!o->nnotes)
		return;
	item(em, count, level);
	key(em, "notes");
	out_c(em, '[');
	for (i = 0; i < o->nnotes; i++) {
		size_t m = 0;

		item(em, &n, level + 1);
		out_c(em, '{');
		item(em, &m, level + 2);
		key(em, "level");
		out_str(em, vi_note_level_name(o->notes[i].lvl));
		item(em, &m, level + 2);
		key(em, "message");
		out_str(em, o->notes[i].msg);
		close_at(em, '}', m, level + 1);
	}
	close_at(em, ']', n, level);
}

/* "vfio-info": N first in a top-level object, with VI_EMIT_VERSION. */
static void out_version(struct vi_emit *em, struct jobj *o, size_t *count)
{
	if (!(em->flags & VI_EMIT_VERSION))
		return;
	if (o)
		claim_key(em, o, "vfio-info");
	item(em, count, 1);
	key(em, "vfio-info");
	out_u64(em, VI_JSON_FORMAT);
}

/* End the implicit top-level object, if it was begun or has notes. */
static void close_loose(struct vi_emit *em)
{
	struct json_state *js = state(em);

	if (!js->loose_open && !js->loose.nnotes)
		return;
	if (!js->loose_open) {
		out_c(em, '{');
		out_version(em, &js->loose, &js->loose_count);
	}
	out_notes(em, &js->loose, &js->loose_count, 1);
	close_at(em, '}', js->loose_count, 0);
	out_c(em, '\n');
	jobj_free(&js->loose);
	js->loose_count = 0;
	js->loose_open = false;
}

static int json_init(struct vi_emit *em)
{
	struct json_state *js = calloc(1, sizeof(*js));

	if (!js)
		return -ENOMEM;
	em->priv = js;
	return 0;
}

/* The index of @f in the stack: its own line's level; members one deeper. */
static size_t level_of(const struct vi_emit *em, const struct vi_frame *f)
{
	return (size_t)(f - em->frames);
}

static void json_begin(struct vi_emit *em, struct vi_frame *f, const char *k,
		       const char *label)
{
	struct vi_frame *parent = f == em->frames ? NULL : f - 1;

	(void)label;
	if (!parent) {
		close_loose(em);
	} else if (parent->kind == VI_OBJ) {
		if (parent->priv && !claim_key(em, parent->priv, k)) {
			f->hidden = true;	/* a duplicate: dropped with all it holds */
			return;
		}
		item(em, &parent->count, level_of(em, parent) + 1);
		key(em, k);
	} else {
		item(em, &parent->count, level_of(em, parent) + 1);
	}
	if (f->kind == VI_OBJ) {
		struct json_state *js = state(em);

		f->priv = js->spare;
		if (js->spare)
			js->spare = js->spare->next_spare;
		else
			f->priv = calloc(1, sizeof(struct jobj));
		if (!f->priv)
			fail(em, -ENOMEM);	/* written without notes or key checks */
	}
	out_c(em, f->kind == VI_OBJ ? '{' : '[');
	if (!parent && f->kind == VI_OBJ)
		out_version(em, f->priv, &f->count);
}

static void json_end(struct vi_emit *em, struct vi_frame *f)
{
	size_t level = level_of(em, f);
	struct jobj *o = f->priv;

	if (o) {
		out_notes(em, o, &f->count, level + 1);
		jobj_clear(o);
		o->next_spare = state(em)->spare;
		state(em)->spare = o;
		f->priv = NULL;
	}
	close_at(em, f->kind == VI_OBJ ? '}' : ']', f->count, level);
	if (f == em->frames)
		out_c(em, '\n');
}

static void json_scalar(struct vi_emit *em, const char *k, const struct vi_value *v)
{
	struct json_state *js = state(em);
	struct vi_frame *t = vi_emit_top(em);
	struct jobj *o;

	if (!t) {
		if (!claim_key(em, &js->loose, k))
			return;
		if (!js->loose_open) {
			out_c(em, '{');
			js->loose_open = true;
			out_version(em, &js->loose, &js->loose_count);
		}
		item(em, &js->loose_count, 1);
		key(em, k);
		out_value(em, v, 1);
		return;
	}
	if (t->kind == VI_OBJ) {
		o = t->priv;
		if (o && !claim_key(em, o, k))
			return;
	}
	item(em, &t->count, level_of(em, t) + 1);
	if (t->kind == VI_OBJ)
		key(em, k);
	out_value(em, v, level_of(em, t) + 1);
}

static void json_note(struct vi_emit *em, enum vi_note_level lvl, const char *msg)
{
	size_t i;

	/* The nearest enclosing object, else the implicit top-level one. */
	for (i = em->nframes; i > 0; i--) {
		if (em->frames[i - 1].kind == VI_OBJ) {
			if (em->frames[i - 1].priv)
				add_note(em, em->frames[i - 1].priv, lvl, msg);
			return;
		}
	}
	add_note(em, &state(em)->loose, lvl, msg);
}

static void json_flush(struct vi_emit *em)
{
	if (!em->nframes)
		close_loose(em);
}

static int json_finish(struct vi_emit *em)
{
	struct json_state *js = state(em);

	close_loose(em);
	jobj_free(&js->loose);
	while (js->spare) {
		struct jobj *o = js->spare;

		js->spare = o->next_spare;
		jobj_free(o);
		free(o);
	}
	free(js);
	em->priv = NULL;
	return 0;	/* failures are in em->err */
}

const struct vi_emit_ops vi_emit_json_ops = {
	.wants_label = false,
	.init = json_init,
	.begin = json_begin,
	.end = json_end,
	.scalar = json_scalar,
	.note = json_note,
	.flush = json_flush,
	.finish = json_finish,
};
