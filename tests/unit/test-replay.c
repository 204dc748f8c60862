// SPDX-License-Identifier: GPL-2.0-or-later
/* test-replay.c - the replay backend's kernel emulation, the loader, and record round trips. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "backend.h"
#include "bytes.h"
#include "capture-io.h"
#include "emit.h"
#include "inspect.h"
#include "target.h"
#include "uapi/vfio-abi.h"
#include "tap.h"

#define TOKEN "01234567-89ab-cdef-0123-456789abcdef"

static char srcdir[512] = ".";

static const char *cap_path(const char *name)
{
	static char buf[4][640];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/tests/captures/%s", srcdir, name);
	return p;
}

static struct vi_backend *load(const char *name)
{
	char err[512];
	struct vi_backend *be = vi_backend_replay_new(cap_path(name), err, sizeof(err));

	if (!be)
		printf("# loading %s: %s\n", name, err);
	return be;
}

static uint32_t get32(struct vi_backend *be, const uint8_t *buf, size_t len, size_t off)
{
	return vi_get32(vi_bytes_make(buf, len, be->big_endian), off);
}

static uint64_t get64(struct vi_backend *be, const uint8_t *buf, size_t len, size_t off)
{
	return vi_get64(vi_bytes_make(buf, len, be->big_endian), off);
}

static void put32(struct vi_backend *be, uint8_t *buf, size_t len, size_t off, uint32_t v)
{
	vi_put32(buf, len, off, v, be->big_endian);
}

static long call_struct(struct vi_backend *be, int h, enum vi_ioc ioc, uint8_t *buf, size_t len)
{
	struct vi_ioarg a = { .buf = buf, .len = len };

	return vi_be_ioctl(be, h, ioc, &a);
}

/* A region/irq-style info call with the given argsz and index. */
static long info_call(struct vi_backend *be, int h, enum vi_ioc ioc, uint8_t *buf, size_t len,
		      uint32_t index)
{
	memset(buf, 0, len);
	put32(be, buf, len, 0, (uint32_t)len);
	put32(be, buf, len, VI_REGION_INDEX, index);
	return call_struct(be, h, ioc, buf, len);
}

/* ---- the emulation, call by call ---- */

static void test_argsz(void)
{
	struct vi_backend *be = load("unit-replay-basic.json");
	uint8_t buf[128];
	int c, g, d;
	long ret;

	ok(be != NULL, "basic capture loads");
	if (!be)
		return;
	is_int(be->big_endian, 0, "little-endian capture");
	is_int(be->page_size, 4096, "page size from the capture");

	c = be->ops->open_node(be, "/dev/vfio/vfio", VI_FD_CONTAINER);
	g = be->ops->open_node(be, "/dev/vfio/12", VI_FD_GROUP);
	ok(c >= 0 && g >= 0, "container and group 12 open");
	is_int(be->ops->open_node(be, "/dev/vfio/99", VI_FD_GROUP), -ENOENT,
	       "unknown group: ENOENT");
	is_int(be->ops->open_node(be, "/dev/vfio/devices/vfio7", VI_FD_DEVICE), -ENOENT,
	       "unknown cdev: ENOENT");

	{
		struct vi_ioarg a = { .str = "0000:01:00.0 vf_token=" TOKEN };
		struct vi_ioarg bad = { .str = "0000:09:00.0" };
		struct vi_ioarg other = { .str = "0000:02:00.0" };

		d = (int)vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a);
		ok(d >= 0, "GET_DEVICE_FD with a vf_token suffix opens the device");
		is_int(vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &bad), -ENODEV,
		       "GET_DEVICE_FD of an unknown device: ENODEV");
		is_int(vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &other), -ENODEV,
		       "GET_DEVICE_FD of a device of another group: ENODEV");
	}

	/* DEVICE_GET_INFO: 24-byte struct + 16 bytes of caps */
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 16);
	ret = call_struct(be, d, VI_IOC_DEVICE_GET_INFO, buf, 16);
	is_int(ret, 0, "short DEVICE_GET_INFO returns 0");
	is_int(get32(be, buf, 16, 0), 40, "short DEVICE_GET_INFO: argsz raised to 40");
	ok(get32(be, buf, 16, 4) & VI_DEVICE_FLAGS_CAPS, "short DEVICE_GET_INFO: CAPS flag set");
	is_int(get32(be, buf, 16, 8), 9, "short DEVICE_GET_INFO: num_regions");

	memset(buf, 0xee, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 24);
	ret = call_struct(be, d, VI_IOC_DEVICE_GET_INFO, buf, 24);
	is_int(ret, 0, "24-byte DEVICE_GET_INFO returns 0");
	is_int(get32(be, buf, 24, 0), 40, "24-byte DEVICE_GET_INFO: argsz 40");
	is_int(get32(be, buf, 24, VI_DEVINFO_CAP_OFFSET), 0, "24-byte DEVICE_GET_INFO: cap_offset 0");
	is_int(buf[24], 0xee, "nothing written past the fixed struct");

	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 64);
	ret = call_struct(be, d, VI_IOC_DEVICE_GET_INFO, buf, 64);
	is_int(ret, 0, "full DEVICE_GET_INFO returns 0");
	is_int(get32(be, buf, 64, 0), 64, "full DEVICE_GET_INFO: the caller's argsz is kept");
	is_int(get32(be, buf, 64, VI_DEVINFO_CAP_OFFSET), 24, "full DEVICE_GET_INFO: cap_offset 24");
	is_int(get64(be, buf, 64, 32), 0x1122334455667788ull, "full DEVICE_GET_INFO: cap payload");

	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 12);
	is_int(call_struct(be, d, VI_IOC_DEVICE_GET_INFO, buf, 16), -EINVAL,
	       "DEVICE_GET_INFO below minsz: EINVAL");
	is_int(call_struct(be, d, VI_IOC_GROUP_GET_STATUS, buf, 16), -ENOTTY,
	       "a group ioctl on a device handle: ENOTTY");

	/* regions */
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_REGION_INFO, buf, 32, 7), 0, "region 7 info");
	is_int(get64(be, buf, 32, VI_REGION_SIZE_OFF), 256, "region 7 size");
	is_int(get64(be, buf, 32, VI_REGION_OFFSET_OFF), 7ull << 40, "region 7 offset");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_REGION_INFO, buf, 32, 0), 0,
	       "short region 0 info returns 0");
	is_int(get32(be, buf, 32, 0), 48, "short region 0: argsz raised to 48");
	is_int(get32(be, buf, 32, VI_REGION_CAP_OFFSET), 0, "short region 0: cap_offset 0");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_REGION_INFO, buf, 48, 0), 0, "full region 0");
	is_int(get32(be, buf, 48, VI_REGION_CAP_OFFSET), 32, "full region 0: cap_offset 32");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_REGION_INFO, buf, 32, 8), -EINVAL,
	       "region 8: the recorded EINVAL");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_REGION_INFO, buf, 32, 9), -ENOTTY,
	       "region 9: no entry, ENOTTY");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_IRQ_INFO, buf, 16, 0), 0, "irq 0 info");
	is_int(get32(be, buf, 16, VI_IRQ_COUNT), 1, "irq 0 count");

	/* responses in order, the last one repeated */
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_IRQ_INFO, buf, 16, 1), 0, "irq 1: response 1");
	is_int(get32(be, buf, 16, 0), 64, "irq 1: response 1 copied verbatim");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_IRQ_INFO, buf, 16, 1), -EAGAIN,
	       "irq 1: response 2 is EAGAIN");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_IRQ_INFO, buf, 16, 1), 0, "irq 1: response 3");
	is_int(get32(be, buf, 16, VI_IRQ_COUNT), 2, "irq 1: response 3 data");
	is_int(info_call(be, d, VI_IOC_DEVICE_GET_IRQ_INFO, buf, 16, 1), 0,
	       "irq 1: exhausted list repeats the last");
	is_int(get32(be, buf, 16, VI_IRQ_COUNT), 2, "irq 1: last response again");

	/* hot reset info */
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 8);
	is_int(call_struct(be, d, VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, buf, 12), -EINVAL,
	       "hot-reset below minsz: EINVAL");
	put32(be, buf, sizeof(buf), 0, 12);
	is_int(call_struct(be, d, VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, buf, 12), -ENOSPC,
	       "short hot-reset info: ENOSPC");
	is_int(get32(be, buf, 12, VI_HRI_COUNT), 2, "short hot-reset info: count 2");
	is_int(get32(be, buf, 12, 0), 12, "short hot-reset info: argsz untouched");
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 28);
	is_int(call_struct(be, d, VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, buf, 28), 0,
	       "hot-reset info with room: 0");
	is_int(get32(be, buf, 28, VI_HRI_DEVICES + 12), 0x0101, "hot-reset info: second entry");

	/* features */
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 8);
	put32(be, buf, sizeof(buf), 4, VI_FEAT_PROBE | VI_FEAT_GET | 3);
	is_int(call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 8), 0,
	       "feature 3 PROBE|GET (recorded as \"GET|PROBE\")");
	put32(be, buf, sizeof(buf), 4, VI_FEAT_PROBE | 1);
	is_int(call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 8), -ENOTTY,
	       "feature 1 PROBE: the recorded ENOTTY");
	put32(be, buf, sizeof(buf), 4, VI_FEAT_PROBE | VI_FEAT_SET | 3);
	is_int(call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 8), -ENOTTY,
	       "feature 3 PROBE|SET: no entry, ENOTTY");
	put32(be, buf, sizeof(buf), 4, VI_FEAT_PROBE | 13);
	is_int(call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 8), -VI_ENOREC,
	       "feature 13 PROBE, a named id with no entry at all: not recorded");
	put32(be, buf, sizeof(buf), 4, VI_FEAT_PROBE | 14);
	is_int(call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 8), -ENOTTY,
	       "feature 14 PROBE, an id vfio-info does not name: ENOTTY");
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 16);
	put32(be, buf, sizeof(buf), 4, VI_FEAT_GET | 3);
	is_int(call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 16), 0, "feature 3 GET");
	is_int(get64(be, buf, 16, 8), 5, "feature 3 GET: data");

	/* region bytes */
	{
		uint8_t rb[64];

		is_int(be->ops->pread(be, d, rb, 32, (7ull << 40) + 60), 20,
		       "pread across two captured pieces: a short read of what was captured");
		is_int(rb[0], (60 * 7) & 0xff, "pread: byte 60");
		is_int(rb[19], (79 * 7) & 0xff, "pread: byte 79");
		is_int(be->ops->pread(be, d, rb, 4, (7ull << 40) + 80), -ENODATA,
		       "pread past the captured bytes: ENODATA (the capture has none)");
		is_int(be->ops->pread(be, d, rb, 4, 0x10), -ENODATA,
		       "pread of an uncaptured region: ENODATA (the capture has none)");
		rb[0] = 0x42;
		is_int(be->ops->pwrite(be, d, rb, 1, (7ull << 40) + 4), 1, "pwrite into the copy");
		is_int(be->ops->pread(be, d, rb, 1, (7ull << 40) + 4), 1, "pread it back");
		is_int(rb[0], 0x42, "the write is visible");
		ok(be->ops->mmap(be, d, 4096, 0, false) == NULL && errno == ENODEV,
		   "mmap of uncaptured bytes: ENODEV");
		{
			uint8_t *m = be->ops->mmap(be, d, 4096, 7ull << 40, false);

			ok(m && ((uintptr_t)m & 4095) == 0, "mmap of captured bytes: page aligned copy");
			if (m) {
				is_int(m[4], 0x42, "mmap copy holds the bytes");
				is_int(m[200], 0, "mmap copy is zero past them");
				is_int(be->ops->munmap(be, m, 4096), 0, "munmap");
			}
		}
	}

	/* container and group */
	{
		struct vi_ioarg v = { .value = 3 };
		struct vi_ioarg none = { 0 };

		is_int(vi_be_ioctl(be, c, VI_IOC_GET_API_VERSION, &none), 0, "API version");
		is_int(vi_be_ioctl(be, c, VI_IOC_CHECK_EXTENSION, &v), 1, "extension 3: 1");
		v.value = 8;
		is_int(vi_be_ioctl(be, c, VI_IOC_CHECK_EXTENSION, &v), 0, "extension 8: 0");
		v.value = 9;
		is_int(vi_be_ioctl(be, c, VI_IOC_CHECK_EXTENSION, &v), -ENOTTY,
		       "extension 9: no entry, ENOTTY");
		v.value = 3;
		is_int(vi_be_ioctl(be, c, VI_IOC_SET_IOMMU, &v), 0, "SET_IOMMU succeeds");
		v.handle = c;
		is_int(vi_be_ioctl(be, g, VI_IOC_GROUP_SET_CONTAINER, &v), 0,
		       "SET_CONTAINER succeeds");
	}
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 4);
	is_int(call_struct(be, g, VI_IOC_GROUP_GET_STATUS, buf, 8), -EINVAL,
	       "GROUP_GET_STATUS below 8: EINVAL");
	put32(be, buf, sizeof(buf), 0, 8);
	is_int(call_struct(be, g, VI_IOC_GROUP_GET_STATUS, buf, 8), 0, "GROUP_GET_STATUS");
	is_int(get32(be, buf, 8, 4), 3, "group status flags");
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 16);
	is_int(call_struct(be, c, VI_IOC_IOMMU_GET_INFO, buf, 16), 0, "short IOMMU_GET_INFO");
	is_int(get32(be, buf, 16, 0), 40, "short IOMMU_GET_INFO: argsz 40");
	is_int(get64(be, buf, 16, VI_T1INFO_PGSIZES), 0x40201000, "IOMMU_GET_INFO: pgsizes");

	be->ops->close(be, d);
	be->ops->close(be, g);
	be->ops->close(be, c);
	vi_backend_destroy(be);
}

