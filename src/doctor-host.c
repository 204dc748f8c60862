// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor-host.c - doctor's host checks (IOMMU, interrupt remapping, vfio
 * modules, /dev interfaces, memlock), and where doctor runs: a virtual
 * machine gets the hypervisor-side remedy for a missing IOMMU, a kernel
 * with module loading disabled gets no modprobe.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "util.h"

/* ---- helpers ---- */

char *cmdline_param(const char *cmdline, const char *name)
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

int module_bool(struct vi_backend *be, const char *module, const char *param)
{
	char *s = vi_sys_str(be, "module/%s/parameters/%s", module, param);
	int v = -1;

	if (s)
		v = (s[0] == 'Y' || s[0] == 'y' || s[0] == '1');
	free(s);
	return v;
}

bool module_loaded(struct vi_backend *be, const char *module)
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

/* ---- where doctor runs ---- */

enum dr_hv { HV_NONE, HV_QEMU, HV_VMWARE, HV_CLOUD, HV_OTHER };

/* DMI strings hypervisors and clouds put in their guests' firmware
 * tables (/sys/class/dmi/id), matched as prefixes. */
static const struct {
	const char *field;	/* file in class/dmi/id */
	const char *prefix;
	const char *name;	/* for the message */
	enum dr_hv kind;
} dmi_vms[] = {
	{ "sys_vendor", "QEMU", "QEMU", HV_QEMU },
	{ "product_name", "KVM", "KVM", HV_QEMU },
	{ "sys_vendor", "Red Hat", "KVM (Red Hat)", HV_QEMU },
	{ "product_name", "OpenStack", "OpenStack", HV_CLOUD },
	{ "sys_vendor", "OpenStack", "OpenStack", HV_CLOUD },
	{ "sys_vendor", "VMware", "VMware", HV_VMWARE },
	{ "product_name", "VMware", "VMware", HV_VMWARE },
	{ "sys_vendor", "innotek GmbH", "VirtualBox", HV_OTHER },
	{ "product_name", "VirtualBox", "VirtualBox", HV_OTHER },
	{ "sys_vendor", "Xen", "Xen", HV_OTHER },
	{ "product_name", "HVM domU", "Xen", HV_OTHER },
	{ "product_name", "Virtual Machine", "Hyper-V", HV_OTHER },
	{ "sys_vendor", "Parallels", "Parallels", HV_OTHER },
	{ "sys_vendor", "BHYVE", "bhyve", HV_OTHER },
	{ "sys_vendor", "Cloud Hypervisor", "Cloud Hypervisor", HV_OTHER },
	{ "sys_vendor", "Amazon EC2", "Amazon EC2", HV_CLOUD },
	{ "product_name", "Google Compute Engine", "Google Compute Engine", HV_CLOUD },
	{ "sys_vendor", "Alibaba Cloud", "Alibaba Cloud", HV_CLOUD },
	{ "sys_vendor", "DigitalOcean", "DigitalOcean", HV_CLOUD },
	{ "sys_vendor", "Hetzner", "Hetzner", HV_CLOUD },
	{ "board_vendor", "QEMU", "QEMU", HV_QEMU },
	{ NULL, NULL, NULL, HV_NONE }
};

static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = line; p && *p;) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* The first "flags" line of /proc/cpuinfo (x86): 1 with the hypervisor
 * flag, 0 without, -1 when there is none. */
static int cpuinfo_hypervisor(struct dctx *c)
{
	char *text = vi_proc_str(c->be, "cpuinfo");
	int res = -1;

	for (char *p = text; p && *p;) {
		char *e = strchr(p, '\n'), *colon;

		if (e)
			*e = '\0';
		colon = strchr(p, ':');
		if (strncmp(p, "flags", 5) == 0 && strchr(" \t:", p[5]) && colon) {
			res = has_word(colon + 1, "hypervisor");
			break;
		}
		p = e ? e + 1 : NULL;
	}
	free(text);
	return res;
}

