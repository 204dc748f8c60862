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
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"
#include "pciids.h"
#include "sysfs.h"
#include "util.h"

enum verdict { V_OK, V_INFO, V_WARN, V_FAIL, V_N };

static const char *const verdict_word[V_N] = { "ok", "info", "warn", "fail" };
static const char *const verdict_text[V_N] = { "OK  ", "INFO", "WARN", "FAIL" };

struct dctx {
	struct vi_backend *be;
	struct vi_emit *em;
	const struct vi_opts *o;
	struct vi_pciids *db;
	struct vi_self self;
	struct vi_holders holders;
	char *cmdline;
	unsigned int count[V_N];
	bool intel, amd;	/* DMAR / IVRS tables */
};

static void check(struct dctx *c, const char *name, enum verdict v, char *remedy,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Emit one check; @remedy is malloc'ed (or NULL) and consumed. */
static void check(struct dctx *c, const char *name, enum verdict v, char *remedy,
		  const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->count[v]++;
	em_obj_begin(c->em, NULL, "%s  %-20s %s", verdict_text[v], name, msg);
	em_detail_begin(c->em);
	em_str(c->em, "name", name);
	em_str(c->em, "status", verdict_word[v]);
	em_str(c->em, "message", msg);
	if (!remedy)
		em_null(c->em, "remedy");
	em_detail_end(c->em);
	if (remedy)
		em_str(c->em, "remedy", remedy);
	em_obj_end(c->em);
	free(remedy);
}

/* ---- helpers ---- */

/* The value of kernel parameter @name on the command line ("" when it
 * has none), or NULL when absent; the last occurrence wins. */
static char *cmdline_param(const char *cmdline, const char *name)
{
	size_t n = strlen(name);
	char *res = NULL;

	for (const char *p = cmdline; p && *p;) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len >= n && strncmp(p, name, n) == 0 && (len == n || p[n] == '=')) {
			free(res);
			res = len == n ? vi_strdup("") : strndup(p + n + 1, len - n - 1);
		}
		p += len;
	}
	return res;
}

static bool has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, tok, n) == 0)
			return true;
		p += len;
		if (*p)
			p++;
	}
	return false;
}

/* Y/N/1/0 module parameter: 1, 0, or -1 when absent. */
static int module_bool(struct vi_backend *be, const char *module, const char *param)
{
	char *s = vi_sys_str(be, "module/%s/parameters/%s", module, param);
	int v = -1;

	if (s)
		v = (s[0] == 'Y' || s[0] == 'y' || s[0] == '1');
	free(s);
	return v;
}

static bool module_loaded(struct vi_backend *be, const char *module)
{
	char *rel = vi_asprintf("module/%s", module);
	bool yes = vi_sys_exists(be, rel);

	free(rel);
	return yes;
}

static const char *human(uint64_t v, char *buf, size_t len)
{
	return vi_human_size(v, buf, len);
}

/* ---- host checks ---- */

static void check_iommu(struct dctx *c)
{
	char **units = NULL, **groups = NULL, *intel, *amd, *iommu;
	size_t nu = 0, ng = 0;
	bool acpi = vi_sys_exists(c->be, "firmware/acpi");
	char list[512] = "";
	bool off;

	c->intel = vi_sys_exists(c->be, "firmware/acpi/tables/DMAR");
	c->amd = vi_sys_exists(c->be, "firmware/acpi/tables/IVRS");
	if (c->intel || c->amd)
		check(c, "iommu-firmware", V_OK, NULL, "ACPI %s table present (%s)",
		      c->intel ? "DMAR" : "IVRS", c->intel ? "Intel VT-d" : "AMD-Vi");
	else if (!acpi)
		check(c, "iommu-firmware", V_INFO, NULL, "no ACPI tables visible: not an "
		      "ACPI platform, or /sys/firmware is not mounted here");
	else
		check(c, "iommu-firmware", V_WARN,
		      vi_strdup("enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup"),
		      "no DMAR or IVRS ACPI table: the firmware announces no x86 IOMMU");

	intel = cmdline_param(c->cmdline, "intel_iommu");
	amd = cmdline_param(c->cmdline, "amd_iommu");
	iommu = cmdline_param(c->cmdline, "iommu");
	off = (intel && has_token(intel, "off")) || (amd && has_token(amd, "off")) ||
	      (iommu && strcmp(iommu, "off") == 0);

	c->be->ops->list_dir(c->be, VI_NS_SYS, "class/iommu", &units, &nu);
	for (size_t i = 0; i < nu; i++) {
		size_t l = strlen(list);

		snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "", units[i]);
	}
	if (nu)
		check(c, "iommu", V_OK, NULL, "IOMMU enabled: %zu unit%s (%s)", nu,
		      nu == 1 ? "" : "s", list);
	else if (off)
		check(c, "iommu", V_FAIL,
		      vi_strdup("remove intel_iommu=off / amd_iommu=off / iommu=off from the "
				"kernel command line"),
		      "no IOMMU is enabled: the kernel command line turns it off");
	else
		check(c, "iommu", V_FAIL,
		      vi_strdup(c->amd ? "check amd_iommu= and iommu= on the kernel command line, "
				"and that AMD-Vi is enabled in the firmware" :
				"add intel_iommu=on to the kernel command line (Intel), and enable "
				"VT-d in the firmware"),
		      "no IOMMU is enabled: /sys/class/iommu is empty");

	if (intel || amd || iommu) {
		char p[256];

		snprintf(p, sizeof(p), "%s%s%s%s%s%s%s%s%s", intel ? "intel_iommu=" : "",
			 intel ? intel : "", intel ? " " : "", amd ? "amd_iommu=" : "",
			 amd ? amd : "", amd ? " " : "", iommu ? "iommu=" : "",
			 iommu ? iommu : "", iommu ? " " : "");
		if (*p && p[strlen(p) - 1] == ' ')
			p[strlen(p) - 1] = '\0';
		if (off)
			check(c, "iommu-cmdline", V_FAIL,
			      vi_strdup("remove the 'off' setting from the kernel command line"),
			      "%s: the IOMMU is turned off", p);
		else if (iommu && strcmp(iommu, "pt") == 0)
			check(c, "iommu-cmdline", V_OK, NULL, "%s: host devices use identity "
			      "(passthrough) domains; VFIO devices are still isolated", p);
		else
			check(c, "iommu-cmdline", V_OK, NULL, "%s", p);
	} else {
		check(c, "iommu-cmdline", V_INFO, NULL, "no intel_iommu=, amd_iommu= or iommu= "
		      "on the kernel command line: the kernel's built-in default applies");
	}

	vi_groups_list(c->be, &groups, &ng);
	if (ng)
		check(c, "iommu-groups", V_OK, NULL, "%zu IOMMU group%s", ng, ng == 1 ? "" : "s");
	else
		check(c, "iommu-groups", V_FAIL,
		      vi_strdup(c->amd ? "enable AMD-Vi in the firmware; check amd_iommu=" :
				"add intel_iommu=on to the kernel command line"),
		      "IOMMU appears to be disabled in kernel: /sys/kernel/iommu_groups is empty");

	free(intel);
	free(amd);
	free(iommu);
	vi_names_free(units, nu);
	vi_names_free(groups, ng);
}

