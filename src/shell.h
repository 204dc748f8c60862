/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shell.h - the probe shell's command interpreter: one line in, one
 * emitter object out.
 *
 * The interpreter knows nothing of terminals: cmd-shell.c reads lines
 * (readline or plain), and passes a confirm callback when a human can be
 * asked.  Every command checks its arguments against the region facts
 * before any system call; a refusal is one line on stderr naming what was
 * wrong and what to do, and the command's status.
 */
#ifndef VFIO_INFO_SHELL_H
#define VFIO_INFO_SHELL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "emit.h"
#include "inspect.h"

struct vi_shell;

/* Ask @question (no newline) and return true for yes. */
typedef bool (*vi_confirm_fn)(void *ctx, const char *question);

struct vi_shell_opts {
	bool write;		/* --write */
	vi_confirm_fn confirm;	/* NULL: nobody to ask; --write is the consent */
	void *confirm_ctx;
	/*
	 * Ctrl-C during a wait (irq): the shell sets *waiting while it waits
	 * and stops when *interrupted becomes nonzero, which the caller's
	 * SIGINT handler does (the wait's poll also returns EINTR).  NULL:
	 * a wait runs to its end.
	 */
	volatile sig_atomic_t *waiting, *interrupted;
	/*
	 * Text output for a person (stdout when the emitter writes text):
	 * help prints its aligned columns there, wrapped to $COLUMNS or the
	 * terminal's width.  NULL: help is data through the emitter (JSON).
	 */
	FILE *text;
};

struct vi_shell *vi_shell_new(struct vi_device *dev, struct vi_emit *em,
			      const struct vi_shell_opts *o);
void vi_shell_free(struct vi_shell *sh);

/*
 * Run one line.  Returns the line's status (VI_EXIT_*; 0 for blank lines
 * and comments).  The first nonzero status is kept for vi_shell_status().
 */
int vi_shell_exec(struct vi_shell *sh, const char *line);
/* Status of the first command that failed, 0 if none did. */
int vi_shell_status(const struct vi_shell *sh);
bool vi_shell_done(const struct vi_shell *sh);	/* quit was run */
bool vi_shell_writable(const struct vi_shell *sh);

/* Completion candidates: NULL-terminated static arrays or names the
 * device has.  @word is the word index being completed (0 = command),
 * @words the words before it. */
const char *vi_shell_complete(struct vi_shell *sh, int word, char **words, int nwords,
			      const char *prefix, unsigned int *state);
/* How to show the candidate vi_shell_complete() just returned in a list
 * ("0x04 Command" for a config offset), or NULL: as it is.  Valid until
 * the next call. */
const char *vi_shell_complete_display(const struct vi_shell *sh);

/* The name of command @i (0, 1, ...), NULL past the last: for
 * `vfio-info __complete shell-commands`. */
const char *vi_shell_command_name(size_t i);
/* The shell's commands, one a line: usage and summary in aligned columns,
 * indented two spaces, wrapped to $COLUMNS, else @out's terminal width,
 * else 80 (for `vfio-info shell --help`; the shell's `help` prints the
 * same list). */
void vi_shell_usage(FILE *out);

/* Lines run so far (for `history`), kept by the interpreter. */
void vi_shell_add_history(struct vi_shell *sh, const char *line);

#endif
