// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-kernel.c - a hostile kernel for libFuzzer.
 *
 * A backend whose every answer comes from the fuzzer's bytes: return
 * values, errnos, the structs the kernel writes back (argsz, flags,
 * capability offsets, counts), the arrays behind user pointers, region
 * bytes and sysfs files.  Above it runs the real code: the open flows, the
 * growth engine, the capability walker, every decoder and both emitters.
 * Whatever the bytes, vfio-info must neither crash nor read out of bounds
 * nor loop (AddressSanitizer and UBSan watch).
 *
 * Input: byte 0 selects byte order, flow, output format and verbosity;
 * byte 1 the ABI profiles; the rest is consumed in call order.  Once the
 * shell has the device open, one byte picks which of its commands run
 * (one to three in a row) instead of all 23 on every input.
 *
 * Output goes to a null stream, as text on most inputs: JSON (MODE_JSON)
 * and the verbose text (MODE_VERBOSE) on one input in four each.  The
 * decoders make the same emitter calls whatever the format; building a
 * JSON tree and printing every negotiation cost more than all the rest of
 * a run, for little the other inputs do not reach.
 *
 * Build and run: fuzz/build.sh BUILDDIR; fuzz/run.sh [SECONDS] kernel.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmds.h"
#include "decode.h"
#include "emit.h"
#include "fuzz.h"
#include "inspect.h"
#include "shell.h"
#include "target.h"
#include "uapi/vfio-abi.h"

struct stream {
	const uint8_t *p;
	size_t n;
	int next_handle;
};

static size_t take(struct stream *s, void *dst, size_t want)
{
	size_t k = want < s->n ? want : s->n;

	if (k)
		memcpy(dst, s->p, k);
	s->p += k;
	s->n -= k;
	return k;
}

static int take1(struct stream *s)
{
	uint8_t b;

	return take(s, &b, 1) ? b : -1;
}

static unsigned int take2(struct stream *s)
{
	uint8_t b[2] = { 0, 0 };

	take(s, b, 2);
	return b[0] | (unsigned int)b[1] << 8;
}

/* errnos a kernel answers VFIO calls with */
static const int errnos[] = {
	EINVAL, ENOTTY, EFAULT, ENOSPC, EPERM, EACCES, EBUSY, ENODEV, ENOENT,
	ENOMEM, EOPNOTSUPP, E2BIG, EIO, ENXIO, EAGAIN, 524 /* ENOTSUPP */,
};

static int pick_errno(int c)
{
	return -errnos[(unsigned int)c % (sizeof(errnos) / sizeof(errnos[0]))];
}

static struct stream *S(struct vi_backend *be)
{
	return be->priv;
}

static int fz_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	int c = take1(S(be));

	(void)path;
	(void)kind;
	if (c < 0 || c < 0x10)
		return pick_errno(c < 0 ? 0 : c);
	return S(be)->next_handle++;
}

static void fz_close(struct vi_backend *be, int h)
{
	(void)be;
	(void)h;
}

/*
 * Every region and irq index the device claims costs a query or two (in
 * the dump and again in the shell's open), and a random count is nearly
 * always above the inspector's clamp of 256: such an input runs over a
 * thousand queries, most of them failing once the input is used up, for
 * nothing new.  So counts above 16 are taken modulo 17 unless the control
 * byte is KEEP_COUNTS: the clamp stays reachable, on one answer in 256
 * instead of one in two (which made half the inputs cost 20 times the
 * others).  Not 0xff nor 0x00: the corpus is full of all-ones and all-zero
 * runs (absent devices, empty structs), and a run of 0xff answered with a
 * thousand queries.
 */
#define KEEP_COUNTS 0xa7
static void few_counts(struct vi_backend *be, uint8_t *buf, size_t len)
{
	static const size_t offs[] = { VI_DEVINFO_NUM_REGIONS, VI_DEVINFO_NUM_IRQS };

	for (size_t i = 0; i < 2; i++) {
		uint8_t *p = buf + offs[i];
		uint32_t v;

		if (offs[i] + 4 > len)
			continue;
		v = be->big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				     (uint32_t)p[2] << 8 | p[3]
				   : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
				     (uint32_t)p[1] << 8 | p[0];
		if (v <= 16)
			continue;
		v %= 17;
		memset(p, 0, 4);
		p[be->big_endian ? 3 : 0] = (uint8_t)v;
	}
}

