// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-host.c - a hostile sysfs, procfs and /dev for `list` and `doctor`.
 *
 * A backend whose every passive answer comes from the fuzzer: each
 * sysfs/procfs file (resource, config, uevent-like attributes,
 * /proc/iomem, /proc/cmdline, /proc/self/status, limits...), each link
 * (driver, iommu_group, physfn, /proc/PID/fd/N), each directory listing
 * and each /dev node's mode, owner and numbers, in the order the commands
 * ask.  The real `list` and `doctor` run on it (cmd-list.c, cmd-doctor.c
 * and everything below), so every parser of those files is reached.
 *
 * Input: byte 0 picks text or JSON, doctor's --all and --probe and the
 * operands; the rest is consumed in call order:
 *   read_file, readlink: 1 byte (odd: found; even: an errno), then 2 bytes
 *     of length (14 bits) and the bytes;
 *   list_dir: 1 byte (odd: found), 1 byte count, then per name 1 byte of
 *     length and the bytes (sorted here, as backends return them);
 *   stat_node: 1 byte (odd: found), then mode, uid, gid (4 bytes each,
 *     little endian), major, minor (2 bytes each);
 *   enumerate: 1 byte (odd: found), 1 byte count, per device a name, a
 *     group and a cdev (1 byte of length each; 0xff: none);
 *   open_node: 1 byte (odd: a handle); every ioctl fails with ENOTTY.
 *
 * FUZZ_SEED_MAIN builds fuzz-host-seed: the same run against a capture
 * made with `capture --host`, writing what it answered in this format,
 * so the corpus starts from real hosts' sysfs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmds.h"
#include "decode.h"
#include "emit.h"
#include "fuzz.h"

#define MAX_FILE	0x3fff
#define NONE		0xff

/* what a hostile host answers instead of the file */
static const int errnos[] = { ENOENT, EACCES, EIO, EINVAL, ENODEV, EPERM, ENOTDIR, ELOOP };

static int pick_errno(int c)
{
	return -errnos[((unsigned int)c >> 1) % (sizeof(errnos) / sizeof(errnos[0]))];
}

static struct fuzz_stream *S(struct vi_backend *be)
{
	return be->priv;
}

static char *take_str(struct fuzz_stream *s, size_t len)
{
	char *b = malloc(len + 1);

	if (!b)
		abort();
	len = fuzz_take(s, b, len);
	b[len] = '\0';
	return b;
}

static int fz_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			char **out, size_t *len)
{
	struct fuzz_stream *s = S(be);
	int c = fuzz_take1(s);
	size_t n;

	(void)ns;
	(void)rel;
	if (c < 0)
		return -ENOENT;
	if (!(c & 1))
		return pick_errno(c);
	n = fuzz_take2(s) & MAX_FILE;
	*out = malloc(n + 1);
	if (!*out)
		abort();
	n = fuzz_take(s, *out, n);
	(*out)[n] = '\0';
	*len = n;
	return 0;
}

static int fz_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	size_t len;

	/* a link target is a C string: a NUL inside ends it */
	return fz_read_file(be, ns, rel, out, &len);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fz_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
		       char ***names, size_t *n)
{
	struct fuzz_stream *s = S(be);
	int c = fuzz_take1(s), count;
	char **v;

	(void)ns;
	(void)rel;
	if (c < 0)
		return -ENOENT;
	if (!(c & 1))
		return pick_errno(c);
	count = fuzz_take1(s);
	if (count < 0)
		count = 0;
	v = calloc((size_t)count + 1, sizeof(*v));
	if (!v)
		abort();
	for (int i = 0; i < count; i++) {
		int len = fuzz_take1(s);

		v[i] = take_str(s, len < 0 ? 0 : (size_t)len);
	}
	qsort(v, (size_t)count, sizeof(*v), cmp_names);
	*names = v;
	*n = (size_t)count;
	return 0;
}

static unsigned int take4(struct fuzz_stream *s)
{
	uint8_t b[4] = { 0, 0, 0, 0 };

	fuzz_take(s, b, 4);
	return b[0] | (unsigned int)b[1] << 8 | (unsigned int)b[2] << 16 |
	       (unsigned int)b[3] << 24;
}

static int fz_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			struct vi_nodeinfo *st)
{
	struct fuzz_stream *s = S(be);
	int c = fuzz_take1(s);

	(void)ns;
	(void)rel;
	if (c < 0)
		return -ENOENT;
	if (!(c & 1))
		return pick_errno(c);
	st->mode = take4(s);
	st->uid = take4(s);
	st->gid = take4(s);
	st->major = fuzz_take2(s);
	st->minor = fuzz_take2(s);
	return 0;
}

static char *take_name(struct fuzz_stream *s, bool may_be_none)
{
	int len = fuzz_take1(s);

	if (len < 0 || (may_be_none && len == NONE))
		return may_be_none ? NULL : take_str(s, 0);
	return take_str(s, (size_t)len);
}