static void check_irq_remap(struct dctx *c)
{
	char **units = NULL;
	size_t nu = 0, known = 0, without = 0;
	char missing[256] = "", *intremap = cmdline_param(c->cmdline, "intremap");
	int unsafe = module_bool(c->be, "vfio_iommu_type1", "allow_unsafe_interrupts");

	c->be->ops->list_dir(c->be, VI_NS_SYS, "class/iommu", &units, &nu);
	for (size_t i = 0; i < nu; i++) {
		char *ecap = vi_sys_str(c->be, "class/iommu/%s/intel-iommu/ecap", units[i]);

		if (ecap) {
			known++;
			if (!(strtoull(ecap, NULL, 16) & (1ULL << 3))) {
				size_t l = strlen(missing);

				without++;
				snprintf(missing + l, sizeof(missing) - l, "%s%s", l ? ", " : "",
					 units[i]);
			}
			free(ecap);
		}
	}
	if (intremap && strcmp(intremap, "off") == 0) {
		check(c, "interrupt-remapping", unsafe == 1 ? V_WARN : V_FAIL,
		      vi_strdup("remove intremap=off from the kernel command line"),
		      "intremap=off: interrupt remapping is disabled%s", unsafe == 1 ?
		      ", and allow_unsafe_interrupts=Y lets VFIO run without it" :
		      ": No interrupt remapping support; VFIO refuses to attach groups");
	} else if (without) {
		check(c, "interrupt-remapping", unsafe == 1 ? V_WARN : V_FAIL,
		      vi_strdup("use hardware with interrupt remapping; or, accepting MSI "
				"injection by the device: vfio_iommu_type1.allow_unsafe_interrupts=1"),
		      "%s lack%s interrupt remapping (ecap IR bit clear): No interrupt remapping "
		      "support%s", missing, without == 1 ? "s" : "", unsafe == 1 ?
		      "; allow_unsafe_interrupts=Y overrides it" : "");
	} else if (known) {
		check(c, "interrupt-remapping", V_OK, NULL, "supported by %s (ecap IR bit set)",
		      known == 1 ? units[0] : "every DMAR unit");
	} else if (nu) {
		check(c, "interrupt-remapping", V_INFO, NULL, "this IOMMU does not show interrupt "
		      "remapping in sysfs (AMD-Vi, SMMU): look for 'IRQ remapping' in dmesg");
	}
	if (unsafe == 1)
		check(c, "unsafe-interrupts", V_WARN,
		      vi_strdup("remove vfio_iommu_type1.allow_unsafe_interrupts=1 unless the "
				"hardware really has no interrupt remapping"),
		      "UNSAFE: vfio_iommu_type1 allow_unsafe_interrupts=Y: an assigned device "
		      "can inject interrupts into the host");
	vi_names_free(units, nu);
	free(intremap);
}

static void check_modules(struct dctx *c)
{
	static const char *const mods[] = { "vfio", "vfio_pci", "vfio_pci_core",
					    "vfio_iommu_type1", "iommufd", NULL };
	char have[256] = "";
	int noiommu = module_bool(c->be, "vfio", "enable_unsafe_noiommu_mode");

	for (int i = 0; mods[i]; i++)
		if (module_loaded(c->be, mods[i])) {
			size_t l = strlen(have);

			snprintf(have + l, sizeof(have) - l, "%s%s", l ? " " : "", mods[i]);
		}
	if (!module_loaded(c->be, "vfio"))
		check(c, "vfio-modules", V_FAIL, vi_strdup("modprobe vfio-pci"),
		      "the vfio module is not loaded%s%s", *have ? "; loaded: " : "", have);
	else if (!module_loaded(c->be, "vfio_pci") && !module_loaded(c->be, "vfio_pci_core"))
		check(c, "vfio-modules", V_WARN, vi_strdup("modprobe vfio-pci"),
		      "vfio-pci is not loaded (loaded: %s)", have);
	else
		check(c, "vfio-modules", V_OK, NULL, "loaded: %s", have);

	if (noiommu == 1)
		check(c, "noiommu", V_WARN,
		      vi_strdup("unless this is intended: modprobe -r vfio-pci vfio; or "
				"vfio.enable_unsafe_noiommu_mode=0"),
		      "UNSAFE: vfio enable_unsafe_noiommu_mode=Y: devices without an IOMMU get "
		      "/dev/vfio/noiommu-N with no DMA isolation, need CAP_SYS_RAWIO, and "
		      "cannot use iommufd");
	else if (noiommu == 0)
		check(c, "noiommu", V_OK, NULL, "noiommu mode is off");
}

static void node_line(struct dctx *c, const char *rel, char *buf, size_t len, bool *rw)
{
	struct vi_nodeinfo st;
	char m[64];

	*rw = false;
	if (c->be->ops->stat_node(c->be, VI_NS_DEV, rel, &st) < 0) {
		snprintf(buf, len, "/dev/%s missing", rel);
		return;
	}
	*rw = vi_self_can_rw(&c->self, &st);
	snprintf(buf, len, "/dev/%s %s%s", rel, vi_mode_str(&st, m, sizeof(m)),
		 *rw ? "" : " (no access for you)");
}