static long fz_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	struct stream *s = S(be);
	int c = take1(s);
	size_t k;

	(void)h;
	if (c < 0)
		return -ENOTTY;		/* input used up: every further call fails */
	if (!d)
		return -EINVAL;
	if ((c & 7) == 0)
		return pick_errno(c >> 3);
	switch (d->arg) {
	case VI_ARG_NONE:
	case VI_ARG_VALUE:
		return c >> 3;
	case VI_ARG_FD:
		return 0;
	case VI_ARG_STRING:
		return s->next_handle++;
	case VI_ARG_STRUCT:
		if (!a || !a->buf)
			return -EFAULT;
		/* the kernel writes back up to the length the caller gave */
		k = take2(s);
		if (k > a->len)
			k = a->len;
		take(s, a->buf, k);
		if (ioc == VI_IOC_DEVICE_GET_INFO && c != KEEP_COUNTS)
			few_counts(be, a->buf, a->len);
		if (a->aux && a->auxlen) {
			k = take2(s);
			if (k > a->auxlen)
				k = a->auxlen;
			take(s, a->aux, k);
		}
		return 0;
	default:
		return -EINVAL;
	}
}

static ssize_t fz_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	struct stream *s = S(be);
	int c = take1(s);
	size_t want, got;

	(void)h;
	(void)off;
	if (c < 0 || (c & 3) == 0)
		return c < 0 ? -EIO : pick_errno(c >> 2);
	/* short reads happen too */
	want = (c & 3) == 1 ? len / 2 : len;
	got = take(s, buf, want);
	/* what the input ran out before: all ones, as an absent device reads
	 * (only that part is cleared: it may be up to a MiB) */
	if (got < want)
		memset((uint8_t *)buf + got, 0xff, want - got);
	return (ssize_t)got;
}

static ssize_t fz_pwrite(struct vi_backend *be, int h, const void *buf, size_t len,
			 uint64_t off)
{
	(void)be; (void)h; (void)buf; (void)off;
	return (ssize_t)len;
}

static void *fz_mmap(struct vi_backend *be, int h, size_t len, uint64_t off, bool writable)
{
	(void)be; (void)h; (void)len; (void)off; (void)writable;
	errno = ENODEV;
	return NULL;
}

static int fz_munmap(struct vi_backend *be, void *addr, size_t len)
{
	(void)be; (void)addr; (void)len;
	return 0;
}

static int fz_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			char **out, size_t *len)
{
	struct stream *s = S(be);
	int c = take1(s);
	size_t n;
	char *b;

	(void)ns;
	(void)rel;
	if (c < 0 || !(c & 1))
		return -ENOENT;
	n = take2(s) & 0x1fff;
	b = malloc(n + 1);
	if (!b)
		return -ENOMEM;
	n = take(s, b, n);
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

static int fz_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	size_t len;

	return fz_read_file(be, ns, rel, out, &len);
}

static int fz_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
		       char ***names, size_t *n)
{
	(void)be; (void)ns; (void)rel; (void)names; (void)n;
	return -ENOENT;
}

static int fz_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			struct vi_nodeinfo *st)
{
	int c = take1(S(be));

	(void)ns;
	(void)rel;
	if (c < 0 || !(c & 1))
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->mode = 020600;
	return 0;
}

static int fz_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *n)
{
	(void)be;
	*list = NULL;
	*n = 0;
	return 0;
}

static int fz_host_info(struct vi_backend *be, struct vi_hostinfo *hi)
{
	memset(hi, 0, sizeof(*hi));
	strcpy(hi->kernel, "fuzz");
	strcpy(hi->machine, "fuzz");
	hi->big_endian = be->big_endian;
	hi->page_size = 4096;
	return 0;
}