enum fact dr_vm(struct dctx *c)
{
	static const char *const fields[] = { "sys_vendor", "product_name", "board_vendor" };
	char *dmi[3], *s;
	bool any_dmi = false;
	int flag;

	if (c->vm != F_UNREAD)
		return c->vm;
	c->vm = F_UNKNOWN;
	c->hv = HV_NONE;
	/* DMI first: it names the hypervisor or cloud */
	for (int f = 0; f < 3; f++) {
		dmi[f] = vi_sys_str(c->be, "class/dmi/id/%s", fields[f]);
		any_dmi |= dmi[f] != NULL;
	}
	for (int i = 0; dmi_vms[i].field && c->vm != F_YES; i++) {
		for (int f = 0; f < 3; f++) {
			if (strcmp(fields[f], dmi_vms[i].field) != 0 || !dmi[f] ||
			    strncmp(dmi[f], dmi_vms[i].prefix, strlen(dmi_vms[i].prefix)) != 0)
				continue;
			/* an EC2 bare-metal instance is no VM */
			if (dmi_vms[i].kind == HV_CLOUD && dmi[1] && strstr(dmi[1], ".metal"))
				continue;
			snprintf(c->vm_why, sizeof(c->vm_why), "%s: DMI %s '%s'", dmi_vms[i].name,
				 fields[f], shown(dmi[f]));
			c->hv = dmi_vms[i].kind;
			c->vm = F_YES;
		}
	}
	for (int f = 0; f < 3; f++)
		free(dmi[f]);
	if (c->vm == F_YES)
		return c->vm;
	s = vi_sys_str(c->be, "hypervisor/type");
	if (s && *s) {
		snprintf(c->vm_why, sizeof(c->vm_why), "/sys/hypervisor/type '%s'", shown(s));
		c->hv = HV_OTHER;
		c->vm = F_YES;
		free(s);
		return c->vm;
	}
	free(s);
	if (vi_sys_exists(c->be, "firmware/devicetree/base/hypervisor")) {
		snprintf(c->vm_why, sizeof(c->vm_why), "a hypervisor node in the device tree");
		c->hv = HV_OTHER;
		c->vm = F_YES;
		return c->vm;
	}
	flag = cpuinfo_hypervisor(c);
	if (flag == 1) {
		snprintf(c->vm_why, sizeof(c->vm_why), "the CPU's hypervisor flag");
		c->hv = HV_OTHER;
		c->vm = F_YES;
	} else if (flag == 0) {
		/* x86 without the flag; DMI, when readable, named no hypervisor */
		snprintf(c->vm_why, sizeof(c->vm_why), "no hypervisor flag%s", any_dmi ?
			 " or hypervisor DMI strings" : "");
		c->vm = F_NO;
	}
	return c->vm;
}

/* QEMU's virtual IOMMU for the guest's architecture. */
static const char *qemu_iommu(struct dctx *c)
{
	struct vi_hostinfo hi;

	memset(&hi, 0, sizeof(hi));
	c->be->ops->host_info(c->be, &hi);
	if (strcmp(hi.machine, "aarch64") == 0)
		return "QEMU: -machine virt,iommu=smmuv3, or -device virtio-iommu-pci";
	return "QEMU: -machine q35,kernel-irqchip=split -device intel-iommu,intremap=on "
	       "and intel_iommu=on in the guest, or -device virtio-iommu-pci; libvirt: "
	       "<iommu model='intel'><driver intremap='on'/></iommu>";
}

