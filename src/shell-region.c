// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-region.c - the shell's region commands: regions, read, write,
 * dump, layout, mmap and unmap, and the mappings reads go through.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "decode.h"
#include "shell-int.h"
#include "uapi/vfio-abi.h"

/* ---- mappings ---- */

static struct mapping *mapping_at(struct vi_shell *sh, uint32_t region, uint64_t off,
				  uint64_t len)
{
	for (size_t i = 0; i < sh->nmaps; i++) {
		struct mapping *m = &sh->maps[i];

		if (m->region == region && off >= m->off && off - m->off < m->len &&
		    len <= m->len - (off - m->off))
			return m;
	}
	return NULL;
}

/* One access of exactly @w bytes through the mapping; the bytes come out
 * in the order the device holds them, as pread gives them. */
static void mmio_read(const void *addr, unsigned int w, uint8_t *out)
{
	switch (w) {
	case 1: {
		uint8_t v = *(const volatile uint8_t *)addr;
		memcpy(out, &v, 1);
		break;
	}
	case 2: {
		uint16_t v = *(const volatile uint16_t *)addr;
		memcpy(out, &v, 2);
		break;
	}
	case 4: {
		uint32_t v = *(const volatile uint32_t *)addr;
		memcpy(out, &v, 4);
		break;
	}
	default: {
		uint64_t v = *(const volatile uint64_t *)addr;
		memcpy(out, &v, 8);
		break;
	}
	}
}

/* ---- regions ---- */

static void emit_region(struct vi_shell *sh, struct vi_region *rg)
{
	struct vi_emit *em = sh->em;

	em_obj_begin(em, NULL, "region %u%s%s", rg->index, rg->name[0] ? " " : "", rg->name);
	em_detail_begin(em);
	em_u64(em, "index", rg->index);
	if (rg->name[0])
		em_str(em, "name", rg->name);
	else
		em_null(em, "name");
	em_detail_end(em);
	if (rg->q.ret < 0)
		vi_emit_error(em, rg->q.ret);
	else
		vi_decode_region_info(em, &rg->q, sh->dev->kind, sh->dev->profiles);
	vi_emit_query_stop(em, &rg->q);
	em_obj_end(em);
}

int vi_shc_regions(struct vi_shell *sh, int argc, char **argv)
{
	em_arr_begin(sh->em, "regions", NULL);
	for (uint32_t i = 0; i < sh->dev->nregions; i++)
		emit_region(sh, &sh->dev->regions[i]);
	em_arr_end(sh->em);
	return 0;
}

/* ---- read, write, dump ---- */

int vi_shc_read(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = vi_sh_find_region(sh, argv[1]);
	struct mapping *m;
	uint8_t buf[8];
	uint64_t off;
	unsigned int w;
	ssize_t n;
	char b[32];
	int r;

	if (!rg)
		return VI_EXIT_USAGE;
	if ((r = vi_sh_parse_offset(sh, argv[2], &off)) ||
	    (r = vi_sh_parse_width(sh, argc > 3 ? argv[3] : NULL, &w)))
		return r;
	if ((r = vi_sh_check_access(sh, rg, off, w, R_READ)))
		return r;
	m = mapping_at(sh, rg->index, off, w);
	if (m && off % w == 0) {
		mmio_read((const uint8_t *)m->addr + (off - m->off), w, buf);
		n = w;
	} else {
		m = NULL;
		n = sh->be->ops->pread(sh->be, sh->dev->dev, buf, w, rg->offset + off);
		if (n < 0)
			return vi_sh_sys_fail(sh, n, "pread");
		if ((size_t)n < w)
			return vi_sh_refuse(sh, VI_EXIT_FAILURE, "short read: %zd of %u bytes at "
					    "%s+0x%llx", n, w, vi_sh_region_label(rg, b, sizeof(b)),
					    (unsigned long long)off);
	}
	em_str(sh->em, "region", vi_sh_region_label(rg, b, sizeof(b)));
	em_hex(sh->em, "offset", off);
	em_u64(sh->em, "width", w);
	em_hex(sh->em, "value", vi_load(buf, w, false));
	em_str(sh->em, "via", m ? "mmap" : "pread");
	return 0;
}

bool vi_sh_is_bar(const struct vi_shell *sh, const struct vi_region *rg)
{
	return sh->dev->kind == VI_DEV_PCI && rg->index < VI_PCI_ROM_INDEX;
}