/* ---- VFIO_DEVICE_SET_IRQS: the kernel's checks, then the emulation ---- */

/* One SET_IRQS with @n s32 handles (or, with @bools, @n one-byte values). */
static long set_irqs(struct vi_backend *be, int d, uint32_t argsz, uint32_t flags,
		     uint32_t index, uint32_t start, uint32_t count, const int *hs,
		     const uint8_t *bools, uint32_t n)
{
	uint8_t buf[64];
	size_t len = VI_IRQSET_SIZE;

	memset(buf, 0, sizeof(buf));
	for (uint32_t i = 0; hs && i < n; i++)
		put32(be, buf, sizeof(buf), VI_IRQSET_DATA + 4 * i, (uint32_t)hs[i]);
	if (bools)
		memcpy(buf + VI_IRQSET_DATA, bools, n);
	len += hs ? 4 * n : bools ? n : 0;
	put32(be, buf, sizeof(buf), VI_IRQSET_ARGSZ, argsz ? argsz : (uint32_t)len);
	put32(be, buf, sizeof(buf), VI_IRQSET_FLAGS, flags);
	put32(be, buf, sizeof(buf), VI_IRQSET_INDEX, index);
	put32(be, buf, sizeof(buf), VI_IRQSET_START, start);
	put32(be, buf, sizeof(buf), VI_IRQSET_COUNT, count);
	return call_struct(be, d, VI_IOC_DEVICE_SET_IRQS, buf, len);
}

