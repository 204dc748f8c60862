/* SPDX-License-Identifier: GPL-2.0-or-later */
/* emit-json.c - the JSON renderer: builds a jansson tree, dumps it on flush/finish. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "emit-int.h"

/*
 * Document shape.
 *
 * Each em_obj_begin()/em_arr_begin() at depth 0 starts a new top-level
 * value; its key and label are ignored.  Scalars and notes made at depth 0
 * (outside any container) are collected into one implicit top-level object
 * ({"key": value, ..., "notes": [...]}), which is complete as soon as the
 * next top-level container begins.  Notes made where no object is open
 * (e.g. directly in a top-level array) go to that implicit object too.
 *
 * Output is a stream of top-level values in the order they were begun,
 * each followed by a newline: with one top-level object (the normal case
 * of a command) that is a plain JSON document; with several it is JSON
 * Lines when compact, and a concatenation of indented values (still one
 * value after another, each ending in a newline) with VI_EMIT_PRETTY.
 *
 * vi_emit_flush() writes every top-level value that is complete and stops
 * at the one still open, if any (it and anything after it wait for a later
 * flush); vi_emit_finish() writes everything, closing what is still open.
 *
 * Types (see emit.h): integers above INT64_MAX cannot be jansson integers,
 * so em_u64() writes them as "0x..." strings instead of wrapping.  Strings
 * go through vi_escape(): valid UTF-8 is kept, a backslash is doubled, any
 * other byte outside 0x20..0x7e becomes the text \xNN.  "notes" is a
 * reserved member name.  Setting the same key twice in one object is a
 * programming error: the last value is kept and the object gets the note
 * {"level":"warning","message":"internal: duplicate key \"k\""}, which is
 * not counted by vi_emit_errors().
 */

