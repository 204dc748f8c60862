// SPDX-License-Identifier: GPL-2.0-or-later
/* backend-live.c - the real kernel: the only file that makes VFIO syscalls. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "backend.h"
#include "bytes.h"
#include "uapi/vfio-abi.h"

#define READ_FILE_MAX	(16u << 20)	/* /proc/iomem and friends are far smaller */

static const char *const ns_root[] = {
	[VI_NS_SYS] = "/sys/",
	[VI_NS_PROC] = "/proc/",
	[VI_NS_DEV] = "/dev/",
};

static bool host_is_big_endian(void)
{
	const uint16_t probe = 1;

	return *(const uint8_t *)&probe == 0;
}

/* --sysroot DIR: every sysfs, procfs and /dev path is read below DIR
 * (be->priv, NULL for the running system); VFIO nodes are not opened. */
static const char *sysroot(const struct vi_backend *be)
{
	return be ? be->priv : NULL;
}

static char *ns_path(const struct vi_backend *be, enum vi_ns ns, const char *rel)
{
	const char *root = sysroot(be);
	size_t rl, nl;
	char *p;

	if ((unsigned)ns > VI_NS_DEV)
		return NULL;
	while (*rel == '/')
		rel++;
	rl = root ? strlen(root) : 0;
	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	nl = strlen(ns_root[ns]);
	p = malloc(rl + nl + strlen(rel) + 1);
	if (p) {
		if (rl)
			memcpy(p, root, rl);
		memcpy(p + rl, ns_root[ns], nl);
		strcpy(p + rl + nl, rel);
	}
	return p;
}

static int live_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	/* a copied tree answers no ioctl: the commands refuse before this */
	if (sysroot(be))
		return -ENXIO;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static void live_close(struct vi_backend *be, int h)
{
	if (h >= 0)
		close(h);
}

static long live_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *arg)
{
	struct vi_ioarg none = { 0 };
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	long ret;
	int fdarg;

	if (!arg)
		arg = &none;
	if (!d)
		return -EINVAL;
	switch (d->arg) {
	case VI_ARG_NONE:
		ret = ioctl(h, d->nr);
		break;
	case VI_ARG_VALUE:
		ret = ioctl(h, d->nr, (unsigned long)arg->value);
		break;
	case VI_ARG_STRUCT:
		if (!arg->buf || !arg->len)
			return -EFAULT;
		/* a QUERY_GFX_PLANE without PROBE makes the driver create a
		 * dma-buf id: vfio-info only ever probes */
		if (ioc == VI_IOC_DEVICE_QUERY_GFX_PLANE &&
		    !(vi_get32(vi_bytes_make(arg->buf, arg->len, be->big_endian), VI_GFXP_FLAGS) &
		      VI_GFX_PLANE_TYPE_PROBE))
			return -EPERM;
		/* Pointers the kernel follows live inside the struct. */
		if (ioc == VI_IOC_IOMMU_IOAS_IOVA_RANGES)
			vi_put64(arg->buf, arg->len, VI_IOVR_PTR,
				 (uint64_t)(uintptr_t)arg->aux, be->big_endian);
		else if (ioc == VI_IOC_IOMMU_GET_HW_INFO)
			vi_put64(arg->buf, arg->len, VI_HWI_DATA_PTR,
				 (uint64_t)(uintptr_t)arg->aux, be->big_endian);
		else if (ioc == VI_IOC_DEVICE_BIND_IOMMUFD && arg->aux)
			vi_put64(arg->buf, arg->len, VI_BIND_TOKEN_PTR,
				 (uint64_t)(uintptr_t)arg->aux, be->big_endian);
		ret = ioctl(h, d->nr, arg->buf);
		break;
	case VI_ARG_FD:
		fdarg = arg->handle;
		ret = ioctl(h, d->nr, &fdarg);
		break;
	case VI_ARG_STRING:
		if (!arg->str)
			return -EFAULT;
		ret = ioctl(h, d->nr, arg->str);
		break;
	default:
		return -EINVAL;
	}
	return ret < 0 ? -errno : ret;
}

