// SPDX-License-Identifier: GPL-2.0-or-later
/* pciids.c - pci.ids lookups (the file is read once, searched in memory). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pciids.h"
#include "sysfs.h"
#include "util.h"

#define PCIIDS_MAX	(16u << 20)

struct vi_pciids {
	char *text;
	size_t len;
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
	return db;
}

void vi_pciids_close(struct vi_pciids *db)
{
	if (db) {
		free(db->text);
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

static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

/* A top-level line "PREFIX  name" (PREFIX e.g. "8086" or "C 02"). */
static const char *find_top(const struct vi_pciids *db, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = db ? db->text : NULL; p && *p; p = next_line(p))
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ' && p[n + 1] == ' ')
			return p;
	return NULL;
}

/* A one-tab child "\tKEY  name" of the top-level line at @top. */
static char *find_child(const char *top, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = next_line(top); p && *p; p = next_line(p)) {
		if (*p == '#')
			continue;
		if (*p != '\t')
			break;
		if (p[1] != '\t' && strncmp(p + 1, key, n) == 0 && p[1 + n] == ' ' &&
		    p[2 + n] == ' ')
			return name_at(p + n + 3);
	}
	return NULL;
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
	return find_child(p, key);
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
	s = find_child(p, key);
	return s ? s : name_at(p + 6);
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

/* The one-tab line "\tKEY  name" under @top (not a copy). */
static const char *find_child_line(const char *top, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = next_line(top); p && *p; p = next_line(p)) {
		if (*p == '#')
			continue;
		if (*p != '\t')
			break;
		if (p[1] != '\t' && strncmp(p + 1, key, n) == 0 && p[1 + n] == ' ' &&
		    p[2 + n] == ' ')
			return p;
	}
	return NULL;
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
		p = find_child_line(p, key);
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
		p = find_child_line(p, key);
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
