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
#include <time.h>

#include "capture-io.h"
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
	enum { A_NONE, A_REGION, A_BAR, A_COMMAND, A_SET, A_CONFIG, A_IRQ } arg;
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
	/* ENODATA: the backend has no bytes there (a capture keeps only what
	 * was read when it was taken) */
	if (err == -ENODATA)
		return refuse(sh, VI_EXIT_NOTFOUND, "the capture holds no bytes here: "
			      "captures keep config space (and what a capture file lists "
			      "under \"regions\"); read BARs on the live device");
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
	if (len > rg->size - off && len > rg->size)
		return refuse(sh, VI_EXIT_USAGE, "0x%llx + %llu bytes runs past the end of %s "
			      "(size 0x%llx): at most %llu bytes from offset 0x%llx",
			      (unsigned long long)off, (unsigned long long)len, n,
			      (unsigned long long)rg->size,
			      (unsigned long long)(rg->size - off), (unsigned long long)off);
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

/* The host's view of config space: sysfs, through the backend.  Returns
 * the bytes read (at most MAX_CONFIG) or -errno; *@buf is the caller's. */
static long read_physical(struct vi_shell *sh, uint8_t **buf, char *path, size_t pathlen)
{
	char *s = NULL;
	size_t len = 0;
	int r;

	*buf = NULL;
	snprintf(path, pathlen, "/sys/bus/pci/devices/%s/config", sh->dev->name);
	r = sh->be->ops->read_file(sh->be, VI_NS_SYS, path + strlen("/sys/"), &s, &len);
	if (r < 0)
		return r;
	*buf = (uint8_t *)s;
	return (long)(len < MAX_CONFIG ? len : MAX_CONFIG);
}

/* Read the sysfs view or say why not (the caller returns the status). */
static int physical_or_refuse(struct vi_shell *sh, uint8_t **buf, long *n, char *path,
			      size_t pathlen)
{
	*n = read_physical(sh, buf, path, pathlen);
	if (*n == -ENOENT)
		return refuse(sh, VI_EXIT_NOTFOUND, "no physical view: %s does not exist (a "
			      "capture holds it only when 'vfio-info capture' recorded it; older "
			      "captures do not: capture the device again)", path);
	if (*n < 0)
		return refuse(sh, vi_exit_for_errno((int)*n), "cannot read %s: %s", path,
			      strerror((int)-*n));
	if (*n == 0) {
		free(*buf);
		return refuse(sh, VI_EXIT_FAILURE, "%s is empty: the host gave no config "
			      "space", path);
	}
	return 0;
}

static void note_short_physical(struct vi_emit *em, long n)
{
	em_note(em, VI_NOTE_WARN, "sysfs gave only %ld bytes: without CAP_SYS_ADMIN the "
		"kernel shows the 64-byte header (128 for a CardBus bridge) and nothing of "
		"the capabilities; run as root for the whole view ('config' reads all of it "
		"through VFIO)", n);
}

/* Why vfio-pci shows a register differently, where that is known. */
enum { IN_HEADER, IN_CAP, IN_ECAP };

#define WHY_BAR		"vfio-pci virtualizes the BARs and the ROM BAR: a user sees " \
			"what it wrote (and the sizing answer), the host keeps its own " \
			"addresses"
#define WHY_CHAIN	"vfio-pci hides capabilities it does not expose by linking the " \
			"capability list around them"
#define WHY_VF_ID	"an SR-IOV VF has no vendor or device ID of its own (it reads " \
			"0xffff); vfio-pci shows the ones its PF gives"

static const struct diff_why {
	int area;
	int id;			/* capability id, -1: any */
	const char *key;	/* NULL: any register */
	const char *why;
} diff_whys[] = {
	{ IN_HEADER, -1, "vendor_id", WHY_VF_ID }, { IN_HEADER, -1, "device_id", WHY_VF_ID },
	{ IN_HEADER, -1, "command", "vfio-pci virtualizes I/O and memory space enable and "
	  "INTx disable: a user sees what it wrote, the device keeps what the host set" },
	{ IN_HEADER, -1, "bar0", WHY_BAR }, { IN_HEADER, -1, "bar1", WHY_BAR },
	{ IN_HEADER, -1, "bar2", WHY_BAR }, { IN_HEADER, -1, "bar3", WHY_BAR },
	{ IN_HEADER, -1, "bar4", WHY_BAR }, { IN_HEADER, -1, "bar5", WHY_BAR },
	{ IN_HEADER, -1, "rom_bar", WHY_BAR },
	{ IN_HEADER, -1, "interrupt_line", "vfio-pci virtualizes the interrupt line: the "
	  "host's IRQ number means nothing to a user" },
	{ IN_HEADER, -1, "interrupt_pin", "vfio-pci shows no interrupt pin when it does not "
	  "offer INTx (a device with known broken INTx, or a kernel built without INTx "
	  "support)" },
	{ IN_HEADER, -1, "cap_ptr", WHY_CHAIN }, { IN_CAP, -1, "next", WHY_CHAIN },
	{ IN_ECAP, -1, "header", WHY_CHAIN },
	{ IN_CAP, 0x05, NULL, "vfio-pci virtualizes MSI: the host programs the real message "
	  "address and data, a user sees its own" },
};

