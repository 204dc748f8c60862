// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-config.c - the shell's config command: config space through
 * VFIO, the host's view from sysfs, and the difference of the two; the
 * config-space reads other commands use (MSI-X placement).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "decode.h"
#include "pciids.h"
#include "shell-int.h"
#include "uapi/vfio-abi.h"

/* ---- config space, MSI-X ---- */

struct vi_region *vi_sh_config_region(struct vi_shell *sh)
{
	struct vi_device *d = sh->dev;

	if (d->kind != VI_DEV_PCI || d->nregions <= VI_PCI_CONFIG_INDEX)
		return NULL;
	return &d->regions[VI_PCI_CONFIG_INDEX];
}

/* Read config space; the caller frees *buf.  Returns bytes or -errno. */
long vi_sh_read_config(struct vi_shell *sh, uint8_t **buf)
{
	struct vi_region *rg = vi_sh_config_region(sh);
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

bool vi_sh_msix_of(struct vi_shell *sh, struct vi_pci_msix *m)
{
	uint8_t *cfg;
	long n = vi_sh_read_config(sh, &cfg);
	bool ok;

	if (n < 0)
		return false;
	ok = vi_pci_msix_of(vi_bytes_make(cfg, (size_t)n, false), m);
	free(cfg);
	return ok;
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
		return vi_sh_refuse(sh, VI_EXIT_NOTFOUND, "no physical view: %s does not exist "
				    "(a capture holds it only when 'vfio-info capture' "
				    "recorded it; older captures do not: capture the device "
				    "again)", path);
	if (*n < 0)
		return vi_sh_refuse(sh, vi_exit_for_errno((int)*n), "cannot read %s: %s", path,
				    strerror((int)-*n));
	if (*n == 0) {
		free(*buf);
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "%s is empty: the host gave no config "
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

int vi_shc_config(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = vi_sh_config_region(sh);
	enum { V_VFIO, V_PHYSICAL, V_DIFF } view = V_VFIO;
	uint8_t *cfg = NULL, *phys = NULL;
	char path[128];
	long n = 0, pn = 0;
	struct vi_pci_extra x;
	struct vi_pciids *db = NULL;
	int r;

	if (argc > 1) {
		if (strcmp(argv[1], "--physical") == 0)
			view = V_PHYSICAL;
		else if (strcmp(argv[1], "--diff") == 0)
			view = V_DIFF;
		else
			return vi_sh_refuse(sh, VI_EXIT_USAGE, "unknown option '%s': config takes "
					    "--physical (the host's view, from sysfs) or --diff",
					    argv[1]);
	}
	if (!rg)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s is not a PCI device: it has no config "
				    "space", sh->dev->name);
	if (view != V_PHYSICAL) {
		r = vi_sh_check_access(sh, rg, 0, 1, R_READ);
		if (r)
			return r;
		n = vi_sh_read_config(sh, &cfg);
		if (n < 0)
			return vi_sh_sys_fail(sh, n, "reading config space");
	}
	if (view != V_VFIO && (r = physical_or_refuse(sh, &phys, &pn, path, sizeof(path)))) {
		free(cfg);
		return r;
	}
	/* what dump shows beside config space: pci.ids names, BAR sizes from
	 * the VFIO regions (the same device in either view) */
	memset(&x, 0, sizeof(x));
	if (view != V_DIFF) {
		db = vi_pciids_open();
		x.db = db;
		x.sized = sh->dev->nregions > VI_PCI_ROM_INDEX;
		for (uint32_t i = 0; x.sized && i <= VI_PCI_ROM_INDEX; i++) {
			x.sized = sh->dev->regions[i].ok;
			x.sizes[i] = sh->dev->regions[i].size;
		}
	}
	switch (view) {
	case V_VFIO:
		em_obj_begin(sh->em, "config", "config space");
		vi_decode_pci_config_full_ex(sh->em, vi_bytes_make(cfg, (size_t)n, false), &x);
		em_obj_end(sh->em);
		break;
	case V_PHYSICAL:
		em_obj_begin(sh->em, "config", "config space as the host sees it (sysfs)");
		em_str(sh->em, "source", "sysfs");
		em_str(sh->em, "path", path);
		if (pn < 256)
			note_short_physical(sh->em, pn);
		vi_decode_pci_config_view(sh->em, vi_bytes_make(phys, (size_t)pn, false), &x);
		em_obj_end(sh->em);
		break;
	case V_DIFF:
		config_diff(sh, cfg, (size_t)n, phys, (size_t)pn, path);
		break;
	}
	vi_pciids_close(db);
	free(cfg);
	free(phys);
	return 0;
}