static void test_set_irqs(void)
{
	const uint32_t efd = VI_IRQ_SET_DATA_EVENTFD | VI_IRQ_SET_ACTION_TRIGGER;
	const uint32_t none = VI_IRQ_SET_DATA_NONE | VI_IRQ_SET_ACTION_TRIGGER;
	const uint32_t bools = VI_IRQ_SET_DATA_BOOL | VI_IRQ_SET_ACTION_TRIGGER;
	struct vi_backend *rec = vi_backend_record_new(load("unit-replay-basic.json"));
	struct vi_backend *be = rec;
	struct vi_ioarg a = { .str = "0000:01:00.0" };
	uint64_t counts[2] = { 0, 0 };
	uint8_t yes = 1, no = 0;
	bool settled = false;
	int g, d, e[2], bad[1];

	ok(rec != NULL, "SET_IRQS: the basic capture loads (through the recorder)");
	if (!rec)
		return;
	g = be->ops->open_node(be, "/dev/vfio/12", VI_FD_GROUP);
	d = (int)vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a);
	e[0] = be->ops->event_new(be);
	e[1] = be->ops->event_new(be);
	ok(d >= 0 && e[0] >= 0 && e[1] >= 0 && e[0] != e[1], "device and two event handles");

	/* what vfio_set_irqs_validate_and_prepare refuses */
	is_int(set_irqs(be, d, 16, efd, 0, 0, 1, e, NULL, 1), -EINVAL, "argsz below 20: EINVAL");
	is_int(set_irqs(be, d, 0, efd, 5, 0, 1, e, NULL, 1), -EINVAL,
	       "index 5, num_irqs 5: EINVAL");
	is_int(set_irqs(be, d, 0, efd, 2, 0, 1, e, NULL, 1), -EINVAL,
	       "an index without irq info: EINVAL");
	is_int(set_irqs(be, d, 0, efd, 0, 0, 2, e, NULL, 2), -EINVAL,
	       "count 2 on an index of 1 vector: EINVAL");
	is_int(set_irqs(be, d, 0, efd, 0, 1, 1, e, NULL, 1), -EINVAL,
	       "start 1 on an index of 1 vector: EINVAL");
	is_int(set_irqs(be, d, 0, efd | 0x40, 0, 0, 1, e, NULL, 1), -EINVAL,
	       "an unknown flag bit: EINVAL");
	is_int(set_irqs(be, d, 0, efd | VI_IRQ_SET_DATA_BOOL, 0, 0, 1, e, NULL, 1), -EINVAL,
	       "two DATA_ types: EINVAL");
	is_int(set_irqs(be, d, 0, VI_IRQ_SET_DATA_EVENTFD, 0, 0, 1, e, NULL, 1), -ENOTTY,
	       "no ACTION_ type: ENOTTY");
	is_int(set_irqs(be, d, 0, efd | VI_IRQ_SET_ACTION_MASK, 0, 0, 1, e, NULL, 1), -ENOTTY,
	       "two ACTION_ types: ENOTTY");
	is_int(set_irqs(be, d, 20, efd, 0, 0, 1, e, NULL, 1), -EINVAL,
	       "argsz without room for the eventfd: EINVAL");
	is_int(set_irqs(be, d, 0, none, 0, 0, 0, NULL, NULL, 0), -EINVAL,
	       "teardown of what was not set up: EINVAL");
	is_int(set_irqs(be, d, 0, none, 0, 0, 1, NULL, NULL, 0), -EINVAL,
	       "loopback of what was not set up: EINVAL");
	bad[0] = d;
	is_int(set_irqs(be, d, 0, efd, 0, 0, 1, bad, NULL, 1), -EINVAL,
	       "a device handle as the eventfd: EINVAL");
	bad[0] = 999;
	is_int(set_irqs(be, d, 0, efd, 0, 0, 1, bad, NULL, 1), -EBADF,
	       "no such handle: EBADF");
	is_int(set_irqs(be, d, 0, efd, 0, 0, 0, e, NULL, 0), -EINVAL,
	       "DATA_EVENTFD with count 0: EINVAL");

	/* INTx: set up, loopback, unmask, teardown */
	is_int(set_irqs(be, d, 0, efd, 0, 0, 1, e, NULL, 1), 0, "INTx set up");
	is_int(set_irqs(be, d, 0, efd, 1, 0, 1, e + 1, NULL, 1), -EINVAL,
	       "MSI while INTx is set up (a PCI device has one): EINVAL");
	is_int(be->ops->event_wait(be, e, 1, 1000, counts, &settled), 0,
	       "nothing signalled yet: 0 at once");
	ok(settled, "replay says waiting longer changes nothing");
	is_int(set_irqs(be, d, 0, none, 0, 0, 1, NULL, NULL, 0), 0, "INTx loopback");
	is_int(set_irqs(be, d, 0, bools, 0, 0, 1, NULL, &no, 1), 0, "DATA_BOOL false");
	is_int(set_irqs(be, d, 0, bools, 0, 0, 1, NULL, &yes, 1), 0, "DATA_BOOL true");
	is_int(be->ops->event_wait(be, e, 1, 1000, counts, &settled), 1, "one handle fired");
	is_int(counts[0], 2, "counted twice: DATA_NONE and the true DATA_BOOL");
	is_int(be->ops->event_wait(be, e, 1, 0, counts, &settled), 0, "reading reset it");
	is_int(set_irqs(be, d, 0, VI_IRQ_SET_DATA_NONE | VI_IRQ_SET_ACTION_UNMASK, 0, 0, 1,
			NULL, NULL, 0), 0, "INTx (MASKABLE) unmask");
	is_int(set_irqs(be, d, 0, none, 0, 0, 0, NULL, NULL, 0), 0, "INTx teardown");
	is_int(set_irqs(be, d, 0, none, 0, 0, 0, NULL, NULL, 0), -EINVAL,
	       "a second teardown: EINVAL");

	/* irq 1 (the last captured answer: 2 vectors), then a range of it */
	counts[0] = 0;
	is_int(set_irqs(be, d, 0, efd, 1, 0, 2, e, NULL, 2), 0, "irq 1: two vectors set up");
	is_int(set_irqs(be, d, 0, none, 1, 1, 1, NULL, NULL, 0), 0, "loopback of vector 1");
	is_int(be->ops->event_wait(be, e, 2, 0, counts, &settled), 1, "one of two fired");
	ok(counts[0] == 0 && counts[1] == 1, "vector 1's handle only");
	bad[0] = d;
	is_int(be->ops->event_wait(be, bad, 1, 0, counts, &settled), -EBADF,
	       "waiting on a device handle: EBADF");
	be->ops->close(be, d);
	d = (int)vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a);
	is_int(set_irqs(be, d, 0, efd, 0, 0, 1, e, NULL, 1), 0,
	       "closing the device tore irq 1 down: INTx sets up again");
	be->ops->close(be, e[0]);
	is_int(set_irqs(be, d, 0, none, 0, 0, 1, NULL, NULL, 0), 0,
	       "loopback after the eventfd closed");
	is_int(be->ops->event_wait(be, e + 1, 1, 0, counts, &settled), 0,
	       "a closed eventfd is signalled no more");
	be->ops->close(be, e[1]);
	be->ops->close(be, d);
	be->ops->close(be, g);
	vi_backend_destroy(rec);
}

