// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell.c - the probe shell's commands: read, write, dump, config, layout,
 * mmap and the dump's pieces, over one device kept open.
 *
 * Each line becomes one top-level emitter object (JSON Lines with --json).
 * Arguments are checked against the region's size and flags before any
 * system call is made.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmds.h"
#include "decode.h"
#include "shell.h"
#include "uapi/vfio-abi.h"
#include "util.h"

#define MAX_WORDS	16
#define MAX_DUMP	65536u
#define MAX_CONFIG	4096u
#define MAX_SOURCE	8	/* nesting of `source` */

#define R_READ		(1u << 0)
#define R_WRITE		(1u << 1)
#define R_MMAP		(1u << 2)

struct mapping {
	uint32_t region;
	uint64_t off;		/* in the region */
	size_t len;
	void *addr;
};

struct vi_shell {
	struct vi_device *dev;
	struct vi_backend *be;
	struct vi_emit *em;
	struct vi_shell_opts o;
	bool write, done;
	int status;
	unsigned int depth;
	const char *cmd;	/* name of the command running */
	char **hist;
	size_t nhist;
	struct mapping *maps;
	size_t nmaps;
};

struct shcmd {
	const char *name;
	int (*fn)(struct vi_shell *sh, int argc, char **argv);
	int min, max;		/* operands */
	const char *usage;
	const char *summary;
	const char *help;
	enum { A_NONE, A_REGION, A_BAR, A_COMMAND, A_SET } arg;
};

static const struct shcmd *find_cmd(const char *name);

/* ---- messages ---- */

static int refuse(struct vi_shell *sh, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One line on stderr, the same text in the command's JSON object. */
static int refuse(struct vi_shell *sh, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vi_error("%s: %s", sh->cmd, msg);
	em_detail_begin(sh->em);
	em_str(sh->em, "error", msg);
	em_u64(sh->em, "status", (uint64_t)status);
	em_detail_end(sh->em);
	return status;
}

static int sys_fail(struct vi_shell *sh, long err, const char *what)
{
	return refuse(sh, vi_exit_for_errno((int)err), "%s failed: %s", what,
		      strerror((int)-err));
}

/* ---- arguments ---- */

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

static const char *region_label(const struct vi_region *rg, char *buf, size_t len)
{
	if (rg->name[0])
		return rg->name;
	snprintf(buf, len, "region %u", rg->index);
	return buf;
}

static struct vi_region *find_region(struct vi_shell *sh, const char *arg)
{
	struct vi_device *d = sh->dev;
	uint64_t idx;
	char known[256];
	size_t o = 0;

	if (parse_u64(arg, &idx) && idx < d->nregions)
		return &d->regions[idx];
	for (uint32_t i = 0; i < d->nregions; i++)
		if (d->regions[i].name[0] && strcasecmp(d->regions[i].name, arg) == 0)
			return &d->regions[i];
	known[0] = '\0';
	for (uint32_t i = 0; i < d->nregions && o < sizeof(known); i++) {
		const struct vi_region *rg = &d->regions[i];

		if (rg->ok && rg->size)
			o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s",
					      o ? ", " : "", rg->name[0] ? rg->name : "?");
	}
	refuse(sh, VI_EXIT_USAGE, "unknown region '%s': name one of %s, or give an index "
	       "below %u (see 'regions')", arg, known[0] ? known : "(none)", d->nregions);
	return NULL;
}

/* Size and flag checks, before any system call. */
static int check_access(struct vi_shell *sh, const struct vi_region *rg, uint64_t off,
			uint64_t len, uint32_t need)
{
	char b[32];
	const char *n = region_label(rg, b, sizeof(b));

	if (!rg->ok)
		return refuse(sh, VI_EXIT_FAILURE, "%s did not answer "
			      "VFIO_DEVICE_GET_REGION_INFO: it cannot be accessed", n);
	if (rg->size == 0)
		return refuse(sh, VI_EXIT_USAGE, "%s has size 0: the device does not "
			      "implement it", n);
	if ((need & R_READ) && !(rg->flags & R_READ))
		return refuse(sh, VI_EXIT_USAGE, "%s is not readable (flags 0x%x lack READ)",
			      n, rg->flags);
	if ((need & R_WRITE) && !(rg->flags & R_WRITE))
		return refuse(sh, VI_EXIT_USAGE, "%s is not writable (flags 0x%x lack WRITE)",
			      n, rg->flags);
	if (off >= rg->size)
		return refuse(sh, VI_EXIT_USAGE, "offset 0x%llx is past the end of %s (size "
			      "0x%llx): give an offset below 0x%llx", (unsigned long long)off, n,
			      (unsigned long long)rg->size, (unsigned long long)rg->size);
	if (len > rg->size - off)
		return refuse(sh, VI_EXIT_USAGE, "0x%llx + %llu bytes runs past the end of %s "
			      "(size 0x%llx): the last %llu-byte access starts at 0x%llx",
			      (unsigned long long)off, (unsigned long long)len, n,
			      (unsigned long long)rg->size, (unsigned long long)len,
			      (unsigned long long)(rg->size - len));
	return 0;
}

static int parse_width(struct vi_shell *sh, const char *arg, unsigned int *w)
{
	uint64_t v = 4;

	if (arg && (!parse_u64(arg, &v) || (v != 1 && v != 2 && v != 4 && v != 8)))
		return refuse(sh, VI_EXIT_USAGE, "bad width '%s': use 1, 2, 4 or 8 (bytes)",
			      arg);
	*w = (unsigned int)v;
	return 0;
}

static int parse_offset(struct vi_shell *sh, const char *arg, uint64_t *off)
{
	if (!parse_u64(arg, off))
		return refuse(sh, VI_EXIT_USAGE, "bad offset '%s': give a number such as 0x10 "
			      "or 16", arg);
	return 0;
}

/* ---- config space, MSI-X ---- */

static struct vi_region *config_region(struct vi_shell *sh)
{
	struct vi_device *d = sh->dev;

