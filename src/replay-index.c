// SPDX-License-Identifier: GPL-2.0-or-later
/* replay-index.c - the replay backend's indexes, built once a capture is
 * loaded: devices by name and by cdev, groups by name (the capture's
 * "groups" and the devices' "group"), each a sorted array searched by
 * bisection; and every call list sorted by ioctl, so that the calls of
 * one ioctl are a range.  Nothing here scans a whole capture per call. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay-int.h"

static int cmp_ref(const void *a, const void *b)
{
	const struct rp_ref *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	return d ? d : x->i < y->i ? -1 : x->i > y->i;
}

/* The first ref at or after @key. */
static size_t lower_bound(const struct rp_index *x, const char *key)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long replay_index_find(const struct rp_index *x, const char *key)
{
	size_t at = lower_bound(x, key);

	if (at < x->n && strcmp(x->v[at].key, key) == 0)
		return (long)x->v[at].i;
	return -1;
}

static int index_add(struct rp_index *x, size_t cap, const char *key, size_t i)
{
	if (!key)
		return 0;
	if (!x->v) {
		x->v = calloc(cap + 1, sizeof(*x->v));
		if (!x->v)
			return -ENOMEM;
	}
	x->v[x->n++] = (struct rp_ref){ key, i };
	return 0;
}

static void index_sort(struct rp_index *x)
{
	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), cmp_ref);
}

/* ---- calls by ioctl ---- */

struct call_pos {
	struct rp_call c;
	size_t pos;
};

static int cmp_call_pos(const void *a, const void *b)
{
	const struct call_pos *x = a, *y = b;

	if (x->c.desc->ioc != y->c.desc->ioc)
		return x->c.desc->ioc < y->c.desc->ioc ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

int replay_calls_sort(struct rp_calls *cs)
{
	struct call_pos *t;
	bool sorted = true;

	for (size_t i = 1; i < cs->n && sorted; i++)
		sorted = cs->v[i - 1].desc->ioc <= cs->v[i].desc->ioc;
	if (sorted)
		return 0;
	t = malloc(cs->n * sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < cs->n; i++)
		t[i] = (struct call_pos){ cs->v[i], i };
	qsort(t, cs->n, sizeof(*t), cmp_call_pos);
	for (size_t i = 0; i < cs->n; i++)
		cs->v[i] = t[i].c;
	free(t);
	return 0;
}

void replay_calls_range(const struct rp_calls *cs, enum vi_ioc ioc, size_t *lo, size_t *hi)
{
	size_t a = 0, b = cs->n;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (cs->v[mid].desc->ioc < ioc)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	b = cs->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (cs->v[mid].desc->ioc <= ioc)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}

int replay_index_build(struct replay *r)
{
	for (size_t i = 0; i < r->ndevs; i++) {
		struct rp_device *d = &r->devs[i];

		if (index_add(&r->dev_by_name, r->ndevs, d->name, i) < 0 ||
		    index_add(&r->dev_by_cdev, r->ndevs, d->cdev, i) < 0 ||
		    index_add(&r->dev_groups, r->ndevs, d->group, i) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < r->ngroups; i++) {
		if (index_add(&r->group_by_name, r->ngroups, r->groups[i].name, i) < 0)
			return -ENOMEM;
	}
	index_sort(&r->dev_by_name);
	index_sort(&r->dev_by_cdev);
	index_sort(&r->dev_groups);
	index_sort(&r->group_by_name);
	return 0;
}

void replay_index_free(struct replay *r)
{
	free(r->dev_by_name.v);
	free(r->dev_by_cdev.v);
	free(r->dev_groups.v);
	free(r->group_by_name.v);
	memset(&r->dev_by_name, 0, sizeof(r->dev_by_name));
	memset(&r->dev_by_cdev, 0, sizeof(r->dev_by_cdev));
	memset(&r->dev_groups, 0, sizeof(r->dev_groups));
	memset(&r->group_by_name, 0, sizeof(r->group_by_name));
}