static void check_interfaces(struct dctx *c)
{
	char a[160], b[160];
	bool legacy, iommufd;
	bool have_legacy = c->be->ops->stat_node(c->be, VI_NS_DEV, "vfio/vfio",
						 &(struct vi_nodeinfo){ 0 }) == 0;
	bool have_iommufd = c->be->ops->stat_node(c->be, VI_NS_DEV, "iommu",
						  &(struct vi_nodeinfo){ 0 }) == 0;

	node_line(c, "vfio/vfio", a, sizeof(a), &legacy);
	node_line(c, "iommu", b, sizeof(b), &iommufd);
	if (!have_legacy && !have_iommufd)
		check(c, "interfaces", V_FAIL, vi_strdup("modprobe vfio-pci"),
		      "neither /dev/vfio/vfio (legacy container) nor /dev/iommu (iommufd) exists");
	else if (!legacy && !iommufd)
		check(c, "interfaces", V_FAIL,
		      vi_strdup("run as root, or give your user access to the node "
				"(udev rule, e.g. KERNEL==\"iommu\", MODE=\"0660\", GROUP=\"kvm\")"),
		      "legacy: %s; iommufd: %s", a, b);
	else
		check(c, "interfaces", V_OK, NULL, "legacy: %s; iommufd: %s", a, b);
}

static void check_memlock(struct dctx *c)
{
	char h[32];

	if (!c->self.memlock_known) {
		check(c, "memlock", V_INFO, NULL, "RLIMIT_MEMLOCK unknown (/proc/self/limits "
		      "unreadable)");
	} else if (c->self.memlock_unlimited) {
		check(c, "memlock", V_OK, NULL, "RLIMIT_MEMLOCK unlimited");
	} else if (c->self.capeff & (1ULL << VI_CAP_IPC_LOCK)) {
		check(c, "memlock", V_OK, NULL, "RLIMIT_MEMLOCK %s, but CAP_IPC_LOCK lifts it",
		      human(c->self.memlock, h, sizeof(h)));
	} else if (c->self.memlock < (64ULL << 20)) {
		check(c, "memlock", V_WARN,
		      vi_strdup("raise it for the VMM's user: ulimit -l, LimitMEMLOCK= "
				"(systemd), or /etc/security/limits.conf memlock"),
		      "RLIMIT_MEMLOCK %s: type1 pins all DMA-mapped guest RAM, so mapping fails "
		      "with 'RLIMIT_MEMLOCK exceeded' / ENOMEM beyond it",
		      human(c->self.memlock, h, sizeof(h)));
	} else {
		check(c, "memlock", V_INFO, NULL, "RLIMIT_MEMLOCK %s: type1 pins guest RAM, "
		      "so it must exceed the guest's RAM (iommufd accounts per user)",
		      human(c->self.memlock, h, sizeof(h)));
	}
}

/* ---- device checks ---- */

static char *rebind_remedy(const struct vi_pcidev *d)
{
	if (d->driver)
		return vi_asprintf("driverctl set-override %s vfio-pci  (or: echo vfio-pci > "
				   "/sys/bus/pci/devices/%s/driver_override; echo %s > "
				   "/sys/bus/pci/drivers/%s/unbind; echo %s > "
				   "/sys/bus/pci/drivers_probe)", d->name, d->name, d->name,
				   d->driver, d->name);
	return vi_asprintf("driverctl set-override %s vfio-pci  (or: echo vfio-pci > "
			   "/sys/bus/pci/devices/%s/driver_override; echo %s > "
			   "/sys/bus/pci/drivers_probe)", d->name, d->name, d->name);
}

static void check_driver(struct dctx *c, const struct vi_pcidev *d)
{
	const char *ovr = d->driver_override && *d->driver_override ? d->driver_override : NULL;

	switch (d->kind) {
	case VI_DRV_VFIO:
		check(c, "driver", V_OK, NULL, "bound to %s", d->driver);
		break;
	case VI_DRV_NONE:
		check(c, "driver", V_FAIL, rebind_remedy(d), "not bound to any driver%s%s",
		      ovr ? "; driver_override is " : "", ovr ? ovr : "");
		break;
	case VI_DRV_BRIDGE:
		check(c, "driver", V_FAIL, NULL, "bound to %s: a PCIe port is not assigned to "
		      "guests; assign the devices below it", d->driver);
		break;
	default:
		check(c, "driver", V_FAIL, rebind_remedy(d), "bound to %s, not to a VFIO "
		      "driver%s%s", d->driver, ovr ? "; driver_override is " : "",
		      ovr ? ovr : "");
		break;
	}
}

