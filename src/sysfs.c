// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfs.c - PCI, IOMMU-group and process facts, read through the backend. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture-io.h"
#include "sysfs.h"
#include "util.h"

/* ---- drivers and viability ---- */

static const struct {
	const char *name;
	enum vi_drvkind kind;
} driver_kinds[] = {
	{ "pci-stub", VI_DRV_STUB },
	{ "pcieport", VI_DRV_BRIDGE },
	{ "vfio-pci", VI_DRV_VFIO },
	{ "vfio-platform", VI_DRV_VFIO },
	{ "vfio-amba", VI_DRV_VFIO },
	{ "vfio_ccw", VI_DRV_VFIO },
	{ "vfio_ap", VI_DRV_VFIO },
	{ "vfio-fsl-mc", VI_DRV_VFIO },
	{ "vfio-cdx", VI_DRV_VFIO },
	{ NULL, VI_DRV_NONE }
};

enum vi_drvkind vi_driver_kind(const char *driver)
{
	if (!driver || !*driver)
		return VI_DRV_NONE;
	for (int i = 0; driver_kinds[i].name; i++)
		if (strcmp(driver_kinds[i].name, driver) == 0)
			return driver_kinds[i].kind;
	/* vfio-pci variant drivers: mlx5_vfio_pci, hisi_acc_vfio_pci, ... */
	if (strstr(driver, "vfio"))
		return VI_DRV_VFIO;
	return VI_DRV_HOST;
}

bool vi_driver_blocks(enum vi_drvkind k)
{
	return k == VI_DRV_HOST;
}

const char *vi_drvkind_desc(enum vi_drvkind k)
{
	switch (k) {
	case VI_DRV_NONE:
		return "ok: unbound";
	case VI_DRV_VFIO:
		return "ok: vfio driver";
	case VI_DRV_STUB:
		return "ok: pci-stub, no DMA";
	case VI_DRV_BRIDGE:
		return "ok: bridge, no DMA";
	default:
		return "host driver: blocks viability";
	}
}

/* ---- small readers ---- */

char *vi_sys_str(struct vi_backend *be, const char *fmt, ...)
{
	char *rel, *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	rel = malloc((size_t)n + 1);
	if (!rel)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(rel, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (vi_be_read_sys(be, rel, &s) < 0)
		s = NULL;
	free(rel);
	return s;
}

char *vi_proc_str(struct vi_backend *be, const char *rel)
{
	char *s = NULL;
	size_t len = 0;

	if (be->ops->read_file(be, VI_NS_PROC, rel, &s, &len) < 0)
		return NULL;
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
	return s;
}

bool vi_sys_exists(struct vi_backend *be, const char *rel)
{
	struct vi_nodeinfo st;

	return be->ops->stat_node(be, VI_NS_SYS, rel, &st) == 0;
}

static long sys_num(struct vi_backend *be, const char *dir, const char *attr)
{
	char *s = vi_sys_str(be, "%s/%s", dir, attr), *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s)
		v = -1;
	free(s);
	return v;
}

static char *link_base(struct vi_backend *be, const char *dir, const char *attr)
{
	char *rel = vi_asprintf("%s/%s", dir, attr), *l = NULL, *b = NULL;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0)
		b = vi_strdup(vi_basename(l));
	free(l);
	free(rel);
	return b;
}

/* ---- config space ---- */

uint32_t vi_cfg_read(const uint8_t *cfg, size_t len, unsigned int off, unsigned int size)
{
	uint32_t v = 0;

	if (!cfg || size > 4 || off + size > len)
		return 0;
	for (unsigned int i = 0; i < size; i++)
		v |= (uint32_t)cfg[off + i] << (8 * i);
	return v;
}

unsigned int vi_pci_cap(const uint8_t *cfg, size_t len, unsigned int id)
{
	unsigned int pos;

	if (!(vi_cfg_read(cfg, len, 0x06, 2) & 0x10))	/* status: cap list */
		return 0;
	pos = vi_cfg_read(cfg, len, 0x34, 1) & 0xfc;
	for (int hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (vi_cfg_read(cfg, len, pos, 1) == id)
			return pos;
		pos = vi_cfg_read(cfg, len, pos + 1, 1) & 0xfc;
	}
	return 0;
}

unsigned int vi_pci_ext_cap(const uint8_t *cfg, size_t len, unsigned int id)
{
	unsigned int pos = 0x100;

	for (int hops = 0; pos >= 0x100 && hops < 480; hops++) {
		uint32_t h = vi_cfg_read(cfg, len, pos, 4);

		if (!h || h == 0xffffffff)
			return 0;
		if ((h & 0xffff) == id)
			return pos;
		pos = (h >> 20) & 0xffc;
	}
	return 0;
}

