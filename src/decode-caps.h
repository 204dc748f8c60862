/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode-caps.h - the capability decoders the registry (decode.c) lists. */
#ifndef VFIO_INFO_DECODE_CAPS_H
#define VFIO_INFO_DECODE_CAPS_H

#include "decode.h"

/* device info (decode-device.c) */
void vi_cap_zpci_base(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_zpci_group(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_zpci_util(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_zpci_pfip(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_atomic_comp(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
/* region info (decode-region.c) */
void vi_cap_sparse_mmap(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_region_type(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_header_only(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_nvlink2_ssatgt(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_nvlink2_lnkspd(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
/* iommu info (decode-iommu.c) */
void vi_cap_iova_range(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_migration(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);
void vi_cap_dma_avail(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);

/* devtree-2013 (decode-region.c): the structs appended after @fixed bytes
 * for the INDEX and PATH flags set in @flags (0 = that flag does not exist). */
void vi_decode_devtree_tail(struct vi_emit *em, struct vi_bytes b, size_t fixed,
			    uint32_t flags, uint32_t index_flag, uint32_t path_flag);
/* irq info, irq-caps-2019 (decode-irq.c) */
void vi_cap_irq_type(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		     unsigned int profiles);
/* iommu info, zpci-iommu-2019 (decode-iommu.c) */
void vi_cap_zpci_qfn(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		     unsigned int profiles);
void vi_cap_zpci_qgrp(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		      unsigned int profiles);

/*
 * Fixed-layout records described as data: each field names its offset,
 * size and how it is shown.  VI_F_RSVD fields appear only when non-zero.
 */
enum vi_field_kind {
	VI_F_HEX,	/* em_hex */
	VI_F_U64,	/* em_u64 */
	VI_F_FLAGS,	/* em_flags with tbl */
	VI_F_RSVD,	/* reserved: shown (hex or bytes) only when non-zero */
};

struct vi_field {
	const char *name;
	uint16_t off;
	uint16_t size;	/* 1, 2, 4, 8; VI_F_RSVD: any */
	enum vi_field_kind kind;
	const struct vi_name *tbl;
};

/*
 * Emit the fields of @f that lie inside @b, in table order.  The first one
 * that does not fit ends the record with an error note naming @what (which
 * needs @need bytes); returns false then.
 */
bool vi_emit_fields(struct vi_emit *em, struct vi_bytes b, const struct vi_field *f,
		    size_t n, const char *what, size_t need);
/* An EBCDIC string: @key as bytes and @key"_text" decoded (null if it does
 * not decode to printable text). */
void vi_emit_ebcdic(struct vi_emit *em, const char *key, struct vi_bytes s);

/* EBCDIC (code page 037) to ASCII; '.' for what has no printable form.
 * Returns true if every byte up to the first NUL decoded printably. */
bool vi_ebcdic_to_ascii(const uint8_t *in, size_t n, char *out, size_t outlen);

#endif
