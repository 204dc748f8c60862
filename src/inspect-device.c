// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect-device.c - what is asked of an open device fd, in order: info,
 * regions, irqs, hot reset, features, config space; and the device's
 * identity from sysfs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "identity.h"
#include "inspect-int.h"
#include "pciids.h"
#include "query.h"
#include "sysfs.h"
#include "uapi/vfio-abi.h"
#include "util.h"

/* A region the kernel reports with size 0 and no flags: a BAR or ROM the
 * device does not implement.  Text folds these into one line. */
static bool region_absent(long r, const struct vi_query *q)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 1;
	uint64_t size = 1;

	return r >= 0 && !vi_u32(b, VI_REGION_FLAGS, &flags) &&
	       !vi_u64(b, VI_REGION_SIZE_OFF, &size) && !flags && !size;
}

/* "BAR1-BAR5, ROM": the names of @idx (ascending), runs of BARs joined. */
static void absent_list(enum vi_devkind kind, const uint32_t *idx, size_t n, char *out,
			size_t len)
{
	unsigned int mask = 0;
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (kind == VI_DEV_PCI && idx[i] <= VI_PCI_ROM_INDEX)
			mask |= 1u << idx[i];
	if (mask)
		used = vi_pci_absent_text(mask, out, len);
	for (size_t i = 0; i < n && used + 1 < len; i++) {
		char b[64];
		const char *name;
		int w;

		if (kind == VI_DEV_PCI && idx[i] <= VI_PCI_ROM_INDEX)
			continue;
		name = vi_region_name(kind, idx[i], vi_bytes_make(NULL, 0, false), 0, b, sizeof(b));
		w = name ? snprintf(out + used, len - used, "%s%s", used ? ", " : "", name)
			 : snprintf(out + used, len - used, "%sregion %u", used ? ", " : "", idx[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void inspect_regions(struct ctx *c, int h, enum vi_devkind kind, uint32_t n,
			    struct region_fact *facts)
{
	struct vi_emit *em = c->em;
	uint32_t *absent = calloc(n ? n : 1, sizeof(*absent));
	size_t nabsent = 0;

	em_arr_begin(em, "regions", NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct vi_query q;
		char buf[64];
		const char *name;
		long r = vi_q_region_info(c->be, h, i, &q);
		/* vfio-pci answers EINVAL for the VGA region of a device that
		 * is not VGA: by design, not a failure */
		bool no_vga = kind == VI_DEV_PCI && i == VI_PCI_VGA_INDEX && r == -EINVAL;
		bool fold = absent && region_absent(r, &q);

		name = vi_region_name(kind, i, vi_query_bytes(&q), c->o->profiles, buf,
				      sizeof(buf));
		if (fold) {
			absent[nabsent++] = i;
			em_detail_begin(em);
		}
		if (no_vga)
			em_obj_begin(em, NULL, "region %u%s%s: none (not a VGA device)", i,
				     name ? " " : "", name ? name : "");
		else
			em_obj_begin(em, NULL, "region %u%s%s", i, name ? " " : "",
				     name ? name : "");
		em_detail_begin(em);
		em_u64(em, "index", i);
		em_str(em, "name", name);
		em_detail_end(em);
		if (r < 0) {
			if (no_vga)
				em_detail_begin(em);
			vi_emit_error(em, r);
			if (no_vga)
				em_detail_end(em);
		} else {
			struct vi_bytes b = vi_query_bytes(&q);
			vi_decode_region_info(em, &q, kind, c->o->profiles);
			facts[i].ok = vi_u32(b, VI_REGION_FLAGS, &facts[i].flags) == 0 &&
				      vi_u64(b, VI_REGION_SIZE_OFF, &facts[i].size) == 0 &&
				      vi_u64(b, VI_REGION_OFFSET_OFF, &facts[i].offset) == 0;
			if (facts[i].ok && kind == VI_DEV_PCI && i >= VI_PCI_NUM_REGIONS &&
			    insp_is_zpci_clp(b, c->o->profiles))
				insp_zpci_clp(c, h, &facts[i]);
			if (facts[i].ok && insp_is_gfx_edid(b, c->o->profiles))
				insp_gfx_edid(c, h, &facts[i]);
		}
		vi_emit_query_done(em, &q);
		em_obj_end(em);
		if (fold)
			em_detail_end(em);
	}
	if (nabsent) {
		char list[256];

		absent_list(kind, absent, nabsent, list, sizeof(list));
		em_summary(em, "%s: not present", list);
	}
	em_arr_end(em);
	free(absent);
}

/* How a person calls each PCI irq index beside the kernel's short name. */
static const struct vi_name pci_irq_titles[] = {
	{ 0, "legacy INTx" }, { 1, "MSI" }, { 2, "MSI-X" }, { 3, "error interrupt, AER" },
	{ 4, "device request" }, { 0, NULL }
};

static void inspect_irqs(struct ctx *c, int h, enum vi_devkind kind, uint32_t n)
{
	struct vi_emit *em = c->em;

	em_arr_begin(em, "irqs", NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct vi_query q;
		char buf[64];
		const char *name, *title = NULL;
		/* every profile starts at 16 bytes: the kernel raises argsz
		 * for cap_offset (irq-caps-2019) or the path (devtree-2013) */
		long r = vi_q_irq_info(c->be, h, i, VI_IRQ_MINSZ, &q);

		name = vi_irq_name(kind, i, vi_query_bytes(&q), c->o->profiles, buf, sizeof(buf));
		if (kind == VI_DEV_PCI && name && i < VI_PCI_NUM_IRQS)
			title = vi_name_of(pci_irq_titles, i);
		if (title && name && !strcmp(title, name))
			title = NULL;
		/* an index this device or platform does not have (ERR on a
		 * conventional PCI device, or on s390x): EINVAL by design */
		em_obj_begin(em, NULL, "irq %u%s%s%s%s%s%s", i, name ? " " : "", name ? name : "",
			     title ? " (" : "", title ? title : "", title ? ")" : "",
			     r == -EINVAL ? ": not offered" : "");
		em_detail_begin(em);
		em_u64(em, "index", i);
		em_str(em, "name", name);
		em_detail_end(em);
		if (r < 0) {
			if (r == -EINVAL)
				em_detail_begin(em);
			vi_emit_error(em, r);
			if (r == -EINVAL)
				em_detail_end(em);
		} else {
			vi_decode_irq_info(em, &q, kind, c->o->profiles);
		}
		vi_emit_query_done(em, &q);
		em_obj_end(em);
	}
	em_arr_end(em);
}

static void inspect_hot_reset(struct ctx *c, int h)
{
	struct vi_query q;
	long r = vi_q_hot_reset_info(c->be, h, &q);

	/* ENODEV: neither the slot nor the bus can be reset (a device on a
	 * root bus): how the platform is, not a failure */
	if (r == -ENODEV) {
		em_obj_begin(c->em, "hot_reset", "hot reset: not possible (no slot or bus "
			     "reset, e.g. on a root bus)");
		em_detail_begin(c->em);
		vi_emit_error(c->em, r);
		em_detail_end(c->em);
	} else {
		em_obj_begin(c->em, "hot_reset", "hot reset");
	}
	if (r < 0) {
		if (r != -ENODEV)
			vi_emit_error(c->em, r);
	} else
		vi_decode_hot_reset_info(c->em, &q);
	vi_emit_query_done(c->em, &q);
	em_obj_end(c->em);
}

static long probe_feature(struct vi_backend *be, int h, uint32_t flags)
{
	struct vi_query q;
	long r = vi_q_feature(be, h, flags, 0, &q);

	vi_query_free(&q);
	return r;
}

/* GET of MIGRATION and MIG_DEVICE_STATE: both only read (a GET of the
 * state never changes it); the other features' GETs are not asked. */
static void feature_get(struct vi_backend *be, struct vi_emit *em, int h, uint32_t id)
{
	struct vi_query q;
	long r;

	if (id != VI_FEATURE_MIGRATION && id != VI_FEATURE_MIG_DEVICE_STATE)
		return;
	r = vi_q_feature(be, h, VI_FEAT_GET | id,
			 id == VI_FEATURE_MIGRATION ? VI_FMIG_SIZE : VI_FMIGST_SIZE, &q);
	vi_decode_feature_get(em, id, r,
			      vi_bytes_sub(vi_query_bytes(&q), VI_FEAT_DATA, SIZE_MAX));
	vi_query_free(&q);
}

/* Every feature id from 0 to VI_FEATURE_PROBE_MAX is PROBEd (no side
 * effect).  A known id is always shown; an id the table does not name
 * only when the kernel answers anything but ENOTTY (the answer of a core
 * and driver that do not know the id), as its number with a null name. */
void vi_inspect_features(struct vi_backend *be, struct vi_emit *em, int h)
{
	em_arr_begin(em, "features", NULL);
	for (uint32_t id = 0; id <= VI_FEATURE_PROBE_MAX; id++) {
		const char *name = vi_name_of(vi_feature_ids, id);
		long r = probe_feature(be, h, VI_FEAT_PROBE | id);
		const char *why;

		if (!name && r == -ENOTTY)
			continue;
		/* unsupported features are the common case: text shows
		 * them only with -v */
		if (r < 0)
			em_detail_begin(em);
		if (name)
			em_obj_begin(em, NULL, "feature %u %s", id, name);
		else
			em_obj_begin(em, NULL, "feature %u (unknown id)", id);
		em_detail_begin(em);
		em_u64(em, "id", id);
		if (name)
			em_str(em, "name", name);
		else
			em_null(em, "name");
		em_detail_end(em);
		em_bool(em, "supported", r >= 0);
		if (r >= 0) {
			bool get = probe_feature(be, h, VI_FEAT_PROBE | VI_FEAT_GET | id) >= 0;

			em_bool(em, "get", get);
			em_bool(em, "set", probe_feature(be, h, VI_FEAT_PROBE | VI_FEAT_SET | id) >= 0);
			if (get)
				feature_get(be, em, h, id);
		}
		vi_emit_outcome(em, r);
		if (r < 0 && (why = vi_feature_refusal(id, (int)-r)) != NULL)
			em_str(em, "meaning", why);
		if (!name)
			em_note(em, VI_NOTE_INFO, "feature id %u is not in the ABI vfio-info "
				"knows (Linux 7.3 ends at 13): this kernel answers it", id);
		em_obj_end(em);
		if (r < 0)
			em_detail_end(em);
	}
	em_arr_end(em);
}

static void inspect_config(struct ctx *c, int h, const struct region_fact *facts, uint32_t nreg)
{
	const struct region_fact *cfg = &facts[VI_PCI_CONFIG_INDEX];
	struct vi_pciids *db;
	struct vi_emit *em = c->em;
	uint8_t *buf;
	size_t len;
	ssize_t n;

	if (!c->db_tried) {
		c->db = vi_pciids_open();
		c->db_tried = true;
	}
	db = c->db;
	em_obj_begin(em, "config", "config space");
	if (!cfg->ok || !(cfg->flags & 1u)) {
		em_note(em, VI_NOTE_WARN, "the config region is not readable");
		goto out;
	}
	len = cfg->size < MAX_CONFIG ? (size_t)cfg->size : MAX_CONFIG;
	buf = calloc(1, len ? len : 1);
	if (!buf)
		goto out;
	n = c->be->ops->pread(c->be, h, buf, len, cfg->offset);
	if (n < 0) {
		vi_emit_error(em, n);
	} else {
		struct vi_pci_extra x;

		memset(&x, 0, sizeof(x));
		x.db = db;
		x.sized = nreg > VI_PCI_ROM_INDEX;
		for (uint32_t i = 0; x.sized && i <= VI_PCI_ROM_INDEX; i++) {
			x.sized = facts[i].ok;
			x.sizes[i] = facts[i].size;
		}
		vi_decode_pci_config_ex(em, vi_bytes_make(buf, (size_t)n, false), &x);
	}
	free(buf);
out:
	em_obj_end(em);
}

/* sysfs facts a user compares with: driver, group, SR-IOV relation. */
/*
 * The device's identity from sysfs, the same keys as list and doctor (all
 * but "driver" and "physfn" in a detail block: the heading names the
 * device): nothing more than the address and the driver when sysfs does
 * not know the device.
 */
void insp_device_sysfs(struct ctx *c, const struct vi_devref *d)
{
	struct vi_backend *be = c->be;
	char *dev = NULL, *drv, *rel, *l = NULL;
	static const char *const buses[] = { "pci", "platform", "amba", "mdev", NULL };
	struct vi_pcidev pd;

	for (int i = 0; buses[i] && !dev; i++) {
		char *p = vi_asprintf("bus/%s/devices/%s", buses[i], d->name);
		if (be->ops->readlink(be, VI_NS_SYS, p, &l) == 0) {
			dev = p;
			free(l);
			l = NULL;
		} else {
			free(p);
		}
	}
	if (!dev) {
		em_detail_begin(c->em);
		em_null(c->em, "driver");
		em_detail_end(c->em);
		return;
	}
	if (!strncmp(dev, "bus/pci/", 8) && vi_pci_load(be, dev, d->name, &pd) == 0) {
		if (!c->db_tried) {
			c->db = vi_pciids_open();
			c->db_tried = true;
		}
		vi_emit_pci_ids(c->em, c->db, &pd);
		vi_pci_free(&pd);
	}
	if (!strncmp(dev, "bus/mdev/", 9)) {	/* "mdev": its parent and type */
		char *parent = NULL, *type = NULL;

		if (vi_mdev_of(be, dev, &parent, &type) == 0)
			vi_emit_mdev_id(c->em, parent, type);
		free(parent);
		free(type);
	}
	drv = vi_sysfs_driver(be, dev);
	em_str(c->em, "driver", drv);
	free(drv);
	rel = vi_asprintf("%s/physfn", dev);
	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0)
		em_str(c->em, "physfn", vi_basename(l));
	free(l);
	free(rel);
	free(dev);
}

void insp_device_fd(struct ctx *c, int h, const char *name)
{
	struct vi_emit *em = c->em;
	struct region_fact *facts = NULL;
	struct vi_query q;
	uint32_t flags = 0, nreg = 0, nirq = 0;
	enum vi_devkind kind;
	long r;

	em_obj_begin(em, "info", NULL);
	r = vi_q_device_info(c->be, h, &q);
	if (r < 0) {
		vi_emit_error(em, r);
	} else {
		struct vi_bytes b = vi_query_bytes(&q);
		vi_decode_device_info(em, &q, c->o->profiles);
		vi_u32(b, VI_DEVINFO_FLAGS, &flags);
		vi_u32(b, VI_DEVINFO_NUM_REGIONS, &nreg);
		vi_u32(b, VI_DEVINFO_NUM_IRQS, &nirq);
	}
	vi_emit_query_done(em, &q);
	if (nreg > MAX_REGIONS) {
		em_note(em, VI_NOTE_ERROR, "num_regions %u is implausible: inspecting "
			"the first %u", nreg, MAX_REGIONS);
		nreg = MAX_REGIONS;
	}
	if (nirq > MAX_REGIONS) {
		em_note(em, VI_NOTE_ERROR, "num_irqs %u is implausible: inspecting the "
			"first %u", nirq, MAX_REGIONS);
		nirq = MAX_REGIONS;
	}
	em_obj_end(em);
	if (r < 0) {
		insp_fail(c, (int)r, "VFIO_DEVICE_GET_INFO failed: %s", strerror((int)-r));
		return;
	}

	kind = vi_devkind_of(flags, c->o->profiles);
	facts = calloc(nreg ? nreg : 1, sizeof(*facts));
	if (!facts)
		return;
	inspect_regions(c, h, kind, nreg, facts);
	if (kind == VI_DEV_PLATFORM || kind == VI_DEV_AMBA)
		insp_devtree(c, name, nreg, facts);
	inspect_irqs(c, h, kind, nirq);
	if (kind == VI_DEV_PCI)
		inspect_hot_reset(c, h);
	vi_inspect_features(c->be, c->em, h);
	insp_gfx_planes(c, h);
	if (kind == VI_DEV_PCI && nreg > VI_PCI_CONFIG_INDEX)
		inspect_config(c, h, facts, nreg);
	free(facts);
}
