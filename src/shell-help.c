// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-help.c - the shell's help: the command table (shell.c) as aligned
 * columns wrapped to the reader's width, or as data for JSON.
 *
 * Text help is for a person and is printed as text, in columns no tree of
 * the emitter has; JSON help goes through the emitter as every other
 * answer does.  vi_shell_usage() is the same list for `shell --help`.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmds.h"
#include "shell-int.h"

#define COLS_DEFAULT	80
#define COLS_MIN	40	/* narrower is taken as this */
#define COLS_MAX	1000
#define LIST_INDENT	2
#define LIST_GAP	2
#define USAGE_COL_MAX	26	/* a longer usage gets a line of its own */
#define SUMMARY_MIN	24	/* narrower summaries go under their usage */

/* The width to wrap at for @out: $COLUMNS when it is a number (readline
 * keeps it current at a terminal), else the terminal's when @out is one,
 * else 80. */
static size_t columns_of(FILE *out)
{
	const char *env = getenv("COLUMNS");
	unsigned long v = 0;
	struct winsize ws;
	char *end;

	if (env && *env >= '1' && *env <= '9') {
		errno = 0;
		v = strtoul(env, &end, 10);
		if (errno || *end)
			v = 0;
	}
	if (!v && out && isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0)
		v = ws.ws_col;
	if (!v)
		v = COLS_DEFAULT;
	return v < COLS_MIN ? COLS_MIN : v > COLS_MAX ? COLS_MAX : (size_t)v;
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/*
 * @s word-wrapped at @width: the caller has printed up to column @at;
 * every further line starts at column @indent.  A '\n' in @s starts a new
 * paragraph after a blank line; the spaces between words are kept as
 * written (two after a sentence) within a line.
 */
static void put_wrapped(FILE *out, const char *s, size_t at, size_t indent, size_t width)
{
	size_t col = at, spaces = 0;
	bool start = true;	/* nothing of @s on this line yet */

	while (*s) {
		size_t w;

		if (*s == '\n') {
			fputs("\n\n", out);
			pad(out, indent);
			col = indent;
			start = true;
			spaces = 0;
			s++;
			continue;
		}
		if (*s == ' ') {
			spaces++;
			s++;
			continue;
		}
		w = strcspn(s, " \n");
		if (!start && col + spaces + w > width) {
			fputc('\n', out);
			pad(out, indent);
			col = indent;
		} else if (!start) {
			pad(out, spaces);
			col += spaces;
		}
		fwrite(s, 1, w, out);
		col += w;
		s += w;
		start = false;
		spaces = 0;
	}
	fputc('\n', out);
}

/*
 * Every command, its usage and summary in aligned columns: the summaries
 * start after the longest usage that leaves them SUMMARY_MIN columns (at
 * most USAGE_COL_MAX); a longer usage has a line of its own.  Too narrow
 * for that, every summary goes under its usage.
 */
static void put_list(FILE *out, size_t width)
{
	const struct shcmd *c;
	size_t limit = width - LIST_INDENT - LIST_GAP - SUMMARY_MIN, ucol = 0, scol;

	if (limit > USAGE_COL_MAX)
		limit = USAGE_COL_MAX;
	for (c = vi_sh_cmds; c->name; c++) {
		size_t n = strlen(c->usage);

		if (n <= limit && n > ucol)
			ucol = n;
	}
	scol = LIST_INDENT + ucol + LIST_GAP;
	if (ucol < 8)
		scol = LIST_INDENT + 4;
	for (c = vi_sh_cmds; c->name; c++) {
		size_t n = strlen(c->usage);

		pad(out, LIST_INDENT);
		if (LIST_INDENT + n + LIST_GAP > scol) {
			put_wrapped(out, c->usage, LIST_INDENT, LIST_INDENT + 4, width);
			pad(out, scol);
		} else {
			fputs(c->usage, out);
			pad(out, scol - LIST_INDENT - n);
		}
		put_wrapped(out, c->summary, scol, scol, width);
	}
}

void vi_shell_usage(FILE *out)
{
	put_list(out, columns_of(out));
}

static void put_command(FILE *out, const struct shcmd *c, size_t width)
{
	fputs("usage: ", out);
	put_wrapped(out, c->usage, strlen("usage: "), strlen("usage: "), width);
	pad(out, LIST_INDENT);
	put_wrapped(out, c->summary, LIST_INDENT, LIST_INDENT, width);
	if (c->help[0]) {
		fputc('\n', out);
		pad(out, LIST_INDENT);
		put_wrapped(out, c->help, LIST_INDENT, LIST_INDENT, width);
	}
}

static void emit_command(struct vi_emit *em, const struct shcmd *c, bool details)
{
	em_str(em, "name", c->name);
	em_str(em, "usage", c->usage);
	em_str(em, "summary", c->summary);
	if (details && c->help[0]) {
		/* one string: the paragraphs joined as its sentences are */
		char *d = malloc(2 * strlen(c->help) + 1), *o = d;

		if (!d)
			return;
		for (const char *p = c->help; *p; p++) {
			if (*p == '\n') {
				*o++ = ' ';
				*o++ = ' ';
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
		em_str(em, "details", d);
		free(d);
	}
}

int vi_shc_help(struct vi_shell *sh, int argc, char **argv)
{
	FILE *text = sh->o.text;
	const struct shcmd *c;

	if (argc > 1) {
		c = vi_sh_find_cmd(argv[1]);
		if (!c)
			return vi_sh_refuse(sh, VI_EXIT_USAGE, "no command '%s': type 'help' "
					    "for the list", argv[1]);
		if (text)
			put_command(text, c, columns_of(text));
		else
			emit_command(sh->em, c, true);
		return 0;
	}
	if (text) {
		size_t width = columns_of(text);

		put_wrapped(text, "commands ('help COMMAND' for one in detail):", 0, 0, width);
		put_list(text, width);
		return 0;
	}
	em_arr_begin(sh->em, "commands", NULL);
	for (c = vi_sh_cmds; c->name; c++) {
		em_obj_begin(sh->em, NULL, "%s", c->name);
		emit_command(sh->em, c, false);
		em_obj_end(sh->em);
	}
	em_arr_end(sh->em);
	return 0;
}
