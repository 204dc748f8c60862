// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * complete.c - `vfio-info __complete`: the words bash, zsh and fish offer,
 * from the binary's own tables and from the system (or the capture named
 * by --replay on the line), so no completion script keeps a list.
 *
 *   __complete commands | shell-commands | color
 *   __complete options [COMMAND]      the options COMMAND takes (all: none)
 *   __complete abi [WORD]             WORD's comma list completed
 *   __complete targets|drivers|groups [CAPTURE]
 *   __complete line WORD...           the words after "vfio-info" on the
 *                                     command line, the last being the one
 *                                     completed: every candidate for it
 *
 * One candidate a line, "WORD<TAB>description" where there is one to
 * give; "@file" asks the shell for file names.  Candidates ending in '='
 * or ',' want no space after them.  Names from sysfs or a capture are
 * offered only when they are names of their kind (safe.h), never escaped
 * forms a person would have to type differently.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmds.h"
#include "help.h"
#include "safe.h"
#include "shell.h"
#include "sysfs.h"
#include "target.h"
#include "util.h"

struct words {
	char **v;
	size_t n, cap;
};

static void add(struct words *w, const char *s)
{
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 32;
		char **nv = realloc(w->v, nc * sizeof(*nv));

		if (!nv)
			return;
		w->v = nv;
		w->cap = nc;
	}
	w->v[w->n++] = vi_strdup(s);
}