static const char *diff_why_of(const struct vi_pci_reg *r)
{
	int area = !r->in_cap ? IN_HEADER : r->cap.ext ? IN_ECAP : IN_CAP;

	if (!r->in_cap && r->off >= 0x40)
		return NULL;
	for (size_t i = 0; i < sizeof(diff_whys) / sizeof(diff_whys[0]); i++) {
		const struct diff_why *w = &diff_whys[i];

		if (w->area == area && (w->id < 0 || (r->in_cap && w->id == r->cap.id)) &&
		    (!w->key || (r->key && strcmp(w->key, r->key) == 0)))
			return w->why;
	}
	return NULL;
}

static bool has_cap(const struct vi_pci_capref *v, size_t n, const struct vi_pci_capref *c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].ext == c->ext && v[i].off == c->off && v[i].id == c->id)
			return true;
	return false;
}

/* The capabilities of @a that @b lacks, as an array @key. */
static void emit_cap_delta(struct vi_emit *em, const char *key, const char *label,
			   const struct vi_pci_capref *a, size_t na,
			   const struct vi_pci_capref *b, size_t nb)
{
	em_arr_begin(em, key, "%s", label);
	for (size_t i = 0; i < na; i++) {
		const char *name = vi_pci_capref_name(&a[i]);

		if (has_cap(b, nb, &a[i]))
			continue;
		em_obj_begin(em, NULL, a[i].ext ? "[%03x] %s (extended)" : "[%02x] %s",
			     a[i].off, name ? name : "unknown");
		em_detail_begin(em);
		em_hex(em, "offset", a[i].off);
		em_enum(em, "id", a[i].id, a[i].ext ? vi_pci_ecap_ids : vi_pci_cap_ids);
		em_str(em, "name", name ? name : "unknown");
		em_bool(em, "extended", a[i].ext);
		em_detail_end(em);
		em_obj_end(em);
	}
	em_arr_end(em);
}

#define MAX_DIFF_CAPS	128
#define MAX_FIELDS	16

/*
 * What a user of VFIO sees differently from the host: every register that
 * differs in the bytes both views hold, named through the physical layout
 * (it lists every capability; the VFIO one may hide some), and the
 * capabilities in one list only.
 */
