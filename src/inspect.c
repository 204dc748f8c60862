// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect.c - the order of queries for groups, containers and devices. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode.h"
#include "identity.h"
#include "inspect.h"
#include "pciids.h"
#include "query.h"
#include "sysfs.h"
#include "uapi/vfio-abi.h"
#include "capture-io.h"
#include "util.h"

#define MAX_REGIONS	256	/* clamp for num_regions / num_irqs */
#define MAX_CONFIG	4096

struct group_state {
	char *id;		/* "12" or "noiommu-3" */
	int container;		/* handle or -1 */
	int group;		/* handle or -1 */
	int err;		/* why it could not be opened */
	unsigned int type;	/* the IOMMU type set, to open it again */
};

struct ctx {
	struct vi_backend *be;
	struct vi_emit *em;
	const struct vi_inspect_opts *o;
	int first_err;
	struct vi_pciids *db;	/* opened for the first PCI device's names */
	bool db_tried;
};

static void fail(struct ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct ctx *c, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->first_err)
		c->first_err = err;
	if (c->o->report)
		c->o->report(c->o->report_ctx, err, msg);
}

/* Who holds @node open, from /proc/<pid>/fd (sysfs.c's scan). */
static bool holder_of(struct vi_backend *be, const char *node, char *out, size_t len)
{
	struct vi_holders h = { NULL, 0, false };
	bool found = false;

	if (vi_holders_scan(be, &h) != 0)
		return false;
	for (size_t i = 0; i < h.n && !found; i++)
		if (strcmp(h.v[i].node, node) == 0) {
			if (h.v[i].comm)
				snprintf(out, len, "pid %s (%s)", h.v[i].pid, h.v[i].comm);
			else
				snprintf(out, len, "pid %s", h.v[i].pid);
			found = true;
		}
	vi_holders_free(&h);
	return found;
}

/* "EBUSY", or "errno 1234" for a number no table names */
static const char *errname(int err, char *buf, size_t len)
{
	const char *n = vi_errno_name(err);

	if (n)
		return n;
	snprintf(buf, len, "errno %d", err);
	return buf;
}

static void fail_open(struct ctx *c, int err, const char *node)
{
	char en[32];
	char who[256];
	struct vi_nodeinfo st;

	if (err == -EBUSY) {
		if (holder_of(c->be, node, who, sizeof(who)))
			fail(c, err, "%s is busy (EBUSY): held by %s", node, who);
		else
			fail(c, err, "%s is busy (EBUSY): another process (QEMU?) or a "
			     "device cdev user holds it", node);
	} else if (err == -EPERM && strstr(node, "/noiommu-")) {
		fail(c, err, "%s: a noiommu group needs CAP_SYS_RAWIO: run as root", node);
	} else if (err == -EACCES || err == -EPERM) {
		if (c->be->ops->stat_node(c->be, VI_NS_DEV, node + 5, &st) == 0)
			fail(c, err, "no permission to open %s (%s; mode %04o, owner %u:%u): "
			     "run as root or give your user access to it", node,
			     errname(-err, en, sizeof(en)), st.mode & 07777, st.uid, st.gid);
		else
			fail(c, err, "no permission to open %s (%s): run as root or give "
			     "your user access to it", node, errname(-err, en, sizeof(en)));
	} else if (err == -ENOENT) {
		if (strcmp(node, "/dev/vfio/vfio") == 0)
			fail(c, err, "/dev/vfio/vfio does not exist: load the VFIO modules "
			     "(modprobe vfio-pci)");
		else
			fail(c, err, "%s does not exist", node);
	} else {
		fail(c, err, "cannot open %s: %s (%s)", node, errname(-err, en, sizeof(en)),
		     strerror(-err));
	}
}

/* ---- container and group (legacy flow) ---- */

static long value_call(struct ctx *c, int h, enum vi_ioc ioc, uint64_t v)
{
	struct vi_ioarg a = { 0 };

	a.value = v;
	return vi_be_ioctl(c->be, h, ioc, &a);
}

/* VFIO_CHECK_EXTENSION for every id: {"TYPE1_IOMMU": 1, ...}; an error
 * answer is its errno name. */
static void emit_extensions(struct ctx *c, int h, const char *key, long *answers)
{
	em_obj_begin(c->em, key, NULL);
	for (unsigned int e = 1; e <= VI_EXTENSION_MAX; e++) {
		long r = value_call(c, h, VI_IOC_CHECK_EXTENSION, e);
		const char *n = vi_name_of(vi_extensions, e);

		answers[e] = r;
		if (r >= 0) {
			em_u64(c->em, n, (uint64_t)r);
		} else {
			const char *en = vi_errno_name((int)-r);
			em_strf(c->em, n, "%s", en ? en : "error");
		}
	}
	em_obj_end(c->em);
}

/* The IOMMU type to ask for, best first. */
static unsigned int pick_iommu(const long *ext, bool noiommu)
{
	static const unsigned int order[] = { VI_TYPE1v2_IOMMU, VI_TYPE1_IOMMU,
					      VI_SPAPR_TCE_v2_IOMMU, VI_SPAPR_TCE_IOMMU };
	if (noiommu)
		return ext[VI_NOIOMMU_IOMMU] > 0 ? VI_NOIOMMU_IOMMU : 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (ext[order[i]] > 0)
			return order[i];
	return 0;
}

static char *members_text(struct vi_backend *be, const char *num)
{
	char *rel = vi_asprintf("kernel/iommu_groups/%s/devices", num), **names = NULL;
	char buf[2048];
	size_t n = 0, o = 0;

	buf[0] = '\0';
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &names, &n) == 0) {
		for (size_t i = 0; i < n && o < sizeof(buf); i++) {
			char *dp = vi_asprintf("%s/%s", rel, names[i]);
			char *drv = vi_sysfs_driver(be, dp);
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s (%s)",
					      i ? ", " : "", names[i], drv ? drv : "no driver");
			free(drv);
			free(dp);
		}
		vi_names_free(names, n);
	}
	free(rel);
	return vi_strdup(buf[0] ? buf : "members unknown");
}