static void test_iommufd(void)
{
	struct vi_backend *be = load("unit-replay-basic.json");
	uint8_t buf[64], ranges[64], blob[32];
	struct vi_ioarg a;
	int i, d;

	if (!be)
		return;
	i = be->ops->open_node(be, "/dev/iommu", VI_FD_IOMMUFD);
	d = be->ops->open_node(be, "/dev/vfio/devices/vfio0", VI_FD_DEVICE);
	ok(i >= 0 && d >= 0, "iommufd and cdev open");

	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, VI_BIND_SIZE);
	put32(be, buf, sizeof(buf), VI_BIND_IOMMUFD, (uint32_t)i);
	is_int(call_struct(be, d, VI_IOC_DEVICE_BIND_IOMMUFD, buf, VI_BIND_SIZE), 0, "BIND");
	is_int(get32(be, buf, VI_BIND_SIZE, VI_BIND_OUT_DEVID), 1, "BIND: out_devid from the capture");

	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, VI_IOAS_ALLOC_SIZE);
	is_int(call_struct(be, i, VI_IOC_IOMMU_IOAS_ALLOC, buf, VI_IOAS_ALLOC_SIZE), 0, "IOAS_ALLOC");
	is_int(get32(be, buf, VI_IOAS_ALLOC_SIZE, VI_IOAS_ALLOC_OUT_ID), 1, "IOAS_ALLOC: id 1");

	/* IOVA ranges: EMSGSIZE with num_iovas, then the ranges */
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, VI_IOVR_SIZE);
	a = (struct vi_ioarg){ .buf = buf, .len = VI_IOVR_SIZE };
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_IOAS_IOVA_RANGES, &a), -EMSGSIZE,
	       "IOVA ranges with no room: EMSGSIZE");
	is_int(get32(be, buf, 32, VI_IOVR_NUM_IOVAS), 2, "IOVA ranges: num_iovas 2");
	is_int(get64(be, buf, 32, VI_IOVR_ALIGNMENT), 4096, "IOVA ranges: alignment");
	put32(be, buf, sizeof(buf), VI_IOVR_NUM_IOVAS, 1);
	a.aux = ranges;
	a.auxlen = 16;
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_IOAS_IOVA_RANGES, &a), -EMSGSIZE,
	       "IOVA ranges with room for one: EMSGSIZE");
	is_int(get64(be, ranges, 16, 8), 0xfedfffff, "IOVA ranges: the first range is filled");
	put32(be, buf, sizeof(buf), VI_IOVR_NUM_IOVAS, 2);
	a.auxlen = 32;
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_IOAS_IOVA_RANGES, &a), 0, "IOVA ranges with room: 0");
	is_int(get64(be, ranges, 32, 16), 0xfef00000, "IOVA ranges: second start");

	/* hw info: data_len growth */
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, VI_HWI_SIZE);
	put32(be, buf, sizeof(buf), VI_HWI_DEV_ID, 1);
	a = (struct vi_ioarg){ .buf = buf, .len = VI_HWI_SIZE };
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), 0, "HW_INFO with data_len 0");
	is_int(get32(be, buf, 40, VI_HWI_DATA_LEN), 16, "HW_INFO: data_len 16");
	is_int(get32(be, buf, 40, VI_HWI_DATA_TYPE), 1, "HW_INFO: out_data_type");
	memset(blob, 0xaa, sizeof(blob));
	put32(be, buf, sizeof(buf), VI_HWI_DATA_LEN, 8);
	a.aux = blob;
	a.auxlen = sizeof(blob);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), 0, "HW_INFO with 8 bytes");
	ok(blob[0] == 0x10 && blob[7] == 0x17 && blob[8] == 0xaa, "HW_INFO: 8 bytes copied, no more");
	put32(be, buf, sizeof(buf), VI_HWI_DATA_LEN, 32);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), 0, "HW_INFO with 32 bytes");
	ok(blob[15] == 0x1f && blob[16] == 0 && blob[31] == 0, "HW_INFO: blob copied, rest zeroed");
	is_int(get64(be, buf, 40, VI_HWI_CAPABILITIES), 1, "HW_INFO: out_capabilities");
	put32(be, buf, sizeof(buf), 0, 24);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), -EINVAL, "HW_INFO below 32: EINVAL");
	put32(be, buf, sizeof(buf), 0, VI_HWI_SIZE);
	put32(be, buf, sizeof(buf), VI_HWI_DEV_ID, 2);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), -ENOTTY,
	       "HW_INFO for another dev_id: ENOTTY");
	/* INPUT_TYPE: answered by the entry of that type only */
	put32(be, buf, sizeof(buf), VI_HWI_DEV_ID, 1);
	put32(be, buf, sizeof(buf), VI_HWI_FLAGS, VI_HWI_FLAG_INPUT_TYPE);
	put32(be, buf, sizeof(buf), VI_HWI_IN_DATA_TYPE, 2);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), -EOPNOTSUPP,
	       "HW_INFO INPUT_TYPE 2: its recorded EOPNOTSUPP");
	put32(be, buf, sizeof(buf), VI_HWI_IN_DATA_TYPE, 1);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), -VI_ENOREC,
	       "HW_INFO INPUT_TYPE 1: not the default entry, not recorded");
	put32(be, buf, sizeof(buf), VI_HWI_IN_DATA_TYPE, 0);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), -VI_ENOREC,
	       "HW_INFO INPUT_TYPE DEFAULT: not the plain entry, not recorded");
	put32(be, buf, sizeof(buf), VI_HWI_FLAGS, 0);
	put32(be, buf, sizeof(buf), VI_HWI_IN_DATA_TYPE, 2);
	is_int(vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a), 0,
	       "HW_INFO without the flag: the plain entry, whatever the type field");

	be->ops->close(be, d);
	be->ops->close(be, i);
	vi_backend_destroy(be);
}