int vi_shc_write(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = vi_sh_find_region(sh, argv[1]);
	struct vi_pci_msix mx;
	uint8_t buf[8];
	uint64_t off, v;
	unsigned int w;
	const char *what = NULL;
	char b[32], q[256];
	ssize_t n;
	int r;

	if (!rg)
		return VI_EXIT_USAGE;
	if ((r = vi_sh_parse_offset(sh, argv[2], &off)))
		return r;
	if (!vi_sh_parse_u64(argv[3], &v))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "bad value '%s': give a number such as 0x1f",
				    argv[3]);
	if ((r = vi_sh_parse_width(sh, argc > 4 ? argv[4] : NULL, &w)))
		return r;
	if (w < 8 && v >> (8 * w))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "value 0x%llx does not fit in %u "
				    "byte%s: give a wider width or a smaller value",
				    (unsigned long long)v, w, w == 1 ? "" : "s");
	if ((r = vi_sh_check_access(sh, rg, off, w, R_WRITE)))
		return r;
	if (!sh->write)
		return vi_sh_refuse(sh, VI_EXIT_PERM, "writes are off: start the shell with "
				    "--write, or type 'set write on'");
	if (sh->dev->kind == VI_DEV_PCI && rg->index == VI_PCI_CONFIG_INDEX)
		what = "config space";
	else if (vi_sh_is_bar(sh, rg))
		what = "a BAR";
	if (vi_sh_is_bar(sh, rg) && vi_sh_msix_of(sh, &mx)) {
		if (mx.table_bir == rg->index && vi_sh_overlaps(off, w, mx.table_off, mx.table_len))
			what = "the MSI-X table";
		else if (mx.pba_bir == rg->index && vi_sh_overlaps(off, w, mx.pba_off, mx.pba_len))
			what = "the MSI-X PBA";
	}
	if (what && sh->o.confirm) {
		snprintf(q, sizeof(q), "write 0x%llx (%u byte%s) to %s+0x%llx, which is %s: "
			 "the device acts on it. Go ahead?", (unsigned long long)v, w,
			 w == 1 ? "" : "s", vi_sh_region_label(rg, b, sizeof(b)),
			 (unsigned long long)off, what);
		if (!sh->o.confirm(sh->o.confirm_ctx, q))
			return vi_sh_refuse(sh, VI_EXIT_USAGE, "not confirmed: nothing was "
					    "written");
	}
	vi_store(buf, w, v, false);
	n = sh->be->ops->pwrite(sh->be, sh->dev->dev, buf, w, rg->offset + off);
	if (n < 0)
		return vi_sh_sys_fail(sh, n, "pwrite");
	if ((size_t)n < w)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "short write: %zd of %u bytes", n, w);
	em_str(sh->em, "region", vi_sh_region_label(rg, b, sizeof(b)));
	em_hex(sh->em, "offset", off);
	em_u64(sh->em, "width", w);
	em_hex(sh->em, "written", v);
	return 0;
}

/*
 * One row of a dump as em_bytes prints it (emit-text.c): 16 bytes as
 * 2-digit hex groups, a short row padded, then the ASCII column between
 * bars.  The emitter escapes a backslash to two, which would shift the
 * closing bar: it shows as '.', as other bytes that are not printable do.
 */
#define HEXDUMP_ROW	(16 * 3 + 2 + 16 + 2)

static void hexdump_row(const uint8_t *p, size_t n, char *row)
{
	size_t o = 0;

	for (size_t j = 0; j < 16; j++) {
		if (j < n)
			o += (size_t)snprintf(row + o, HEXDUMP_ROW - o, "%s%02x", j ? " " : "",
					      p[j]);
		else
			o += (size_t)snprintf(row + o, HEXDUMP_ROW - o, "   ");
	}
	row[o++] = ' ';
	row[o++] = '|';
	for (size_t j = 0; j < n; j++)
		row[o++] = p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\' ? (char)p[j] : '.';
	row[o++] = '|';
	row[o] = '\0';
}