static void open_group(struct ctx *c, struct group_state *g)
{
	struct vi_emit *em = c->em;
	struct vi_query q;
	struct vi_ioarg a = { 0 };
	long ext[VI_EXTENSION_MAX + 1] = { 0 };
	bool noiommu = strncmp(g->id, "noiommu-", 8) == 0;
	char node[64];
	unsigned int type;
	long r;

	em_obj_begin(em, NULL, "group %s", g->id);
	em_detail_begin(em);
	vi_emit_group_id(em, g->id, false);
	em_str(em, "flow", "legacy");
	em_detail_end(em);

	g->container = c->be->ops->open_node(c->be, "/dev/vfio/vfio", VI_FD_CONTAINER);
	if (g->container < 0) {
		g->err = g->container;
		fail_open(c, g->err, "/dev/vfio/vfio");
		vi_emit_error(em, g->err);
		goto out;
	}
	snprintf(node, sizeof(node), "/dev/vfio/%s", g->id);
	g->group = c->be->ops->open_node(c->be, node, VI_FD_GROUP);
	if (g->group < 0) {
		g->err = g->group;
		fail_open(c, g->err, node);
		vi_emit_error(em, g->err);
		goto out;
	}

	em_obj_begin(em, "status", NULL);
	r = vi_q_group_status(c->be, g->group, &q);
	if (r < 0) {
		vi_emit_error(em, r);
	} else {
		vi_decode_group_status(em, &q);
		if (!(vi_get32(vi_query_bytes(&q), VI_GROUP_STATUS_FLAGS) & VI_GROUP_FLAGS_VIABLE)) {
			char *m = members_text(c->be, noiommu ? g->id + 8 : g->id);
			g->err = -EPERM;
			fail(c, -EPERM, "group %s is not viable: %s. Please ensure all "
			     "devices within the iommu_group are bound to their vfio bus "
			     "driver", g->id, m);
			free(m);
		}
	}
	vi_emit_negotiation(em, &q);
	vi_query_free(&q);
	em_obj_end(em);
	if (g->err)
		goto out;

	em_obj_begin(em, "container", NULL);
	r = value_call(c, g->container, VI_IOC_GET_API_VERSION, 0);
	if (r >= 0)
		em_u64(em, "api_version", (uint64_t)r);
	else
		vi_emit_error(em, r);
	if (r != VI_VFIO_API_VERSION)
		em_note(em, VI_NOTE_WARN, "unexpected VFIO API version %ld (expected %d)",
			r, VI_VFIO_API_VERSION);
	emit_extensions(c, g->container, "extensions", ext);

	a.handle = g->container;
	r = vi_be_ioctl(c->be, g->group, VI_IOC_GROUP_SET_CONTAINER, &a);
	if (r < 0) {
		g->err = (int)r;
		fail(c, g->err, "group %s: VFIO_GROUP_SET_CONTAINER failed: %s", g->id,
		     strerror((int)-r));
		vi_emit_error(em, r);
		em_obj_end(em);
		goto out;
	}
	type = pick_iommu(ext, noiommu);
	if (!type) {
		g->err = -ENODEV;
		fail(c, g->err, "group %s: the container offers no usable IOMMU type%s",
		     g->id, noiommu ? " (noiommu needs vfio.enable_unsafe_noiommu_mode=1)" : "");
		em_obj_end(em);
		goto out;
	}
	em_enum(em, "iommu_type", type, vi_extensions);
	r = value_call(c, g->container, VI_IOC_SET_IOMMU, type);
	if (r < 0) {
		g->err = (int)r;
		fail(c, g->err, "group %s: VFIO_SET_IOMMU(%s) failed: %s", g->id,
		     vi_name_of(vi_extensions, type), strerror((int)-r));
		vi_emit_error(em, r);
		em_obj_end(em);
		goto out;
	}
	g->type = type;
	/* DMA_CC_IOMMU and UPDATE_VADDR only answer once an IOMMU is set */
	em_detail_begin(em);
	emit_extensions(c, g->container, "extensions_after_set", ext);
	em_detail_end(em);

	if (type == VI_SPAPR_TCE_IOMMU || type == VI_SPAPR_TCE_v2_IOMMU) {
		/* VFIO_IOMMU_SPAPR_TCE_GET_INFO: GET_INFO's number, its own
		 * struct, asked at its full size (ddw needs argsz >= 32) */
		em_obj_begin(em, "spapr_tce_info", NULL);
		r = vi_query_run(c->be, g->container, VI_IOC_IOMMU_GET_INFO,
				 VI_SPAPR_INFO_SIZE, NULL, NULL, &q);
		if (r < 0)
			vi_emit_error(em, r);
		else
			vi_decode_spapr_tce_info(em, &q);
		vi_emit_query_done(em, &q);
		em_obj_end(em);
		em_obj_end(em);	/* container */
		goto out;
	}
	em_obj_begin(em, "iommu_info", NULL);
	/* zpci-iommu-2019: capabilities come only when asked for */
	r = vi_q_iommu_info(c->be, g->container,
			    (c->o->profiles & VI_PROF_ZPCI_IOMMU) ? VI_ZIOMMU_INFO_CAPABILITIES : 0,
			    &q);
	if (r < 0)
		vi_emit_error(em, r);
	else
		vi_decode_iommu_info(em, &q, c->o->profiles);
	vi_emit_query_done(em, &q);
	em_obj_end(em);
	em_obj_end(em);	/* container */
out:
	em_obj_end(em);	/* group */
}

/* ---- device ---- */

struct region_fact {
	bool ok;
	uint32_t flags;
	uint64_t size, offset;
};

