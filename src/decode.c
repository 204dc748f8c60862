// SPDX-License-Identifier: GPL-2.0-or-later
/* decode.c - the capability registry, the chain walker, shared emitters. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "decode-caps.h"
#include "capture-io.h"
#include "util.h"

static const struct vi_capdec registry[] = {
	/* VFIO_DEVICE_GET_INFO */
	{ VI_CHAIN_DEVICE, 1, 1, 3, "ZPCI_BASE", 36, vi_cap_zpci_base, 0,
	  "s390 zPCI function: DMA range, PCHID, VFN, function handle (v2), error record length (v3)" },
	{ VI_CHAIN_DEVICE, 2, 1, 2, "ZPCI_GROUP", 42, vi_cap_zpci_group, 0,
	  "s390 zPCI function group: DASM, MSI address, limits (v2: imaxstbl)" },
	{ VI_CHAIN_DEVICE, 3, 1, 1, "ZPCI_UTIL", 12, vi_cap_zpci_util, 0,
	  "s390 zPCI utility string (EBCDIC)" },
	{ VI_CHAIN_DEVICE, 4, 1, 1, "ZPCI_PFIP", 12, vi_cap_zpci_pfip, 0,
	  "s390 zPCI PCI function internal path" },
	{ VI_CHAIN_DEVICE, 5, 1, 1, "PCI_ATOMIC_COMP", 16, vi_cap_atomic_comp, 0,
	  "PCIe AtomicOp completer widths routed to the root port" },
	/* VFIO_DEVICE_GET_REGION_INFO */
	{ VI_CHAIN_REGION, 1, 1, 1, "SPARSE_MMAP", 16, vi_cap_sparse_mmap, 0,
	  "mmap-able areas of a partially mappable region" },
	{ VI_CHAIN_REGION, 2, 1, 1, "TYPE", 16, vi_cap_region_type, 0,
	  "device-specific region type and subtype" },
	{ VI_CHAIN_REGION, 3, 1, 1, "MSIX_MAPPABLE", 8, vi_cap_header_only, 0,
	  "the MSI-X table in this BAR may be mmap-ed" },
	{ VI_CHAIN_REGION, 4, 1, 1, "NVLINK2_SSATGT", 16, vi_cap_nvlink2_ssatgt, 0,
	  "NVLink2 GPU RAM target address (removed in Linux 5.13)" },
	{ VI_CHAIN_REGION, 5, 1, 1, "NVLINK2_LNKSPD", 16, vi_cap_nvlink2_lnkspd, 0,
	  "NVLink2 link speed (removed in Linux 5.13)" },
	/* VFIO_IOMMU_GET_INFO (type1 and iommufd compat) */
	{ VI_CHAIN_IOMMU, 1, 1, 1, "IOVA_RANGE", 16, vi_cap_iova_range, 0,
	  "usable IOVA ranges (end inclusive)" },
	{ VI_CHAIN_IOMMU, 2, 1, 1, "MIGRATION", 32, vi_cap_migration, 0,
	  "dirty page tracking: page sizes, bitmap limit" },
	{ VI_CHAIN_IOMMU, 3, 1, 1, "DMA_AVAIL", 12, vi_cap_dma_avail, 0,
	  "DMA mappings still available" },
	/* zpci-iommu-2019 (--abi only: ids 1 and 2 collide with mainline) */
	{ VI_CHAIN_IOMMU, 1, 1, 1, "QFN", 8 + 192, vi_cap_zpci_qfn, VI_PROF_ZPCI_IOMMU,
	  "s390 zPCI query-PCI-function response: FID, BARs, DMA range, UID" },
	{ VI_CHAIN_IOMMU, 2, 1, 1, "QGRP", 8 + 64, vi_cap_zpci_qgrp, VI_PROF_ZPCI_IOMMU,
	  "s390 zPCI query-function-group response: DASM, MSI address, limits" },
	/* VFIO_DEVICE_GET_IRQ_INFO, irq-caps-2019 (automatic) */
	{ VI_CHAIN_IRQ, 3, 1, 1, "TYPE", 16, vi_cap_irq_type, VI_PROF_IRQ_CAPS,
	  "device-specific irq type and subtype (GVT-g display irq)" },
};