int vi_shc_dump(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = vi_sh_find_region(sh, argv[1]);
	struct vi_emit *em = sh->em;
	uint64_t off, len;
	uint8_t *buf;
	ssize_t n;
	char b[32];
	bool wide;
	int r;

	if (!rg)
		return VI_EXIT_USAGE;
	if ((r = vi_sh_parse_offset(sh, argv[2], &off)))
		return r;
	len = 256;
	if (argc > 3 && (!vi_sh_parse_u64(argv[3], &len) || len == 0 || len > MAX_DUMP))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "bad length '%s': give 1 to %u bytes",
				    argv[3], MAX_DUMP);
	if (argc <= 3 && rg->ok && off < rg->size && rg->size - off < len)
		len = rg->size - off;
	if ((r = vi_sh_check_access(sh, rg, off, len, R_READ)))
		return r;
	buf = malloc((size_t)len);
	if (!buf)
		return vi_sh_sys_fail(sh, -ENOMEM, "allocating");
	n = sh->be->ops->pread(sh->be, sh->dev->dev, buf, (size_t)len, rg->offset + off);
	if (n < 0) {
		free(buf);
		return vi_sh_sys_fail(sh, n, "pread");
	}
	em_detail_begin(em);
	em_str(em, "region", vi_sh_region_label(rg, b, sizeof(b)));
	em_hex(em, "offset", off);
	em_u64(em, "length", (uint64_t)n);
	em_bytes(em, "data", buf, (size_t)n);
	em_detail_end(em);
	em_arr_begin(em, "hexdump", "%s 0x%llx, %zd bytes", vi_sh_region_label(rg, b, sizeof(b)),
		     (unsigned long long)off, n);
	/* 4 hex digits of offset as em_bytes prints, 8 when the dump goes past
	 * 0xffff, the same for every row so that the columns line up.  Text:
	 * the row as xxd prints it; JSON: {"offset": N, "bytes": "hex"} */
	wide = n > 0 && off + (uint64_t)n - 1 > 0xffff;
	for (ssize_t i = 0; i < n; i += 16) {
		size_t rn = (size_t)(n - i < 16 ? n - i : 16);
		char row[HEXDUMP_ROW], hex[16 * 2 + 1];

		hexdump_row(buf + i, rn, row);
		for (size_t j = 0; j < rn; j++)
			snprintf(hex + 2 * j, 3, "%02x", buf[i + (ssize_t)j]);
		hex[2 * rn] = '\0';
		em_obj_begin(em, NULL, "%0*llx: %s", wide ? 8 : 4,
			     (unsigned long long)(off + (uint64_t)i), row);
		em_detail_begin(em);
		em_u64(em, "offset", off + (uint64_t)i);
		em_str(em, "bytes", hex);
		em_detail_end(em);
		em_obj_end(em);
	}
	em_arr_end(em);
	free(buf);
	if ((uint64_t)n < len)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "short read: %zd of %llu bytes", n,
				    (unsigned long long)len);
	return 0;
}

/* ---- layout ---- */

