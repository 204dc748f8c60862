// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-list.c - every IOMMU group and its devices, from sysfs; opens no VFIO file. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "identity.h"
#include "prom.h"
#include "pciids.h"
#include "safe.h"
#include "sysfs.h"
#include "util.h"

enum filter_kind { F_ADDR, F_ID, F_DRIVER, F_GROUP, F_NKINDS };

struct filter {
	enum filter_kind kind;
	char addr[16];
	long vendor, device;	/* -1: any */
	const char *str;	/* driver or group */
};

static bool hex4(const char *s, size_t n, long *out)
{
	char buf[8], *end;

	if (n == 0) {
		*out = -1;
		return true;
	}
	if (n > 4)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)buf[i]))
			return false;
	*out = strtol(buf, &end, 16);
	return true;
}

static int parse_filter(const char *arg, struct filter *f)
{
	const char *colon = strchr(arg, ':');

	memset(f, 0, sizeof(*f));
	if (strncmp(arg, "driver=", 7) == 0 && arg[7]) {
		f->kind = F_DRIVER;
		f->str = arg + 7;
		return 0;
	}
	if (strncmp(arg, "group=", 6) == 0 && arg[6]) {
		f->kind = F_GROUP;
		f->str = arg + 6;
		if (strncmp(f->str, "noiommu-", 8) == 0)
			f->str += 8;
		return 0;
	}
	if (vi_parse_bdf(arg, f->addr) == 0) {
		f->kind = F_ADDR;
		return 0;
	}
	if (colon && !strchr(colon + 1, ':') && !strchr(arg, '.') &&
	    hex4(arg, (size_t)(colon - arg), &f->vendor) &&
	    hex4(colon + 1, strlen(colon + 1), &f->device)) {
		f->kind = F_ID;
		return 0;
	}
	return -EINVAL;
}

static bool filter_match(const struct filter *f, const struct vi_pcidev *d, const char *group)
{
	switch (f->kind) {
	case F_ADDR:
		return strcmp(d->name, f->addr) == 0;
	case F_ID:
		return d->pci && (f->vendor < 0 || f->vendor == d->vendor) &&
		       (f->device < 0 || f->device == d->device);
	case F_DRIVER:
		return d->driver ? strcmp(d->driver, f->str) == 0 :
				   strcmp(f->str, "none") == 0;
	case F_GROUP:
		return strcmp(group, f->str) == 0;
	default:
		return false;
	}
}

/* Filters of one kind are alternatives; different kinds must all hold. */
static bool matches(const struct filter *fs, int nf, const struct vi_pcidev *d,
		    const char *group)
{
	for (int k = 0; k < F_NKINDS; k++) {
		bool any = false, hit = false;

		for (int i = 0; i < nf; i++) {
			if (fs[i].kind != (enum filter_kind)k)
				continue;
			any = true;
			hit = hit || filter_match(&fs[i], d, group);
		}
		if (any && !hit)
			return false;
	}
	return true;
}

void vi_emit_node(struct vi_emit *em, const char *key, const char *path,
		  const struct vi_nodeinfo *st)
{
	char m[64];

	if (!st) {
		em_null(em, key);
		return;
	}
	em_obj_begin(em, key, "%s: %s %s", key, path, vi_mode_str(st, m, sizeof(m)));
	em_detail_begin(em);
	em_str(em, "path", path);
	/* JSON: numbers; text: the mode in octal, as ls and stat show it */
	snprintf(m, sizeof(m), "%04o", st->mode & 07777);
	em_u64_text(em, "mode", st->mode & 07777, m);
	em_u64(em, "uid", st->uid);
	em_u64(em, "gid", st->gid);
	em_u64(em, "major", st->major);
	em_u64(em, "minor", st->minor);
	em_detail_end(em);
	em_obj_end(em);
}

void vi_emit_holders(struct vi_emit *em, const struct vi_holders *h, const char *node)
{
	size_t n = 0;

	for (size_t i = 0; node && i < h->n; i++)
		n += strcmp(h->v[i].node, node) == 0;
	if (!n)
		em_detail_begin(em);
	em_arr_begin(em, "holders", "held open by");
	for (size_t i = 0; node && i < h->n; i++) {
		if (strcmp(h->v[i].node, node) != 0)
			continue;
		em_obj_begin(em, NULL, "pid %s (%s)", h->v[i].pid,
			     h->v[i].comm ? h->v[i].comm : "?");
		em_detail_begin(em);
		em_u64(em, "pid", strtoull(h->v[i].pid, NULL, 10));
		em_str(em, "comm", h->v[i].comm);
		em_detail_end(em);
		em_obj_end(em);
	}
	em_arr_end(em);
	if (!n)
		em_detail_end(em);
}