static int fz_event_new(struct vi_backend *be)
{
	int c = take1(S(be));

	if (c >= 0 && c < 4)
		return pick_errno(c);
	return S(be)->next_handle++;
}

/* Counts come from the input; it never sleeps (settled: nothing more). */
static int fz_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			 uint64_t *counts, bool *settled)
{
	struct stream *s = S(be);
	int fired = 0;

	(void)hs;
	(void)timeout_ms;
	*settled = true;
	for (size_t i = 0; i < n; i++) {
		int c = take1(s);

		if (c < 0)
			break;
		if (c == 0xff)
			return -EINTR;
		counts[i] += (unsigned int)c & 3;
		fired += (c & 3) != 0;
	}
	return fired;
}

static void fz_destroy(struct vi_backend *be)
{
	(void)be;
}

static const struct vi_backend_ops fz_ops = {
	.name = "fuzz",
	.open_node = fz_open_node,
	.close = fz_close,
	.ioctl = fz_ioctl,
	.pread = fz_pread,
	.pwrite = fz_pwrite,
	.mmap = fz_mmap,
	.munmap = fz_munmap,
	.read_file = fz_read_file,
	.readlink = fz_readlink,
	.list_dir = fz_list_dir,
	.stat_node = fz_stat_node,
	.enumerate = fz_enumerate,
	.host_info = fz_host_info,
	.event_new = fz_event_new,
	.event_wait = fz_event_wait,
	.destroy = fz_destroy,
};

/* What the shell runs on the opened device, writes allowed: every command
 * that reads or decodes what the kernel answered. */
static const char *const shell_lines[] = {
	"info", "regions", "irqs", "caps", "config", "config --physical", "config --diff",
	"read config 0 4", "read bar0 8 8", "write bar0 0 1 4", "dump config 0 256",
	"dump bar0 0 64", "layout bar0", "layout bar2", "mmap bar0", "read bar0 0",
	"unmap", "features", "hot-reset-info", "irq intx --wait 0",
	"irq msix --loopback --wait 0", "irq 1 3 --loopback", "irq err", NULL,
};

/* byte 0: bit 0 big-endian, bit 1 the cdev flow, bit 2 a VF token;
 * two bits each for JSON and for verbose text */
#define MODE_JSON	0x28
#define MODE_VERBOSE	0x50

