// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor-device.c - doctor's checks of one PCI device: driver, IOMMU
 * group and its viability, /dev nodes and their holders, SR-IOV, reset,
 * power, BARs, ACS, and with --probe the kernel's own answer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-io.h"
#include "doctor.h"
#include "identity.h"
#include "pciids.h"
#include "util.h"

/* ---- device checks ---- */

/* The module of driver @ovr is loaded (or built in): "vfio-pci" is
 * module vfio_pci. */
static bool override_driver_present(struct dctx *c, const char *ovr)
{
	char mod[65];
	size_t i;

	if (!vi_name_ok(VI_NAME_DRIVER, ovr) || strlen(ovr) >= sizeof(mod))
		return false;
	for (i = 0; ovr[i]; i++)
		mod[i] = ovr[i] == '-' ? '_' : ovr[i];
	mod[i] = '\0';
	return module_loaded(c->be, mod);
}

static void check_driver(struct dctx *c, const struct vi_pcidev *d)
{
	const char *ovr = d->driver_override && *d->driver_override ? d->driver_override : NULL;
	if (d->driver && !vi_name_ok(VI_NAME_DRIVER, d->driver)) {
		/* a name no kernel gives a driver: nothing about it is trusted */
		check(c, "driver", V_FAIL, dr_rebind(c, d), "bound to a driver whose name is not "
		      "a driver name: malformed sysfs or capture");
		return;
	}
	switch (d->kind) {
	case VI_DRV_VFIO:
		check(c, "driver", V_OK, NULL, "bound to %s", d->driver);
		break;
	case VI_DRV_NONE:
		if (ovr && vi_driver_kind(ovr) == VI_DRV_VFIO && !d->group &&
		    override_driver_present(c, ovr)) {
			/* vfio-pci refuses a device without an IOMMU group: a
			 * rebind cannot help, the iommu-group failure is the cause */
			check(c, "driver", V_INFO, NULL, "not bound to any driver; driver_override "
			      "is %s, which cannot bind a device without an IOMMU group (the "
			      "iommu-group failure below)", shown(ovr));
			break;
		}
		check(c, "driver", V_FAIL, dr_rebind(c, d), "not bound to any driver%s%s",
		      ovr ? "; driver_override is " : "", ovr ? shown(ovr) : "");
		break;
	case VI_DRV_BRIDGE:
		check(c, "driver", V_FAIL, NULL, "bound to %s: a PCIe port is not assigned to "
		      "guests; assign the devices below it", d->driver);
		break;
	default:
		check(c, "driver", V_FAIL, dr_rebind(c, d), "bound to %s, not to a VFIO "
		      "driver%s%s", d->driver, ovr ? "; driver_override is " : "",
		      ovr ? shown(ovr) : "");
		break;
	}
}

/* "devices/pci0000:00/..." that the sysfs link @rel leads to, or NULL. */
static char *dev_real(struct dctx *c, const char *rel)
{
	char *l = NULL, *p, *res = NULL;

	if (c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0) {
		p = strstr(l, "devices/");
		if (p && (p == l || p[-1] == '/'))
			res = vi_path_normalize(p);
	}
	free(l);
	return res;
}

