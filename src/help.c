// SPDX-License-Identifier: GPL-2.0-or-later
/* help.c - the command line as data (help.h): commands, options, the
 * commands each option applies to, help texts, "did you mean". */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "help.h"
#include "shell.h"

#define B(id)	VI_CMD_BIT(VI_CMD_##id)
/* commands that open devices the way dump does */
#define OPENERS	(B(DUMP) | B(CAPTURE) | B(SHELL))
/* commands that print what they found */
#define PRINTERS (B(DUMP) | B(CAPTURE) | B(CAPS) | B(SHELL) | B(LIST) | B(DOCTOR))
/* commands that read the system, or a capture in its place */
#define READERS	(B(DUMP) | B(CAPTURE) | B(SHELL) | B(LIST) | B(DOCTOR))

static const char targets_text[] =
	"TARGET is one of:\n"
	"  DDDD:BB:DD.F, BB:DD.F     a PCI address (domain 0000 when left out)\n"
	"  N, /dev/vfio/N            an IOMMU group: every VFIO device in it\n"
	"  noiommu-N                 a noiommu group\n"
	"  vfioX, /dev/vfio/devices/vfioX   a device cdev (Linux 6.6 and later)\n"
	"  /sys/bus/*/devices/NAME   a sysfs device path\n"
	"  NAME, UUID                a platform or AMBA device name, an mdev UUID\n";

const struct vi_cmddef vi_cmddefs[VI_CMD_N] = {
	[VI_CMD_DUMP] = {
		"dump", "open devices and decode every info query",
		"[OPTIONS] dump TARGET... | --all",
		"Opens each TARGET the way a VMM would, asks the kernel every information "
		"query (device, regions, irqs, hot reset, features, IOMMU, config space) and "
		"prints the decoded answers as a tree, or with --json as one document.  "
		"Nothing is written to the device.",
		targets_text,
		"vfio-info dump 01:00.0\n"
		"vfio-info -v dump 12\n"
		"vfio-info --replay nic.json --json --pretty dump --all\n" },
	[VI_CMD_CAPTURE] = {
		"capture", "record the kernel's answers into a capture file",
		"[OPTIONS] capture -o FILE TARGET... | --all\n"
		"[OPTIONS] capture --host -o FILE [TARGET...]",
		"Runs the queries dump runs and writes the kernel's raw answers, with the "
		"sysfs, procfs and /dev facts that were read, to FILE; --replay FILE answers "
		"from it later, on any machine.  --host also records what list and doctor "
		"read of the whole host.  A TARGET that names no device leaves no file.",
		targets_text,
		"vfio-info capture -o nic.json 01:00.0\n"
		"vfio-info capture --host -o host.json\n" },
	[VI_CMD_CAPS] = {
		"caps", "list the capability decoders",
		"[--json] caps",
		"Lists the capability decoders of this build: the chain each belongs to, "
		"its id, name, versions and ABI profile.",
		NULL,
		"vfio-info caps\n" },
	[VI_CMD_SHELL] = {
		"shell", "interactive, scriptable probe shell for one device",
		"[OPTIONS] shell TARGET [-c CMD]... [--write]",
		"Opens one device and reads commands: at a terminal with line editing, "
		"history and completion, otherwise from -c options or standard input (one "
		"command a line, '#' starts a comment).  Writes and commands that change "
		"the device need --write.  The exit status is that of the first command "
		"that failed.",
		NULL,	/* the shell's own commands, from shell.c */
		"vfio-info shell 01:00.0\n"
		"vfio-info shell 01:00.0 -c 'read bar0 0 8' -c 'dump config 0 64'\n"
		"vfio-info --write shell 01:00.0 < setup.txt\n" },
	[VI_CMD_LIST] = {
		"list", "every IOMMU group and device, from sysfs (opens nothing)",
		"[OPTIONS] list [FILTER...]",
		"Prints every IOMMU group with its type, node, holders and viability, and "
		"each member's address, names, driver and cdev, from sysfs; opens no VFIO "
		"file.  A FILTER shows the whole groups that have a matching member; "
		"filters that match nothing exit with status 3.",
		"FILTER is one of:\n"
		"  DDDD:BB:DD.F, BB:DD.F     a PCI address\n"
		"  VENDOR:DEVICE, VENDOR:    PCI ids in hex (8086:10d3, 8086:)\n"
		"  driver=NAME               bound to NAME (driver=none: unbound)\n"
		"  group=N                   IOMMU group N\n"
		"Filters of one kind are alternatives; filters of different kinds must\n"
		"all match.\n",
		"vfio-info list\n"
		"vfio-info list driver=vfio-pci\n"
		"vfio-info list 8086: group=12\n" },
	[VI_CMD_DOCTOR] = {
		"doctor", "check why a device cannot be used, with remedies",
		"[OPTIONS] doctor [TARGET...] [--all] [--probe]",
		"Checks the host (IOMMU, interrupt remapping, modules, /dev/vfio, memlock) "
		"and each TARGET, which need not be bound to a VFIO driver (driver, group "
		"viability, nodes, holders, SR-IOV, reset, power, BARs, ACS), and prints a "
		"verdict (OK, INFO, WARN, FAIL), the reason and, for problems, a remedy.  "
		"--probe also opens each device through the kernel.  Exit status 7 when a "
		"check failed.",
		"TARGET is a PCI address (01:00.0), a sysfs device path, a group (12,\n"
		"/dev/vfio/12: its members but bridges) or a device cdev (vfio0).\n"
		"Without TARGET only the host is checked; --all checks every device\n"
		"bound to a VFIO driver.\n",
		"vfio-info doctor\n"
		"vfio-info doctor 01:00.0\n"
		"vfio-info --probe doctor --all\n" },
	[VI_CMD_HELP] = {
		"help", "this help, or a command's",
		"help [COMMAND]",
		"Without COMMAND, the commands and options; with one, its usage, options, "
		"arguments and examples (as 'vfio-info COMMAND --help').",
		NULL,
		"vfio-info help list\n" },
};