	if (d->kind != VI_DEV_PCI || d->nregions <= VI_PCI_CONFIG_INDEX)
		return NULL;
	return &d->regions[VI_PCI_CONFIG_INDEX];
}

/* Read config space; the caller frees *buf.  Returns bytes or -errno. */
static long read_config(struct vi_shell *sh, uint8_t **buf)
{
	struct vi_region *rg = config_region(sh);
	size_t len;
	ssize_t n;

	*buf = NULL;
	if (!rg || !rg->ok || !(rg->flags & R_READ) || !rg->size)
		return -ENODEV;
	len = rg->size < MAX_CONFIG ? (size_t)rg->size : MAX_CONFIG;
	*buf = calloc(1, len);
	if (!*buf)
		return -ENOMEM;
	n = sh->be->ops->pread(sh->be, sh->dev->dev, *buf, len, rg->offset);
	if (n < 0) {
		free(*buf);
		*buf = NULL;
	}
	return n;
}

static bool msix_of(struct vi_shell *sh, struct vi_pci_msix *m)
{
	uint8_t *cfg;
	long n = read_config(sh, &cfg);
	bool ok;

	if (n < 0)
		return false;
	ok = vi_pci_msix_of(vi_bytes_make(cfg, (size_t)n, false), m);
	free(cfg);
	return ok;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* ---- mappings ---- */

static struct mapping *mapping_at(struct vi_shell *sh, uint32_t region, uint64_t off,
				  uint64_t len)
{
	for (size_t i = 0; i < sh->nmaps; i++) {
		struct mapping *m = &sh->maps[i];

		if (m->region == region && off >= m->off && off - m->off < m->len &&
		    len <= m->len - (off - m->off))
			return m;
	}
	return NULL;
}

/* One access of exactly @w bytes through the mapping; the bytes come out
 * in the order the device holds them, as pread gives them. */
static void mmio_read(const void *addr, unsigned int w, uint8_t *out)
{
	switch (w) {
	case 1: {
		uint8_t v = *(const volatile uint8_t *)addr;
		memcpy(out, &v, 1);
		break;
	}
	case 2: {
		uint16_t v = *(const volatile uint16_t *)addr;
		memcpy(out, &v, 2);
		break;
	}
	case 4: {
		uint32_t v = *(const volatile uint32_t *)addr;
		memcpy(out, &v, 4);
		break;
	}
	default: {
		uint64_t v = *(const volatile uint64_t *)addr;
		memcpy(out, &v, 8);
		break;
	}
	}
}

/* ---- commands: the dump, piecewise ---- */

static int c_info(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_device *d = sh->dev;

	em_str(sh->em, "device", d->name);
	em_str(sh->em, "flow", d->cdev ? "cdev" : "legacy");
	em_obj_begin(sh->em, "info", NULL);
	if (d->info.ret < 0)
		vi_emit_error(sh->em, d->info.ret);
	else
		vi_decode_device_info(sh->em, &d->info, d->profiles);
	vi_emit_query_stop(sh->em, &d->info);
	em_obj_end(sh->em);
	return d->info.ret < 0 ? vi_exit_for_errno((int)d->info.ret) : 0;
}

static void emit_region(struct vi_shell *sh, struct vi_region *rg)
{
	struct vi_emit *em = sh->em;

	em_obj_begin(em, NULL, "region %u%s%s", rg->index, rg->name[0] ? " " : "", rg->name);
	em_detail_begin(em);
	em_u64(em, "index", rg->index);
	if (rg->name[0])
		em_str(em, "name", rg->name);
	else
		em_null(em, "name");
	em_detail_end(em);
	if (rg->q.ret < 0)
		vi_emit_error(em, rg->q.ret);
	else
		vi_decode_region_info(em, &rg->q, sh->dev->kind, sh->dev->profiles);
	vi_emit_query_stop(em, &rg->q);
	em_obj_end(em);
}

static int c_regions(struct vi_shell *sh, int argc, char **argv)
{
	em_arr_begin(sh->em, "regions", NULL);
	for (uint32_t i = 0; i < sh->dev->nregions; i++)
		emit_region(sh, &sh->dev->regions[i]);
	em_arr_end(sh->em);
	return 0;
}

static int c_irqs(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_emit *em = sh->em;

	em_arr_begin(em, "irqs", NULL);
	for (uint32_t i = 0; i < sh->dev->nirqs; i++) {
		struct vi_irq *iq = &sh->dev->irqs[i];

		em_obj_begin(em, NULL, "irq %u%s%s", i, iq->name[0] ? " " : "", iq->name);
		em_detail_begin(em);
		em_u64(em, "index", i);
		if (iq->name[0])
			em_str(em, "name", iq->name);
		else
			em_null(em, "name");
		em_detail_end(em);
		if (iq->q.ret < 0)
			vi_emit_error(em, iq->q.ret);
		else
			vi_decode_irq_info(em, &iq->q, sh->dev->kind, sh->dev->profiles);
		vi_emit_query_stop(em, &iq->q);
		em_obj_end(em);
	}
	em_arr_end(em);
	return 0;
}

/* Every VFIO capability chain the device answered with. */
static int c_caps(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_device *d = sh->dev;
	struct vi_emit *em = sh->em;
	struct vi_bytes b = vi_query_bytes(&d->info);
	uint32_t off = 0;

	em_obj_begin(em, "device", "device info");
	if ((d->flags & VI_DEVICE_FLAGS_CAPS) && !vi_u32(b, VI_DEVINFO_CAP_OFFSET, &off) && off)
		vi_decode_caps(em, VI_CHAIN_DEVICE, b, off, VI_DEVINFO_SIZE, d->profiles);
	else
		em_arr_begin(em, "caps", NULL), em_arr_end(em);
	em_obj_end(em);
	em_arr_begin(em, "regions", NULL);
	for (uint32_t i = 0; i < d->nregions; i++) {
		struct vi_region *rg = &d->regions[i];

		b = vi_query_bytes(&rg->q);
		off = 0;
		if (!rg->ok || !(rg->flags & VI_REGION_FLAG_CAPS) || (d->profiles & VI_PROF_DEVTREE) ||
		    vi_u32(b, VI_REGION_CAP_OFFSET, &off) || !off)
			continue;
		em_obj_begin(em, NULL, "region %u%s%s", i, rg->name[0] ? " " : "", rg->name);
		em_detail_begin(em);
		em_u64(em, "index", i);
		em_detail_end(em);
		vi_decode_caps(em, VI_CHAIN_REGION, b, off, VI_REGION_SIZE, d->profiles);
		em_obj_end(em);
	}
	em_arr_end(em);
	return 0;
}

static int c_hot_reset_info(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_query q;
	long r;

	if (sh->dev->kind != VI_DEV_PCI)
		return refuse(sh, VI_EXIT_USAGE, "hot reset is a PCI notion: %s is not a PCI "
			      "device", sh->dev->name);
	r = vi_q_hot_reset_info(sh->be, sh->dev->dev, &q);
	em_obj_begin(sh->em, "hot_reset", "hot reset");
	if (r < 0)
		vi_emit_error(sh->em, r);
	else
		vi_decode_hot_reset_info(sh->em, &q);
	vi_emit_query_stop(sh->em, &q);
	vi_query_free(&q);
	em_obj_end(sh->em);
	return r < 0 ? refuse(sh, vi_exit_for_errno((int)r),
			      "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO failed: %s",
			      strerror((int)-r)) : 0;
}

static long probe_feature(struct vi_shell *sh, uint32_t flags)
{
	struct vi_query q;
	long r = vi_q_feature(sh->be, sh->dev->dev, flags, 0, &q);

	vi_query_free(&q);
	return r;
}

static int c_features(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_emit *em = sh->em;

	em_arr_begin(em, "features", NULL);
	for (const struct vi_name *f = vi_feature_ids; f->name; f++) {
		uint32_t id = (uint32_t)f->value;
		long r = probe_feature(sh, VI_FEAT_PROBE | id);

		em_obj_begin(em, NULL, "feature %u %s", id, f->name);
		em_detail_begin(em);
		em_u64(em, "id", id);
		em_str(em, "name", f->name);
		em_detail_end(em);
		em_bool(em, "supported", r >= 0);
		if (r >= 0) {
			em_bool(em, "get", probe_feature(sh, VI_FEAT_PROBE | VI_FEAT_GET | id) >= 0);
			em_bool(em, "set", probe_feature(sh, VI_FEAT_PROBE | VI_FEAT_SET | id) >= 0);
		} else {
			vi_emit_error(em, r);
		}
		em_obj_end(em);
	}
	em_arr_end(em);
	return 0;
}

/* ---- config ---- */

static int c_config(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = config_region(sh);
	uint8_t *cfg;
	long n;
	int r;

	if (!rg)
		return refuse(sh, VI_EXIT_USAGE, "%s is not a PCI device: it has no config "
			      "space", sh->dev->name);
	r = check_access(sh, rg, 0, 1, R_READ);
	if (r)
		return r;
	n = read_config(sh, &cfg);
	if (n < 0)
		return sys_fail(sh, n, "reading config space");
	em_obj_begin(sh->em, "config", "config space");
	vi_decode_pci_config_full(sh->em, vi_bytes_make(cfg, (size_t)n, false));
	em_obj_end(sh->em);
	free(cfg);
	return 0;
}

/* ---- read, write, dump ---- */

static int c_read(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = find_region(sh, argv[1]);
	struct mapping *m;
	uint8_t buf[8];
	uint64_t off;
	unsigned int w;
	ssize_t n;
	char b[32];
	int r;

	if (!rg)
		return VI_EXIT_USAGE;
	if ((r = parse_offset(sh, argv[2], &off)) || (r = parse_width(sh, argc > 3 ? argv[3] : NULL, &w)))
		return r;
	if ((r = check_access(sh, rg, off, w, R_READ)))
		return r;
	m = mapping_at(sh, rg->index, off, w);
	if (m && off % w == 0) {
		mmio_read((const uint8_t *)m->addr + (off - m->off), w, buf);
		n = w;
	} else {
		m = NULL;
		n = sh->be->ops->pread(sh->be, sh->dev->dev, buf, w, rg->offset + off);
		if (n < 0)
			return sys_fail(sh, n, "pread");
		if ((size_t)n < w)
			return refuse(sh, VI_EXIT_FAILURE, "short read: %zd of %u bytes at "
				      "%s+0x%llx", n, w, region_label(rg, b, sizeof(b)),
				      (unsigned long long)off);
	}
	em_str(sh->em, "region", region_label(rg, b, sizeof(b)));
	em_hex(sh->em, "offset", off);
	em_u64(sh->em, "width", w);
	em_hex(sh->em, "value", vi_load(buf, w, false));
	em_str(sh->em, "via", m ? "mmap" : "pread");
	return 0;
}

static bool is_bar(const struct vi_shell *sh, const struct vi_region *rg)
{
	return sh->dev->kind == VI_DEV_PCI && rg->index < VI_PCI_ROM_INDEX;
}

static int c_write(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = find_region(sh, argv[1]);
	struct vi_pci_msix mx;
	uint8_t buf[8];
	uint64_t off, v;
	unsigned int w;
	const char *what = NULL;
	char b[32], q[256];
	ssize_t n;
	int r;

	if (!rg)
		return VI_EXIT_USAGE;
	if ((r = parse_offset(sh, argv[2], &off)))
		return r;
	if (!parse_u64(argv[3], &v))
		return refuse(sh, VI_EXIT_USAGE, "bad value '%s': give a number such as 0x1f",
			      argv[3]);
	if ((r = parse_width(sh, argc > 4 ? argv[4] : NULL, &w)))
		return r;
	if (w < 8 && v >> (8 * w))
		return refuse(sh, VI_EXIT_USAGE, "value 0x%llx does not fit in %u byte%s: give "
			      "a wider width or a smaller value", (unsigned long long)v, w,
			      w == 1 ? "" : "s");
	if ((r = check_access(sh, rg, off, w, R_WRITE)))
		return r;
	if (!sh->write)
		return refuse(sh, VI_EXIT_PERM, "writes are off: start the shell with --write, "
			      "or type 'set write on'");
	if (sh->dev->kind == VI_DEV_PCI && rg->index == VI_PCI_CONFIG_INDEX)
		what = "config space";
	else if (is_bar(sh, rg))
		what = "a BAR";
	if (is_bar(sh, rg) && msix_of(sh, &mx)) {
		if (mx.table_bir == rg->index && overlaps(off, w, mx.table_off, mx.table_len))
			what = "the MSI-X table";
		else if (mx.pba_bir == rg->index && overlaps(off, w, mx.pba_off, mx.pba_len))
			what = "the MSI-X PBA";
	}
	if (what && sh->o.confirm) {
		snprintf(q, sizeof(q), "write 0x%llx (%u byte%s) to %s+0x%llx, which is %s: "
			 "the device acts on it. Go ahead?", (unsigned long long)v, w,
			 w == 1 ? "" : "s", region_label(rg, b, sizeof(b)),
			 (unsigned long long)off, what);
		if (!sh->o.confirm(sh->o.confirm_ctx, q))
			return refuse(sh, VI_EXIT_USAGE, "not confirmed: nothing was written");
	}
	vi_store(buf, w, v, false);
	n = sh->be->ops->pwrite(sh->be, sh->dev->dev, buf, w, rg->offset + off);
	if (n < 0)
		return sys_fail(sh, n, "pwrite");
	if ((size_t)n < w)
		return refuse(sh, VI_EXIT_FAILURE, "short write: %zd of %u bytes", n, w);
	em_str(sh->em, "region", region_label(rg, b, sizeof(b)));
	em_hex(sh->em, "offset", off);
	em_u64(sh->em, "width", w);
	em_hex(sh->em, "written", v);
	return 0;
}

static int c_dump(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = find_region(sh, argv[1]);
	struct vi_emit *em = sh->em;
	uint64_t off, len;
	uint8_t *buf;
	ssize_t n;
	char b[32];
	int r;

	if (!rg)
		return VI_EXIT_USAGE;
	if ((r = parse_offset(sh, argv[2], &off)))
		return r;
	len = 256;
	if (argc > 3 && (!parse_u64(argv[3], &len) || len == 0 || len > MAX_DUMP))
		return refuse(sh, VI_EXIT_USAGE, "bad length '%s': give 1 to %u bytes", argv[3],
			      MAX_DUMP);
	if (argc <= 3 && rg->ok && off < rg->size && rg->size - off < len)
		len = rg->size - off;
	if ((r = check_access(sh, rg, off, len, R_READ)))
		return r;
	buf = malloc((size_t)len);
	if (!buf)
		return sys_fail(sh, -ENOMEM, "allocating");
	n = sh->be->ops->pread(sh->be, sh->dev->dev, buf, (size_t)len, rg->offset + off);
	if (n < 0) {
		free(buf);
		return sys_fail(sh, n, "pread");
	}
	em_detail_begin(em);
	em_str(em, "region", region_label(rg, b, sizeof(b)));
	em_hex(em, "offset", off);
	em_u64(em, "length", (uint64_t)n);
	em_bytes(em, "data", buf, (size_t)n);
	em_detail_end(em);
	em_obj_begin(em, "hexdump", "%s 0x%llx, %zd bytes", region_label(rg, b, sizeof(b)),
		     (unsigned long long)off, n);
	for (ssize_t i = 0; i < n; i += 16) {
		char key[24], line[80];
		size_t o = 0;

		snprintf(key, sizeof(key), "%08llx", (unsigned long long)(off + (uint64_t)i));
		for (ssize_t j = 0; j < 16; j++) {
			if (i + j < n)
				o += (size_t)snprintf(line + o, sizeof(line) - o, "%02x", buf[i + j]);
			else
				o += (size_t)snprintf(line + o, sizeof(line) - o, "  ");
			if (j % 2)
				line[o++] = ' ';
		}
		line[o++] = ' ';
		for (ssize_t j = 0; j < 16 && i + j < n; j++)
			line[o++] = buf[i + j] >= 0x20 && buf[i + j] < 0x7f ? (char)buf[i + j] : '.';
		line[o] = '\0';
		em_str(em, key, line);
	}
	em_obj_end(em);
	free(buf);
	if ((uint64_t)n < len)
		return refuse(sh, VI_EXIT_FAILURE, "short read: %zd of %llu bytes", n,
			      (unsigned long long)len);
	return 0;
}

/* ---- layout ---- */

struct span {
	uint64_t start, end;	/* [start, end) */
	bool mmap;
};

static int cmp_area(const void *a, const void *b)
{
	const struct vi_area *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static void emit_window(struct vi_emit *em, const char *key, const char *label,
			uint64_t off, uint64_t len, uint64_t page)
{
	em_obj_begin(em, key, "%s", label);
	em_hex(em, "offset", off);
	em_size(em, "size", len);
	em_hex(em, "first_page", off / page * page);
	em_hex(em, "last_page", (off + (len ? len - 1 : 0)) / page * page);
	em_obj_end(em);
}

static int c_layout(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = find_region(sh, argv[1]);
	struct vi_emit *em = sh->em;
	struct vi_hostinfo hi;
	struct vi_pci_msix mx;
	struct vi_area *areas = NULL;
	uint32_t na = 0;
	uint64_t page, pos = 0;
	bool has_msix, tbl = false, pba = false;
	char b[32];

	if (!rg)
		return VI_EXIT_USAGE;
	if (!is_bar(sh, rg))
		return refuse(sh, VI_EXIT_USAGE, "%s is not a BAR: layout draws BAR0 to BAR5",
			      region_label(rg, b, sizeof(b)));
	if (!rg->ok)
		return refuse(sh, VI_EXIT_FAILURE, "%s did not answer VFIO_DEVICE_GET_REGION_INFO",
			      rg->name);
	if (!rg->size)
		return refuse(sh, VI_EXIT_USAGE, "%s has size 0: the device does not implement it",
			      rg->name);
	page = sh->be->page_size;
	if (!page && sh->be->ops->host_info(sh->be, &hi) == 0)
		page = hi.page_size;
	if (!page)
		page = 4096;
	has_msix = msix_of(sh, &mx);
	tbl = has_msix && mx.table_bir == rg->index;
	pba = has_msix && mx.pba_bir == rg->index;

	em_str(em, "region", rg->name);
	em_size(em, "size", rg->size);
	em_flags(em, "flags", rg->flags, vi_region_flags);
	em_size(em, "page_size", page);
	em_bool(em, "sparse", rg->sparse);
	em_bool(em, "msix_mappable", rg->msix_mappable);

	if (rg->flags & R_MMAP) {
		if (rg->sparse) {
			na = rg->nareas;
			areas = calloc(na ? na : 1, sizeof(*areas));
			if (areas && na)
				memcpy(areas, rg->areas, na * sizeof(*areas));
			if (areas)
				qsort(areas, na, sizeof(*areas), cmp_area);
		} else {
			areas = calloc(1, sizeof(*areas));
			if (areas) {
				areas[0].size = rg->size;
				na = 1;
			}
		}
	}
	em_arr_begin(em, "ranges", NULL);
	for (uint32_t i = 0; areas && i <= na; i++) {
		uint64_t s = i < na ? areas[i].offset : rg->size;
		uint64_t e = i < na ? areas[i].offset + areas[i].size : rg->size;

		if (s > rg->size)
			s = rg->size;
		if (e > rg->size || e < s)
			e = rg->size;
		if (s > pos) {
			em_obj_begin(em, NULL, "0x%08llx-0x%08llx trapped", (unsigned long long)pos,
				     (unsigned long long)(s - 1));
			em_detail_begin(em);
			em_hex(em, "start", pos);
			em_hex(em, "end", s - 1);
			em_str(em, "access", "trapped");
			em_detail_end(em);
			em_obj_end(em);
		}
		if (i < na && e > s && e > pos) {
			if (s < pos)
				s = pos;
			em_obj_begin(em, NULL, "0x%08llx-0x%08llx mmap", (unsigned long long)s,
				     (unsigned long long)(e - 1));
			em_detail_begin(em);
			em_hex(em, "start", s);
			em_hex(em, "end", e - 1);
			em_str(em, "access", "mmap");
			em_detail_end(em);
			if (s % page || e % page)
				em_note(em, VI_NOTE_WARN, "this area is not page-aligned "
					"(page size 0x%llx)", (unsigned long long)page);
			em_obj_end(em);
			pos = e;
		}
	}
	if (!areas) {
		em_obj_begin(em, NULL, "0x%08llx-0x%08llx trapped", 0ull,
			     (unsigned long long)(rg->size - 1));
		em_detail_begin(em);
		em_hex(em, "start", 0);
		em_hex(em, "end", rg->size - 1);
		em_str(em, "access", "trapped");
		em_detail_end(em);
		em_obj_end(em);
	}
	em_arr_end(em);

	if (tbl)
		emit_window(em, "msix_table", "MSI-X table", mx.table_off, mx.table_len, page);
	if (pba)
		emit_window(em, "msix_pba", "MSI-X PBA", mx.pba_off, mx.pba_len, page);
	if (!(rg->flags & R_MMAP))
		em_note(em, VI_NOTE_INFO, "%s has no MMAP flag: every access is trapped "
			"(pread/pwrite)", rg->name);
	if (rg->size < page)
		em_note(em, VI_NOTE_WARN, "%s (0x%llx bytes) is smaller than a page (0x%llx): "
			"mapping it exposes the rest of the page", rg->name,
			(unsigned long long)rg->size, (unsigned long long)page);
	if (tbl && pba && overlaps(mx.table_off / page, (mx.table_off + mx.table_len - 1) /
				   page - mx.table_off / page + 1, mx.pba_off / page,
				   (mx.pba_off + mx.pba_len - 1) / page - mx.pba_off / page + 1))
		em_note(em, VI_NOTE_WARN, "the MSI-X table and PBA share a page: a guest "
			"mapping one maps the other");
	if ((tbl || pba) && (rg->flags & R_MMAP) && !rg->msix_mappable && !rg->sparse)
		em_note(em, VI_NOTE_WARN, "the BAR holds MSI-X structures and is mmap-able "
			"without MSIX_MAPPABLE or sparse areas");
	for (uint32_t i = 0; tbl && rg->sparse && i < na; i++)
		if (overlaps(areas[i].offset, areas[i].size, mx.table_off / page * page,
			     (mx.table_len + page - 1) / page * page) && !rg->msix_mappable)
			em_note(em, VI_NOTE_WARN, "sparse area %u covers the MSI-X table page "
				"though MSIX_MAPPABLE is absent", i);
	free(areas);
	return 0;
}

/* ---- mmap, unmap ---- */

static int c_mmap(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = find_region(sh, argv[1]);
	struct vi_emit *em = sh->em;
	struct vi_area whole;
	const struct vi_area *areas;
	uint32_t na;
	char b[32];
	int done = 0;

	if (!rg)
		return VI_EXIT_USAGE;
	if (!rg->ok || !rg->size)
		return refuse(sh, VI_EXIT_USAGE, "%s cannot be mapped: it has no size",
			      region_label(rg, b, sizeof(b)));
	if (!(rg->flags & R_MMAP))
		return refuse(sh, VI_EXIT_USAGE, "%s cannot be mapped: its flags (0x%x) lack "
			      "MMAP; use read and dump, which go through pread",
			      region_label(rg, b, sizeof(b)), rg->flags);
	for (size_t i = 0; i < sh->nmaps; i++)
		if (sh->maps[i].region == rg->index)
			return refuse(sh, VI_EXIT_USAGE, "%s is mapped already: 'unmap' first",
				      region_label(rg, b, sizeof(b)));
	whole.offset = 0;
	whole.size = rg->size;
	areas = rg->sparse ? rg->areas : &whole;
	na = rg->sparse ? rg->nareas : 1;
	if (rg->sparse && !na)
		return refuse(sh, VI_EXIT_USAGE, "%s is sparse with no mmap-able area: use read "
			      "and dump", region_label(rg, b, sizeof(b)));
	em_str(em, "region", region_label(rg, b, sizeof(b)));
	em_arr_begin(em, "mappings", NULL);
	for (uint32_t i = 0; i < na; i++) {
		struct mapping *nm;
		void *p;

		if (!areas[i].size || areas[i].offset > rg->size ||
		    areas[i].size > rg->size - areas[i].offset || areas[i].size > SIZE_MAX)
			continue;
		p = sh->be->ops->mmap(sh->be, sh->dev->dev, (size_t)areas[i].size,
				      rg->offset + areas[i].offset, false);
		em_obj_begin(em, NULL, "0x%llx+0x%llx", (unsigned long long)areas[i].offset,
			     (unsigned long long)areas[i].size);
		em_detail_begin(em);
		em_hex(em, "offset", areas[i].offset);
		em_size(em, "size", areas[i].size);
		em_detail_end(em);
		if (!p) {
			vi_emit_error(em, -errno);
			em_obj_end(em);
			continue;
		}
		nm = realloc(sh->maps, (sh->nmaps + 1) * sizeof(*nm));
		if (!nm) {
			sh->be->ops->munmap(sh->be, p, (size_t)areas[i].size);
			em_obj_end(em);
			continue;
		}
		sh->maps = nm;
		sh->maps[sh->nmaps++] = (struct mapping){ rg->index, areas[i].offset,
							  (size_t)areas[i].size, p };
		done++;
		em_obj_end(em);
	}
	em_arr_end(em);
	if (!done)
		return refuse(sh, VI_EXIT_FAILURE, "no area of %s could be mapped",
			      region_label(rg, b, sizeof(b)));
	em_note(em, VI_NOTE_INFO, "read %s ... now goes through the mapping (read-only)",
		region_label(rg, b, sizeof(b)));
	return 0;
}

static void unmap_all(struct vi_shell *sh, int region)
{
	for (size_t i = 0; i < sh->nmaps;) {
		if (region >= 0 && sh->maps[i].region != (uint32_t)region) {
			i++;
			continue;
		}
		sh->be->ops->munmap(sh->be, sh->maps[i].addr, sh->maps[i].len);
		sh->maps[i] = sh->maps[--sh->nmaps];
	}
}

static int c_unmap(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = NULL;
	size_t before = sh->nmaps;

	if (argc > 1 && !(rg = find_region(sh, argv[1])))
		return VI_EXIT_USAGE;
	unmap_all(sh, rg ? (int)rg->index : -1);
	em_u64(sh->em, "unmapped", before - sh->nmaps);
	return 0;
}

/* ---- reset ---- */

static int c_reset(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_ioarg a = { 0 };
	long r;

	if (!(sh->dev->flags & 1u))
		return refuse(sh, VI_EXIT_USAGE, "%s does not support VFIO_DEVICE_RESET "
			      "(no RESET flag in its device info)", sh->dev->name);
	if (!sh->write)
		return refuse(sh, VI_EXIT_PERM, "reset changes the device: start the shell with "
			      "--write, or type 'set write on'");
	if (sh->o.confirm && !sh->o.confirm(sh->o.confirm_ctx, "reset the device: its "
					    "state and registers are lost. Go ahead?"))
		return refuse(sh, VI_EXIT_USAGE, "not confirmed: the device was not reset");
	r = vi_be_ioctl(sh->be, sh->dev->dev, VI_IOC_DEVICE_RESET, &a);
	if (r < 0)
		return sys_fail(sh, r, "VFIO_DEVICE_RESET");
	em_bool(sh->em, "reset", true);
	return 0;
}

/* ---- the session ---- */

static int c_help(struct vi_shell *sh, int argc, char **argv);

static int c_set(struct vi_shell *sh, int argc, char **argv)
{
	if (strcmp(argv[1], "write") != 0)
		return refuse(sh, VI_EXIT_USAGE, "unknown setting '%s': the only one is 'write'",
			      argv[1]);
	if (argc < 3 || (strcmp(argv[2], "on") != 0 && strcmp(argv[2], "off") != 0))
		return refuse(sh, VI_EXIT_USAGE, "say 'set write on' or 'set write off'");
	if (strcmp(argv[2], "on") == 0 && !sh->write) {
		if (sh->o.confirm && !sh->o.confirm(sh->o.confirm_ctx, "writes go to the device "
						    "as typed and can hang or break it, or the "
						    "host. Allow writes?"))
			return refuse(sh, VI_EXIT_USAGE, "not confirmed: writes stay off");
		em_note(sh->em, VI_NOTE_WARN, "writes are on: they reach the device as typed");
	}
	sh->write = strcmp(argv[2], "on") == 0;
	em_bool(sh->em, "write", sh->write);
	return 0;
}

static int c_history(struct vi_shell *sh, int argc, char **argv)
{
	em_arr_begin(sh->em, "history", NULL);
	for (size_t i = 0; i < sh->nhist; i++)
		em_str(sh->em, NULL, sh->hist[i]);
	em_arr_end(sh->em);
	return 0;
}

static int c_source(struct vi_shell *sh, int argc, char **argv)
{
	char line[4096];
	const char *cmd = sh->cmd;
	int first = 0;
	FILE *f;

	if (sh->depth >= MAX_SOURCE)
		return refuse(sh, VI_EXIT_USAGE, "source is nested %d deep: does %s source "
			      "itself?", MAX_SOURCE, argv[1]);
	f = fopen(argv[1], "r");
	if (!f)
		return refuse(sh, vi_exit_for_errno(errno), "cannot open %s: %s", argv[1],
			      strerror(errno));
	em_str(sh->em, "source", argv[1]);
	em_obj_end(sh->em);	/* each sourced line is an object of its own */
	vi_emit_flush(sh->em);
	sh->depth++;
	while (!sh->done && fgets(line, sizeof(line), f)) {
		int r = vi_shell_exec(sh, line);
		if (r && !first)
			first = r;
	}
	sh->depth--;
	fclose(f);
	sh->cmd = cmd;
	em_obj_begin(sh->em, NULL, NULL);
	em_detail_begin(sh->em);
	em_str(sh->em, "command", "source");
	em_str(sh->em, "end", argv[1]);
	em_detail_end(sh->em);
	return first;
}

static int c_quit(struct vi_shell *sh, int argc, char **argv)
{
	sh->done = true;
	return 0;
}

static const struct shcmd cmds[] = {
	{ "info", c_info, 0, 0, "info", "device info: flags, number of regions and irqs",
	  "Shows VFIO_DEVICE_GET_INFO as dump does, with its capabilities.", A_NONE },
	{ "regions", c_regions, 0, 0, "regions", "every region: flags, size, offset, caps",
	  "Shows every VFIO_DEVICE_GET_REGION_INFO answer as dump does.", A_NONE },
	{ "irqs", c_irqs, 0, 0, "irqs", "every irq index: flags and count",
	  "Shows every VFIO_DEVICE_GET_IRQ_INFO answer as dump does.", A_NONE },
	{ "caps", c_caps, 0, 0, "caps", "the VFIO capability chains of device and regions",
	  "Decodes the capability chains of the device info and of each region.", A_NONE },
	{ "config", c_config, 0, 0, "config", "PCI config space, decoded (lspci -vvv depth)",
	  "Reads config space through the VFIO config region and decodes the header and "
	  "every capability: PM, MSI, MSI-X, PCIe, AER, ACS, ATS, SR-IOV, Resizable BAR, "
	  "DVSEC; unknown ones are shown raw.  This is what VFIO lets a VM see.", A_NONE },
	{ "read", c_read, 2, 3, "read REGION OFFSET [WIDTH]",
	  "read 1, 2, 4 or 8 bytes (default 4), little-endian",
	  "REGION is an index or a name: bar0..bar5, rom, config, vga, or a device-specific "
	  "region's type name.  The value is the bytes as the device holds them, read "
	  "little-endian.  After 'mmap REGION' aligned reads go through the mapping.",
	  A_REGION },
	{ "write", c_write, 3, 4, "write REGION OFFSET VALUE [WIDTH]",
	  "write 1, 2, 4 or 8 bytes (default 4), little-endian; needs --write",
	  "Refused unless the shell runs with --write or after 'set write on'.  A write to "
	  "config space, a BAR or the MSI-X table or PBA asks for confirmation at a "
	  "terminal; in scripts --write is the consent.  In replay the capture's copy "
	  "changes.", A_REGION },
	{ "dump", c_dump, 2, 3, "dump REGION OFFSET [LEN]",
	  "hexdump LEN bytes (default 256, at most 65536): offsets, hex, ASCII",
	  "Reads with pread and prints like xxd; JSON has the bytes as one hex string.",
	  A_REGION },
	{ "layout", c_layout, 1, 1, "layout BAR",
	  "the BAR as mmap-able and trapped ranges, MSI-X table and PBA",
	  "Draws the BAR from its flags, sparse mmap areas and MSIX_MAPPABLE, with the "
	  "MSI-X table and PBA windows from config space and the host page size; warns "
	  "when table and PBA share a page or the BAR is smaller than a page.", A_BAR },
	{ "mmap", c_mmap, 1, 1, "mmap REGION", "map a region (its sparse areas) read-only",
	  "Maps the region, or only its sparse areas when it is sparse; reads inside a "
	  "mapping then go through it.  Refused for regions without the MMAP flag.",
	  A_REGION },
	{ "unmap", c_unmap, 0, 1, "unmap [REGION]", "drop the mappings (of REGION)",
	  "Unmaps what mmap mapped.", A_REGION },
	{ "hot-reset-info", c_hot_reset_info, 0, 0, "hot-reset-info",
	  "the devices a bus reset would also reset",
	  "Asks VFIO_DEVICE_GET_PCI_HOT_RESET_INFO; changes nothing.", A_NONE },
	{ "features", c_features, 0, 0, "features", "probe VFIO_DEVICE_FEATURE ids",
	  "Probes every known feature for get and set support; changes nothing.", A_NONE },
	{ "reset", c_reset, 0, 0, "reset", "VFIO_DEVICE_RESET (changes the device)",
	  "Resets the device: needs --write, and confirmation at a terminal.", A_NONE },
	{ "set", c_set, 1, 2, "set write on|off", "allow or forbid writes",
	  "'set write on' warns, and at a terminal asks for confirmation.", A_SET },
	{ "history", c_history, 0, 0, "history", "the lines run in this session",
	  "At a terminal the history is kept in $XDG_STATE_HOME/vfio-info/history.",
	  A_NONE },
	{ "source", c_source, 1, 1, "source FILE", "run the commands in FILE",
	  "Each line of FILE runs as if typed; '#' starts a comment.", A_NONE },
	{ "help", c_help, 0, 1, "help [COMMAND]", "the commands, or one in detail",
	  "", A_COMMAND },
	{ "quit", c_quit, 0, 0, "quit", "leave the shell (also 'exit', Ctrl-D)", "", A_NONE },
	{ "exit", c_quit, 0, 0, "exit", "leave the shell", "", A_NONE },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, A_NONE }
};

static const struct shcmd *find_cmd(const char *name)
{
	for (const struct shcmd *c = cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int c_help(struct vi_shell *sh, int argc, char **argv)
{
	const struct shcmd *c;

	if (argc > 1) {
		c = find_cmd(argv[1]);
		if (!c)
			return refuse(sh, VI_EXIT_USAGE, "no command '%s': type 'help' for the "
				      "list", argv[1]);
		em_str(sh->em, "usage", c->usage);
		em_str(sh->em, "summary", c->summary);
		if (c->help[0])
			em_str(sh->em, "details", c->help);
		return 0;
	}
	em_obj_begin(sh->em, "commands", NULL);
	for (c = cmds; c->name; c++)
		em_str(sh->em, c->usage, c->summary);
	em_obj_end(sh->em);
	return 0;
}

/* ---- the interpreter ---- */

/* Split @line into words: blanks separate, quotes group, '#' comments. */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line, *o;

	while (*p) {
		char q = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max)
			return -1;
		w[n++] = o = p;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (!q && (*p == '"' || *p == '\'')) {
				q = *p++;
			} else if (q && *p == q) {
				q = 0;
				p++;
			} else {
				*o++ = *p++;
			}
		}
		if (*p)
			p++;
		*o = '\0';
	}
	return n;
}

