/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysfs.h - PCI and IOMMU-group facts from sysfs and procfs, read through
 * the backend so that a capture answers them offline.
 *
 * Nothing here opens a VFIO file.  Every function returns 0 or -errno and
 * never prints; missing attributes are left at their "unknown" values
 * (-1, NULL), since kernels and architectures differ in what they expose.
 */
#ifndef VFIO_INFO_SYSFS_H
#define VFIO_INFO_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* How a group member's driver affects the group's viability (kernel
 * DMA-ownership rules: driver_managed_dma drivers and unbound devices
 * do not block). */
enum vi_drvkind {
	VI_DRV_NONE,		/* unbound */
	VI_DRV_VFIO,		/* vfio-pci and its variants, vfio-platform... */
	VI_DRV_STUB,		/* pci-stub: claims the device, does no DMA */
	VI_DRV_BRIDGE,		/* pcieport: bridge service driver, no DMA */
	VI_DRV_HOST,		/* anything else: blocks viability */
};

enum vi_drvkind vi_driver_kind(const char *driver);
bool vi_driver_blocks(enum vi_drvkind k);
/* "vfio", "unbound", "pci-stub, no DMA", ... */
const char *vi_drvkind_desc(enum vi_drvkind k);

#define VI_PCI_NRES	7	/* BARs 0-5 and the expansion ROM */

struct vi_bar {
	uint64_t start, end, flags;	/* the sysfs `resource` line */
};

#define VI_RES_IO	0x100ULL	/* IORESOURCE_IO */
#define VI_RES_MEM	0x200ULL	/* IORESOURCE_MEM */
#define VI_RES_PREFETCH	0x2000ULL	/* IORESOURCE_PREFETCH */
#define VI_RES_MEM64	0x100000ULL	/* IORESOURCE_MEM_64 */

struct vi_pcidev {
	char *name;		/* "0000:01:00.0" (any bus: the sysfs name) */
	char *path;		/* sysfs path used to read it */
	char *real;		/* "devices/pci0000:00/0000:00:1c.0/0000:01:00.0" or NULL */
	bool pci;		/* has vendor/device/class */
	long vendor, device, subvendor, subdevice, revision, class;	/* -1: unknown */
	char *driver;
	enum vi_drvkind kind;
	char *driver_override;	/* NULL or "" when none */
	char *group;		/* "12", NULL when not in an IOMMU group */
	bool noiommu;		/* the group is a vfio-noiommu group */
	char *cdev;		/* "vfio0" from vfio-dev/, or NULL */
	char *reset_method;	/* "flr bus", "" (none), NULL (attribute absent) */
	char *power_state;	/* "D0", "D3cold", ... */
	char *power_control;	/* power/control: "auto", "on" */
	char *runtime_status;	/* power/runtime_status */
	int d3cold_allowed, boot_vga, numa_node;	/* -1: unknown */
	int sriov_totalvfs, sriov_numvfs;		/* -1: not a PF */
	char *physfn;		/* PF name for a VF */
	char *link_speed, *link_width;
	char *parent;		/* upstream bridge name, or NULL on a root bus */
	struct vi_bar res[VI_PCI_NRES];
	int nres;		/* lines read from `resource` */
	uint8_t *config;	/* sysfs `config` bytes (NULL if unreadable) */
	size_t config_len;
	bool mdev;		/* a mediated device (it has an mdev_type) */
	char *mdev_parent;	/* its parent device's name, NULL if unknown */
	char *mdev_type;	/* its type id ("mtty-2"), NULL if not a type id */
};

/* Read everything known about the device at sysfs path @path (e.g.
 * "bus/pci/devices/0000:01:00.0"); @name is its sysfs name. */
int vi_pci_load(struct vi_backend *be, const char *path, const char *name,
		struct vi_pcidev *d);
/* Only what `list` shows, each attribute read once: the identity
 * (vendor, device, subsystem, revision, class), driver, cdev and SR-IOV
 * (totalvfs, numvfs, physfn); the rest stays unknown (-1, NULL) and the
 * group comes from the caller, who found the device in it. */
int vi_pci_load_list(struct vi_backend *be, const char *path, const char *name,
		     struct vi_pcidev *d);
void vi_pci_free(struct vi_pcidev *d);
/* "bus/pci/devices/NAME" if that device exists (malloc'ed), else NULL. */
char *vi_pci_path(struct vi_backend *be, const char *name);

/* PCI capability lookup in config-space bytes (sysfs `config`, little
 * endian).  Return the capability's offset or 0. */
