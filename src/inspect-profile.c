// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect-profile.c - what a profile reads beside the ioctls: the zPCI
 * CLP region's content, the device tree of vfio-platform/amba from sysfs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "capture-io.h"
#include "inspect-int.h"
#include "uapi/vfio-abi.h"
#include "util.h"

/* zpci-clp-region: a device-specific region of type IBM, subtype 2. */
bool insp_is_zpci_clp(struct vi_bytes info, unsigned int profiles)
{
	uint32_t type, sub;

	return (profiles & VI_PROF_ZPCI_CLP) && vi_region_type_of(info, profiles, &type, &sub) &&
	       type == VI_ZPCI_CLP_TYPE && sub == VI_ZPCI_CLP_SUBTYPE;
}

/* Its content is read, not asked for: pread at the region's offset. */
void insp_zpci_clp(struct ctx *c, int h, const struct region_fact *f)
{
	struct vi_emit *em = c->em;
	size_t len = f->size < VI_ZPCI_CLP_MAX_READ ? (size_t)f->size : VI_ZPCI_CLP_MAX_READ;
	uint8_t *buf;
	ssize_t n;

	em_obj_begin(em, "zpci_clp", "zPCI CLP information");
	if (!(f->flags & 1u)) {
		em_note(em, VI_NOTE_ERROR, "the zPCI CLP region is not readable");
		goto out;
	}
	buf = calloc(1, len ? len : 1);
	if (!buf)
		goto out;
	n = len ? c->be->ops->pread(c->be, h, buf, len, f->offset) : 0;
	if (n < 0)
		vi_emit_error(em, n);
	else
		vi_decode_zpci_clp(em, vi_bytes_make(buf, (size_t)n, c->be->big_endian),
				   f->size);
	free(buf);
out:
	em_obj_end(em);
}

/* Canonical sysfs path of a link @rel (relative to the sysfs root). */
static char *sys_resolve(struct vi_backend *be, const char *rel)
{
	char *l = NULL, *dir, *joined, *out;
	const char *slash = strrchr(rel, '/');

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) != 0)
		return NULL;
	dir = slash ? vi_asprintf("%.*s", (int)(slash - rel), rel) : vi_strdup("");
	joined = l[0] == '/' ? vi_asprintf("%s", l) : vi_asprintf("%s/%s", dir, l);
	out = vi_path_normalize(joined);
	free(l);
	free(dir);
	free(joined);
	return out;
}

/* A big-endian u32 device-tree property, or @dflt. */
static uint32_t dt_u32(struct vi_backend *be, const char *node, const char *prop, uint32_t dflt)
{
	char *rel = vi_asprintf("%s/%s", node, prop), *v = NULL;
	size_t len = 0;
	uint32_t out = dflt;

	if (be->ops->read_file(be, VI_NS_SYS, rel, &v, &len) == 0 && len >= 4)
		out = vi_get32(vi_bytes_make(v, len, true), 0);
	free(v);
	free(rel);
	return out;
}

/*
 * Mainline vfio-platform/amba say nothing about the device tree; sysfs
 * does: the device's of_node and its "reg" entries, matched to regions
 * in order (the driver exposes the resources in "reg" order) and by size.
 */
void insp_devtree(struct ctx *c, const char *name, uint32_t nreg,
		  const struct region_fact *facts)
{
	static const char *const buses[] = { "platform", "amba", NULL };
	struct vi_backend *be = c->be;
	struct vi_emit *em = c->em;
	char *dev = NULL, *node = NULL, *rel, *reg = NULL, *parent;
	size_t len = 0;
	uint32_t ac, sc, cells, n;
	const char *base;

	for (int i = 0; buses[i] && !dev; i++) {
		rel = vi_asprintf("bus/%s/devices/%s", buses[i], name);
		dev = sys_resolve(be, rel);
		free(rel);
	}
	if (dev) {
		rel = vi_asprintf("%s/of_node", dev);
		node = sys_resolve(be, rel);
		free(rel);
	}
	if (!node)
		goto out;
	base = strstr(node, "firmware/devicetree/base");
	parent = vi_strdup(node);
	if (strrchr(parent, '/'))
		*strrchr(parent, '/') = '\0';
	/* the parent's cell sizes; the device-tree defaults are 2 and 1 */
	ac = dt_u32(be, parent, "#address-cells", 2);
	sc = dt_u32(be, parent, "#size-cells", 1);
	free(parent);

	em_obj_begin(em, "devtree", "device tree (sysfs)");
	em_str(em, "node", base ? (base[24] ? base + 24 : "/") : node);
	em_u64(em, "address_cells", ac);
	em_u64(em, "size_cells", sc);
	rel = vi_asprintf("%s/reg", node);
	if (ac > 2 || sc > 2 || ac + sc == 0) {
		em_note(em, VI_NOTE_WARN, "cell sizes %u/%u: reg not decoded", ac, sc);
	} else if (be->ops->read_file(be, VI_NS_SYS, rel, &reg, &len) == 0) {
		struct vi_bytes b = vi_bytes_make(reg, len, true);

		cells = (ac + sc) * 4;
		n = (uint32_t)(len / cells);
		if (len % cells)
			em_note(em, VI_NOTE_WARN, "reg is %zu bytes, not a multiple of %u",
				len, cells);
		em_arr_begin(em, "reg", NULL);
		for (uint32_t i = 0; i < n && i < MAX_REGIONS; i++) {
			size_t o = (size_t)i * cells;
			uint64_t addr = ac == 2 ? vi_get64(b, o) : (ac ? vi_get32(b, o) : 0);
			uint64_t size = sc == 2 ? vi_get64(b, o + ac * 4) : vi_get32(b, o + ac * 4);

			em_obj_begin(em, NULL, "reg %u: 0x%llx size 0x%llx", i,
				     (unsigned long long)addr, (unsigned long long)size);
			em_hex(em, "address", addr);
			em_size(em, "size", size);
			if (i < nreg && facts[i].ok && facts[i].size == size)
				em_u64(em, "region", i);
			else if (i < nreg && facts[i].ok)
				em_note(em, VI_NOTE_WARN, "region %u is 0x%llx bytes, reg %u "
					"0x%llx", i, (unsigned long long)facts[i].size, i,
					(unsigned long long)size);
			else
				em_null(em, "region");
			em_obj_end(em);
		}
		em_arr_end(em);
	}
	free(rel);
	free(reg);
	em_obj_end(em);
out:
	free(dev);
	free(node);
}