const struct vi_optdef vi_optdefs[] = {
	{ "json", 'j', no_argument, 'j', PRINTERS, 0, NULL,
	  "JSON output (the shell: one object a line)" },
	{ "pretty", 0, no_argument, 'P', PRINTERS, 0, NULL, "indent the JSON (with --json)" },
	{ "format", 0, required_argument, 'F', PRINTERS, 0, "FMT",
	  "text, json, or prometheus (list and doctor, with -o FILE)" },
	/* capture takes -v as dump does (the real-kernel guests pass one set of
	 * options to both); what it prints is unchanged */
	{ "verbose", 'v', no_argument, 'v', B(DUMP) | B(CAPTURE) | B(SHELL) | B(LIST) | B(DOCTOR),
	  0, NULL,
	  "show each query's argsz negotiation" },
	{ "color", 0, optional_argument, 'K', PRINTERS, 0, "WHEN",
	  "colour: auto, always or never (default auto)" },
	{ "replay", 'r', required_argument, 'r', READERS, 0, "FILE",
	  "answer from a capture file instead of the kernel" },
	{ "replay-max-size", 0, required_argument, 'S', READERS, 0, "SIZE",
	  "largest capture --replay reads (default 64M)" },
	{ "sysroot", 0, required_argument, 'Y', B(LIST) | B(DOCTOR), 0, "DIR",
	  "read sys/, proc/ and dev/ below DIR (a copied tree)" },
	{ "all", 'a', no_argument, 'a', B(DUMP) | B(CAPTURE) | B(DOCTOR), 0, NULL,
	  "every device on a VFIO driver" },
	{ "legacy", 0, no_argument, 'L', OPENERS | B(DOCTOR), VI_OPT_DOCTOR_PROBE, NULL,
	  "open through the group and container" },
	{ "cdev", 0, no_argument, 'C', OPENERS | B(DOCTOR), VI_OPT_DOCTOR_PROBE, NULL,
	  "open through the device cdev and iommufd" },
	{ "vf-token", 0, required_argument, 'T', OPENERS | B(DOCTOR), 0, "UUID",
	  "VF token for a VF whose PF is bound to vfio-pci" },
	{ "abi", 0, required_argument, 'A', OPENERS, 0, "LIST",
	  "ABI profiles, comma separated (--abi help)" },
	{ "output", 'o', required_argument, 'o', B(CAPTURE) | B(LIST) | B(DOCTOR), 0, "FILE",
	  "where to write (list and doctor: with --format=prometheus)" },
	{ "host", 0, no_argument, 'H', B(CAPTURE), 0, NULL,
	  "also record what list and doctor read" },
	{ "probe", 0, no_argument, 'p', B(DOCTOR), 0, NULL,
	  "also open each device through the kernel" },
	{ "command", 'c', required_argument, 'c', B(SHELL), 0, "CMD",
	  "run CMD, not lines from stdin (repeatable)" },
	{ "write", 0, no_argument, 'W', B(SHELL), 0, NULL,
	  "allow writes and device changes" },
	{ "help", 'h', no_argument, 'h', VI_CMD_ALL, 0, NULL, "this help" },
	{ "version", 'V', no_argument, 'V', 0, 0, NULL, "the version" },
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL }
};