static void config_diff(struct vi_shell *sh, const uint8_t *v, size_t vlen,
			const uint8_t *p, size_t plen, const char *path)
{
	struct vi_emit *em = sh->em;
	struct vi_bytes vb = vi_bytes_make(v, vlen, false), pb = vi_bytes_make(p, plen, false);
	struct vi_pci_capref *vc = calloc(MAX_DIFF_CAPS, sizeof(*vc));
	struct vi_pci_capref *pc = calloc(MAX_DIFF_CAPS, sizeof(*pc));
	const char *whys[sizeof(diff_whys) / sizeof(diff_whys[0])];
	size_t n = vlen < plen ? vlen : plen, nwhy = 0, ndiff = 0, nvc = 0, npc = 0;
	uint32_t done = 0;

	em_obj_begin(em, "diff", "config space: VFIO's view against the host's");
	em_str(em, "physical_path", path);
	em_size(em, "vfio_length", vlen);
	em_size(em, "physical_length", plen);
	em_size(em, "compared", n);
	if (plen < vlen && plen < 256)
		note_short_physical(em, (long)plen);
	if (n < vlen || n < plen)
		em_note(em, VI_NOTE_INFO, "only the first 0x%zx bytes, which both views hold, "
			"are compared", n);
	em_arr_begin(em, "differences", NULL);
	for (uint32_t off = 0; off < n; off++) {
		struct vi_pci_reg r;
		const char *fields[MAX_FIELDS], *why;
		size_t nf;
		uint32_t a, b;
		char fl[160] = "";

		if (v[off] == p[off])
			continue;
		if (!vi_pci_reg_at(pb, off, &r)) {
			struct vi_pci_reg rv;

			if (vi_pci_reg_at(vb, off, &rv))
				r = rv;
		}
		/* bytes both views hold, and each one reported once */
		if (r.off < done || r.off > off || r.off + r.size > n) {
			r.off = off;
			r.size = 1;
			r.key = NULL;
			r.fields = NULL;
		}
		a = (uint32_t)vi_load(v + r.off, r.size, false);
		b = (uint32_t)vi_load(p + r.off, r.size, false);
		nf = vi_pci_reg_fields(&r, a, b, fields, MAX_FIELDS);
		for (size_t i = 0, o = 0; i < nf && o < sizeof(fl); i++)
			o += (size_t)snprintf(fl + o, sizeof(fl) - o, "%s%s", i ? " " : " [",
					      fields[i]);
		if (nf && strlen(fl) + 2 < sizeof(fl))
			strcat(fl, "]");
		why = diff_why_of(&r);
		em_obj_begin(em, NULL, "0x%03x %s: vfio 0x%0*x, physical 0x%0*x%s", r.off, r.name,
			     r.size * 2, a, r.size * 2, b, fl);
		em_detail_begin(em);
		em_hex(em, "offset", r.off);
		em_u64(em, "width", r.size);
		em_str(em, "register", r.name);
		em_arr_begin(em, "fields", NULL);
		for (size_t i = 0; i < nf; i++)
			em_str(em, NULL, fields[i]);
		em_arr_end(em);
		em_hex(em, "vfio", a);
		em_hex(em, "physical", b);
		em_str(em, "why", why);
		em_detail_end(em);
		em_obj_end(em);
		if (why) {
			size_t i;

			for (i = 0; i < nwhy && whys[i] != why; i++)
				;
			if (i == nwhy)
				whys[nwhy++] = why;
		}
		ndiff++;
		done = r.off + r.size;
		off = done - 1;
	}
	em_arr_end(em);
	em_u64(em, "differing_registers", ndiff);
	if (vc && pc && n >= 256) {
		nvc = vi_pci_cap_list(vi_bytes_make(v, n, false), vc, MAX_DIFF_CAPS);
		npc = vi_pci_cap_list(vi_bytes_make(p, n, false), pc, MAX_DIFF_CAPS);
	}
	em_bool(em, "capabilities_compared", vc && pc && n >= 256);
	emit_cap_delta(em, "hidden_capabilities", "capabilities only the host sees (hidden "
		       "by VFIO)", pc, npc, vc, nvc);
	emit_cap_delta(em, "added_capabilities", "capabilities only VFIO shows", vc, nvc,
		       pc, npc);
	if (n < 256)
		em_note(em, VI_NOTE_INFO, "the capability lists were not compared: the "
			"physical view holds no capability");
	for (size_t i = 0; i < nwhy; i++)
		em_note(em, VI_NOTE_INFO, "%s", whys[i]);
	if (!ndiff && nvc == npc)
		em_note(em, VI_NOTE_INFO, "the bytes compared are the same in both views");
	em_obj_end(em);
	free(vc);
	free(pc);
}

