// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-irq.c - VFIO_DEVICE_GET_IRQ_INFO, with the two proposals that use
 * its flag bit 4: irq-caps-2019 (CAPS, cap_offset @16, TYPE capability) and
 * devtree-2013 (DEVTREE_PATH, a path struct after the 16 fixed bytes).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "decode-caps.h"
#include "uapi/vfio-abi.h"

/* irq-caps-2019: the TYPE cap of an irq answer, if any. */
static bool irq_type_of(struct vi_bytes info, unsigned int profiles, uint32_t *type,
			uint32_t *sub)
{
	uint32_t flags = 0, off = 0;
	struct vi_capiter it;
	struct vi_cap cap;

	/* a profile asked for wins over the automatic one */
	if (!(profiles & VI_PROF_IRQ_CAPS) || (profiles & VI_PROF_DEVTREE))
		return false;
	if (vi_u32(info, VI_IRQ_FLAGS, &flags) || !(flags & VI_IRQCAPS_FLAG_CAPS) ||
	    vi_u32(info, VI_IRQ_CAPS_CAP_OFFSET, &off) || off == 0)
		return false;
	vi_capiter_init(&it, info, off, VI_IRQ_CAPS_SIZE);
	while (vi_capiter_next(&it, &cap))
		if (cap.id == VI_IRQCAPS_CAP_TYPE && vi_u32(cap.body, 8, type) == 0 &&
		    vi_u32(cap.body, 12, sub) == 0)
			return true;
	return false;
}

const char *vi_irq_name(enum vi_devkind kind, uint32_t index, struct vi_bytes info,
			unsigned int profiles, char *buf, size_t len)
{
	uint32_t type, sub;
	const char *n = NULL;

	switch (kind) {
	case VI_DEV_PCI:
		n = vi_name_of(vi_pci_irq_idx, index);
		break;
	case VI_DEV_CCW:
		n = vi_name_of(vi_ccw_irq_idx, index);
		break;
	case VI_DEV_AP:
		n = vi_name_of(vi_ap_irq_idx, index);
		break;
	default:
		break;
	}
	if (n)
		return n;
	/* irq-caps-2019: indexes past the fixed ones are named by their type */
	if (irq_type_of(info, profiles, &type, &sub)) {
		n = vi_irq_subtype_name(type, sub);
		if (n)
			return n;
		snprintf(buf, len, "type-%u-%u", type, sub);
		return buf;
	}
	return NULL;
}

static void irq_caps(struct vi_emit *em, struct vi_bytes b, enum vi_devkind kind,
		     uint32_t flags, unsigned int profiles)
{
	uint32_t capoff = 0, index = vi_get32(b, VI_IRQ_INDEX), type, sub;

	if (flags & VI_IRQCAPS_FLAG_CAPS) {
		if (vi_u32(b, VI_IRQ_CAPS_CAP_OFFSET, &capoff)) {
			em_note(em, VI_NOTE_ERROR, "CAPS is set but the answer is %zu bytes: "
				"no room for cap_offset", b.len);
		} else {
			em_hex(em, "cap_offset", capoff);
			if (capoff == 0)
				em_note(em, VI_NOTE_ERROR, "CAPS is set but cap_offset is 0: "
					"the capabilities did not fit in %zu bytes", b.len);
			else
				vi_decode_caps(em, VI_CHAIN_IRQ, b, capoff, VI_IRQ_CAPS_SIZE,
					       profiles);
		}
	}
	if (kind == VI_DEV_PCI && index >= VI_PCI_NUM_IRQS &&
	    !irq_type_of(b, profiles, &type, &sub))
		em_note(em, VI_NOTE_WARN, "device-specific irq without a TYPE capability: "
			"its meaning is unknown");
}

void vi_decode_irq_info(struct vi_emit *em, const struct vi_query *q,
			enum vi_devkind kind, unsigned int profiles)
{
	struct vi_bytes b = vi_query_bytes(q);
	uint32_t flags = 0, count = 0;
	bool devtree = profiles & VI_PROF_DEVTREE;
	bool caps = !devtree && (profiles & VI_PROF_IRQ_CAPS);
	const struct vi_name *tbl = vi_irq_flags;

	if (vi_u32(b, VI_IRQ_FLAGS, &flags) || vi_u32(b, VI_IRQ_COUNT, &count)) {
		em_note(em, VI_NOTE_ERROR, "irq info is %zu bytes, shorter than its "
			"16-byte minimum", b.len);
		return;
	}
	em_detail_begin(em);
	em_u64(em, "argsz", vi_get32(b, VI_IRQ_ARGSZ));
	em_detail_end(em);
	if (devtree) {
		em_str(em, "profile", vi_profile_name(VI_PROF_DEVTREE));
		tbl = vi_irq_flags_devtree;
	} else if (caps) {
		/* automatic: say so only where its meaning is used */
		if (flags & VI_IRQCAPS_FLAG_CAPS)
			em_str(em, "profile", vi_profile_name(VI_PROF_IRQ_CAPS));
		tbl = vi_irq_flags_caps;
	}
	em_flags(em, "flags", flags, tbl);
	em_u64(em, "count", count);
	if (devtree && (flags & VI_DT_IRQ_PATH)) {
		em_obj_begin(em, "devtree", NULL);
		vi_decode_devtree_tail(em, b, VI_IRQ_SIZE, flags, 0, VI_DT_IRQ_PATH);
		em_obj_end(em);
	} else if (caps) {
		irq_caps(em, b, kind, flags, profiles);
	}
}

void vi_cap_irq_type(struct vi_emit *em, const struct vi_cap *cap, const struct vi_capdec *d,
		     unsigned int profiles)
{
	uint32_t type, sub;
	const char *tn, *sn;

	if (vi_u32(cap->body, 8, &type) || vi_u32(cap->body, 12, &sub)) {
		em_note(em, VI_NOTE_ERROR, "TYPE is truncated: %zu bytes, needs 16",
			cap->body.len);
		em_bytes(em, "data", cap->body.p, cap->body.len);
		return;
	}
	tn = vi_irq_type_name(type);
	sn = vi_irq_subtype_name(type, sub);
	em_u64(em, "type", type);
	em_str(em, "type_name", tn);
	em_u64(em, "subtype", sub);
	em_str(em, "subtype_name", sn);
}
