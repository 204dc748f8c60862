// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect.c - the order of queries: vi_inspect() walks groups, then devices;
 * the legacy flow's groups and containers, and how a failure is told.
 * The device fd's queries are in inspect-device.c, the cdev + iommufd
 * flow in inspect-cdev.c, the profiles' extra reads in inspect-profile.c,
 * the shell's kept-open device in inspect-open.c (inspect-int.h).
 */
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
#include "inspect-int.h"
#include "pciids.h"
#include "query.h"
#include "sysfs.h"
#include "uapi/vfio-abi.h"
#include "capture-io.h"
#include "util.h"

void insp_fail(struct ctx *c, int err, const char *fmt, ...)
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

void insp_fail_open(struct ctx *c, int err, const char *node)
{
	char en[32];
	char who[256];
	struct vi_nodeinfo st;

	if (err == -EBUSY) {
		if (holder_of(c->be, node, who, sizeof(who)))
			insp_fail(c, err, "%s is busy (EBUSY): held by %s", node, who);
		else
			insp_fail(c, err, "%s is busy (EBUSY): another process (QEMU?) or a "
			     "device cdev user holds it", node);
	} else if (err == -EPERM && strstr(node, "/noiommu-")) {
		insp_fail(c, err, "%s: a noiommu group needs CAP_SYS_RAWIO: run as root", node);
	} else if (err == -EACCES || err == -EPERM) {
		if (c->be->ops->stat_node(c->be, VI_NS_DEV, node + 5, &st) == 0)
			insp_fail(c, err, "no permission to open %s (%s; mode %04o, owner %u:%u): "
			     "run as root or give your user access to it", node,
			     errname(-err, en, sizeof(en)), st.mode & 07777, st.uid, st.gid);
		else
			insp_fail(c, err, "no permission to open %s (%s): run as root or give "
			     "your user access to it", node, errname(-err, en, sizeof(en)));
	} else if (err == -ENOENT) {
		if (strcmp(node, "/dev/vfio/vfio") == 0)
			insp_fail(c, err, "/dev/vfio/vfio does not exist: load the VFIO modules "
			     "(modprobe vfio-pci)");
		else
			insp_fail(c, err, "%s does not exist", node);
	} else {
		insp_fail(c, err, "cannot open %s: %s (%s)", node, errname(-err, en, sizeof(en)),
		     strerror(-err));
	}
}

/* ---- container and group (legacy flow) ---- */

long insp_value_call(struct ctx *c, int h, enum vi_ioc ioc, uint64_t v)
{
	struct vi_ioarg a = { 0 };

	a.value = v;
	return vi_be_ioctl(c->be, h, ioc, &a);
}

/* VFIO_CHECK_EXTENSION for every id: {"TYPE1_IOMMU": 1, ...}; a failed
 * call's answer is its -errno.  @explain: add the notes on what an answer
 * means (once per container, not again after SET_IOMMU). */
static void emit_extensions(struct ctx *c, int h, const char *key, long *answers, bool explain)
{
	em_obj_begin(c->em, key, NULL);
	for (unsigned int e = 1; e <= VI_EXTENSION_MAX; e++) {
		long r = insp_value_call(c, h, VI_IOC_CHECK_EXTENSION, e);
		const char *n = vi_name_of(vi_extensions, e);

		answers[e] = r;
		em_i64(c->em, n, r);	/* the answer, or -errno */
	}
	em_obj_end(c->em);
	if (explain && answers[VI_TYPE1_NESTING_IOMMU] > 0)
		em_note(c->em, VI_NOTE_INFO, "TYPE1_NESTING_IOMMU (6) answers %ld: a kernel "
			"before 6.13, whose type1 driver claims id 6 wherever it claims "
			"TYPE1v2; 6.13 dropped that nesting mode and the header reserves "
			"the number (__VFIO_RESERVED_TYPE1_NESTING_IOMMU), answered 0",
			answers[VI_TYPE1_NESTING_IOMMU]);
}

/* The IOMMU type to ask for, best first. */
unsigned int insp_pick_iommu(const long *ext, bool noiommu)
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

