// SPDX-License-Identifier: GPL-2.0-or-later
/* decode-irq.c - VFIO_DEVICE_GET_IRQ_INFO. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "decode-caps.h"
#include "uapi/vfio-abi.h"

const char *vi_irq_name(enum vi_devkind kind, uint32_t index)
{
	switch (kind) {
	case VI_DEV_PCI:
		return vi_name_of(vi_pci_irq_idx, index);
	case VI_DEV_CCW:
		return vi_name_of(vi_ccw_irq_idx, index);
	case VI_DEV_AP:
		return vi_name_of(vi_ap_irq_idx, index);
	default:
		return NULL;
	}
}

void vi_decode_irq_info(struct vi_emit *em, const struct vi_query *q,
			enum vi_devkind kind, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, count = 0;

	if (vi_u32(b, VI_IRQ_FLAGS, &flags) || vi_u32(b, VI_IRQ_COUNT, &count)) {
		em_note(em, VI_NOTE_ERROR, "irq info is %zu bytes, shorter than its "
			"16-byte minimum", b.len);
		return;
	}
	em_detail_begin(em);
	em_u64(em, "argsz", vi_get32(b, VI_IRQ_ARGSZ));
	em_detail_end(em);
	em_flags(em, "flags", flags, vi_irq_flags);
	em_u64(em, "count", count);
}