struct remedy *dr_vm_iommu_remedy(struct dctx *c)
{
	switch (c->hv) {
	case HV_QEMU:
		return RM(NULL, RL("give the virtual machine a virtual IOMMU ("),
			  RL(qemu_iommu(c)), RL(")"));
	case HV_VMWARE:
		return rm_text("give the virtual machine a virtual IOMMU: 'Expose IOMMU to the "
			       "guest OS' (vSphere) or 'Virtualize IOMMU' (Workstation) in its "
			       "CPU settings");
	case HV_CLOUD:
		return rm_text("a cloud virtual machine has a virtual IOMMU only where the "
			       "provider offers one (often only bare-metal instances): see the "
			       "provider's documentation");
	default:
		return RM(NULL, RL("give the virtual machine a virtual IOMMU in the hypervisor ("),
			  RL(qemu_iommu(c)), RL("), or see the hypervisor's documentation"));
	}
}

struct remedy *dr_vm_intremap_remedy(struct dctx *c)
{
	if (c->hv == HV_QEMU || c->hv == HV_OTHER)
		return rm_text("turn on the virtual IOMMU's interrupt remapping in the "
			       "hypervisor (QEMU: -device intel-iommu,intremap=on with "
			       "-machine kernel-irqchip=split)");
	return rm_text("turn on the virtual IOMMU's interrupt remapping in the hypervisor: "
		       "see its documentation");
}

/* No DMAR/IVRS/VIOT table on an ACPI platform. */
static void firmware_missing(struct dctx *c)
{
	switch (dr_vm(c)) {
	case F_YES:
		check(c, "iommu-firmware", V_WARN, dr_vm_iommu_remedy(c),
		      "no DMAR, IVRS or VIOT ACPI table: this virtual machine (%s) has no "
		      "virtual IOMMU", c->vm_why);
		break;
	case F_NO:
		check(c, "iommu-firmware", V_WARN,
		      rm_text("enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup"),
		      "no DMAR or IVRS ACPI table: the firmware announces no x86 IOMMU");
		break;
	default:
		check(c, "iommu-firmware", V_WARN,
		      rm_text("enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; "
			      "in a virtual machine, the hypervisor must give it a virtual IOMMU "
			      "instead (QEMU: -device intel-iommu,intremap=on)"),
		      "no DMAR or IVRS ACPI table: the firmware announces no x86 IOMMU (whether "
		      "this is a virtual machine is unknown: no DMI, device tree or cpuinfo "
		      "evidence)");
		break;
	}
}

enum fact dr_modules_off(struct dctx *c)
{
	char *s, *nomod;

	if (c->modules_off != F_UNREAD)
		return c->modules_off;
	/* nomodule sets kernel.modules_disabled at boot */
	nomod = cmdline_param(c->cmdline, "nomodule");
	s = vi_proc_str(c->be, "sys/kernel/modules_disabled");
	c->modules_off = F_NO;
	if (nomod) {
		c->nomodule = true;
		c->modules_off = F_YES;
		snprintf(c->modules_why, sizeof(c->modules_why), "module loading is disabled "
			 "(nomodule on the kernel command line)");
	} else if (s && strcmp(s, "1") == 0) {
		c->modules_off = F_YES;
		snprintf(c->modules_why, sizeof(c->modules_why), "module loading is disabled "
			 "(kernel.modules_disabled=1, which only a reboot clears)");
	}
	free(nomod);
	free(s);
	return c->modules_off;
}

struct remedy *dr_modprobe(struct dctx *c, const char *module)
{
	if (dr_modules_off(c) != F_YES)
		return RM(NULL, RL("modprobe "), RN(VI_NAME_MODULE, module));
	if (c->nomodule)
		return RM(NULL, RN(VI_NAME_MODULE, module), RL(" cannot be loaded: boot without "
			  "nomodule, or a kernel with it built in"));
	return RM(NULL, RN(VI_NAME_MODULE, module), RL(" cannot be loaded until reboot: load "
		  "it at boot before kernel.modules_disabled is set (e.g. list it in "
		  "/etc/modules-load.d/)"));
}

/* ---- host checks ---- */