static void check_group(struct dctx *c, const struct vi_pcidev *d)
{
	char **names = NULL, *type;
	size_t n = 0, nblock = 0;
	char ok[1024] = "", bad[1024] = "", *remedy = NULL;

	if (!d->group) {
		check(c, "iommu-group", V_FAIL,
		      vi_strdup("enable the IOMMU (see the iommu checks); without one, only "
				"the unsafe vfio.enable_unsafe_noiommu_mode=1 works"),
		      "%s has no IOMMU group: no iommu_group found", d->name);
		return;
	}
	if (d->noiommu)
		check(c, "iommu-group", V_WARN, NULL, "UNSAFE: group %s is a noiommu group "
		      "(/dev/vfio/noiommu-%s): no DMA isolation, CAP_SYS_RAWIO needed",
		      d->group, d->group);
	type = vi_group_type(c->be, d->group);
	if (!d->noiommu) {
		if (!type)
			check(c, "iommu-group", V_OK, NULL, "group %s", d->group);
		else if (strcmp(type, "identity") == 0)
			check(c, "iommu-group", V_OK, NULL, "group %s, default domain identity "
			      "(passthrough, e.g. iommu=pt): VFIO attaches its own domain", d->group);
		else if (strcmp(type, "blocked") == 0)
			check(c, "iommu-group", V_INFO, NULL, "group %s, default domain blocked",
			      d->group);
		else
			check(c, "iommu-group", V_OK, NULL, "group %s, default domain %s",
			      d->group, type);
	}
	free(type);

	vi_group_devices(c->be, d->group, &names, &n);
	for (size_t i = 0; i < n; i++) {
		char *path = vi_asprintf("kernel/iommu_groups/%s/devices/%s", d->group, names[i]);
		char *drv = NULL;
		enum vi_drvkind k;
		char *l = NULL;
		char *rel = vi_asprintf("%s/driver", path);

		if (c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0)
			drv = vi_strdup(vi_basename(l));
		free(l);
		free(rel);
		k = vi_driver_kind(drv);
		if (vi_driver_blocks(k) && strcmp(names[i], d->name) != 0) {
			size_t o = strlen(bad);
			char *r = remedy;

			nblock++;
			snprintf(bad + o, sizeof(bad) - o, "%s%s is bound to %s", o ? "; " : "",
				 names[i], drv);
			remedy = vi_asprintf("%s%sdriverctl set-override %s vfio-pci", r ? r : "",
					     r ? "; " : "", names[i]);
			free(r);
		} else if (strcmp(names[i], d->name) != 0 && !vi_driver_blocks(k)) {
			size_t o = strlen(ok);

			snprintf(ok + o, sizeof(ok) - o, "%s%s %s", o ? ", " : "", names[i],
				 k == VI_DRV_NONE ? "unbound" : k == VI_DRV_BRIDGE ?
				 "pcieport, no DMA" : k == VI_DRV_STUB ? "pci-stub, no DMA" : drv);
		}
		free(drv);
		free(path);
	}
	if (nblock)
		check(c, "group-viable", V_FAIL, remedy, "group %s is not viable: %s. Please "
		      "ensure all devices within the iommu_group are bound to their vfio bus "
		      "driver.", d->group, bad);
	else if (n <= 1)
		check(c, "group-viable", V_OK, NULL, "group %s%s: %s is its only member",
		      d->group, d->kind == VI_DRV_VFIO ? " is viable" : "", d->name);
	else
		check(c, "group-viable", V_OK, NULL, "group %s%s; other members: %s", d->group,
		      d->kind == VI_DRV_VFIO ? " is viable" : ": no other member blocks", ok);
	if (nblock == 0)
		free(remedy);
	vi_names_free(names, n);
}

/* /dev node vs the devnum sysfs announces, access, holders. */
static void check_nodes(struct dctx *c, const struct vi_pcidev *d)
{
	struct vi_nodeinfo st;
	char m[64];

	if (d->group && d->kind == VI_DRV_VFIO) {
		char *rel = vi_asprintf("vfio/%s%s", d->noiommu ? "noiommu-" : "", d->group);
		char *node = vi_asprintf("/dev/%s", rel);
		char *dev = vi_sys_str(c->be, "class/vfio/%s%s/dev", d->noiommu ? "noiommu-" : "",
				       d->group);

		if (c->be->ops->stat_node(c->be, VI_NS_DEV, rel, &st) < 0) {
			check(c, "group-node", V_FAIL, vi_strdup("check udev; reload vfio-pci"),
			      "%s does not exist", node);
		} else {
			char want[32];

			snprintf(want, sizeof(want), "%u:%u", st.major, st.minor);
			if (dev && strcmp(dev, want) != 0)
				check(c, "group-node", V_FAIL, vi_asprintf("rm %s; udevadm trigger",
									   node),
				      "%s is %s but the kernel's group is %s: a stale node", node,
				      want, dev);
			else if (!vi_self_can_rw(&c->self, &st))
				check(c, "group-node", V_FAIL,
				      vi_asprintf("run as root, or give the VMM's user access: chown "
						  "USER %s (persist with a udev rule: SUBSYSTEM==\"vfio\", "
						  "OWNER=\"USER\")", node),
				      "no permission to open %s (%s) as uid %u", node,
				      vi_mode_str(&st, m, sizeof(m)), c->self.uid);
			else
				check(c, "group-node", V_OK, NULL, "%s %s, readable and writable "
				      "by you", node, vi_mode_str(&st, m, sizeof(m)));
			if (d->noiommu && c->self.known &&
			    !(c->self.capeff & (1ULL << VI_CAP_SYS_RAWIO)))
				check(c, "group-node", V_FAIL, vi_strdup("run as root, or setcap "
									 "cap_sys_rawio+ep on the program"),
				      "opening a noiommu group needs CAP_SYS_RAWIO, which you lack");
		}
		for (size_t i = 0; i < c->holders.n; i++)
			if (strcmp(c->holders.v[i].node, node) == 0)
				check(c, "busy", V_FAIL,
				      vi_asprintf("stop pid %s, or use the device from it",
						  c->holders.v[i].pid),
				      "%s is held open by pid %s (%s): opening it fails with EBUSY "
				      "(Device or resource busy)", node, c->holders.v[i].pid,
				      c->holders.v[i].comm ? c->holders.v[i].comm : "?");
		free(dev);
		free(rel);
		free(node);
	}
	if (d->cdev) {
		char *rel = vi_asprintf("vfio/devices/%s", d->cdev);
		char *node = vi_asprintf("/dev/%s", rel);

		if (c->be->ops->stat_node(c->be, VI_NS_DEV, rel, &st) < 0)
			check(c, "cdev", V_WARN, vi_strdup("check udev"), "%s is registered but "
			      "%s does not exist", d->cdev, node);
		else if (!vi_self_can_rw(&c->self, &st))
			check(c, "cdev", V_WARN, vi_asprintf("run as root or chown USER %s", node),
			      "no permission to open %s (%s)", node, vi_mode_str(&st, m, sizeof(m)));
		else
			check(c, "cdev", V_OK, NULL, "%s %s: the iommufd path is available%s",
			      node, vi_mode_str(&st, m, sizeof(m)), d->noiommu ?
			      " (but iommufd has no noiommu support)" : "");
		for (size_t i = 0; i < c->holders.n; i++)
			if (strcmp(c->holders.v[i].node, node) == 0)
				check(c, "busy", V_WARN, NULL, "%s is held open by pid %s (%s)",
				      node, c->holders.v[i].pid,
				      c->holders.v[i].comm ? c->holders.v[i].comm : "?");
		free(rel);
		free(node);
	} else if (d->kind == VI_DRV_VFIO && d->noiommu) {
		/* vfio registers noiommu devices without a character device */
		check(c, "cdev", V_INFO, NULL, "no device cdev: the kernel gives noiommu devices "
		      "none, only the group node");
	} else if (d->kind == VI_DRV_VFIO) {
		check(c, "cdev", V_INFO, NULL, "no device cdev (kernel older than 6.6 or without "
		      "CONFIG_VFIO_DEVICE_CDEV): only the group/container path");
	}
}