static void emit_device(struct vi_emit *em, const struct vi_pciids *db, struct vi_backend *be,
			const struct vi_holders *h, const struct vi_pcidev *d)
{
	char *desc = vi_pci_describe(db, d), *node = NULL;
	struct vi_nodeinfo st;

	em_obj_begin(em, NULL, "%s %s", d->name, desc ? desc : "");
	free(desc);
	vi_emit_pci_identity(em, db, d);
	em_str(em, "driver", d->driver);
	em_detail_begin(em);
	em_bool(em, "vfio", d->kind == VI_DRV_VFIO);
	em_bool(em, "blocks_viability", vi_driver_blocks(d->kind));
	em_detail_end(em);
	em_str(em, "viability", vi_drvkind_desc(d->kind));
	if (d->cdev) {
		char *rel = vi_asprintf("vfio/devices/%s", d->cdev);

		node = vi_asprintf("/dev/%s", rel);
		if (be->ops->stat_node(be, VI_NS_DEV, rel, &st) == 0) {
			vi_emit_node(em, "cdev", node, &st);
		} else {
			em_str(em, "cdev", node);
			em_note(em, VI_NOTE_WARN, "%s is registered in sysfs but %s does not "
				"exist: check udev", d->cdev, node);
		}
		free(rel);
	} else {
		em_detail_begin(em);
		em_null(em, "cdev");
		em_detail_end(em);
	}
	vi_emit_holders(em, h, node);
	free(node);
	if (d->physfn) {
		em_str(em, "physfn", d->physfn);
	} else {
		em_detail_begin(em);
		em_null(em, "physfn");
		em_detail_end(em);
	}
	if (d->sriov_totalvfs > 0)
		em_strf(em, "sriov", "%d of %d VFs enabled", d->sriov_numvfs > 0 ?
			d->sriov_numvfs : 0, d->sriov_totalvfs);
	em_obj_end(em);
}

struct group_view {
	char *id;
	struct vi_pcidev *devs;
	size_t n;
	bool noiommu, vfio, viable, match;
};

static void group_view_free(struct group_view *g)
{
	for (size_t i = 0; i < g->n; i++)
		vi_pci_free(&g->devs[i]);
	free(g->devs);
	free(g->id);
}

static int load_group(struct vi_backend *be, const char *id, struct group_view *g,
		      const struct filter *fs, int nf)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	memset(g, 0, sizeof(*g));
	g->id = vi_strdup(id);
	g->viable = true;
	g->noiommu = vi_group_is_noiommu(be, id);
	r = vi_group_devices(be, id, &names, &n);
	if (r < 0)
		return r;
	g->devs = calloc(n + 1, sizeof(*g->devs));
	if (!g->devs) {
		vi_names_free(names, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = vi_asprintf("kernel/iommu_groups/%s/devices/%s", id, names[i]);
		struct vi_pcidev *d = &g->devs[g->n];

		if (vi_pci_load_list(be, path, names[i], d) == 0) {
			/* the group is the one being walked: no second readlink */
			d->group = vi_strdup(id);
			d->noiommu = g->noiommu;
			g->n++;
			if (d->kind == VI_DRV_VFIO)
				g->vfio = true;
			if (vi_driver_blocks(d->kind))
				g->viable = false;
			if (matches(fs, nf, d, id))
				g->match = true;
		} else {
			vi_pci_free(d);
		}
		free(path);
	}
	vi_names_free(names, n);
	return 0;
}

