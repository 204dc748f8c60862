// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - options, command dispatch, exit status. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "decode.h"
#include "help.h"
#include "backend.h"
#include "capture-io.h"
#include "shell.h"
#include "target.h"
#include "safe.h"
#include "util.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

/* Messages quote names from the kernel, sysfs and capture files: the
 * whole line is escaped so no control byte reaches the terminal. */
void vi_error(const char *fmt, ...)
{
	va_list ap;
	char *e;

	va_start(ap, fmt);
	e = vi_vprintable(fmt, ap);
	va_end(ap);
	fprintf(stderr, "vfio-info: %s\n", e ? e : "out of memory");
	free(e);
}

/* the handlers, in help.h's command order */
static int (*const handlers[VI_CMD_N])(struct vi_opts *o) = {
	[VI_CMD_DUMP] = cmd_dump,
	[VI_CMD_CAPTURE] = cmd_capture,
	[VI_CMD_CAPS] = cmd_caps,
	[VI_CMD_SHELL] = cmd_shell,
	[VI_CMD_LIST] = cmd_list,
	[VI_CMD_DOCTOR] = cmd_doctor,
	[VI_CMD_HELP] = NULL,	/* here */
};

static int parse_abi(struct vi_opts *o, const char *list)
{
	char *copy = vi_strdup(list), *save = NULL;
	bool mainline = false;

	o->profiles = VI_PROF_AUTOMATIC;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const struct vi_abi_name *p;

		if (strcmp(t, "help") == 0 || strcmp(t, "list") == 0) {
			for (p = vi_abi_names; p->name; p++)
				printf("%-16s %s\n", p->name, p->summary);
			free(copy);
			return 1;
		}
		for (p = vi_abi_names; p->name; p++)
			if (strcmp(p->name, t) == 0)
				break;
		if (!p->name) {
			const char *names[8], *s;
			size_t n = 0;

			for (p = vi_abi_names; p->name && n < 7; p++)
				names[n++] = p->name;
			names[n] = NULL;
			s = vi_suggest(t, names);
			if (s)
				vi_error("unknown ABI profile '%s': did you mean '%s'? "
					 "('vfio-info --abi help' lists them)", t, s);
			else
				vi_error("unknown ABI profile '%s': see 'vfio-info --abi help'", t);
			free(copy);
			return -1;
		}
		if (p->bit == 0)
			mainline = true;
		o->profiles |= p->bit;
	}
	if (mainline)
		o->profiles &= ~VI_PROF_AUTOMATIC;
	free(copy);
	return 0;
}

static const char try_help[] = "'vfio-info --help' lists the commands and options";

/* An option getopt did not take: unknown (with a suggestion), ambiguous,
 * or without its argument. */
static int bad_option(char **argv, int c, const struct option *longopts)
{
	const char *typed = argv[optind - 1];
	char buf[64];

	if (c == ':') {
		const struct vi_optdef *d = vi_opt_by_val(optopt);

		if (d)
			vi_error("%s needs %s (%s)", vi_opt_display(d, buf, sizeof(buf)),
				 d->arg ? d->arg : "an argument", d->help);
		else
			vi_error("%s needs an argument: %s", typed, try_help);
		return VI_EXIT_USAGE;
	}
	if (optopt && !(typed[0] == '-' && typed[1] == '-')) {
		vi_error("unknown option '-%c': %s", isprint(optopt) ? optopt : '?', try_help);
		return VI_EXIT_USAGE;
	}
	{
		/* a long option: --name or --name=value */
		size_t l = strcspn(typed + 2, "=");
		char name[64];
		const char *names[32], *s, *amb[32];
		size_t n = 0, na = 0;

		snprintf(name, sizeof(name), "%.*s", (int)(l < 63 ? l : 63), typed + 2);
		for (const struct option *lo = longopts; lo->name && n < 31; lo++) {
			names[n++] = lo->name;
			if (l && strncmp(lo->name, name, l) == 0)
				amb[na++] = lo->name;
		}
		names[n] = NULL;
		if (na > 1) {
			char list[256];
			size_t o = 0;

			for (size_t i = 0; i < na && o < sizeof(list); i++)
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s--%s",
						      i ? (i + 1 == na ? " or " : ", ") : "",
						      amb[i]);
			vi_error("option '--%s' is ambiguous: %s?", name, list);
			return VI_EXIT_USAGE;
		}
		if (na == 1 && typed[2 + l] == '=') {
			vi_error("option '--%s' takes no argument", amb[0]);
			return VI_EXIT_USAGE;
		}
		s = vi_suggest(name, names);
		if (s)
			vi_error("unknown option '--%s': did you mean '--%s'?", name, s);
		else
			vi_error("unknown option '--%s': %s", name, try_help);
	}
	return VI_EXIT_USAGE;
}

