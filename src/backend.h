/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.h - everything vfio-info asks of the system, behind one table.
 *
 * Three implementations:
 *   backend-live.c    the only file that makes VFIO syscalls (and reads the
 *                     real /sys, /proc, /dev);
 *   backend-replay.c  answers from a capture file (spec/capture.md) with the
 *                     kernel's size-negotiation semantics;
 *   backend-record.c  wraps another backend and records every answer, so
 *                     that `capture` writes what a later replay needs.
 * Above this line live and replay run the same code.
 *
 * Conventions: handles are small non-negative ints owned by the backend.
 * Every function returns >= 0 on success and a negative errno on failure;
 * none prints or exits.  Struct buffers are laid out in the byte order of
 * the answering kernel (backend->big_endian).
 */
#ifndef VFIO_INFO_BACKEND_H
#define VFIO_INFO_BACKEND_H

/*
 * -VI_ENOREC: replay has no answer for this call because the capture never
 * asked it (a feature id or hw_info type the recording vfio-info did not
 * know).  Not an errno a kernel gives: the emitter shows it as "not
 * recorded in this capture" (vi_emit_outcome), the recorder keeps nothing.
 */
#define VI_ENOREC	4000

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ioc.h"

struct vi_backend;

/* Namespaces for passive facts: paths are relative to /sys, /proc or /dev. */
enum vi_ns { VI_NS_SYS, VI_NS_PROC, VI_NS_DEV };

struct vi_ioarg {
	void *buf;		/* VI_ARG_STRUCT: the fixed struct */
	size_t len;		/*   its allocated length */
	void *aux;		/* user-pointer payload: IOVA range array
				 * (IOAS_IOVA_RANGES), hw-info blob
				 * (IOMMU_GET_HW_INFO), VF token (BIND) */
	size_t auxlen;
	uint64_t value;		/* VI_ARG_VALUE */
	int handle;		/* VI_ARG_FD: the handle whose fd is passed */
	const char *str;	/* VI_ARG_STRING */
};

struct vi_nodeinfo {
	unsigned int mode;	/* st_mode: type and permission bits */
	unsigned int uid, gid;
	unsigned int major, minor;
};

/* A device the backend can open, as found by enumeration. */
struct vi_devref {
	char *name;		/* GET_DEVICE_FD name: BDF, platform name, UUID */
	char *group;		/* "12", "noiommu-3", or NULL */
	char *cdev;		/* "vfio0" or NULL */
};

struct vi_hostinfo {
	char kernel[128];	/* uname -r */
	char machine[64];	/* uname -m */
	bool big_endian;
	unsigned int page_size;
};

struct vi_backend_ops {
	const char *name;

	/* Open a device node by absolute path (/dev/vfio/vfio, /dev/vfio/12,
	 * /dev/vfio/devices/vfio0, /dev/iommu).  Returns a handle. */
	int (*open_node)(struct vi_backend *be, const char *path, enum vi_fdkind kind);
	void (*close)(struct vi_backend *be, int h);

	/* One ioctl.  Returns the kernel's non-negative return value (for
	 * GROUP_GET_DEVICE_FD: a new handle) or -errno.  Makes exactly one
	 * call: growth is the caller's business (query.c). */
	long (*ioctl)(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *arg);

	ssize_t (*pread)(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off);
	ssize_t (*pwrite)(struct vi_backend *be, int h, const void *buf, size_t len, uint64_t off);
	/* Map [off, off+len) of a device handle; NULL + errno on failure. */
	void *(*mmap)(struct vi_backend *be, int h, size_t len, uint64_t off, bool writable);
	int (*munmap)(struct vi_backend *be, void *addr, size_t len);

	/* Passive facts.  *out is malloc'ed and NUL-terminated; *len excludes
	 * the NUL.  list_dir returns a malloc'ed array of malloc'ed names,
	 * sorted. */
	int (*read_file)(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 char **out, size_t *len);
	int (*readlink)(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out);
	int (*list_dir)(struct vi_backend *be, enum vi_ns ns, const char *rel,
			char ***names, size_t *n);
	int (*stat_node)(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 struct vi_nodeinfo *st);