static void emit_group(struct vi_emit *em, struct vi_backend *be, const struct vi_pciids *db,
		       const struct vi_holders *h, const struct group_view *g)
{
	char *type = vi_group_type(be, g->id);
	char *rel = vi_asprintf("vfio/%s%s", g->noiommu ? "noiommu-" : "", g->id);
	char *node = vi_asprintf("/dev/%s", rel);
	struct vi_nodeinfo st;
	bool have_node = be->ops->stat_node(be, VI_NS_DEV, rel, &st) == 0;
	const char *state = !g->vfio ? "not used by VFIO" :
			    g->viable ? "viable" : "NOT VIABLE";

	em_obj_begin(em, NULL, "group %s%s%s%s: %s%s", g->id, type ? " (" : "",
		     type ? type : "", type ? ")" : "", state,
		     g->noiommu ? ", noiommu: UNSAFE, no DMA isolation" : "");
	em_detail_begin(em);
	vi_emit_group_id(em, g->id, g->noiommu);
	type ? em_str(em, "type", type) : em_null(em, "type");
	em_bool(em, "vfio", g->vfio);
	em_bool(em, "viable", g->viable);
	em_detail_end(em);
	if (have_node) {
		vi_emit_node(em, "node", node, &st);
	} else {
		if (g->vfio)
			em_note(em, VI_NOTE_WARN, "%s does not exist although a member is "
				"bound to a VFIO driver: check udev and the vfio module", node);
		em_detail_begin(em);
		em_null(em, "node");
		em_detail_end(em);
	}
	vi_emit_holders(em, h, have_node ? node : NULL);
	if (g->vfio && !g->viable)
		em_note(em, VI_NOTE_WARN, "group %s is not viable: Please ensure all devices "
			"within the iommu_group are bound to their vfio bus driver.", g->id);
	em_arr_begin(em, "devices", NULL);
	for (size_t i = 0; i < g->n; i++)
		emit_device(em, db, be, h, &g->devs[i]);
	em_arr_end(em);
	em_obj_end(em);
	free(type);
	free(rel);
	free(node);
}

/* An instance's group ("12", "noiommu-12"), NULL if none or no number. */
static char *mdev_group(struct vi_backend *be, const char *uuid)
{
	char *rel = vi_asprintf("bus/mdev/devices/%s/iommu_group", uuid), *l = NULL, *g = NULL;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0 &&
	    vi_name_ok(VI_NAME_GROUP, vi_basename(l)))
		g = vi_group_is_noiommu(be, vi_basename(l)) ?
			vi_asprintf("noiommu-%s", vi_basename(l)) : vi_strdup(vi_basename(l));
	free(l);
	free(rel);
	return g;
}

static void emit_mdev_type(struct vi_emit *em, struct vi_backend *be,
			   const struct vi_mdev_type *t)
{
	/* the heading names the type, its name when it says more than the id */
	bool named = t->name && strcmp(t->name, t->id) != 0;

	em_obj_begin(em, NULL, "type %s%s%s%s: %s, %" PRId64 " more available", t->id,
		     named ? " (" : "", named ? t->name : "", named ? ")" : "",
		     t->device_api ? t->device_api : "no device_api",
		     t->available >= 0 ? t->available : (int64_t)0);
	em_detail_begin(em);
	em_str(em, "type", t->id);
	em_str(em, "name", t->name);
	em_detail_end(em);
	if (!t->description)
		em_detail_begin(em);
	em_str(em, "description", t->description);
	if (!t->description)
		em_detail_end(em);
	em_detail_begin(em);
	em_str(em, "device_api", t->device_api);
	if (t->available >= 0)
		em_u64(em, "available_instances", (uint64_t)t->available);
	else
		em_null(em, "available_instances");
	em_arr_begin(em, "devices", "instances");
	for (size_t i = 0; i < t->ndevices; i++)
		em_str(em, NULL, t->devices[i]);
	em_arr_end(em);
	em_detail_end(em);
	if (t->available < 0)
		em_note(em, VI_NOTE_WARN, "available_instances of %s is absent or no number",
			t->id);
	for (size_t i = 0; i < t->ndevices; i++) {
		char *g = mdev_group(be, t->devices[i]);

		em_summary(em, "instance %s, group %s", t->devices[i], g ? g : "none");
		free(g);
	}
	if (t->bad_devices)
		em_note(em, VI_NOTE_WARN, "%zu entr%s of %s/devices %s no UUID (not shown)",
			t->bad_devices, t->bad_devices == 1 ? "y" : "ies", t->id,
			t->bad_devices == 1 ? "is" : "are");
	em_obj_end(em);
}

/*
 * "mdev_parents": every parent device in /sys/class/mdev_bus with its
 * supported types and their instances; absent when the class is (no
 * mdev support loaded).
 */
