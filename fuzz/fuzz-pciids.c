// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-pciids.c - the pci.ids reader on a hostile database.
 *
 * Input: 8 bytes of ids (vendor, device, class, revision) for the
 * lookups, then the database text.  The text is written to an anonymous
 * file that VFIO_INFO_PCI_IDS names, as a user's environment could, and
 * read by vi_pciids_open(); then every lookup list and doctor make runs on
 * it: vendor, device, class and the lspci-style description.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pciids.h"
#include "sysfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vi_pciids *db;
	struct vi_pcidev d;
	unsigned int vendor, device, class24, rev;
	char *s;

	fuzz_setup();
	if (size < 8)
		return 0;
	vendor = data[0] | (unsigned int)data[1] << 8;
	device = data[2] | (unsigned int)data[3] << 8;
	class24 = data[4] | (unsigned int)data[5] << 8 | (unsigned int)data[6] << 16;
	rev = data[7];
	setenv("VFIO_INFO_PCI_IDS", fuzz_file(data + 8, size - 8), 1);
	db = vi_pciids_open();
	free(vi_pciids_vendor(db, vendor));
	free(vi_pciids_device(db, vendor, device));
	free(vi_pciids_class(db, class24));
	memset(&d, 0, sizeof(d));
	d.pci = !(rev & 0x80) || vendor != 0xffff;
	d.vendor = vendor;
	d.device = device;
	d.class = rev & 0x40 ? -1 : (long)class24;
	d.revision = rev;
	s = vi_pci_describe(db, &d);
	free(s);
	vi_pciids_close(db);
	return 0;
}
