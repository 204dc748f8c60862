// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-pci.c - the PCI config space words a person reads, as lspci says
 * them: BARs, sizes, page-size bitmaps, capability headings, the DSN,
 * and what text folds away.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "emit.h"
#include "names.h"
#include "pciids.h"
#include "tap.h"

static uint8_t cfg[4096];

static void p8(size_t o, uint8_t v) { cfg[o] = v; }
static void p16(size_t o, uint16_t v) { vi_store(cfg + o, 2, v, false); }
static void p32(size_t o, uint32_t v) { vi_store(cfg + o, 4, v, false); }

static struct vi_bytes all(void)
{
	return vi_bytes_make(cfg, sizeof(cfg), false);
}

static const char *bar(unsigned int i, bool sized, uint64_t size, bool disabled)
{
	static char t[128];
	struct vi_pci_bar b;

	vi_pci_bar_of(all(), i, &b);
	if (b.upper_half)
		return "upper half";
	vi_pci_bar_text(&b, sized, size, disabled, t, sizeof(t));
	return t;
}

/* The text renderer's output of @fn on the test config space. */
static char *text_of(bool verbose, const struct vi_pci_extra *x)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct vi_emit *em = vi_emit_new(VI_EMIT_TEXT, f, verbose ? VI_EMIT_VERBOSE : 0);

	em_obj_begin(em, "config", NULL);
	vi_decode_pci_config_ex(em, vi_bytes_make(cfg, 256, false), x);
	em_obj_end(em);
	vi_emit_finish(em);
	fclose(f);
	return out;
}

static char *flag_names(uint64_t v)
{
	static char buf[256];
	size_t used = 0;

	buf[0] = '\0';
	for (const struct vi_name *n = vi_page_sizes; n->name; n++)
		if ((v & n->value) && used < sizeof(buf))
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
						 used ? " " : "", n->name);
	return buf;
}