static void test_passive(void)
{
	struct vi_backend *be = load("unit-replay-basic.json");
	struct vi_nodeinfo st;
	struct vi_devref *list = NULL;
	char **names = NULL, *s = NULL;
	size_t n = 0, len = 0;

	if (!be)
		return;
	is_int(vi_be_read_sys(be, "bus/pci/devices/0000:01:00.0/vendor", &s), 0,
	       "read a file through a symlinked directory");
	is_str(s, "0x8086", "the vendor, newline trimmed");
	free(s);
	s = NULL;
	is_int(be->ops->readlink(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/iommu_group", &s), 0,
	       "readlink through a symlinked directory");
	is_str(s, "../../../../kernel/iommu_groups/12", "the link target");
	free(s);
	s = NULL;
	is_int(be->ops->readlink(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/vendor", &s), -EINVAL,
	       "readlink of a file: EINVAL");
	is_int(be->ops->read_file(be, VI_NS_SYS, "/bus/pci/devices/0000:01:00.0/iommu_group/type",
				  &s, &len), 0, "read through two links");
	is_str(s, "DMA\n", "the group type");
	free(s);
	s = NULL;
	is_int(be->ops->read_file(be, VI_NS_SYS, "devices/pci0000:00/0000:00:01.0/0000:01:00.0/config",
				  &s, &len), 0, "read a binary file");
	ok(len == 4 && (uint8_t)s[0] == 0x86 && (uint8_t)s[3] == 0x12, "binary file bytes");
	free(s);
	s = NULL;
	is_int(be->ops->read_file(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/nothing", &s, &len),
	       -ENOENT, "missing file: ENOENT");
	is_int(be->ops->read_file(be, VI_NS_SYS, "kernel/iommu_groups", &s, &len), -EISDIR,
	       "reading a directory: EISDIR");

	is_int(be->ops->list_dir(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0", &names, &n), 0,
	       "list a directory through a link");
	is_int(n, 5, "five entries");
	if (n == 5) {
		is_str(names[0], "config", "sorted: config");
		is_str(names[4], "vfio-dev", "sorted: vfio-dev");
	}
	vi_names_free(names, n);
	is_int(be->ops->list_dir(be, VI_NS_SYS, "kernel", &names, &n), 0, "list an implied directory");
	ok(n == 1 && strcmp(names[0], "iommu_groups") == 0, "unique next components");
	vi_names_free(names, n);
	is_int(be->ops->list_dir(be, VI_NS_SYS, "class", &names, &n), -ENOENT, "missing dir: ENOENT");
	is_int(be->ops->list_dir(be, VI_NS_SYS, "kernel/iommu_groups/12/type", &names, &n), -ENOTDIR,
	       "listing a file: ENOTDIR");

	is_int(be->ops->stat_node(be, VI_NS_DEV, "vfio/12", &st), 0, "stat /dev/vfio/12");
	ok(S_ISCHR(st.mode) && (st.mode & 07777) == 0600, "a 0600 character device");
	ok(st.major == 243 && st.minor == 0, "rdev 243:0");
	is_int(be->ops->stat_node(be, VI_NS_DEV, "vfio", &st), 0, "stat /dev/vfio");
	ok(S_ISDIR(st.mode), "an implied directory");
	is_int(be->ops->stat_node(be, VI_NS_DEV, "vfio/13", &st), -ENOENT, "stat a missing node");
	is_int(be->ops->read_file(be, VI_NS_PROC, "cmdline", &s, &len), 0, "procfs file");
	free(s);

	is_int(be->ops->enumerate(be, &list, &n), 0, "enumerate");
	is_int(n, 2, "two devices");
	if (n == 2) {
		is_str(list[0].name, "0000:01:00.0", "first device");
		is_str(list[0].cdev, "vfio0", "its cdev");
		ok(list[1].cdev == NULL, "second device has no cdev");
		is_str(list[1].group, "13", "second device group");
	}
	vi_devref_free(list, n);
	vi_backend_destroy(be);
}

static void test_big_endian(void)
{
	struct vi_backend *be = load("unit-replay-be.json");
	uint8_t buf[64];
	int g, d;
	struct vi_ioarg a = { .str = "0.0.0001" };

	ok(be != NULL, "big-endian capture loads");
	if (!be)
		return;
	is_int(be->big_endian, 1, "the backend says big-endian");
	g = be->ops->open_node(be, "/dev/vfio/3", VI_FD_GROUP);
	d = (int)vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a);
	ok(d >= 0, "device opens");
	memset(buf, 0, sizeof(buf));
	buf[3] = 16;		/* argsz 16, big-endian */
	is_int(call_struct(be, d, VI_IOC_DEVICE_GET_INFO, buf, 16), 0, "short DEVICE_GET_INFO");
	ok(buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 40,
	   "argsz 40 written big-endian");
	is_int(buf[11], 9, "num_regions read big-endian");
	vi_backend_destroy(be);
}

static void expect_error(const char *file, const char *want, const char *what)
{
	char err[512] = "";
	struct vi_backend *be = vi_backend_replay_new(cap_path(file), err, sizeof(err));
	const char *base = strrchr(err, '/');

	ok(be == NULL, "%s: refused", what);
	vi_backend_destroy(be);
	/* compare from the file name on: the directory depends on the build */
	is_str(base ? base + 1 : err, want, "%s: message", what);
}

static void test_loader_errors(void)
{
	expect_error("unit-missing.json", "unit-missing.json: No such file or directory",
		     "missing file");
	expect_error("unit-bad-json.json",
		     "unit-bad-json.json:4:10: '}' expected near '\"devices\"'", "invalid JSON");
	expect_error("unit-bad-version.json",
		     "unit-bad-version.json: unsupported capture version 2: "
		     "this vfio-info reads version 1", "wrong version");
	expect_error("unit-bad-byteorder.json",
		     "unit-bad-byteorder.json: host.byte_order: must be \"little\" or \"big\"",
		     "bad byte order");
}

/* ---- hostile captures: notes, bounds ---- */

struct notes {
	char msg[8][512];
	unsigned int n;
};

static void collect(void *ctx, int err, const char *msg)
{
	struct notes *ns = ctx;

	if (ns->n < 8)
		snprintf(ns->msg[ns->n], sizeof(ns->msg[0]), "%s", msg);
	ns->n++;
	(void)err;
}

/* Load capture text from memory, notes into @ns. */
static struct vi_backend *load_mem(const char *text, struct notes *ns)
{
	struct vi_replay_opts o = { 0, collect, ns };
	char err[512] = "";
	struct vi_backend *be;

	memset(ns, 0, sizeof(*ns));
	be = vi_backend_replay_new_mem(text, strlen(text), "t.json", &o, err, sizeof(err));
	if (!be)
		printf("# loading: %s\n", err);
	return be;
}

static void expect_note(const char *file, const char *want, const char *what)
{
	struct vi_replay_opts o = { 0, collect, NULL };
	struct notes ns = { .n = 0 };
	char err[512] = "";
	struct vi_backend *be;
	const char *base;

	o.report_ctx = &ns;
	be = vi_backend_replay_open(cap_path(file), &o, err, sizeof(err));
	ok(be != NULL, "%s: the rest loads", what);
	is_int(ns.n, 1, "%s: one note", what);
	base = strrchr(ns.msg[0], '/');
	is_str(base ? base + 1 : ns.msg[0], want, "%s: note", what);
	vi_backend_destroy(be);
}

#define HEAD "{\"vfio-info-capture\":1,\"host\":{\"byte_order\":\"little\"},"

static void test_hostile(void)
{
	struct vi_devref *list = NULL;
	struct vi_nodeinfo st;
	struct notes ns;
	struct vi_backend *be;
	uint8_t buf[16];
	char err[512], *s = NULL;
	size_t n = 0;
	uint64_t sz = 0;
	int d;

	expect_note("unit-bad-hex.json",
		    "unit-bad-hex.json: devices[0].ioctls[1].data: malformed capture: bad hex "
		    "digit 'z' at character 10; devices[0].ioctls[1] is left out", "bad hex");
	expect_note("unit-bad-errno.json",
		    "unit-bad-errno.json: container.ioctls[0].errno: malformed capture: unknown "
		    "errno name \"EWHATEVER\"; container.ioctls[0] is left out", "unknown errno");

	/* names that are not names: the device is left out, the rest stays */
	be = load_mem(HEAD "\"devices\":[{\"name\":\"../../etc/passwd\"},"
		      "{\"name\":\"0000:00:01.0\",\"group\":\"root\",\"cdev\":\"vfio0;x\"}]}", &ns);
	ok(be != NULL, "bad names: loads");
	is_int(ns.n, 3, "bad names: three notes");
	is_str(ns.msg[0], "t.json: devices[0].name: malformed capture: \"../../etc/passwd\" is "
	       "not a device name (one path component of printable ASCII, at most 255 bytes, "
	       "as sysfs names devices); devices[0] is left out", "bad names: device note");
	is_int(be->ops->enumerate(be, &list, &n), 0, "bad names: enumerate");
	ok(n == 1 && strcmp(list[0].name, "0000:00:01.0") == 0 && !list[0].group &&
	   !list[0].cdev, "bad names: the good device stays, without its group and cdev");
	vi_devref_free(list, n);
	vi_backend_destroy(be);

	/* success without data, bytes beyond a region, overlap, many extents */
	be = load_mem(HEAD "\"devices\":[{\"name\":\"d\",\"ioctls\":["
		      "{\"ioctl\":\"VFIO_DEVICE_GET_INFO\",\"ret\":0},"
		      "{\"ioctl\":\"VFIO_DEVICE_GET_REGION_INFO\",\"index\":0,\"data\":"
		      "\"2000000003000000000000000000000008000000000000000000000000000000\"}],"
		      "\"regions\":[{\"index\":0,\"offset\":4,\"data\":\"0102030405060708\"},"
		      "{\"index\":0,\"offset\":0,\"data\":\"aabbccddee\"},"
		      "{\"index\":0,\"offset\":9,\"data\":\"ff\"}]}]}", &ns);
	ok(be != NULL, "region checks: loads");
	is_int(ns.n, 4, "region checks: four notes");
	is_str(ns.msg[0], "t.json: devices[0].ioctls[0]: malformed capture: VFIO_DEVICE_GET_INFO "
	       "succeeded (ret 0) with no \"data\", but the kernel always writes its struct; "
	       "devices[0].ioctls[0] is left out", "no data: note");
	ok(strstr(ns.msg[1], "devices[0].regions[0]: malformed capture: 8 bytes at offset 0x4 "
		  "run past the end of region 0 (0x8 bytes); the 4 bytes beyond it are left out") != NULL,
	   "clipped: note");
	ok(strstr(ns.msg[2], "devices[0].regions[2]: malformed capture: 1 byte at offset 0x9 lies "
		  "beyond the end of region 0 (0x8 bytes); devices[0].regions[2] is left out") != NULL,
	   "beyond: note");
	ok(strstr(ns.msg[3], "devices[0].regions[0]: malformed capture: overlaps the bytes of "
		  "regions[1]") != NULL, "overlap: note");
	vi_backend_destroy(be);

	/* dev nodes out of range, a link loop: noted, then EIO / ELOOP */
	be = load_mem(HEAD "\"devices\":[],\"dev\":{\"vfio/1\":{\"mode\":65535,\"uid\":0,"
		      "\"gid\":0},\"vfio/2\":{\"mode\":\"0600\",\"uid\":4294967295},"
		      "\"vfio/3\":{\"mode\":384,\"uid\":1000,\"gid\":1000,\"rdev\":\"246:3\"}},"
		      "\"sysfs\":{\"a\":{\"link\":\"b\"},\"b\":{\"link\":\"a\"},"
		      "\"c/../d\":\"x\",\"e\\u001b\":\"y\"}}", &ns);
	ok(be != NULL, "sysfs and dev checks: loads");
	is_int(ns.n, 5, "sysfs and dev checks: five notes");
	is_int(be->ops->stat_node(be, VI_NS_DEV, "vfio/1", &st), -EIO, "mode out of range: EIO");
	is_int(be->ops->stat_node(be, VI_NS_DEV, "vfio/2", &st), -EIO, "uid out of range: EIO");
	is_int(be->ops->stat_node(be, VI_NS_DEV, "vfio/3", &st), 0, "a good node stays");
	ok(st.mode == (S_IFCHR | 0600) && st.uid == 1000 && st.major == 246 && st.minor == 3,
	   "numeric mode 384 is 0600");
	is_int(be->ops->read_file(be, VI_NS_SYS, "a", &s, &n), -ELOOP, "link loop: ELOOP");
	is_int(be->ops->read_file(be, VI_NS_SYS, "c/../d", &s, &n), -ENOENT,
	       "a key with \"..\" is left out");
	vi_backend_destroy(be);

	/* the file itself: a directory, a device, a FIFO, too big */
	be = vi_backend_replay_new(srcdir, err, sizeof(err));
	ok(!be && strstr(err, "is a directory, not a capture file"), "directory refused");
	be = vi_backend_replay_new("/dev/null", err, sizeof(err));
	is_str(err, "/dev/null: is a character device, not a capture file: give the path of "
	       "a capture written by 'vfio-info capture' (a regular file)", "device refused");
	{
		char fifo[] = "/tmp/test-replay-fifo.XXXXXX";
		int fd = mkstemp(fifo);

		if (fd >= 0) {
			close(fd);
			unlink(fifo);
		}
		ok(fd >= 0 && mkfifo(fifo, 0600) == 0, "FIFO made");
		be = vi_backend_replay_new(fifo, err, sizeof(err));
		ok(!be && strstr(err, "is a FIFO (named pipe), not a capture file"),
		   "FIFO refused without waiting for a writer");
		unlink(fifo);
	}
	{
		struct vi_replay_opts o = { 1024, NULL, NULL };

		be = vi_backend_replay_open(cap_path("adv-plain.json"), &o, err, sizeof(err));
		ok(!be && strstr(err, "is larger than the limit of 1 KiB") &&
		   strstr(err, "--replay-max-size"), "over the size limit refused");
	}
	is_int(vi_size_parse("64K", &sz), 0, "size 64K");
	ok(sz == 65536, "64K is 65536");
	is_int(vi_size_parse("2G", &sz), 0, "size 2G");
	ok(sz == (uint64_t)2 << 30, "2G");
	is_int(vi_size_parse("256MiB", &sz), 0, "size 256MiB");
	is_int(vi_size_parse("12X", &sz), -1, "size 12X refused");
	is_int(vi_size_parse("0", &sz), -1, "size 0 refused");
	is_int(vi_size_parse("-5", &sz), -1, "negative size refused");
	is_int(vi_size_parse("99999999999999999999G", &sz), -1, "overflow refused");

	/* 20,000 one-byte extents merge into one: each byte readable */
	{
		size_t cap = 1000000, used = 0;
		char *t = malloc(cap);

		used += (size_t)snprintf(t, cap, HEAD "\"devices\":[{\"name\":\"d\",\"group\":\"1\","
			"\"ioctls\":[{\"ioctl\":\"VFIO_DEVICE_GET_REGION_INFO\",\"index\":0,"
			"\"data\":\"2000000003000000000000000000000000000100000000000000000000000000\"}],"
			"\"regions\":[");
		for (int i = 19999; i >= 0 && used + 64 < cap; i--)
			used += (size_t)snprintf(t + used, cap - used,
						 "{\"index\":0,\"offset\":%d,\"data\":\"%02x\"}%s",
						 i, i & 0xff, i ? "," : "");
		snprintf(t + used, cap - used, "]}]}");
		be = load_mem(t, &ns);
		free(t);
		ok(be != NULL && ns.n == 0, "20,000 extents: load without notes");
		{
			struct vi_ioarg a = { 0 };
			int g = be->ops->open_node(be, "/dev/vfio/1", VI_FD_GROUP);

			a.str = "d";
			d = (int)vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a);
		}
		is_int(be->ops->pread(be, d, buf, 16, 19990), 10, "read up to the last byte");
		ok(buf[0] == (19990 & 0xff) && buf[9] == (19999 & 0xff), "the bytes are in order");
		is_int(be->ops->pread(be, d, buf, 1, 20000), -ENODATA, "none past them");
		vi_backend_destroy(be);
	}
}

static void test_helpers(void)
{
	uint8_t bytes[40], *out = NULL;
	size_t len = 0, bad = 0;
	char flags[32], *hex;
	uint32_t bits = 0;

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 11);
	hex = vi_hex_encode(bytes, sizeof(bytes));
	ok(hex && strlen(hex) == 81 && hex[64] == ' ', "hex: 32-byte groups");
	is_int(vi_hex_decode(hex, &out, &len, &bad), 0, "hex round trip decodes");
	ok(len == sizeof(bytes) && memcmp(out, bytes, len) == 0, "hex round trip bytes");
	free(out);
	free(hex);
	is_int(vi_hex_decode("abc", &out, &len, &bad), VI_HEX_ODD, "odd digit count");
	is_int(vi_hex_decode("ab\n cd", &out, &len, &bad), 0, "whitespace ignored");
	is_int(len, 2, "two bytes");
	free(out);
	is_str(vi_errno_name(EMSGSIZE), "EMSGSIZE", "errno name");
	is_int(vi_errno_value("EOPNOTSUPP"), EOPNOTSUPP, "errno value");
	is_int(vi_errno_value("ENOTSUP"), EOPNOTSUPP, "errno alias");
	is_int(vi_feature_flags_parse("SET|PROBE", &bits), 0, "flags parse");
	is_int(bits, VI_FEAT_SET | VI_FEAT_PROBE, "flags bits");
	vi_feature_flags_format(VI_FEAT_GET | VI_FEAT_SET | VI_FEAT_PROBE, flags, sizeof(flags));
	is_str(flags, "PROBE|GET|SET", "flags format order");
	is_int(vi_feature_flags_parse("GET|MAYBE", &bits), -1, "unknown flag word");
	hex = vi_path_normalize("/a//b/./c/../d/");
	is_str(hex, "a/b/d", "path normalisation");
	free(hex);
}

/* ---- record round trip ---- */

struct transcript {
	char *s;
	size_t len, cap;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void say(struct transcript *t, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, line, (size_t)n + 1);
	t->len += (size_t)n;
}

static void say_buf(struct transcript *t, const char *tag, long ret, const void *buf, size_t len)
{
	char *hex = vi_hex_encode(buf, len);

	say(t, "%s ret=%ld %s\n", tag, ret, hex ? hex : "?");
	free(hex);
}

/* An argsz-growth loop as query.c does it. */
static void grow(struct transcript *t, struct vi_backend *be, int h, enum vi_ioc ioc,
		 uint32_t index, const char *tag)
{
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	size_t len = d->minsz;
	uint8_t *buf = NULL;

	for (int round = 0; round < 4; round++) {
		uint32_t need;
		long ret;

		buf = realloc(buf, len);
		ret = info_call(be, h, ioc, buf, len, index);
		say_buf(t, tag, ret, buf, len);
		if (ret < 0)
			break;
		need = get32(be, buf, len, 0);
		if (need <= len)
			break;
		len = need;
	}
	free(buf);
}

static void script(struct vi_backend *be, struct transcript *t)
{
	struct vi_hostinfo hi;
	struct vi_nodeinfo st;
	uint8_t buf[128], aux[64];
	struct vi_ioarg a;
	char **names = NULL, *s = NULL;
	size_t n = 0, len = 0;
	int c, g, d, i, cd;
	long ret;

	be->ops->host_info(be, &hi);
	say(t, "host %s %s %d %u\n", hi.kernel, hi.machine, hi.big_endian, hi.page_size);

	c = be->ops->open_node(be, "/dev/vfio/vfio", VI_FD_CONTAINER);
	a = (struct vi_ioarg){ 0 };
	say(t, "api %ld\n", vi_be_ioctl(be, c, VI_IOC_GET_API_VERSION, &a));
	for (unsigned int e = 1; e <= 9; e++) {
		a.value = e;
		say(t, "ext %u %ld\n", e, vi_be_ioctl(be, c, VI_IOC_CHECK_EXTENSION, &a));
	}
	g = be->ops->open_node(be, "/dev/vfio/12", VI_FD_GROUP);
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 8);
	ret = call_struct(be, g, VI_IOC_GROUP_GET_STATUS, buf, 8);
	say_buf(t, "status", ret, buf, 8);
	a = (struct vi_ioarg){ .handle = c };
	say(t, "set_container %ld\n", vi_be_ioctl(be, g, VI_IOC_GROUP_SET_CONTAINER, &a));
	a = (struct vi_ioarg){ .value = 3 };
	say(t, "set_iommu %ld\n", vi_be_ioctl(be, c, VI_IOC_SET_IOMMU, &a));
	grow(t, be, c, VI_IOC_IOMMU_GET_INFO, 0, "iommu_info");
	a = (struct vi_ioarg){ .str = "0000:09:00.0" };
	say(t, "get_fd missing %ld\n", vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a));
	a = (struct vi_ioarg){ .str = "0000:01:00.0 vf_token=" TOKEN };
	d = (int)vi_be_ioctl(be, g, VI_IOC_GROUP_GET_DEVICE_FD, &a);
	say(t, "get_fd %d\n", d >= 0);

	grow(t, be, d, VI_IOC_DEVICE_GET_INFO, 0, "devinfo");
	for (uint32_t r = 0; r < 10; r++)
		grow(t, be, d, VI_IOC_DEVICE_GET_REGION_INFO, r, "region");
	grow(t, be, d, VI_IOC_DEVICE_GET_IRQ_INFO, 0, "irq");
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 12);
	ret = call_struct(be, d, VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, buf, 12);
	say_buf(t, "hot_reset", ret, buf, 12);
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 28);
	ret = call_struct(be, d, VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, buf, 28);
	say_buf(t, "hot_reset", ret, buf, 28);
	for (uint32_t f = 1; f <= 3; f++) {
		memset(buf, 0, sizeof(buf));
		put32(be, buf, sizeof(buf), 0, 8);
		put32(be, buf, sizeof(buf), 4, VI_FEAT_PROBE | VI_FEAT_GET | f);
		ret = call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 8);
		say_buf(t, "feature probe", ret, buf, 8);
	}
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, 16);
	put32(be, buf, sizeof(buf), 4, VI_FEAT_GET | 3);
	ret = call_struct(be, d, VI_IOC_DEVICE_FEATURE, buf, 16);
	say_buf(t, "feature get", ret, buf, 16);
	for (uint64_t off = 0; off < 96; off += 32) {
		memset(buf, 0, sizeof(buf));
		ret = be->ops->pread(be, d, buf, 32, (7ull << 40) + off);
		say_buf(t, "pread", ret, buf, 32);
	}
	be->ops->close(be, d);

	i = be->ops->open_node(be, "/dev/iommu", VI_FD_IOMMUFD);
	cd = be->ops->open_node(be, "/dev/vfio/devices/vfio0", VI_FD_DEVICE);
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, VI_BIND_SIZE);
	put32(be, buf, sizeof(buf), VI_BIND_FLAGS, VI_BIND_FLAG_TOKEN);
	a = (struct vi_ioarg){ .buf = buf, .len = VI_BIND_SIZE, .aux = TOKEN, .auxlen = 16 };
	ret = vi_be_ioctl(be, cd, VI_IOC_DEVICE_BIND_IOMMUFD, &a);
	vi_put64(buf, VI_BIND_SIZE, VI_BIND_TOKEN_PTR, 0, be->big_endian);
	say_buf(t, "bind", ret, buf, VI_BIND_SIZE);
	grow(t, be, cd, VI_IOC_DEVICE_GET_INFO, 0, "cdev devinfo");
	memset(buf, 0, sizeof(buf));
	put32(be, buf, sizeof(buf), 0, VI_IOVR_SIZE);
	a = (struct vi_ioarg){ .buf = buf, .len = VI_IOVR_SIZE, .aux = aux, .auxlen = sizeof(aux) };
	ret = vi_be_ioctl(be, i, VI_IOC_IOMMU_IOAS_IOVA_RANGES, &a);
	vi_put64(buf, VI_IOVR_SIZE, VI_IOVR_PTR, 0, be->big_endian);
	say_buf(t, "iova", ret, buf, VI_IOVR_SIZE);
	put32(be, buf, sizeof(buf), VI_IOVR_NUM_IOVAS, get32(be, buf, 32, VI_IOVR_NUM_IOVAS));
	memset(aux, 0, sizeof(aux));
	ret = vi_be_ioctl(be, i, VI_IOC_IOMMU_IOAS_IOVA_RANGES, &a);
	vi_put64(buf, VI_IOVR_SIZE, VI_IOVR_PTR, 0, be->big_endian);
	say_buf(t, "iova", ret, buf, VI_IOVR_SIZE);
	say_buf(t, "iova ranges", ret, aux, sizeof(aux));
	for (uint32_t cap = 0; cap <= 16; cap += 16) {
		memset(buf, 0, sizeof(buf));
		memset(aux, 0x55, sizeof(aux));
		put32(be, buf, sizeof(buf), 0, VI_HWI_SIZE);
		put32(be, buf, sizeof(buf), VI_HWI_DEV_ID, 1);
		put32(be, buf, sizeof(buf), VI_HWI_DATA_LEN, cap);
		a = (struct vi_ioarg){ .buf = buf, .len = VI_HWI_SIZE, .aux = aux, .auxlen = cap };
		ret = vi_be_ioctl(be, i, VI_IOC_IOMMU_GET_HW_INFO, &a);
		vi_put64(buf, VI_HWI_SIZE, VI_HWI_DATA_PTR, 0, be->big_endian);
		say_buf(t, "hw_info", ret, buf, VI_HWI_SIZE);
		say_buf(t, "hw_info blob", ret, aux, sizeof(aux));
	}
	be->ops->close(be, cd);
	be->ops->close(be, i);
	be->ops->close(be, g);
	be->ops->close(be, c);

	ret = vi_be_read_sys(be, "bus/pci/devices/0000:01:00.0/vendor", &s);
	say(t, "vendor %ld %s\n", ret, ret == 0 ? s : "-");
	free(s);
	s = NULL;
	ret = be->ops->readlink(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/iommu_group", &s);
	say(t, "iommu_group %ld %s\n", ret, ret == 0 ? s : "-");
	free(s);
	s = NULL;
	ret = be->ops->read_file(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/iommu_group/type",
				 &s, &len);
	say(t, "group type %ld %s", ret, ret == 0 ? s : "-\n");
	free(s);
	s = NULL;
	ret = be->ops->read_file(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/config", &s, &len);
	say_buf(t, "config", ret, s, ret == 0 ? len : 0);
	free(s);
	s = NULL;
	for (int k = 0; k < 3; k++) {
		static const char *const dirs[] = { "bus/pci/devices/0000:01:00.0",
						    "kernel/iommu_groups/12/devices", "bus/pci" };

		ret = be->ops->list_dir(be, VI_NS_SYS, dirs[k], &names, &n);
		say(t, "ls %s %ld:", dirs[k], ret);
		for (size_t j = 0; ret == 0 && j < n; j++)
			say(t, " %s", names[j]);
		say(t, "\n");
		if (ret == 0)
			vi_names_free(names, n);
	}
	ret = be->ops->stat_node(be, VI_NS_SYS, "bus/pci/devices/0000:01:00.0/vfio-dev", &st);
	say(t, "stat vfio-dev %ld %o\n", ret, ret == 0 ? st.mode : 0);
	ret = be->ops->stat_node(be, VI_NS_DEV, "vfio/12", &st);
	say(t, "stat %ld %o %u %u %u:%u\n", ret, st.mode, st.uid, st.gid, st.major, st.minor);
	ret = be->ops->read_file(be, VI_NS_PROC, "cmdline", &s, &len);
	say(t, "cmdline %ld %s", ret, ret == 0 ? s : "-\n");
	free(s);
}

static bool file_contains(const char *path, const char *needle)
{
	char *s = NULL;
	size_t cap = 0, len = 0;
	FILE *f = fopen(path, "r");
	bool found = false;

	if (!f)
		return false;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			s = realloc(s, cap);
		}
		size_t r = fread(s + len, 1, 4096, f);

		if (!r)
			break;
		len += r;
	}
	fclose(f);
	if (s) {
		s[len] = '\0';
		found = strstr(s, needle) != NULL;
	}
	free(s);
	return found;
}