static int fz_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *n)
{
	struct fuzz_stream *s = S(be);
	int c = fuzz_take1(s), count;
	struct vi_devref *v;

	*list = NULL;
	*n = 0;
	if (c < 0)
		return 0;
	if (!(c & 1))
		return pick_errno(c);
	count = fuzz_take1(s);
	if (count < 0)
		count = 0;
	v = calloc((size_t)count + 1, sizeof(*v));
	if (!v)
		abort();
	for (int i = 0; i < count; i++) {
		v[i].name = take_name(s, false);
		v[i].group = take_name(s, true);
		v[i].cdev = take_name(s, true);
	}
	*list = v;
	*n = (size_t)count;
	return 0;
}

static int fz_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	int c = fuzz_take1(S(be));

	(void)path;
	(void)kind;
	if (c < 0 || !(c & 1))
		return pick_errno(c < 0 ? 0 : c);
	return S(be)->next_handle++;
}

static void fz_close(struct vi_backend *be, int h)
{
	(void)be;
	(void)h;
}

static long fz_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	(void)be; (void)h; (void)ioc; (void)a;
	return -ENOTTY;
}

static ssize_t fz_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	(void)be; (void)h; (void)buf; (void)len; (void)off;
	return -EIO;
}

static ssize_t fz_pwrite(struct vi_backend *be, int h, const void *buf, size_t len,
			 uint64_t off)
{
	(void)be; (void)h; (void)buf; (void)len; (void)off;
	return -EIO;
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

static int fz_host_info(struct vi_backend *be, struct vi_hostinfo *hi)
{
	memset(hi, 0, sizeof(*hi));
	strcpy(hi->kernel, "6.1.0-fuzz");
	strcpy(hi->machine, "x86_64");
	hi->big_endian = be->big_endian;
	hi->page_size = 4096;
	return 0;
}

static int fz_event_new(struct vi_backend *be)
{
	(void)be;
	return -ENOTTY;
}

static int fz_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			 uint64_t *counts, bool *settled)
{
	(void)be; (void)hs; (void)n; (void)timeout_ms; (void)counts;
	*settled = true;
	return -ENOTTY;
}

static void fz_destroy(struct vi_backend *be)
{
	(void)be;
}

static const struct vi_backend_ops fz_ops = {
	.name = "fuzz-host",
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

/* Operands as a user would type them. */
static char *const doctor_args[][2] = {
	{ NULL, NULL }, { "00:03.0", NULL }, { "12", NULL },
	{ "/dev/vfio/devices/vfio0", NULL },
};
static char *const list_args[][2] = {
	{ NULL, NULL }, { "8086:10d3", NULL }, { "driver=vfio-pci", NULL },
	{ "group=12", NULL },
};

/* list, then doctor, on @be, as byte @mode says. */
static void run(struct vi_backend *be, int mode)
{
	struct vi_opts o;
	struct vi_emit *em;
	unsigned int flags = mode & 2 ? VI_EMIT_VERBOSE : 0;

	memset(&o, 0, sizeof(o));
	o.profiles = VI_PROF_AUTOMATIC;
	o.json = mode & 1;
	o.args = (char **)list_args[(mode >> 6) & 3];
	o.nargs = o.args[0] ? 1 : 0;
	em = vi_emit_new(o.json ? VI_EMIT_JSON : VI_EMIT_TEXT, fuzz_null(), flags);
	if (em) {
		vi_list_run(&o, be, em);
		vi_emit_finish(em);
	}
	o.all = mode & 4;
	o.probe = mode & 8;
	o.args = (char **)doctor_args[(mode >> 4) & 3];
	o.nargs = o.args[0] ? 1 : 0;
	em = vi_emit_new(o.json ? VI_EMIT_JSON : VI_EMIT_TEXT, fuzz_null(), flags);
	if (em) {
		vi_doctor_run(&o, be, em);
		vi_emit_finish(em);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, size, 3 };
	struct vi_backend be = { &fz_ops, false, 4096, NULL, &s };
	int mode;

	fuzz_setup();
	mode = fuzz_take1(&s);
	if (mode < 0)
		return 0;
	run(&be, mode);
	return 0;
}

#ifdef FUZZ_SEED_MAIN
/*
 * fuzz-host-seed CAPTURE OUT MODE: list and doctor against a capture (the
 * replay backend), every answer written in this target's input format.
 */
struct tee {
	struct vi_backend *inner;
	FILE *out;
};

static struct tee *T(struct vi_backend *be)
{
	return be->priv;
}

static void put(struct tee *t, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, t->out) != n)
		abort();
}

static void put1(struct tee *t, unsigned int v)
{
	uint8_t b = (uint8_t)v;

	put(t, &b, 1);
}

static void put2(struct tee *t, unsigned int v)
{
	put1(t, v & 0xff);
	put1(t, v >> 8);
}

static void put4(struct tee *t, unsigned int v)
{
	put2(t, v & 0xffff);
	put2(t, v >> 16);
}

