// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-capture-host.c - what `capture --host` records besides the kernel's
 * answers: everything list, doctor and --all read, for every PCI device
 * of the host (not only those on a VFIO driver), so that `doctor` on any
 * of them answers from the capture as it would live.
 *
 * Everything is read through the recording backend, which keeps what it
 * is asked (and, of a few procfs files, only the lines that matter:
 * backend-record.c).  The outputs of the runs are thrown away.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "safe.h"
#include "target.h"
#include "util.h"

/* Read and forget: the recorder keeps it. */
static void touch_file(struct vi_backend *be, enum vi_ns ns, const char *rel)
{
	char *buf = NULL;
	size_t len = 0;

	if (be->ops->read_file(be, ns, rel, &buf, &len) == 0)
		free(buf);
}

static void touch_link(struct vi_backend *be, const char *rel)
{
	char *l = NULL;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0)
		free(l);
}

static void touch_dir(struct vi_backend *be, const char *rel, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	if (be->ops->list_dir(be, VI_NS_SYS, rel, names, n) < 0) {
		*names = NULL;
		*n = 0;
	}
}

/* Does doctor take @arg as a TARGET (a PCI address, group, cdev or sysfs
 * path)?  Others (a platform name, an mdev UUID) it refuses, so they are
 * not run through it. */
static bool doctor_form(const char *arg)
{
	const char *s = arg;
	char bdf[16];

	if (strncmp(s, "/dev/vfio/devices/", 18) == 0)
		return true;
	if (strncmp(s, "/dev/vfio/", 10) == 0)
		s += 10;
	if (strncmp(s, "noiommu-", 8) == 0)
		s += 8;
	if (*s && strspn(s, "0123456789") == strlen(s))
		return true;
	if (strncmp(s, "vfio", 4) == 0 && s[4] && strspn(s + 4, "0123456789") == strlen(s + 4))
		return true;
	if (strncmp(arg, "/sys/", 5) == 0) {
		char *copy = vi_strdup(arg);
		size_t l = strlen(copy);
		bool ok;

		while (l > 1 && copy[l - 1] == '/')
			copy[--l] = '\0';
		ok = vi_parse_bdf(vi_basename(copy), bdf) == 0;
		free(copy);
		return ok;
	}
	return vi_parse_bdf(arg, bdf) == 0;
}

static void run_doctor(const struct vi_opts *o, struct vi_backend *be, FILE *null,
		       char **args, int nargs, bool all)
{
	struct vi_opts lo = *o;
	struct vi_emit *em = vi_emit_new(VI_EMIT_TEXT, null, 0);

	lo.args = args;
	lo.nargs = nargs;
	lo.all = all;
	lo.probe = false;
	vi_doctor_run(&lo, be, em);
	vi_emit_finish(em);
}

/*
 * Where the host runs and what a remedy would take away from it:
 * DMI vendor and product (not serial numbers or UUIDs), the hypervisor
 * type and device-tree compatibles, the CPU's flags, whether modules may
 * be loaded, each PCI device's network interfaces and block devices with
 * their numbers, the default routes and the block-device mounts.
 */