const struct vi_capdec *vi_capdec_table(unsigned int *n)
{
	*n = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

const char *vi_chain_name(enum vi_chain c)
{
	static const char *const names[VI_CHAIN_COUNT] = {
		[VI_CHAIN_DEVICE] = "device",
		[VI_CHAIN_REGION] = "region",
		[VI_CHAIN_IOMMU] = "iommu",
		[VI_CHAIN_IRQ] = "irq",
	};
	return (unsigned)c < VI_CHAIN_COUNT ? names[c] : "?";
}

const char *vi_profile_name(unsigned int bit)
{
	switch (bit) {
	case VI_PROF_ZPCI_CLP:
		return "zpci-clp-region";
	case VI_PROF_IRQ_CAPS:
		return "irq-caps-2019";
	case VI_PROF_DEVTREE:
		return "devtree-2013";
	case VI_PROF_ZPCI_IOMMU:
		return "zpci-iommu-2019";
	}
	return "mainline";
}

/*
 * Which decoder handles (chain, id) under the active profiles: a profile
 * asked for wins over mainline, so colliding ids keep their mainline
 * meaning unless the user chose otherwise.
 */
static const struct vi_capdec *lookup(enum vi_chain chain, uint16_t id, unsigned int profiles)
{
	const struct vi_capdec *main_dec = NULL;

	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++) {
		const struct vi_capdec *d = &registry[i];
		if (d->chain != chain || d->id != id)
			continue;
		if (d->profile && (d->profile & profiles))
			return d;
		if (!d->profile)
			main_dec = d;
	}
	return main_dec;
}

void vi_decode_caps(struct vi_emit *em, enum vi_chain chain, struct vi_bytes buf,
		    uint32_t first, uint32_t fixed, unsigned int profiles)
{
	struct vi_capiter it;
	struct vi_cap cap;

	em_arr_begin(em, "caps", NULL);
	vi_capiter_init(&it, buf, first, fixed);
	while (vi_capiter_next(&it, &cap)) {
		const struct vi_capdec *d = lookup(chain, cap.id, profiles);

		em_obj_begin(em, NULL, "cap %s v%u @0x%x", d ? d->name : "unknown",
			     cap.version, cap.offset);
		/* the heading already says these in text */
		em_detail_begin(em);
		em_hex(em, "offset", cap.offset);
		em_u64(em, "id", cap.id);
		if (d)
			em_str(em, "name", d->name);
		else
			em_null(em, "name");
		em_u64(em, "version", cap.version);
		em_hex(em, "next", cap.next);
		em_detail_end(em);
		if (d && d->profile)
			em_str(em, "profile", vi_profile_name(d->profile));

		if (!d) {
			em_note(em, VI_NOTE_WARN, "unknown %s capability id %u: shown raw",
				vi_chain_name(chain), cap.id);
			em_bytes(em, "data", cap.body.p, cap.body.len);
		} else if (cap.version < d->vmin) {
			em_note(em, VI_NOTE_WARN, "%s version %u is older than any known "
				"(%u): shown raw", d->name, cap.version, d->vmin);
			em_bytes(em, "data", cap.body.p, cap.body.len);
		} else {
			if (cap.version > d->vmax)
				em_note(em, VI_NOTE_WARN, "%s version %u is newer than "
					"known (%u): decoding the fields of version %u",
					d->name, cap.version, d->vmax, d->vmax);
			d->fn(em, &cap, d, profiles);
		}
		em_obj_end(em);
	}
	if (it.fault != VI_CAPF_NONE)
		em_note(em, VI_NOTE_ERROR, "%s capability chain: offset 0x%x %s; "
			"chain stopped after %u capabilities",
			vi_chain_name(chain), it.fault_off, vi_capfault_str(it.fault),
			it.count);
	em_arr_end(em);
}