/* ---- devices ---- */

static bool is_pci_name(const char *s)
{
	char bdf[16];

	return vi_parse_bdf(s, bdf) == 0 && strcmp(bdf, s) == 0;
}

char *vi_pci_path(struct vi_backend *be, const char *name)
{
	char *rel = vi_asprintf("bus/pci/devices/%s", name), *l = NULL;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0 || vi_sys_exists(be, rel)) {
		free(l);
		return rel;
	}
	free(rel);
	return NULL;
}

/* "devices/pci0000:00/0000:00:1c.0/0000:01:00.0" from the device's link. */
static char *real_path(struct vi_backend *be, const char *path)
{
	char *l = NULL, *p, *res = NULL;

	if (be->ops->readlink(be, VI_NS_SYS, path, &l) < 0)
		return NULL;
	p = strstr(l, "devices/");
	if (p && (p == l || p[-1] == '/'))
		res = vi_path_normalize(p);
	free(l);
	return res;
}

static void parse_resource(struct vi_pcidev *d, const char *s)
{
	while (s && *s && d->nres < VI_PCI_NRES) {
		struct vi_bar *b = &d->res[d->nres];

		if (sscanf(s, "%" SCNx64 " %" SCNx64 " %" SCNx64, &b->start, &b->end,
			   &b->flags) != 3)
			break;
		d->nres++;
		s = strchr(s, '\n');
		if (s)
			s++;
	}
}

/* Everything (@all), or only what `list` shows (vi_pci_load_list). */
static int pci_load(struct vi_backend *be, const char *path, const char *name,
		    struct vi_pcidev *d, bool all)
{
	char *s, *rel;
	size_t len = 0;

	memset(d, 0, sizeof(*d));
	d->name = vi_strdup(name);
	d->path = vi_strdup(path);
	if (all)
		d->real = real_path(be, path);
	d->vendor = sys_num(be, path, "vendor");
	d->device = sys_num(be, path, "device");
	d->subvendor = sys_num(be, path, "subsystem_vendor");
	d->subdevice = sys_num(be, path, "subsystem_device");
	d->revision = sys_num(be, path, "revision");
	d->class = sys_num(be, path, "class");
	d->pci = d->vendor >= 0 && d->device >= 0;
	d->driver = link_base(be, path, "driver");
	d->kind = vi_driver_kind(d->driver);
	/* no PCI identity: perhaps a mediated device */
	if (!d->pci)
		d->mdev = vi_mdev_of(be, path, &d->mdev_parent, &d->mdev_type) == 0;
	/* an mdev's driver is its vendor driver's VFIO mdev driver ("mtty",
	 * "vfio_mdev", "nvidia-vgpu-vfio"), whatever its name */
	if (d->mdev && d->driver && d->kind == VI_DRV_HOST)
		d->kind = VI_DRV_VFIO;
	if (all) {
		d->driver_override = vi_sys_str(be, "%s/driver_override", path);
		if (d->driver_override && strcmp(d->driver_override, "(null)") == 0) {
			free(d->driver_override);
			d->driver_override = NULL;
		}
		d->group = link_base(be, path, "iommu_group");
		if (d->group)
			d->noiommu = vi_group_is_noiommu(be, d->group);
	}
	{
		char **names = NULL;
		size_t n = 0;

		rel = vi_asprintf("%s/vfio-dev", path);
		if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &n) == 0) {
			/* Since 6.6 every vfio device is in class vfio-dev, but it
			 * has a character device (a "dev" attribute) only with
			 * CONFIG_VFIO_DEVICE_CDEV. */
			for (size_t i = 0; i < n && !d->cdev; i++) {
				char *dev;

				if (strncmp(names[i], "vfio", 4) != 0)
					continue;
				dev = vi_sys_str(be, "%s/vfio-dev/%s/dev", path, names[i]);
				if (dev)
					d->cdev = vi_strdup(names[i]);
				free(dev);
			}
			vi_names_free(names, n);
		}
		free(rel);
	}
	if (!all) {
		d->sriov_totalvfs = (int)sys_num(be, path, "sriov_totalvfs");
		d->sriov_numvfs = (int)sys_num(be, path, "sriov_numvfs");
		d->physfn = link_base(be, path, "physfn");
		d->d3cold_allowed = d->boot_vga = d->numa_node = -1;
		return d->name && d->path ? 0 : -ENOMEM;
	}
	d->reset_method = vi_sys_str(be, "%s/reset_method", path);
	d->power_state = vi_sys_str(be, "%s/power_state", path);
	d->power_control = vi_sys_str(be, "%s/power/control", path);
	d->runtime_status = vi_sys_str(be, "%s/power/runtime_status", path);
	d->d3cold_allowed = (int)sys_num(be, path, "d3cold_allowed");
	d->boot_vga = (int)sys_num(be, path, "boot_vga");
	s = vi_sys_str(be, "%s/numa_node", path);
	d->numa_node = s ? atoi(s) : -1;
	free(s);
	d->sriov_totalvfs = (int)sys_num(be, path, "sriov_totalvfs");
	d->sriov_numvfs = (int)sys_num(be, path, "sriov_numvfs");
	d->physfn = link_base(be, path, "physfn");
	d->link_speed = vi_sys_str(be, "%s/current_link_speed", path);
	d->link_width = vi_sys_str(be, "%s/current_link_width", path);
	s = vi_sys_str(be, "%s/resource", path);
	parse_resource(d, s);
	free(s);
	rel = vi_asprintf("%s/config", path);
	if (be->ops->read_file(be, VI_NS_SYS, rel, &s, &len) == 0) {
		d->config = (uint8_t *)s;
		d->config_len = len;
	}
	free(rel);
	if (d->real) {
		char *copy = vi_strdup(d->real), *slash = strrchr(copy, '/');

		if (slash) {
			*slash = '\0';
			if (is_pci_name(vi_basename(copy)))
				d->parent = vi_strdup(vi_basename(copy));
		}
		free(copy);
	}
	return d->name && d->path ? 0 : -ENOMEM;
}