/* --color=WHEN: 1 always, 0 never, -1 auto; -2 for a word that is none. */
static int parse_color(const char *when)
{
	static const char *const words[] = { "auto", "always", "never", NULL };

	if (!when || strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	if (strcmp(when, "auto") == 0)
		return -1;
	{
		const char *s = vi_suggest(when, words);

		if (s)
			vi_error("--color takes auto, always or never, not '%s': did you mean "
				 "'%s'?", when, s);
		else
			vi_error("--color takes auto, always or never, not '%s'", when);
	}
	return -2;
}

/* auto: colour when standard output is a terminal and NO_COLOR is unset
 * or empty (https://no-color.org); always and never as they say. */
static bool want_color(int mode)
{
	const char *nc = getenv("NO_COLOR");

	if (mode >= 0)
		return mode == 1;
	return isatty(STDOUT_FILENO) && !(nc && nc[0]);
}

static bool given_val(const bool *given, int val)
{
	const struct vi_optdef *d = vi_opt_by_val(val);

	return d && given[d - vi_optdefs];
}

/* Refuse what the command does not take: options meant for other
 * commands, options that contradict each other or need another. */
static int check_options(const struct vi_opts *o, const bool *given, int cmd)
{
	char buf[64], applies[160];

	for (size_t i = 0; vi_optdefs[i].name; i++) {
		const struct vi_optdef *d = &vi_optdefs[i];

		if (!given[i] || d->val == 'h' || d->val == 'V')
			continue;
		if ((d->cmds & VI_CMD_BIT(cmd)) &&
		    !(cmd == VI_CMD_DOCTOR && (d->flags & VI_OPT_DOCTOR_PROBE) && !o->probe))
			continue;
		vi_error("%s applies to %s, not to %s", vi_opt_display(d, buf, sizeof(buf)),
			 vi_opt_applies(d, applies, sizeof(applies)),
			 cmd == VI_CMD_DOCTOR && (d->flags & VI_OPT_DOCTOR_PROBE) ?
			 "doctor without --probe" : vi_cmddefs[cmd].name);
		return VI_EXIT_USAGE;
	}
	if (given_val(given, 'L') && given_val(given, 'C')) {
		vi_error("--legacy and --cdev contradict each other: give one of them (neither: "
			 "the cdev flow where the device has one and /dev/iommu exists)");
		return VI_EXIT_USAGE;
	}
	if (o->pretty && !o->json) {
		vi_error("--pretty indents JSON: give --json too");
		return VI_EXIT_USAGE;
	}
	if (given_val(given, 'S') && !o->replay) {
		vi_error("--replay-max-size limits what --replay reads: give --replay FILE too");
		return VI_EXIT_USAGE;
	}
	return 0;
}

/* TARGETs (and list's PCI address filters) in one form for every
 * command: a malformed one refused with the same message everywhere, a
 * PCI address normalised, so messages quote it the same way. */
static int check_operands(struct vi_opts *o, int cmd)
{
	char canon[256], msg[512];

	for (int i = 0; i < o->nargs; i++) {
		if (cmd == VI_CMD_LIST) {
			char bdf[16];
			int r = vi_target_pci_address(o->args[i], bdf);

			if (r == -EINVAL) {
				vi_error("'%s' is not a filter: a PCI address is [DDDD:]BB:DD.F in "
					 "hex, the device 00 to 1f, the function 0 to 7", o->args[i]);
				return VI_EXIT_USAGE;
			}
			if (r == 0 && strcmp(bdf, o->args[i]) != 0)
				o->args[i] = vi_strdup(bdf);
			continue;
		}
		if (cmd != VI_CMD_DUMP && cmd != VI_CMD_CAPTURE && cmd != VI_CMD_SHELL &&
		    cmd != VI_CMD_DOCTOR)
			continue;
		if (vi_target_check(o->args[i], canon, sizeof(canon), msg, sizeof(msg)) < 0) {
			vi_error("%s", msg);
			return VI_EXIT_USAGE;
		}
		if (canon[0] && strcmp(canon, o->args[i]) != 0)
			o->args[i] = vi_strdup(canon);
	}
	return 0;
}

/* The command word: a command, or a refusal with a suggestion. */
static const struct vi_cmddef *find_command(const char *word)
{
	const struct vi_cmddef *c = vi_cmd_find(word);
	const char *names[VI_CMD_N + 1], *s;

	if (c)
		return c;
	for (int i = 0; i < VI_CMD_N; i++)
		names[i] = vi_cmddefs[i].name;
	names[VI_CMD_N] = NULL;
	s = word[0] ? vi_suggest(word, names) : NULL;
	if (s)
		vi_error("unknown command '%s': did you mean '%s'?", word, s);
	else
		vi_error("unknown command '%s': %s", word, try_help);
	return NULL;
}

/* The -c commands' array, freed at exit whichever way main returns. */
static void *shell_cmds_alloc;

static void free_shell_cmds(void)
{
	free(shell_cmds_alloc);
}

int main(int argc, char **argv)
{
	struct option longopts[32];
	char shortopts[64] = ":";	/* ':' to tell a missing argument apart */
	size_t nopts = 0, sl = 1;
	bool given[32] = { false };
	struct vi_opts o;
	const struct vi_cmddef *cmd;
	unsigned int malformed = 0;
	int c, r, idx, color = -1;
	bool help = false;

	setlocale(LC_CTYPE, "");
	/* `dump --all` holds a group and a container open per IOMMU group
	 * at once: allow as many descriptors as the hard limit does. */
	{
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	/* the words shell completion offers, from the same tables */
	if (argc >= 2 && strcmp(argv[1], "__complete") == 0)
		return vi_complete(argc - 2, argv + 2);

	for (const struct vi_optdef *d = vi_optdefs; d->name && nopts < 31; d++) {
		longopts[nopts++] = (struct option){ d->name, d->has_arg, NULL, d->val };
		if (d->shortopt && sl + 3 < sizeof(shortopts)) {
			shortopts[sl++] = (char)d->shortopt;
			if (d->has_arg == required_argument)
				shortopts[sl++] = ':';
		}
	}
	longopts[nopts] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[sl] = '\0';

	memset(&o, 0, sizeof(o));
	o.profiles = VI_PROF_AUTOMATIC;
	o.malformed = &malformed;

	opterr = 0;	/* every message here starts with "vfio-info:" */
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct vi_optdef *d = vi_opt_by_val(c);

		if (d)
			given[d - vi_optdefs] = true;
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'F':	/* text, json, prometheus (list and doctor; prom.c) */
			o.json = strcmp(optarg, "json") == 0;
			o.prometheus = strcmp(optarg, "prometheus") == 0;
			if (!o.json && !o.prometheus && strcmp(optarg, "text") != 0) {
				vi_error("--format takes text, json or prometheus, not '%s'", optarg);
				return VI_EXIT_USAGE;
			}
			break;
		case 'P':
			o.pretty = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'K':
			color = parse_color(optarg);
			if (color == -2)
				return VI_EXIT_USAGE;
			break;
		case 'r':
			o.replay = optarg;
			break;
		case 'S':
			if (vi_size_parse(optarg, &o.replay_max) < 0) {
				vi_error("--replay-max-size needs a size in bytes, with K, M or G "
					 "for KiB, MiB or GiB (e.g. 512M), not '%s'", optarg);
				return VI_EXIT_USAGE;
			}
			break;
		case 'Y':
			o.sysroot = optarg;
			break;
		case 'a':
			o.all = true;
			break;
		case 'L':
			o.flow = VI_FLOW_LEGACY;
			break;
		case 'C':
			o.flow = VI_FLOW_CDEV;
			break;
		case 'T':
			if (!vi_is_uuid(optarg)) {
				vi_error("--vf-token needs a UUID such as "
					 "bd8d9d2b-5a5f-4f5a-a211-f591514ba1f3, not '%s'", optarg);
				return VI_EXIT_USAGE;
			}
			o.vf_token = optarg;
			break;
		case 'A':
			o.abi = optarg;
			r = parse_abi(&o, optarg);
			if (r)
				return r > 0 ? VI_EXIT_OK : VI_EXIT_USAGE;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'p':
			o.probe = true;
			break;
		case 'H':
			o.host = true;
			break;
		case 'W':
			o.write = true;
			break;
		case 'c':
			if (!o.cmds) {
				o.cmds = calloc((size_t)argc, sizeof(*o.cmds));
				if (!o.cmds)
					return VI_EXIT_FAILURE;
				shell_cmds_alloc = o.cmds;
				atexit(free_shell_cmds);
			}
			o.cmds[o.ncmds++] = optarg;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			printf("vfio-info %s\n", PACKAGE_VERSION);
#ifdef PACKAGE_BUGREPORT
			printf("Report bugs to: %s\n", PACKAGE_BUGREPORT);
#endif
			return VI_EXIT_OK;
		default:
			return bad_option(argv, c, longopts);
		}
	}
	if (optind >= argc) {
		if (help) {
			vi_help_global(stdout);
			return VI_EXIT_OK;
		}
		vi_help_global(stderr);
		return VI_EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd)
		return VI_EXIT_USAGE;
	o.args = argv + optind + 1;
	o.nargs = argc - optind - 1;
	if (cmd - vi_cmddefs == VI_CMD_HELP) {
		const struct vi_cmddef *about = NULL;

		if (o.nargs > 1) {
			vi_error("help takes one COMMAND at most: 'vfio-info help %s'", o.args[0]);
			return VI_EXIT_USAGE;
		}
		if (o.nargs == 1 && !(about = find_command(o.args[0])))
			return VI_EXIT_USAGE;
		if (about)
			vi_help_command(stdout, about);
		else
			vi_help_global(stdout);
		return VI_EXIT_OK;
	}
	if (help) {
		vi_help_command(stdout, cmd);
		return VI_EXIT_OK;
	}
	r = check_options(&o, given, (int)(cmd - vi_cmddefs));
	if (r)
		return r;
	r = check_operands(&o, (int)(cmd - vi_cmddefs));
	if (r)
		return r;
	if (o.prometheus && cmd - vi_cmddefs != VI_CMD_LIST && cmd - vi_cmddefs != VI_CMD_DOCTOR) {
		vi_error("--format=prometheus is for list and doctor, not %s", cmd->name);
		return VI_EXIT_USAGE;
	}
	if (o.sysroot && o.replay) {
		vi_error("--sysroot and --replay are alternatives: read a copied tree or a "
			 "capture, not both");
		return VI_EXIT_USAGE;
	}
	if (o.sysroot && (o.probe || (cmd - vi_cmddefs != VI_CMD_LIST && cmd - vi_cmddefs != VI_CMD_DOCTOR))) {
		vi_error("--sysroot reads the sysfs, procfs and /dev files of a copied tree, "
			 "which answers no VFIO ioctl: it works with list and doctor (without "
			 "--probe); for '%s%s' use the running system or --replay with a capture",
			 cmd->name, o.probe ? " --probe" : "");
		return VI_EXIT_USAGE;
	}
	if (o.sysroot) {
		struct stat st;
		int serr = stat(o.sysroot, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;

		if (serr) {
			vi_error("--sysroot '%s': %s: give the directory that holds the tree's "
				 "sys/, proc/ and dev/", o.sysroot, strerror(serr));
			return VI_EXIT_USAGE;
		}
	}
	o.color = !o.json && want_color(color);
	r = handlers[cmd - vi_cmddefs](&o);
	/* a capture that held what no kernel answers: partial at best */
	if (r == VI_EXIT_OK && malformed)
		r = VI_EXIT_PARTIAL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		vi_error("write error on standard output");
		return VI_EXIT_FAILURE;
	}
	return r;
}
