// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-note.c - what a capture's loader says about it: the fatal
 * message that stops a load, and the notes of parts no kernel would give,
 * kept while loading and shown once loaded in the order of the parts
 * (struct loadctx's rank), at most MAX_NOTES of them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay-int.h"
#include "safe.h"

/* After this many notes, only how many more there were. */
#define MAX_NOTES	100

/* The capture cannot be used at all (broken envelope, out of memory). */
int rp_fail(struct loadctx *c, const char *where, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s: %s", c->file, where, msg);
	c->fatal = true;
	return -1;
}

static void vnote(struct loadctx *c, const char *where, const char *fmt, va_list ap)
{
	char msg[512], line[1400];
	unsigned int rank = c->rank < 16 ? c->rank : 15;

	c->notes++;
	/* only the first MAX_NOTES in the parts' order are shown: no rank
	 * needs more than that many kept */
	if (!c->o || !c->o->report || ++c->rank_notes[rank] > MAX_NOTES)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (c->then)
		snprintf(line, sizeof(line), "%s: %s: malformed capture: %s; %s", c->file,
			 where, msg, c->then);
	else
		snprintf(line, sizeof(line), "%s: %s: malformed capture: %s%s%s%s", c->file,
			 where, msg, c->part ? "; " : "", c->part ? c->part : "",
			 c->part ? " is left out" : "");
	if (c->npend == c->cappend) {
		size_t cap = c->cappend ? c->cappend * 2 : 16;
		struct rp_pending *np = realloc(c->pend, cap * sizeof(*np));

		if (!np)
			return;
		c->pend = np;
		c->cappend = cap;
	}
	c->pend[c->npend].rank = rank;
	c->pend[c->npend].line = strdup(line);
	if (c->pend[c->npend].line)
		c->npend++;
}

/* The notes kept, in the parts' order (then the file's), at most
 * MAX_NOTES of them, then how many more there were; forgotten after. */
void rp_notes_flush(struct loadctx *c, bool more)
{
	size_t shown = 0;

	for (unsigned int rank = 0; rank < 16; rank++)
		for (size_t i = 0; i < c->npend; i++)
			if (c->pend[i].rank == rank && shown < MAX_NOTES) {
				c->o->report(c->o->report_ctx, -EINVAL, c->pend[i].line);
				shown++;
			}
	if (more && c->notes > MAX_NOTES) {
		char line[512];

		snprintf(line, sizeof(line), "%s: malformed capture: %lu more malformed "
			 "item%s not shown", c->file, c->notes - MAX_NOTES,
			 c->notes - MAX_NOTES == 1 ? "" : "s");
		c->o->report(c->o->report_ctx, -EINVAL, line);
	}
}

void rp_notes_forget(struct loadctx *c)
{
	for (size_t i = 0; i < c->npend; i++)
		free(c->pend[i].line);
	free(c->pend);
	c->pend = NULL;
	c->npend = c->cappend = 0;
	c->notes = 0;
	memset(c->rank_notes, 0, sizeof(c->rank_notes));
}

/* Something no kernel answers: reported, and the part being loaded
 * (c->part) is left out.  Returns -1 for the caller to drop it. */
int rp_bad(struct loadctx *c, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(c, where, fmt, ap);
	va_end(ap);
	return -1;
}

/* The same, when the caller keeps what it can (says so in @fmt). */
void rp_note(struct loadctx *c, const char *where, const char *fmt, ...)
{
	const char *part = c->part, *then = c->then;
	va_list ap;

	c->part = NULL;
	c->then = NULL;
	va_start(ap, fmt);
	vnote(c, where, fmt, ap);
	va_end(ap);
	c->part = part;
	c->then = then;
}

/* @w = @where followed by the printf-style @fmt (a JSON path). */
void rp_sub(char *w, size_t n, const char *where, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	snprintf(w, n, "%s", where);
	used = strlen(w);
	va_start(ap, fmt);
	vsnprintf(w + used, n - used, fmt, ap);
	va_end(ap);
}

/* A value from the file, fit to quote in a message (malloc'ed). */
char *rp_shown(const char *s)
{
	return vi_printable(s, VI_MSG_NAME_MAX);
}
