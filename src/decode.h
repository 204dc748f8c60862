/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decode.h - turning kernel answers into emitter calls.
 *
 * Decoders receive bounded bytes (bytes.h) and an emitter; they never
 * print, never test the output format, and never read a field they have
 * not bounds-checked.  Capability decoders are listed in one registry keyed
 * by (chain, id, version); `vfio-info caps` prints it.
 */
#ifndef VFIO_INFO_DECODE_H
#define VFIO_INFO_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "bytes.h"
#include "capchain.h"
#include "emit.h"
#include "query.h"

/* Which info ioctl a capability chain belongs to: each has its own ids. */
enum vi_chain {
	VI_CHAIN_DEVICE,	/* VFIO_DEVICE_GET_INFO */
	VI_CHAIN_REGION,	/* VFIO_DEVICE_GET_REGION_INFO */
	VI_CHAIN_IOMMU,		/* VFIO_IOMMU_GET_INFO */
	VI_CHAIN_IRQ,		/* VFIO_DEVICE_GET_IRQ_INFO (irq-caps-2019) */
	VI_CHAIN_COUNT
};

/* ABI profiles (spec/profiles.md); 0 is mainline. */
#define VI_PROF_MAINLINE	0u
#define VI_PROF_ZPCI_CLP	(1u << 0)	/* automatic */
#define VI_PROF_IRQ_CAPS	(1u << 1)	/* automatic */
#define VI_PROF_DEVTREE		(1u << 2)	/* --abi only */
#define VI_PROF_ZPCI_IOMMU	(1u << 3)	/* --abi only */
#define VI_PROF_AUTOMATIC	(VI_PROF_ZPCI_CLP | VI_PROF_IRQ_CAPS)

/*
 * The numbers the proposals define (spec/profiles.md).  Offsets are from
 * the start of the structure named.
 */
/* irq-caps-2019: vfio_irq_info grows a cap_offset; cap id 3 is the type */
#define VI_IRQCAPS_FLAG_CAPS		(1u << 4)
#define VI_IRQCAPS_CAP_TYPE		3
/* zpci-clp-region: the region's TYPE cap and its content */
#define VI_ZPCI_CLP_TYPE		0x80001014u
#define VI_ZPCI_CLP_SUBTYPE		2
#define VI_ZPCI_CLP_FIXED		50	/* bytes before util_str */
#define VI_ZPCI_CLP_MAX_READ		4096	/* clamp for the pread */
/* devtree-2013 */
#define VI_DT_DEV_PLATFORM		(1u << 2)
#define VI_DT_DEV_DEVTREE		(1u << 3)
#define VI_DT_REGION_CACHEABLE		(1u << 3)
#define VI_DT_REGION_REG		(1u << 4)
#define VI_DT_REGION_RANGE		(1u << 5)
#define VI_DT_REGION_INDEX		(1u << 6)
#define VI_DT_REGION_PATH		(1u << 7)
#define VI_DT_IRQ_PATH			(1u << 4)
/* zpci-iommu-2019: IOMMU_GET_INFO with a u64 cap_offset @16 */
#define VI_ZIOMMU_INFO_CAPABILITIES	(1u << 1)
#define VI_ZIOMMU_CAP_OFFSET		16
#define VI_ZIOMMU_INFO_SIZE		24

/* The kind of device, from vfio_device_info.flags: selects index names. */
enum vi_devkind {
	VI_DEV_UNKNOWN, VI_DEV_PCI, VI_DEV_PLATFORM, VI_DEV_AMBA, VI_DEV_CCW,
	VI_DEV_AP, VI_DEV_FSL_MC, VI_DEV_CDX,
};

struct vi_capdec;
typedef void (*vi_cap_fn)(struct vi_emit *em, const struct vi_cap *cap,
			  const struct vi_capdec *dec, unsigned int profiles);

struct vi_capdec {
	enum vi_chain chain;
	uint16_t id;
	uint16_t vmin, vmax;	/* versions this decoder knows */
	const char *name;
	uint32_t minlen;	/* bytes (header included) the newest version needs */
	vi_cap_fn fn;
	unsigned int profile;	/* 0: mainline; else the profile it belongs to */
	const char *summary;	/* one line for `vfio-info caps` */
};

const struct vi_capdec *vi_capdec_table(unsigned int *n);
const char *vi_chain_name(enum vi_chain c);
const char *vi_profile_name(unsigned int bit);

/*
 * Walk a cap chain of @chain in @buf starting at @first (the struct's
 * cap_offset; caps may not start before @fixed) and emit an array "caps".
 * A fault becomes a visible error note; decoding of what came before stays.
 */
void vi_decode_caps(struct vi_emit *em, enum vi_chain chain, struct vi_bytes buf,
		    uint32_t first, uint32_t fixed, unsigned int profiles);