static int cmp_str(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strspn(x, "0123456789"), ly = strspn(y, "0123456789");

	/* numbers (group numbers) in numeric order */
	if (lx && ly && !x[lx] && !y[ly] && lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

/* Sorted, each once, those that start with @prefix, each after @lead. */
static void print_words(struct words *w, const char *lead, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (w->n)
		qsort(w->v, w->n, sizeof(*w->v), cmp_str);
	for (size_t i = 0; i < w->n; i++) {
		if (i && strcmp(w->v[i], w->v[i - 1]) == 0)
			continue;
		if (strncmp(w->v[i], prefix, pl) == 0)
			printf("%s%s\n", lead, w->v[i]);
	}
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

/* A device name as one word a person types: a path component without
 * blanks (a platform device "Fixed MDIO bus.0" is left out). */
static bool word_ok(const char *s)
{
	return vi_name_ok(VI_NAME_COMPONENT, s) && !strpbrk(s, " \t'\"\\$`");
}

static void quiet(void *ctx, int err, const char *msg)
{
	(void)ctx;
	(void)err;
	(void)msg;
}

/* The capture on the line, or the live system. */
static struct vi_backend *open_be(const char *replay)
{
	char err[256];

	if (replay) {
		struct vi_replay_opts ro = { 0, quiet, NULL };

		return vi_backend_replay_open(replay, &ro, err, sizeof(err));
	}
	return vi_backend_live_new();
}

/* VFIO devices and their groups: what dump, capture and shell open. */
static void vfio_targets(struct vi_backend *be, struct words *w, bool groups)
{
	struct vi_devref *list = NULL;
	size_t n = 0;

	if (!be || be->ops->enumerate(be, &list, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (word_ok(list[i].name))
			add(w, list[i].name);
		if (groups && list[i].group && vi_name_ok(VI_NAME_GROUP, list[i].group))
			add(w, list[i].group);
	}
	vi_devref_free(list, n);
}

/* Every PCI device sysfs shows, whatever its driver (doctor, list), and
 * every mediated device (doctor UUID). */
static void pci_devices(struct vi_backend *be, struct words *w)
{
	char **names = NULL;
	size_t n = 0;

	if (!be)
		return;
	if (be->ops->list_dir(be, VI_NS_SYS, "bus/pci/devices", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (vi_name_ok(VI_NAME_BDF, names[i]))
				add(w, names[i]);
		vi_names_free(names, n);
	}
	if (be->ops->list_dir(be, VI_NS_SYS, "bus/mdev/devices", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (vi_name_ok(VI_NAME_UUID, names[i]))
				add(w, names[i]);
		vi_names_free(names, n);
	}
}

static void iommu_groups(struct vi_backend *be, struct words *w)
{
	char **ids = NULL;
	size_t n = 0;

	if (!be || vi_groups_list(be, &ids, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (vi_name_ok(VI_NAME_GROUP, ids[i]))
			add(w, ids[i]);
	vi_names_free(ids, n);
}

/* The drivers of the IOMMU groups' members and of the PCI devices, and
 * "none": what list's driver= matches. */
static void drivers(struct vi_backend *be, struct words *w)
{
	char **ids = NULL, **devs = NULL;
	size_t n = 0, nd = 0;

	add(w, "none");
	if (!be)
		return;
	if (vi_groups_list(be, &ids, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			if (vi_group_devices(be, ids[i], &devs, &nd) != 0)
				continue;
			for (size_t j = 0; j < nd; j++) {
				char *p = vi_asprintf("kernel/iommu_groups/%s/devices/%s", ids[i],
						      devs[j]);
				char *d = vi_sysfs_driver(be, p);

				if (d && vi_name_ok(VI_NAME_DRIVER, d))
					add(w, d);
				free(d);
				free(p);
			}
			vi_names_free(devs, nd);
		}
	vi_names_free(ids, n);
	if (be->ops->list_dir(be, VI_NS_SYS, "bus/pci/devices", &devs, &nd) == 0) {
		for (size_t j = 0; j < nd; j++) {
			char *p = vi_asprintf("bus/pci/devices/%s", devs[j]);
			char *d = vi_sysfs_driver(be, p);

			if (d && vi_name_ok(VI_NAME_DRIVER, d))
				add(w, d);
			free(d);
			free(p);
		}
		vi_names_free(devs, nd);
	}
}

/* --abi's comma list: the items typed stay, the last one is completed
 * among the profiles not in the list yet. */
static void abi_words(const char *lead0, const char *word)
{
	const char *last = strrchr(word, ',');
	size_t lead = last ? (size_t)(last - word) + 1 : 0;
	char *head = vi_strdup(word);

	head[lead] = '\0';
	for (const struct vi_abi_name *p = vi_abi_names; p->name; p++) {
		char item[64];
		bool dup;

		snprintf(item, sizeof(item), ",%s,", p->name);
		{
			char *h = vi_asprintf(",%s", head);
			dup = strstr(h, item) != NULL;
			free(h);
		}
		if (!dup && strncmp(p->name, word + lead, strlen(word + lead)) == 0)
			printf("%s%s%s\t%s\n", lead0, head, p->name, p->summary);
	}
	if (!lead && strncmp("help", word, strlen(word)) == 0)
		printf("%shelp\tlist the profiles\n", lead0);
	free(head);
}

static void command_words(const char *prefix)
{
	for (int i = 0; i < VI_CMD_N; i++)
		if (strncmp(vi_cmddefs[i].name, prefix, strlen(prefix)) == 0)
			printf("%s\t%s\n", vi_cmddefs[i].name, vi_cmddefs[i].summary);
}

/* The options @cmd takes (every option when @cmd < 0), except those in
 * @given that make no sense twice. */
static void option_words(int cmd, const bool *given, const char *prefix)
{
	size_t pl = strlen(prefix);

	for (size_t i = 0; vi_optdefs[i].name; i++) {
		const struct vi_optdef *d = &vi_optdefs[i];
		char w[64];

		if (cmd >= 0 && !(d->cmds & VI_CMD_BIT(cmd)))
			continue;
		if (cmd >= 0 && (d->val == 'V'))
			continue;
		if (given && given[i] && d->val != 'c')
			continue;
		snprintf(w, sizeof(w), "--%s%s", d->name,
			 d->has_arg == optional_argument ? "=" : "");
		if (strncmp(w, prefix, pl) == 0)
			printf("%s\t%s\n", w, d->help);
	}
}

static void color_words(const char *lead, const char *prefix)
{
	static const char *const when[][2] = {
		{ "auto", "when standard output is a terminal and NO_COLOR is unset" },
		{ "always", "always" }, { "never", "never" },
	};

	for (size_t i = 0; i < 3; i++)
		if (strncmp(when[i][0], prefix, strlen(prefix)) == 0)
			printf("%s%s\t%s\n", lead, when[i][0], when[i][1]);
}

static const struct vi_optdef *long_opt(const char *name, size_t len)
{
	const struct vi_optdef *hit = NULL;
	size_t n = 0;

	for (const struct vi_optdef *d = vi_optdefs; d->name; d++) {
		if (strlen(d->name) == len && strncmp(d->name, name, len) == 0)
			return d;
		if (strncmp(d->name, name, len) == 0) {
			hit = d;
			n++;
		}
	}
	return n == 1 ? hit : NULL;	/* getopt's unique abbreviations */
}

static const struct vi_optdef *short_opt(int ch)
{
	for (const struct vi_optdef *d = vi_optdefs; d->name; d++)
		if (d->shortopt == ch)
			return d;
	return NULL;
}

/* The value of option @d being completed: @lead is what stays before it. */
static void value_words(const struct vi_optdef *d, const char *lead, const char *word)
{
	switch (d->val) {
	case 'r':
	case 'o':
	case 'Y':	/* --sysroot DIR: the shells' file completion offers directories */
		printf("@file\n");
		break;
	case 'F': {
		static const char *const fmts[][2] = {
			{ "text", "the indented tree (the default)" },
			{ "json", "JSON, as --json" },
			{ "prometheus", "metrics for node_exporter (list and doctor)" },
		};

		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
			if (strncmp(fmts[i][0], word, strlen(word)) == 0)
				printf("%s%s\t%s\n", lead, fmts[i][0], fmts[i][1]);
		break;
	}
	case 'A':
		abi_words(lead, word);
		break;
	case 'c': {
		const char *n;

		for (size_t i = 0; (n = vi_shell_command_name(i)); i++)
			if (strncmp(n, word, strlen(word)) == 0)
				printf("%s%s\n", lead, n);
		break;
	}
	case 'K':
		color_words(lead, word);
		break;
	default:
		break;	/* a UUID or a size: nothing to offer */
	}
}

/* `__complete line WORD...` */
static int complete_line(int argc, char **argv)
{
	const char *cur = argc ? argv[argc - 1] : "";
	const char *replay = NULL;
	const struct vi_optdef *pending = NULL;
	bool given[32] = { false }, dashdash = false;
	int cmd = -1, noperands = 0;
	struct vi_backend *be = NULL;
	struct words w = { NULL, 0, 0 };

	for (int i = 0; i + 1 < argc; i++) {
		const char *a = argv[i];

		if (pending) {
			if (pending->val == 'r')
				replay = a;
			pending = NULL;
			continue;
		}
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (!dashdash && a[0] == '-' && a[1] == '-') {
			size_t l = strcspn(a + 2, "=");
			const struct vi_optdef *d = long_opt(a + 2, l);

			if (!d)
				continue;
			given[d - vi_optdefs] = true;
			if (a[2 + l] == '=') {
				if (d->val == 'r')
					replay = a + 3 + l;
			} else if (d->has_arg == required_argument) {
				pending = d;
			}
			continue;
		}
		if (!dashdash && a[0] == '-' && a[1]) {
			for (const char *p = a + 1; *p; p++) {
				const struct vi_optdef *d = short_opt(*p);

				if (!d)
					break;
				given[d - vi_optdefs] = true;
				if (d->has_arg == required_argument) {
					if (p[1]) {
						if (d->val == 'r')
							replay = p + 1;
					} else {
						pending = d;
					}
					break;
				}
			}
			continue;
		}
		if (cmd < 0) {
			const struct vi_cmddef *c = vi_cmd_find(a);

			cmd = c ? (int)(c - vi_cmddefs) : VI_CMD_N;	/* N: unknown */
		} else {
			noperands++;
		}
	}
	if (cmd == VI_CMD_N)
		return VI_EXIT_OK;	/* after an unknown command: nothing */

	if (pending) {
		value_words(pending, "", cur);
		return VI_EXIT_OK;
	}
	if (!dashdash && cur[0] == '-') {
		size_t l = strcspn(cur + 2, "=");

		if (cur[1] == '-' && cur[2 + l] == '=') {
			const struct vi_optdef *d = long_opt(cur + 2, l);
			char *lead = vi_asprintf("%.*s", (int)(l + 3), cur);

			if (d)
				value_words(d, lead, cur + l + 3);
			free(lead);
			return VI_EXIT_OK;
		}
		option_words(cmd, given, cur);
		return VI_EXIT_OK;
	}
	if (cmd < 0) {
		command_words(cur);
		return VI_EXIT_OK;
	}
	switch (cmd) {
	case VI_CMD_HELP:
		if (!noperands)
			command_words(cur);
		break;
	case VI_CMD_CAPS:
		break;
	case VI_CMD_SHELL:
		if (noperands)
			break;
		/* fall through */
	case VI_CMD_DUMP:
	case VI_CMD_CAPTURE:
		if (cur[0] == '/')
			printf("@file\n");
		be = open_be(replay);
		vfio_targets(be, &w, true);
		print_words(&w, "", cur);
		break;
	case VI_CMD_DOCTOR:
		if (cur[0] == '/')
			printf("@file\n");
		be = open_be(replay);
		pci_devices(be, &w);
		iommu_groups(be, &w);
		print_words(&w, "", cur);
		break;
	case VI_CMD_LIST:
		be = open_be(replay);
		if (strncmp(cur, "driver=", 7) == 0) {
			drivers(be, &w);
			print_words(&w, "driver=", cur + 7);
		} else if (strncmp(cur, "group=", 6) == 0) {
			iommu_groups(be, &w);
			print_words(&w, "group=", cur + 6);
		} else {
			if (strncmp("driver=", cur, strlen(cur)) == 0)
				printf("driver=\tbound to a driver (driver=none: unbound)\n");
			if (strncmp("group=", cur, strlen(cur)) == 0)
				printf("group=\tIOMMU group\n");
			pci_devices(be, &w);
			print_words(&w, "", cur);
		}
		break;
	default:
		break;
	}
	if (be)
		vi_backend_destroy(be);
	return VI_EXIT_OK;
}

int vi_complete(int argc, char **argv)
{
	const char *what = argc ? argv[0] : "";
	const char *arg = argc > 1 ? argv[1] : NULL;
	struct vi_backend *be = NULL;
	struct words w = { NULL, 0, 0 };

	if (strcmp(what, "line") == 0)
		return complete_line(argc - 1, argv + 1);
	if (strcmp(what, "commands") == 0) {
		for (int i = 0; i < VI_CMD_N; i++)
			printf("%s\n", vi_cmddefs[i].name);
	} else if (strcmp(what, "options") == 0) {
		const struct vi_cmddef *c = arg ? vi_cmd_find(arg) : NULL;

		if (arg && !c)
			return VI_EXIT_USAGE;
		for (size_t i = 0; vi_optdefs[i].name; i++)
			if (!c || (vi_optdefs[i].cmds & VI_CMD_BIT(c - vi_cmddefs)))
				printf("--%s\n", vi_optdefs[i].name);
	} else if (strcmp(what, "abi") == 0) {
		if (arg) {
			abi_words("", arg);
		} else {
			for (const struct vi_abi_name *p = vi_abi_names; p->name; p++)
				printf("%s\n", p->name);
			printf("help\n");
		}
	} else if (strcmp(what, "color") == 0) {
		printf("auto\nalways\nnever\n");
	} else if (strcmp(what, "shell-commands") == 0) {
		const char *n;

		for (size_t i = 0; (n = vi_shell_command_name(i)); i++)
			printf("%s\n", n);
	} else if (strcmp(what, "targets") == 0 || strcmp(what, "drivers") == 0 ||
		   strcmp(what, "groups") == 0) {
		be = open_be(arg);
		if (what[0] == 't')
			vfio_targets(be, &w, true);
		else if (what[0] == 'd')
			drivers(be, &w);
		else
			iommu_groups(be, &w);
		print_words(&w, "", "");
		if (be)
			vi_backend_destroy(be);
	} else {
		vi_error("__complete takes commands, options [COMMAND], abi [WORD], color, "
			 "shell-commands, targets|drivers|groups [CAPTURE] or line WORD...");
		return VI_EXIT_USAGE;
	}
	return VI_EXIT_OK;
}
