// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-shell.c - the shell command: open one device, then read lines from
 * -c options, a terminal (readline: completion, history, Ctrl-C cancels
 * the line) or a pipe, and hand each to the interpreter (shell.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "cmds.h"
#include "decode.h"
#include "shell.h"
#include "util.h"

#define LINE_MAX_LEN	4096

/* Ctrl-C while a command waits (irq): the wait ends, the command tidies
 * up.  Set by the SIGINT handlers below, read by the interpreter. */
static volatile sig_atomic_t sig_waiting, sig_interrupted;

/* Scripts: Ctrl-C ends a wait; otherwise it ends the program as before. */
static void on_sigint_script(int sig)
{
	if (sig_waiting) {
		sig_interrupted = 1;
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

#ifndef HAVE_READLINE
/* A terminal without readline: Ctrl-C drops the line being typed (the
 * read returns EINTR) or ends a wait, never the shell. */
static void on_sigint_plain(int sig)
{
	(void)sig;
	if (sig_waiting)
		sig_interrupted = 1;
}
#endif

static void catch_sigint(void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;	/* no SA_RESTART: a waiting poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
}

/* A line from stdin without readline; NULL at end of input. */
static char *plain_line(const char *prompt)
{
	char buf[LINE_MAX_LEN];

	for (;;) {
		if (prompt) {
			fputs(prompt, stdout);
			fflush(stdout);
		}
		if (fgets(buf, sizeof(buf), stdin))
			break;
		if (ferror(stdin) && errno == EINTR) {
			/* Ctrl-C: the line is dropped, the shell goes on */
			clearerr(stdin);
			if (prompt)
				fputc('\n', stdout);
			continue;
		}
		return NULL;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return vi_strdup(buf);
}

static bool confirm(void *ctx, const char *question)
{
	char *ans;
	bool yes;

	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
#ifdef HAVE_READLINE
	ans = readline("");
#else
	ans = plain_line(NULL);
#endif
	yes = ans && (ans[0] == 'y' || ans[0] == 'Y');
	free(ans);
	(void)ctx;
	return yes;
}

#ifdef HAVE_READLINE
static struct vi_shell *rl_shell;
static int rl_word, rl_nwords;
static char *rl_words[16];
static char *rl_copy;

/* The candidates of the completion under way with how the shell shows
 * them ("0x04 Command"), for show_matches(). */
struct shown {
	char *match, *show;
};
static struct shown *rl_shown;
static size_t rl_nshown;

static void shown_clear(void)
{
	for (size_t i = 0; i < rl_nshown; i++) {
		free(rl_shown[i].match);
		free(rl_shown[i].show);
	}
	free(rl_shown);
	rl_shown = NULL;
	rl_nshown = 0;
}

static void shown_add(const char *match, const char *show)
{
	struct shown *n = realloc(rl_shown, (rl_nshown + 1) * sizeof(*n));

	if (!n)
		return;
	rl_shown = n;
	rl_shown[rl_nshown].match = vi_strdup(match);
	rl_shown[rl_nshown].show = vi_strdup(show);
	rl_nshown++;
}

static char *generator(const char *text, int state)
{
	static unsigned int st;
	const char *n, *show;

	if (!state) {
		st = 0;
		shown_clear();
	}
	n = vi_shell_complete(rl_shell, rl_word, rl_words, rl_nwords, text, &st);
	if (n && (show = vi_shell_complete_display(rl_shell)))
		shown_add(n, show);
	return n ? vi_strdup(n) : NULL;
}

/* The list of candidates, each as the shell shows it (a config offset with
 * its register's name); only the number is inserted. */
static void show_matches(char **matches, int n, int max)
{
	char **list = calloc((size_t)n + 2, sizeof(*list));

	if (!list)
		return;
	list[0] = matches[0];
	for (int i = 1; i <= n; i++) {
		list[i] = matches[i];
		for (size_t k = 0; k < rl_nshown; k++) {
			if (strcmp(rl_shown[k].match, matches[i]) == 0) {
				list[i] = rl_shown[k].show;
				break;
			}
		}
		if ((int)strlen(list[i]) > max)
			max = (int)strlen(list[i]);
	}
	rl_crlf();
	rl_display_match_list(list, n, max);
	rl_forced_update_display();
	free(list);
}

static char **attempt(const char *text, int start, int end)
{
	char *p;

	free(rl_copy);
	rl_copy = strndup(rl_line_buffer, (size_t)start);
	rl_nwords = 0;
	for (p = strtok(rl_copy, " \t"); p && rl_nwords < 16; p = strtok(NULL, " \t"))
		rl_words[rl_nwords++] = p;
	rl_word = rl_nwords;
	/* `source FILE`: readline's file name completion */
	if (rl_word == 1 && strcmp(rl_words[0], "source") == 0)
		return NULL;
	rl_attempted_completion_over = 1;
	/* command names sorted; operands in the device's order (regions and
	 * irqs by index, config offsets by number) */
	rl_sort_completion_matches = rl_word == 0;
	(void)end;
	return rl_completion_matches(text, generator);
}

static void on_sigint(int sig)
{
	(void)sig;
	if (sig_waiting) {
		/* a command waits: end the wait, the prompt comes after */
		sig_interrupted = 1;
		return;
	}
	/* cancel the line being edited, not the shell */
	(void)!write(STDOUT_FILENO, "\n", 1);
	rl_on_new_line();
	rl_replace_line("", 0);
	rl_redisplay();
}

/* $XDG_STATE_HOME/vfio-info/history, or ~/.local/state/vfio-info/history */
static char *history_path(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;

	if (xdg && xdg[0] == '/')
		dir = vi_asprintf("%s/vfio-info", xdg);
	else if (home && home[0])
		dir = vi_asprintf("%s/.local/state/vfio-info", home);
	else
		return NULL;
	/* mkdir -p of the last components: the state dir may not exist yet */
	for (char *p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	}
	mkdir(dir, 0700);
	{
		char *path = vi_asprintf("%s/history", dir);
		free(dir);
		return path;
	}
}
#endif

static int interactive(struct vi_shell *sh, const char *name)
{
	char *prompt_ro = vi_asprintf("vfio-info %s> ", name);
	char *prompt_rw = vi_asprintf("vfio-info %s (write)> ", name);
#ifdef HAVE_READLINE
	char *hpath = history_path();

	rl_readline_name = "vfio-info";
	rl_shell = sh;
	rl_attempted_completion_function = attempt;
	rl_completion_display_matches_hook = show_matches;
	rl_catch_signals = 0;
	catch_sigint(on_sigint);
	using_history();
	stifle_history(1000);
	if (hpath)
		read_history(hpath);
#else
	catch_sigint(on_sigint_plain);
#endif
	fprintf(stderr, "vfio-info shell on %s: 'help' lists the commands, 'quit' or "
		"Ctrl-D leaves.%s\n", name, vi_shell_writable(sh) ? " Writes are ON." : "");
	while (!vi_shell_done(sh)) {
		const char *prompt = vi_shell_writable(sh) ? prompt_rw : prompt_ro;
		char *line;

		fflush(stdout);
#ifdef HAVE_READLINE
		line = readline(prompt);
#else
		line = plain_line(prompt);
#endif
		if (!line) {
			fputc('\n', stdout);
			break;
		}
		if (line[strspn(line, " \t")]) {
#ifdef HAVE_READLINE
			add_history(line);
#endif
			vi_shell_add_history(sh, line);
		}
		vi_shell_exec(sh, line);
		free(line);
	}
#ifdef HAVE_READLINE
	if (hpath)
		write_history(hpath);
	free(hpath);
	free(rl_copy);
	rl_copy = NULL;
	shown_clear();
#endif
	free(prompt_ro);
	free(prompt_rw);
	return vi_shell_status(sh);
}

static int scripted(struct vi_shell *sh, const struct vi_opts *o)
{
	catch_sigint(on_sigint_script);
	if (o->ncmds) {
		for (int i = 0; i < o->ncmds && !vi_shell_done(sh); i++) {
			vi_shell_add_history(sh, o->cmds[i]);
			vi_shell_exec(sh, o->cmds[i]);
		}
	} else {
		char *line;

		while (!vi_shell_done(sh) && (line = plain_line(NULL))) {
			vi_shell_add_history(sh, line);
			vi_shell_exec(sh, line);
			free(line);
		}
	}
	return vi_shell_status(sh);
}

int cmd_shell(struct vi_opts *o)
{
	struct vi_targets t = { NULL, 0 };
	struct vi_inspect_opts io;
	struct vi_shell_opts so;
	struct vi_device *dev = NULL;
	struct vi_backend *be;
	struct vi_shell *sh;
	struct vi_emit *em;
	char msg[2048];
	bool tty = isatty(STDIN_FILENO);
	int r, status = VI_EXIT_OK;

	if (o->nargs != 1 || o->all) {
		vi_error("shell needs exactly one TARGET (a PCI address, group, cdev...)");
		return VI_EXIT_USAGE;
	}
	if (o->output) {
		vi_error("-o/--output belongs to 'capture'; the shell writes to standard output");
		return VI_EXIT_USAGE;
	}
	be = vi_open_backend(o, &status);
	if (!be)
		return status;
	if (!o->abi)
		o->profiles |= vi_capture_profiles(be);
	r = vi_target_resolve(be, o->args[0], &t, msg, sizeof(msg));
	if (r < 0) {
		vi_error("%s", msg);
		vi_backend_destroy(be);
		return vi_exit_for_errno(r);
	}
	if (t.n != 1) {
		vi_error("%s names %zu devices: the shell opens one; name it by its address",
			 o->args[0], t.n);
		vi_targets_free(&t);
		vi_backend_destroy(be);
		return VI_EXIT_USAGE;
	}
	memset(&io, 0, sizeof(io));
	io.flow = o->flow;
	io.vf_token = o->vf_token;
	io.profiles = o->profiles;
	io.report = vi_report_stderr;
	r = vi_device_open(be, &t.v[0], &io, &dev);
	if (r < 0) {
		vi_targets_free(&t);
		vi_backend_destroy(be);
		return vi_exit_for_errno(r);
	}

	em = vi_output_emitter(o);
	memset(&so, 0, sizeof(so));
	so.write = o->write;
	so.waiting = &sig_waiting;
	so.interrupted = &sig_interrupted;
	so.text = o->json ? NULL : stdout;
	if (tty) {
		so.confirm = confirm;
		so.confirm_ctx = NULL;
	}
	sh = vi_shell_new(dev, em, &so);
	if (!sh) {
		status = VI_EXIT_FAILURE;
	} else if (tty && !o->ncmds) {
		status = interactive(sh, dev->name);
	} else {
		status = scripted(sh, o);
	}
	vi_shell_free(sh);
	vi_emit_finish(em);
	vi_device_close(dev);
	vi_targets_free(&t);
	vi_backend_destroy(be);
	return status;
}