void vi_emit_outcome(struct vi_emit *em, long ret)
{
	int e = ret < 0 ? (int)-ret : 0;
	const char *name = vi_errno_name(e);
	char text[160];

	/* replay: the capture never asked this, so no kernel answered */
	if (e == VI_ENOREC) {
		em_bool(em, "recorded", false);
		em_note(em, VI_NOTE_INFO, "not recorded in this capture: the vfio-info "
			"that made it did not ask this");
		return;
	}
	/* "ret" is for scripts; a person reads the errno and its phrase */
	em_detail_begin(em);
	em_i64(em, "ret", ret < 0 ? (int64_t)-e : 0);
	em_detail_end(em);
	if (!e)
		return;
	if (name)
		snprintf(text, sizeof(text), "%s (%s)", name, strerror(e));
	else
		snprintf(text, sizeof(text), "%d (%s)", e, strerror(e));
	/* JSON: the name, null for a number that has none */
	em_str_text(em, "errno", name, text);
}

void vi_emit_error(struct vi_emit *em, long ret)
{
	vi_emit_outcome(em, ret < 0 ? ret : -ret);
}

void vi_emit_negotiation(struct vi_emit *em, const struct vi_query *q)
{
	const struct vi_ioc_desc *d = vi_ioc_desc(q->ioc);
	const char *kin = "argsz_in", *kout = "argsz_out";

	switch (d->growth) {
	case VI_GROW_COUNT_ENOSPC:
		kout = "count_out";
		break;
	case VI_GROW_COUNT_EMSGSIZE:
		kin = "num_iovas_in";
		kout = "num_iovas_out";
		break;
	case VI_GROW_DATA_LEN:
		kin = "data_len_in";
		kout = "data_len_out";
		break;
	default:
		break;
	}
	em_detail_begin(em);
	em_arr_begin(em, "negotiation", NULL);
	for (unsigned int i = 0; i < q->ncalls; i++) {
		const struct vi_call *c = &q->calls[i];

		em_obj_begin(em, NULL, "%s", d->name);
		em_str(em, "ioctl", d->name);
		em_u64(em, kin, c->in);
		em_u64(em, kout, c->out);
		/* "ret" always a number; "errno" its name (null if it has
		 * none) on a failure */
		em_i64(em, "ret", (int64_t)c->ret);
		if (c->ret < 0)
			em_str(em, "errno", vi_errno_name((int)-c->ret));
		em_obj_end(em);
	}
	em_arr_end(em);
	em_detail_end(em);
}

void vi_emit_query_stop(struct vi_emit *em, const struct vi_query *q)
{
	const struct vi_ioc_desc *d = vi_ioc_desc(q->ioc);

	if (q->stop == VI_QSTOP_ROUNDS)
		em_note(em, VI_NOTE_ERROR, "%s: the size asked for kept growing over %u "
			"calls; decoding the last answer (%zu bytes)", d->name,
			q->ncalls, q->valid);
	else if (q->stop == VI_QSTOP_TOO_BIG)
		em_note(em, VI_NOTE_ERROR, "%s: the kernel asked for more than %u bytes; "
			"decoding the last answer (%zu bytes)", d->name,
			VI_QUERY_MAX_SIZE, q->valid);
}

bool vi_emit_fields(struct vi_emit *em, struct vi_bytes b, const struct vi_field *f,
		    size_t n, const char *what, size_t need)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v;
		bool zero = true;

		if (!vi_bytes_has(b, f[i].off, f[i].size)) {
			em_note(em, VI_NOTE_ERROR, "%s is truncated: %zu bytes, needs %zu; "
				"stopped before %s (offset %u)", what, b.len, need,
				f[i].name, f[i].off);
			return false;
		}
		if (f[i].kind == VI_F_RSVD) {
			for (size_t k = 0; k < f[i].size; k++)
				zero = zero && b.p[f[i].off + k] == 0;
			if (zero)
				continue;
			if (f[i].size <= 8)
				em_hex(em, f[i].name, vi_load(b.p + f[i].off, f[i].size,
							       b.big_endian));
			else
				em_bytes(em, f[i].name, b.p + f[i].off, f[i].size);
			continue;
		}
		v = vi_load(b.p + f[i].off, f[i].size > 8 ? 8 : f[i].size, b.big_endian);
		switch (f[i].kind) {
		case VI_F_HEX:
			em_hex(em, f[i].name, v);
			break;
		case VI_F_U64:
			em_u64(em, f[i].name, v);
			break;
		case VI_F_FLAGS:
			em_flags(em, f[i].name, v, f[i].tbl);
			break;
		case VI_F_RSVD:
			break;
		}
	}
	return true;
}