int vi_pci_load(struct vi_backend *be, const char *path, const char *name,
		struct vi_pcidev *d)
{
	return pci_load(be, path, name, d, true);
}

int vi_pci_load_list(struct vi_backend *be, const char *path, const char *name,
		     struct vi_pcidev *d)
{
	return pci_load(be, path, name, d, false);
}

void vi_pci_free(struct vi_pcidev *d)
{
	free(d->name);
	free(d->path);
	free(d->real);
	free(d->driver);
	free(d->driver_override);
	free(d->group);
	free(d->cdev);
	free(d->reset_method);
	free(d->power_state);
	free(d->power_control);
	free(d->runtime_status);
	free(d->physfn);
	free(d->link_speed);
	free(d->link_width);
	free(d->parent);
	free(d->config);
	free(d->mdev_parent);
	free(d->mdev_type);
	memset(d, 0, sizeof(*d));
}

/* ---- groups ---- */

static int cmp_numeric(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	if (isdigit((unsigned char)*x) && isdigit((unsigned char)*y) && lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

int vi_groups_list(struct vi_backend *be, char ***ids, size_t *n)
{
	int r = be->ops->list_dir(be, VI_NS_SYS, "kernel/iommu_groups", ids, n);

	if (r == 0 && *n)
		qsort(*ids, *n, sizeof(**ids), cmp_numeric);
	return r;
}

int vi_group_devices(struct vi_backend *be, const char *id, char ***names, size_t *n)
{
	char *rel = vi_asprintf("kernel/iommu_groups/%s/devices", id);
	int r = be->ops->list_dir(be, VI_NS_SYS, rel, names, n);

	free(rel);
	return r;
}

char *vi_group_type(struct vi_backend *be, const char *id)
{
	return vi_sys_str(be, "kernel/iommu_groups/%s/type", id);
}

bool vi_group_is_noiommu(struct vi_backend *be, const char *id)
{
	char *s = vi_sys_str(be, "kernel/iommu_groups/%s/name", id), *emu;
	bool yes = s && strcmp(s, "vfio-noiommu") == 0;

	free(s);
	if (!yes)
		return false;
	/* The kernel names the group of emulated-IOMMU devices (mdevs)
	 * "vfio-noiommu" as well; their vfio group device is /sys/class/vfio/N,
	 * a noiommu group's is noiommu-N. */
	emu = vi_asprintf("class/vfio/%s", id);
	yes = !vi_sys_exists(be, emu);
	free(emu);
	return yes;
}

/* ---- holders ---- */

static bool vfio_node(const char *target)
{
	return strncmp(target, "/dev/vfio/", 10) == 0 || strcmp(target, "/dev/iommu") == 0;
}

/* Add (@node, @pid) unless already there: the holders from @from on are
 * @pid's (each process is scanned once), so only those are compared, and
 * the scan is not quadratic in processes times nodes. */
static int add_holder(struct vi_holders *h, size_t *cap, size_t from, const char *node,
		      const char *pid, const char *comm)
{
	for (size_t i = from; i < h->n; i++)
		if (strcmp(h->v[i].node, node) == 0 && strcmp(h->v[i].pid, pid) == 0)
			return 0;
	if (h->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct vi_holder *nv = realloc(h->v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		h->v = nv;
		*cap = nc;
	}
	h->v[h->n].node = vi_strdup(node);
	h->v[h->n].pid = vi_strdup(pid);
	h->v[h->n].comm = vi_strdup(comm);
	h->n++;
	return 0;
}

int vi_holders_scan(struct vi_backend *be, struct vi_holders *h)
{
	char **pids = NULL;
	size_t np = 0, cap = 0;

	memset(h, 0, sizeof(*h));
	if (be->ops->list_dir(be, VI_NS_PROC, "", &pids, &np) != 0)
		return 0;
	h->scanned = true;
	for (size_t i = 0; i < np; i++) {
		char *fddir, **fds = NULL, *comm = NULL;
		size_t nf = 0, from = h->n;

		if (pids[i][0] < '1' || pids[i][0] > '9')
			continue;
		fddir = vi_asprintf("%s/fd", pids[i]);
		if (be->ops->list_dir(be, VI_NS_PROC, fddir, &fds, &nf) == 0) {
			for (size_t j = 0; j < nf; j++) {
				char *rel = vi_asprintf("%s/%s", fddir, fds[j]), *l = NULL;

				if (be->ops->readlink(be, VI_NS_PROC, rel, &l) == 0 &&
				    vfio_node(l)) {
					if (!comm) {
						char *c = vi_asprintf("%s/comm", pids[i]);

						comm = vi_proc_str(be, c);
						free(c);
					}
					add_holder(h, &cap, from, l, pids[i], comm);
				}
				free(l);
				free(rel);
			}
			vi_names_free(fds, nf);
		}
		free(comm);
		free(fddir);
	}
	vi_names_free(pids, np);
	return 0;
}

void vi_holders_free(struct vi_holders *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].node);
		free(h->v[i].pid);
		free(h->v[i].comm);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* ---- the calling process ---- */

static const char *field(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, n) == 0)
			return p + n;
	return NULL;
}