static unsigned int errno_code(int r)
{
	for (unsigned int i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (-errnos[i] == r)
			return i << 1;
	return 0;
}

/* A string of at most @max bytes; the caller sees what was recorded. */
static void put_str(struct tee *t, char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		s[n = max] = '\0';
	put1(t, (unsigned int)n);
	put(t, s, n);
}

static int tee_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 char **out, size_t *len)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->read_file(in, ns, rel, out, len);

	if (r < 0) {
		put1(T(be), errno_code(r));
		return -errnos[errno_code(r) >> 1];
	}
	if (*len > MAX_FILE)
		(*out)[*len = MAX_FILE] = '\0';
	put1(T(be), 1);
	put2(T(be), (unsigned int)*len);
	put(T(be), *out, *len);
	return 0;
}

static int tee_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->readlink(in, ns, rel, out);
	size_t n;

	if (r < 0) {
		put1(T(be), errno_code(r));
		return -errnos[errno_code(r) >> 1];
	}
	n = strlen(*out);
	if (n > MAX_FILE)
		(*out)[n = MAX_FILE] = '\0';
	put1(T(be), 1);
	put2(T(be), (unsigned int)n);
	put(T(be), *out, n);
	return 0;
}

static int tee_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
			char ***names, size_t *n)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->list_dir(in, ns, rel, names, n);

	if (r < 0) {
		put1(T(be), errno_code(r));
		return -errnos[errno_code(r) >> 1];
	}
	while (*n > 255)
		free((*names)[--*n]);
	put1(T(be), 1);
	put1(T(be), (unsigned int)*n);
	for (size_t i = 0; i < *n; i++)
		put_str(T(be), (*names)[i], 255);
	qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

static int tee_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 struct vi_nodeinfo *st)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->stat_node(in, ns, rel, st);

	if (r < 0) {
		put1(T(be), errno_code(r));
		return -errnos[errno_code(r) >> 1];
	}
	st->major &= 0xffff;
	st->minor &= 0xffff;
	put1(T(be), 1);
	put4(T(be), st->mode);
	put4(T(be), st->uid);
	put4(T(be), st->gid);
	put2(T(be), st->major);
	put2(T(be), st->minor);
	return 0;
}

static void put_name(struct tee *t, char **s)
{
	if (!*s) {
		put1(t, NONE);
		return;
	}
	put_str(t, *s, 254);
}

static int tee_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *n)
{
	struct vi_backend *in = T(be)->inner;
	int r = in->ops->enumerate(in, list, n);

	if (r < 0) {
		put1(T(be), errno_code(r));
		return -errnos[errno_code(r) >> 1];
	}
	for (; *n > 255; --*n) {
		free((*list)[*n - 1].name);
		free((*list)[*n - 1].group);
		free((*list)[*n - 1].cdev);
	}
	put1(T(be), 1);
	put1(T(be), (unsigned int)*n);
	for (size_t i = 0; i < *n; i++) {
		put_name(T(be), &(*list)[i].name);
		put_name(T(be), &(*list)[i].group);
		put_name(T(be), &(*list)[i].cdev);
	}
	return 0;
}

static int tee_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	(void)path;
	(void)kind;
	put1(T(be), 0);		/* ENOENT: the seed does not open devices */
	return -ENOENT;
}

static const struct vi_backend_ops tee_ops = {
	.name = "fuzz-host-seed",
	.open_node = tee_open_node,
	.close = fz_close,
	.ioctl = fz_ioctl,
	.pread = fz_pread,
	.pwrite = fz_pwrite,
	.mmap = fz_mmap,
	.munmap = fz_munmap,
	.read_file = tee_read_file,
	.readlink = tee_readlink,
	.list_dir = tee_list_dir,
	.stat_node = tee_stat_node,
	.enumerate = tee_enumerate,
	.host_info = fz_host_info,
	.event_new = fz_event_new,
	.event_wait = fz_event_wait,
	.destroy = fz_destroy,
};

int main(int argc, char **argv)
{
	char err[512];
	struct tee t = { NULL, NULL };
	struct vi_backend be = { &tee_ops, false, 4096, NULL, &t };
	int mode;

	if (argc != 4) {
		fprintf(stderr, "usage: fuzz-host-seed CAPTURE OUT MODE\n");
		return 2;
	}
	fuzz_setup();
	mode = atoi(argv[3]) & 0xff;
	t.inner = vi_backend_replay_new(argv[1], err, sizeof(err));
	if (!t.inner) {
		fprintf(stderr, "fuzz-host-seed: %s\n", err);
		return 1;
	}
	t.out = fopen(argv[2], "wb");
	if (!t.out) {
		perror(argv[2]);
		return 1;
	}
	mode &= ~8;	/* no --probe: the seed opens nothing */
	put1(&t, (unsigned int)mode);
	run(&be, mode);
	if (fclose(t.out) != 0) {
		perror(argv[2]);
		return 1;
	}
	vi_backend_destroy(t.inner);
	return 0;
}
#endif
