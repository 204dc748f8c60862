// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell.c - the probe shell's interpreter: the command table, words,
 * refusals, the argument checks every command shares, and the session's
 * own commands (set, history, source, quit).
 *
 * The commands live by family: shell-device.c (info, caps, hot-reset-info,
 * features, reset), shell-region.c (regions, read, write, dump, layout,
 * mmap, unmap), shell-config.c (config), shell-irq.c (irqs, irq); help in
 * shell-help.c, completion in shell-complete.c.  A new command: its function in its
 * family's file, its prototype in shell-int.h, its row in vi_sh_cmds below.
 *
 * Each line becomes one top-level emitter object (JSON Lines with --json).
 * Arguments are checked against the region's size and flags before any
 * system call is made.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmds.h"
#include "shell-int.h"
#include "util.h"

/* ---- messages ---- */

/* One line on stderr, the same text in the command's JSON object. */
int vi_sh_refuse(struct vi_shell *sh, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vi_error("%s: %s", sh->cmd, msg);
	em_detail_begin(sh->em);
	em_str(sh->em, "error", msg);
	em_u64(sh->em, "status", (uint64_t)status);
	em_detail_end(sh->em);
	return status;
}

int vi_sh_sys_fail(struct vi_shell *sh, long err, const char *what)
{
	/* ENODATA: the backend has no bytes there (a capture keeps only what
	 * was read when it was taken) */
	if (err == -ENODATA)
		return vi_sh_refuse(sh, VI_EXIT_NOTFOUND, "the capture holds no bytes here: "
				    "captures keep config space (and what a capture file lists "
				    "under \"regions\"); read BARs on the live device");
	return vi_sh_refuse(sh, vi_exit_for_errno((int)err), "%s failed: %s", what,
			    strerror((int)-err));
}

/* ---- arguments ---- */

bool vi_sh_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

const char *vi_sh_region_label(const struct vi_region *rg, char *buf, size_t len)
{
	if (rg->name[0])
		return rg->name;
	snprintf(buf, len, "region %u", rg->index);
	return buf;
}

struct vi_region *vi_sh_find_region(struct vi_shell *sh, const char *arg)
{
	struct vi_device *d = sh->dev;
	uint64_t idx;
	char known[256];
	size_t o = 0;

	if (vi_sh_parse_u64(arg, &idx) && idx < d->nregions)
		return &d->regions[idx];
	for (uint32_t i = 0; i < d->nregions; i++)
		if (d->regions[i].name[0] && strcasecmp(d->regions[i].name, arg) == 0)
			return &d->regions[i];
	known[0] = '\0';
	for (uint32_t i = 0; i < d->nregions && o < sizeof(known); i++) {
		const struct vi_region *rg = &d->regions[i];

		if (rg->ok && rg->size)
			o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s",
					      o ? ", " : "", rg->name[0] ? rg->name : "?");
	}
	vi_sh_refuse(sh, VI_EXIT_USAGE, "unknown region '%s': name one of %s, or give an index "
		     "below %u (see 'regions')", arg, known[0] ? known : "(none)", d->nregions);
	return NULL;
}

/* Size and flag checks, before any system call. */
int vi_sh_check_access(struct vi_shell *sh, const struct vi_region *rg, uint64_t off,
		       uint64_t len, uint32_t need)
{
	char b[32];
	const char *n = vi_sh_region_label(rg, b, sizeof(b));

	if (!rg->ok)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "%s did not answer "
				    "VFIO_DEVICE_GET_REGION_INFO: it cannot be accessed", n);
	if (rg->size == 0)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s has size 0: the device does not "
				    "implement it", n);
	if ((need & R_READ) && !(rg->flags & R_READ))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s is not readable (flags 0x%x lack READ)",
				    n, rg->flags);
	if ((need & R_WRITE) && !(rg->flags & R_WRITE))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s is not writable (flags 0x%x lack WRITE)",
				    n, rg->flags);
	if (off >= rg->size)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "offset 0x%llx is past the end of %s "
				    "(size 0x%llx): give an offset below 0x%llx",
				    (unsigned long long)off, n, (unsigned long long)rg->size,
				    (unsigned long long)rg->size);
	if (len > rg->size - off && len > rg->size)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "0x%llx + %llu bytes runs past the end "
				    "of %s (size 0x%llx): at most %llu bytes from offset "
				    "0x%llx", (unsigned long long)off, (unsigned long long)len,
				    n, (unsigned long long)rg->size,
				    (unsigned long long)(rg->size - off),
				    (unsigned long long)off);
	if (len > rg->size - off)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "0x%llx + %llu bytes runs past the end "
				    "of %s (size 0x%llx): the last %llu-byte access starts at "
				    "0x%llx", (unsigned long long)off, (unsigned long long)len,
				    n, (unsigned long long)rg->size, (unsigned long long)len,
				    (unsigned long long)(rg->size - len));
	return 0;
}