int vi_self_load(struct vi_backend *be, struct vi_self *s)
{
	char *st = vi_proc_str(be, "self/status"), *lim;
	const char *f;

	memset(s, 0, sizeof(*s));
	if (st) {
		/* effective ids: the second column */
		if ((f = field(st, "Uid:")) && sscanf(f, "%*u %u", &s->uid) == 1 &&
		    (f = field(st, "Gid:")) && sscanf(f, "%*u %u", &s->gid) == 1)
			s->known = true;
		if ((f = field(st, "Groups:"))) {
			char *end;

			while (s->ngroups < 64) {
				unsigned long g = strtoul(f, &end, 10);

				if (end == f)
					break;
				s->groups[s->ngroups++] = (unsigned int)g;
				f = end;
			}
		}
		if ((f = field(st, "CapEff:")))
			s->capeff = strtoull(f, NULL, 16);
		free(st);
	}
	lim = vi_proc_str(be, "self/limits");
	if (lim) {
		f = field(lim, "Max locked memory");
		if (f) {
			while (*f == ' ')
				f++;
			s->memlock_known = true;
			if (strncmp(f, "unlimited", 9) == 0)
				s->memlock_unlimited = true;
			else
				s->memlock = strtoull(f, NULL, 10);
		}
		free(lim);
	}
	return 0;
}

bool vi_self_can_rw(const struct vi_self *s, const struct vi_nodeinfo *st)
{
	unsigned int bits;
	bool in_group = s->gid == st->gid;

	if (!s->known)
		return true;
	if (s->uid == 0 || (s->capeff & (1ULL << VI_CAP_DAC_OVERRIDE)))
		return true;
	for (size_t i = 0; i < s->ngroups && !in_group; i++)
		in_group = s->groups[i] == st->gid;
	if (s->uid == st->uid)
		bits = (st->mode >> 6) & 7;
	else if (in_group)
		bits = (st->mode >> 3) & 7;
	else
		bits = st->mode & 7;
	return (bits & 6) == 6;
}

const char *vi_mode_str(const struct vi_nodeinfo *st, char *buf, size_t len)
{
	static const char rwx[] = "rwxrwxrwx";
	char m[11];

	m[0] = S_ISCHR(st->mode) ? 'c' : S_ISDIR(st->mode) ? 'd' : S_ISBLK(st->mode) ? 'b' : '-';
	for (int i = 0; i < 9; i++)
		m[1 + i] = (st->mode & (0400u >> i)) ? rwx[i] : '-';
	m[10] = '\0';
	snprintf(buf, len, "%s %u:%u", m, st->uid, st->gid);
	return buf;
}
