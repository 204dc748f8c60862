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

#include "safe.h"
#include "sysfs.h"
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

/* The buses whose devices VFIO drivers bind to. */
static const char *const buses[] = { "pci", "platform", "amba", "mdev",
				     "fsl-mc", "cdx", "css", "ap", NULL };

/* A name for a message: escaped, shortened in the middle; malloc'ed. */
static char *pr(const char *s)
{
	return vi_printable(s ? s : "", VI_MSG_NAME_MAX);
}

/* Where a device of this name lives in sysfs, if anywhere: on its bus,
 * else as a member of an IOMMU group. */
static char *find_sysfs_dev(struct vi_backend *be, const char *name)
{
	char **groups = NULL, *found = NULL;
	size_t ng = 0;

	for (int i = 0; buses[i]; i++) {
		char *rel = vi_asprintf("bus/%s/devices/%s", buses[i], name), *l = NULL;
		if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0) {
			free(l);
			return rel;
		}
		free(rel);
	}
	if (be->ops->list_dir(be, VI_NS_SYS, "kernel/iommu_groups", &groups, &ng) != 0)
		return NULL;
	for (size_t g = 0; g < ng && !found; g++) {
		char *rel = vi_asprintf("kernel/iommu_groups/%s/devices/%s", groups[g], name);
		char *l = NULL;

		if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0) {
			free(l);
			found = rel;
		} else {
			free(rel);
		}
	}
	vi_names_free(groups, ng);
	return found;
}

/* Does @s have a PCI address's shape, [DDDD:]BB:DD.F, whatever its
 * characters?  (A platform or ACPI device name has no such shape:
 * fff51000.ethernet, PNP0A08:00.) */