/*
 * AddressSanitizer's options for this target (ASAN_OPTIONS still wins).
 * An input frees about 16 KiB on average (the query buffers are kept
 * between queries now, so no MiB is freed at all), so a freed chunk stays
 * in an 8 MiB quarantine for the rest of its input and some five hundred
 * inputs after: a use after free within an input, or of something a
 * static kept from an earlier one, is caught as with the default 256 MiB.
 * A larger quarantine cycles the allocations through that much cold
 * memory: measured on 2026-12-02, 20,000 execs from the corpus, 1,222
 * execs per CPU second with 256 MiB against 1,654 with 8 MiB.  The pages
 * stay mapped (no release to the kernel, a few MiB).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=8:allocator_release_to_os_interval_ms=-1";
}

static void ignore_report(void *ctx, int err, const char *msg)
{
	(void)ctx; (void)err; (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *null;
	struct stream s = { data, size, 3 };
	struct vi_backend be = { &fz_ops, false, 4096, NULL, &s };
	char name[] = "0000:00:03.0", group[] = "1", cdev[] = "vfio0";
	struct vi_devref ref = { name, group, cdev };
	struct vi_targets t = { &ref, 1 };
	struct vi_inspect_opts io;
	struct vi_emit *em;
	struct vi_device *dev = NULL;
	uint8_t cfg[4096];
	int mode, profiles;
	enum vi_emit_format fmt;

	null = fuzz_null();
	mode = take1(&s);
	profiles = take1(&s);
	if (mode < 0 || profiles < 0)
		return 0;
	be.big_endian = mode & 1;
	memset(&io, 0, sizeof(io));
	io.flow = mode & 2 ? VI_FLOW_CDEV : VI_FLOW_LEGACY;
	io.profiles = (unsigned int)profiles & 0x0f;
	io.vf_token = mode & 4 ? "bd8d9d2b-5a5f-4f5a-a211-f591514ba1f3" : NULL;
	io.report = ignore_report;
	fmt = (mode & MODE_JSON) == MODE_JSON ? VI_EMIT_JSON : VI_EMIT_TEXT;

	/* the dump */
	em = vi_emit_new(fmt, null, (mode & MODE_VERBOSE) == MODE_VERBOSE ? VI_EMIT_VERBOSE : 0);
	if (!em)
		return 0;
	em_obj_begin(em, NULL, NULL);
	vi_inspect(&be, em, &t, &io);
	em_obj_end(em);
	vi_emit_finish(em);

	/* the shell's open and its commands, then the full config-space
	 * decode of what is left */
	if (vi_device_open(&be, &ref, &io, &dev) == 0) {
		struct vi_shell_opts so = { .write = true };
		struct vi_shell *sh;

		em = vi_emit_new(fmt, null, 0);
		sh = em ? vi_shell_new(dev, em, &so) : NULL;
		int c = take1(&s);
		size_t nlines = sizeof(shell_lines) / sizeof(shell_lines[0]) - 1;

		for (size_t k = 0; sh && c >= 0 && k < 1 + (size_t)c / nlines % 3 && s.n; k++)
			vi_shell_exec(sh, shell_lines[((size_t)c + k) % nlines]);
		vi_shell_free(sh);
		if (em)
			vi_emit_finish(em);
		vi_device_close(dev);
	}
	{
		size_t n = take(&s, cfg, sizeof(cfg));
		struct vi_bytes b = { cfg, n, be.big_endian };

		em = vi_emit_new(fmt, null, 0);
		if (!em)
			return 0;
		em_obj_begin(em, NULL, NULL);
		vi_decode_pci_config_full(em, b);
		em_obj_end(em);
		vi_emit_finish(em);
	}
	return 0;
}

#ifdef FUZZ_SEED_MAIN
/*
 * fuzz-seed CAPTURE OUT MODE: the same run against a capture (the replay
 * backend), writing the answers in this fuzzer's input format, so that the
 * corpus starts from what real kernels said.
 */
struct tee {
	struct vi_backend *inner;
	uint8_t *buf;
	size_t len, cap;
};

static void put(struct tee *t, const void *p, size_t n)
{
	if (t->len + n > t->cap) {
		size_t c = (t->len + n) * 2;
		uint8_t *b = realloc(t->buf, c);

		if (!b)
			abort();
		t->buf = b;
		t->cap = c;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

static void put1(struct tee *t, unsigned int v)
{
	uint8_t b = (uint8_t)v;

	put(t, &b, 1);
}

static void put2(struct tee *t, size_t v)
{
	put1(t, v & 0xff);
	put1(t, (v >> 8) & 0xff);
}

static unsigned int errno_index(long r)
{
	for (unsigned int i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (-errnos[i] == r)
			return i;
	return 0;
}

static struct tee *T(struct vi_backend *be)
{
	return be->priv;
}

static int tee_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->open_node(in, path, kind);

	put1(T(be), r < 0 ? errno_index(r) : 0x10);
	return r;
}

static long tee_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	struct vi_backend *in = T(be)->inner;
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	long r = in->ops->ioctl(in, h, ioc, a);

	if (r < 0) {
		put1(T(be), errno_index(r) << 3);
		return r;
	}
	if (d && (d->arg == VI_ARG_NONE || d->arg == VI_ARG_VALUE)) {
		put1(T(be), (unsigned int)(r < 31 ? r : 31) << 3 | 1);
		return r < 31 ? r : 31;
	}
	put1(T(be), 1);
	if (d && d->arg == VI_ARG_STRUCT && a && a->buf) {
		put2(T(be), a->len);
		put(T(be), a->buf, a->len);
		if (a->aux && a->auxlen) {
			put2(T(be), a->auxlen);
			put(T(be), a->aux, a->auxlen);
		}
	}
	return r;
}

static ssize_t tee_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	struct vi_backend *in = T(be)->inner;
	ssize_t r = in->ops->pread(in, h, buf, len, off);

	if (r < 0) {
		put1(T(be), errno_index(r) << 2);
		return r;
	}
	put1(T(be), 2);
	if ((size_t)r < len)
		memset((uint8_t *)buf + r, 0xff, len - (size_t)r);
	put(T(be), buf, len);
	return (ssize_t)len;
}

