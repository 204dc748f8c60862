// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-doctor.c - why a device cannot be used through VFIO: one verdict
 * per check (ok / info / warn / fail), its reason and a remedy, in the
 * style of virt-host-validate.  Reads sysfs, procfs and module
 * parameters through the backend; --probe also opens the device.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "prom.h"
#include "doctor.h"
#include "pciids.h"
#include "target.h"
#include "util.h"

static const char *const verdict_word[V_N] = { "ok", "info", "warn", "fail" };
static const char *const verdict_text[V_N] = { "OK  ", "INFO", "WARN", "FAIL" };

void check(struct dctx *c, const char *name, enum verdict v, struct remedy *rm,
	   const char *fmt, ...)
{
	const char *why = rm_why(rm), *remedy = rm_empty(rm) ? NULL : rm_str(rm);
	char *msg, *full;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = malloc(n < 0 ? 1 : (size_t)n + 1);
	if (!msg)
		abort();
	*msg = '\0';
	va_start(ap, fmt);
	if (n >= 0)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	full = why ? vi_asprintf("%s (remedy withheld: %s)", msg, why) : msg;
	c->count[v]++;
	em_obj_begin(c->em, NULL, "%s  %-20s %s", verdict_text[v], name, full);
	em_detail_begin(c->em);
	em_str(c->em, "check", name);
	em_str(c->em, "status", verdict_word[v]);
	em_str(c->em, "message", full);
	if (!remedy)
		em_null(c->em, "remedy");
	em_detail_end(c->em);
	if (remedy)
		em_str(c->em, "remedy", remedy);
	em_obj_end(c->em);
	if (full != msg)
		free(full);
	free(msg);
	rm_free(rm);
}

/* ---- targets ---- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Add PCI device or mdev @name once; a name that is neither a canonical
 * PCI address nor a UUID (from a hostile capture: "..", "../../etc") is
 * no device: -EBADMSG. */
static int add_name(char ***v, size_t *n, const char *name)
{
	char **nv;

	if (!vi_name_ok(VI_NAME_BDF, name) && !vi_name_ok(VI_NAME_UUID, name))
		return -EBADMSG;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	(*v)[(*n)++] = vi_strdup(name);
	return 0;
}

/* PCI device names for @arg, which need not be bound to VFIO. */
static int doctor_resolve(struct vi_backend *be, const char *arg, char ***v, size_t *n)
{
	char bdf[16], *path;
	const char *name = arg;
	char buf[4096];

	if (strncmp(arg, "/dev/vfio/devices/", 18) == 0 ||
	    (strncmp(arg, "vfio", 4) == 0 && all_digits(arg + 4))) {
		char *rel = vi_asprintf("class/vfio-dev/%s/device", vi_basename(arg)), *l = NULL;
		int r = be->ops->readlink(be, VI_NS_SYS, rel, &l);

		free(rel);
		if (r == 0)
			r = add_name(v, n, vi_basename(l));
		free(l);
		return r;
	}
	if (strncmp(arg, "/dev/vfio/", 10) == 0)
		name = arg + 10;
	if (strncmp(name, "noiommu-", 8) == 0)
		name += 8;
	if (all_digits(name)) {
		char **devs = NULL;
		size_t nd = 0;
		int r = vi_group_devices(be, name, &devs, &nd);

		for (size_t i = 0; r == 0 && i < nd; i++) {
			char *p = vi_asprintf("kernel/iommu_groups/%s/devices/%s/driver", name,
					      devs[i]), *l = NULL;

			/* the group's bridges are not targets: their children are */
			if (be->ops->readlink(be, VI_NS_SYS, p, &l) != 0 ||
			    vi_driver_kind(vi_basename(l)) != VI_DRV_BRIDGE)
				r = add_name(v, n, devs[i]);
			if (r == -EBADMSG)
				r = 0;	/* a member that is no PCI device */
			free(l);
			free(p);
		}
		vi_names_free(devs, nd);
		return r;
	}
	if (strncmp(arg, "/sys/", 5) == 0) {
		size_t l;

		snprintf(buf, sizeof(buf), "%s", arg);
		l = strlen(buf);
		while (l > 1 && buf[l - 1] == '/')
			buf[--l] = '\0';
		name = vi_basename(buf);
	}
	if (vi_name_ok(VI_NAME_UUID, name)) {
		/* a mediated device */
		char *rel = vi_asprintf("bus/mdev/devices/%s", name), *l = NULL;
		int r = be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0 ? add_name(v, n, name) :
			-ENOENT;

		free(l);
		free(rel);
		return r;
	}
	if (vi_parse_bdf(name, bdf) != 0)
		return -EINVAL;
	path = vi_pci_path(be, bdf);
	if (!path)
		return -ENOENT;
	free(path);
	return add_name(v, n, bdf);
}