static bool bdf_shaped(const char *s)
{
	const char *dot = strchr(s, '.'), *c1 = strchr(s, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	const char *last = c2 ? c2 : c1;

	if (!c1 || !dot || dot < last || strchr(dot + 1, '.') || strchr(dot + 1, ':'))
		return false;
	if (c2 && strchr(c2 + 1, ':'))
		return false;
	return strlen(s) <= 16;
}

static bool hex_field(const char *s, size_t n, size_t max, unsigned long lim,
		      unsigned long *v)
{
	char buf[8];

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtoul(buf, NULL, 16);
	return *v <= lim;
}

int vi_target_pci_address(const char *s, char bdf[16])
{
	const char *p = s, *c;
	unsigned long dom = 0, bus, dev, fn;

	if (!bdf_shaped(s))
		return -ENOENT;
	c = strchr(p, ':');
	if (strchr(c + 1, ':')) {
		if (!hex_field(p, (size_t)(c - p), 4, 0xffff, &dom))
			return -EINVAL;
		p = c + 1;
		c = strchr(p, ':');
	}
	if (!hex_field(p, (size_t)(c - p), 2, 0xff, &bus))
		return -EINVAL;
	p = c + 1;
	c = strchr(p, '.');
	if (!hex_field(p, (size_t)(c - p), 2, 0x1f, &dev) ||
	    !hex_field(c + 1, strlen(c + 1), 1, 7, &fn))
		return -EINVAL;
	snprintf(bdf, 16, "%04lx:%02lx:%02lx.%lx", dom, bus, dev, fn);
	return 0;
}

static int malformed(const char *arg, const char *what, char *msg, size_t len)
{
	char *pa = pr(arg);

	snprintf(msg, len, "'%s' is not a TARGET: %s", pa, what);
	free(pa);
	return -EINVAL;
}

int vi_target_check(const char *arg, char *canon, size_t canonlen, char *msg, size_t msglen)
{
	static const char group_form[] = "a group is a number (12, /dev/vfio/12) or "
		"noiommu-N";
	char bdf[16];
	const char *base;
	int r;

	canon[0] = '\0';
	if (!arg[0])
		return malformed(arg, "give a PCI address (01:00.0), a group (12), a cdev "
				 "(vfio0), a sysfs path or a device name", msg, msglen);
	if (strncmp(arg, "/dev/vfio/devices/", 18) == 0)
		return vi_name_ok(VI_NAME_CDEV, arg + 18) ? 0 :
			malformed(arg, "a device cdev is /dev/vfio/devices/vfioN", msg, msglen);
	if (strncmp(arg, "/dev/vfio/", 10) == 0)
		return vi_name_ok(VI_NAME_GROUP, arg + 10) ? 0 :
			malformed(arg, group_form, msg, msglen);
	if (strncmp(arg, "noiommu-", 8) == 0 || all_digits(arg))
		return vi_name_ok(VI_NAME_GROUP, arg) ? 0 : malformed(arg, group_form, msg, msglen);
	if (strncmp(arg, "/sys/", 5) == 0) {
		/* its last component names the device */
		char one[256];
		size_t l = strlen(arg);

		while (l > 1 && arg[l - 1] == '/')
			l--;
		base = arg + l;
		while (base > arg && base[-1] != '/')
			base--;
		l -= (size_t)(base - arg);
		snprintf(one, sizeof(one), "%.*s", (int)(l < 255 ? l : 255), base);
		r = vi_target_pci_address(one, bdf);
		return r == -EINVAL ? malformed(arg, "its last component is no PCI address "
						"([DDDD:]BB:DD.F)", msg, msglen) : 0;
	}
	r = vi_target_pci_address(arg, bdf);
	if (r == -EINVAL)
		return malformed(arg, "a PCI address is [DDDD:]BB:DD.F in hex, the device "
				 "00 to 1f, the function 0 to 7", msg, msglen);
	if (r == 0)
		snprintf(canon, canonlen, "%s", bdf);
	return 0;
}

void vi_target_notfound(const char *arg, char *msg, size_t len)
{
	char canon[256], tmp[8], bdf[16];
	const char *name = arg;
	char *pn;

	if (vi_target_check(arg, canon, sizeof(canon), tmp, sizeof(tmp)) == 0 && canon[0])
		name = canon;
	if (strncmp(name, "/sys/", 5) == 0 && strlen(name) < sizeof(canon)) {
		/* the device its last component names */
		size_t l = strlen(name);

		memmove(canon, name, l + 1);
		while (l > 1 && canon[l - 1] == '/')
			canon[--l] = '\0';
		name = vi_basename(canon);
		if (vi_target_pci_address(name, bdf) == 0)
			name = bdf;
	}
	pn = pr(name);
	if (strncmp(name, "/dev/vfio/devices/", 18) == 0 ||
	    (strncmp(name, "vfio", 4) == 0 && all_digits(name + 4)))
		snprintf(msg, len, "no VFIO device has the cdev %s (this kernel may lack "
			 "CONFIG_VFIO_DEVICE_CDEV)", pn);
	else if (strncmp(name, "/dev/vfio/", 10) == 0 || all_digits(name) ||
		 strncmp(name, "noiommu-", 8) == 0)
		snprintf(msg, len, "no IOMMU group %s: see /sys/kernel/iommu_groups/",
			 vi_basename(pn) + (strncmp(vi_basename(pn), "noiommu-", 8) ? 0 : 8));
	else
		snprintf(msg, len, "no device %s: 'vfio-info list' shows the IOMMU groups and "
			 "their devices, 'lspci -D' every PCI address", pn);
	free(pn);
}

/* Explain why a device that exists is not in the VFIO list. */
int vi_target_explain(struct vi_backend *be, const char *name, char *msg, size_t len)
{
	char *dev = find_sysfs_dev(be, name), *drv, *pn = pr(name), *pd;

	if (!dev) {
		vi_target_notfound(name, msg, len);
		free(pn);
		return -ENOENT;
	}
	drv = vi_sysfs_driver(be, dev);
	pd = pr(drv);
	if (!drv)
		snprintf(msg, len, "%s is not bound to any driver; bind it to vfio-pci: "
			 "driverctl set-override %s vfio-pci", pn, pn);
	else if (vi_driver_kind(drv) == VI_DRV_VFIO)
		/* sysfs has it on a VFIO driver, the backend cannot open it:
		 * a capture that holds no kernel answers for it */
		snprintf(msg, len, "%s is bound to %s, but there are no kernel answers "
			 "for it (a capture holds them only for the devices it was "
			 "taken of)", pn, pd);
	else
		snprintf(msg, len, "%s is bound to %s, not to a VFIO driver; rebind it: "
			 "driverctl set-override %s vfio-pci", pn, pd, pn);
	free(pn);
	free(pd);
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
		char *pg = pr(group);

		snprintf(msg, len, "'%s' is not a group number", pg);
		free(pg);
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
		vi_target_notfound(num, msg, len);
		free(rel);
		return -ENOENT;
	}
	free(rel);
	{
		char *pn = pr(num);
		bool vfio = false;
		size_t o;

		for (size_t i = 0; i < nn && !vfio; i++) {
			char *dp = vi_asprintf("kernel/iommu_groups/%s/devices/%s", num, names[i]);
			char *drv = vi_sysfs_driver(be, dp);

			vfio = vi_driver_kind(drv) == VI_DRV_VFIO;
			free(drv);
			free(dp);
		}
		/* on a VFIO driver in sysfs but not openable: a capture that
		 * holds no kernel answers for the group */
		o = (size_t)snprintf(msg, len, vfio ? "group %s has no kernel answers (a "
				     "capture holds them only for the devices it was taken "
				     "of):" : "group %s has no device bound to a VFIO driver:",
				     pn);
		free(pn);
		for (size_t i = 0; i < nn && o < len; i++) {
			char *dp = vi_asprintf("kernel/iommu_groups/%s/devices/%s", num, names[i]);
			char *drv = vi_sysfs_driver(be, dp);
			char *pd = pr(names[i]), *pv = pr(drv ? drv : "no driver");

			o += (size_t)snprintf(msg + o, len - o, "%s %s (%s)", i ? "," : "", pd, pv);
			free(pd);
			free(pv);
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
	char bdf[16], *path = NULL;
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
			vi_target_notfound(arg, msg, msglen);
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

		path = vi_strdup(arg);
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
	r = vi_target_explain(be, name, msg, msglen);
done:
	free(path);
	vi_devref_free(list, n);
	return r;
}

static void ref_clear(struct vi_devref *r)
{
	free(r->name);
	free(r->group);
	free(r->cdev);
	r->name = r->group = r->cdev = NULL;
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct vi_devref *)a)->name, ((const struct vi_devref *)b)->name);
}