/* The calls one query made (detail block "negotiation"). */
void vi_emit_negotiation(struct vi_emit *em, const struct vi_query *q);
/*
 * An ioctl's or call's outcome: "ret" (0 or -errno; text shows it with -v)
 * and, on failure, "errno": its name, null if it has none (text adds the
 * strerror phrase: "ENOTTY (Inappropriate ioctl for device)").
 */
void vi_emit_outcome(struct vi_emit *em, long ret);
/* vi_emit_outcome() of a failure (@ret -errno; a positive errno is taken
 * as its negative). */
void vi_emit_error(struct vi_emit *em, long ret);
/* Notes for a query whose growth gave up. */
void vi_emit_query_stop(struct vi_emit *em, const struct vi_query *q);
/* The end of every query's object: stop notes, negotiation, then free @q. */
void vi_emit_query_done(struct vi_emit *em, struct vi_query *q);

/* Per-ioctl decoders (decode-*.c). */
enum vi_devkind vi_devkind_of(uint32_t device_flags, unsigned int profiles);
void vi_decode_device_info(struct vi_emit *em, const struct vi_query *q, unsigned int profiles);
/* Region: emits the fields of the region object the caller opened.  Writes
 * the region's name (BAR0, CONFIG, or the type's name) into @name. */
void vi_decode_region_info(struct vi_emit *em, const struct vi_query *q,
			   enum vi_devkind kind, unsigned int profiles);
const char *vi_region_name(enum vi_devkind kind, uint32_t index, struct vi_bytes info,
			   unsigned int profiles, char *buf, size_t len);
/* The region's TYPE capability (type, subtype), if its answer has one under
 * @profiles: true and both filled. */
bool vi_region_type_of(struct vi_bytes info, unsigned int profiles, uint32_t *type,
		       uint32_t *sub);
/* zpci-clp-region: the content of the CLP region, read by the caller. */
void vi_decode_zpci_clp(struct vi_emit *em, struct vi_bytes content, uint64_t region_size);
/* VFIO_DEVICE_FEATURE GET of MIGRATION or MIG_DEVICE_STATE (decode-feature.c):
 * @ret the outcome, @data the bytes after the 8-byte header. */
void vi_decode_feature_get(struct vi_emit *em, uint32_t id, long ret, struct vi_bytes data);
/* decode-gfx.c: one QUERY_GFX_PLANE probe's outcome ("ret", "errno"); the
 * GFX EDID region's header as read from its start (@hdr: the bytes the
 * read gave) in a region of @region_size bytes. */
void vi_decode_gfx_probe(struct vi_emit *em, long ret);
void vi_decode_gfx_edid(struct vi_emit *em, struct vi_bytes hdr, uint64_t region_size);
/* Irq: fixed index names, or (irq-caps-2019) the name of the type cap. */
const char *vi_irq_name(enum vi_devkind kind, uint32_t index, struct vi_bytes info,
			unsigned int profiles, char *buf, size_t len);
void vi_decode_irq_info(struct vi_emit *em, const struct vi_query *q,
			enum vi_devkind kind, unsigned int profiles);
void vi_decode_group_status(struct vi_emit *em, const struct vi_query *q);
void vi_decode_iommu_info(struct vi_emit *em, const struct vi_query *q, unsigned int profiles);
/* VFIO_IOMMU_SPAPR_TCE_GET_INFO (a SPAPR_TCE or SPAPR_TCE_v2 container) */
void vi_decode_spapr_tce_info(struct vi_emit *em, const struct vi_query *q);
void vi_decode_hot_reset_info(struct vi_emit *em, const struct vi_query *q);
void vi_decode_hw_info(struct vi_emit *em, const struct vi_query *q);
/* IOMMU_GET_HW_INFO with FLAG_INPUT_TYPE: the outcome of asking for the
 * DEFAULT type (does the kernel know the flag?), and the answer for one
 * type asked (@ret its outcome, @q decoded on success). */
void vi_decode_hw_info_input(struct vi_emit *em, long ret);
void vi_decode_hw_info_typed(struct vi_emit *em, uint32_t asked, long ret,
			     const struct vi_query *q);
void vi_decode_iova_ranges(struct vi_emit *em, const struct vi_query *q);
/* PCI config space as read through the config region. */
void vi_decode_pci_config(struct vi_emit *em, struct vi_bytes cfg);
/* What dump knows beside config space: names and BAR sizes. */
struct vi_pciids;
struct vi_pci_extra {
	const struct vi_pciids *db;	/* pci.ids (NULL: none installed; names null) */
	bool sized;			/* sizes[] hold the VFIO regions' sizes */
	uint64_t sizes[7];		/* BAR0-BAR5, ROM */
};
/* The same with vendor, device, subsystem, class and prog-if names (from
 * pci.ids, null when absent) and BARs sized from the VFIO regions. */
void vi_decode_pci_config_ex(struct vi_emit *em, struct vi_bytes cfg,
			     const struct vi_pci_extra *x);