/* zpci-clp-region: a device-specific region of type IBM, subtype 2. */
static bool is_zpci_clp(struct vi_bytes info, unsigned int profiles)
{
	uint32_t type, sub;

	return (profiles & VI_PROF_ZPCI_CLP) && vi_region_type_of(info, profiles, &type, &sub) &&
	       type == VI_ZPCI_CLP_TYPE && sub == VI_ZPCI_CLP_SUBTYPE;
}

/* Its content is read, not asked for: pread at the region's offset. */
static void inspect_zpci_clp(struct ctx *c, int h, const struct region_fact *f)
{
	struct vi_emit *em = c->em;
	size_t len = f->size < VI_ZPCI_CLP_MAX_READ ? (size_t)f->size : VI_ZPCI_CLP_MAX_READ;
	uint8_t *buf;
	ssize_t n;

	em_obj_begin(em, "zpci_clp", "zPCI CLP information");
	if (!(f->flags & 1u)) {
		em_note(em, VI_NOTE_ERROR, "the zPCI CLP region is not readable");
		goto out;
	}
	buf = calloc(1, len ? len : 1);
	if (!buf)
		goto out;
	n = len ? c->be->ops->pread(c->be, h, buf, len, f->offset) : 0;
	if (n < 0)
		vi_emit_error(em, n);
	else
		vi_decode_zpci_clp(em, vi_bytes_make(buf, (size_t)n, c->be->big_endian),
				   f->size);
	free(buf);
out:
	em_obj_end(em);
}

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
			    is_zpci_clp(b, c->o->profiles))
				inspect_zpci_clp(c, h, &facts[i]);
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

static long probe_feature(struct ctx *c, int h, uint32_t flags)
{
	struct vi_query q;
	long r = vi_q_feature(c->be, h, flags, 0, &q);

	vi_query_free(&q);
	return r;
}

static void inspect_features(struct ctx *c, int h)
{
	struct vi_emit *em = c->em;

	em_arr_begin(em, "features", NULL);
	for (const struct vi_name *f = vi_feature_ids; f->name; f++) {
		uint32_t id = (uint32_t)f->value;
		long r = probe_feature(c, h, VI_FEAT_PROBE | id);

		/* unsupported features are the common case: text shows
		 * them only with -v */
		if (r < 0)
			em_detail_begin(em);
		em_obj_begin(em, NULL, "feature %u %s", id, f->name);
		em_detail_begin(em);
		em_u64(em, "id", id);
		em_str(em, "name", f->name);
		em_detail_end(em);
		em_bool(em, "supported", r >= 0);
		if (r >= 0) {
			em_bool(em, "get", probe_feature(c, h, VI_FEAT_PROBE | VI_FEAT_GET | id) >= 0);
			em_bool(em, "set", probe_feature(c, h, VI_FEAT_PROBE | VI_FEAT_SET | id) >= 0);
		} else {
			vi_emit_error(em, r);
		}
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
static void device_sysfs(struct ctx *c, const struct vi_devref *d)
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

/* Canonical sysfs path of a link @rel (relative to the sysfs root). */
static char *sys_resolve(struct vi_backend *be, const char *rel)
{
	char *l = NULL, *dir, *joined, *out;
	const char *slash = strrchr(rel, '/');

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) != 0)
		return NULL;
	dir = slash ? vi_asprintf("%.*s", (int)(slash - rel), rel) : vi_strdup("");
	joined = l[0] == '/' ? vi_asprintf("%s", l) : vi_asprintf("%s/%s", dir, l);
	out = vi_path_normalize(joined);
	free(l);
	free(dir);
	free(joined);
	return out;
}

/* A big-endian u32 device-tree property, or @dflt. */
static uint32_t dt_u32(struct vi_backend *be, const char *node, const char *prop, uint32_t dflt)
{
	char *rel = vi_asprintf("%s/%s", node, prop), *v = NULL;
	size_t len = 0;
	uint32_t out = dflt;

	if (be->ops->read_file(be, VI_NS_SYS, rel, &v, &len) == 0 && len >= 4)
		out = vi_get32(vi_bytes_make(v, len, true), 0);
	free(v);
	free(rel);
	return out;
}

/*
 * Mainline vfio-platform/amba say nothing about the device tree; sysfs
 * does: the device's of_node and its "reg" entries, matched to regions
 * in order (the driver exposes the resources in "reg" order) and by size.
 */