static int cmp_area(const void *a, const void *b)
{
	const struct vi_area *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static void emit_window(struct vi_emit *em, const char *key, const char *label,
			uint64_t off, uint64_t len, uint64_t page)
{
	em_obj_begin(em, key, "%s", label);
	em_hex(em, "offset", off);
	em_size(em, "size", len);
	em_hex(em, "first_page", off / page * page);
	em_hex(em, "last_page", (off + (len ? len - 1 : 0)) / page * page);
	em_obj_end(em);
}

int vi_shc_layout(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = vi_sh_find_region(sh, argv[1]);
	struct vi_emit *em = sh->em;
	struct vi_hostinfo hi;
	struct vi_pci_msix mx;
	struct vi_area *areas = NULL;
	uint32_t na = 0;
	uint64_t page, pos = 0;
	bool has_msix, tbl = false, pba = false;
	char b[32];

	if (!rg)
		return VI_EXIT_USAGE;
	if (!vi_sh_is_bar(sh, rg))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s is not a BAR: layout draws BAR0 to BAR5",
				    vi_sh_region_label(rg, b, sizeof(b)));
	if (!rg->ok)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "%s did not answer "
				    "VFIO_DEVICE_GET_REGION_INFO", rg->name);
	if (!rg->size)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s has size 0: the device does not "
				    "implement it", rg->name);
	page = sh->be->page_size;
	if (!page && sh->be->ops->host_info(sh->be, &hi) == 0)
		page = hi.page_size;
	if (!page)
		page = 4096;
	has_msix = vi_sh_msix_of(sh, &mx);
	tbl = has_msix && mx.table_bir == rg->index;
	pba = has_msix && mx.pba_bir == rg->index;

	em_str(em, "region", rg->name);
	em_size(em, "size", rg->size);
	em_flags(em, "flags", rg->flags, vi_region_flags);
	em_size(em, "page_size", page);
	em_bool(em, "sparse", rg->sparse);
	em_bool(em, "msix_mappable", rg->msix_mappable);

	if (rg->flags & R_MMAP) {
		if (rg->sparse) {
			na = rg->nareas;
			areas = calloc(na ? na : 1, sizeof(*areas));
			if (areas && na)
				memcpy(areas, rg->areas, na * sizeof(*areas));
			if (areas)
				qsort(areas, na, sizeof(*areas), cmp_area);
		} else {
			areas = calloc(1, sizeof(*areas));
			if (areas) {
				areas[0].size = rg->size;
				na = 1;
			}
		}
	}
	em_arr_begin(em, "ranges", NULL);
	for (uint32_t i = 0; areas && i <= na; i++) {
		uint64_t s = i < na ? areas[i].offset : rg->size;
		uint64_t e = i < na ? areas[i].offset + areas[i].size : rg->size;

		if (s > rg->size)
			s = rg->size;
		if (e > rg->size || e < s)
			e = rg->size;
		if (s > pos) {
			em_obj_begin(em, NULL, "0x%08llx-0x%08llx trapped", (unsigned long long)pos,
				     (unsigned long long)(s - 1));
			em_detail_begin(em);
			em_hex(em, "start", pos);
			em_hex(em, "end", s - 1);
			em_str(em, "access", "trapped");
			em_detail_end(em);
			em_obj_end(em);
		}
		if (i < na && e > s && e > pos) {
			if (s < pos)
				s = pos;
			em_obj_begin(em, NULL, "0x%08llx-0x%08llx mmap", (unsigned long long)s,
				     (unsigned long long)(e - 1));
			em_detail_begin(em);
			em_hex(em, "start", s);
			em_hex(em, "end", e - 1);
			em_str(em, "access", "mmap");
			em_detail_end(em);
			if (s % page || e % page)
				em_note(em, VI_NOTE_WARN, "this area is not page-aligned "
					"(page size 0x%llx)", (unsigned long long)page);
			em_obj_end(em);
			pos = e;
		}
	}
	if (!areas) {
		em_obj_begin(em, NULL, "0x%08llx-0x%08llx trapped", 0ull,
			     (unsigned long long)(rg->size - 1));
		em_detail_begin(em);
		em_hex(em, "start", 0);
		em_hex(em, "end", rg->size - 1);
		em_str(em, "access", "trapped");
		em_detail_end(em);
		em_obj_end(em);
	}
	em_arr_end(em);

	if (tbl)
		emit_window(em, "msix_table", "MSI-X table", mx.table_off, mx.table_len, page);
	if (pba)
		emit_window(em, "msix_pba", "MSI-X PBA", mx.pba_off, mx.pba_len, page);
	if (!(rg->flags & R_MMAP))
		em_note(em, VI_NOTE_INFO, "%s has no MMAP flag: every access is trapped "
			"(pread/pwrite)", rg->name);
	if (rg->size < page)
		em_note(em, VI_NOTE_WARN, "%s (0x%llx bytes) is smaller than a page (0x%llx): "
			"mapping it exposes the rest of the page", rg->name,
			(unsigned long long)rg->size, (unsigned long long)page);
	if (tbl && pba && vi_sh_overlaps(mx.table_off / page, (mx.table_off + mx.table_len - 1) /
					 page - mx.table_off / page + 1, mx.pba_off / page,
					 (mx.pba_off + mx.pba_len - 1) / page - mx.pba_off / page + 1))
		em_note(em, VI_NOTE_WARN, "the MSI-X table and PBA share a page: a guest "
			"mapping one maps the other");
	if ((tbl || pba) && (rg->flags & R_MMAP) && !rg->msix_mappable && !rg->sparse)
		em_note(em, VI_NOTE_WARN, "the BAR holds MSI-X structures and is mmap-able "
			"without MSIX_MAPPABLE or sparse areas");
	for (uint32_t i = 0; tbl && rg->sparse && i < na; i++)
		if (vi_sh_overlaps(areas[i].offset, areas[i].size, mx.table_off / page * page,
				   (mx.table_len + page - 1) / page * page) && !rg->msix_mappable)
			em_note(em, VI_NOTE_WARN, "sparse area %u covers the MSI-X table page "
				"though MSIX_MAPPABLE is absent", i);
	free(areas);
	return 0;
}

