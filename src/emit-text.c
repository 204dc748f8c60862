/* SPDX-License-Identifier: GPL-2.0-or-later */
/* emit-text.c - the text renderer: an indented tree, streamed as calls arrive. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit-int.h"

/*
 * Layout, two spaces per level:
 *   heading                   containers: the label, else the key, else "-"
 *     key: value              scalars in an object (keys printed verbatim; a
 *                             number that only repeats the object's heading,
 *                             "group: 1" under "group 1", is not printed again)
 *     - value                 scalars in an array
 *     ! warning: message      notes ("! error: ...", "note: ..." for info)
 *     raw: 20 bytes           bytes, followed one level deeper by
 *       0000: 01 02 .. |..|   xxd-style lines of 16 bytes
 * A top-level container with neither key nor label (the command's document
 * root) prints nothing and adds no indentation.  A heading is printed when
 * the first thing inside its container is: a container that ends empty
 * (no scalar, note or non-empty container made in it, not even one a
 * detail block hides) prints nothing at all.
 * Every string is printed through vi_escape(): no control bytes, no bytes
 * above 0x7e, so hostile input cannot drive the terminal.
 */

/*
 * Colour (VI_EMIT_COLOR, never in JSON): notes by level, and a heading
 * that starts with one of doctor's verdicts (a word of four columns, then
 * two spaces) has that word coloured.  SGR sequences: only these, written
 * by us; the text between them is escaped as always.
 */
#define SGR_RESET	"\033[0m"
static const struct {
	const char *word;	/* as doctor pads it */
	const char *sgr;
} verdict_colors[] = {
	{ "FAIL  ", "\033[1;31m" },	/* bold red */
	{ "WARN  ", "\033[1;33m" },	/* bold yellow */
	{ "OK    ", "\033[32m" },	/* green */
	{ "INFO  ", "\033[36m" },	/* cyan */
};
static const char *const note_colors[] = {
	[VI_NOTE_INFO] = "\033[36m",	/* cyan */
	[VI_NOTE_WARN] = "\033[33m",	/* yellow */
	[VI_NOTE_ERROR] = "\033[31m",	/* red */
};

static bool colored(const struct vi_emit *em)
{
	return em->flags & VI_EMIT_COLOR;
}

/* frames[0].priv marks an anonymous root, which takes no indentation. */
static char anon_root;

/* Indentation of something with @n open containers around it. */
static size_t level_of(const struct vi_emit *em, size_t n)
{
	if (n && em->frames[0].priv == &anon_root)
		n--;
	return n;
}

static void indent(FILE *out, size_t level)
{
	while (level--)
		fputs("  ", out);
}

static void put_escaped(FILE *out, const char *s)
{
	char *e;

	if (vi_escape_plain(s)) {	/* the common case: no copy */
		fputs(s, out);
		return;
	}
	e = vi_escape(s, false);

	fputs(e ? e : "(out of memory)", out);
	free(e);
}

/* A heading not printed yet: it waits for the container's first member.
 * One that ended is kept for a later container (em->priv is the list of
 * them), so a document allocates about as many as it nests deep. */
struct theading {
	bool shown;
	size_t cap;			/* room in text */
	struct theading *next_spare;
	char text[];	/* in the same allocation */
};

static void put_heading(struct vi_emit *em, size_t i, const char *text)
{
	indent(em->out, level_of(em, i));
	if (colored(em))
		for (size_t k = 0; k < sizeof(verdict_colors) / sizeof(verdict_colors[0]); k++) {
			size_t l = strlen(verdict_colors[k].word);
			size_t w = strcspn(verdict_colors[k].word, " ");

			if (strncmp(text, verdict_colors[k].word, l) == 0) {
				fprintf(em->out, "%s%.*s%s", verdict_colors[k].sgr, (int)w, text,
					SGR_RESET);
				text += w;
				break;
			}
		}
	put_escaped(em->out, text);
	fputc('\n', em->out);
}

/* Print the headings of every open container that has none printed yet. */
static void show_headings(struct vi_emit *em)
{
	size_t i;

	for (i = 0; i < em->nframes; i++) {
		struct theading *h = em->frames[i].priv;

		if (!h || h == (void *)&anon_root || h->shown)
			continue;
		put_heading(em, i, h->text);
		h->shown = true;
	}
}

static void text_begin(struct vi_emit *em, struct vi_frame *f, const char *key,
		       const char *label)
{
	const char *text = label ? label : key ? key : "-";
	size_t n = strlen(text) + 1;
	struct theading *h;

	if (f == em->frames && !key && !label) {
		f->priv = &anon_root;
		return;
	}
	/* a kept one if it has room, else a new one (at least 64 bytes) */
	h = em->priv;
	if (h && h->cap >= n) {
		em->priv = h->next_spare;
	} else {
		h = malloc(sizeof(*h) + (n < 64 ? 64 : n));
		if (h)
			h->cap = n < 64 ? 64 : n;
	}
	if (!h) {
		/* Without memory the heading is printed at once. */
		show_headings(em);
		put_heading(em, (size_t)(f - em->frames), text);
		return;
	}
	h->shown = false;
	memcpy(h->text, text, n);
	f->priv = h;
}

