// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs-mdev.c - mediated devices from sysfs: the parents the kernel
 * lists in /sys/class/mdev_bus, their supported types with their
 * attributes and instances, and an instance's parent and type.
 *
 * Everything is read through the backend, so a capture answers it; every
 * name is validated (a parent is one path component, a type an mdev type
 * id, an instance a UUID) and what fails is counted, not used; counts are
 * clamped.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture-io.h"
#include "safe.h"
#include "sysfs.h"
#include "util.h"

/* A text attribute: trimmed, at most VI_MDEV_ATTR_MAX bytes (longer is
 * cut, the kernel's own are a line); NULL when absent. */
static char *attr_text(struct vi_backend *be, const char *dir, const char *attr)
{
	char *s = vi_sys_str(be, "%s/%s", dir, attr);
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n > VI_MDEV_ATTR_MAX)
		s[n = VI_MDEV_ATTR_MAX] = '\0';
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* available_instances: a decimal number up to UINT32_MAX (the kernel
 * prints an int or unsigned), else -1: unknown. */
static int64_t attr_count(struct vi_backend *be, const char *dir, const char *attr)
{
	char *s = attr_text(be, dir, attr);
	int64_t v = 0;
	size_t n;

	if (!s)
		return -1;
	n = strlen(s);
	if (n == 0 || n > 10 || strspn(s, "0123456789") != n)
		v = -1;
	for (size_t i = 0; v >= 0 && i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v > (int64_t)UINT32_MAX)
		v = -1;
	free(s);
	return v;
}

static void type_free(struct vi_mdev_type *t)
{
	free(t->id);
	free(t->name);
	free(t->description);
	free(t->device_api);
	vi_names_free(t->devices, t->ndevices);
}

void vi_mdev_parents_free(struct vi_mdev_parent *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < p[i].ntypes; j++)
			type_free(&p[i].types[j]);
		free(p[i].types);
		free(p[i].name);
	}
	free(p);
}

static int load_type(struct vi_backend *be, const char *dir, const char *id,
		     struct vi_mdev_type *t)
{
	char *rel = vi_asprintf("%s/devices", dir), **names = NULL;
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	t->id = vi_strdup(id);
	t->name = attr_text(be, dir, "name");
	t->description = attr_text(be, dir, "description");
	t->device_api = attr_text(be, dir, "device_api");
	t->available = attr_count(be, dir, "available_instances");
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &n) == 0) {
		t->devices = calloc(n + 1, sizeof(*t->devices));
		if (!t->devices) {
			vi_names_free(names, n);
			free(rel);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++) {
			if (t->ndevices < VI_MDEV_MAX_DEVICES && vi_name_ok(VI_NAME_UUID, names[i]))
				t->devices[t->ndevices++] = names[i];
			else {
				t->bad_devices++;
				free(names[i]);
			}
		}
		free(names);
	}
	free(rel);
	return 0;
}

static int load_parent(struct vi_backend *be, const char *name, struct vi_mdev_parent *p)
{
	char *rel = vi_asprintf("class/mdev_bus/%s/mdev_supported_types", name), **ids = NULL;
	size_t n = 0;
	int r = 0;

	memset(p, 0, sizeof(*p));
	p->name = vi_strdup(name);
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &ids, &n) == 0) {
		p->types = calloc(n + 1, sizeof(*p->types));
		if (!p->types)
			r = -ENOMEM;
		for (size_t i = 0; i < n && r == 0; i++) {
			char *dir;

			if (p->ntypes >= VI_MDEV_MAX_TYPES || !vi_name_ok(VI_NAME_MDEV_TYPE, ids[i])) {
				p->bad_types++;
				continue;
			}
			dir = vi_asprintf("%s/%s", rel, ids[i]);
			r = load_type(be, dir, ids[i], &p->types[p->ntypes]);
			if (r == 0)
				p->ntypes++;
			free(dir);
		}
		vi_names_free(ids, n);
	}
	free(rel);
	return r;
}

int vi_mdev_parents_load(struct vi_backend *be, struct vi_mdev_parents *out)
{
	char **names = NULL;
	size_t n = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (be->ops->list_dir(be, VI_NS_SYS, "class/mdev_bus", &names, &n) != 0)
		return -ENOENT;
	out->present = true;
	out->v = calloc(n + 1, sizeof(*out->v));
	if (!out->v) {
		vi_names_free(names, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		if (out->n >= VI_MDEV_MAX_PARENTS || !vi_name_ok(VI_NAME_COMPONENT, names[i])) {
			out->bad_parents++;
			continue;
		}
		r = load_parent(be, names[i], &out->v[out->n]);
		out->n++;
	}
	vi_names_free(names, n);
	if (r) {
		vi_mdev_parents_free(out->v, out->n);
		memset(out, 0, sizeof(*out));
	}
	return r;
}

int vi_mdev_of(struct vi_backend *be, const char *devpath, char **parent, char **type)
{
	char *rel = vi_asprintf("%s/mdev_type", devpath), *l = NULL;
	int r = -ENOENT;

	*parent = *type = NULL;
	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0) {
		/* "../mdev_supported_types/mtty-2" (or the type's full path) */
		const char *b = vi_basename(l);

		if (vi_name_ok(VI_NAME_MDEV_TYPE, b))
			*type = vi_strdup(b);
		r = 0;
	}
	free(l);
	free(rel);
	if (r)
		return r;
	/* the parent is the directory that holds the instance:
	 * devices/virtual/mtty/mtty/UUID, devices/pci0000:00/0000:00:02.0/UUID */
	l = NULL;
	if (be->ops->readlink(be, VI_NS_SYS, devpath, &l) == 0) {
		char *norm = vi_path_normalize(l), *slash = norm ? strrchr(norm, '/') : NULL;

		if (slash) {
			*slash = '\0';
			if (vi_name_ok(VI_NAME_COMPONENT, vi_basename(norm)) &&
			    strcmp(vi_basename(norm), "devices") != 0)
				*parent = vi_strdup(vi_basename(norm));
		}
		free(norm);
	}
	free(l);
	return 0;
}
