/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safe.h - what a name taken from the kernel, sysfs or a capture may be
 * before it is printed or put into a command a person may paste.
 *
 * Validators answer "is this a name of that kind as the kernel makes
 * them": a value that fails is shown escaped and never put into a
 * command.  vi_shquote() quotes a validated value for a POSIX shell.
 */
#ifndef VFIO_INFO_SAFE_H
#define VFIO_INFO_SAFE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Kinds of name a remedy may carry. */
enum vi_name_kind {
	VI_NAME_BDF,		/* canonical PCI address DDDD:BB:DD.F */
	VI_NAME_DRIVER,		/* a driver's name as in /sys/bus/.../drivers */
	VI_NAME_GROUP,		/* IOMMU group number (decimal, optional noiommu-) */
	VI_NAME_UUID,		/* an mdev UUID */
	VI_NAME_PID,		/* a positive decimal pid */
	VI_NAME_CDEV,		/* vfioN, a VFIO device cdev */
	VI_NAME_COMPONENT,	/* one path component: no '/', not "." or "..",
				 * printable ASCII (space included: the kernel
				 * names a platform device "Fixed MDIO bus.0"),
				 * at most 255 bytes */
	VI_NAME_MODULE,		/* a kernel module name */
	VI_NAME_USER,		/* a user or group name (useradd's rules) */
	VI_NAME_NETIF,		/* a network interface name: 1-15 printable
				 * ASCII bytes, no '/', ':' or space, not "."
				 * or ".." (the kernel's dev_valid_name) */
	VI_NAME_PATH,		/* an absolute path: printable ASCII (spaces
				 * allowed), no "." or ".." component, < 4096 */
	VI_NAME_MDEV_TYPE,	/* an mdev type id, the directory under
				 * mdev_supported_types ("mtty-2", "i915-GVTg_V5_4",
				 * "nvidia-35"): 1-64 of [A-Za-z0-9_.:+-], not
				 * starting with '.' or '-' */
};

/* True when @s is a well-formed name of @kind. */
bool vi_name_ok(enum vi_name_kind kind, const char *s);
/* What vi_name_ok() checks, in words, for a note ("a driver name"). */
const char *vi_name_kind_word(enum vi_name_kind kind);

/* @s quoted for a POSIX shell: returned as is when every byte is one a
 * shell never interprets ([A-Za-z0-9_@%+=:,./-]), else in single quotes
 * with each ' written as '\''.  malloc'ed. */
char *vi_shquote(const char *s);

/* @s with control characters and non-ASCII bytes escaped (\xNN) and, when
 * longer than @max bytes after escaping, shortened in the middle with
 * "..." so both ends stay visible.  @max below 16 is taken as 16.
 * malloc'ed; never NULL (aborts on allocation failure as vi_strdup). */
char *vi_printable(const char *s, size_t max);

/* A message formatted from @fmt with control characters escaped (valid
 * UTF-8 other than C1 controls kept): what vi_error() prints.  malloc'ed;
 * NULL when out of memory. */
char *vi_vprintable(const char *fmt, va_list ap);

/* The longest name a message quotes in full. */
#define VI_MSG_NAME_MAX 160

#endif