const struct vi_abi_name vi_abi_names[] = {
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

const struct vi_cmddef *vi_cmd_find(const char *name)
{
	for (int i = 0; i < VI_CMD_N; i++)
		if (strcmp(vi_cmddefs[i].name, name) == 0)
			return &vi_cmddefs[i];
	return NULL;
}

const struct vi_optdef *vi_opt_by_val(int val)
{
	for (const struct vi_optdef *d = vi_optdefs; d->name; d++)
		if (d->val == val)
			return d;
	return NULL;
}

const char *vi_opt_display(const struct vi_optdef *d, char *buf, size_t len)
{
	if (d->shortopt)
		snprintf(buf, len, "-%c/--%s", d->shortopt, d->name);
	else
		snprintf(buf, len, "--%s", d->name);
	return buf;
}

const char *vi_opt_applies(const struct vi_optdef *d, char *buf, size_t len)
{
	size_t o = 0, n = 0, k = 0;

	buf[0] = '\0';
	for (int i = 0; i < VI_CMD_N; i++)
		if (d->cmds & VI_CMD_BIT(i))
			n++;
	for (int i = 0; i < VI_CMD_N && o < len; i++) {
		if (n == VI_CMD_N) {
			snprintf(buf, len, "every command");
			break;
		}
		if (!(d->cmds & VI_CMD_BIT(i)))
			continue;
		k++;
		o += (size_t)snprintf(buf + o, len - o, "%s%s%s",
				      k == 1 ? "" : k == n ? " and " : ", ",
				      vi_cmddefs[i].name,
				      i == VI_CMD_DOCTOR && (d->flags & VI_OPT_DOCTOR_PROBE) ?
				      " --probe" : "");
	}
	if (n == 1 && o < len)
		snprintf(buf + o, len - o, " only");
	return buf;
}

/* "  -j, --json                what" */
static void put_option(FILE *out, const struct vi_optdef *d, bool where)
{
	char ap[96] = "";
	int n = 0;

	for (int i = 0; i < VI_CMD_N; i++)
		n += !!(d->cmds & VI_CMD_BIT(i));
	if (where && n && n <= 3) {
		char b[80];

		snprintf(ap, sizeof(ap), " [%s]", vi_opt_applies(d, b, sizeof(b)));
		if (n == 1)
			ap[strlen(ap) - 6] = ']', ap[strlen(ap) - 5] = '\0';	/* " only" */
	}
	char left[48], sh[8] = "    ";

	if (d->shortopt)
		snprintf(sh, sizeof(sh), "-%c, ", d->shortopt);
	snprintf(left, sizeof(left), "%s--%s%s%s%s", sh, d->name,
		 d->arg ? (d->has_arg == optional_argument ? "[=" : " ") : "",
		 d->arg ? d->arg : "", d->arg && d->has_arg == optional_argument ? "]" : "");
	fprintf(out, "  %-26s %s%s\n", left, d->help, ap);
}

void vi_help_global(FILE *out)
{
	fputs("Usage: vfio-info [OPTIONS] COMMAND [ARGS...]\n"
	      "\n"
	      "Inspect Linux VFIO devices: every info ioctl, decoded.\n"
	      "\n"
	      "Commands:\n", out);
	for (int i = 0; i < VI_CMD_N; i++)
		fprintf(out, "  %-10s %s\n", vi_cmddefs[i].name, vi_cmddefs[i].summary);
	fputs("\n", out);
	fputs(targets_text, out);
	fputs("  --all                     every device bound to a VFIO driver\n"
	      "\n"
	      "Options ([commands] an option applies to; 'vfio-info help COMMAND' lists them):\n",
	      out);
	for (const struct vi_optdef *d = vi_optdefs; d->name; d++)
		put_option(out, d, true);
	fputs("\n"
	      "Exit status: 0 ok, 1 failure, 2 usage, 3 target not found or not VFIO,\n"
	      "4 permission denied, 5 busy, 6 partial decode, 7 a doctor check failed.\n"
	      "'vfio-info help COMMAND' for a command's options and examples; see vfio-info(1).\n",
	      out);
}

void vi_help_command(FILE *out, const struct vi_cmddef *c)
{
	int id = (int)(c - vi_cmddefs);
	const char *u = c->usage;
	bool first = true;

	/* one "Usage:" line per usage form */
	while (*u) {
		size_t l = strcspn(u, "\n");

		fprintf(out, "%s vfio-info %.*s\n", first ? "Usage:" : "      ", (int)l, u);
		first = false;
		u += l;
		if (*u)
			u++;
	}
	fprintf(out, "\n%s\n", c->summary);
	/* the paragraph, wrapped at 76 columns */
	{
		const char *p = c->text;
		size_t col = 0;

		fputc('\n', out);
		while (*p) {
			size_t w = strcspn(p, " ");

			if (col && col + 1 + w > 76) {
				fputc('\n', out);
				col = 0;
			} else if (col) {
				fputc(' ', out);
				col++;
			}
			fprintf(out, "%.*s", (int)w, p);
			col += w;
			p += w;
			while (*p == ' ')
				p++;
		}
		fputc('\n', out);
	}
	if (c->args)
		fprintf(out, "\n%s", c->args);
	if (id == VI_CMD_SHELL) {
		fputs("\nCommands (in the shell, 'help COMMAND' for one in detail):\n", out);
		vi_shell_usage(out);
	}
	if (id != VI_CMD_HELP) {
		fputs("\nOptions:\n", out);
		for (const struct vi_optdef *d = vi_optdefs; d->name; d++)
			if (d->cmds & VI_CMD_BIT(id))
				put_option(out, d, false);
	}
	fprintf(out, "\nExample%s:\n", strchr(c->examples, '\n') + 1 == c->examples +
		strlen(c->examples) ? "" : "s");
	for (const char *p = c->examples; *p; ) {
		size_t l = strcspn(p, "\n");

		fprintf(out, "  %.*s\n", (int)l, p);
		p += l;
		if (*p)
			p++;
	}
}

/* Optimal string alignment distance. */
size_t vi_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *d;
	size_t r;

	if (la > 64 || lb > 64)
		return (size_t)-1;	/* no command or option is that long */
	d = calloc((la + 1) * (lb + 1), sizeof(*d));
	if (!d)
		return (size_t)-1;
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *vi_suggest(const char *typed, const char *const *cands)
{
	const char *best = NULL, *prefix = NULL;
	size_t bestd = (size_t)-1, nprefix = 0, tl = strlen(typed);
	size_t limit = tl <= 4 ? 1 : 2;

	if (!tl)
		return NULL;
	for (const char *const *c = cands; *c; c++) {
		size_t dd = vi_edit_distance(typed, *c);

		if (dd < bestd) {
			bestd = dd;
			best = *c;
		}
		if (strncmp(*c, typed, tl) == 0) {
			prefix = *c;
			nprefix++;
		}
	}
	if (best && bestd <= limit && bestd < tl)
		return best;
	return nprefix == 1 ? prefix : NULL;
}