int vi_sh_parse_width(struct vi_shell *sh, const char *arg, unsigned int *w)
{
	uint64_t v = 4;

	if (arg && (!vi_sh_parse_u64(arg, &v) || (v != 1 && v != 2 && v != 4 && v != 8)))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "bad width '%s': use 1, 2, 4 or 8 (bytes)",
				    arg);
	*w = (unsigned int)v;
	return 0;
}

int vi_sh_parse_offset(struct vi_shell *sh, const char *arg, uint64_t *off)
{
	if (!vi_sh_parse_u64(arg, off))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "bad offset '%s': give a number such as "
				    "0x10 or 16", arg);
	return 0;
}
/* ---- the session ---- */

int vi_shc_set(struct vi_shell *sh, int argc, char **argv)
{
	if (strcmp(argv[1], "write") != 0)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "unknown setting '%s': the only one is "
				    "'write'", argv[1]);
	if (argc < 3 || (strcmp(argv[2], "on") != 0 && strcmp(argv[2], "off") != 0))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "say 'set write on' or 'set write off'");
	if (strcmp(argv[2], "on") == 0 && !sh->write) {
		if (sh->o.confirm && !sh->o.confirm(sh->o.confirm_ctx, "writes go to the device "
						    "as typed and can hang or break it, or the "
						    "host. Allow writes?"))
			return vi_sh_refuse(sh, VI_EXIT_USAGE, "not confirmed: writes stay off");
		em_note(sh->em, VI_NOTE_WARN, "writes are on: they reach the device as typed");
	}
	sh->write = strcmp(argv[2], "on") == 0;
	em_bool(sh->em, "write", sh->write);
	return 0;
}

int vi_shc_history(struct vi_shell *sh, int argc, char **argv)
{
	em_arr_begin(sh->em, "history", NULL);
	for (size_t i = 0; i < sh->nhist; i++)
		em_str(sh->em, NULL, sh->hist[i]);
	em_arr_end(sh->em);
	return 0;
}

int vi_shc_source(struct vi_shell *sh, int argc, char **argv)
{
	char line[4096];
	const char *cmd = sh->cmd;
	int first = 0;
	FILE *f;

	if (sh->depth >= MAX_SOURCE)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "source is nested %d deep: does %s source "
				    "itself?", MAX_SOURCE, argv[1]);
	f = fopen(argv[1], "r");
	if (!f)
		return vi_sh_refuse(sh, vi_exit_for_errno(errno), "cannot open %s: %s", argv[1],
				    strerror(errno));
	em_str(sh->em, "source", argv[1]);
	em_obj_end(sh->em);	/* each sourced line is an object of its own */
	vi_emit_flush(sh->em);
	sh->depth++;
	while (!sh->done && fgets(line, sizeof(line), f)) {
		int r = vi_shell_exec(sh, line);
		if (r && !first)
			first = r;
	}
	sh->depth--;
	fclose(f);
	sh->cmd = cmd;
	em_obj_begin(sh->em, NULL, NULL);
	em_detail_begin(sh->em);
	em_str(sh->em, "command", "source");
	em_str(sh->em, "end", argv[1]);
	em_detail_end(sh->em);
	return first;
}

int vi_shc_quit(struct vi_shell *sh, int argc, char **argv)
{
	sh->done = true;
	return 0;
}
/* ---- the command table: one row a command ---- */

