// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-complete.c - the shell's completion: command names, region and
 * irq names, options, settings and config register offsets.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "shell-int.h"

static const char *const config_offsets[] = {
	"0x0", "0x2", "0x4", "0x6", "0x8", "0xc", "0xe", "0x10", "0x14", "0x18", "0x1c",
	"0x20", "0x24", "0x2c", "0x30", "0x34", "0x3c", NULL
};

const char *vi_shell_complete(struct vi_shell *sh, int word, char **words, int nwords,
			      const char *prefix, unsigned int *state)
{
	size_t pl = strlen(prefix);
	const struct shcmd *c = nwords > 0 ? vi_sh_find_cmd(words[0]) : NULL;

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
		while (config_offsets[*state]) {
			const char *n = config_offsets[(*state)++];
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
	}
	return NULL;
}
