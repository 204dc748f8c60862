/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmds.h - command handlers, the options they share, exit statuses. */
#ifndef VFIO_INFO_CMDS_H
#define VFIO_INFO_CMDS_H

#include <stdbool.h>
#include <stdint.h>

#include "inspect.h"

/* Exit statuses (documented in vfio-info(1), EXIT STATUS). */
enum {
	VI_EXIT_OK = 0,
	VI_EXIT_FAILURE = 1,	/* a kernel call or file failed */
	VI_EXIT_USAGE = 2,	/* bad command line */
	VI_EXIT_NOTFOUND = 3,	/* no such target, or not usable through VFIO */
	VI_EXIT_PERM = 4,	/* permission denied */
	VI_EXIT_BUSY = 5,	/* device or group in use */
	VI_EXIT_PARTIAL = 6,	/* output complete but some data was malformed */
	VI_EXIT_CHECK = 7,	/* doctor: at least one check failed */
};

struct vi_opts {
	bool json, pretty, verbose, all;
	bool prometheus;	/* list/doctor --format=prometheus (prom.c) */
	bool color;		/* --color: colour the text output */
	bool probe;		/* doctor --probe: open the device too */
	bool host;		/* capture --host: also what list and doctor read */
	const char *replay;	/* capture file, or NULL for the live system */
	const char *sysroot;	/* --sysroot DIR: sysfs, procfs, /dev below DIR */
	uint64_t replay_max;	/* --replay-max-size: 0 for the default */
	unsigned int *malformed; /* counts what a capture holds that no kernel answers */
	const char *output;	/* capture -o */
	const char *vf_token;
	const char *abi;	/* --abi list as given */
	unsigned int profiles;
	enum vi_flow flow;
	char **args;		/* command operands */
	int nargs;
	bool write;		/* shell --write */
	char **cmds;		/* shell -c CMD, in order */
	int ncmds;
};

int vi_exit_for_errno(int err);
void vi_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_dump(struct vi_opts *o);
int cmd_capture(struct vi_opts *o);
int cmd_caps(struct vi_opts *o);
int cmd_shell(struct vi_opts *o);	/* cmd-shell.c */

/* Shared by the commands (cmd-common.c). */
struct vi_backend *vi_open_backend(const struct vi_opts *o, int *status);
/* stdout, text or JSON, -v and --pretty as the options say */
struct vi_emit *vi_output_emitter(const struct vi_opts *o);
/* inspect report callback: the message to stderr; ctx: unsigned counter or NULL */
void vi_report_stderr(void *ctx, int err, const char *msg);
/* VI_PROF_* bits a capture's "profiles" list asks for */
unsigned int vi_capture_profiles(const struct vi_backend *be);

/* list and doctor (cmd-list.c, cmd-doctor.c) */
struct vi_pciids;
struct vi_pcidev;
struct vi_holders;
int cmd_list(struct vi_opts *o);
int cmd_doctor(struct vi_opts *o);
int vi_list_run(const struct vi_opts *o, struct vi_backend *be, struct vi_emit *em);
int vi_doctor_run(const struct vi_opts *o, struct vi_backend *be, struct vi_emit *em);
/* capture --host: what list, doctor (on every PCI device) and --all read,
 * and the host's environment, read through the recorder @be
 * (cmd-capture-host.c). */
int vi_capture_host_facts(const struct vi_opts *o, struct vi_backend *be);
/* capture of TARGETs: for each mdev among @t, what list and doctor read
 * of it (cmd-capture-host.c). */
struct vi_targets;
void vi_capture_mdev_facts(const struct vi_opts *o, struct vi_backend *be,
			   const struct vi_targets *t);
void vi_emit_node(struct vi_emit *em, const char *key, const char *path,
		  const struct vi_nodeinfo *st);
void vi_emit_holders(struct vi_emit *em, const struct vi_holders *h, const char *node);

#endif
