// SPDX-License-Identifier: GPL-2.0-or-later
/* test-record.c - what a capture keeps of procfs files that describe the
 * host beyond its devices, and --all found through sysfs (target.c). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "backend.h"
#include "target.h"
#include "tap.h"

static char dir[] = "/tmp/vi-test-record-XXXXXX";

/* A capture (format 1) whose sysfs/procfs sections are @sysfs and @procfs
 * (JSON object texts) and whose devices are @devices. */
static struct vi_backend *capture(const char *name, const char *sysfs, const char *procfs,
				  const char *devices)
{
	char path[256], err[256];
	FILE *f;
	struct vi_backend *be;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "{\"vfio-info-capture\": 1, \"host\": {\"byte_order\": \"little\"},"
		" \"sysfs\": %s, \"procfs\": %s, \"devices\": %s}\n", sysfs, procfs, devices);
	fclose(f);
	be = vi_backend_replay_new(path, err, sizeof(err));
	if (!be)
		printf("# %s: %s\n", name, err);
	return be;
}

static const char *cpuinfo =
	"processor\\t: 0\\nvendor_id\\t: GenuineIntel\\nmodel name\\t: QEMU Virtual CPU\\n"
	"flags\\t\\t: fpu vme hypervisor\\nbogomips\\t: 5000\\n\\n"
	"processor\\t: 1\\nflags\\t\\t: fpu vme hypervisor\\n";
static const char *route =
	"Iface\\tDestination\\tGateway \\tFlags\\n"
	"eth0\\t00000000\\t0202000A\\t0003\\n"
	"eth0\\t0002000A\\t00000000\\t0001\\n";
static const char *route6 =
	"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
	"fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0\\n"
	"fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
	"00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\\n";
static const char *mountinfo =
	"22 1 0:21 / /proc rw - proc proc rw\\n"
	"26 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\\n"
	"30 26 0:26 / /tmp rw - tmpfs tmpfs rw\\n";
static const char *mounts =
	"proc /proc proc rw 0 0\\n/dev/vda1 / ext4 rw 0 0\\ntmpfs /tmp tmpfs rw 0 0\\n";

static void read_all(struct vi_backend *be, const char *rel, size_t *len_out)
{
	char *buf = NULL;
	size_t len = 0;

	if (be->ops->read_file(be, VI_NS_PROC, rel, &buf, &len) == 0)
		free(buf);
	*len_out = len;
}

static void test_kept_lines(void)
{
	char procfs[4096], path[256];
	struct vi_backend *rec;
	json_t *root, *p;
	json_error_t jerr;
	size_t len;

	snprintf(procfs, sizeof(procfs),
		 "{\"cpuinfo\": \"%s\", \"net/route\": \"%s\", \"self/mountinfo\": \"%s\","
		 " \"mounts\": \"%s\", \"cmdline\": \"root=/dev/vda1 nomodule\\n\","
		 " \"net/ipv6_route\": \"%s\"}",
		 cpuinfo, route, mountinfo, mounts, route6);
	rec = vi_backend_record_new(capture("facts.json", "{}", procfs, "[]"));
	ok(rec != NULL, "a capture with procfs facts loads, through the recorder");
	if (!rec)
		return;
	read_all(rec, "cpuinfo", &len);
	ok(len > 100, "the caller reads cpuinfo whole (%zu bytes)", len);
	read_all(rec, "net/route", &len);
	read_all(rec, "self/mountinfo", &len);
	read_all(rec, "mounts", &len);
	read_all(rec, "cmdline", &len);
	read_all(rec, "net/ipv6_route", &len);
	snprintf(path, sizeof(path), "%s/out.json", dir);
	is_int(vi_record_write(rec, path, NULL), 0, "the capture is written");
	vi_backend_destroy(rec);
	root = json_load_file(path, 0, &jerr);
	p = json_object_get(root, "procfs");
	is_str(json_string_value(json_object_get(p, "cpuinfo")), "flags\t\t: fpu vme hypervisor\n",
	       "of cpuinfo only the first flags line is kept");
	is_str(json_string_value(json_object_get(p, "net/route")),
	       "Iface\tDestination\tGateway \tFlags\neth0\t00000000\t0202000A\t0003\n",
	       "of net/route the header and the default route");
	is_str(json_string_value(json_object_get(p, "self/mountinfo")),
	       "26 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n",
	       "of mountinfo the block-device mount");
	is_str(json_string_value(json_object_get(p, "mounts")), "/dev/vda1 / ext4 rw 0 0\n",
	       "of mounts the block-device mount");
	is_str(json_string_value(json_object_get(p, "net/ipv6_route")),
	       "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
	       "fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n",
	       "of net/ipv6_route the default route");
	is_str(json_string_value(json_object_get(p, "cmdline")), "root=/dev/vda1 nomodule\n",
	       "other files whole");
	json_decref(root);
	unlink(path);
}