static void test_round_trip(void)
{
	struct transcript t1 = { 0 }, t2 = { 0 }, t3 = { 0 }, t4 = { 0 };
	struct vi_backend *be, *rec;
	char out[] = "/tmp/vfio-info-test-replay-XXXXXX";
	char out2[sizeof(out) + 16];
	char path[sizeof(out) + 16];
	static const char *const profiles[] = { "irq-caps-2019", NULL };

	if (!mkdtemp(out)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/cap.json", out);
	snprintf(out2, sizeof(out2), "%s/cap2.json", out);

	be = load("unit-replay-basic.json");
	if (!be)
		return;
	script(be, &t1);
	vi_backend_destroy(be);

	rec = vi_backend_record_new(load("unit-replay-basic.json"));
	ok(rec != NULL, "record wraps replay");
	if (!rec)
		return;
	script(rec, &t2);
	is_int(vi_record_write(rec, path, profiles), 0, "capture written");
	vi_backend_destroy(rec);
	ok(t1.s && t2.s && strcmp(t1.s, t2.s) == 0, "recording does not change the answers");

	be = vi_backend_replay_new(path, (char[256]){ 0 }, 256);
	ok(be != NULL, "the written capture loads");
	if (be) {
		ok(be->profiles && be->profiles[0] && strcmp(be->profiles[0], "irq-caps-2019") == 0,
		   "profiles written");
		rec = vi_backend_record_new(be);
		script(rec, &t3);
		ok(t3.s && strcmp(t1.s, t3.s) == 0, "the capture replays identically");
		if (t3.s && strcmp(t1.s, t3.s) != 0)
			printf("# --- original\n%s# --- replayed\n%s", t1.s, t3.s);
		is_int(vi_record_write(rec, out2, NULL), 0, "capture of the capture written");
		vi_backend_destroy(rec);
	}
	be = vi_backend_replay_new(out2, (char[256]){ 0 }, 256);
	ok(be != NULL, "the second capture loads");
	if (be) {
		script(be, &t4);
		ok(t4.s && strcmp(t1.s, t4.s) == 0, "and replays identically too");
		vi_backend_destroy(be);
	}
	ok(!file_contains(path, TOKEN) && !file_contains(path, "vf_token"),
	   "the VF token is never stored");
	ok(file_contains(path, "\"vfio-info-capture\": 1"), "the version key is written");
	if (!getenv("KEEP_CAPTURE")) {
		unlink(path);
		unlink(out2);
		rmdir(out);
	} else {
		printf("# kept %s\n", path);
	}
	free(t1.s);
	free(t2.s);
	free(t3.s);
	free(t4.s);
}

static void test_atomic_write(void)
{
	struct vi_backend *rec = vi_backend_record_new(load("unit-replay-be.json"));

	if (!rec)
		return;
	is_int(vi_record_write(rec, "/nonexistent-dir/cap.json", NULL), -ENOENT,
	       "writing into a missing directory fails with ENOENT");
	vi_backend_destroy(rec);
}

/* ---- dump --all holds one group's descriptors at a time ---- */

static const struct vi_backend_ops *real_ops;
static bool node_open[4096];
static int nodes_open, nodes_max;

static int counting_open(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	int h = real_ops->open_node(be, path, kind);

	if (h >= 0 && h < 4096) {
		node_open[h] = true;
		if (++nodes_open > nodes_max)
			nodes_max = nodes_open;
	}
	return h;
}

static void counting_close(struct vi_backend *be, int h)
{
	if (h >= 0 && h < 4096 && node_open[h]) {
		node_open[h] = false;
		nodes_open--;
	}
	real_ops->close(be, h);
}

static void test_bounded_handles(void)
{
	enum { NGROUPS = 48 };
	json_t *root = json_load_file(cap_path("kernel-deb61-e1000e.json"), 0, NULL), *devs, *grps;
	json_t *dev0, *grp0 = NULL, *v;
	struct vi_backend_ops counted;
	struct vi_inspect_opts io = { 0 };
	struct vi_targets t = { NULL, 0 };
	struct vi_backend *be;
	struct vi_emit *em;
	char err[512], *text;
	FILE *null;
	size_t i, len = 0;
	int r, before_set = 0;

	ok(root != NULL, "the e1000e capture loads as JSON");
	if (!root)
		return;
	dev0 = json_array_get(json_object_get(root, "devices"), 0);
	json_array_foreach(json_object_get(root, "groups"), i, v)
		if (json_equal(json_object_get(v, "group"), json_object_get(dev0, "group")))
			grp0 = v;
	devs = json_array();
	grps = json_array();
	for (i = 0; i < NGROUPS; i++) {
		json_t *d = json_deep_copy(dev0), *g = grp0 ? json_deep_copy(grp0) : NULL;
		char name[32], group[16];

		snprintf(name, sizeof(name), "0000:%02zx:00.0", i + 1);
		snprintf(group, sizeof(group), "%zu", 100 + i);
		json_object_set_new(d, "name", json_string(name));
		json_object_set_new(d, "group", json_string(group));
		json_array_append_new(devs, d);
		if (g) {
			json_object_set_new(g, "group", json_string(group));
			json_array_append_new(grps, g);
		}
	}
	json_object_set_new(root, "devices", devs);
	json_object_set_new(root, "groups", grps);
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	be = text ? vi_backend_replay_new_mem(text, strlen(text), "groups.json", NULL, err,
					      sizeof(err)) : NULL;
	free(text);
	ok(be != NULL, "a capture of %d groups loads", NGROUPS);
	if (!be)
		return;
	real_ops = be->ops;
	counted = *be->ops;
	counted.open_node = counting_open;
	counted.close = counting_close;
	be->ops = &counted;
	r = be->ops->enumerate(be, &t.v, &t.n);
	is_int(r, 0, "its devices enumerate");
	is_int((long)t.n, NGROUPS, "one device per group");
	null = open_memstream(&text, &len);
	em = vi_emit_new(VI_EMIT_JSON, null, 0);
	io.flow = VI_FLOW_LEGACY;
	r = vi_inspect(be, em, &t, &io);
	vi_emit_finish(em);
	fclose(null);
	is_int(r, 0, "dump of every group succeeds");
	/* a container handle given out again is a new container: its
	 * extensions before SET_IOMMU are not those after */
	for (const char *p = text; p && (p = strstr(p, "\"UPDATE_VADDR\":0")); p++)
		before_set++;
	is_int(before_set, NGROUPS, "every group's container starts without an IOMMU set");
	free(text);
	ok(nodes_max <= 2, "at most one group's container and group open at once (%d seen, "
	   "of %d groups)", nodes_max, NGROUPS);
	is_int(nodes_open, 0, "every node closed at the end");
	vi_devref_free(t.v, t.n);
	be->ops = real_ops;
	vi_backend_destroy(be);
}

int main(void)
{
	const char *top = getenv("top_srcdir");

	if (top && *top)
		snprintf(srcdir, sizeof(srcdir), "%s", top);
	test_helpers();
	test_argsz();
	test_set_irqs();
	test_iommufd();
	test_passive();
	test_big_endian();
	test_loader_errors();
	test_hostile();
	test_round_trip();
	test_atomic_write();
	test_bounded_handles();
	return tap_done();
}