static ssize_t live_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(h, buf, len, (off_t)off);

	return n < 0 ? -errno : n;
}

static ssize_t live_pwrite(struct vi_backend *be, int h, const void *buf, size_t len,
			   uint64_t off)
{
	ssize_t n = pwrite(h, buf, len, (off_t)off);

	return n < 0 ? -errno : n;
}

static void *live_mmap(struct vi_backend *be, int h, size_t len, uint64_t off, bool writable)
{
	void *p = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, h,
		       (off_t)off);

	return p == MAP_FAILED ? NULL : p;
}

static int live_munmap(struct vi_backend *be, void *addr, size_t len)
{
	return munmap(addr, len) < 0 ? -errno : 0;
}

/* The whole file at @path.  @short_is_end: a read that returns less than
 * asked is the end (sysfs attributes and regular files answer in one read;
 * procfs files may not), which saves the read that returns 0. */
static int read_path(const char *path, char **out, size_t *len, bool short_is_end)
{
	size_t cap = 4096, n = 0;
	char *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= READ_FILE_MAX) {
				ret = -EFBIG;
				goto fail;
			}
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				ret = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (short_is_end && n < cap)
			break;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
fail:
	close(fd);
	free(buf);
	return ret;
}

static int live_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			  char **out, size_t *len)
{
	char *path = ns_path(be, ns, rel);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = read_path(path, out, len, ns == VI_NS_SYS);
	free(path);
	return ret;
}

static int readlink_path(const char *path, char **out)
{
	size_t cap = 256;

	for (;;) {
		char *buf = malloc(cap);
		ssize_t n;

		if (!buf)
			return -ENOMEM;
		n = readlink(path, buf, cap);
		if (n < 0) {
			int ret = -errno;

			free(buf);
			return ret;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			*out = buf;
			return 0;
		}
		free(buf);
		if (cap >= 65536)
			return -ENAMETOOLONG;
		cap *= 4;
	}
}

static int live_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	char *path = ns_path(be, ns, rel);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = readlink_path(path, out);
	free(path);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_path(const char *path, char ***names, size_t *count)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (!v[n])
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return 0;
nomem:
	closedir(d);
	vi_names_free(v, n);
	return -ENOMEM;
}

static int live_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 char ***names, size_t *n)
{
	char *path = ns_path(be, ns, rel);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = list_path(path, names, n);
	free(path);
	return ret;
}

static int live_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			  struct vi_nodeinfo *info)
{
	char *path = ns_path(be, ns, rel);
	struct stat st;
	int ret = 0;

	if (!path)
		return -ENOMEM;
	if (stat(path, &st) < 0)
		ret = -errno;
	free(path);
	if (ret)
		return ret;
	info->mode = st.st_mode;
	info->uid = st.st_uid;
	info->gid = st.st_gid;
	info->major = major(st.st_rdev);
	info->minor = minor(st.st_rdev);
	return 0;
}

/* ---- enumeration ---- */

static char *path_join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s%s%s", a, b, *c ? "/" : "", c);
	return p;
}

