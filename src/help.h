/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * help.h - the command line as data: commands, options, which option
 * applies to which command, and each command's help text (help.c).
 *
 * main.c parses with it, refuses with it and completes from it, and
 * `vfio-info help COMMAND` prints it, so the four cannot drift apart.
 */
#ifndef VFIO_INFO_HELP_H
#define VFIO_INFO_HELP_H

#include <stddef.h>
#include <stdio.h>

enum vi_cmd_id {
	VI_CMD_DUMP, VI_CMD_CAPTURE, VI_CMD_CAPS, VI_CMD_SHELL, VI_CMD_LIST,
	VI_CMD_DOCTOR, VI_CMD_HELP, VI_CMD_N
};
#define VI_CMD_BIT(id)	(1u << (id))
#define VI_CMD_ALL	((1u << VI_CMD_N) - 1)

struct vi_cmddef {
	const char *name;
	const char *summary;	/* one line, for the command list */
	const char *usage;	/* after "vfio-info ", one or more lines */
	const char *text;	/* what it does, a paragraph */
	const char *args;	/* its arguments (TARGET, FILTER, ...), or NULL */
	const char *examples;	/* one example a line */
};

/* Option flags. */
#define VI_OPT_DOCTOR_PROBE	(1u << 0)	/* applies to doctor only with --probe */

struct vi_optdef {
	const char *name;	/* long name, without -- */
	int shortopt;		/* the short letter, or 0 */
	int has_arg;		/* no_argument, required_argument, optional_argument */
	int val;		/* what getopt_long returns */
	unsigned int cmds;	/* VI_CMD_BIT()s of the commands it applies to */
	unsigned int flags;	/* VI_OPT_* */
	const char *arg;	/* name of its argument, or NULL */
	const char *help;	/* one line */
};

extern const struct vi_cmddef vi_cmddefs[];	/* VI_CMD_N entries, in id order */
extern const struct vi_optdef vi_optdefs[];	/* ends with a NULL name */

const struct vi_cmddef *vi_cmd_find(const char *name);
/* The option whose getopt value is @val, or NULL. */
const struct vi_optdef *vi_opt_by_val(int val);
/* "--probe" or "-c/--command": how a message names @d. */
const char *vi_opt_display(const struct vi_optdef *d, char *buf, size_t len);
/* "doctor", "dump, capture and shell", "dump, capture, shell and doctor
 * --probe": the commands @d applies to, for a message. */
const char *vi_opt_applies(const struct vi_optdef *d, char *buf, size_t len);

/* --abi LIST words: the profiles (decode.h VI_PROF_* bits; "mainline" is
 * 0: the automatic ones off). */
struct vi_abi_name {
	const char *name;
	unsigned int bit;
	const char *summary;
};
extern const struct vi_abi_name vi_abi_names[];	/* ends with a NULL name */

/* `vfio-info __complete WHAT [ARGS...]` (complete.c): @argc/@argv from
 * WHAT on.  Returns the exit status. */
int vi_complete(int argc, char **argv);

/* The global help, and one command's. */
void vi_help_global(FILE *out);
void vi_help_command(FILE *out, const struct vi_cmddef *c);

/*
 * Did you mean: the candidate nearest to @typed (optimal string alignment
 * distance: insertions, deletions, substitutions and swaps of neighbours
 * cost 1), if it is close enough to be what was meant (at most 1 for words
 * of up to 4 characters, 2 for longer ones), or the only candidate
 * @typed is a prefix of; NULL otherwise.  @cands ends with NULL.
 */
const char *vi_suggest(const char *typed, const char *const *cands);
size_t vi_edit_distance(const char *a, const char *b);

#endif