static int c_config(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = config_region(sh);
	enum { V_VFIO, V_PHYSICAL, V_DIFF } view = V_VFIO;
	uint8_t *cfg = NULL, *phys = NULL;
	char path[128];
	long n = 0, pn = 0;
	int r;

	if (argc > 1) {
		if (strcmp(argv[1], "--physical") == 0)
			view = V_PHYSICAL;
		else if (strcmp(argv[1], "--diff") == 0)
			view = V_DIFF;
		else
			return refuse(sh, VI_EXIT_USAGE, "unknown option '%s': config takes "
				      "--physical (the host's view, from sysfs) or --diff",
				      argv[1]);
	}
	if (!rg)
		return refuse(sh, VI_EXIT_USAGE, "%s is not a PCI device: it has no config "
			      "space", sh->dev->name);
	if (view != V_PHYSICAL) {
		r = check_access(sh, rg, 0, 1, R_READ);
		if (r)
			return r;
		n = read_config(sh, &cfg);
		if (n < 0)
			return sys_fail(sh, n, "reading config space");
	}
	if (view != V_VFIO && (r = physical_or_refuse(sh, &phys, &pn, path, sizeof(path)))) {
		free(cfg);
		return r;
	}
	switch (view) {
	case V_VFIO:
		em_obj_begin(sh->em, "config", "config space");
		vi_decode_pci_config_full(sh->em, vi_bytes_make(cfg, (size_t)n, false));
		em_obj_end(sh->em);
		break;
	case V_PHYSICAL:
		em_obj_begin(sh->em, "config", "config space as the host sees it (sysfs)");
		em_str(sh->em, "source", "sysfs");
		em_str(sh->em, "path", path);
		if (pn < 256)
			note_short_physical(sh->em, pn);
		vi_decode_pci_config_view(sh->em, vi_bytes_make(phys, (size_t)pn, false));
		em_obj_end(sh->em);
		break;
	case V_DIFF:
		config_diff(sh, cfg, (size_t)n, phys, (size_t)pn, path);
		break;
	}
	free(cfg);
	free(phys);
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

/* ---- irq ---- */

#define IRQ_DEFAULT_MAX	32	/* vectors set up when no COUNT is given */
#define IRQ_MAX		2048	/* MSI-X's largest table */
#define IRQ_WAIT_MAX_MS	3600000u
#define IRQ_SLICE_MS	100	/* a Ctrl-C that just misses a look costs this */

/* What an errno from VFIO_DEVICE_SET_IRQS means there. */
static const struct { int err; const char *meaning; } set_irqs_errors[] = {
	{ EINVAL, "the kernel refused the request: index, vectors or flags do not fit "
	  "this interrupt as the device is now (of INTx, MSI and MSI-X only one can be "
	  "set up at a time)" },
	{ ENOTTY, "the driver does not offer this action for this interrupt" },
	{ ENODEV, "the device has no such interrupt on this host (no INTx line routed, "
	  "or no MSI/MSI-X capability)" },
	{ EBUSY, "the interrupt is taken: the INTx line is shared with a device that "
	  "cannot mask it, or another user holds it" },
	{ ENOSPC, "the host has no interrupt vectors left" },
	{ ENOMEM, "the kernel ran out of memory" },
	{ EBADF, "a handle passed is not an open eventfd" },
	{ EPERM, "not permitted: the device or the host forbids it" },
	{ EIO, "the device did not respond" },
	{ 0, NULL }
};

static const char *set_irqs_meaning(long err)
{
	for (size_t i = 0; set_irqs_errors[i].meaning; i++)
		if (set_irqs_errors[i].err == (int)-err)
			return set_irqs_errors[i].meaning;
	return NULL;
}

static const char *errno_label(long err, char *buf, size_t len)
{
	const char *n = vi_errno_name((int)-err);

	if (n)
		return n;
	snprintf(buf, len, "errno %ld", -err);
	return buf;
}

static void set_flags_text(uint32_t flags, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (const struct vi_name *f = vi_irq_set_flags; f->name && o < len; f++)
		if (flags & f->value)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "|" : "", f->name);
}

/* One VFIO_DEVICE_SET_IRQS (query.c builds it): the return value. */
static long set_irqs(struct vi_shell *sh, uint32_t index, uint32_t flags, uint32_t start,
		     uint32_t count, const int *hs)
{
	struct vi_query q;
	long r = vi_q_set_irqs(sh->be, sh->dev->dev, index, flags, start, count, hs, &q);

	vi_query_free(&q);
	return r;
}

/* The call and its outcome, as an object @key. */
static void emit_set_irqs(struct vi_emit *em, const char *key, const char *what,
			  uint32_t flags, uint32_t start, uint32_t count, long r)
{
	if (r < 0)
		em_obj_begin(em, key, "%s: failed", what);
	else if (r > 0)
		em_obj_begin(em, key, "%s: only %ld vectors available", what, r);
	else
		em_obj_begin(em, key, "%s: ok", what);
	em_detail_begin(em);
	em_flags(em, "flags", flags, vi_irq_set_flags);
	em_u64(em, "start", start);
	em_u64(em, "count", count);
	em_detail_end(em);
	if (r < 0) {
		const char *m = set_irqs_meaning(r);

		vi_emit_error(em, r);
		if (m)
			em_str(em, "meaning", m);
	} else if (r > 0) {
		em_str(em, "error", "short");
		em_u64(em, "available", (uint64_t)r);
	} else {
		em_detail_begin(em);
		em_str(em, "result", "ok");
		em_detail_end(em);
	}
	em_obj_end(em);
}

/* The refusal line for a failed SET_IRQS: errno name, strerror, meaning. */
static int irq_fail(struct vi_shell *sh, const char *what, const char *irq, uint32_t flags,
		    long r, uint32_t count)
{
	char fb[96], eb[32];
	const char *m;

	set_flags_text(flags, fb, sizeof(fb));
	if (r > 0)
		return refuse(sh, VI_EXIT_FAILURE, "%s of %s: VFIO_DEVICE_SET_IRQS (%s) returned "
			      "%ld: the host could allocate only %ld of the %u vectors; give "
			      "COUNT %ld", what, irq, fb, r, r, count, r);
	m = set_irqs_meaning(r);
	return refuse(sh, vi_exit_for_errno((int)r), "%s of %s: VFIO_DEVICE_SET_IRQS (%s) "
		      "failed: %s (%s)%s%s", what, irq, fb, errno_label(r, eb, sizeof(eb)),
		      strerror((int)-r), m ? ": " : "", m ? m : "");
}