/* One BAR register as lspci reads it. */
struct vi_pci_bar {
	uint32_t value;		/* the register */
	bool upper_half;	/* the upper dword of the 64-bit BAR before it */
	bool io;
	unsigned int mem_type;	/* 0: 32-bit, 1: below 1M, 2: 64-bit */
	bool prefetchable;
	uint64_t address;	/* both dwords of a 64-bit BAR */
};
void vi_pci_bar_of(struct vi_bytes cfg, unsigned int i, struct vi_pci_bar *b);
/* lspci's words: "I/O ports at c040 [size=32]", "Memory at fea80000
 * (32-bit, non-prefetchable) [size=128K]", "Memory at <unassigned> ..." */
void vi_pci_bar_text(const struct vi_pci_bar *b, bool sized, uint64_t size, bool disabled,
		     char *buf, size_t len);
/* "BAR0, BAR2-BAR5, ROM" for the bits of @mask (bit 6: the ROM); the
 * length written. */
size_t vi_pci_absent_text(unsigned int mask, char *buf, size_t len);
/* A size as lspci writes it: "32", "128K", "16M", "1G" (the largest unit
 * that divides it). */
const char *vi_pci_size_word(uint64_t v, char *buf, size_t len);
/* The same to lspci -vvv depth: header bits named, every capability's
 * registers and fields (the shell's `config`); _ex with @x as for
 * vi_decode_pci_config_ex (names, BAR sizes; NULL: none). */
void vi_decode_pci_config_full(struct vi_emit *em, struct vi_bytes cfg);
void vi_decode_pci_config_full_ex(struct vi_emit *em, struct vi_bytes cfg,
				  const struct vi_pci_extra *x);

/* The same for a view that may be short by design (sysfs gives 64 bytes
 * without CAP_SYS_ADMIN): a capability list running past the bytes read
 * is noted, not an error. */
void vi_decode_pci_config_view(struct vi_emit *em, struct vi_bytes cfg,
			       const struct vi_pci_extra *x);

/* A capability of config space, as the decoder walks the lists. */
struct vi_pci_capref {
	uint16_t off;		/* in config space */
	uint16_t id;
	bool ext;		/* in the extended list (0x100 and up) */
	uint16_t len;		/* bytes it spans, as far as its id and content
				 * tell, never into the next one */
};
/* The capabilities, then the extended ones, in list order (bounded,
 * loop-safe): at most @max into @out.  Returns how many. */
size_t vi_pci_cap_list(struct vi_bytes cfg, struct vi_pci_capref *out, size_t max);
/* The heading lspci gives the capability at @at: "Power Management
 * version 3", "Express (v2) Endpoint, MSI 00", "MSI-X: Enable+ Count=65
 * Masked-"; the extended one at @at: "Advanced Error Reporting (v2)",
 * "Device Serial Number 00-11-22-33-44-55-66-77 (v1)". */
void vi_pci_cap_title(struct vi_bytes cfg, uint8_t at, char *buf, size_t len);
void vi_pci_ecap_title(struct vi_bytes cfg, uint32_t at, char *buf, size_t len);
/* " 00-11-22-33-44-55-66-77", most significant byte first (lspci's form). */
void vi_pci_dsn_text(uint64_t sn, char *buf, size_t len);
/* "MSI", "AER", ...; NULL for an id no table names. */
const char *vi_pci_capref_name(const struct vi_pci_capref *p);

/* The register holding one byte of config space, as the decoder names it. */
struct vi_pci_reg {
	uint32_t off;		/* its first byte */
	uint8_t size;		/* 1, 2 or 4 */
	bool in_cap;		/* inside capability @cap (else the header or nothing) */
	struct vi_pci_capref cap;
	const char *key;	/* "command", "bar0", "next", "control"...; NULL: a dword
				 * the decoder has no name for */
	char name[80];		/* "header: Command", "[d0] MSI: Message Control",
				 * "[150] PASID +0x04", "0x0b0 (in no capability)" */
	const void *fields;	/* the decoder's field table, or NULL */
};
/* Find the register of @cfg that holds byte @off.  false when it lies in
 * no structure (header or capability); @r names a dword then. */
bool vi_pci_reg_at(struct vi_bytes cfg, uint32_t off, struct vi_pci_reg *r);
/* The fields (or, in a flag word, the bits) of @r whose values differ
 * between @a and @b: up to @max names into @names.  Returns how many. */
size_t vi_pci_reg_fields(const struct vi_pci_reg *r, uint32_t a, uint32_t b,
			 const char **names, size_t max);

/* Where the MSI-X table and PBA live, from config space (decode-pci-header.c). */
struct vi_pci_msix {
	uint8_t cap;			/* offset of the capability */
	uint32_t entries;		/* table size */
	uint8_t table_bir, pba_bir;
	uint32_t table_off, pba_off;	/* in their BARs */
	uint32_t table_len, pba_len;	/* bytes */
	bool enabled, masked;
};
/* false if config space has no (readable) MSI-X capability. */
bool vi_pci_msix_of(struct vi_bytes cfg, struct vi_pci_msix *m);

#endif