int main(void)
{
	char t[160];
	struct vi_pci_extra x;
	char *out;

	/* BARs: I/O, 32-bit memory, 64-bit prefetchable, unassigned */
	memset(cfg, 0, sizeof(cfg));
	p32(0x10, 0xc041);			/* I/O at c040 */
	p32(0x14, 0xfea80000);			/* 32-bit, non-prefetchable */
	p32(0x18, 0xe000000c);			/* 64-bit, prefetchable, low half */
	p32(0x1c, 0x00000001);			/* ... high half */
	p32(0x20, 0x00000000);			/* unassigned (size from VFIO) */
	is_str(bar(0, true, 32, false), "I/O ports at c040 [size=32]", "I/O BAR as lspci");
	is_str(bar(1, true, 128 << 10, false),
	       "Memory at fea80000 (32-bit, non-prefetchable) [size=128K]", "32-bit memory BAR");
	is_str(bar(2, true, 1ull << 30, false),
	       "Memory at 1e0000000 (64-bit, prefetchable) [size=1G]",
	       "64-bit prefetchable BAR takes its high dword");
	is_str(bar(3, true, 0, false), "upper half", "the high dword is no BAR of its own");
	is_str(bar(4, true, 4096, false),
	       "Memory at <unassigned> (32-bit, non-prefetchable) [size=4K]",
	       "a sized BAR with address 0 is unassigned");
	is_str(bar(1, false, 0, true), "Memory at fea80000 (32-bit, non-prefetchable) [disabled]",
	       "without region sizes no size; memory decoding off: disabled");
	p32(0x24, 0x000f0002);			/* below 1M */
	is_str(bar(5, true, 16, false), "Memory at f0000 (low-1M, non-prefetchable) [size=16]",
	       "a below-1M BAR");

	/* sizes */
	is_str(vi_pci_size_word(32, t, sizeof(t)), "32", "32 bytes");
	is_str(vi_pci_size_word(16384, t, sizeof(t)), "16K", "16K");
	is_str(vi_pci_size_word(3ull << 20, t, sizeof(t)), "3M", "3M");
	is_str(vi_pci_size_word(1536, t, sizeof(t)), "1536", "not a whole K: bytes");
	is_str(vi_pci_size_word(1ull << 40, t, sizeof(t)), "1T", "1T");

	/* page-size bitmaps */
	is_str(flag_names(0x40201000), "4K 2M 1G", "iova_pgsizes 0x40201000");
	is_str(flag_names(0x1000), "4K", "pgsize_bitmap 0x1000");
	is_str(flag_names(1ull << 63), "8E", "bit 63");
	ok(vi_flags_unknown(vi_page_sizes, ~0ull) == 0, "every bit of a bitmap has a name");

	/* what folds into one line */
	vi_pci_absent_text(0x3e | 0x40, t, sizeof(t));
	is_str(t, "BAR1-BAR5, ROM", "BAR1-BAR5 and the ROM");
	vi_pci_absent_text(0x0d, t, sizeof(t));
	is_str(t, "BAR0, BAR2, BAR3", "two in a row are listed");
	vi_pci_absent_text(0x40, t, sizeof(t));
	is_str(t, "ROM", "the ROM alone");

	/* capability headings and the DSN */
	memset(cfg, 0, sizeof(cfg));
	p16(0x00, 0x8086);
	p16(0x02, 0x10d3);
	p16(0x06, 0x0010);			/* capability list */
	p8(0x34, 0x40);
	p8(0x40, 0x01); p8(0x41, 0x50); p16(0x42, 0x0003);	/* PM v3 */
	p8(0x50, 0x05); p8(0x51, 0x60); p16(0x52, 0x0080);	/* MSI 64-bit */
	p8(0x60, 0x10); p8(0x61, 0x70); p16(0x62, 0x0002);	/* Express v2 endpoint */
	p8(0x70, 0x11); p8(0x71, 0x00); p16(0x72, 0x8040);	/* MSI-X 65, on */
	p32(0x100, 0x14020001);			/* AER v2, next 0x140 */
	p32(0x140, 0x00010003);			/* DSN v1 */
	p32(0x144, 0xff123456);
	p32(0x148, 0x525400ff);
	vi_pci_cap_title(all(), 0x40, t, sizeof(t));
	is_str(t, "Power Management version 3", "PM heading");
	vi_pci_cap_title(all(), 0x50, t, sizeof(t));
	is_str(t, "MSI: Enable- Count=1/1 Maskable- 64bit+", "MSI heading");
	vi_pci_cap_title(all(), 0x60, t, sizeof(t));
	is_str(t, "Express (v2) Endpoint, MSI 00", "Express heading");
	vi_pci_cap_title(all(), 0x70, t, sizeof(t));
	is_str(t, "MSI-X: Enable+ Count=65 Masked-", "MSI-X heading");
	vi_pci_ecap_title(all(), 0x100, t, sizeof(t));
	is_str(t, "Advanced Error Reporting (v2)", "AER heading");
	vi_pci_ecap_title(all(), 0x140, t, sizeof(t));
	is_str(t, "Device Serial Number 52-54-00-ff-ff-12-34-56 (v1)",
	       "one DSN, most significant byte first");
	p32(0x140, 0x0001abcd);
	vi_pci_ecap_title(all(), 0x140, t, sizeof(t));
	is_str(t, "unknown extended capability 0xabcd (v1)", "an unknown id is shown");
	is_str(vi_name_of(vi_pci_ecap_ids, 1), "AER", "extended id 1 is AER, not ERR");

	/* text folds what is not there; -v shows it */
	memset(cfg, 0, sizeof(cfg));
	p16(0x00, 0x1b36);
	p16(0x02, 0x0010);
	p16(0x04, 0x0002);
	p32(0x08, 0x01080202);
	p32(0x10, 0xfe800004);			/* BAR0 64-bit */
	memset(&x, 0, sizeof(x));
	x.sized = true;
	x.sizes[0] = 16384;
	out = text_of(false, &x);
	ok(strstr(out, "BAR0: Memory at fe800000 (64-bit, non-prefetchable) [size=16K]") != NULL,
	   "dump's BAR0 line");
	ok(strstr(out, "BAR2-BAR5: not present") != NULL, "absent BARs on one line");
	ok(strstr(out, "BAR1:") == NULL, "the upper half is folded away");
	ok(strstr(out, "ROM: not present") != NULL, "absent ROM on one line");
	ok(strstr(out, "vendor_name") == NULL, "a name pci.ids lacks is not printed");
	free(out);
	out = text_of(true, &x);
	ok(strstr(out, "BAR1: upper half of BAR0") != NULL, "-v shows the upper half");
	ok(strstr(out, "BAR3: not present") != NULL, "-v shows each absent BAR");
	ok(strstr(out, "BAR2-BAR5: not present") == NULL, "-v has no summary line");
	free(out);

	/* pci.ids: subsystem and programming interface (a SYNTHETIC database:
	 * the lookups' shapes, not real entries) */
	{
		char path[] = "/tmp/vfio-info-test-pciids-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		struct vi_pciids *db;
		char *s1, *s2, *s3, *s4;

		ok(f != NULL, "temporary pci.ids");
		if (f) {
			fputs("# synthetic\n1b36  Vendor A\n\t0010  Device B\n"
			      "\t\t1af4 1100  Subsystem C\n\t0011  Device D\n"
			      "C 01  Class E\n\t08  Subclass F\n\t\t02  Prog-if G\n", f);
			fclose(f);
		}
		setenv("VFIO_INFO_PCI_IDS", path, 1);
		db = vi_pciids_open();
		s1 = vi_pciids_subsystem(db, 0x1b36, 0x0010, 0x1af4, 0x1100);
		s2 = vi_pciids_subsystem(db, 0x1b36, 0x0011, 0x1af4, 0x1100);
		s3 = vi_pciids_prog_if(db, 0x010802);
		s4 = vi_pciids_prog_if(db, 0x010801);
		is_str(s1, "Subsystem C", "subsystem under its device");
		ok(s2 == NULL, "not under another device");
		is_str(s3, "Prog-if G", "prog-if under class and sub-class");
		ok(s4 == NULL, "an unknown prog-if has no name");
		free(s1);
		free(s2);
		free(s3);
		free(s4);
		vi_pciids_close(db);
		unlink(path);
	}

	return tap_done();
}