static const struct vi_devref *find_ref(const struct vi_devref *v, size_t n, const char *name)
{
	struct vi_devref key = { (char *)name, NULL, NULL };

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_ref) : NULL;
}

static int push(struct vi_devref **v, size_t *n, size_t *cap, struct vi_devref r)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct vi_devref *nv = realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = r;
	return 0;
}

/* Is the device at sysfs @dir on bus @bus used through VFIO?  Bound to a
 * VFIO driver (vfio-pci and its variants, vfio-platform, vfio_ccw...), an
 * mdev with a driver, or anything that registered a vfio-dev. */
static bool sysfs_is_vfio(struct vi_backend *be, const char *bus, const char *dir)
{
	char *drv = vi_sysfs_driver(be, dir), *rel, **names = NULL;
	size_t nn = 0;
	bool yes = false;

	if (!drv)
		return false;
	yes = vi_driver_kind(drv) == VI_DRV_VFIO || strcmp(bus, "mdev") == 0;
	free(drv);
	if (yes)
		return true;
	rel = vi_asprintf("%s/vfio-dev", dir);
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &nn) == 0) {
		for (size_t i = 0; i < nn && !yes; i++)
			yes = strncmp(names[i], "vfio", 4) == 0;
		vi_names_free(names, nn);
	}
	free(rel);
	return yes;
}

/* The device's view from sysfs alone: its group ("noiommu-N" for a
 * noiommu group) and its cdev when /dev has the node. */
static struct vi_devref sysfs_ref(struct vi_backend *be, const char *dir, const char *name)
{
	struct vi_devref r = { vi_strdup(name), NULL, NULL };
	char *rel = vi_asprintf("%s/iommu_group", dir), *l = NULL, **names = NULL;
	size_t nn = 0;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0) {
		const char *g = vi_basename(l);

		r.group = vi_group_is_noiommu(be, g) ? vi_asprintf("noiommu-%s", g) :
						      vi_strdup(g);
		free(l);
	}
	free(rel);
	rel = vi_asprintf("%s/vfio-dev", dir);
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &nn) == 0) {
		for (size_t i = 0; i < nn && !r.cdev; i++) {
			char *node = vi_asprintf("vfio/devices/%s", names[i]);
			struct vi_nodeinfo st;

			if (strncmp(names[i], "vfio", 4) == 0 &&
			    be->ops->stat_node(be, VI_NS_DEV, node, &st) == 0)
				r.cdev = vi_strdup(names[i]);
			free(node);
		}
		vi_names_free(names, nn);
	}
	free(rel);
	return r;
}

/* Of the entries @names of sysfs directory @rel (a bus's or a group's
 * devices), add those on a VFIO driver to @v; a device the backend knows
 * keeps the backend's group and cdev. */
static int add_vfio_members(struct vi_backend *be, const char *bus, const char *rel,
			    char **names, size_t nn, const struct vi_devref *list, size_t n,
			    struct vi_devref **v, size_t *nv, size_t *cap)
{
	int r = 0;

	for (size_t i = 0; i < nn && r == 0; i++) {
		char *dir = vi_asprintf("%s/%s", rel, names[i]);
		const struct vi_devref *known;
		struct vi_devref d;

		if (sysfs_is_vfio(be, bus, dir)) {
			known = find_ref(list, n, names[i]);
			if (known)
				d = (struct vi_devref){ vi_strdup(known->name),
							vi_strdup(known->group),
							vi_strdup(known->cdev) };
			else
				d = sysfs_ref(be, dir, names[i]);
			r = push(v, nv, cap, d);
			if (r)
				ref_clear(&d);
		}
		free(dir);
	}
	return r;
}