static const struct vi_name *irq_flag_table(unsigned int profiles)
{
	if (profiles & VI_PROF_DEVTREE)
		return vi_irq_flags_devtree;
	if (profiles & VI_PROF_IRQ_CAPS)
		return vi_irq_flags_caps;
	return vi_irq_flags;
}

static const char *irq_label(const struct vi_irq *iq, char *buf, size_t len)
{
	if (iq->name[0])
		snprintf(buf, len, "%s (irq %u)", iq->name, iq->index);
	else
		snprintf(buf, len, "irq %u", iq->index);
	return buf;
}

static struct vi_irq *find_irq(struct vi_shell *sh, const char *arg)
{
	struct vi_device *d = sh->dev;
	char known[256];
	uint64_t idx;
	size_t o = 0;

	if (parse_u64(arg, &idx)) {
		if (idx < d->nirqs)
			return &d->irqs[idx];
		refuse(sh, VI_EXIT_USAGE, "irq index %s does not exist: %s has %u irq "
		       "ind%s (see 'irqs')", arg, d->name, d->nirqs, d->nirqs == 1 ? "ex" : "exes");
		return NULL;
	}
	for (uint32_t i = 0; i < d->nirqs; i++)
		if (d->irqs[i].name[0] && (strcasecmp(d->irqs[i].name, arg) == 0 ||
		    (strcasecmp(arg, "msi-x") == 0 && strcasecmp(d->irqs[i].name, "msix") == 0)))
			return &d->irqs[i];
	known[0] = '\0';
	for (uint32_t i = 0; i < d->nirqs && o < sizeof(known); i++)
		if (d->irqs[i].name[0])
			o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s", o ? ", " : "",
					      d->irqs[i].name);
	if (known[0])
		refuse(sh, VI_EXIT_USAGE, "unknown irq '%s': name one of %s, or give an index "
		       "below %u (see 'irqs')", arg, known, d->nirqs);
	else
		refuse(sh, VI_EXIT_USAGE, "unknown irq '%s': the irqs of %s have no names; give "
		       "an index below %u (see 'irqs')", arg, d->name, d->nirqs);
	return NULL;
}

/* SECONDS: a decimal number from 0 to an hour, in milliseconds. */
static bool parse_seconds(const char *s, uint64_t *ms)
{
	uint64_t whole = 0, frac = 0, scale = 1000;
	const char *p = s;

	if (!*p)
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > IRQ_WAIT_MAX_MS / 1000)
			return false;
	}
	if (*p == '.') {
		if (p == s && !p[1])
			return false;
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
	}
	if (*p || p == s)
		return false;
	*ms = whole * 1000 + frac;
	return *ms <= IRQ_WAIT_MAX_MS;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

enum irq_end { END_ALL, END_TIME, END_INTERRUPTED, END_SETTLED, END_ERROR };

static const char *const irq_end_names[] = {
	[END_ALL] = "every vector triggered", [END_TIME] = "time up",
	[END_INTERRUPTED] = "interrupted", [END_SETTLED] = "nothing more can arrive",
	[END_ERROR] = "error",
};

/* Wait up to @wait_ms, counting into @counts, in slices so that Ctrl-C
 * (which sets *interrupted) ends it soon even if it just missed poll. */
static enum irq_end irq_wait(struct vi_shell *sh, const int *hs, uint32_t n, uint64_t wait_ms,
			     bool loopback, uint64_t *counts, long *err)
{
	struct vi_backend *be = sh->be;
	uint64_t start = now_ms();
	enum irq_end end;

	if (sh->o.interrupted)
		*sh->o.interrupted = 0;
	if (sh->o.waiting)
		*sh->o.waiting = 1;
	for (;;) {
		uint64_t el = now_ms() - start, left = el < wait_ms ? wait_ms - el : 0;
		bool settled = false, all = true;
		int r = be->ops->event_wait(be, hs, n, (int)(left < IRQ_SLICE_MS ? left :
							     IRQ_SLICE_MS), counts, &settled);

		if (r == -EINTR || (sh->o.interrupted && *sh->o.interrupted)) {
			end = END_INTERRUPTED;
			break;
		}
		if (r < 0) {
			*err = r;
			end = END_ERROR;
			break;
		}
		for (uint32_t i = 0; i < n; i++)
			all = all && counts[i];
		if (loopback && all) {
			end = END_ALL;
			break;
		}
		if (settled) {
			end = END_SETTLED;
			break;
		}
		if (!left) {
			end = END_TIME;
			break;
		}
	}
	if (sh->o.waiting)
		*sh->o.waiting = 0;
	return end;
}