const struct shcmd vi_sh_cmds[] = {
	{ "info", vi_shc_info, 0, 0, "info", "device info: flags, number of regions and irqs",
	  "Shows VFIO_DEVICE_GET_INFO as dump does, with its capabilities.", A_NONE },
	{ "regions", vi_shc_regions, 0, 0, "regions", "every region: flags, size, offset, caps",
	  "Shows every VFIO_DEVICE_GET_REGION_INFO answer as dump does.", A_NONE },
	{ "irqs", vi_shc_irqs, 0, 0, "irqs", "every irq index: flags and count",
	  "Shows every VFIO_DEVICE_GET_IRQ_INFO answer as dump does.", A_NONE },
	{ "caps", vi_shc_caps, 0, 0, "caps", "the VFIO capability chains of device and regions",
	  "Decodes the capability chains of the device info and of each region.", A_NONE },
	{ "config", vi_shc_config, 0, 1, "config [--physical|--diff]",
	  "PCI config space decoded (lspci -vvv depth); --physical: the host's view; "
	  "--diff: what VFIO shows differently",
	  "Reads config space through the VFIO config region and decodes the header and "
	  "every capability: PM, MSI, MSI-X, PCIe, AER, ACS, ATS, SR-IOV, Resizable BAR, "
	  "DVSEC; unknown ones are shown raw.  This is what VFIO lets a VM see.\n"
	  "--physical decodes the host's view instead, from "
	  "/sys/bus/pci/devices/BDF/config (64 bytes only without root).\n"
	  "--diff compares the two byte by byte and lists each register that differs "
	  "(offset, capability and register, the fields that differ, both values, why "
	  "where known) and the capabilities VFIO hides or adds.", A_CONFIG },
	{ "read", vi_shc_read, 2, 3, "read REGION OFFSET [WIDTH]",
	  "read 1, 2, 4 or 8 bytes (default 4), little-endian",
	  "REGION is an index or a name: bar0..bar5, rom, config, vga, or a device-specific "
	  "region's type name.  The value is the bytes as the device holds them, read "
	  "little-endian.  After 'mmap REGION' aligned reads go through the mapping.",
	  A_REGION },
	{ "write", vi_shc_write, 3, 4, "write REGION OFFSET VALUE [WIDTH]",
	  "write 1, 2, 4 or 8 bytes (default 4), little-endian; needs --write",
	  "Refused unless the shell runs with --write or after 'set write on'.  A write to "
	  "config space, a BAR or the MSI-X table or PBA asks for confirmation at a "
	  "terminal; in scripts --write is the consent.  In replay the capture's copy "
	  "changes.", A_REGION },
	{ "dump", vi_shc_dump, 2, 3, "dump REGION OFFSET [LEN]",
	  "hexdump LEN bytes (default 256, at most 65536): offsets, hex, ASCII",
	  "Reads with pread and prints rows of 16 bytes as xxd and lspci -x do: the "
	  "offset, each byte as two hex digits, the ASCII column.  JSON has the bytes "
	  "as one hex string, data, and the rows as hexdump: one {offset, bytes} a row "
	  "of 16 (offset a number, bytes its hex string).",
	  A_REGION },
	{ "layout", vi_shc_layout, 1, 1, "layout BAR",
	  "the BAR as mmap-able and trapped ranges, MSI-X table and PBA",
	  "Draws the BAR from its flags, sparse mmap areas and MSIX_MAPPABLE, with the "
	  "MSI-X table and PBA windows from config space and the host page size; warns "
	  "when table and PBA share a page or the BAR is smaller than a page.", A_BAR },
	{ "mmap", vi_shc_mmap, 1, 1, "mmap REGION", "map a region (its sparse areas) read-only",
	  "Maps the region, or only its sparse areas when it is sparse; reads inside a "
	  "mapping then go through it.  Refused for regions without the MMAP flag.",
	  A_REGION },
	{ "unmap", vi_shc_unmap, 0, 1, "unmap [REGION]", "drop the mappings (of REGION)",
	  "Unmaps what mmap mapped.", A_REGION },
	{ "hot-reset-info", vi_shc_hot_reset_info, 0, 0, "hot-reset-info",
	  "the devices a bus reset would also reset",
	  "Asks VFIO_DEVICE_GET_PCI_HOT_RESET_INFO; changes nothing.", A_NONE },
	{ "features", vi_shc_features, 0, 0, "features", "probe VFIO_DEVICE_FEATURE ids",
	  "Probes feature ids 0 to 255 for get and set support, as dump does: every "
	  "known id, an unknown one the kernel answers, what a refusal means, and the "
	  "GET of MIGRATION (migration_flags) and MIG_DEVICE_STATE (device_state); "
	  "changes nothing.", A_NONE },
	{ "reset", vi_shc_reset, 0, 0, "reset", "VFIO_DEVICE_RESET (changes the device)",
	  "Resets the device: needs --write, and confirmation at a terminal.", A_NONE },
	{ "irq", vi_shc_irq, 1, 5, "irq INDEX [COUNT] [--loopback] [--wait SECONDS]",
	  "set up eventfds for an interrupt, count its triggers, tear down (changes the "
	  "device)",
	  "INDEX is a number or a name: intx, msi, msix, err, req.  Sets up COUNT eventfds "
	  "(default every vector, at most 32) with VFIO_DEVICE_SET_IRQS "
	  "DATA_EVENTFD|ACTION_TRIGGER, waits SECONDS (default 1) and reports how often "
	  "each vector triggered, then always tears the set-up down (DATA_NONE, count "
	  "0).\n"
	  "--loopback has the kernel fire every vector itself "
	  "(DATA_NONE|ACTION_TRIGGER), proving the eventfd path; the wait ends once "
	  "each has triggered.\n"
	  "Ctrl-C ends the wait early.  Needs --write, and confirmation at a terminal.  "
	  "In replay no device raises interrupts: only loopback triggers count, and the "
	  "wait is not slept.", A_IRQ },
	{ "set", vi_shc_set, 1, 2, "set write on|off", "allow or forbid writes",
	  "'set write on' warns, and at a terminal asks for confirmation.", A_SET },
	{ "history", vi_shc_history, 0, 0, "history", "the lines run in this session",
	  "At a terminal the history is kept in $XDG_STATE_HOME/vfio-info/history.",
	  A_NONE },
	{ "source", vi_shc_source, 1, 1, "source FILE", "run the commands in FILE",
	  "Each line of FILE runs as if typed; '#' starts a comment.", A_NONE },
	{ "help", vi_shc_help, 0, 1, "help [COMMAND]", "the commands, or one in detail",
	  "", A_COMMAND },
	{ "quit", vi_shc_quit, 0, 0, "quit", "leave the shell (also 'exit', Ctrl-D)", "", A_NONE },
	{ "exit", vi_shc_quit, 0, 0, "exit", "leave the shell", "", A_NONE },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, A_NONE }
};

