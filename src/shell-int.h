/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shell-int.h - what the shell's files share: the session, the command
 * table's row, the argument checks and refusals, and each command.
 *
 * shell.c holds the interpreter and the table (vi_sh_cmds); the commands
 * live by family in shell-device.c, shell-region.c, shell-config.c and
 * shell-irq.c; help in shell-help.c, completion in shell-complete.c.  Not
 * for use outside them.
 */
#ifndef VFIO_INFO_SHELL_INT_H
#define VFIO_INFO_SHELL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "shell.h"

#define MAX_WORDS	16
#define MAX_DUMP	65536u
#define MAX_CONFIG	4096u
#define MAX_SOURCE	8	/* nesting of `source` */

#define R_READ		(1u << 0)
#define R_WRITE		(1u << 1)
#define R_MMAP		(1u << 2)

struct mapping {
	uint32_t region;
	uint64_t off;		/* in the region */
	size_t len;
	void *addr;
};

struct vi_shell {
	struct vi_device *dev;
	struct vi_backend *be;
	struct vi_emit *em;
	struct vi_shell_opts o;
	bool write, done;
	int status;
	unsigned int depth;
	const char *cmd;	/* name of the command running */
	char **hist;
	size_t nhist;
	struct mapping *maps;
	size_t nmaps;
	/* completion (shell-complete.c): config space read when it starts,
	 * the last candidate's number and its shown form */
	uint8_t *comp_cfg;
	size_t comp_len;
	char comp_num[16], comp_show[112];
};

typedef int vi_shc_fn(struct vi_shell *sh, int argc, char **argv);

/* One row of the command table (shell.c). */
struct shcmd {
	const char *name;
	vi_shc_fn *fn;
	int min, max;		/* operands */
	const char *usage;
	const char *summary;
	const char *help;
	enum { A_NONE, A_REGION, A_BAR, A_COMMAND, A_SET, A_CONFIG, A_IRQ } arg;
};

extern const struct shcmd vi_sh_cmds[];	/* ends with a NULL name */
const struct shcmd *vi_sh_find_cmd(const char *name);

/* ---- refusals (shell.c) ---- */

/* One line on stderr, the same text in the command's JSON object;
 * returns @status. */
int vi_sh_refuse(struct vi_shell *sh, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failed system call (@err is -errno) as a refusal. */
int vi_sh_sys_fail(struct vi_shell *sh, long err, const char *what);

/* ---- arguments (shell.c) ---- */

bool vi_sh_parse_u64(const char *s, uint64_t *v);
const char *vi_sh_region_label(const struct vi_region *rg, char *buf, size_t len);
/* A region by index or name; NULL after a refusal. */
struct vi_region *vi_sh_find_region(struct vi_shell *sh, const char *arg);
/* Size and flag (R_*) checks, before any system call: 0 or a refusal. */
int vi_sh_check_access(struct vi_shell *sh, const struct vi_region *rg, uint64_t off,
		       uint64_t len, uint32_t need);
int vi_sh_parse_width(struct vi_shell *sh, const char *arg, unsigned int *w);
int vi_sh_parse_offset(struct vi_shell *sh, const char *arg, uint64_t *off);

static inline bool vi_sh_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* ---- config space (shell-config.c) ---- */

struct vi_region *vi_sh_config_region(struct vi_shell *sh);
/* Read config space; the caller frees *buf.  Returns bytes or -errno. */
long vi_sh_read_config(struct vi_shell *sh, uint8_t **buf);
bool vi_sh_msix_of(struct vi_shell *sh, struct vi_pci_msix *m);

/* ---- regions (shell-region.c) ---- */

bool vi_sh_is_bar(const struct vi_shell *sh, const struct vi_region *rg);
/* Drop the mappings of @region, or all of them (-1). */
void vi_sh_unmap_all(struct vi_shell *sh, int region);

/* ---- the commands ---- */

/* shell-device.c */
vi_shc_fn vi_shc_info, vi_shc_caps, vi_shc_hot_reset_info, vi_shc_features, vi_shc_reset;
/* shell-region.c */
vi_shc_fn vi_shc_regions, vi_shc_read, vi_shc_write, vi_shc_dump, vi_shc_layout,
	vi_shc_mmap, vi_shc_unmap;
/* shell-config.c */
vi_shc_fn vi_shc_config;
/* shell-irq.c */
vi_shc_fn vi_shc_irqs, vi_shc_irq;
/* shell.c: the session */
vi_shc_fn vi_shc_set, vi_shc_history, vi_shc_source, vi_shc_quit;
/* shell-help.c */
vi_shc_fn vi_shc_help;

#endif