int vi_shell_exec(struct vi_shell *sh, const char *line)
{
	char *copy = vi_strdup(line), *w[MAX_WORDS];
	const struct shcmd *c;
	int n = split(copy, w, MAX_WORDS), r;

	if (n == 0) {
		free(copy);
		return 0;
	}
	em_obj_begin(sh->em, NULL, NULL);
	em_detail_begin(sh->em);
	em_str(sh->em, "command", n > 0 ? w[0] : "");
	em_detail_end(sh->em);
	sh->cmd = n > 0 ? w[0] : "shell";
	c = n > 0 ? find_cmd(w[0]) : NULL;
	if (n < 0)
		r = refuse(sh, VI_EXIT_USAGE, "too many words: at most %d", MAX_WORDS);
	else if (!c)
		r = refuse(sh, VI_EXIT_USAGE, "unknown command: type 'help' for the list");
	else if (n - 1 < c->min || n - 1 > c->max)
		r = refuse(sh, VI_EXIT_USAGE, "wrong number of operands: usage: %s", c->usage);
	else
		r = c->fn(sh, n, w);
	em_obj_end(sh->em);
	vi_emit_flush(sh->em);
	if (r && !sh->status)
		sh->status = r;
	sh->cmd = "shell";
	free(copy);
	return r;
}