	/* Every VFIO-usable device (live: bound to a VFIO driver, from sysfs;
	 * replay: every device in the capture), sorted by name. */
	int (*enumerate)(struct vi_backend *be, struct vi_devref **list, size_t *n);

	int (*host_info)(struct vi_backend *be, struct vi_hostinfo *hi);

	/*
	 * Interrupt counters (the shell's `irq`).  event_new makes a handle
	 * the kernel can signal through VFIO_DEVICE_SET_IRQS (its number goes
	 * into the s32 data array); close() frees it.  event_wait waits at
	 * most @timeout_ms (0: just look) until one of @hs[0..@n) has been
	 * signalled, and adds to @counts[i] what each one counted since the
	 * last look (reading resets it).  Returns how many handles had
	 * counts, 0 when the time ran out, -EINTR when a signal arrived, or
	 * -errno.  *@settled is set when waiting longer cannot change the
	 * counts (replay: no device raises interrupts, and its loopback
	 * triggers are counted at once), so the caller need not wait.
	 */
	int (*event_new)(struct vi_backend *be);
	int (*event_wait)(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			  uint64_t *counts, bool *settled);

	void (*destroy)(struct vi_backend *be);
};

struct vi_backend {
	const struct vi_backend_ops *ops;
	bool big_endian;	/* byte order of struct buffers */
	unsigned int page_size;
	const char *const *profiles; /* replay: NULL-terminated profile names the capture asks for */
	void *priv;
};

/* Constructors.  On failure they return NULL and fill @err (a one-line
 * message naming what is wrong, e.g. "capture.json:3:14: expected ','"). */
struct vi_backend *vi_backend_live_new(void);
/* The live backend's file reads below @dir (--sysroot: a copied or
 * unpacked tree with sys/, proc/ and dev/): sysfs, procfs and /dev facts
 * only; opening a VFIO node fails with ENXIO. */
struct vi_backend *vi_backend_sysroot_new(const char *dir);
struct vi_backend *vi_backend_replay_new(const char *path, char *err, size_t errlen);
/* Replay with options.  @max_size: the largest file read (0: the default,
 * VI_CAPTURE_MAX_SIZE).  @report, when set, is called once for each part
 * of the capture no kernel would answer (a success without data, bytes
 * beyond a region, a name that is not a name...): @msg names the file and
 * the JSON position; the part is left out and the rest loads. */
struct vi_replay_opts {
	uint64_t max_size;
	void (*report)(void *ctx, int err, const char *msg);
	void *report_ctx;
};
struct vi_backend *vi_backend_replay_open(const char *path, const struct vi_replay_opts *o,
					  char *err, size_t errlen);
/* The same from a capture in memory (@len bytes at @buf), named @name in
 * messages: for tests and fuzzers. */
struct vi_backend *vi_backend_replay_new_mem(const void *buf, size_t len, const char *name,
					     const struct vi_replay_opts *o,
					     char *err, size_t errlen);
/* Wrap @inner; every answer is kept for vi_record_write().  The recorder
 * takes ownership of @inner: destroying it destroys @inner too. */
struct vi_backend *vi_backend_record_new(struct vi_backend *inner);
/* Keep each of @v (name, group, cdev) as a device of the capture even if
 * no call reached it (its group was busy or not viable): a replay then
 * finds the device and fails where the live run failed.  0 or -errno. */
int vi_record_devices(struct vi_backend *rec, const struct vi_devref *v, size_t n);
/* Write the capture (spec/capture.md) of everything recorded so far.
 * @profiles: NULL-terminated list to store under "profiles", or NULL.
 * Returns 0 or -errno. */
int vi_record_write(struct vi_backend *rec, const char *path, const char *const *profiles);

/* Convenience wrappers (backend.c). */
static inline long vi_be_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	return be->ops->ioctl(be, h, ioc, a);
}
void vi_devref_free(struct vi_devref *list, size_t n);
void vi_names_free(char **names, size_t n);
int vi_be_read_sys(struct vi_backend *be, const char *rel, char **out);	/* trims trailing newline */
void vi_backend_destroy(struct vi_backend *be);

#endif