static void inspect_devtree(struct ctx *c, const char *name, uint32_t nreg,
			    const struct region_fact *facts)
{
	static const char *const buses[] = { "platform", "amba", NULL };
	struct vi_backend *be = c->be;
	struct vi_emit *em = c->em;
	char *dev = NULL, *node = NULL, *rel, *reg = NULL, *parent;
	size_t len = 0;
	uint32_t ac, sc, cells, n;
	const char *base;

	for (int i = 0; buses[i] && !dev; i++) {
		rel = vi_asprintf("bus/%s/devices/%s", buses[i], name);
		dev = sys_resolve(be, rel);
		free(rel);
	}
	if (dev) {
		rel = vi_asprintf("%s/of_node", dev);
		node = sys_resolve(be, rel);
		free(rel);
	}
	if (!node)
		goto out;
	base = strstr(node, "firmware/devicetree/base");
	parent = vi_strdup(node);
	if (strrchr(parent, '/'))
		*strrchr(parent, '/') = '\0';
	/* the parent's cell sizes; the device-tree defaults are 2 and 1 */
	ac = dt_u32(be, parent, "#address-cells", 2);
	sc = dt_u32(be, parent, "#size-cells", 1);
	free(parent);

	em_obj_begin(em, "devtree", "device tree (sysfs)");
	em_str(em, "node", base ? (base[24] ? base + 24 : "/") : node);
	em_u64(em, "address_cells", ac);
	em_u64(em, "size_cells", sc);
	rel = vi_asprintf("%s/reg", node);
	if (ac > 2 || sc > 2 || ac + sc == 0) {
		em_note(em, VI_NOTE_WARN, "cell sizes %u/%u: reg not decoded", ac, sc);
	} else if (be->ops->read_file(be, VI_NS_SYS, rel, &reg, &len) == 0) {
		struct vi_bytes b = vi_bytes_make(reg, len, true);

		cells = (ac + sc) * 4;
		n = (uint32_t)(len / cells);
		if (len % cells)
			em_note(em, VI_NOTE_WARN, "reg is %zu bytes, not a multiple of %u",
				len, cells);
		em_arr_begin(em, "reg", NULL);
		for (uint32_t i = 0; i < n && i < MAX_REGIONS; i++) {
			size_t o = (size_t)i * cells;
			uint64_t addr = ac == 2 ? vi_get64(b, o) : (ac ? vi_get32(b, o) : 0);
			uint64_t size = sc == 2 ? vi_get64(b, o + ac * 4) : vi_get32(b, o + ac * 4);

			em_obj_begin(em, NULL, "reg %u: 0x%llx size 0x%llx", i,
				     (unsigned long long)addr, (unsigned long long)size);
			em_hex(em, "address", addr);
			em_size(em, "size", size);
			if (i < nreg && facts[i].ok && facts[i].size == size)
				em_u64(em, "region", i);
			else if (i < nreg && facts[i].ok)
				em_note(em, VI_NOTE_WARN, "region %u is 0x%llx bytes, reg %u "
					"0x%llx", i, (unsigned long long)facts[i].size, i,
					(unsigned long long)size);
			else
				em_null(em, "region");
			em_obj_end(em);
		}
		em_arr_end(em);
	}
	free(rel);
	free(reg);
	em_obj_end(em);
out:
	free(dev);
	free(node);
}

static void inspect_device_fd(struct ctx *c, int h, const char *name)
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
		fail(c, (int)r, "VFIO_DEVICE_GET_INFO failed: %s", strerror((int)-r));
		return;
	}

	kind = vi_devkind_of(flags, c->o->profiles);
	facts = calloc(nreg ? nreg : 1, sizeof(*facts));
	if (!facts)
		return;
	inspect_regions(c, h, kind, nreg, facts);
	if (kind == VI_DEV_PLATFORM || kind == VI_DEV_AMBA)
		inspect_devtree(c, name, nreg, facts);
	inspect_irqs(c, h, kind, nirq);
	if (kind == VI_DEV_PCI)
		inspect_hot_reset(c, h);
	inspect_features(c, h);
	if (kind == VI_DEV_PCI && nreg > VI_PCI_CONFIG_INDEX)
		inspect_config(c, h, facts, nreg);
	free(facts);
}

/*
 * vfio-pci takes a VF token only for SR-IOV functions: a VF (physfn link)
 * or a PF (sriov_totalvfs); any other device refuses one with EINVAL, so
 * `--vf-token` must not be sent to every target.
 */
static bool takes_token(struct ctx *c, const char *name)
{
	char *rel, *l = NULL, *v = NULL;
	size_t len;
	bool sriov;

	if (!c->o->vf_token)
		return false;
	rel = vi_asprintf("bus/pci/devices/%s/physfn", name);
	sriov = c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0;
	free(rel);
	free(l);
	if (!sriov) {
		rel = vi_asprintf("bus/pci/devices/%s/sriov_totalvfs", name);
		sriov = c->be->ops->read_file(c->be, VI_NS_SYS, rel, &v, &len) == 0;
		free(rel);
		free(v);
	}
	return sriov;
}

static int get_device_fd(struct ctx *c, struct group_state *g, const char *name)
{
	struct vi_ioarg a = { 0 };
	char *s = takes_token(c, name) ? vi_asprintf("%s vf_token=%s", name, c->o->vf_token)
				       : vi_strdup(name);
	long r;

	a.str = s;
	r = vi_be_ioctl(c->be, g->group, VI_IOC_GROUP_GET_DEVICE_FD, &a);
	free(s);
	if (r == -EACCES && !c->o->vf_token)
		fail(c, (int)r, "%s: access refused (EACCES): if it is a VF whose PF is "
		     "bound to vfio-pci, pass the PF's VF token with --vf-token UUID", name);
	else if (r == -EACCES)
		fail(c, (int)r, "%s: the VF token was refused (EACCES): check --vf-token",
		     name);
	else if (r < 0)
		fail(c, (int)r, "%s: VFIO_GROUP_GET_DEVICE_FD failed: %s", name,
		     strerror((int)-r));
	return (int)r;
}

