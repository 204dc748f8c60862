// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-complete.c - the shell's completion: command names, region and
 * irq names, options, settings, and config register offsets in their
 * order, each shown with the register's name.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell-int.h"

#define SHOW_MAX	sizeof(((struct vi_shell *)0)->comp_show)

/* Config space as the decoder names it, read when a completion starts:
 * the header's registers even when nothing can be read. */
static void config_refresh(struct vi_shell *sh)
{
	uint8_t *cfg = NULL;
	long n = vi_sh_read_config(sh, &cfg);

	free(sh->comp_cfg);
	sh->comp_cfg = NULL;
	sh->comp_len = 0;
	if (n < 0x40) {
		free(cfg);
		cfg = calloc(1, 0x40);
		n = cfg ? 0x40 : 0;
	}
	sh->comp_cfg = cfg;
	sh->comp_len = (size_t)n;
}

/*
 * The next register of config space at or after *@state - 1 whose offset
 * @prefix begins, in the order of the offsets.  The number is written as
 * typed so far: "0x4" for "", "0x" or "0x4", "0x04" for "0x0"; the shown
 * form (vi_shell_complete_display) is "0x04 Command", "0x1a0 [1a0] ...".
 */
static const char *config_offset(struct vi_shell *sh, const char *prefix, unsigned int *state)
{
	struct vi_bytes b;
	size_t pl = strlen(prefix);
	uint32_t off;

	if (*state == 0)
		config_refresh(sh);
	b = vi_bytes_make(sh->comp_cfg, sh->comp_len, false);
	for (off = *state ? *state - 1 : 0; off < sh->comp_len; ) {
		struct vi_pci_reg r;
		bool named = vi_pci_reg_at(b, off, &r);
		uint32_t at = off;
		char plain[16], padded[16];
		const char *name = r.name;

		off = r.off + r.size > off ? r.off + r.size : off + 1;
		*state = off + 1;
		if (!named || r.off != at)
			continue;
		snprintf(plain, sizeof(plain), "0x%x", at);
		snprintf(padded, sizeof(padded), at < 0x100 ? "0x%02x" : "0x%03x", at);
		if (strncasecmp(plain, prefix, pl) == 0)
			memcpy(sh->comp_num, plain, sizeof(plain));
		else if (strncasecmp(padded, prefix, pl) == 0)
			memcpy(sh->comp_num, padded, sizeof(padded));
		else
			continue;
		if (strncmp(name, "header: ", 8) == 0)
			name += 8;
		snprintf(sh->comp_show, SHOW_MAX, "%s %s", padded, name);
		return sh->comp_num;
	}
	return NULL;
}

const char *vi_shell_complete(struct vi_shell *sh, int word, char **words, int nwords,
			      const char *prefix, unsigned int *state)
{
	size_t pl = strlen(prefix);
	const struct shcmd *c = nwords > 0 ? vi_sh_find_cmd(words[0]) : NULL;

	sh->comp_show[0] = '\0';

	if (word == 0) {
		for (; vi_sh_cmds[*state].name; ) {
			const char *n = vi_sh_cmds[(*state)++].name;
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (!c)
		return NULL;
	if (word == 1 && c->arg == A_COMMAND) {
		for (; vi_sh_cmds[*state].name; ) {
			const char *n = vi_sh_cmds[(*state)++].name;
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (word == 1 && c->arg == A_SET)
		return (*state)++ == 0 && strncmp("write", prefix, pl) == 0 ? "write" : NULL;
	if (word == 2 && c->arg == A_SET) {
		static const char *const onoff[] = { "on", "off", NULL };
		while (onoff[*state]) {
			const char *n = onoff[(*state)++];
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if ((word == 1 && c->arg == A_CONFIG) || (word >= 2 && c->arg == A_IRQ)) {
		static const char *const config_opts[] = { "--physical", "--diff", NULL };
		static const char *const irq_opts[] = { "--loopback", "--wait", NULL };
		const char *const *opts = c->arg == A_CONFIG ? config_opts : irq_opts;

		if (c->arg == A_IRQ && nwords > 0 && strcmp(words[nwords - 1], "--wait") == 0)
			return NULL;
		while (opts[*state]) {
			const char *n = opts[(*state)++];
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (word == 1 && c->arg == A_IRQ) {
		static char lower[32];

		while (*state < sh->dev->nirqs) {
			struct vi_irq *iq = &sh->dev->irqs[(*state)++];

			if (!iq->name[0] || !iq->ok)
				continue;
			for (size_t i = 0; i < sizeof(lower) - 1; i++) {
				lower[i] = (char)tolower((unsigned char)iq->name[i]);
				if (!iq->name[i])
					break;
			}
			lower[sizeof(lower) - 1] = '\0';
			if (strncasecmp(lower, prefix, pl) == 0)
				return lower;
		}
		return NULL;
	}
	if (word == 1 && (c->arg == A_REGION || c->arg == A_BAR)) {
		while (*state < sh->dev->nregions) {
			struct vi_region *rg = &sh->dev->regions[(*state)++];
			static char lower[48];

			if (!rg->name[0] || !rg->ok || !rg->size)
				continue;
			if (c->arg == A_BAR && !vi_sh_is_bar(sh, rg))
				continue;
			for (size_t i = 0; i < sizeof(lower) - 1; i++) {
				lower[i] = (char)tolower((unsigned char)rg->name[i]);
				if (!rg->name[i])
					break;
			}
			lower[sizeof(lower) - 1] = '\0';
			if (strncasecmp(lower, prefix, pl) == 0)
				return lower;
		}
		return NULL;
	}
	if (word == 2 && c->arg == A_REGION && nwords > 1 && strcasecmp(words[1], "config") == 0 &&
	    (c->fn == vi_shc_read || c->fn == vi_shc_write || c->fn == vi_shc_dump)) {
		return config_offset(sh, prefix, state);
	}
	return NULL;
}

const char *vi_shell_complete_display(const struct vi_shell *sh)
{
	return sh->comp_show[0] ? sh->comp_show : NULL;
}
