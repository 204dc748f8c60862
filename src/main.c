// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - options, command dispatch, exit status. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cmds.h"
#include "decode.h"
#include "backend.h"
#include "capture-io.h"
#include "shell.h"
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

struct command {
	const char *name;
	int (*fn)(struct vi_opts *o);
	const char *summary;
};

static const struct command commands[] = {
	{ "dump", cmd_dump, "open devices and decode every info query" },
	{ "capture", cmd_capture, "record the kernel's answers into a capture file" },
	{ "caps", cmd_caps, "list the capability decoders" },
	{ "shell", cmd_shell, "interactive, scriptable probe shell for one device" },
	{ "list", cmd_list, "every IOMMU group and device, from sysfs (opens nothing)" },
	{ "doctor", cmd_doctor, "check why a device cannot be used, with remedies" },
	{ NULL, NULL, NULL }
};

struct profile_name {
	const char *name;
	unsigned int bit;
	const char *summary;
};

static const struct profile_name profiles[] = {
	{ "mainline", 0, "mainline Linux only: turn the automatic profiles off" },
	{ "zpci-clp-region", VI_PROF_ZPCI_CLP,
	  "zPCI CLP information region, IBM vendor type subtype 2 (automatic)" },
	{ "irq-caps-2019", VI_PROF_IRQ_CAPS,
	  "IRQ info capability chain, GVT-g display IRQ type (automatic)" },
	{ "devtree-2013", VI_PROF_DEVTREE,
	  "device-tree reg/ranges/path structs after region and irq info" },
	{ "zpci-iommu-2019", VI_PROF_ZPCI_IOMMU,
	  "zPCI QFN/QGRP capabilities in VFIO_IOMMU_GET_INFO" },
	{ NULL, 0, NULL }
};

/*
 * Words for shell completion, from the tables above, so completions never
 * drift from the binary:
 *   vfio-info __complete commands|options|abi|targets|shell-commands
 */
static int complete(const struct option *longopts, const char *what)
{
	if (strcmp(what, "commands") == 0) {
		for (const struct command *c = commands; c->name; c++)
			printf("%s\n", c->name);
	} else if (strcmp(what, "options") == 0) {
		for (const struct option *l = longopts; l->name; l++)
			printf("--%s\n", l->name);
	} else if (strcmp(what, "abi") == 0) {
		for (const struct profile_name *p = profiles; p->name; p++)
			printf("%s\n", p->name);
		printf("help\n");
	} else if (strcmp(what, "shell-commands") == 0) {
		const char *n;

		for (size_t i = 0; (n = vi_shell_command_name(i)); i++)
			printf("%s\n", n);
	} else if (strcmp(what, "targets") == 0) {
		struct vi_backend *be = vi_backend_live_new();
		struct vi_devref *list = NULL;
		size_t n = 0;

		if (be && be->ops->enumerate(be, &list, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				printf("%s\n", list[i].name);
				if (list[i].group)
					printf("%s\n", list[i].group);
			}
			vi_devref_free(list, n);
		}
		if (be)
			vi_backend_destroy(be);
	} else {
		return VI_EXIT_USAGE;
	}
	return VI_EXIT_OK;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vfio-info [OPTIONS] COMMAND [TARGET...]\n"
		"\n"
		"Inspect Linux VFIO devices: every info ioctl, decoded.\n"
		"\n"
		"Commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f,
		"\n"
		"TARGET: a PCI address (0000:01:00.0, 01:00.0), a group (12, /dev/vfio/12,\n"
		"noiommu-3), a device cdev (/dev/vfio/devices/vfio0), a sysfs device path,\n"
		"a platform/AMBA device name or an mdev UUID; --all for every VFIO device.\n"
		"\n"
		"Options:\n"
		"  -j, --json            JSON output (one document)\n"
		"      --format=FMT      text, json, or prometheus (list, doctor; with -o FILE)\n"
		"      --pretty          indent JSON\n"
		"  -v, --verbose         show each ioctl's argsz negotiation\n"
		"  -r, --replay FILE     answer from a capture file instead of the kernel\n"
		"      --replay-max-size SIZE  largest capture to read (default 64M)\n"
		"      --sysroot DIR     list, doctor: read sys/, proc/, dev/ below DIR\n"
		"  -a, --all             every device bound to a VFIO driver\n"
		"      --legacy          open through the group and container\n"
		"      --cdev            open through the device cdev and iommufd\n"
		"      --vf-token UUID   VF token for VFs of a PF bound to vfio-pci\n"
		"      --abi LIST        ABI profiles to decode with (--abi help)\n"
		"  -o, --output FILE     capture: where to write\n"
		"      --probe           doctor: also open the device through the kernel\n"
		"      --host            capture: also record what list and doctor read\n"
		"  -c, --command CMD     shell: run CMD instead of reading lines (repeatable)\n"
		"      --write           shell: allow writes and side-effecting commands\n"
		"  -h, --help            this help\n"
		"  -V, --version         version\n"
		"\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 3 target not found or not VFIO,\n"
		"4 permission denied, 5 busy, 6 partial decode, 7 a doctor check failed.\n"
		"See vfio-info(1).\n");
}