static void inspect_cdev(struct ctx *c, const struct vi_devref *d)
{
	struct vi_emit *em = c->em;
	char node[128];
	uint8_t bind[VI_BIND_SIZE], uuid[16], ioas[VI_IOAS_ALLOC_SIZE], att[VI_ATTACH_SIZE];
	struct vi_ioarg a = { 0 };
	struct vi_query q;
	bool be_ = c->be->big_endian;
	int dev, iommufd;
	uint32_t devid, ioas_id;
	long r;

	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", d->cdev);
	dev = c->be->ops->open_node(c->be, node, VI_FD_DEVICE);
	if (dev < 0) {
		fail_open(c, dev, node);
		vi_emit_error(em, dev);
		return;
	}
	iommufd = c->be->ops->open_node(c->be, "/dev/iommu", VI_FD_IOMMUFD);
	if (iommufd < 0) {
		fail_open(c, iommufd, "/dev/iommu");
		vi_emit_error(em, iommufd);
		c->be->ops->close(c->be, dev);
		return;
	}

	em_obj_begin(em, "iommufd", NULL);
	memset(bind, 0, sizeof(bind));
	vi_put32(bind, sizeof(bind), VI_BIND_ARGSZ, sizeof(bind), be_);
	vi_put32(bind, sizeof(bind), VI_BIND_IOMMUFD, (uint32_t)iommufd, be_);
	a.buf = bind;
	a.len = sizeof(bind);
	if (takes_token(c, d->name) && vi_parse_uuid(c->o->vf_token, uuid) == 0) {
		vi_put32(bind, sizeof(bind), VI_BIND_FLAGS, VI_BIND_FLAG_TOKEN, be_);
		a.aux = uuid;
		a.auxlen = sizeof(uuid);
	}
	r = vi_be_ioctl(c->be, dev, VI_IOC_DEVICE_BIND_IOMMUFD, &a);
	if (r < 0) {
		vi_emit_error(em, r);
		em_obj_end(em);
		if (r == -EBUSY || r == -EINVAL)
			fail(c, (int)r, "%s: VFIO_DEVICE_BIND_IOMMUFD failed: %s (is the "
			     "device or its group open elsewhere?)", node, strerror((int)-r));
		else
			fail(c, (int)r, "%s: VFIO_DEVICE_BIND_IOMMUFD failed: %s", node,
			     strerror((int)-r));
		goto close;
	}
	devid = vi_get32(vi_bytes_make(bind, sizeof(bind), be_), VI_BIND_OUT_DEVID);
	em_u64(em, "dev_id", devid);

	em_obj_begin(em, "hw_info", "hw info");
	r = vi_q_hw_info(c->be, iommufd, devid, &q);
	if (r < 0)
		vi_emit_error(em, r);
	else
		vi_decode_hw_info(em, &q);
	vi_emit_query_done(em, &q);
	em_obj_end(em);

	/* IOVA ranges reflect the device's reserved regions only once it is
	 * attached to the IOAS: allocate one, attach, ask. */
	em_obj_begin(em, "ioas", "IOAS");
	memset(ioas, 0, sizeof(ioas));
	vi_put32(ioas, sizeof(ioas), VI_IOAS_ALLOC_SIZE_F, sizeof(ioas), be_);
	memset(&a, 0, sizeof(a));
	a.buf = ioas;
	a.len = sizeof(ioas);
	r = vi_be_ioctl(c->be, iommufd, VI_IOC_IOMMU_IOAS_ALLOC, &a);
	if (r < 0) {
		vi_emit_error(em, r);
		goto ioas_done;
	}
	ioas_id = vi_get32(vi_bytes_make(ioas, sizeof(ioas), be_), VI_IOAS_ALLOC_OUT_ID);
	em_u64(em, "id", ioas_id);
	memset(att, 0, sizeof(att));
	vi_put32(att, sizeof(att), VI_ATTACH_ARGSZ, sizeof(att), be_);
	vi_put32(att, sizeof(att), VI_ATTACH_PT_ID, ioas_id, be_);
	memset(&a, 0, sizeof(a));
	a.buf = att;
	a.len = sizeof(att);
	r = vi_be_ioctl(c->be, dev, VI_IOC_DEVICE_ATTACH_IOMMUFD_PT, &a);
	if (r < 0) {
		vi_emit_error(em, r);
		goto ioas_done;
	}
	em_u64(em, "hwpt_id", vi_get32(vi_bytes_make(att, sizeof(att), be_), VI_ATTACH_PT_ID));
	em_obj_begin(em, "iova_ranges", "IOVA ranges");
	r = vi_q_iova_ranges(c->be, iommufd, ioas_id, &q);
	if (r < 0)
		vi_emit_error(em, r);
	else
		vi_decode_iova_ranges(em, &q);
	vi_emit_query_done(em, &q);
	em_obj_end(em);
ioas_done:
	em_obj_end(em);	/* ioas */
	em_obj_end(em);	/* iommufd */

	inspect_device_fd(c, dev, d->name);
close:
	c->be->ops->close(c->be, dev);
	c->be->ops->close(c->be, iommufd);
}

static bool use_cdev(struct ctx *c, const struct vi_devref *d)
{
	struct vi_nodeinfo st;
	/* asked whatever the choice, so a capture records the fact and its
	 * replay picks the flow the capture was taken with */
	bool have_iommufd = c->be->ops->stat_node(c->be, VI_NS_DEV, "iommu", &st) == 0;

	if (c->o->flow == VI_FLOW_LEGACY)
		return false;
	if (c->o->flow == VI_FLOW_CDEV)
		return true;
	return d->cdev && have_iommufd;
}

/*
 * Group id -> index in the groups array: an open-addressing table, so a
 * host with thousands of groups is not walked once per device.
 */
struct group_index {
	size_t *slot;		/* index + 1; 0 = empty */
	size_t size;		/* power of two */
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull & SIZE_MAX;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (1099511628211ull & SIZE_MAX);
	return h;
}

static struct group_state *group_find(struct group_index *ix, struct group_state *groups,
				      const char *id, size_t *pos)
{
	size_t i = hash_str(id) & (ix->size - 1);

	while (ix->slot[i]) {
		if (strcmp(groups[ix->slot[i] - 1].id, id) == 0)
			return &groups[ix->slot[i] - 1];
		i = (i + 1) & (ix->size - 1);
	}
	*pos = i;
	return NULL;
}

static void group_close(struct vi_backend *be, struct group_state *g)
{
	if (g->group >= 0)
		be->ops->close(be, g->group);
	if (g->container >= 0)
		be->ops->close(be, g->container);
	g->group = g->container = -1;
}

/* A group is closed once its own section is written and opened again,
 * silently, for its devices: so that `dump --all` holds the descriptors
 * of one group at a time, whatever the number of groups.  0 or -errno. */