static void check_group(struct dctx *c, const struct vi_pcidev *d, const char *bad_group)
{
	char **names = NULL, *type;
	size_t n = 0, nblock = 0;
	char ok[1024] = "", bad[1024] = "";
	struct remedy *remedy = NULL;

	if (bad_group) {
		check(c, "iommu-group", V_FAIL, NULL, "the iommu_group link of %s ends in '%s', "
		      "which is not an IOMMU group number: malformed sysfs or capture",
		      d->name, shown(bad_group));
		return;
	}
	if (!d->group) {
		check(c, "iommu-group", V_FAIL,
		      rm_text("enable the IOMMU (see the iommu checks); without one, only "
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
			      d->group, shown(type));
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
		if (drv && !vi_name_ok(VI_NAME_DRIVER, drv))
			k = VI_DRV_HOST;	/* no driver name: not trusted to be harmless */
		if (vi_driver_blocks(k) && strcmp(names[i], d->name) != 0) {
			size_t o = strlen(bad);
			char *real = dev_real(c, path);
			struct remedy *one = drv ? dr_host_losses(c, names[i], real) : NULL;

			nblock++;
			snprintf(bad + o, sizeof(bad) - o, "%s%s is bound to %s", o ? "; " : "",
				 shown(names[i]), shown(drv));
			one = RM(one, RL("driverctl set-override "), RN(VI_NAME_BDF, names[i]),
				 RL(" vfio-pci"));
			remedy = rm_join(remedy, one, "; ");
			free(real);
		} else if (strcmp(names[i], d->name) != 0 && !vi_driver_blocks(k)) {
			size_t o = strlen(ok);

			snprintf(ok + o, sizeof(ok) - o, "%s%s %s", o ? ", " : "", shown(names[i]),
				 k == VI_DRV_NONE ? "unbound" : k == VI_DRV_BRIDGE ?
				 "pcieport, no DMA" : k == VI_DRV_STUB ? "pci-stub, no DMA" : shown(drv));
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
		rm_free(remedy);
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
			check(c, "group-node", V_FAIL, dr_modules_off(c) == F_YES ?
			      rm_text("check udev (vfio-pci cannot be reloaded: module loading "
				      "is disabled)") : rm_text("check udev; reload vfio-pci"),
			      "%s does not exist", node);
		} else {
			char want[32];

			snprintf(want, sizeof(want), "%u:%u", st.major, st.minor);
			if (dev && strcmp(dev, want) != 0)
				check(c, "group-node", V_FAIL,
				      RM(NULL, RL("rm /dev/vfio/"), RL(d->noiommu ? "noiommu-" : ""),
					 RN(VI_NAME_GROUP, d->group), RL("; udevadm trigger")),
				      "%s is %s but the kernel's group is %s: a stale node", node,
				      want, shown(dev));
			else if (!vi_self_can_rw(&c->self, &st))
				check(c, "group-node", V_FAIL,
				      RM(NULL, RL("run as root, or give the VMM's user access: chown "
						  "USER /dev/vfio/"), RL(d->noiommu ? "noiommu-" : ""),
					 RN(VI_NAME_GROUP, d->group), RL(" (persist with a udev rule: "
						  "SUBSYSTEM==\"vfio\", OWNER=\"USER\")")),
				      "no permission to open %s (%s) as uid %u", node,
				      vi_mode_str(&st, m, sizeof(m)), c->self.uid);
			else
				check(c, "group-node", V_OK, NULL, "%s %s, readable and writable "
				      "by you", node, vi_mode_str(&st, m, sizeof(m)));
			if (d->noiommu && c->self.known &&
			    !(c->self.capeff & (1ULL << VI_CAP_SYS_RAWIO)))
				check(c, "group-node", V_FAIL, rm_text("run as root, or setcap "
								       "cap_sys_rawio+ep on the program"),
				      "opening a noiommu group needs CAP_SYS_RAWIO, which you lack");
		}
		for (size_t i = 0; i < c->holders.n; i++)
			if (strcmp(c->holders.v[i].node, node) == 0)
				check(c, "busy", V_FAIL,
				      RM(NULL, RL("stop pid "), RN(VI_NAME_PID, c->holders.v[i].pid),
					 RL(", or use the device from it")),
				      "%s is held open by pid %s (%s): opening it fails with EBUSY "
				      "(Device or resource busy)", node, shown(c->holders.v[i].pid),
				      c->holders.v[i].comm ? shown(c->holders.v[i].comm) : "?");
		free(dev);
		free(rel);
		free(node);
	}
	if (d->cdev && !vi_name_ok(VI_NAME_CDEV, d->cdev)) {
		check(c, "cdev", V_WARN, NULL, "the device's vfio-dev entry '%s' is not a VFIO "
		      "device node name (vfioN): malformed sysfs or capture", shown(d->cdev));
	} else if (d->cdev) {
		char *rel = vi_asprintf("vfio/devices/%s", d->cdev);
		char *node = vi_asprintf("/dev/%s", rel);

		if (c->be->ops->stat_node(c->be, VI_NS_DEV, rel, &st) < 0)
			check(c, "cdev", V_WARN, rm_text("check udev"), "%s is registered but "
			      "%s does not exist", d->cdev, node);
		else if (!vi_self_can_rw(&c->self, &st))
			check(c, "cdev", V_WARN, RM(NULL, RL("run as root or chown USER "
							    "/dev/vfio/devices/"),
						   RN(VI_NAME_CDEV, d->cdev)),
			      "no permission to open %s (%s)", node, vi_mode_str(&st, m, sizeof(m)));
		else
			check(c, "cdev", V_OK, NULL, "%s %s: the iommufd path is available%s",
			      node, vi_mode_str(&st, m, sizeof(m)), d->noiommu ?
			      " (but iommufd has no noiommu support)" : "");
		for (size_t i = 0; i < c->holders.n; i++)
			if (strcmp(c->holders.v[i].node, node) == 0)
				check(c, "busy", V_WARN, NULL, "%s is held open by pid %s (%s)",
				      node, shown(c->holders.v[i].pid),
				      c->holders.v[i].comm ? shown(c->holders.v[i].comm) : "?");
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
		check(c, "reset", V_OK, NULL, "reset_method: %s (evidence:%s)", shown(d->reset_method),
		      *ev ? ev : " none");
	else if (d->reset_method)
		check(c, "reset", V_WARN,
		      rm_text("the guest cannot reset it between boots; for GPUs see the "
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
				 shown(names[i]), grp ? shown(grp) : "none",
				 drv ? shown(drv) : "unbound");
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
	/* "D3hot" and the like; an empty or one-letter state is no D3 */
	bool d3 = d->power_state && strncmp(d->power_state, "D3", 2) == 0;

	if (dead || (d->power_state && strcmp(d->power_state, "D3cold") == 0))
		check(c, "power", V_FAIL,
		      RM(NULL, RL("echo on > /sys/bus/pci/devices/"), RN(VI_NAME_BDF, d->name),
			 RL("/power/control; or vfio_pci.disable_idle_d3=1; or echo 0 > "
			    "/sys/bus/pci/devices/"), RN(VI_NAME_BDF, d->name),
			 RL("/d3cold_allowed")),
		      "%s: Unable to change power state from D3cold to D0, device "
		      "inaccessible", dead ? "config space reads all 0xff (fell off the bus "
					     "or in D3cold)" : "the device is in D3cold");
	else if (d->power_state)
		check(c, "power", d3 ? V_INFO : V_OK, NULL,
		      "power_state %s%s%s%s%s%s", shown(d->power_state),
		      d->d3cold_allowed >= 0 ? ", d3cold_allowed " : "",
		      d->d3cold_allowed == 1 ? "1" : d->d3cold_allowed == 0 ? "0" : "",
		      d->power_control ? ", power/control " : "",
		      d->power_control ? shown(d->power_control) : "",
		      idle == 1 ? ", vfio_pci disable_idle_d3=Y" :
		      d3 && d->kind == VI_DRV_VFIO ?
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
		      rm_text("keep the host off the GPU: video=efifb:off, or "
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
		      rm_text("if the VMM or guest firmware cannot place it: disable Resizable "
			      "BAR / Above 4G decoding in the firmware, or give the guest a "
			      "larger 64-bit MMIO window"),
		      "Resizable BAR: BAR %u is %s, up to %s supported; %d memory BAR%s, %s "
		      "in total", ctl & 7,
		      vi_human_size(1ULL << (20 + ((ctl >> 8) & 0x3f)), a, sizeof(a)),
		      maxbit >= 0 ? vi_human_size(1ULL << (20 + maxbit), b, sizeof(b)) : "?", nbar,
		      nbar == 1 ? "" : "s", vi_human_size(total, t, sizeof(t)));
	} else if (largest >= (4ULL << 30)) {
		check(c, "bars", V_WARN, rm_text("give the guest a 64-bit MMIO window large "
						 "enough (e.g. QEMU -global q35-pcihost."
						 "pci-hole64-size=...)"),
		      "a %s BAR: the VMM must place %s of 64-bit BARs above 4 GiB",
		      vi_human_size(largest, a, sizeof(a)), vi_human_size(high, b, sizeof(b)));
	} else {
		check(c, "bars", V_OK, NULL, "%d memory BAR%s, %s in total, largest %s", nbar,
		      nbar == 1 ? "" : "s", vi_human_size(total, a, sizeof(a)),
		      vi_human_size(largest, b, sizeof(b)));
	}
	if (d->boot_vga == 1)
		check(c, "boot-vga", V_WARN,
		      rm_text("use another GPU for the host console, or video=efifb:off / "
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
		      rm_text("remove pcie_acs_override= unless you accept devices that can "
			      "reach each other's memory"),
		      "UNSAFE: pcie_acs_override=%s splits IOMMU groups without real isolation",
		      shown(ovr));
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
	if (d->physfn && !vi_name_ok(VI_NAME_BDF, d->physfn)) {
		check(c, "sriov", V_WARN, NULL, "the physfn link ends in '%s', which is not a "
		      "PCI address: malformed sysfs or capture", shown(d->physfn));
	} else if (d->physfn) {
		char *rel = vi_asprintf("bus/pci/devices/%s/driver", d->physfn), *l = NULL;
		char *pfdrv = NULL;

		if (c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0)
			pfdrv = vi_strdup(vi_basename(l));
		free(l);
		free(rel);
		if (vi_driver_kind(pfdrv) == VI_DRV_VFIO)
			check(c, "sriov", c->o->vf_token ? V_OK : V_WARN,
			      c->o->vf_token ? NULL :
			      rm_text("open with --vf-token UUID: the token the PF's user set "
				      "(QEMU: -device vfio-pci,host=...,vf-token=UUID)"),
			      "VF of %s, which is bound to %s: opening needs the PF's VF token%s",
			      d->physfn, shown(pfdrv), c->o->vf_token ? " (given)" : "");
		else
			check(c, "sriov", V_OK, NULL, "VF of %s (PF driver %s): no VF token needed",
			      d->physfn, pfdrv ? shown(pfdrv) : "none");
		free(pfdrv);
	} else if (d->sriov_totalvfs > 0) {
		int en = module_bool(c->be, "vfio_pci", "enable_sriov");

		if (d->kind == VI_DRV_VFIO && d->sriov_numvfs > 0)
			check(c, "sriov", V_INFO, NULL, "PF with %d of %d VFs enabled, bound to %s: "
			      "its user must set a VF token (VFIO_DEVICE_FEATURE_PCI_VF_TOKEN) for "
			      "the VFs' users", d->sriov_numvfs, d->sriov_totalvfs, d->driver);
		else if (d->kind == VI_DRV_VFIO && en != 1)
			check(c, "sriov", V_INFO, dr_modules_off(c) == F_YES ?
			      rm_text("vfio_pci.enable_sriov=1 on the kernel command line, and "
				      "reboot (module loading is disabled)") :
			      rm_text("load vfio-pci with enable_sriov=1"),
			      "PF (%d VFs possible) bound to vfio-pci, which cannot enable VFs "
			      "without enable_sriov=1", d->sriov_totalvfs);
		else
			check(c, "sriov", V_OK, NULL, "PF with %d of %d VFs enabled",
			      d->sriov_numvfs > 0 ? d->sriov_numvfs : 0, d->sriov_totalvfs);
		if (c->o->vf_token && d->sriov_numvfs <= 0)
			check(c, "sriov", V_WARN, rm_text("drop --vf-token"),
			      "a VF token was given but this device has no VFs: "
			      "GET_DEVICE_FD will fail with it");
	} else if (c->o->vf_token) {
		check(c, "sriov", V_WARN, rm_text("drop --vf-token"),
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

/* @fails_before: the FAIL count when this device's checks began.  A
 * refusal the earlier checks already failed for is not counted again. */
static void check_probe(struct dctx *c, const struct vi_pcidev *d, unsigned int fails_before)
{
	bool counted = c->count[V_FAIL] > fails_before;
	const char *bad;
	struct vi_devref ref = { 0 };
	struct vi_targets t = { &ref, 1 }, found = { NULL, 0 };
	struct vi_inspect_opts io;
	char msg[512];
	struct probe_state ps = { "", 0, 0 };
	struct vi_emit *em;
	FILE *null;
	int r;

	if (d->kind != VI_DRV_VFIO) {
		/* the driver check has failed for this */
		check(c, "probe", V_INFO, NULL, "not probed: %s is not bound to a VFIO driver "
		      "(see the driver check)", d->name);
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
	bad = ref.group && !vi_name_ok(VI_NAME_GROUP, ref.group) ?
	      dr_bad_name(VI_NAME_GROUP, ref.group) :
	      ref.cdev && !vi_name_ok(VI_NAME_CDEV, ref.cdev) ?
	      dr_bad_name(VI_NAME_CDEV, ref.cdev) : NULL;
	if (bad) {
		/* never a path built from it */
		check(c, "probe", V_FAIL, NULL, "not probed: the %s: malformed sysfs or capture",
		      bad);
		fclose(null);
		free(ref.group);
		free(ref.cdev);
		return;
	}
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
	if ((r < 0 || ps.n) && counted)
		check(c, "probe", V_INFO, NULL, "the kernel refused as well: %s%s (counted once, "
		      "under the failed check above)", ps.msg[0] ? ps.msg : strerror(-r),
		      ps.n > 1 ? " (and more failures)" : "");
	else if (r < 0 || ps.n)
		check(c, "probe", V_FAIL, NULL, "the kernel refused: %s%s", ps.msg[0] ? ps.msg :
		      strerror(-r), ps.n > 1 ? " (and more failures)" : "");
	else
		check(c, "probe", V_OK, NULL, "opened %s through the kernel (%s): every info "
		      "query answered", d->name, c->o->flow == VI_FLOW_CDEV ? "cdev + iommufd" :
		      c->o->flow == VI_FLOW_LEGACY ? "group + container" : "automatic flow");
}

/* ---- mediated devices ---- */

/* What the mdev is: its parent and type (with the type's attributes from
 * the parent's mdev_supported_types), and that its reset is the parent
 * driver's emulation, not a PCI reset. */
static void check_mdev(struct dctx *c, const struct vi_pcidev *d)
{
	char *dir, *name = NULL, *api = NULL, *avail = NULL;

	if (!d->mdev_type || !d->mdev_parent) {
		check(c, "mdev", V_WARN, NULL, "%s is an mdev, but sysfs gives %s%s%s: "
		      "malformed sysfs or capture", d->name, d->mdev_type ? "" : "no type id",
		      !d->mdev_type && !d->mdev_parent ? " and " : "",
		      d->mdev_parent ? "" : "no parent device");
		return;
	}
	dir = vi_asprintf("class/mdev_bus/%s/mdev_supported_types/%s", d->mdev_parent,
			  d->mdev_type);
	if (vi_sys_exists(c->be, dir)) {
		name = vi_sys_str(c->be, "%s/name", dir);
		if (name && strcmp(name, d->mdev_type) == 0) {
			free(name);	/* says no more than the id */
			name = NULL;
		}
		api = vi_sys_str(c->be, "%s/device_api", dir);
		avail = vi_sys_str(c->be, "%s/available_instances", dir);
		check(c, "mdev", V_OK, NULL, "mediated device of type %s%s%s%s (device_api %s) "
		      "on parent %s; %s more of this type available", d->mdev_type,
		      name ? " (" : "", name ? shown(name) : "", name ? ")" : "",
		      api ? shown(api) : "unknown", d->mdev_parent, avail ? shown(avail) : "no number of");
	} else {
		check(c, "mdev", V_WARN, NULL, "mediated device of type %s on parent %s, but "
		      "/sys/class/mdev_bus/%s/mdev_supported_types/%s does not exist",
		      d->mdev_type, d->mdev_parent, d->mdev_parent, d->mdev_type);
	}
	check(c, "reset", V_INFO, NULL, "no PCI reset of its own: VFIO_DEVICE_RESET is "
	      "emulated by the parent's driver (%s); no FLR, bus or PM reset applies",
	      d->mdev_parent);
	free(name);
	free(api);
	free(avail);
	free(dir);
}

static void check_mdev_driver(struct dctx *c, const struct vi_pcidev *d)
{
	if (d->kind == VI_DRV_VFIO && vi_name_ok(VI_NAME_DRIVER, d->driver))
		check(c, "driver", V_OK, NULL, "bound to %s", d->driver);
	else if (!d->driver)
		check(c, "driver", V_FAIL, rm_text("the parent's vendor driver binds its mdevs "
						   "when they are created: remove and create it "
						   "again, or load that driver"),
		      "not bound to any driver");
	else
		check(c, "driver", V_FAIL, NULL, "bound to %s, not to a VFIO mdev driver",
		      vi_name_ok(VI_NAME_DRIVER, d->driver) ? d->driver : shown(d->driver));
}

/* Names that are no names of their kind are not used to build paths or
 * commands: the group ("root", "..") is set aside and returned for the
 * report, a driver name that fails counts as a host driver. */
static char *set_aside_bad_names(struct vi_pcidev *d)
{
	char *bad_group = NULL;

	if (d->group && !vi_name_ok(VI_NAME_GROUP, d->group)) {
		bad_group = d->group;
		d->group = NULL;
		d->noiommu = false;
	}
	if (d->driver && !vi_name_ok(VI_NAME_DRIVER, d->driver))
		d->kind = VI_DRV_HOST;
	return bad_group;
}

/* Doctor of the mdev @name (a UUID): what applies to it of a PCI
 * function's checks (driver, group, nodes, --probe) and its own. */
static void mdev_device_checks(struct dctx *c, const char *name)
{
	struct vi_pcidev d;
	char *path = vi_asprintf("bus/mdev/devices/%s", name), *bad_group = NULL;
	unsigned int fails_before = c->count[V_FAIL];

	if (vi_pci_load(c->be, path, name, &d) < 0) {
		free(path);
		return;
	}
	bad_group = set_aside_bad_names(&d);
	em_obj_begin(c->em, NULL, "%s mdev %s on %s", d.name,
		     d.mdev_type ? d.mdev_type : "of unknown type",
		     d.mdev_parent ? d.mdev_parent : "an unknown parent");
	vi_emit_pci_identity(c->em, c->db, &d);
	em_detail_begin(c->em);
	em_str(c->em, "driver", d.driver);
	em_detail_end(c->em);
	em_arr_begin(c->em, "checks", NULL);
	check_mdev_driver(c, &d);
	check_group(c, &d, bad_group);
	check_nodes(c, &d);
	check_mdev(c, &d);
	if (c->o->probe)
		check_probe(c, &d, fails_before);
	em_arr_end(c->em);
	em_obj_end(c->em);
	free(bad_group);
	vi_pci_free(&d);
	free(path);
}

/* ---- the command ---- */

void dr_device_checks(struct dctx *c, const char *name)
{
	struct vi_pcidev d;
	char *path = vi_pci_path(c->be, name), *desc, *bad_group = NULL;
	unsigned int fails_before = c->count[V_FAIL];

	if (!path && vi_name_ok(VI_NAME_UUID, name)) {
		mdev_device_checks(c, name);
		return;
	}
	if (!path || vi_pci_load(c->be, path, name, &d) < 0) {
		free(path);
		return;
	}
	bad_group = set_aside_bad_names(&d);
	desc = vi_pci_describe(c->db, &d);
	em_obj_begin(c->em, NULL, "%s %s", d.name, desc ? desc : "");
	free(desc);
	vi_emit_pci_identity(c->em, c->db, &d);
	em_detail_begin(c->em);
	em_str(c->em, "driver", d.driver);
	em_detail_end(c->em);
	em_arr_begin(c->em, "checks", NULL);
	check_driver(c, &d);
	check_group(c, &d, bad_group);
	check_nodes(c, &d);
	check_sriov(c, &d);
	check_reset(c, &d);
	check_hot_reset(c, &d);
	check_power(c, &d);
	check_iomem(c, &d);
	check_bars(c, &d);
	check_acs(c, &d);
	if (c->o->probe)
		check_probe(c, &d, fails_before);
	em_arr_end(c->em);
	em_obj_end(c->em);
	free(bad_group);
	vi_pci_free(&d);
	free(path);
}

