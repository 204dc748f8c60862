// SPDX-License-Identifier: GPL-2.0-or-later
/* target.c - TARGET resolution through the backend. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "util.h"

void vi_targets_free(struct vi_targets *t)
{
	vi_devref_free(t->v, t->n);
	t->v = NULL;
	t->n = 0;
}

static int add(struct vi_targets *out, const struct vi_devref *d)
{
	struct vi_devref *n;

	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->v[i].name, d->name) == 0)
			return 0;
	n = realloc(out->v, (out->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	out->v = n;
	out->v[out->n].name = vi_strdup(d->name);
	out->v[out->n].group = vi_strdup(d->group);
	out->v[out->n].cdev = vi_strdup(d->cdev);
	out->n++;
	return 0;
}

char *vi_sysfs_driver(struct vi_backend *be, const char *devpath)
{
	char *rel = vi_asprintf("%s/driver", devpath), *link = NULL, *drv = NULL;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &link) == 0) {
		drv = vi_strdup(vi_basename(link));
		free(link);
	}
	free(rel);
	return drv;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Where a device of this name lives in sysfs, if anywhere. */
static char *find_sysfs_dev(struct vi_backend *be, const char *name)
{
	static const char *const buses[] = { "pci", "platform", "amba", "mdev",
					     "fsl-mc", "cdx", "css", "ap", NULL };
	for (int i = 0; buses[i]; i++) {
		char *rel = vi_asprintf("bus/%s/devices/%s", buses[i], name), *l = NULL;
		if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0) {
			free(l);
			return rel;
		}
		free(rel);
	}
	return NULL;
}

/* Explain why a device that exists is not in the VFIO list. */
static int explain_device(struct vi_backend *be, const char *name, char *msg, size_t len)
{
	char *dev = find_sysfs_dev(be, name), *drv;

	if (!dev) {
		snprintf(msg, len, "no device %s: list PCI addresses with lspci -D",
			 name);
		return -ENOENT;
	}
	drv = vi_sysfs_driver(be, dev);
	if (!drv)
		snprintf(msg, len, "%s is not bound to any driver; bind it to vfio-pci: "
			 "driverctl set-override %s vfio-pci", name, name);
	else
		snprintf(msg, len, "%s is bound to %s, not to a VFIO driver; rebind it: "
			 "driverctl set-override %s vfio-pci", name, drv, name);
	free(drv);
	free(dev);
	return -ENXIO;
}

static int by_group(struct vi_backend *be, const struct vi_devref *list, size_t n,
		    const char *group, struct vi_targets *out, char *msg, size_t len)
{
	const char *num = strncmp(group, "noiommu-", 8) == 0 ? group + 8 : group;
	size_t found = 0;
	char *rel, **names = NULL;
	size_t nn = 0;

	if (!all_digits(num)) {
		snprintf(msg, len, "'%s' is not a group number", group);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *g = list[i].group;
		if (!g)
			continue;
		if (strcmp(g, group) == 0 ||
		    (strncmp(g, "noiommu-", 8) == 0 && strcmp(g + 8, num) == 0 && num == group)) {
			int r = add(out, &list[i]);
			if (r)
				return r;
			found++;
		}
	}
	if (found)
		return 0;

	rel = vi_asprintf("kernel/iommu_groups/%s/devices", num);
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &nn) != 0) {
		snprintf(msg, len, "no IOMMU group %s: see /sys/kernel/iommu_groups/",
			 num);
		free(rel);
		return -ENOENT;
	}
	free(rel);
	{
		size_t o = (size_t)snprintf(msg, len, "group %s has no device bound to a "
					    "VFIO driver:", num);
		for (size_t i = 0; i < nn && o < len; i++) {
			char *dp = vi_asprintf("kernel/iommu_groups/%s/devices/%s", num, names[i]);
			char *drv = vi_sysfs_driver(be, dp);
			o += (size_t)snprintf(msg + o, len - o, "%s %s (%s)", i ? "," : "",
					      names[i], drv ? drv : "no driver");
			free(drv);
			free(dp);
		}
	}
	vi_names_free(names, nn);
	return -ENXIO;
}

int vi_target_resolve(struct vi_backend *be, const char *arg, struct vi_targets *out,
		      char *msg, size_t msglen)
{
	struct vi_devref *list = NULL;
	size_t n = 0;
	char bdf[16], path[4096];
	const char *name = arg;
	int r;

	r = be->ops->enumerate(be, &list, &n);
	if (r < 0) {
		snprintf(msg, msglen, "cannot list VFIO devices: %s", strerror(-r));
		return r;
	}

	if (strncmp(arg, "/dev/vfio/devices/", 18) == 0 ||
	    (strncmp(arg, "vfio", 4) == 0 && all_digits(arg + 4))) {
		const char *cdev = vi_basename(arg);
		r = -ENOENT;
		for (size_t i = 0; i < n; i++)
			if (list[i].cdev && strcmp(list[i].cdev, cdev) == 0)
				r = add(out, &list[i]);
		if (r == -ENOENT)
			snprintf(msg, msglen, "no VFIO device has the cdev %s (this kernel "
				 "may lack CONFIG_VFIO_DEVICE_CDEV)", arg);
		goto done;
	}
	if (strncmp(arg, "/dev/vfio/", 10) == 0) {
		r = by_group(be, list, n, arg + 10, out, msg, msglen);
		goto done;
	}
	if (all_digits(arg) || strncmp(arg, "noiommu-", 8) == 0) {
		r = by_group(be, list, n, arg, out, msg, msglen);
		goto done;
	}
	if (strncmp(arg, "/sys/", 5) == 0) {
		size_t l;
		snprintf(path, sizeof(path), "%s", arg);
		l = strlen(path);
		while (l > 1 && path[l - 1] == '/')
			path[--l] = '\0';
		name = vi_basename(path);
	}
	if (vi_parse_bdf(name, bdf) == 0)
		name = bdf;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0) {
			r = add(out, &list[i]);
			goto done;
		}
	r = explain_device(be, name, msg, msglen);
done:
	vi_devref_free(list, n);
	return r;
}

int vi_target_all(struct vi_backend *be, struct vi_targets *out, char *msg, size_t msglen)
{
	struct vi_devref *list = NULL;
	size_t n = 0;
	int r = be->ops->enumerate(be, &list, &n);

	if (r < 0) {
		snprintf(msg, msglen, "cannot list VFIO devices: %s", strerror(-r));
		return r;
	}
	if (out->n == 0) {
		/* the backend's list has unique names: take it whole rather
		 * than deduplicating one by one (quadratic on big hosts) */
		out->v = list;
		out->n = n;
	} else {
		for (size_t i = 0; i < n && r == 0; i++)
			r = add(out, &list[i]);
		vi_devref_free(list, n);
	}
	if (r == 0 && out->n == 0) {
		snprintf(msg, msglen, "no device is bound to a VFIO driver");
		return -ENOENT;
	}
	return r;
}