static int tee_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 char **out, size_t *len)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->read_file(in, ns, rel, out, len);

	if (r < 0 || *len > 0x1fff) {
		if (r >= 0)
			free(*out);
		put1(T(be), 0);
		return -ENOENT;
	}
	put1(T(be), 1);
	put2(T(be), *len);
	put(T(be), *out, *len);
	return r;
}

static int tee_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->readlink(in, ns, rel, out);
	size_t n = r < 0 ? 0 : strlen(*out);

	if (r < 0 || n > 0x1fff) {
		if (r >= 0)
			free(*out);
		put1(T(be), 0);
		return -ENOENT;
	}
	put1(T(be), 1);
	put2(T(be), n);
	put(T(be), *out, n);
	return r;
}

static int tee_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 struct vi_nodeinfo *st)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->stat_node(in, ns, rel, st);

	put1(T(be), r < 0 ? 0 : 1);
	if (r >= 0) {
		memset(st, 0, sizeof(*st));
		st->mode = 020600;
	}
	return r < 0 ? -ENOENT : 0;
}

static const struct vi_backend_ops tee_ops = {
	.name = "fuzz-seed",
	.open_node = tee_open_node,
	.close = fz_close,
	.ioctl = tee_ioctl,
	.pread = tee_pread,
	.pwrite = fz_pwrite,
	.mmap = fz_mmap,
	.munmap = fz_munmap,
	.read_file = tee_read_file,
	.readlink = tee_readlink,
	.list_dir = fz_list_dir,
	.stat_node = tee_stat_node,
	.enumerate = fz_enumerate,
	.host_info = fz_host_info,
	.destroy = fz_destroy,
};

int main(int argc, char **argv)
{
	char err[256];
	struct tee t = { 0 };
	struct vi_backend be = { &tee_ops, false, 4096, NULL, &t };
	struct vi_targets all = { NULL, 0 };
	struct vi_inspect_opts io;
	struct vi_emit *em;
	struct vi_device *dev = NULL;
	FILE *null = fopen("/dev/null", "w"), *out;
	int mode;

	if (argc != 4 || !null) {
		fprintf(stderr, "usage: fuzz-seed CAPTURE OUT MODE\n");
		return 2;
	}
	mode = atoi(argv[3]);
	t.inner = vi_backend_replay_new(argv[1], err, sizeof(err));
	if (!t.inner) {
		fprintf(stderr, "fuzz-seed: %s\n", err);
		return 1;
	}
	be.big_endian = t.inner->big_endian;
	mode = (mode & ~1) | be.big_endian;
	if (vi_target_all(t.inner, &all, err, sizeof(err)) < 0 || !all.n) {
		fprintf(stderr, "fuzz-seed: no device in %s\n", argv[1]);
		return 1;
	}
	all.n = 1;
	put1(&t, (unsigned int)mode);
	put1(&t, 0);
	memset(&io, 0, sizeof(io));
	io.flow = mode & 2 ? VI_FLOW_CDEV : VI_FLOW_LEGACY;
	io.report = ignore_report;
	em = vi_emit_new(VI_EMIT_JSON, null, 0);
	em_obj_begin(em, NULL, NULL);
	vi_inspect(&be, em, &all, &io);
	em_obj_end(em);
	vi_emit_finish(em);
	if (vi_device_open(&be, &all.v[0], &io, &dev) == 0)
		vi_device_close(dev);
	out = fopen(argv[2], "wb");
	if (!out || fwrite(t.buf, 1, t.len, out) != t.len || fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
#endif