unsigned int vi_pci_cap(const uint8_t *cfg, size_t len, unsigned int id);
unsigned int vi_pci_ext_cap(const uint8_t *cfg, size_t len, unsigned int id);
/* Little-endian reads; 0 when out of range. */
uint32_t vi_cfg_read(const uint8_t *cfg, size_t len, unsigned int off, unsigned int size);

/* IOMMU groups, in numeric order. */
int vi_groups_list(struct vi_backend *be, char ***ids, size_t *n);
int vi_group_devices(struct vi_backend *be, const char *id, char ***names, size_t *n);
/* The group's default domain type ("DMA", "identity"...), NULL if absent. */
char *vi_group_type(struct vi_backend *be, const char *id);
bool vi_group_is_noiommu(struct vi_backend *be, const char *id);

/* Processes holding VFIO or iommufd nodes, from /proc/<pid>/fd. */
struct vi_holder {
	char *node;		/* "/dev/vfio/12" */
	char *pid;
	char *comm;		/* may be NULL */
};

struct vi_holders {
	struct vi_holder *v;
	size_t n;
	bool scanned;		/* /proc was readable */
};

int vi_holders_scan(struct vi_backend *be, struct vi_holders *h);
void vi_holders_free(struct vi_holders *h);

/* The calling process's credentials and limits, from /proc/self. */
struct vi_self {
	bool known;
	unsigned int uid, gid;
	unsigned int groups[64];
	size_t ngroups;
	uint64_t capeff;
	bool memlock_known, memlock_unlimited;
	uint64_t memlock;	/* soft limit, bytes */
};

#define VI_CAP_DAC_OVERRIDE	1
#define VI_CAP_IPC_LOCK		14
#define VI_CAP_SYS_RAWIO	17
#define VI_CAP_SYS_RESOURCE	24

int vi_self_load(struct vi_backend *be, struct vi_self *s);
/* Could the process open a node of this mode/owner read-write? */
bool vi_self_can_rw(const struct vi_self *s, const struct vi_nodeinfo *st);
/* "crw-rw---- 0:36" into @buf. */
const char *vi_mode_str(const struct vi_nodeinfo *st, char *buf, size_t len);

/* ---- mediated devices (sysfs-mdev.c) ---- */

#define VI_MDEV_ATTR_MAX	256	/* a type's name, description, device_api */
#define VI_MDEV_MAX_PARENTS	4096
#define VI_MDEV_MAX_TYPES	256	/* per parent */
#define VI_MDEV_MAX_DEVICES	4096	/* per type */

/* One supported type of a parent: /sys/class/mdev_bus/PARENT/
 * mdev_supported_types/ID/.  Attributes NULL when absent. */
struct vi_mdev_type {
	char *id;		/* "mtty-2", a valid VI_NAME_MDEV_TYPE */
	char *name, *description, *device_api;
	int64_t available;	/* available_instances; -1: absent or no number */
	char **devices;		/* instances (UUIDs), sorted */
	size_t ndevices;
	size_t bad_devices;	/* entries that are no UUID (or over the bound) */
};

struct vi_mdev_parent {
	char *name;		/* the parent device's name: "mtty", "0000:00:02.0" */
	struct vi_mdev_type *types;
	size_t ntypes;
	size_t bad_types;	/* entries that are no type id (or over the bound) */
};

struct vi_mdev_parents {
	bool present;		/* /sys/class/mdev_bus exists (mdev support loaded) */
	struct vi_mdev_parent *v;
	size_t n;
	size_t bad_parents;	/* names that are no file name (or over the bound) */
};

/* Every parent in /sys/class/mdev_bus with its types.  0, -ENOENT when
 * the class does not exist (@out->present false), -ENOMEM. */
int vi_mdev_parents_load(struct vi_backend *be, struct vi_mdev_parents *out);
void vi_mdev_parents_free(struct vi_mdev_parent *p, size_t n);
/* Is the device at sysfs @devpath an mdev?  0 with its parent's name and
 * type id (each NULL when sysfs gives none that is valid; malloc'ed), or
 * -ENOENT when it has no mdev_type link. */
int vi_mdev_of(struct vi_backend *be, const char *devpath, char **parent, char **type);

/* Trimmed sysfs/procfs text; NULL if unreadable. */
char *vi_sys_str(struct vi_backend *be, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *vi_proc_str(struct vi_backend *be, const char *rel);
bool vi_sys_exists(struct vi_backend *be, const char *rel);

#endif