static int c_irq(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_device *d = sh->dev;
	struct vi_backend *be = sh->be;
	struct vi_emit *em = sh->em;
	const uint32_t trig = VI_IRQ_SET_DATA_EVENTFD | VI_IRQ_SET_ACTION_TRIGGER;
	const uint32_t none = VI_IRQ_SET_DATA_NONE | VI_IRQ_SET_ACTION_TRIGGER;
	struct vi_irq *iq;
	uint64_t want = 0, wait_ms = 1000, *counts = NULL;
	bool loopback = false, have_count = false, clamped = false;
	long r, rl = 0, rt, werr = 0;
	enum irq_end end;
	uint32_t n, missing = 0;
	int *hs = NULL, status = 0;
	char lb[48], q[256];

	if (!(iq = find_irq(sh, argv[1])))
		return VI_EXIT_USAGE;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--loopback") == 0) {
			loopback = true;
		} else if (strcmp(argv[i], "--wait") == 0) {
			if (++i >= argc)
				return refuse(sh, VI_EXIT_USAGE, "--wait needs SECONDS, such as "
					      "--wait 2 or --wait 0.5");
			if (!parse_seconds(argv[i], &wait_ms))
				return refuse(sh, VI_EXIT_USAGE, "bad wait '%s': give seconds "
					      "from 0 to %u, such as 2 or 0.5", argv[i],
					      IRQ_WAIT_MAX_MS / 1000);
		} else if (!have_count && argv[i][0] != '-') {
			if (!parse_u64(argv[i], &want))
				return refuse(sh, VI_EXIT_USAGE, "bad COUNT '%s': give a number "
					      "of vectors such as 1 or 4", argv[i]);
			have_count = true;
		} else {
			return refuse(sh, VI_EXIT_USAGE, "unexpected '%s': usage: irq INDEX "
				      "[COUNT] [--loopback] [--wait SECONDS]", argv[i]);
		}
	}
	irq_label(iq, lb, sizeof(lb));
	/* what the kernel would refuse, refused before any system call */
	if (!iq->ok)
		return refuse(sh, VI_EXIT_FAILURE, "%s did not answer VFIO_DEVICE_GET_IRQ_INFO: "
			      "it cannot be set up", lb);
	if (!(iq->flags & VI_IRQ_INFO_EVENTFD))
		return refuse(sh, VI_EXIT_USAGE, "%s cannot signal an eventfd: its flags (0x%x) "
			      "lack EVENTFD", lb, iq->flags);
	if (!iq->count)
		return refuse(sh, VI_EXIT_USAGE, "%s has no vectors (count 0): the device does "
			      "not implement it", lb);
	if (have_count && (want == 0 || want > iq->count))
		return refuse(sh, VI_EXIT_USAGE, "COUNT %llu does not fit %s: it has %u "
			      "vector%s; give 1 to %u", (unsigned long long)want, lb, iq->count,
			      iq->count == 1 ? "" : "s", iq->count);
	if (have_count && want > IRQ_MAX)
		return refuse(sh, VI_EXIT_USAGE, "COUNT %llu is more than irq sets up at once: "
			      "give 1 to %u", (unsigned long long)want, IRQ_MAX);
	if (!have_count) {
		want = iq->count < IRQ_DEFAULT_MAX ? iq->count : IRQ_DEFAULT_MAX;
		clamped = want < iq->count;
	}
	n = (uint32_t)want;
	if (!be->ops->event_new || !be->ops->event_wait)
		return refuse(sh, VI_EXIT_FAILURE, "the %s backend cannot make eventfds",
			      be->ops->name);
	if (!sh->write)
		return refuse(sh, VI_EXIT_PERM, "irq changes the device's interrupt set-up: "
			      "start the shell with --write, or type 'set write on'");
	snprintf(q, sizeof(q), "set up %u eventfd%s for %s%s: the device's interrupt "
		 "set-up changes until it is torn down. Go ahead?", n, n == 1 ? "" : "s", lb,
		 loopback ? " and fire each vector once" : "");
	if (sh->o.confirm && !sh->o.confirm(sh->o.confirm_ctx, q))
		return refuse(sh, VI_EXIT_USAGE, "not confirmed: nothing was set up");

	hs = calloc(n, sizeof(*hs));
	counts = calloc(n, sizeof(*counts));
	if (!hs || !counts) {
		free(hs);
		free(counts);
		return sys_fail(sh, -ENOMEM, "allocating");
	}
	for (uint32_t i = 0; i < n; i++)
		hs[i] = -1;
	for (uint32_t i = 0; i < n; i++) {
		int h = be->ops->event_new(be);

		if (h < 0) {
			for (uint32_t j = 0; j < i; j++)
				be->ops->close(be, hs[j]);
			free(hs);
			free(counts);
			return sys_fail(sh, h, "creating an eventfd");
		}
		hs[i] = h;
	}

	em_obj_begin(em, "irq", "%s", lb);
	em_detail_begin(em);
	em_u64(em, "index", iq->index);
	if (iq->name[0])
		em_str(em, "name", iq->name);
	else
		em_null(em, "name");
	em_str(em, "backend", be->ops->name);
	em_detail_end(em);
	em_flags(em, "flags", iq->flags, irq_flag_table(d->profiles));
	em_u64(em, "vectors", iq->count);
	em_u64(em, "count", n);
	em_bool(em, "loopback", loopback);
	em_u64(em, "wait_ms", wait_ms);
	if (clamped)
		em_note(em, VI_NOTE_INFO, "%s has %u vectors: the first %u are set up; give "
			"COUNT for more", lb, iq->count, n);
	if (iq->flags & VI_IRQ_INFO_AUTOMASKED)
		em_note(em, VI_NOTE_INFO, "AUTOMASKED: the host masks this interrupt each time "
			"it fires until it is unmasked (VFIO_IRQ_SET_ACTION_UNMASK), which irq "
			"does not do: the device's interrupts count once; loopback triggers are "
			"not masked");

	r = set_irqs(sh, iq->index, trig, 0, n, hs);
	emit_set_irqs(em, "set_up", "set up", trig, 0, n, r);
	if (r) {
		em_obj_end(em);
		for (uint32_t i = 0; i < n; i++)
			be->ops->close(be, hs[i]);
		free(hs);
		free(counts);
		return irq_fail(sh, "set-up", lb, trig, r, n);
	}
	if (loopback) {
		rl = set_irqs(sh, iq->index, none, 0, n, NULL);
		emit_set_irqs(em, "loopback_trigger", "loopback trigger", none, 0, n, rl);
	}
	end = irq_wait(sh, hs, n, wait_ms, loopback && !rl, counts, &werr);
	em_str(em, "ended", irq_end_names[end]);
	if (end == END_SETTLED) {
		char secs[32] = "";

		if (wait_ms % 1000)
			snprintf(secs, sizeof(secs), ", and the %llu.%03llu", (unsigned long long)
				 (wait_ms / 1000), (unsigned long long)(wait_ms % 1000));
		else if (wait_ms)
			snprintf(secs, sizeof(secs), ", and the %llu", (unsigned long long)
				 (wait_ms / 1000));
		em_note(em, VI_NOTE_INFO, "%s backend: no device raises interrupts here; only "
			"loopback triggers, which it delivers itself, are counted%s%s",
			be->ops->name, secs, secs[0] ? " s wait was not slept" : "");
	}
	if (end == END_ERROR)
		vi_emit_error(em, werr);
	em_arr_begin(em, "triggers", NULL);
	for (uint32_t i = 0; i < n; i++) {
		em_obj_begin(em, NULL, "vector %u: %llu", i, (unsigned long long)counts[i]);
		em_detail_begin(em);
		em_u64(em, "vector", i);
		em_u64(em, "count", counts[i]);
		em_detail_end(em);
		em_obj_end(em);
		missing += !counts[i];
	}
	em_arr_end(em);
	if (loopback && !rl && !missing)
		em_note(em, VI_NOTE_INFO, "every vector's eventfd was signalled: the eventfd "
			"path works");
	else if (loopback && !rl && end != END_INTERRUPTED)
		em_note(em, VI_NOTE_WARN, "%u of %u vectors did not trigger on loopback",
			missing, n);

	/* always undone, whatever happened above */
	rt = set_irqs(sh, iq->index, none, 0, 0, NULL);
	emit_set_irqs(em, "teardown", "teardown", none, 0, 0, rt);
	em_obj_end(em);
	for (uint32_t i = 0; i < n; i++)
		be->ops->close(be, hs[i]);
	free(hs);
	free(counts);

	if (rl)
		status = irq_fail(sh, "loopback trigger", lb, none, rl, n);
	else if (end == END_ERROR)
		status = sys_fail(sh, werr, "waiting for the eventfds");
	else if (end == END_INTERRUPTED)
		status = refuse(sh, VI_EXIT_FAILURE, "interrupted: the wait was cancelled");
	else if (loopback && missing)
		status = refuse(sh, VI_EXIT_FAILURE, "%u of %u vectors did not trigger on "
				"loopback: the eventfd path is not proven", missing, n);
	if (rt) {
		int st = irq_fail(sh, "teardown", lb, none, rt, 0);

		if (!status)
			status = st;
	}
	return status;
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
	{ "config", c_config, 0, 1, "config [--physical|--diff]",
	  "PCI config space decoded (lspci -vvv depth); --physical: the host's view; "
	  "--diff: what VFIO shows differently",
	  "Reads config space through the VFIO config region and decodes the header and "
	  "every capability: PM, MSI, MSI-X, PCIe, AER, ACS, ATS, SR-IOV, Resizable BAR, "
	  "DVSEC; unknown ones are shown raw.  This is what VFIO lets a VM see.  "
	  "--physical decodes the host's view instead, from "
	  "/sys/bus/pci/devices/BDF/config (64 bytes only without root).  --diff "
	  "compares the two byte by byte and lists each register that differs (offset, "
	  "capability and register, the fields that differ, both values, why where "
	  "known) and the capabilities VFIO hides or adds.", A_CONFIG },
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
	{ "irq", c_irq, 1, 5, "irq INDEX [COUNT] [--loopback] [--wait SECONDS]",
	  "set up eventfds for an interrupt, count its triggers, tear down (changes the "
	  "device)",
	  "INDEX is a number or a name: intx, msi, msix, err, req.  Sets up COUNT eventfds "
	  "(default every vector, at most 32) with VFIO_DEVICE_SET_IRQS "
	  "DATA_EVENTFD|ACTION_TRIGGER, waits SECONDS (default 1) and reports how often "
	  "each vector triggered, then always tears the set-up down (DATA_NONE, count "
	  "0).  --loopback has the kernel fire every vector itself (DATA_NONE|"
	  "ACTION_TRIGGER), proving the eventfd path; the wait ends once each has "
	  "triggered.  Ctrl-C ends the wait early.  Needs --write, and confirmation at "
	  "a terminal.  In replay no device raises interrupts: only loopback triggers "
	  "count, and the wait is not slept.", A_IRQ },
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