struct vi_shell *vi_shell_new(struct vi_device *dev, struct vi_emit *em,
			      const struct vi_shell_opts *o)
{
	struct vi_shell *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	sh->dev = dev;
	sh->be = dev->be;
	sh->em = em;
	sh->o = *o;
	sh->write = o->write;
	sh->cmd = "shell";
	return sh;
}

void vi_shell_free(struct vi_shell *sh)
{
	if (!sh)
		return;
	unmap_all(sh, -1);
	free(sh->maps);
	for (size_t i = 0; i < sh->nhist; i++)
		free(sh->hist[i]);
	free(sh->hist);
	free(sh);
}

int vi_shell_status(const struct vi_shell *sh)
{
	return sh->status;
}

bool vi_shell_done(const struct vi_shell *sh)
{
	return sh->done;
}

bool vi_shell_writable(const struct vi_shell *sh)
{
	return sh->write;
}

void vi_shell_add_history(struct vi_shell *sh, const char *line)
{
	char **nh;
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return;
	nh = realloc(sh->hist, (sh->nhist + 1) * sizeof(*nh));
	if (!nh)
		return;
	sh->hist = nh;
	sh->hist[sh->nhist] = vi_strdup(line);
	sh->hist[sh->nhist][len] = '\0';
	sh->nhist++;
}