const struct shcmd *vi_sh_find_cmd(const char *name)
{
	for (const struct shcmd *c = vi_sh_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* ---- the interpreter ---- */

/* Split @line into words: blanks separate, quotes group, '#' comments. */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line, *o;

	while (*p) {
		char q = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max)
			return -1;
		w[n++] = o = p;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (!q && (*p == '"' || *p == '\'')) {
				q = *p++;
			} else if (q && *p == q) {
				q = 0;
				p++;
			} else {
				*o++ = *p++;
			}
		}
		if (*p)
			p++;
		*o = '\0';
	}
	return n;
}

int vi_shell_exec(struct vi_shell *sh, const char *line)
{
	char *copy = vi_strdup(line), *w[MAX_WORDS];
	const struct shcmd *c;
	int n = split(copy, w, MAX_WORDS), r;

	if (n == 0) {
		free(copy);
		return 0;
	}
	em_obj_begin(sh->em, NULL, NULL);
	em_detail_begin(sh->em);
	em_str(sh->em, "command", n > 0 ? w[0] : "");
	em_detail_end(sh->em);
	sh->cmd = n > 0 ? w[0] : "shell";
	c = n > 0 ? vi_sh_find_cmd(w[0]) : NULL;
	if (n < 0)
		r = vi_sh_refuse(sh, VI_EXIT_USAGE, "too many words: at most %d", MAX_WORDS);
	else if (!c)
		r = vi_sh_refuse(sh, VI_EXIT_USAGE, "unknown command: type 'help' for the list");
	else if (n - 1 < c->min || n - 1 > c->max)
		r = vi_sh_refuse(sh, VI_EXIT_USAGE, "wrong number of operands: usage: %s",
				 c->usage);
	else
		r = c->fn(sh, n, w);
	em_obj_end(sh->em);
	vi_emit_flush(sh->em);
	if (r && !sh->status)
		sh->status = r;
	sh->cmd = "shell";
	free(copy);
	return r;
}

struct vi_shell *vi_shell_new(struct vi_device *dev, struct vi_emit *em,
			      const struct vi_shell_opts *o)
{
	struct vi_shell *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	sh->dev = dev;
	sh->be = dev->be;
	sh->em = em;
	sh->o = *o;
	sh->write = o->write;
	sh->cmd = "shell";
	return sh;
}

void vi_shell_free(struct vi_shell *sh)
{
	if (!sh)
		return;
	vi_sh_unmap_all(sh, -1);
	free(sh->maps);
	free(sh->comp_cfg);
	for (size_t i = 0; i < sh->nhist; i++)
		free(sh->hist[i]);
	free(sh->hist);
	free(sh);
}

int vi_shell_status(const struct vi_shell *sh)
{
	return sh->status;
}

bool vi_shell_done(const struct vi_shell *sh)
{
	return sh->done;
}

bool vi_shell_writable(const struct vi_shell *sh)
{
	return sh->write;
}

void vi_shell_add_history(struct vi_shell *sh, const char *line)
{
	char **nh;
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return;
	nh = realloc(sh->hist, (sh->nhist + 1) * sizeof(*nh));
	if (!nh)
		return;
	sh->hist = nh;
	sh->hist[sh->nhist] = vi_strdup(line);
	sh->hist[sh->nhist][len] = '\0';
	sh->nhist++;
}

const char *vi_shell_command_name(size_t i)
{
	return i < sizeof(vi_sh_cmds) / sizeof(vi_sh_cmds[0]) ? vi_sh_cmds[i].name : NULL;
}