static int group_reopen(struct ctx *c, struct group_state *g)
{
	struct vi_ioarg a = { 0 };
	char node[64];
	long r;

	if (g->group >= 0)
		return 0;
	g->container = c->be->ops->open_node(c->be, "/dev/vfio/vfio", VI_FD_CONTAINER);
	if (g->container < 0) {
		r = g->container;
		g->container = -1;
		return (int)r;
	}
	snprintf(node, sizeof(node), "/dev/vfio/%s", g->id);
	g->group = c->be->ops->open_node(c->be, node, VI_FD_GROUP);
	if (g->group < 0) {
		r = g->group;
		g->group = -1;
		group_close(c->be, g);
		return (int)r;
	}
	a.handle = g->container;
	r = vi_be_ioctl(c->be, g->group, VI_IOC_GROUP_SET_CONTAINER, &a);
	if (r >= 0)
		r = value_call(c, g->container, VI_IOC_SET_IOMMU, g->type);
	if (r < 0) {
		group_close(c->be, g);
		return (int)r;
	}
	return 0;
}

int vi_inspect(struct vi_backend *be, struct vi_emit *em, const struct vi_targets *t,
	       const struct vi_inspect_opts *o)
{
	struct ctx c = { be, em, o, 0, NULL, false };
	struct group_state *groups = calloc(t->n ? t->n : 1, sizeof(*groups));
	struct group_index ix = { NULL, 16 };
	size_t ng = 0, pos;

	while (ix.size < 2 * t->n)
		ix.size *= 2;
	ix.slot = calloc(ix.size, sizeof(*ix.slot));
	if (!groups || !ix.slot) {
		free(groups);
		free(ix.slot);
		return -ENOMEM;
	}

	/* Every legacy group first: it must be held open while its devices
	 * are asked about. */
	em_arr_begin(em, "groups", NULL);
	for (size_t i = 0; i < t->n; i++) {
		const struct vi_devref *d = &t->v[i];

		if (use_cdev(&c, d) || !d->group || group_find(&ix, groups, d->group, &pos))
			continue;
		ix.slot[pos] = ng + 1;
		groups[ng].id = d->group;
		groups[ng].container = groups[ng].group = -1;
		open_group(&c, &groups[ng]);
		group_close(be, &groups[ng]);
		ng++;
	}
	em_arr_end(em);

	em_arr_begin(em, "devices", NULL);
	for (size_t i = 0; i < t->n; i++) {
		const struct vi_devref *d = &t->v[i];
		bool cdev = use_cdev(&c, d);

		em_obj_begin(em, NULL, "device %s", d->name);
		em_detail_begin(em);
		em_str(em, "address", d->name);
		em_detail_end(em);
		em_str(em, "flow", cdev ? "cdev" : "legacy");
		vi_emit_group_id(em, d->group, false);
		/* the cdev this dump opened: none in the legacy flow */
		if (cdev && d->cdev)
			em_str(em, "cdev", d->cdev);
		else
			em_null(em, "cdev");
		device_sysfs(&c, d);

		if (cdev && !d->cdev) {
			fail(&c, -ENODEV, "%s has no device cdev (the kernel lacks "
			     "CONFIG_VFIO_DEVICE_CDEV, or the device is noiommu): use --legacy",
			     d->name);
			vi_emit_error(em, -ENODEV);
		} else if (cdev) {
			inspect_cdev(&c, d);
		} else if (!d->group) {
			fail(&c, -ENODEV, "%s is in no IOMMU group", d->name);
			vi_emit_error(em, -ENODEV);
		} else {
			struct group_state *g = group_find(&ix, groups, d->group, &pos);
			if (!g || g->err) {
				em_strf(em, "error", "group %s could not be used", d->group);
			} else {
				int h = group_reopen(&c, g);

				if (h < 0)
					fail(&c, h, "group %s could not be opened again: %s",
					     g->id, strerror(-h));
				else
					h = get_device_fd(&c, g, d->name);
				if (h < 0) {
					vi_emit_error(em, h);
				} else {
					inspect_device_fd(&c, h, d->name);
					be->ops->close(be, h);
				}
				/* the next device is not in it: let it go */
				if (i + 1 == t->n || !t->v[i + 1].group || use_cdev(&c, &t->v[i + 1]) ||
				    strcmp(t->v[i + 1].group, g->id) != 0)
					group_close(be, g);
			}
		}
		em_obj_end(em);
	}
	em_arr_end(em);

	for (size_t j = 0; j < ng; j++)
		group_close(be, &groups[j]);
	free(groups);
	free(ix.slot);
	vi_pciids_close(c.db);
	return c.first_err;
}

/* ---- one device, kept open (the shell) ---- */

