// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect-display.c - what a display device (a mediated GPU: i915-GVT,
 * mdpy, mbochs) is asked: QUERY_GFX_PLANE in its two probe forms, and the
 * header of its GFX EDID region, read from the region.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>

#include "decode.h"
#include "inspect-int.h"
#include "query.h"
#include "uapi/vfio-abi.h"

static void prep_plane(uint8_t *buf, size_t len, bool be, const void *ctx)
{
	vi_put32(buf, len, VI_GFXP_FLAGS, *(const uint32_t *)ctx, be);
}

/* Only probes: a plain query of a DMABUF plane creates a dma-buf id in
 * the driver (backend-live.c refuses one as well). */
static long probe_plane(struct ctx *c, int h, uint32_t type)
{
	uint32_t flags = VI_GFX_PLANE_TYPE_PROBE | type;
	struct vi_query q;
	long r = vi_query_run(c->be, h, VI_IOC_DEVICE_QUERY_GFX_PLANE, VI_GFXP_SIZE,
			      prep_plane, &flags, &q);

	vi_query_free(&q);
	return r;
}

static void plane(struct ctx *c, const char *key, const char *what, long r)
{
	if (r == 0)
		em_obj_begin(c->em, key, "%s plane: offered", what);
	else if (r == -EINVAL)
		em_obj_begin(c->em, key, "%s plane: not offered", what);
	else
		em_obj_begin(c->em, key, "%s plane", what);
	vi_decode_gfx_probe(c->em, r);
	em_obj_end(c->em);
}

void insp_gfx_planes(struct ctx *c, int h)
{
	long region = probe_plane(c, h, VI_GFX_PLANE_TYPE_REGION);
	long dmabuf = probe_plane(c, h, VI_GFX_PLANE_TYPE_DMABUF);

	/* ENOTTY to both: not a display device, nothing to say */
	if (region == -ENOTTY && dmabuf == -ENOTTY)
		return;
	em_obj_begin(c->em, "gfx_plane", "display planes (VFIO_DEVICE_QUERY_GFX_PLANE probe)");
	plane(c, "region", "region", region);
	plane(c, "dmabuf", "dma-buf", dmabuf);
	em_obj_end(c->em);
}

bool insp_is_gfx_edid(struct vi_bytes info, unsigned int profiles)
{
	uint32_t type, sub;

	return vi_region_type_of(info, profiles, &type, &sub) && type == VI_REGION_TYPE_GFX &&
	       sub == VI_REGION_SUBTYPE_GFX_EDID;
}

/* The header is read from the region's first bytes, as QEMU does; the
 * blob behind it is not read. */
void insp_gfx_edid(struct ctx *c, int h, const struct region_fact *f)
{
	struct vi_emit *em = c->em;
	uint8_t buf[VI_EDID_HDR_SIZE] = { 0 };
	size_t len = f->size < sizeof(buf) ? (size_t)f->size : sizeof(buf);
	ssize_t n;

	em_obj_begin(em, "edid", "EDID region header");
	if (!(f->flags & 1u)) {
		em_note(em, VI_NOTE_ERROR, "the EDID region is not readable");
	} else {
		n = len ? c->be->ops->pread(c->be, h, buf, len, f->offset) : 0;
		if (n < 0)
			vi_emit_error(em, n);
		else
			vi_decode_gfx_edid(em, vi_bytes_make(buf, (size_t)n, c->be->big_endian),
					   f->size);
	}
	em_obj_end(em);
}
