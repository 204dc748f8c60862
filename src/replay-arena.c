// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-arena.c - the memory of a loaded capture's model (replay-int.h,
 * struct rp_chunk): pieces packed into chunks of ARENA_CHUNK bytes, freed
 * all at once with the capture.  A piece larger than a quarter of a chunk
 * gets a chunk of its own, placed behind the one being filled.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "replay-int.h"

/* 256 KiB less malloc's bookkeeping: a chunk is one mapping of its own
 * (above malloc's mmap threshold), so the heap keeps only what is freed
 * while loading. */
#define ARENA_CHUNK	(256 * 1024 - 64)
#define ALIGN		8

static struct rp_chunk *chunk_new(size_t cap)
{
	struct rp_chunk *k = malloc(sizeof(*k) + cap);

	if (k) {
		k->used = 0;
		k->cap = cap;
	}
	return k;
}

void *rp_keep(struct loadctx *c, size_t n)
{
	struct rp_chunk *k;
	size_t at;

	if (!c->arena || n > SIZE_MAX - sizeof(*k) - ALIGN)
		return NULL;
	k = *c->arena;
	if (n > ARENA_CHUNK / 4) {
		struct rp_chunk *own = chunk_new(n);

		if (!own)
			return NULL;
		own->used = n;
		if (k) {
			own->next = k->next;
			k->next = own;
		} else {
			own->next = NULL;
			*c->arena = own;
		}
		return own->b;
	}
	at = k ? (k->used + ALIGN - 1) & ~(size_t)(ALIGN - 1) : 0;
	if (!k || at > k->cap || k->cap - at < n) {
		k = chunk_new(ARENA_CHUNK);
		if (!k)
			return NULL;
		k->next = *c->arena;
		*c->arena = k;
		at = 0;
	}
	k->used = at + n;
	return k->b + at;
}

char *rp_keep_str(struct loadctx *c, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = rp_keep(c, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

void rp_arena_free(struct rp_chunk **arena)
{
	while (*arena) {
		struct rp_chunk *k = *arena;

		*arena = k->next;
		free(k);
	}
}