struct json_state {
	json_t *pending;	/* top-level values not yet written, in order */
	json_t *loose;		/* the implicit object for depth-0 members */
	json_t *open_top;	/* the top-level container still open, if any */
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

/* A JSON string from untrusted bytes; jansson never sees invalid UTF-8. */
static json_t *jstr(const char *s)
{
	char *e = vi_escape(s, true);
	json_t *v = e ? json_string(e) : NULL;

	free(e);
	return v;
}

static json_t *jhex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *ju64(uint64_t v)
{
	if (v > INT64_MAX)
		return jhex(v);
	return json_integer((json_int_t)v);
}

static void add_note(struct vi_emit *em, json_t *obj, const char *level, const char *msg)
{
	json_t *arr = json_object_get(obj, "notes");
	json_t *n;

	if (!json_is_array(arr)) {
		arr = json_array();
		if (!arr || json_object_set_new(obj, "notes", arr)) {
			fail(em, -ENOMEM);
			return;
		}
	}
	n = json_object();
	if (!n || json_object_set_new(n, "level", json_string(level)) ||
	    json_object_set_new(n, "message", jstr(msg))) {
		json_decref(n);
		fail(em, -ENOMEM);
		return;
	}
	if (json_array_append_new(arr, n))
		fail(em, -ENOMEM);
}

/* Set @obj[@key] = @val, taking the reference to @val in every case. */
static int set_member(struct vi_emit *em, json_t *obj, const char *key, json_t *val)
{
	char *k = vi_escape(key, true);
	bool dup;

	if (!k || !val) {
		json_decref(val);
		free(k);
		fail(em, -ENOMEM);
		return -1;
	}
	dup = json_object_get(obj, k) != NULL;
	if (json_object_set_new(obj, k, val)) {
		free(k);
		fail(em, -ENOMEM);
		return -1;
	}
	if (dup) {
		char *msg = vi_fmt("internal: duplicate key \"%s\"", k);

		add_note(em, obj, "warning", msg ? msg : "internal: duplicate key");
		free(msg);
	}
	free(k);
	return 0;
}

static json_t *get_loose(struct vi_emit *em)
{
	struct json_state *js = state(em);

	if (!js->loose) {
		json_t *o = json_object();

		if (!o || json_array_append_new(js->pending, o)) {
			fail(em, -ENOMEM);
			return NULL;
		}
		js->loose = o;
	}
	return js->loose;
}

static int json_init(struct vi_emit *em)
{
	struct json_state *js = calloc(1, sizeof(*js));

	if (!js)
		return -ENOMEM;
	js->pending = json_array();
	if (!js->pending) {
		free(js);
		return -ENOMEM;
	}
	em->priv = js;
	return 0;
}

static void json_begin(struct vi_emit *em, struct vi_frame *f, const char *key,
		       const char *label)
{
	struct json_state *js = state(em);
	json_t *c = f->kind == VI_OBJ ? json_object() : json_array();
	struct vi_frame *parent = f == em->frames ? NULL : f - 1;

	if (!c) {
		fail(em, -ENOMEM);
		return;
	}
	if (!parent) {
		js->loose = NULL;
		if (json_array_append_new(js->pending, c)) {
			fail(em, -ENOMEM);
			return;
		}
		js->open_top = c;
	} else if (!parent->priv) {
		json_decref(c);		/* the parent itself was lost */
		return;
	} else if (parent->kind == VI_ARR) {
		if (json_array_append_new(parent->priv, c)) {
			fail(em, -ENOMEM);
			return;
		}
	} else if (set_member(em, parent->priv, key, c)) {
		return;
	}
	f->priv = c;
}

static void json_end(struct vi_emit *em, struct vi_frame *f)
{
	struct json_state *js = state(em);

	if (f->priv && f->priv == js->open_top)
		js->open_top = NULL;
}

static json_t *make_value(const struct vi_value *v)
{
	json_t *o, *names;
	char *hex;
	size_t i;

	switch (v->type) {
	case VI_V_U64:
		return ju64(v->u);
	case VI_V_HEX:
	case VI_V_SIZE:
		return jhex(v->u);
	case VI_V_STR:
		return jstr(v->s);
	case VI_V_BOOL:
		return json_boolean(v->u);
	case VI_V_NULL:
		return json_null();
	case VI_V_FLAGS:
		o = json_object();
		names = json_array();
		if (!o || !names)
			goto fail;
		for (i = 0; i < v->nnames; i++)
			if (json_array_append_new(names, jstr(v->names[i])))
				goto fail;
		if (json_object_set_new(o, "value", jhex(v->u)))
			goto fail;
		/* From here on @o owns @names. */
		if (json_object_set_new(o, "names", names) ||
		    json_object_set_new(o, "unknown", jhex(v->unknown))) {
			json_decref(o);
			return NULL;
		}
		return o;
	case VI_V_ENUM:
		o = json_object();
		if (!o || json_object_set_new(o, "value", ju64(v->u)) ||
		    json_object_set_new(o, "name", v->name ? jstr(v->name) : json_null())) {
			json_decref(o);
			return NULL;
		}
		return o;
	case VI_V_BYTES:
		hex = malloc(v->n * 2 + 1);
		if (!hex)
			return NULL;
		for (i = 0; i < v->n; i++)
			snprintf(hex + 2 * i, 3, "%02x", v->p[i]);
		hex[2 * v->n] = '\0';
		o = json_string(hex);
		free(hex);
		return o;
	}
	return NULL;

fail:
	json_decref(names);
	json_decref(o);
	return NULL;
}

static void json_scalar(struct vi_emit *em, const char *key, const struct vi_value *v)
{
	struct vi_frame *t = vi_emit_top(em);
	json_t *val = make_value(v);
	json_t *parent;

	if (!val) {
		fail(em, -ENOMEM);
		return;
	}
	if (!t) {
		parent = get_loose(em);
		if (!parent) {
			json_decref(val);
			return;
		}
	} else if (!t->priv) {
		json_decref(val);	/* the container was lost */
		return;
	} else if (t->kind == VI_ARR) {
		if (json_array_append_new(t->priv, val))
			fail(em, -ENOMEM);
		return;
	} else {
		parent = t->priv;
	}
	set_member(em, parent, key, val);
}

static void json_note(struct vi_emit *em, enum vi_note_level lvl, const char *msg)
{
	json_t *obj = NULL;
	size_t i;

	/* The nearest enclosing object, else the implicit top-level one. */
	for (i = em->nframes; i > 0 && !obj; i--)
		if (em->frames[i - 1].kind == VI_OBJ)
			obj = em->frames[i - 1].priv;
	if (!obj)
		obj = get_loose(em);
	if (obj)
		add_note(em, obj, vi_note_level_name(lvl), msg);
}

static void dump(struct vi_emit *em, json_t *v)
{
	size_t fl = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;

	fl |= (em->flags & VI_EMIT_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
	if (json_dumpf(v, em->out, fl) < 0 || fputc('\n', em->out) == EOF)
		fail(em, -EIO);
}

/* Write and drop pending top-level values, up to the open one if @all is false. */
static void write_pending(struct vi_emit *em, bool all)
{
	struct json_state *js = state(em);

	while (json_array_size(js->pending)) {
		json_t *v = json_array_get(js->pending, 0);

		if (!all && v == js->open_top)
			break;
		dump(em, v);
		if (v == js->loose)
			js->loose = NULL;
		if (v == js->open_top)
			js->open_top = NULL;
		json_array_remove(js->pending, 0);
	}
}

static void json_flush(struct vi_emit *em)
{
	write_pending(em, false);
}

static int json_finish(struct vi_emit *em)
{
	struct json_state *js = state(em);

	write_pending(em, true);
	json_decref(js->pending);
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