static void check_reset(struct dctx *c, const struct vi_pcidev *d)
{
	unsigned int exp = vi_pci_cap(d->config, d->config_len, 0x10);
	unsigned int af = vi_pci_cap(d->config, d->config_len, 0x13);
	unsigned int pm = vi_pci_cap(d->config, d->config_len, 0x01);
	bool flr = exp && (vi_cfg_read(d->config, d->config_len, exp + 4, 4) & (1u << 28));
	bool afflr = af && (vi_cfg_read(d->config, d->config_len, af + 3, 1) & 0x02);
	bool nosoft = pm && (vi_cfg_read(d->config, d->config_len, pm + 4, 2) & 0x08);
	char ev[128];

	snprintf(ev, sizeof(ev), "%s%s%s", flr ? " FLR in DevCap;" : "",
		 afflr ? " AF FLR;" : "", pm ? (nosoft ? " PM NoSoftRst+;" : " PM NoSoftRst-;") : "");
	if (*ev)
		ev[strlen(ev) - 1] = '\0';
	if (!d->config)
		snprintf(ev, sizeof(ev), " config space not readable");

	if (d->reset_method && *d->reset_method)
		check(c, "reset", V_OK, NULL, "reset_method: %s (evidence:%s)", d->reset_method,
		      *ev ? ev : " none");
	else if (d->reset_method)
		check(c, "reset", V_WARN,
		      vi_strdup("the guest cannot reset it between boots; for GPUs see the "
				"vendor-reset module"),
		      "no reset method (reset_method is empty): vfio: Cannot reset device %s, no "
		      "available reset mechanism.", d->name);
	else if (flr || afflr || (pm && !nosoft) || d->parent)
		check(c, "reset", V_OK, NULL, "no reset_method attribute (kernel before 5.15); "
		      "capabilities:%s%s", *ev ? ev : " none", d->parent ? "; bus reset through "
		      "the parent bridge" : "");
	else if (d->config)
		check(c, "reset", V_WARN, NULL, "no FLR, no PM reset and no parent bridge: no "
		      "available reset mechanism");
}

static void check_hot_reset(struct dctx *c, const struct vi_pcidev *d)
{
	char *dir, **names = NULL, *slash;
	size_t n = 0, other = 0, same = 0;
	char list[1024] = "";

	if (!d->real)
		return;
	if (!d->parent) {
		check(c, "hot-reset", V_INFO, NULL, "on a root bus: no secondary bus reset, only "
		      "function-level resets");
		return;
	}
	dir = vi_strdup(d->real);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	c->be->ops->list_dir(c->be, VI_NS_SYS, dir, &names, &n);
	for (size_t i = 0; i < n; i++) {
		char bdf[16], *path, *grp, *drv;

		if (vi_parse_bdf(names[i], bdf) || strcmp(bdf, names[i]) ||
		    strcmp(names[i], d->name) == 0)
			continue;
		path = vi_asprintf("%s/%s", dir, names[i]);
		{
			char *rel = vi_asprintf("%s/iommu_group", path), *l = NULL;

			grp = c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0 ?
			      vi_strdup(vi_basename(l)) : NULL;
			free(l);
			free(rel);
			rel = vi_asprintf("%s/driver", path);
			l = NULL;
			drv = c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0 ?
			      vi_strdup(vi_basename(l)) : NULL;
			free(l);
			free(rel);
		}
		if (grp && d->group && strcmp(grp, d->group) == 0) {
			same++;
		} else {
			size_t o = strlen(list);

			other++;
			snprintf(list + o, sizeof(list) - o, "%s%s (group %s, %s)", o ? ", " : "",
				 names[i], grp ? grp : "none", drv ? drv : "unbound");
		}
		free(grp);
		free(drv);
		free(path);
	}
	if (other)
		check(c, "hot-reset", V_WARN, NULL, "a bus reset below %s also resets %s: the "
		      "user must own those groups too (QEMU: 'depends on group N which is not "
		      "owned')", d->parent, list);
	else
		check(c, "hot-reset", V_OK, NULL, "a bus reset below %s affects %s", d->parent,
		      same ? "only devices of this group" : "only this device");
	vi_names_free(names, n);
	free(dir);
}

/* A function that fell off the bus or sits in D3cold reads all ones.  The
 * IDs alone do not tell: a VF's Vendor and Device ID read 0xffff by
 * definition (SR-IOV), so the whole header must be ones. */