/* ---- mmap, unmap ---- */

int vi_shc_mmap(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = vi_sh_find_region(sh, argv[1]);
	struct vi_emit *em = sh->em;
	struct vi_area whole;
	const struct vi_area *areas;
	uint32_t na;
	char b[32];
	int done = 0;

	if (!rg)
		return VI_EXIT_USAGE;
	if (!rg->ok || !rg->size)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s cannot be mapped: it has no size",
				    vi_sh_region_label(rg, b, sizeof(b)));
	if (!(rg->flags & R_MMAP))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s cannot be mapped: its flags (0x%x) lack "
				    "MMAP; use read and dump, which go through pread",
				    vi_sh_region_label(rg, b, sizeof(b)), rg->flags);
	for (size_t i = 0; i < sh->nmaps; i++)
		if (sh->maps[i].region == rg->index)
			return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s is mapped already: 'unmap' "
					    "first", vi_sh_region_label(rg, b, sizeof(b)));
	whole.offset = 0;
	whole.size = rg->size;
	areas = rg->sparse ? rg->areas : &whole;
	na = rg->sparse ? rg->nareas : 1;
	if (rg->sparse && !na)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s is sparse with no mmap-able area: "
				    "use read and dump", vi_sh_region_label(rg, b, sizeof(b)));
	em_str(em, "region", vi_sh_region_label(rg, b, sizeof(b)));
	em_arr_begin(em, "mappings", NULL);
	for (uint32_t i = 0; i < na; i++) {
		struct mapping *nm;
		void *p;

		if (!areas[i].size || areas[i].offset > rg->size ||
		    areas[i].size > rg->size - areas[i].offset || areas[i].size > SIZE_MAX)
			continue;
		p = sh->be->ops->mmap(sh->be, sh->dev->dev, (size_t)areas[i].size,
				      rg->offset + areas[i].offset, false);
		em_obj_begin(em, NULL, "0x%llx+0x%llx", (unsigned long long)areas[i].offset,
			     (unsigned long long)areas[i].size);
		em_detail_begin(em);
		em_hex(em, "offset", areas[i].offset);
		em_size(em, "size", areas[i].size);
		em_detail_end(em);
		if (!p) {
			vi_emit_error(em, -errno);
			em_obj_end(em);
			continue;
		}
		nm = realloc(sh->maps, (sh->nmaps + 1) * sizeof(*nm));
		if (!nm) {
			sh->be->ops->munmap(sh->be, p, (size_t)areas[i].size);
			em_obj_end(em);
			continue;
		}
		sh->maps = nm;
		sh->maps[sh->nmaps++] = (struct mapping){ rg->index, areas[i].offset,
							  (size_t)areas[i].size, p };
		done++;
		em_obj_end(em);
	}
	em_arr_end(em);
	if (!done)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "no area of %s could be mapped",
				    vi_sh_region_label(rg, b, sizeof(b)));
	em_note(em, VI_NOTE_INFO, "read %s ... now goes through the mapping (read-only)",
		vi_sh_region_label(rg, b, sizeof(b)));
	return 0;
}

void vi_sh_unmap_all(struct vi_shell *sh, int region)
{
	for (size_t i = 0; i < sh->nmaps;) {
		if (region >= 0 && sh->maps[i].region != (uint32_t)region) {
			i++;
			continue;
		}
		sh->be->ops->munmap(sh->be, sh->maps[i].addr, sh->maps[i].len);
		sh->maps[i] = sh->maps[--sh->nmaps];
	}
}

int vi_shc_unmap(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_region *rg = NULL;
	size_t before = sh->nmaps;

	if (argc > 1 && !(rg = vi_sh_find_region(sh, argv[1])))
		return VI_EXIT_USAGE;
	vi_sh_unmap_all(sh, rg ? (int)rg->index : -1);
	em_u64(sh->em, "unmapped", before - sh->nmaps);
	return 0;
}