void vi_emit_ebcdic(struct vi_emit *em, const char *key, struct vi_bytes s)
{
	char text[512], tkey[64];

	snprintf(tkey, sizeof(tkey), "%s_text", key);
	em_bytes(em, key, s.p, s.len);
	if (vi_ebcdic_to_ascii(s.p, s.len, text, sizeof(text)))
		em_str(em, tkey, text);
	else
		em_null(em, tkey);
}

void vi_emit_query_done(struct vi_emit *em, struct vi_query *q)
{
	vi_emit_query_stop(em, q);
	vi_emit_negotiation(em, q);
	vi_query_free(q);
}

/* EBCDIC code page 037 to ASCII for the printable range; 0 = no mapping. */
static const char ebcdic037[256] = {
	[0x40] = ' ', [0x4a] = '[', [0x4b] = '.', [0x4c] = '<', [0x4d] = '(',
	[0x4e] = '+', [0x4f] = '!', [0x50] = '&', [0x5a] = ']', [0x5b] = '$',
	[0x5c] = '*', [0x5d] = ')', [0x5e] = ';', [0x5f] = '^', [0x60] = '-',
	[0x61] = '/', [0x6b] = ',', [0x6c] = '%', [0x6d] = '_', [0x6e] = '>',
	[0x6f] = '?', [0x79] = '`', [0x7a] = ':', [0x7b] = '#', [0x7c] = '@',
	[0x7d] = '\'', [0x7e] = '=', [0x7f] = '"',
	[0x81] = 'a', [0x82] = 'b', [0x83] = 'c', [0x84] = 'd', [0x85] = 'e',
	[0x86] = 'f', [0x87] = 'g', [0x88] = 'h', [0x89] = 'i',
	[0x91] = 'j', [0x92] = 'k', [0x93] = 'l', [0x94] = 'm', [0x95] = 'n',
	[0x96] = 'o', [0x97] = 'p', [0x98] = 'q', [0x99] = 'r', [0xa1] = '~',
	[0xa2] = 's', [0xa3] = 't', [0xa4] = 'u', [0xa5] = 'v', [0xa6] = 'w',
	[0xa7] = 'x', [0xa8] = 'y', [0xa9] = 'z', [0xc0] = '{',
	[0xc1] = 'A', [0xc2] = 'B', [0xc3] = 'C', [0xc4] = 'D', [0xc5] = 'E',
	[0xc6] = 'F', [0xc7] = 'G', [0xc8] = 'H', [0xc9] = 'I', [0xd0] = '}',
	[0xd1] = 'J', [0xd2] = 'K', [0xd3] = 'L', [0xd4] = 'M', [0xd5] = 'N',
	[0xd6] = 'O', [0xd7] = 'P', [0xd8] = 'Q', [0xd9] = 'R', [0xe0] = '\\',
	[0xe2] = 'S', [0xe3] = 'T', [0xe4] = 'U', [0xe5] = 'V', [0xe6] = 'W',
	[0xe7] = 'X', [0xe8] = 'Y', [0xe9] = 'Z',
	[0xf0] = '0', [0xf1] = '1', [0xf2] = '2', [0xf3] = '3', [0xf4] = '4',
	[0xf5] = '5', [0xf6] = '6', [0xf7] = '7', [0xf8] = '8', [0xf9] = '9',
};

bool vi_ebcdic_to_ascii(const uint8_t *in, size_t n, char *out, size_t outlen)
{
	bool printable = true;
	size_t o = 0;

	for (size_t i = 0; i < n && in[i] != 0 && o + 1 < outlen; i++) {
		char c = ebcdic037[in[i]];
		if (!c) {
			c = '.';
			printable = false;
		}
		out[o++] = c;
	}
	if (outlen)
		out[o] = '\0';
	/* trailing EBCDIC blanks pad fixed-length fields */
	while (o > 0 && out[o - 1] == ' ')
		out[--o] = '\0';
	return printable;
}