static void text_end(struct vi_emit *em, struct vi_frame *f)
{
	struct theading *h = f->priv;

	if (h && h != (void *)&anon_root) {
		h->next_spare = em->priv;
		em->priv = h;
	}
	f->priv = NULL;
	/* Push out each finished top-level item, in case the program dies. */
	if (f == em->frames)
		fflush(em->out);
}

static void put_flags(FILE *out, const struct vi_value *v)
{
	char sep = ' ';
	size_t i;

	if (v->u > UINT32_MAX)
		fprintf(out, "0x%016" PRIx64, v->u);
	else
		fprintf(out, "0x%08" PRIx64, v->u);
	if (!v->u) {
		fputs(" (none)", out);
		return;
	}
	for (i = 0; i < v->nnames; i++) {
		fputc(sep, out);
		put_escaped(out, v->names[i]);
		sep = '|';
	}
	if (v->unknown) {
		fputc(sep, out);
		fprintf(out, "0x%" PRIx64, v->unknown);
	}
}

static void put_hexdump(FILE *out, size_t level, const uint8_t *p, size_t n)
{
	size_t off, i;

	for (off = 0; off < n; off += 16) {
		indent(out, level);
		fprintf(out, "%04zx:", off);
		for (i = 0; i < 16; i++) {
			if (off + i < n)
				fprintf(out, " %02x", p[off + i]);
			else
				fputs("   ", out);
		}
		fputs(" |", out);
		for (i = 0; i < 16 && off + i < n; i++) {
			uint8_t c = p[off + i];

			fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
		}
		fputs("|\n", out);
	}
}

/* Does the member @key: @v only say again what its object's heading says
 * ("group 1" and then "group: 1")?  Text prints it once. */
static bool repeats_heading(const struct vi_emit *em, const char *key,
			    const struct vi_value *v)
{
	const struct vi_frame *f = vi_emit_top(em);
	const struct theading *h = f ? f->priv : NULL;
	size_t kl = strlen(key);
	char num[24];

	if (!h || h == (const void *)&anon_root || f->kind != VI_OBJ || v->type != VI_V_U64)
		return false;
	snprintf(num, sizeof(num), "%" PRIu64, v->u);
	return strncmp(h->text, key, kl) == 0 && h->text[kl] == ' ' &&
	       strcmp(h->text + kl + 1, num) == 0;
}

static void text_scalar(struct vi_emit *em, const char *key, const struct vi_value *v)
{
	FILE *out = em->out;
	size_t level = level_of(em, em->nframes);
	char buf[32];

	show_headings(em);
	if (!vi_emit_in_array(em) && repeats_heading(em, key, v))
		return;
	indent(out, level);
	if (vi_emit_in_array(em)) {
		fputs("- ", out);
	} else {
		put_escaped(out, key);
		fputs(": ", out);
	}
	switch (v->type) {
	case VI_V_U64:
		fprintf(out, "%" PRIu64, v->u);
		break;
	case VI_V_I64:
		fprintf(out, "%" PRId64, (int64_t)v->u);
		break;
	case VI_V_HEX:
		fprintf(out, "0x%0*" PRIx64, (int)(v->digits <= 16 ? v->digits : 16), v->u);
		break;
	case VI_V_SIZE:
		fprintf(out, "0x%" PRIx64, v->u);
		if (v->u)
			fprintf(out, " (%s)", vi_human_size(v->u, buf, sizeof(buf)));
		break;
	case VI_V_STR:
		if (v->s[0])
			put_escaped(out, v->s);
		else
			fputs("\"\"", out);
		break;
	case VI_V_BOOL:
		fputs(v->u ? "yes" : "no", out);
		break;
	case VI_V_NULL:
		fputc('-', out);
		break;
	case VI_V_FLAGS:
		put_flags(out, v);
		break;
	case VI_V_ENUM:
		fprintf(out, "%" PRIu64 " ", v->u);
		if (v->name)
			put_escaped(out, v->name);
		else
			fputs("(unknown)", out);
		break;
	case VI_V_BYTES:
		fprintf(out, "%zu %s\n", v->n, v->n == 1 ? "byte" : "bytes");
		put_hexdump(out, level + 1, v->p, v->n);
		return;
	}
	fputc('\n', out);
}

static void text_note(struct vi_emit *em, enum vi_note_level lvl, const char *msg)
{
	show_headings(em);
	indent(em->out, level_of(em, em->nframes));
	if (colored(em))
		fputs(note_colors[lvl], em->out);
	switch (lvl) {
	case VI_NOTE_INFO:
		fputs("note: ", em->out);
		break;
	case VI_NOTE_WARN:
		fputs("! warning: ", em->out);
		break;
	default:
		fputs("! error: ", em->out);
		break;
	}
	put_escaped(em->out, msg);
	if (colored(em))
		fputs(SGR_RESET, em->out);
	fputc('\n', em->out);
}

static void text_flush(struct vi_emit *em)
{
	/* Text is written as it comes: nothing is held back. */
}

static int text_finish(struct vi_emit *em)
{
	while (em->priv) {
		struct theading *h = em->priv;

		em->priv = h->next_spare;
		free(h);
	}
	return 0;
}

const struct vi_emit_ops vi_emit_text_ops = {
	.wants_label = true,
	.begin = text_begin,
	.end = text_end,
	.scalar = text_scalar,
	.note = text_note,
	.hidden = show_headings,
	.flush = text_flush,
	.finish = text_finish,
};