static int device_open_legacy(struct ctx *c, struct vi_device *dev, const struct vi_devref *d)
{
	struct vi_backend *be = c->be;
	long ext[VI_EXTENSION_MAX + 1] = { 0 };
	bool noiommu = strncmp(d->group, "noiommu-", 8) == 0;
	struct group_state g = { 0 };
	struct vi_ioarg a = { 0 };
	struct vi_query q;
	char node[64];
	unsigned int type;
	long r;

	dev->container = be->ops->open_node(be, "/dev/vfio/vfio", VI_FD_CONTAINER);
	if (dev->container < 0) {
		r = dev->container;
		fail_open(c, (int)r, "/dev/vfio/vfio");
		return (int)r;
	}
	snprintf(node, sizeof(node), "/dev/vfio/%s", d->group);
	dev->group = be->ops->open_node(be, node, VI_FD_GROUP);
	if (dev->group < 0) {
		r = dev->group;
		fail_open(c, (int)r, node);
		return (int)r;
	}
	r = vi_q_group_status(be, dev->group, &q);
	if (r >= 0 && !(vi_get32(vi_query_bytes(&q), VI_GROUP_STATUS_FLAGS) &
			VI_GROUP_FLAGS_VIABLE)) {
		char *m = members_text(be, noiommu ? d->group + 8 : d->group);
		fail(c, -EPERM, "group %s is not viable: %s. Please ensure all devices "
		     "within the iommu_group are bound to their vfio bus driver", d->group, m);
		free(m);
		r = -EPERM;
	} else if (r < 0) {
		fail(c, (int)r, "group %s: VFIO_GROUP_GET_STATUS failed: %s", d->group,
		     strerror((int)-r));
	}
	vi_query_free(&q);
	if (r < 0)
		return (int)r;
	a.handle = dev->container;
	r = vi_be_ioctl(be, dev->group, VI_IOC_GROUP_SET_CONTAINER, &a);
	if (r < 0) {
		fail(c, (int)r, "group %s: VFIO_GROUP_SET_CONTAINER failed: %s", d->group,
		     strerror((int)-r));
		return (int)r;
	}
	for (unsigned int e = 1; e <= VI_EXTENSION_MAX; e++)
		if (e != VI_DMA_CC_IOMMU && e != VI_EEH && e != VI_UNMAP_ALL &&
		    e != VI_UPDATE_VADDR && e != VI_TYPE1_NESTING_IOMMU)
			ext[e] = value_call(c, dev->container, VI_IOC_CHECK_EXTENSION, e);
	type = pick_iommu(ext, noiommu);
	if (!type) {
		fail(c, -ENODEV, "group %s: the container offers no usable IOMMU type%s",
		     d->group, noiommu ? " (noiommu needs vfio.enable_unsafe_noiommu_mode=1)" : "");
		return -ENODEV;
	}
	r = value_call(c, dev->container, VI_IOC_SET_IOMMU, type);
	if (r < 0) {
		fail(c, (int)r, "group %s: VFIO_SET_IOMMU(%s) failed: %s", d->group,
		     vi_name_of(vi_extensions, type), strerror((int)-r));
		return (int)r;
	}
	g.group = dev->group;
	dev->dev = get_device_fd(c, &g, d->name);
	return dev->dev < 0 ? dev->dev : 0;
}

static int device_open_cdev(struct ctx *c, struct vi_device *dev, const struct vi_devref *d)
{
	struct vi_backend *be = c->be;
	uint8_t bind[VI_BIND_SIZE], uuid[16], ioas[VI_IOAS_ALLOC_SIZE], att[VI_ATTACH_SIZE];
	struct vi_ioarg a = { 0 };
	bool be_ = be->big_endian;
	char node[128];
	long r;

	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", d->cdev);
	dev->dev = be->ops->open_node(be, node, VI_FD_DEVICE);
	if (dev->dev < 0) {
		fail_open(c, dev->dev, node);
		return dev->dev;
	}
	dev->iommufd = be->ops->open_node(be, "/dev/iommu", VI_FD_IOMMUFD);
	if (dev->iommufd < 0) {
		fail_open(c, dev->iommufd, "/dev/iommu");
		return dev->iommufd;
	}
	memset(bind, 0, sizeof(bind));
	vi_put32(bind, sizeof(bind), VI_BIND_ARGSZ, sizeof(bind), be_);
	vi_put32(bind, sizeof(bind), VI_BIND_IOMMUFD, (uint32_t)dev->iommufd, be_);
	a.buf = bind;
	a.len = sizeof(bind);
	if (c->o->vf_token && vi_parse_uuid(c->o->vf_token, uuid) == 0) {
		vi_put32(bind, sizeof(bind), VI_BIND_FLAGS, VI_BIND_FLAG_TOKEN, be_);
		a.aux = uuid;
		a.auxlen = sizeof(uuid);
	}
	r = vi_be_ioctl(be, dev->dev, VI_IOC_DEVICE_BIND_IOMMUFD, &a);
	if (r < 0) {
		fail(c, (int)r, "%s: VFIO_DEVICE_BIND_IOMMUFD failed: %s", node,
		     strerror((int)-r));
		return (int)r;
	}
	/* attach to an IOAS, as a VMM does: some devices refuse access to
	 * their regions until they are attached */
	memset(ioas, 0, sizeof(ioas));
	vi_put32(ioas, sizeof(ioas), VI_IOAS_ALLOC_SIZE_F, sizeof(ioas), be_);
	memset(&a, 0, sizeof(a));
	a.buf = ioas;
	a.len = sizeof(ioas);
	r = vi_be_ioctl(be, dev->iommufd, VI_IOC_IOMMU_IOAS_ALLOC, &a);
	if (r >= 0) {
		memset(att, 0, sizeof(att));
		vi_put32(att, sizeof(att), VI_ATTACH_ARGSZ, sizeof(att), be_);
		vi_put32(att, sizeof(att), VI_ATTACH_PT_ID,
			 vi_get32(vi_bytes_make(ioas, sizeof(ioas), be_), VI_IOAS_ALLOC_OUT_ID), be_);
		memset(&a, 0, sizeof(a));
		a.buf = att;
		a.len = sizeof(att);
		(void)vi_be_ioctl(be, dev->dev, VI_IOC_DEVICE_ATTACH_IOMMUFD_PT, &a);
	}
	return 0;
}

/* SPARSE_MMAP areas and MSIX_MAPPABLE from a region info answer. */
static void region_caps(struct vi_region *rg, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(&rg->q);
	struct vi_capiter it;
	struct vi_cap cap;
	uint32_t off = 0;

	if ((profiles & VI_PROF_DEVTREE) || !(rg->flags & VI_REGION_FLAG_CAPS) ||
	    vi_u32(b, VI_REGION_CAP_OFFSET, &off) || !off)
		return;
	vi_capiter_init(&it, b, off, VI_REGION_SIZE);
	while (vi_capiter_next(&it, &cap)) {
		if (cap.id == 3) {
			rg->msix_mappable = true;
		} else if (cap.id == 1 && !rg->sparse) {
			uint32_t nr = 0, fit;

			rg->sparse = true;
			if (vi_u32(cap.body, 8, &nr))
				continue;
			fit = cap.body.len >= 16 ? (uint32_t)((cap.body.len - 16) / 16) : 0;
			if (nr > fit)
				nr = fit;
			if (nr > 4096)
				nr = 4096;
			rg->areas = calloc(nr ? nr : 1, sizeof(*rg->areas));
			if (!rg->areas)
				continue;
			for (uint32_t i = 0; i < nr; i++) {
				rg->areas[i].offset = vi_get64(cap.body, 16 + 16 * (size_t)i);
				rg->areas[i].size = vi_get64(cap.body, 24 + 16 * (size_t)i);
			}
			rg->nareas = nr;
		}
	}
}

