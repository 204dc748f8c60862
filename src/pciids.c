// SPDX-License-Identifier: GPL-2.0-or-later
/* pciids.c - pci.ids lookups (the file is read once, searched in memory). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pciids.h"
#include "sysfs.h"
#include "util.h"

#define PCIIDS_MAX	(16u << 20)

/* A top-level line ("8086  Intel..." or "C 02  Network...") by its key,
 * the text before the first two spaces, and a one-tab child line
 * ("\t10d3  82574L...") by its top-level line and key: the index is
 * sorted by (parent, key, place in the file), built in one pass when the
 * file is read, so that a lookup is a binary search, not a scan. */
struct top_entry {
	uint32_t parent;	/* TOP, or a child's top-level line offset */
	char key[8];		/* NUL-padded */
	uint32_t off;		/* the line's offset in text */
};

#define TOP	UINT32_MAX

struct vi_pciids {
	char *text;
	size_t len;
	struct top_entry *top;
	size_t ntop;
};

static const char *const default_paths[] = {
	"/usr/share/misc/pci.ids",
	"/usr/share/hwdata/pci.ids",
	"/usr/share/pci.ids",
	NULL
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t r;

		if (n + 65536 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 1u << 20;
			if (cap > PCIIDS_MAX + 65536 + 1)
				break;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		r = fread(buf + n, 1, 65536, f);
		n += r;
		if (r < 65536)
			break;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int cmp_top(const void *a, const void *b)
{
	const struct top_entry *x = a, *y = b;
	int d;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	d = memcmp(x->key, y->key, sizeof(x->key));

	return d ? d : x->off < y->off ? -1 : x->off > y->off;
}

/* Index every line whose key (before the first "  ") is 1 to 7 bytes and
 * does not start a comment or a child; the file ends at its first NUL as
 * for the string functions. */
static int index_top(struct vi_pciids *db)
{
	size_t cap = 4096;
	const char *p = db->text;
	uint32_t block = TOP;	/* the line a child belongs to, if any */

	db->top = malloc(cap * sizeof(*db->top));
	if (!db->top)
		return -1;
	while (p && *p) {
		const char *eol = strchr(p, '\n'), *sp, *k = NULL;
		uint32_t parent = TOP;
		size_t n;

		if (*p != '\t' && *p != '#') {
			/* a child's search stops at any such line */
			block = (uint32_t)(p - db->text);
			k = p;
		} else if (p[0] == '\t' && p[1] != '\t' && block != TOP) {
			k = p + 1;
			parent = block;
		}
		if (k) {
			for (sp = k; *sp && *sp != '\n' && !(sp[0] == ' ' && sp[1] == ' '); sp++)
				;
			n = (size_t)(sp - k);
			if (sp[0] == ' ' && sp[1] == ' ' && n && n < sizeof(db->top->key)) {
				struct top_entry *e;

				if (db->ntop == cap) {
					struct top_entry *nt = realloc(db->top, 2 * cap * sizeof(*nt));

					if (!nt)
						return -1;
					db->top = nt;
					cap *= 2;
				}
				e = &db->top[db->ntop++];
				e->parent = parent;
				memset(e->key, 0, sizeof(e->key));
				memcpy(e->key, k, n);
				e->off = (uint32_t)(p - db->text);
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	qsort(db->top, db->ntop, sizeof(*db->top), cmp_top);
	return 0;
}

struct vi_pciids *vi_pciids_open(void)
{
	const char *env = getenv("VFIO_INFO_PCI_IDS");
	struct vi_pciids *db;
	char *text = NULL;
	size_t len = 0;

	if (env) {
		if (!*env)
			return NULL;
		text = slurp(env, &len);
	} else {
		for (int i = 0; default_paths[i] && !text; i++)
			text = slurp(default_paths[i], &len);
	}
	if (!text)
		return NULL;
	db = malloc(sizeof(*db));
	if (!db) {
		free(text);
		return NULL;
	}
	db->text = text;
	db->len = len;
	db->top = NULL;
	db->ntop = 0;
	if (index_top(db) < 0) {
		vi_pciids_close(db);
		return NULL;
	}
	return db;
}

void vi_pciids_close(struct vi_pciids *db)
{
	if (db) {
		free(db->text);
		free(db->top);
		free(db);
	}
}

/* The name after "KEY  " on a line, malloc'ed. */
static char *name_at(const char *p)
{
	const char *e = strchr(p, '\n');
	size_t n = e ? (size_t)(e - p) : strlen(p);
	char *s;

	while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* The first line indexed under (@parent, @prefix), or NULL. */
static const char *find_line(const struct vi_pciids *db, uint32_t parent, const char *prefix)
{
	struct top_entry key;
	size_t n = strlen(prefix), lo = 0, hi;

	if (!db || !n || n >= sizeof(key.key))
		return NULL;
	key.parent = parent;
	memset(key.key, 0, sizeof(key.key));
	memcpy(key.key, prefix, n);
	key.off = 0;
	hi = db->ntop;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_top(&db->top[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < db->ntop && db->top[lo].parent == parent &&
	    memcmp(db->top[lo].key, key.key, sizeof(key.key)) == 0)
		return db->text + db->top[lo].off;
	return NULL;
}

/* A top-level line "PREFIX  name" (PREFIX e.g. "8086" or "C 02"). */
static const char *find_top(const struct vi_pciids *db, const char *prefix)
{
	return find_line(db, TOP, prefix);
}

/* A one-tab child "\tKEY  name" of the top-level line at @top (up to the
 * next line that is neither a child nor a comment). */
static char *find_child(const struct vi_pciids *db, const char *top, const char *key)
{
	const char *p = find_line(db, (uint32_t)(top - db->text), key);

	return p ? name_at(p + strlen(key) + 3) : NULL;
}

char *vi_pciids_vendor(const struct vi_pciids *db, unsigned int vendor)
{
	char key[8];
	const char *p;

	snprintf(key, sizeof(key), "%04x", vendor & 0xffff);
	p = find_top(db, key);
	return p ? name_at(p + 6) : NULL;
}

char *vi_pciids_device(const struct vi_pciids *db, unsigned int vendor, unsigned int device)
{
	char key[8];
	const char *p;

	snprintf(key, sizeof(key), "%04x", vendor & 0xffff);
	p = find_top(db, key);
	if (!p)
		return NULL;
	snprintf(key, sizeof(key), "%04x", device & 0xffff);
	return find_child(db, p, key);
}

char *vi_pciids_class(const struct vi_pciids *db, unsigned int class24)
{
	char key[8];
	const char *p;
	char *s;

	snprintf(key, sizeof(key), "C %02x", (class24 >> 16) & 0xff);
	p = find_top(db, key);
	if (!p)
		return NULL;
	snprintf(key, sizeof(key), "%02x", (class24 >> 8) & 0xff);
	s = find_child(db, p, key);
	return s ? s : name_at(p + 6);
}

/* The line after the one at @p, or NULL at the end. */
static const char *next_line(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? e + 1 : NULL;
}

/* A two-tab child "\t\tKEY  name" of the one-tab line at @mid. */
static char *find_grandchild(const char *mid, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = next_line(mid); p && *p; p = next_line(p)) {
		if (*p == '#')
			continue;
		if (p[0] != '\t' || p[1] != '\t')
			break;
		if (strncmp(p + 2, key, n) == 0 && p[2 + n] == ' ' && p[3 + n] == ' ')
			return name_at(p + n + 4);
	}
	return NULL;
}

/* The one-tab line "\tKEY  name" under @top (not a copy), from the index. */
static const char *find_child_line(const struct vi_pciids *db, const char *top, const char *key)
{
	return find_line(db, (uint32_t)(top - db->text), key);
}

char *vi_pciids_subsystem(const struct vi_pciids *db, unsigned int vendor, unsigned int device,
			  unsigned int subvendor, unsigned int subdevice)
{
	char key[16];
	const char *p;

	snprintf(key, sizeof(key), "%04x", vendor & 0xffff);
	p = find_top(db, key);
	if (p) {
		snprintf(key, sizeof(key), "%04x", device & 0xffff);
		p = find_child_line(db, p, key);
	}
	if (!p)
		return NULL;
	snprintf(key, sizeof(key), "%04x %04x", subvendor & 0xffff, subdevice & 0xffff);
	return find_grandchild(p, key);
}

char *vi_pciids_prog_if(const struct vi_pciids *db, unsigned int class24)
{
	char key[8];
	const char *p;

	snprintf(key, sizeof(key), "C %02x", (class24 >> 16) & 0xff);
	p = find_top(db, key);
	if (p) {
		snprintf(key, sizeof(key), "%02x", (class24 >> 8) & 0xff);
		p = find_child_line(db, p, key);
	}
	if (!p)
		return NULL;
	snprintf(key, sizeof(key), "%02x", class24 & 0xff);
	return find_grandchild(p, key);
}

char *vi_pci_describe(const struct vi_pciids *db, const struct vi_pcidev *d)
{
	char *cls, *ven, *dev, *res, rev[32] = "";

	if (!d->pci)
		return vi_strdup(d->driver ? d->driver : "non-PCI device");
	cls = d->class >= 0 ? vi_pciids_class(db, (unsigned int)d->class) : NULL;
	ven = vi_pciids_vendor(db, (unsigned int)d->vendor);
	dev = vi_pciids_device(db, (unsigned int)d->vendor, (unsigned int)d->device);
	if (d->revision > 0)
		snprintf(rev, sizeof(rev), " (rev %02lx)", d->revision);
	res = vi_asprintf("%s [%04lx]: %s%s%s [%04lx:%04lx]%s",
			  cls ? cls : "Class", d->class >= 0 ? (d->class >> 8) & 0xffff : 0,
			  ven ? ven : "Device", dev ? " " : "", dev ? dev : "",
			  d->vendor, d->device, rev);
	free(cls);
	free(ven);
	free(dev);
	return res;
}