const char *vi_shell_command_name(size_t i)
{
	return i < sizeof(cmds) / sizeof(cmds[0]) ? cmds[i].name : NULL;
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
	if ((word == 1 && c->arg == A_CONFIG) || (word >= 2 && c->arg == A_IRQ)) {
		static const char *const config_opts[] = { "--physical", "--diff", NULL };
		static const char *const irq_opts[] = { "--loopback", "--wait", NULL };
		const char *const *opts = c->arg == A_CONFIG ? config_opts : irq_opts;

		if (c->arg == A_IRQ && nwords > 0 && strcmp(words[nwords - 1], "--wait") == 0)
			return NULL;
		while (opts[*state]) {
			const char *n = opts[(*state)++];
			if (strncmp(n, prefix, pl) == 0)
				return n;
		}
		return NULL;
	}
	if (word == 1 && c->arg == A_IRQ) {
		static char lower[32];

		while (*state < sh->dev->nirqs) {
			struct vi_irq *iq = &sh->dev->irqs[(*state)++];

			if (!iq->name[0] || !iq->ok)
				continue;
			for (size_t i = 0; i < sizeof(lower) - 1; i++) {
				lower[i] = (char)tolower((unsigned char)iq->name[i]);
				if (!iq->name[i])
					break;
			}
			lower[sizeof(lower) - 1] = '\0';
			if (strncasecmp(lower, prefix, pl) == 0)
				return lower;
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

/* The commands, one a line: usage, then the summary wrapped at 79 columns
 * under itself (for `vfio-info help shell`). */
void vi_shell_usage(FILE *out)
{
	int w = 0;

	for (const struct shcmd *c = cmds; c->name; c++)
		if ((int)strlen(c->usage) > w && strlen(c->usage) <= 34)
			w = (int)strlen(c->usage);
	for (const struct shcmd *c = cmds; c->name; c++) {
		const char *p = c->summary;
		int col = 2 + (int)strlen(c->usage), start;

		fprintf(out, "  %s", c->usage);
		if (col > 2 + w) {	/* too long a usage: the summary below it */
			fputc('\n', out);
			col = 0;
		}
		start = 2 + w + 2;
		for (; col < start; col++)
			fputc(' ', out);
		while (*p) {
			int l = (int)strcspn(p, " ");

			if (col > start && col + 1 + l > 79) {
				fprintf(out, "\n%*s", start, "");
				col = start;
			} else if (col > start) {
				fputc(' ', out);
				col++;
			}
			fprintf(out, "%.*s", l, p);
			col += l;
			p += l;
			while (*p == ' ')
				p++;
		}
		fputc('\n', out);
	}
}