/*
 * --all: every device sysfs shows on a VFIO driver, on each bus VFIO
 * drivers bind to; a device the backend enumerates keeps the backend's
 * view of it (group, cdev: the flow a capture was taken with).  Devices
 * the backend enumerates but sysfs does not know at all (a capture without
 * a sysfs section, or with none for them) are taken from the backend.
 * Live and replay walk the same sysfs paths, so `--all` names the same set
 * in both.  Sorted by name.
 */
static int all_devices(struct vi_backend *be, const struct vi_devref *list, size_t n,
		       struct vi_devref **out, size_t *nout)
{
	struct vi_devref *v = NULL;
	size_t nv = 0, cap = 0;
	int r = 0;

	for (int b = 0; buses[b] && r == 0; b++) {
		char *rel = vi_asprintf("bus/%s/devices", buses[b]), **names = NULL;
		size_t nn = 0;

		if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &nn) != 0) {
			free(rel);
			continue;
		}
		r = add_vfio_members(be, buses[b], rel, names, nn, list, n, &v, &nv, &cap);
		vi_names_free(names, nn);
		free(rel);
	}
	/* and the members of IOMMU groups, which lead to the same devices
	 * (a capture may have recorded a group's members but not the bus) */
	{
		char **groups = NULL;
		size_t ng = 0;

		if (be->ops->list_dir(be, VI_NS_SYS, "kernel/iommu_groups", &groups, &ng) != 0)
			ng = 0;
		for (size_t g = 0; g < ng && r == 0; g++) {
			char *rel = vi_asprintf("kernel/iommu_groups/%s/devices", groups[g]);
			char **names = NULL;
			size_t nn = 0;

			if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &nn) != 0)
				nn = 0;
			r = add_vfio_members(be, "", rel, names, nn, list, n, &v, &nv, &cap);
			vi_names_free(names, nn);
			free(rel);
		}
		vi_names_free(groups, ng);
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		char *dev = find_sysfs_dev(be, list[i].name);

		if (!dev) {
			struct vi_devref d = { vi_strdup(list[i].name), vi_strdup(list[i].group),
					       vi_strdup(list[i].cdev) };

			r = push(&v, &nv, &cap, d);
			if (r)
				ref_clear(&d);
		}
		free(dev);
	}
	if (r) {
		vi_devref_free(v, nv);
		return r;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_ref);
	/* found on its bus and in its group (or, in a capture, on two buses) */
	for (size_t i = 1; i < nv;) {
		if (strcmp(v[i].name, v[i - 1].name) == 0) {
			ref_clear(&v[i]);
			memmove(&v[i], &v[i + 1], (nv - i - 1) * sizeof(*v));
			nv--;
		} else {
			i++;
		}
	}
	*out = v;
	*nout = nv;
	return 0;
}

int vi_target_all(struct vi_backend *be, struct vi_targets *out, char *msg, size_t msglen)
{
	struct vi_devref *list = NULL, *all = NULL;
	size_t n = 0, nall = 0;
	int r = be->ops->enumerate(be, &list, &n);

	if (r < 0) {
		snprintf(msg, msglen, "cannot list VFIO devices: %s", strerror(-r));
		return r;
	}
	if (n)
		qsort(list, n, sizeof(*list), cmp_ref);
	r = all_devices(be, list, n, &all, &nall);
	vi_devref_free(list, n);
	if (r < 0) {
		snprintf(msg, msglen, "cannot list VFIO devices: %s", strerror(-r));
		return r;
	}
	if (out->n == 0) {
		/* unique names already: take the list whole rather than
		 * deduplicating one by one (quadratic on big hosts) */
		free(out->v);
		out->v = all;
		out->n = nall;
	} else {
		for (size_t i = 0; i < nall && r == 0; i++)
			r = add(out, &all[i]);
		vi_devref_free(all, nall);
	}
	if (r == 0 && out->n == 0) {
		snprintf(msg, msglen, "no device is bound to a VFIO driver");
		return -ENOENT;
	}
	return r;
}

int vi_target_split_unopenable(struct vi_backend *be, struct vi_targets *t,
			       struct vi_targets *gone)
{
	struct vi_devref *list = NULL;
	size_t n = 0, keep = 0;
	int r = be->ops->enumerate(be, &list, &n), err = 0;

	if (r < 0)
		return r;
	if (n)
		qsort(list, n, sizeof(*list), cmp_ref);
	for (size_t i = 0; i < t->n; i++) {
		if (find_ref(list, n, t->v[i].name)) {
			t->v[keep++] = t->v[i];
			continue;
		}
		r = add(gone, &t->v[i]);
		if (r && !err)
			err = r;
		ref_clear(&t->v[i]);
	}
	t->n = keep;
	vi_devref_free(list, n);
	return err;
}