static char *link_basename(const char *path)
{
	char *target = NULL, *base, *res;

	if (readlink_path(path, &target) < 0)
		return NULL;
	base = strrchr(target, '/');
	res = strdup(base ? base + 1 : target);
	free(target);
	return res;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Is the device at @devdir usable through VFIO?  Bound to a driver whose
 * name contains "vfio" (vfio-pci and its variants, vfio-platform, vfio_ccw,
 * ...), an mdev with a driver, or anything that registered a vfio-dev. */
static bool device_is_vfio(const char *devdir)
{
	char *p, *drv, *bus;
	bool yes = false;

	p = path_join3(devdir, "driver", "");
	drv = p ? link_basename(p) : NULL;
	free(p);
	if (!drv)
		return false;
	if (strstr(drv, "vfio"))
		yes = true;
	free(drv);
	if (yes)
		return true;
	p = path_join3(devdir, "subsystem", "");
	bus = p ? link_basename(p) : NULL;
	free(p);
	if (bus && strcmp(bus, "mdev") == 0)
		yes = true;
	free(bus);
	if (yes)
		return true;
	p = path_join3(devdir, "vfio-dev", "");
	yes = p && path_exists(p);
	free(p);
	return yes;
}

static char *device_cdev(const struct vi_backend *be, const char *devdir)
{
	char *dir = path_join3(devdir, "vfio-dev", "");
	char **names = NULL, *res = NULL;
	size_t n = 0;

	if (!dir)
		return NULL;
	if (list_path(dir, &names, &n) == 0) {
		for (size_t i = 0; i < n && !res; i++) {
			char *node;

			if (strncmp(names[i], "vfio", 4) != 0)
				continue;
			node = ns_path(be, VI_NS_DEV, "vfio/devices");
			if (node) {
				char *full = path_join3(node, names[i], "");

				free(node);
				node = full;
			}
			if (node && path_exists(node))
				res = strdup(names[i]);
			free(node);
		}
		vi_names_free(names, n);
	}
	free(dir);
	return res;
}

static char *group_name(const char *groupdir, const char *id)
{
	char *p = path_join3(groupdir, "name", "");
	char *s = NULL, *res;
	size_t len = 0;
	size_t n;

	if (p && read_path(p, &s, &len, true) == 0) {
		while (len && s[len - 1] == '\n')
			s[--len] = '\0';
		/* The kernel names a group of emulated-IOMMU devices (mdevs)
		 * "vfio-noiommu" too; only a real noiommu group's vfio device
		 * is "noiommu-N" (/sys/class/vfio/N for the others). */
		char *emu = path_join3(groupdir, "../../../class/vfio/", id);

		if (strcmp(s, "vfio-noiommu") == 0 && !(emu && access(emu, F_OK) == 0)) {
			free(emu);
			free(s);
			free(p);
			n = strlen(id) + sizeof("noiommu-");
			res = malloc(n);
			if (res)
				snprintf(res, n, "noiommu-%s", id);
			return res;
		}
		free(emu);
	}
	free(s);
	free(p);
	return strdup(id);
}

static int cmp_devref(const void *a, const void *b)
{
	return strcmp(((const struct vi_devref *)a)->name, ((const struct vi_devref *)b)->name);
}

static int live_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *count)
{
	char *groups_dir = ns_path(be, VI_NS_SYS, "kernel/iommu_groups");
	char **groups = NULL;
	size_t ngroups = 0, n = 0, cap = 0;
	struct vi_devref *v = NULL;
	int ret;

	if (!groups_dir)
		return -ENOMEM;
	ret = list_path(groups_dir, &groups, &ngroups);
	if (ret == -ENOENT) {
		free(groups_dir);
		*list = NULL;
		*count = 0;
		return 0;
	}
	if (ret < 0) {
		free(groups_dir);
		return ret;
	}
	for (size_t g = 0; g < ngroups; g++) {
		char *gdir = path_join3(groups_dir, groups[g], "");
		char *ddir = gdir ? path_join3(gdir, "devices", "") : NULL;
		char **devs = NULL;
		size_t ndevs = 0;

		if (!ddir || list_path(ddir, &devs, &ndevs) < 0) {
			free(gdir);
			free(ddir);
			continue;
		}
		for (size_t i = 0; i < ndevs; i++) {
			char *devdir = path_join3(ddir, devs[i], "");
			struct vi_devref r = { 0 };

			if (!devdir)
				continue;
			if (!device_is_vfio(devdir)) {
				free(devdir);
				continue;
			}
			if (n == cap) {
				struct vi_devref *nv;

				cap = cap ? cap * 2 : 16;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(devdir);
					ret = -ENOMEM;
					break;
				}
				v = nv;
			}
			r.name = strdup(devs[i]);
			r.group = group_name(gdir, groups[g]);
			r.cdev = device_cdev(be, devdir);
			free(devdir);
			if (!r.name || !r.group) {
				free(r.name);
				free(r.group);
				free(r.cdev);
				ret = -ENOMEM;
				break;
			}
			v[n++] = r;
		}
		vi_names_free(devs, ndevs);
		free(gdir);
		free(ddir);
		if (ret == -ENOMEM)
			break;
	}
	vi_names_free(groups, ngroups);
	free(groups_dir);
	if (ret == -ENOMEM) {
		vi_devref_free(v, n);
		return ret;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_devref);
	*list = v;
	*count = n;
	return 0;
}

