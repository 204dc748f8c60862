/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode-caps.h - the capability decoders the registry (decode.c) lists. */
#ifndef VFIO_INFO_DECODE_CAPS_H
#define VFIO_INFO_DECODE_CAPS_H

#include "decode.h"

/* device info (decode-device.c) */
void vi_cap_zpci_base(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_zpci_group(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_zpci_util(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_zpci_pfip(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_atomic_comp(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
/* region info (decode-region.c) */
void vi_cap_sparse_mmap(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_region_type(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_header_only(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_nvlink2_ssatgt(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_nvlink2_lnkspd(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
/* iommu info (decode-iommu.c) */
void vi_cap_iova_range(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_migration(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);
void vi_cap_dma_avail(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d);

/* EBCDIC (code page 037) to ASCII; '.' for what has no printable form.
 * Returns true if every byte up to the first NUL decoded printably. */
bool vi_ebcdic_to_ascii(const uint8_t *in, size_t n, char *out, size_t outlen);

#endif