char *insp_members_text(struct vi_backend *be, const char *num)
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
		insp_fail_open(c, g->err, "/dev/vfio/vfio");
		vi_emit_error(em, g->err);
		goto out;
	}
	snprintf(node, sizeof(node), "/dev/vfio/%s", g->id);
	g->group = c->be->ops->open_node(c->be, node, VI_FD_GROUP);
	if (g->group < 0) {
		g->err = g->group;
		insp_fail_open(c, g->err, node);
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
			char *m = insp_members_text(c->be, noiommu ? g->id + 8 : g->id);
			g->err = -EPERM;
			insp_fail(c, -EPERM, "group %s is not viable: %s. Please ensure all "
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
	r = insp_value_call(c, g->container, VI_IOC_GET_API_VERSION, 0);
	if (r >= 0)
		em_u64(em, "api_version", (uint64_t)r);
	else
		vi_emit_error(em, r);
	if (r != VI_VFIO_API_VERSION)
		em_note(em, VI_NOTE_WARN, "unexpected VFIO API version %ld (expected %d)",
			r, VI_VFIO_API_VERSION);
	emit_extensions(c, g->container, "extensions", ext, true);

	a.handle = g->container;
	r = vi_be_ioctl(c->be, g->group, VI_IOC_GROUP_SET_CONTAINER, &a);
	if (r < 0) {
		g->err = (int)r;
		insp_fail(c, g->err, "group %s: VFIO_GROUP_SET_CONTAINER failed: %s", g->id,
		     strerror((int)-r));
		vi_emit_error(em, r);
		em_obj_end(em);
		goto out;
	}
	type = insp_pick_iommu(ext, noiommu);
	if (!type) {
		g->err = -ENODEV;
		insp_fail(c, g->err, "group %s: the container offers no usable IOMMU type%s",
		     g->id, noiommu ? " (noiommu needs vfio.enable_unsafe_noiommu_mode=1)" : "");
		em_obj_end(em);
		goto out;
	}
	em_enum(em, "iommu_type", type, vi_extensions);
	r = insp_value_call(c, g->container, VI_IOC_SET_IOMMU, type);
	if (r < 0) {
		g->err = (int)r;
		insp_fail(c, g->err, "group %s: VFIO_SET_IOMMU(%s) failed: %s", g->id,
		     vi_name_of(vi_extensions, type), strerror((int)-r));
		vi_emit_error(em, r);
		em_obj_end(em);
		goto out;
	}
	g->type = type;
	/* DMA_CC_IOMMU and UPDATE_VADDR only answer once an IOMMU is set */
	em_detail_begin(em);
	emit_extensions(c, g->container, "extensions_after_set", ext, false);
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

/*
 * vfio-pci takes a VF token only for SR-IOV functions: a VF (physfn link)
 * or a PF (sriov_totalvfs); any other device refuses one with EINVAL, so
 * `--vf-token` must not be sent to every target.
 */
bool insp_takes_token(struct ctx *c, const char *name)
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

int insp_get_device_fd(struct ctx *c, struct group_state *g, const char *name)
{
	struct vi_ioarg a = { 0 };
	char *s = insp_takes_token(c, name) ? vi_asprintf("%s vf_token=%s", name, c->o->vf_token)
				       : vi_strdup(name);
	long r;

	a.str = s;
	r = vi_be_ioctl(c->be, g->group, VI_IOC_GROUP_GET_DEVICE_FD, &a);
	free(s);
	if (r == -EACCES && !c->o->vf_token)
		insp_fail(c, (int)r, "%s: access refused (EACCES): if it is a VF whose PF is "
		     "bound to vfio-pci, pass the PF's VF token with --vf-token UUID", name);
	else if (r == -EACCES)
		insp_fail(c, (int)r, "%s: the VF token was refused (EACCES): check --vf-token",
		     name);
	else if (r < 0)
		insp_fail(c, (int)r, "%s: VFIO_GROUP_GET_DEVICE_FD failed: %s", name,
		     strerror((int)-r));
	return (int)r;
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
		r = insp_value_call(c, g->container, VI_IOC_SET_IOMMU, g->type);
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

		if (insp_use_cdev(&c, d) || !d->group || group_find(&ix, groups, d->group, &pos))
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
		bool cdev = insp_use_cdev(&c, d);

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
		insp_device_sysfs(&c, d);

		if (cdev && !d->cdev) {
			insp_fail(&c, -ENODEV, "%s has no device cdev (the kernel lacks "
			     "CONFIG_VFIO_DEVICE_CDEV, or the device is noiommu): use --legacy",
			     d->name);
			vi_emit_error(em, -ENODEV);
		} else if (cdev) {
			insp_cdev(&c, d);
		} else if (!d->group) {
			insp_fail(&c, -ENODEV, "%s is in no IOMMU group", d->name);
			vi_emit_error(em, -ENODEV);
		} else {
			struct group_state *g = group_find(&ix, groups, d->group, &pos);
			if (!g || g->err) {
				em_note(em, VI_NOTE_INFO, "group %s could not be used", d->group);
				vi_emit_error(em, g ? g->err : -ENODEV);
			} else {
				int h = group_reopen(&c, g);

				if (h < 0)
					insp_fail(&c, h, "group %s could not be opened again: %s",
					     g->id, strerror(-h));
				else
					h = insp_get_device_fd(&c, g, d->name);
				if (h < 0) {
					vi_emit_error(em, h);
				} else {
					insp_device_fd(&c, h, d->name);
					be->ops->close(be, h);
				}
				/* the next device is not in it: let it go */
				if (i + 1 == t->n || !t->v[i + 1].group || insp_use_cdev(&c, &t->v[i + 1]) ||
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
