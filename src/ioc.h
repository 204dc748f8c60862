/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioc.h - the VFIO/IOMMUFD ioctls vfio-info knows, as data.
 *
 * Kernel ioctl numbers are reused across file kinds (VFIO_BASE + 12 is
 * GET_PCI_HOT_RESET_INFO on a device and IOMMU_GET_INFO on a container), so
 * everything above the live backend names calls by this enum, never by
 * number.  The table gives each call its kernel name (used in captures and
 * -v output), number, the file kind it is made on and its argument style.
 */
#ifndef VFIO_INFO_IOC_H
#define VFIO_INFO_IOC_H

#include <stddef.h>
#include <stdint.h>

enum vi_fdkind {
	VI_FD_CONTAINER,	/* /dev/vfio/vfio */
	VI_FD_GROUP,		/* /dev/vfio/N, /dev/vfio/noiommu-N */
	VI_FD_DEVICE,		/* from GET_DEVICE_FD, or /dev/vfio/devices/vfioX */
	VI_FD_IOMMUFD,		/* /dev/iommu */
	VI_FD_EVENTFD,		/* an eventfd the kernel signals (SET_IRQS) */
};

enum vi_argstyle {
	VI_ARG_NONE,		/* no argument */
	VI_ARG_VALUE,		/* integer passed by value (ioarg.value) */
	VI_ARG_STRUCT,		/* pointer to ioarg.buf of ioarg.len bytes */
	VI_ARG_FD,		/* pointer to an int holding ioarg.handle */
	VI_ARG_STRING,		/* pointer to NUL-terminated ioarg.str */
};

/* How a query learns that it needs a bigger buffer (uapi-inventory §1.8). */
enum vi_growth {
	VI_GROW_NONE,		/* fixed size */
	VI_GROW_ARGSZ,		/* rc 0, argsz raised (CAPS-style info calls) */
	VI_GROW_COUNT_ENOSPC,	/* -ENOSPC with a count (hot-reset info) */
	VI_GROW_COUNT_EMSGSIZE,	/* -EMSGSIZE with num_iovas (IOAS_IOVA_RANGES) */
	VI_GROW_DATA_LEN,	/* rc 0, data_len raised (IOMMU_GET_HW_INFO) */
};

enum vi_ioc {
	VI_IOC_GET_API_VERSION,
	VI_IOC_CHECK_EXTENSION,
	VI_IOC_SET_IOMMU,
	VI_IOC_GROUP_GET_STATUS,
	VI_IOC_GROUP_SET_CONTAINER,
	VI_IOC_GROUP_GET_DEVICE_FD,
	VI_IOC_DEVICE_GET_INFO,
	VI_IOC_DEVICE_GET_REGION_INFO,
	VI_IOC_DEVICE_GET_IRQ_INFO,
	VI_IOC_DEVICE_RESET,
	VI_IOC_DEVICE_SET_IRQS,
	VI_IOC_IOMMU_GET_INFO,
	VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO,
	VI_IOC_DEVICE_FEATURE,
	VI_IOC_DEVICE_BIND_IOMMUFD,
	VI_IOC_DEVICE_ATTACH_IOMMUFD_PT,
	VI_IOC_IOMMU_IOAS_ALLOC,
	VI_IOC_IOMMU_IOAS_IOVA_RANGES,
	VI_IOC_IOMMU_GET_HW_INFO,
	VI_IOC_DEVICE_QUERY_GFX_PLANE,	/* PROBE forms only */
	VI_IOC_COUNT
};

struct vi_ioc_desc {
	enum vi_ioc ioc;
	const char *name;		/* kernel macro name, e.g. "VFIO_DEVICE_GET_INFO" */
	unsigned long nr;		/* kernel ioctl number */
	enum vi_fdkind fd;
	enum vi_argstyle arg;
	enum vi_growth growth;
	uint32_t minsz;			/* smallest argsz/size the kernel accepts */
	uint32_t fixedsz;		/* size of the fixed struct we send */
	int opens;			/* 1: only opens/binds/attaches (replay: succeeds) */
	int side_effect;		/* 1: changes device state beyond opening */
};

const struct vi_ioc_desc *vi_ioc_desc(enum vi_ioc ioc);
/* By kernel name; NULL if unknown. */
const struct vi_ioc_desc *vi_ioc_by_name(const char *name);

#endif