static bool cfg_all_ones(const struct vi_pcidev *d)
{
	size_t n = d->config_len < 64 ? d->config_len : 64;

	if (!d->config || n < 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (d->config[i] != 0xff)
			return false;
	return true;
}

static void check_power(struct dctx *c, const struct vi_pcidev *d)
{
	int idle = module_bool(c->be, "vfio_pci", "disable_idle_d3");
	bool dead = cfg_all_ones(d);

	if (dead || (d->power_state && strcmp(d->power_state, "D3cold") == 0))
		check(c, "power", V_FAIL,
		      vi_asprintf("echo on > /sys/bus/pci/devices/%s/power/control; or "
				  "vfio_pci.disable_idle_d3=1; or echo 0 > "
				  "/sys/bus/pci/devices/%s/d3cold_allowed", d->name, d->name),
		      "%s: Unable to change power state from D3cold to D0, device "
		      "inaccessible", dead ? "config space reads all 0xff (fell off the bus "
					     "or in D3cold)" : "the device is in D3cold");
	else if (d->power_state)
		check(c, "power", d->power_state[1] == '3' ? V_INFO : V_OK, NULL,
		      "power_state %s%s%s%s%s%s", d->power_state,
		      d->d3cold_allowed >= 0 ? ", d3cold_allowed " : "",
		      d->d3cold_allowed == 1 ? "1" : d->d3cold_allowed == 0 ? "0" : "",
		      d->power_control ? ", power/control " : "",
		      d->power_control ? d->power_control : "",
		      idle == 1 ? ", vfio_pci disable_idle_d3=Y" :
		      d->power_state[1] == '3' && d->kind == VI_DRV_VFIO ?
		      " (vfio-pci idles unused devices in D3hot: normal)" : "");
}

struct iomem_ent {
	uint64_t start, end;
	char name[64];
};

static void check_iomem(struct dctx *c, const struct vi_pcidev *d)
{
	static const char *const fbs[] = { "BOOTFB", "simpledrm", "efifb", "vesafb",
					   "simple-framebuffer", "efi-framebuffer",
					   "vesa-framebuffer", NULL };
	char *text = vi_proc_str(c->be, "iomem");
	char found[512] = "";
	bool zeros = true, any = false;

	if (!text) {
		check(c, "bar-conflicts", V_INFO, NULL, "/proc/iomem unreadable: not checked");
		return;
	}
	for (char *p = text; p && *p;) {
		char *e = strchr(p, '\n');
		uint64_t s, t;
		char name[128];

		if (e)
			*e = '\0';
		if (sscanf(p, " %" SCNx64 "-%" SCNx64 " : %127[^\n]", &s, &t, name) == 3) {
			any = true;
			if (s || t)
				zeros = false;
			for (int i = 0; fbs[i]; i++) {
				if (strcmp(name, fbs[i]) != 0 && strncmp(name, fbs[i],
									 strlen(fbs[i])) != 0)
					continue;
				for (int b = 0; b < d->nres && b < 6; b++) {
					const struct vi_bar *r = &d->res[b];

					if (!(r->flags & VI_RES_MEM) || r->end <= r->start)
						continue;
					if (s <= r->end && t >= r->start) {
						size_t o = strlen(found);

						snprintf(found + o, sizeof(found) - o,
							 "%s%s [%" PRIx64 "-%" PRIx64 "] inside BAR %d",
							 o ? "; " : "", name, s, t, b);
					}
				}
			}
		}
		p = e ? e + 1 : NULL;
	}
	free(text);
	if (any && zeros)
		check(c, "bar-conflicts", V_INFO, NULL, "/proc/iomem shows no addresses to "
		      "this user: run as root to check for boot framebuffers in the BARs");
	else if (*found)
		check(c, "bar-conflicts", V_FAIL,
		      vi_strdup("keep the host off the GPU: video=efifb:off, or "
				"initcall_blacklist=sysfb_init (simpledrm), on the kernel command line"),
		      "%s: vfio-pci cannot reserve the BAR (\"BAR N: can't reserve [mem ...]\")",
		      found);
	else
		check(c, "bar-conflicts", V_OK, NULL, "no boot framebuffer in the BARs");
}

static void check_bars(struct dctx *c, const struct vi_pcidev *d)
{
	uint64_t total = 0, high = 0, largest = 0;
	unsigned int rebar = vi_pci_ext_cap(d->config, d->config_len, 0x15);
	char a[32], b[32], t[32];
	int nbar = 0;

	for (int i = 0; i < d->nres && i < 6; i++) {
		const struct vi_bar *r = &d->res[i];
		uint64_t sz = r->end > r->start ? r->end - r->start + 1 : 0;

		if (!sz || !(r->flags & VI_RES_MEM))
			continue;
		nbar++;
		total += sz;
		if (r->flags & VI_RES_MEM64)
			high += sz;
		if (sz > largest)
			largest = sz;
	}
	if (!nbar)
		return;
	if (rebar) {
		uint32_t cap = vi_cfg_read(d->config, d->config_len, rebar + 4, 4);
		uint32_t ctl = vi_cfg_read(d->config, d->config_len, rebar + 8, 4);
		int maxbit = -1;

		for (int i = 4; i < 32; i++)
			if (cap & (1u << i))
				maxbit = i - 4;
		check(c, "bars", largest >= (4ULL << 30) ? V_WARN : V_INFO,
		      vi_strdup("if the VMM or guest firmware cannot place it: disable Resizable "
				"BAR / Above 4G decoding in the firmware, or give the guest a "
				"larger 64-bit MMIO window"),
		      "Resizable BAR: BAR %u is %s, up to %s supported; %d memory BAR%s, %s "
		      "in total", ctl & 7, human(1ULL << (20 + ((ctl >> 8) & 0x3f)), a, sizeof(a)),
		      maxbit >= 0 ? human(1ULL << (20 + maxbit), b, sizeof(b)) : "?", nbar,
		      nbar == 1 ? "" : "s", human(total, t, sizeof(t)));
	} else if (largest >= (4ULL << 30)) {
		check(c, "bars", V_WARN, vi_strdup("give the guest a 64-bit MMIO window large "
						   "enough (e.g. QEMU -global q35-pcihost."
						   "pci-hole64-size=...)"),
		      "a %s BAR: the VMM must place %s of 64-bit BARs above 4 GiB",
		      human(largest, a, sizeof(a)), human(high, b, sizeof(b)));
	} else {
		check(c, "bars", V_OK, NULL, "%d memory BAR%s, %s in total, largest %s", nbar,
		      nbar == 1 ? "" : "s", human(total, a, sizeof(a)),
		      human(largest, b, sizeof(b)));
	}
	if (d->boot_vga == 1)
		check(c, "boot-vga", V_WARN,
		      vi_strdup("use another GPU for the host console, or video=efifb:off / "
				"initcall_blacklist=sysfb_init, and pass the GPU's ROM to the VMM"),
		      "%s is the boot VGA device: the firmware framebuffer and host console "
		      "use it", d->name);
}

static void check_acs(struct dctx *c, const struct vi_pcidev *d)
{
	char *ovr = cmdline_param(c->cmdline, "pcie_acs_override");
	char *cfg_acs = cmdline_param(c->cmdline, "config_acs");
	char missing[512] = "", *copy, *save = NULL;
	int ports = 0;

	if (ovr)
		check(c, "acs", V_WARN,
		      vi_strdup("remove pcie_acs_override= unless you accept devices that can "
				"reach each other's memory"),
		      "UNSAFE: pcie_acs_override=%s splits IOMMU groups without real isolation",
		      ovr);
	if (!d->real) {
		free(ovr);
		free(cfg_acs);
		return;
	}
	copy = vi_strdup(d->real);
	for (char *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		char bdf[16];
		uint8_t *cfg = NULL;
		size_t len = 0;
		char *rel;
		unsigned int exp, acs, type;

		if (vi_parse_bdf(t, bdf) || strcmp(bdf, t) || strcmp(t, d->name) == 0)
			continue;
		rel = vi_asprintf("bus/pci/devices/%s/config", t);
		if (c->be->ops->read_file(c->be, VI_NS_SYS, rel, (char **)&cfg, &len) < 0) {
			free(rel);
			continue;
		}
		free(rel);
		exp = vi_pci_cap(cfg, len, 0x10);
		type = exp ? (vi_cfg_read(cfg, len, exp + 2, 2) >> 4) & 0xf : 0;
		if (exp && (type == 4 || type == 6)) {
			uint32_t ctl;

			ports++;
			acs = vi_pci_ext_cap(cfg, len, 0x0d);
			ctl = acs ? vi_cfg_read(cfg, len, acs + 6, 2) : 0;
			if (!acs || (ctl & 0x1d) != 0x1d) {
				size_t o = strlen(missing);

				snprintf(missing + o, sizeof(missing) - o, "%s%s (%s port: %s)",
					 o ? ", " : "", t, type == 4 ? "root" : "downstream",
					 acs ? "ACS not fully enabled" : "no ACS capability");
			}
		}
		free(cfg);
	}
	free(copy);
	if (*missing)
		check(c, "acs", V_INFO, NULL, "no ACS isolation at %s: devices below share an "
		      "IOMMU group%s", missing, cfg_acs ? " (config_acs= is set)" : "");
	else if (ports)
		check(c, "acs", V_OK, NULL, "ACS enabled on every port above %s", d->name);
	else if (!d->parent)
		check(c, "acs", V_OK, NULL, "on a root bus: isolation is up to the root complex "
		      "(multi-function devices need ACS)");
	free(ovr);
	free(cfg_acs);
}

static void check_sriov(struct dctx *c, const struct vi_pcidev *d)
{
	if (d->physfn) {
		char *rel = vi_asprintf("bus/pci/devices/%s/driver", d->physfn), *l = NULL;
		char *pfdrv = NULL;

		if (c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0)
			pfdrv = vi_strdup(vi_basename(l));
		free(l);
		free(rel);
		if (vi_driver_kind(pfdrv) == VI_DRV_VFIO)
			check(c, "sriov", c->o->vf_token ? V_OK : V_WARN,
			      c->o->vf_token ? NULL :
			      vi_strdup("open with --vf-token UUID: the token the PF's user set "
					"(QEMU: -device vfio-pci,host=...,vf-token=UUID)"),
			      "VF of %s, which is bound to %s: opening needs the PF's VF token%s",
			      d->physfn, pfdrv, c->o->vf_token ? " (given)" : "");
		else
			check(c, "sriov", V_OK, NULL, "VF of %s (PF driver %s): no VF token needed",
			      d->physfn, pfdrv ? pfdrv : "none");
		free(pfdrv);
	} else if (d->sriov_totalvfs > 0) {
		int en = module_bool(c->be, "vfio_pci", "enable_sriov");

		if (d->kind == VI_DRV_VFIO && d->sriov_numvfs > 0)
			check(c, "sriov", V_INFO, NULL, "PF with %d of %d VFs enabled, bound to %s: "
			      "its user must set a VF token (VFIO_DEVICE_FEATURE_PCI_VF_TOKEN) for "
			      "the VFs' users", d->sriov_numvfs, d->sriov_totalvfs, d->driver);
		else if (d->kind == VI_DRV_VFIO && en != 1)
			check(c, "sriov", V_INFO, vi_strdup("load vfio-pci with enable_sriov=1"),
			      "PF (%d VFs possible) bound to vfio-pci, which cannot enable VFs "
			      "without enable_sriov=1", d->sriov_totalvfs);
		else
			check(c, "sriov", V_OK, NULL, "PF with %d of %d VFs enabled",
			      d->sriov_numvfs > 0 ? d->sriov_numvfs : 0, d->sriov_totalvfs);
		if (c->o->vf_token && d->sriov_numvfs <= 0)
			check(c, "sriov", V_WARN, vi_strdup("drop --vf-token"),
			      "a VF token was given but this device has no VFs: "
			      "GET_DEVICE_FD will fail with it");
	} else if (c->o->vf_token) {
		check(c, "sriov", V_WARN, vi_strdup("drop --vf-token"),
		      "a VF token was given for a device that is neither a VF nor a PF: "
		      "GET_DEVICE_FD will fail with it");
	}
}

/* ---- --probe: the real ioctls ---- */

struct probe_state {
	char msg[1024];
	int err;
	unsigned int n;
};

static void probe_report(void *ctx, int err, const char *msg)
{
	struct probe_state *ps = ctx;

	if (!ps->n++) {
		ps->err = err;
		snprintf(ps->msg, sizeof(ps->msg), "%s", msg);
	}
}

static void check_probe(struct dctx *c, const struct vi_pcidev *d)
{
	struct vi_devref ref = { 0 };
	struct vi_targets t = { &ref, 1 }, found = { NULL, 0 };
	struct vi_inspect_opts io;
	char msg[512];
	struct probe_state ps = { "", 0, 0 };
	struct vi_emit *em;
	FILE *null;
	int r;

	if (d->kind != VI_DRV_VFIO) {
		check(c, "probe", V_FAIL, NULL, "not probed: %s is not bound to a VFIO driver",
		      d->name);
		return;
	}
	null = fopen("/dev/null", "w");
	if (!null) {
		check(c, "probe", V_FAIL, NULL, "cannot open /dev/null: %s", strerror(errno));
		return;
	}
	/* the backend's own view of the device (as dump opens it), else sysfs's */
	if (vi_target_resolve(c->be, d->name, &found, msg, sizeof(msg)) == 0 && found.n) {
		ref.group = vi_strdup(found.v[0].group);
		ref.cdev = vi_strdup(found.v[0].cdev);
	} else {
		ref.group = d->group ? vi_asprintf("%s%s", d->noiommu ? "noiommu-" : "",
						   d->group) : NULL;
		ref.cdev = vi_strdup(d->cdev);
	}
	vi_targets_free(&found);
	ref.name = d->name;
	memset(&io, 0, sizeof(io));
	io.flow = c->o->flow;
	io.vf_token = c->o->vf_token;
	io.profiles = c->o->profiles;
	io.report = probe_report;
	io.report_ctx = &ps;
	em = vi_emit_new(VI_EMIT_TEXT, null, 0);
	em_obj_begin(em, NULL, NULL);
	r = vi_inspect(c->be, em, &t, &io);
	em_obj_end(em);
	vi_emit_finish(em);
	fclose(null);
	free(ref.group);
	free(ref.cdev);
	if (r < 0 || ps.n)
		check(c, "probe", V_FAIL, NULL, "the kernel refused: %s%s", ps.msg[0] ? ps.msg :
		      strerror(-r), ps.n > 1 ? " (and more failures)" : "");
	else
		check(c, "probe", V_OK, NULL, "opened %s through the kernel (%s): every info "
		      "query answered", d->name, c->o->flow == VI_FLOW_CDEV ? "cdev + iommufd" :
		      c->o->flow == VI_FLOW_LEGACY ? "group + container" : "automatic flow");
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

static int add_name(char ***v, size_t *n, const char *name)
{
	char **nv;

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
	if (vi_parse_bdf(name, bdf) != 0)
		return -EINVAL;
	path = vi_pci_path(be, bdf);
	if (!path)
		return -ENOENT;
	free(path);
	return add_name(v, n, bdf);
}

/* ---- the command ---- */

static void device_checks(struct dctx *c, const char *name)
{
	struct vi_pcidev d;
	char *path = vi_pci_path(c->be, name), *desc;

	if (!path || vi_pci_load(c->be, path, name, &d) < 0) {
		free(path);
		return;
	}
	desc = vi_pci_describe(c->db, &d);
	em_obj_begin(c->em, NULL, "%s %s", d.name, desc ? desc : "");
	free(desc);
	vi_emit_pci_identity(c->em, c->db, &d);
	em_arr_begin(c->em, "checks", NULL);
	check_driver(c, &d);
	check_group(c, &d);
	check_nodes(c, &d);
	check_sriov(c, &d);
	check_reset(c, &d);
	check_hot_reset(c, &d);
	check_power(c, &d);
	check_iomem(c, &d);
	check_bars(c, &d);
	check_acs(c, &d);
	if (c->o->probe)
		check_probe(c, &d);
	em_arr_end(c->em);
	em_obj_end(c->em);
	vi_pci_free(&d);
	free(path);
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
				 "(12, /dev/vfio/12) or a cdev (/dev/vfio/devices/vfio0)",
				 o->args[i]);
			vi_names_free(names, n);
			return VI_EXIT_USAGE;
		}
		if (r < 0) {
			vi_error("no device %s: list devices with 'vfio-info list'", o->args[i]);
			vi_names_free(names, n);
			return VI_EXIT_NOTFOUND;
		}
	}
	if (o->all) {
		struct vi_targets t = { NULL, 0 };
		char msg[512];

		if (vi_target_all(be, &t, msg, sizeof(msg)) == 0)
			for (size_t i = 0; i < t.n; i++)
				add_name(&names, &n, t.v[i].name);
		vi_targets_free(&t);
	}

	c.db = vi_pciids_open();
	c.cmdline = vi_proc_str(be, "cmdline");
	vi_self_load(be, &c.self);
	vi_holders_scan(be, &c.holders);

	em_obj_begin(em, NULL, NULL);
	em_detail_begin(em);
	em_u64(em, "vfio-info", 1);
	em_detail_end(em);
	em_obj_begin(em, "host", "host");
	em_arr_begin(em, "checks", NULL);
	check_iommu(&c);
	check_irq_remap(&c);
	check_modules(&c);
	check_interfaces(&c);
	check_memlock(&c);
	em_arr_end(em);
	em_obj_end(em);
	em_arr_begin(em, "devices", NULL);
	for (size_t i = 0; i < n; i++)
		device_checks(&c, names[i]);
	em_arr_end(em);
	em_obj_begin(em, "summary", "summary: %u failed, %u warning%s, %u ok",
		     c.count[V_FAIL], c.count[V_WARN], c.count[V_WARN] == 1 ? "" : "s",
		     c.count[V_OK]);
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
	return status;
}

/* capture --host: what list and doctor read, recorded by @be; output dropped. */
int vi_capture_host(const struct vi_opts *o, struct vi_backend *be)
{
	struct vi_opts lo = *o;
	FILE *null = fopen("/dev/null", "w");
	struct vi_emit *em;

	if (!null)
		return -errno;
	lo.nargs = 0;
	lo.probe = false;
	em = vi_emit_new(VI_EMIT_TEXT, null, 0);
	vi_list_run(&lo, be, em);
	vi_emit_finish(em);
	lo = *o;
	lo.probe = false;
	em = vi_emit_new(VI_EMIT_TEXT, null, 0);
	vi_doctor_run(&lo, be, em);
	vi_emit_finish(em);
	fclose(null);
	return 0;
}

int cmd_doctor(struct vi_opts *o)
{
	struct vi_backend *be;
	struct vi_emit *em;
	int status = VI_EXIT_OK;

	if (o->output) {
		vi_error("-o/--output belongs to 'capture'; doctor writes to standard output");
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
