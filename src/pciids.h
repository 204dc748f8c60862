/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pciids.h - vendor, device and class names from the pci.ids database.
 *
 * The database is a host file, not a kernel fact: it is read directly,
 * from $VFIO_INFO_PCI_IDS (empty: none), /usr/share/misc/pci.ids or
 * /usr/share/hwdata/pci.ids.  Names are optional: callers always show
 * the numbers too, and every lookup may return NULL.
 */
#ifndef VFIO_INFO_PCIIDS_H
#define VFIO_INFO_PCIIDS_H

struct vi_pciids;

/* NULL when no database is installed (not an error). */
struct vi_pciids *vi_pciids_open(void);
void vi_pciids_close(struct vi_pciids *db);

/* malloc'ed names, or NULL. */
char *vi_pciids_vendor(const struct vi_pciids *db, unsigned int vendor);
char *vi_pciids_device(const struct vi_pciids *db, unsigned int vendor, unsigned int device);
/* The sub-class name if known, else the base class name. */
char *vi_pciids_class(const struct vi_pciids *db, unsigned int class24);

/* The subsystem's name under its device ("\t\tSUBVENDOR SUBDEVICE  name"). */
char *vi_pciids_subsystem(const struct vi_pciids *db, unsigned int vendor, unsigned int device,
			  unsigned int subvendor, unsigned int subdevice);
/* The programming interface's name under class and sub-class. */
char *vi_pciids_prog_if(const struct vi_pciids *db, unsigned int class24);

struct vi_pcidev;
/* lspci -nn style: "Ethernet controller [0200]: Intel Corporation 82574L
 * Gigabit Network Connection [8086:10d3] (rev 01)"; numbers always,
 * names when known.  malloc'ed. */
char *vi_pci_describe(const struct vi_pciids *db, const struct vi_pcidev *d);

#endif
