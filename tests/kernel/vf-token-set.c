// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vf-token-set PF-BDF UUID -- guest helper for the SR-IOV scenario.
 *
 * A PF bound to vfio-pci starts with a random VF token; a VF can only be
 * opened through the group flow with the token its PF's owner set.  vfio-info
 * never writes anything to a device, so this helper (run by the guest's init
 * before vfio-info) opens the PF through the legacy group flow and sets the
 * token with VFIO_DEVICE_FEATURE SET PCI_VF_TOKEN.  The token stays set after
 * the PF fd is closed.  Built statically on the host by run-scenario.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

static int parse_uuid(const char *s, unsigned char out[16])
{
	int n = 0;

	for (; *s && n < 32; s++) {
		unsigned v;

		if (*s == '-')
			continue;
		if (sscanf(s, "%1x", &v) != 1)
			return -1;
		out[n / 2] = (unsigned char)((n % 2) ? (out[n / 2] | v) : (v << 4));
		n++;
	}
	return n == 32 && !*s ? 0 : -1;
}

int main(int argc, char **argv)
{
	char path[256], link[256];
	struct {
		struct vfio_device_feature f;
		unsigned char uuid[16];
	} req;
	ssize_t l;
	int c, g, d;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PF-BDF UUID\n", argv[0]);
		return 2;
	}
	memset(&req, 0, sizeof(req));
	if (parse_uuid(argv[2], req.uuid)) {
		fprintf(stderr, "bad uuid %s\n", argv[2]);
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", argv[1]);
	l = readlink(path, link, sizeof(link) - 1);
	if (l < 0) {
		perror(path);
		return 1;
	}
	link[l] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	c = open("/dev/vfio/vfio", O_RDWR);
	g = open(path, O_RDWR);
	if (c < 0 || g < 0) {
		perror("open container/group");
		return 1;
	}
	if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c) ||
	    ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		perror("set container/iommu");
		return 1;
	}
	d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	if (d < 0) {
		perror("GROUP_GET_DEVICE_FD");
		return 1;
	}
	req.f.argsz = sizeof(req);
	req.f.flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	if (ioctl(d, VFIO_DEVICE_FEATURE, &req)) {
		fprintf(stderr, "FEATURE SET PCI_VF_TOKEN: %s\n", strerror(errno));
		return 1;
	}
	printf("VF token of %s set to %s\n", argv[1], argv[2]);
	return 0;
}
