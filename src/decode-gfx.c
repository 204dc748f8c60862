// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-gfx.c - the display side of mediated GPUs: what a
 * VFIO_DEVICE_QUERY_GFX_PLANE probe answers, and the header of the GFX
 * EDID region (struct vfio_region_gfx_edid), read from the region.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "capture-io.h"
#include "decode.h"
#include "uapi/vfio-abi.h"

void vi_decode_gfx_probe(struct vi_emit *em, long ret)
{
	if (ret <= 0) {
		vi_emit_outcome(em, ret);
		return;
	}
	em_i64(em, "ret", ret);
	em_note(em, VI_NOTE_WARN, "the probe returned %ld: a kernel returns 0 or an error", ret);
}

/* edid_offset and edid_max_size place the blob: after the header, inside
 * the region. */
static void blob_place(struct vi_emit *em, uint32_t off, uint32_t max, uint64_t region_size)
{
	if (off < VI_EDID_HDR_SIZE)
		em_note(em, VI_NOTE_ERROR, "edid_offset 0x%x lies inside the %d-byte header",
			off, VI_EDID_HDR_SIZE);
	if (off >= region_size)
		em_note(em, VI_NOTE_ERROR, "edid_offset 0x%x is past the region's end (0x%llx "
			"bytes)", off, (unsigned long long)region_size);
	else if ((uint64_t)off + max > region_size)
		em_note(em, VI_NOTE_ERROR, "the blob (edid_offset 0x%x, edid_max_size 0x%x) "
			"runs past the region's end (0x%llx bytes)", off, max,
			(unsigned long long)region_size);
	if (max == 0)
		em_note(em, VI_NOTE_WARN, "edid_max_size 0: no EDID fits");
}

void vi_decode_gfx_edid(struct vi_emit *em, struct vi_bytes hdr, uint64_t region_size)
{
	uint32_t off = 0, max = 0, size, xres, yres, link;
	bool have_off, have_max;

	if (region_size < VI_EDID_HDR_SIZE)
		em_note(em, VI_NOTE_ERROR, "the region is %llu bytes: the header alone is %d",
			(unsigned long long)region_size, VI_EDID_HDR_SIZE);
	if (hdr.len < VI_EDID_HDR_SIZE)
		em_note(em, VI_NOTE_ERROR, "the read gave %zu of the header's %d bytes",
			hdr.len, VI_EDID_HDR_SIZE);
	have_off = vi_u32(hdr, VI_EDID_OFFSET, &off) == 0;
	if (have_off)
		em_hex(em, "edid_offset", off);
	have_max = vi_u32(hdr, VI_EDID_MAX_SIZE, &max) == 0;
	if (have_max)
		em_size(em, "edid_max_size", max);
	if (have_off && have_max && region_size >= VI_EDID_HDR_SIZE)
		blob_place(em, off, max, region_size);
	if (vi_u32(hdr, VI_EDID_SIZE_F, &size) == 0) {
		em_size(em, "edid_size", size);
		/* written by the VMM; the drivers store what it writes */
		if (have_max && size > max)
			em_note(em, VI_NOTE_WARN, "edid_size 0x%x is more than edid_max_size 0x%x",
				size, max);
		else if (size % 128)
			em_note(em, VI_NOTE_WARN, "edid_size 0x%x is no whole number of 128-byte "
				"EDID blocks", size);
	}
	if (vi_u32(hdr, VI_EDID_MAX_XRES, &xres) == 0)
		em_u64(em, "max_xres", xres);
	if (vi_u32(hdr, VI_EDID_MAX_YRES, &yres) == 0)
		em_u64(em, "max_yres", yres);
	if (hdr.len >= VI_EDID_MAX_YRES + 4 && xres == 0 && yres == 0)
		em_note(em, VI_NOTE_INFO, "max_xres and max_yres 0: no limit");
	if (vi_u32(hdr, VI_EDID_LINK_STATE, &link) == 0) {
		em_enum(em, "link_state", link, vi_gfx_link_states);
		/* the VMM sets it (down, blob, up); mbochs starts at 0 */
		if (link == 0)
			em_note(em, VI_NOTE_INFO, "link_state 0, neither UP nor DOWN: no VMM "
				"has set it yet");
		else if (!vi_name_of(vi_gfx_link_states, link))
			em_note(em, VI_NOTE_WARN, "link_state %u is neither UP (1) nor DOWN (2)",
				link);
	}
}