static void host_environment(struct vi_backend *be, char **pci, size_t npci)
{
	static const char *const sys_files[] = {
		"class/dmi/id/sys_vendor", "class/dmi/id/product_name",
		"class/dmi/id/board_vendor", "hypervisor/type",
		"firmware/devicetree/base/compatible",
		"firmware/devicetree/base/hypervisor/compatible", NULL
	};
	static const char *const proc_files[] = {
		"cpuinfo", "sys/kernel/modules_disabled", "cmdline", "net/route", "net/ipv6_route",
		"self/mountinfo", "mounts", NULL
	};
	char **names;
	size_t n;

	for (int i = 0; sys_files[i]; i++)
		touch_file(be, VI_NS_SYS, sys_files[i]);
	for (int i = 0; proc_files[i]; i++)
		touch_file(be, VI_NS_PROC, proc_files[i]);
	for (size_t i = 0; i < npci; i++) {
		char *rel = vi_asprintf("bus/pci/devices/%s/net", pci[i]);

		touch_dir(be, rel, &names, &n);
		vi_names_free(names, n);
		free(rel);
	}
	/* interfaces and block devices (partitions too) lead to their
	 * device through their class link; "dev" is the block numbers
	 * that /proc/self/mountinfo names */
	touch_dir(be, "class/net", &names, &n);
	for (size_t i = 0; i < n; i++) {
		char *rel = vi_asprintf("class/net/%s", names[i]);

		touch_link(be, rel);
		free(rel);
	}
	vi_names_free(names, n);
	touch_dir(be, "class/block", &names, &n);
	for (size_t i = 0; i < n; i++) {
		char *rel = vi_asprintf("class/block/%s", names[i]);
		char *dev = vi_asprintf("class/block/%s/dev", names[i]);

		touch_link(be, rel);
		touch_file(be, VI_NS_SYS, dev);
		free(dev);
		free(rel);
	}
	vi_names_free(names, n);
}

/*
 * A capture of an mdev also keeps what `list` and `doctor UUID` read
 * (the groups, the mdev parents and types, the instance's sysfs), so
 * that both replay from it as they ran live: the mdev has no PCI config
 * space to stand for its identity, and its parent's facts are all a
 * reader has of it.
 */
void vi_capture_mdev_facts(const struct vi_opts *o, struct vi_backend *be,
			   const struct vi_targets *t)
{
	struct vi_opts lo = *o;
	struct vi_emit *em;
	bool any = false;
	FILE *null;

	for (size_t i = 0; i < t->n; i++) {
		char *rel, *l = NULL;

		if (!vi_name_ok(VI_NAME_UUID, t->v[i].name))
			continue;
		rel = vi_asprintf("bus/mdev/devices/%s", t->v[i].name);
		if (be->ops->readlink(be, VI_NS_SYS, rel, &l) == 0) {
			if (!any && (null = fopen("/dev/null", "w")) != NULL) {
				lo.nargs = 0;
				lo.args = NULL;
				em = vi_emit_new(VI_EMIT_TEXT, null, 0);
				vi_list_run(&lo, be, em);
				vi_emit_finish(em);
				any = true;
				fclose(null);
			}
			null = fopen("/dev/null", "w");
			if (null) {
				run_doctor(o, be, null, &t->v[i].name, 1, false);
				fclose(null);
			}
		}
		free(l);
		free(rel);
	}
}

int vi_capture_host_facts(const struct vi_opts *o, struct vi_backend *be)
{
	struct vi_opts lo = *o;
	struct vi_targets all = { NULL, 0 };
	FILE *null = fopen("/dev/null", "w");
	struct vi_emit *em;
	char **pci = NULL, msg[256];
	size_t npci = 0;

	if (!null)
		return -errno;
	/* list: every group */
	lo.nargs = 0;
	lo.args = NULL;
	em = vi_emit_new(VI_EMIT_TEXT, null, 0);
	vi_list_run(&lo, be, em);
	vi_emit_finish(em);
	/* --all: the sysfs walk it makes (the devices on VFIO drivers) */
	vi_target_all(be, &all, msg, sizeof(msg));
	vi_targets_free(&all);
	/* doctor: each TARGET as given (a group, a cdev: what they lead
	 * to), one by one so that one doctor refuses cannot stop the rest;
	 * then every PCI device, on whatever driver, and --all */
	for (int i = 0; i < o->nargs; i++)
		if (doctor_form(o->args[i]))
			run_doctor(o, be, null, &o->args[i], 1, false);
	touch_dir(be, "bus/pci/devices", &pci, &npci);
	run_doctor(o, be, null, pci, (int)npci, true);
	host_environment(be, pci, npci);
	vi_names_free(pci, npci);
	fclose(null);
	return 0;
}