/* sysfs of four PCI devices: 01:00.0 on vfio-pci with kernel answers,
 * 02:00.0 on vfio-pci without, 03:00.0 on e1000e, 04:00.0 a noiommu
 * member on vfio-pci reachable only through its group; and 09:00.0 in
 * the devices array, unknown to sysfs. */
static const char *sysfs4 =
	"{\"bus/pci/devices/0000:01:00.0\": {\"link\": \"../../../devices/pci0000:00/0000:01:00.0\"},"
	" \"devices/pci0000:00/0000:01:00.0/driver\": {\"link\": \"../../../bus/pci/drivers/vfio-pci\"},"
	" \"devices/pci0000:00/0000:01:00.0/iommu_group\": {\"link\": \"../../../kernel/iommu_groups/1\"},"
	" \"bus/pci/devices/0000:02:00.0\": {\"link\": \"../../../devices/pci0000:00/0000:02:00.0\"},"
	" \"devices/pci0000:00/0000:02:00.0/driver\": {\"link\": \"../../../bus/pci/drivers/vfio-pci\"},"
	" \"devices/pci0000:00/0000:02:00.0/iommu_group\": {\"link\": \"../../../kernel/iommu_groups/2\"},"
	" \"bus/pci/devices/0000:03:00.0\": {\"link\": \"../../../devices/pci0000:00/0000:03:00.0\"},"
	" \"devices/pci0000:00/0000:03:00.0/driver\": {\"link\": \"../../../bus/pci/drivers/e1000e\"},"
	" \"kernel/iommu_groups/4/name\": \"vfio-noiommu\\n\","
	" \"kernel/iommu_groups/4/devices/0000:04:00.0\": {\"link\": \"../../../../devices/pci0000:00/0000:04:00.0\"},"
	" \"devices/pci0000:00/0000:04:00.0/driver\": {\"link\": \"../../../bus/pci/drivers/vfio-pci\"},"
	" \"devices/pci0000:00/0000:04:00.0/iommu_group\": {\"link\": \"../../../kernel/iommu_groups/4\"}}";

static void test_all(void)
{
	struct vi_backend *be = capture("all.json", sysfs4, "{}",
					"[{\"name\": \"0000:01:00.0\", \"group\": \"1\", \"cdev\": null, \"ioctls\": []},"
					" {\"name\": \"0000:09:00.0\", \"group\": \"9\", \"cdev\": null, \"ioctls\": []}]");
	struct vi_targets t = { NULL, 0 }, gone = { NULL, 0 };
	char msg[512];

	ok(be != NULL, "a capture with sysfs and two devices loads");
	if (!be)
		return;
	is_int(vi_target_all(be, &t, msg, sizeof(msg)), 0, "--all resolves");
	is_int(t.n, 4, "--all: the three on vfio-pci in sysfs and the one sysfs does not know");
	if (t.n == 4) {
		is_str(t.v[0].name, "0000:01:00.0", "first: 01:00.0 (answers recorded)");
		is_str(t.v[1].name, "0000:02:00.0", "second: 02:00.0 (on vfio-pci in sysfs)");
		is_str(t.v[1].group, "2", "its group from its iommu_group link");
		is_str(t.v[2].name, "0000:04:00.0", "third: 04:00.0 (found through its group)");
		is_str(t.v[2].group, "noiommu-4", "a noiommu group's name");
		is_str(t.v[3].name, "0000:09:00.0", "fourth: 09:00.0 (in the devices array only)");
	}
	is_int(vi_target_split_unopenable(be, &t, &gone), 0, "split");
	is_int(t.n, 2, "two with kernel answers");
	is_int(gone.n, 2, "two without");
	if (gone.n == 2) {
		is_str(gone.v[0].name, "0000:02:00.0", "02:00.0 has none");
		is_str(gone.v[1].name, "0000:04:00.0", "04:00.0 has none");
	}
	is_int(vi_target_explain(be, "0000:02:00.0", msg, sizeof(msg)), -ENXIO,
	       "explain: on a VFIO driver without answers is ENXIO");
	ok(strstr(msg, "no kernel answers") != NULL, "and says so: %s", msg);
	is_int(vi_target_explain(be, "0000:03:00.0", msg, sizeof(msg)), -ENXIO,
	       "explain: on e1000e is ENXIO");
	ok(strstr(msg, "bound to e1000e, not to a VFIO driver") != NULL, "and says so: %s", msg);
	is_int(vi_target_explain(be, "0000:07:00.0", msg, sizeof(msg)), -ENOENT,
	       "explain: a device nowhere is ENOENT");
	vi_targets_free(&t);
	vi_targets_free(&gone);
	vi_backend_destroy(be);
}

int main(void)
{
	char path[256];

	if (!mkdtemp(dir)) {
		printf("1..0 # SKIP no temporary directory\n");
		return 0;
	}
	test_kept_lines();
	test_all();
	snprintf(path, sizeof(path), "%s/facts.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/all.json", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
