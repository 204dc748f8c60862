/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmds.h - command handlers, the options they share, exit statuses. */
#ifndef VFIO_INFO_CMDS_H
#define VFIO_INFO_CMDS_H

#include <stdbool.h>

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
};

struct vi_opts {
	bool json, pretty, verbose, all;
	const char *replay;	/* capture file, or NULL for the live system */
	const char *output;	/* capture -o */
	const char *vf_token;
	const char *abi;	/* --abi list as given */
	unsigned int profiles;
	enum vi_flow flow;
	char **args;		/* command operands */
	int nargs;
};

int vi_exit_for_errno(int err);
void vi_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_dump(struct vi_opts *o);
int cmd_capture(struct vi_opts *o);
int cmd_caps(struct vi_opts *o);

#endif