static int live_host_info(struct vi_backend *be, struct vi_hostinfo *hi)
{
	struct utsname u;
	long pg = sysconf(_SC_PAGESIZE);

	memset(hi, 0, sizeof(*hi));
	if (uname(&u) == 0) {
		snprintf(hi->kernel, sizeof(hi->kernel), "%s", u.release);
		snprintf(hi->machine, sizeof(hi->machine), "%.*s",
			 (int)sizeof(hi->machine) - 1, u.machine);
	}
	hi->big_endian = host_is_big_endian();
	hi->page_size = pg > 0 ? (unsigned int)pg : 4096;
	if (sysroot(be)) {
		/* the tree's kernel and architecture where its /proc says */
		static const char *const what[] = { "sys/kernel/osrelease", "sys/kernel/arch" };
		char *dst[] = { hi->kernel, hi->machine };
		size_t room[] = { sizeof(hi->kernel), sizeof(hi->machine) };

		for (int i = 0; i < 2; i++) {
			char *path = ns_path(be, VI_NS_PROC, what[i]), *s = NULL;
			size_t len = 0;

			if (path && read_path(path, &s, &len, false) == 0) {
				while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
					s[--len] = '\0';
				snprintf(dst[i], room[i], "%.*s", (int)room[i] - 1, s);
			}
			free(s);
			free(path);
		}
	}
	return 0;
}

/* ---- interrupts ---- */

/* The eventfd's number is the handle: it goes as is into SET_IRQS data. */
static int live_event_new(struct vi_backend *be)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	return fd < 0 ? -errno : fd;
}

static int live_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			   uint64_t *counts, bool *settled)
{
	struct pollfd *p;
	int r, fired = 0;

	*settled = false;
	if (n > INT32_MAX)
		return -EINVAL;
	p = calloc(n ? n : 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p[i].fd = hs[i];
		p[i].events = POLLIN;
	}
	r = poll(p, (nfds_t)n, timeout_ms < 0 ? 0 : timeout_ms);
	if (r < 0) {
		r = -errno;
		free(p);
		return r;
	}
	for (size_t i = 0; i < n && r > 0; i++) {
		uint64_t v = 0;

		if (p[i].revents & POLLNVAL) {
			free(p);
			return -EBADF;
		}
		if (!(p[i].revents & POLLIN))
			continue;
		/* an eventfd read is one host-order u64: the count, then reset */
		if (read(hs[i], &v, sizeof(v)) == (ssize_t)sizeof(v) && v) {
			counts[i] += v;
			fired++;
		}
	}
	free(p);
	return fired;
}

static void live_destroy(struct vi_backend *be)
{
	free(be->priv);
	free(be);
}

static const struct vi_backend_ops live_ops = {
	.name = "live",
	.open_node = live_open_node,
	.close = live_close,
	.ioctl = live_ioctl,
	.pread = live_pread,
	.pwrite = live_pwrite,
	.mmap = live_mmap,
	.munmap = live_munmap,
	.read_file = live_read_file,
	.readlink = live_readlink,
	.list_dir = live_list_dir,
	.stat_node = live_stat_node,
	.enumerate = live_enumerate,
	.host_info = live_host_info,
	.event_new = live_event_new,
	.event_wait = live_event_wait,
	.destroy = live_destroy,
};

struct vi_backend *vi_backend_live_new(void)
{
	struct vi_backend *be = calloc(1, sizeof(*be));
	long pg = sysconf(_SC_PAGESIZE);

	if (!be)
		return NULL;
	be->ops = &live_ops;
	be->big_endian = host_is_big_endian();
	be->page_size = pg > 0 ? (unsigned int)pg : 4096;
	return be;
}

struct vi_backend *vi_backend_sysroot_new(const char *dir)
{
	struct vi_backend *be = vi_backend_live_new();

	if (!be)
		return NULL;
	be->priv = strdup(dir);
	if (!be->priv) {
		free(be);
		return NULL;
	}
	return be;
}