static void device_facts(struct vi_device *dev)
{
	struct vi_backend *be = dev->be;
	struct vi_bytes b;

	if (vi_q_device_info(be, dev->dev, &dev->info) < 0)
		return;
	b = vi_query_bytes(&dev->info);
	vi_u32(b, VI_DEVINFO_FLAGS, &dev->flags);
	vi_u32(b, VI_DEVINFO_NUM_REGIONS, &dev->nregions);
	vi_u32(b, VI_DEVINFO_NUM_IRQS, &dev->nirqs);
	if (dev->nregions > MAX_REGIONS)
		dev->nregions = MAX_REGIONS;
	if (dev->nirqs > MAX_REGIONS)
		dev->nirqs = MAX_REGIONS;
	dev->kind = vi_devkind_of(dev->flags, dev->profiles);
	dev->regions = calloc(dev->nregions ? dev->nregions : 1, sizeof(*dev->regions));
	dev->irqs = calloc(dev->nirqs ? dev->nirqs : 1, sizeof(*dev->irqs));
	if (!dev->regions || !dev->irqs) {
		dev->nregions = dev->nirqs = 0;
		return;
	}
	for (uint32_t i = 0; i < dev->nregions; i++) {
		struct vi_region *rg = &dev->regions[i];
		const char *n;
		long r = vi_q_region_info(be, dev->dev, i, &rg->q);

		rg->index = i;
		b = vi_query_bytes(&rg->q);
		n = vi_region_name(dev->kind, i, b, dev->profiles, rg->name, sizeof(rg->name));
		if (n && n != rg->name)
			snprintf(rg->name, sizeof(rg->name), "%s", n);
		else if (!n)
			rg->name[0] = '\0';
		rg->ok = r >= 0 && vi_u32(b, VI_REGION_FLAGS, &rg->flags) == 0 &&
			 vi_u64(b, VI_REGION_SIZE_OFF, &rg->size) == 0 &&
			 vi_u64(b, VI_REGION_OFFSET_OFF, &rg->offset) == 0;
		if (rg->ok)
			region_caps(rg, dev->profiles);
	}
	for (uint32_t i = 0; i < dev->nirqs; i++) {
		struct vi_irq *iq = &dev->irqs[i];
		const char *n;
		long r = vi_q_irq_info(be, dev->dev, i, VI_IRQ_MINSZ, &iq->q);

		iq->index = i;
		b = vi_query_bytes(&iq->q);
		n = vi_irq_name(dev->kind, i, b, dev->profiles, iq->name, sizeof(iq->name));
		if (n && n != iq->name)
			snprintf(iq->name, sizeof(iq->name), "%s", n);
		else if (!n)
			iq->name[0] = '\0';
		iq->ok = r >= 0 && vi_u32(b, VI_IRQ_FLAGS, &iq->flags) == 0 &&
			 vi_u32(b, VI_IRQ_COUNT, &iq->count) == 0;
	}
}

int vi_device_open(struct vi_backend *be, const struct vi_devref *d,
		   const struct vi_inspect_opts *o, struct vi_device **out)
{
	struct ctx c = { be, NULL, o, 0, NULL, false };
	struct vi_device *dev = calloc(1, sizeof(*dev));
	int r;

	*out = NULL;
	if (!dev)
		return -ENOMEM;
	dev->be = be;
	dev->name = vi_strdup(d->name);
	dev->dev = dev->group = dev->container = dev->iommufd = -1;
	dev->profiles = o->profiles;
	dev->cdev = use_cdev(&c, d);
	if (dev->cdev && !d->cdev) {
		fail(&c, -ENODEV, "%s has no device cdev (the kernel lacks "
		     "CONFIG_VFIO_DEVICE_CDEV, or the device is noiommu): use --legacy",
		     d->name);
		r = -ENODEV;
	} else if (dev->cdev) {
		r = device_open_cdev(&c, dev, d);
	} else if (!d->group) {
		fail(&c, -ENODEV, "%s is in no IOMMU group", d->name);
		r = -ENODEV;
	} else {
		r = device_open_legacy(&c, dev, d);
	}
	if (r < 0) {
		vi_device_close(dev);
		return r;
	}
	device_facts(dev);
	*out = dev;
	return 0;
}

void vi_device_close(struct vi_device *dev)
{
	struct vi_backend *be;

	if (!dev)
		return;
	be = dev->be;
	for (uint32_t i = 0; dev->regions && i < dev->nregions; i++) {
		vi_query_free(&dev->regions[i].q);
		free(dev->regions[i].areas);
	}
	for (uint32_t i = 0; dev->irqs && i < dev->nirqs; i++)
		vi_query_free(&dev->irqs[i].q);
	free(dev->regions);
	free(dev->irqs);
	vi_query_free(&dev->info);
	if (dev->dev >= 0)
		be->ops->close(be, dev->dev);
	if (dev->iommufd >= 0)
		be->ops->close(be, dev->iommufd);
	if (dev->group >= 0)
		be->ops->close(be, dev->group);
	if (dev->container >= 0)
		be->ops->close(be, dev->container);
	free(dev->name);
	free(dev);
}