static void check_iommu(struct dctx *c)
{
	char **units = NULL, **groups = NULL, *intel, *amd, *iommu;
	size_t nu = 0, ng = 0, bad = 0;
	char badname[VI_MSG_NAME_MAX + 1] = "";
	bool acpi = vi_sys_exists(c->be, "firmware/acpi");
	char list[512] = "";
	bool off;

	c->intel = vi_sys_exists(c->be, "firmware/acpi/tables/DMAR");
	c->amd = vi_sys_exists(c->be, "firmware/acpi/tables/IVRS");
	if (c->intel || c->amd)
		check(c, "iommu-firmware", V_OK, NULL, "ACPI %s table present (%s)",
		      c->intel ? "DMAR" : "IVRS", c->intel ? "Intel VT-d" : "AMD-Vi");
	else if (acpi && vi_sys_exists(c->be, "firmware/acpi/tables/VIOT"))
		check(c, "iommu-firmware", V_OK, NULL, "ACPI VIOT table present (virtio-iommu)");
	else if (!acpi)
		check(c, "iommu-firmware", V_INFO, NULL, "no ACPI tables visible: not an "
		      "ACPI platform, or /sys/firmware is not mounted here");
	else
		firmware_missing(c);

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
	c->iommu_failed = !nu;
	if (nu)
		check(c, "iommu", V_OK, NULL, "IOMMU enabled: %zu unit%s (%s)", nu,
		      nu == 1 ? "" : "s", list);
	else if (off)
		check(c, "iommu", V_FAIL,
		      rm_text("remove intel_iommu=off / amd_iommu=off / iommu=off from the "
			      "kernel command line"),
		      "no IOMMU is enabled: the kernel command line turns it off");
	else if (!c->intel && !c->amd && dr_vm(c) == F_YES)
		check(c, "iommu", V_FAIL, dr_vm_iommu_remedy(c), "no IOMMU is enabled: "
		      "/sys/class/iommu is empty, and this virtual machine (%s) was given no "
		      "IOMMU by its hypervisor", c->vm_why);
	else
		check(c, "iommu", V_FAIL,
		      rm_text(c->amd ? "check amd_iommu= and iommu= on the kernel command line, "
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
		if (off && c->iommu_failed)
			/* the iommu check has counted this failure */
			check(c, "iommu-cmdline", V_INFO, NULL, "%s: the IOMMU is turned off "
			      "(the iommu failure above)", p);
		else if (off)
			check(c, "iommu-cmdline", V_FAIL,
			      rm_text("remove the 'off' setting from the kernel command line"),
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
	for (size_t i = 0; i < ng; i++)
		if (!vi_name_ok(VI_NAME_GROUP, groups[i]) && !bad++)
			snprintf(badname, sizeof(badname), "%s", shown(groups[i]));
	if (bad)
		check(c, "iommu-groups", V_WARN, NULL, "%zu IOMMU group%s, and %zu entr%s that "
		      "%s not a group number ('%s'%s): malformed sysfs or capture", ng - bad,
		      ng - bad == 1 ? "" : "s", bad, bad == 1 ? "y" : "ies", bad == 1 ? "is" : "are",
		      badname, bad > 1 ? ", ..." : "");
	else if (ng)
		check(c, "iommu-groups", V_OK, NULL, "%zu IOMMU group%s", ng, ng == 1 ? "" : "s");
	else if (c->iommu_failed)
		check(c, "iommu-groups", V_INFO, NULL, "IOMMU appears to be disabled in kernel: "
		      "/sys/kernel/iommu_groups is empty (the iommu failure above)");
	else
		check(c, "iommu-groups", V_FAIL,
		      rm_text(c->amd ? "enable AMD-Vi in the firmware; check amd_iommu=" :
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
		      rm_text("remove intremap=off from the kernel command line"),
		      "intremap=off: interrupt remapping is disabled%s", unsafe == 1 ?
		      ", and allow_unsafe_interrupts=Y lets VFIO run without it" :
		      ": No interrupt remapping support; VFIO refuses to attach groups");
	} else if (without) {
		bool vm = dr_vm(c) == F_YES;

		check(c, "interrupt-remapping", unsafe == 1 ? V_WARN : V_FAIL,
		      vm ? dr_vm_intremap_remedy(c) :
		      rm_text("use hardware with interrupt remapping; or, accepting MSI "
			      "injection by the device: vfio_iommu_type1.allow_unsafe_interrupts=1"),
		      "%s lack%s interrupt remapping (ecap IR bit clear): No interrupt remapping "
		      "support%s%s%s%s", missing, without == 1 ? "s" : "", unsafe == 1 ?
		      "; allow_unsafe_interrupts=Y overrides it" : "",
		      vm ? "; the IOMMU is the hypervisor's (a virtual machine: " : "",
		      vm ? c->vm_why : "", vm ? ")" : "");
	} else if (known) {
		check(c, "interrupt-remapping", V_OK, NULL, "supported by %s (ecap IR bit set)",
		      known == 1 ? units[0] : "every DMAR unit");
	} else if (nu) {
		check(c, "interrupt-remapping", V_INFO, NULL, "this IOMMU does not show interrupt "
		      "remapping in sysfs (AMD-Vi, SMMU): look for 'IRQ remapping' in dmesg");
	}
	if (unsafe == 1)
		check(c, "unsafe-interrupts", V_WARN,
		      rm_text("remove vfio_iommu_type1.allow_unsafe_interrupts=1 unless the "
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
	c->vfio_missing = !module_loaded(c->be, "vfio");
	if (c->vfio_missing)
		check(c, "vfio-modules", V_FAIL, dr_modprobe(c, "vfio-pci"),
		      "the vfio module is not loaded%s%s%s%s", *have ? "; loaded: " : "", have,
		      dr_modules_off(c) == F_YES ? "; " : "",
		      dr_modules_off(c) == F_YES ? c->modules_why : "");
	else if (!module_loaded(c->be, "vfio_pci") && !module_loaded(c->be, "vfio_pci_core"))
		check(c, "vfio-modules", V_WARN, dr_modprobe(c, "vfio-pci"),
		      "vfio-pci is not loaded (loaded: %s)%s%s", have,
		      dr_modules_off(c) == F_YES ? "; " : "",
		      dr_modules_off(c) == F_YES ? c->modules_why : "");
	else
		check(c, "vfio-modules", V_OK, NULL, "loaded: %s", have);

	if (noiommu == 1)
		check(c, "noiommu", V_WARN,
		      dr_modules_off(c) == F_YES ?
		      rm_text("unless this is intended: vfio.enable_unsafe_noiommu_mode=0 on the "
			      "kernel command line, and reboot (module loading is disabled: "
			      "vfio cannot be reloaded)") :
		      rm_text("unless this is intended: modprobe -r vfio-pci vfio; or "
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
	if (!have_legacy && !have_iommufd && c->vfio_missing)
		/* the vfio-modules check has counted this failure */
		check(c, "interfaces", V_INFO, NULL, "neither /dev/vfio/vfio (legacy container) "
		      "nor /dev/iommu (iommufd) exists (the vfio-modules failure above)");
	else if (!have_legacy && !have_iommufd)
		check(c, "interfaces", V_FAIL, dr_modprobe(c, "vfio-pci"),
		      "neither /dev/vfio/vfio (legacy container) nor /dev/iommu (iommufd) exists");
	else if (!legacy && !iommufd)
		check(c, "interfaces", V_FAIL,
		      rm_text("run as root, or give your user access to the node "
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
		      rm_text("raise it for the VMM's user: ulimit -l, LimitMEMLOCK= "
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


void dr_host_checks(struct dctx *c)
{
	check_iommu(c);
	check_irq_remap(c);
	check_modules(c);
	check_interfaces(c);
	check_memlock(c);
}