static void emit_mdev_parents(struct vi_emit *em, struct vi_backend *be)
{
	struct vi_mdev_parents ps;

	if (vi_mdev_parents_load(be, &ps) < 0)
		return;
	em_arr_begin(em, "mdev_parents", "mdev parents");
	for (size_t i = 0; i < ps.n; i++) {
		const struct vi_mdev_parent *p = &ps.v[i];
		char *pn = vi_printable(p->name, VI_MSG_NAME_MAX);

		em_obj_begin(em, NULL, "mdev parent %s", pn);
		em_detail_begin(em);
		em_str(em, "parent", p->name);
		em_detail_end(em);
		em_arr_begin(em, "types", NULL);
		for (size_t j = 0; j < p->ntypes; j++)
			emit_mdev_type(em, be, &p->types[j]);
		em_arr_end(em);
		if (p->bad_types)
			em_note(em, VI_NOTE_WARN, "%zu entr%s of %s's mdev_supported_types %s no "
				"type id (not shown)", p->bad_types, p->bad_types == 1 ? "y" : "ies",
				pn, p->bad_types == 1 ? "is" : "are");
		free(pn);
		em_obj_end(em);
	}
	em_arr_end(em);
	if (ps.bad_parents)
		em_note(em, VI_NOTE_WARN, "%zu entr%s of /sys/class/mdev_bus %s no device name "
			"(not shown)", ps.bad_parents, ps.bad_parents == 1 ? "y" : "ies",
			ps.bad_parents == 1 ? "is" : "are");
	vi_mdev_parents_free(ps.v, ps.n);
}

/* The list, through @be; shared with capture --host. */
int vi_list_run(const struct vi_opts *o, struct vi_backend *be, struct vi_emit *em)
{
	struct filter *fs = calloc((size_t)o->nargs + 1, sizeof(*fs));
	struct vi_pciids *db = vi_pciids_open();
	struct vi_holders h;
	char **ids = NULL;
	size_t n = 0, shown = 0;
	int status = VI_EXIT_OK, r;

	if (!fs)
		return VI_EXIT_FAILURE;
	for (int i = 0; i < o->nargs; i++) {
		if (parse_filter(o->args[i], &fs[i]) < 0) {
			char *pa = vi_printable(o->args[i], VI_MSG_NAME_MAX);

			vi_error("'%s' is not a filter: use a PCI address (01:00.0), "
				 "vendor:device (8086:10d3), driver=NAME or group=N", pa);
			free(pa);
			free(fs);
			vi_pciids_close(db);
			return VI_EXIT_USAGE;
		}
	}
	vi_holders_scan(be, &h);
	r = vi_groups_list(be, &ids, &n);

	em_obj_begin(em, NULL, NULL);
	em_arr_begin(em, "groups", NULL);
	for (size_t i = 0; i < n; i++) {
		struct group_view g;

		if (load_group(be, ids[i], &g, fs, o->nargs) == 0 && g.match) {
			emit_group(em, be, db, &h, &g);
			shown++;
		}
		group_view_free(&g);
	}
	em_arr_end(em);
	/* the mdev parents: the whole picture, not filtered */
	if (!o->nargs)
		emit_mdev_parents(em, be);
	if (r < 0 || n == 0)
		em_note(em, VI_NOTE_WARN, "no IOMMU groups (/sys/kernel/iommu_groups is %s): "
			"the IOMMU is off or absent; run 'vfio-info doctor' for the reasons",
			r < 0 ? "missing" : "empty");
	if (!shown && o->nargs)
		status = VI_EXIT_NOTFOUND;	/* even with no groups at all */
	if (!h.scanned)
		em_note(em, VI_NOTE_INFO, "/proc could not be read: holders not shown");
	em_obj_end(em);

	vi_names_free(ids, n);
	vi_holders_free(&h);
	vi_pciids_close(db);
	free(fs);
	return status;
}

int cmd_list(struct vi_opts *o)
{
	struct vi_backend *be;
	struct vi_emit *em;
	int status = VI_EXIT_OK;

	if (o->prometheus)	/* metrics, to stdout or -o FILE (prom.c) */
		return vi_prom_list(o);
	if (o->output) {
		vi_error("-o/--output belongs to 'capture' and --format=prometheus; list writes to standard output");
		return VI_EXIT_USAGE;
	}
	be = vi_open_backend(o, &status);
	if (!be)
		return status;
	em = vi_output_emitter(o);
	status = vi_list_run(o, be, em);
	vi_emit_finish(em);
	vi_backend_destroy(be);
	if (status == VI_EXIT_NOTFOUND)
		vi_error("no device matches the filters");
	return status;
}