/* Config registers worth offering after `read config`. */
static const char *const config_offsets[] = {
	"0x0", "0x2", "0x4", "0x6", "0x8", "0xc", "0xe", "0x10", "0x14", "0x18", "0x1c",
	"0x20", "0x24", "0x2c", "0x30", "0x34", "0x3c", NULL
};

const char *vi_shell_complete(struct vi_shell *sh, int word, char **words, int nwords,
			      const char *prefix, unsigned int *state)
{
	size_t pl = strlen(prefix);
	const struct shcmd *c = nwords > 0 ? find_cmd(words[0]) : NULL;

	if (word == 0) {
		for (; cmds[*state].name; ) {
			const char *n = cmds[(*state)++].name;
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (!c)
		return NULL;
	if (word == 1 && c->arg == A_COMMAND) {
		for (; cmds[*state].name; ) {
			const char *n = cmds[(*state)++].name;
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (word == 1 && c->arg == A_SET)
		return (*state)++ == 0 && strncmp("write", prefix, pl) == 0 ? "write" : NULL;
	if (word == 2 && c->arg == A_SET) {
		static const char *const onoff[] = { "on", "off", NULL };
		while (onoff[*state]) {
			const char *n = onoff[(*state)++];
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (word == 1 && (c->arg == A_REGION || c->arg == A_BAR)) {
		while (*state < sh->dev->nregions) {
			struct vi_region *rg = &sh->dev->regions[(*state)++];
			static char lower[48];

			if (!rg->name[0] || !rg->ok || !rg->size)
				continue;
			if (c->arg == A_BAR && !is_bar(sh, rg))
				continue;
			for (size_t i = 0; i < sizeof(lower) - 1; i++) {
				lower[i] = (char)tolower((unsigned char)rg->name[i]);
				if (!rg->name[i])
					break;
			}
			lower[sizeof(lower) - 1] = '\0';
			if (strncasecmp(lower, prefix, pl) == 0)
				return lower;
		}
		return NULL;
	}
	if (word == 2 && c->arg == A_REGION && nwords > 1 && strcasecmp(words[1], "config") == 0 &&
	    (c->fn == c_read || c->fn == c_write || c->fn == c_dump)) {
		while (config_offsets[*state]) {
			const char *n = config_offsets[(*state)++];
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
	}
	return NULL;
}