int vi_doctor_run(const struct vi_opts *o, struct vi_backend *be, struct vi_emit *em)
{
	struct dctx c;
	char **names = NULL;
	size_t n = 0;
	int status = VI_EXIT_OK;

	memset(&c, 0, sizeof(c));
	c.be = be;
	c.em = em;
	c.o = o;
	for (int i = 0; i < o->nargs; i++) {
		int r = doctor_resolve(be, o->args[i], &names, &n);

		if (r == -EINVAL) {
			vi_error("'%s' is not a TARGET: give a PCI address (01:00.0), a group "
				 "(12, /dev/vfio/12), a cdev (/dev/vfio/devices/vfio0) or an "
				 "mdev UUID",
				 o->args[i]);
			vi_names_free(names, n);
			return VI_EXIT_USAGE;
		}
		if (r == -EBADMSG) {
			vi_error("no PCI device for %s: sysfs leads to a name that is not a PCI "
				 "address (malformed sysfs or capture)", o->args[i]);
			vi_names_free(names, n);
			return VI_EXIT_NOTFOUND;
		}
		if (r < 0) {
			char msg[512];

			vi_target_notfound(o->args[i], msg, sizeof(msg));
			vi_error("%s", msg);
			vi_names_free(names, n);
			return VI_EXIT_NOTFOUND;
		}
	}
	if (o->all) {
		struct vi_targets t = { NULL, 0 };
		char msg[512];

		if (vi_target_all(be, &t, msg, sizeof(msg)) == 0)
			for (size_t i = 0; i < t.n; i++)
				add_name(&names, &n, t.v[i].name);	/* PCI devices only */
		vi_targets_free(&t);
	}

	c.db = vi_pciids_open();
	c.cmdline = vi_proc_str(be, "cmdline");
	vi_self_load(be, &c.self);
	vi_holders_scan(be, &c.holders);

	em_obj_begin(em, NULL, NULL);
	em_obj_begin(em, "host", "host");
	em_arr_begin(em, "checks", NULL);
	dr_host_checks(&c);
	em_arr_end(em);
	em_obj_end(em);
	em_arr_begin(em, "devices", NULL);
	for (size_t i = 0; i < n; i++)
		dr_device_checks(&c, names[i]);
	em_arr_end(em);
	em_obj_begin(em, "summary", "summary: %u failed, %u warning%s, %u info, %u ok",
		     c.count[V_FAIL], c.count[V_WARN], c.count[V_WARN] == 1 ? "" : "s",
		     c.count[V_INFO], c.count[V_OK]);
	em_detail_begin(em);
	for (int v = 0; v < V_N; v++)
		em_u64(em, verdict_word[v], c.count[v]);
	em_detail_end(em);
	em_str(em, "result", c.count[V_FAIL] ? "fail" : c.count[V_WARN] ? "warn" : "ok");
	em_obj_end(em);
	em_obj_end(em);

	if (c.count[V_FAIL])
		status = VI_EXIT_CHECK;
	vi_names_free(names, n);
	vi_holders_free(&c.holders);
	vi_pciids_close(c.db);
	free(c.cmdline);
	dr_pool_free();
	return status;
}

int cmd_doctor(struct vi_opts *o)
{
	struct vi_backend *be;
	struct vi_emit *em;
	int status = VI_EXIT_OK;

	if (o->prometheus)	/* metrics, to stdout or -o FILE (prom.c) */
		return vi_prom_doctor(o);
	if (o->output) {
		vi_error("-o/--output belongs to 'capture' and --format=prometheus; doctor writes to standard output");
		return VI_EXIT_USAGE;
	}
	be = vi_open_backend(o, &status);
	if (!be)
		return status;
	em = vi_output_emitter(o);
	status = vi_doctor_run(o, be, em);
	vi_emit_finish(em);
	vi_backend_destroy(be);
	return status;
}