static int parse_abi(struct vi_opts *o, const char *list)
{
	char *copy = vi_strdup(list), *save = NULL;
	bool mainline = false;

	o->profiles = VI_PROF_AUTOMATIC;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const struct profile_name *p;

		if (strcmp(t, "help") == 0 || strcmp(t, "list") == 0) {
			for (p = profiles; p->name; p++)
				printf("%-16s %s\n", p->name, p->summary);
			free(copy);
			return 1;
		}
		for (p = profiles; p->name; p++)
			if (strcmp(p->name, t) == 0)
				break;
		if (!p->name) {
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'F' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "replay", required_argument, NULL, 'r' },
		{ "replay-max-size", required_argument, NULL, 'S' },
		{ "sysroot", required_argument, NULL, 'Y' },
		{ "all", no_argument, NULL, 'a' },
		{ "legacy", no_argument, NULL, 'L' },
		{ "cdev", no_argument, NULL, 'C' },
		{ "vf-token", required_argument, NULL, 'T' },
		{ "abi", required_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "probe", no_argument, NULL, 'p' },
		{ "host", no_argument, NULL, 'H' },
		{ "write", no_argument, NULL, 'W' },
		{ "command", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct vi_opts o;
	const struct command *cmd;
	unsigned int malformed = 0;
	int c, r;

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
	memset(&o, 0, sizeof(o));
	o.profiles = VI_PROF_AUTOMATIC;
	o.malformed = &malformed;

	while ((c = getopt_long(argc, argv, "jvr:ao:c:hV", longopts, NULL)) != -1) {
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
			if (!o.cmds)
				o.cmds = calloc((size_t)argc, sizeof(*o.cmds));
			if (!o.cmds)
				return VI_EXIT_FAILURE;
			o.cmds[o.ncmds++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return VI_EXIT_OK;
		case 'V':
			printf("vfio-info %s\n", PACKAGE_VERSION);
#ifdef PACKAGE_BUGREPORT
			printf("Report bugs to: %s\n", PACKAGE_BUGREPORT);
#endif
			return VI_EXIT_OK;
		default:
			fprintf(stderr, "Try 'vfio-info --help'.\n");
			return VI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return VI_EXIT_USAGE;
	}
	if (strcmp(argv[optind], "__complete") == 0)
		return optind + 1 < argc ? complete(longopts, argv[optind + 1]) : VI_EXIT_USAGE;
	for (cmd = commands; cmd->name; cmd++)
		if (strcmp(cmd->name, argv[optind]) == 0)
			break;
	if (!cmd->name) {
		vi_error("unknown command '%s': try 'vfio-info --help'", argv[optind]);
		return VI_EXIT_USAGE;
	}
	if (o.prometheus && cmd->fn != cmd_list && cmd->fn != cmd_doctor) {
		vi_error("--format=prometheus is for list and doctor, not %s", cmd->name);
		return VI_EXIT_USAGE;
	}
	o.args = argv + optind + 1;
	o.nargs = argc - optind - 1;
	if (o.sysroot && o.replay) {
		vi_error("--sysroot and --replay are alternatives: read a copied tree or a "
			 "capture, not both");
		return VI_EXIT_USAGE;
	}
	if (o.sysroot && (o.probe || (cmd->fn != cmd_list && cmd->fn != cmd_doctor))) {
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
	r = cmd->fn(&o);
	/* a capture that held what no kernel answers: partial at best */
	if (r == VI_EXIT_OK && malformed)
		r = VI_EXIT_PARTIAL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		vi_error("write error on standard output");
		return VI_EXIT_FAILURE;
	}
	return r;
}
