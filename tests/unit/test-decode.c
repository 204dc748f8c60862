// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-decode.c - each decoder on hand-built answers, checked through the
 * JSON emitter: the values a reader would compute from the bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "uapi/vfio-abi.h"
#include "tap.h"

static uint8_t b[512];
static bool be;

static void p16(size_t o, uint16_t v) { vi_store(b + o, 2, v, be); }
static void p32(size_t o, uint32_t v) { vi_store(b + o, 4, v, be); }
static void p64(size_t o, uint64_t v) { vi_store(b + o, 8, v, be); }
static void hdr(size_t o, uint16_t id, uint16_t ver, uint32_t next)
{
	p16(o, id);
	p16(o + 2, ver);
	p32(o + 4, next);
}

static struct vi_query mkq(enum vi_ioc ioc, size_t len)
{
	struct vi_query q;

	memset(&q, 0, sizeof(q));
	q.ioc = ioc;
	q.big_endian = be;
	q.buf = b;
	q.alloc = q.valid = len;
	return q;
}

typedef void (*decoder)(struct vi_emit *em, const struct vi_query *q);

/*
 * The emitter writes every integer as an exact u64 decimal; jansson's
 * integers are signed.  A copy of @s where each number above INT64_MAX,
 * outside strings, is the string "0x..." instead (caller frees).
 */
static char *hexify_big(const char *s)
{
	char *out = malloc(strlen(s) * 2 + 1), *o = out;
	bool in_str = false;

	if (!out)
		return NULL;
	for (const char *p = s; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				*o++ = *p++;
			else if (*p == '"')
				in_str = false;
		} else if (*p == '"') {
			in_str = true;
		} else if (*p >= '0' && *p <= '9' && (p == s || p[-1] != '-')) {
			char *end;
			unsigned long long v = strtoull(p, &end, 10);

			if (v > INT64_MAX)
				o += sprintf(o, "\"0x%llx\"", v);
			else
				o += sprintf(o, "%.*s", (int)(end - p), p);
			p = end - 1;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static json_t *run(decoder fn, const struct vi_query *q, unsigned int *errors)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct vi_emit *em = vi_emit_new(VI_EMIT_JSON, f, 0);
	char *big;
	json_t *j;

	em_obj_begin(em, NULL, NULL);
	fn(em, q);
	em_obj_end(em);
	*errors = vi_emit_errors(em);
	vi_emit_finish(em);
	fclose(f);
	big = hexify_big(out);
	j = big ? json_loads(big, 0, NULL) : NULL;
	if (!j)
		printf("# unparsable: %s\n", out);
	free(big);
	free(out);
	return j;
}

static const char *str_at(json_t *j, const char *path)
{
	json_t *v = j;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && v; t = strtok_r(NULL, ".", &save))
		v = (*t >= '0' && *t <= '9') ? json_array_get(v, (size_t)atoi(t))
					     : json_object_get(v, t);
	if (json_is_integer(v)) {
		/* numbers read as the hex the expectations are written in */
		static char hex[8][24];
		static unsigned int k;
		char *h = hex[k++ % 8];

		snprintf(h, sizeof(hex[0]), "0x%llx", (unsigned long long)json_integer_value(v));
		return h;
	}
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long int_at(json_t *j, const char *path)
{
	json_t *v = j;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && v; t = strtok_r(NULL, ".", &save))
		v = (*t >= '0' && *t <= '9') ? json_array_get(v, (size_t)atoi(t))
					     : json_object_get(v, t);
	return json_is_integer(v) ? json_integer_value(v) : -999;
}

static void dec_region_pci(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_region_info(em, q, VI_DEV_PCI, 0);
}

static void dec_device(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_device_info(em, q, 0);
}

static void dec_iommu(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_iommu_info(em, q, 0);
}

static void dec_region_dt(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_region_info(em, q, VI_DEV_PLATFORM, VI_PROF_AUTOMATIC | VI_PROF_DEVTREE);
}

static void dec_irq_pci(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_irq_info(em, q, VI_DEV_PCI, VI_PROF_AUTOMATIC);
}

static void dec_irq_dt(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_irq_info(em, q, VI_DEV_PLATFORM, VI_PROF_AUTOMATIC | VI_PROF_DEVTREE);
}

static void dec_iommu_zpci(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_iommu_info(em, q, VI_PROF_AUTOMATIC | VI_PROF_ZPCI_IOMMU);
}

static void dec_spapr(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_spapr_tce_info(em, q);
}

static void dec_clp(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_zpci_clp(em, vi_query_bytes(q), q->valid);
}

static void dec_hot(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_hot_reset_info(em, q);
}

/* IOMMU_GET_HW_INFO asked with INPUT_TYPE for TEGRA241_CMDQV */
static long typed_ret;

static void dec_hw_typed(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_hw_info_typed(em, VI_HW_INFO_TYPE_TEGRA241_CMDQV, typed_ret, q);
}

static void dec_hw_input(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_hw_info_input(em, typed_ret);
}

static void dec_config(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_pci_config(em, vi_bytes_make(q->buf, q->valid, false));
}

static void dec_config_full(struct vi_emit *em, const struct vi_query *q)
{
	vi_decode_pci_config_full(em, vi_bytes_make(q->buf, q->valid, false));
}

/* A PCIe capability at 0x40 of a type-1 header, the only one: @caps is
 * its Capabilities register (version, type, slot), every other register 0. */
static void pcie_cfg(uint16_t caps)
{
	memset(b, 0, sizeof(b));
	vi_store(b + 0, 2, 0x8086, false);
	vi_store(b + 6, 2, 0x0010, false);
	b[0x0e] = 0x01;
	b[0x34] = 0x40;
	b[0x40] = 0x10;
	vi_store(b + 0x42, 2, caps, false);
}

int main(void)
{
	struct vi_query q;
	unsigned int errs;
	json_t *j;
	char name[64];

	/* region: sparse mmap whose nr_areas claims more than is there */
	memset(b, 0, sizeof(b));
	p32(0, 64);
	p32(4, 0x7 | VI_REGION_FLAG_CAPS);
	p32(8, 2);
	p32(12, 32);
	p64(16, 0x100000);
	p64(24, 0x20000000000ull);
	hdr(32, 1, 1, 0);
	p32(40, 5);		/* five areas claimed, room for one */
	p64(48, 0x3000);
	p64(56, 0x1000);
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 64);
	j = run(dec_region_pci, &q, &errs);
	is_str(str_at(j, "size"), "0x100000", "region size");
	is_str(str_at(j, "offset"), "0x20000000000", "region offset");
	is_str(str_at(j, "caps.0.name"), "SPARSE_MMAP", "sparse cap named");
	is_int(int_at(j, "caps.0.nr_areas"), 5, "nr_areas shown as claimed");
	is_int(json_array_size(json_object_get(json_array_get(json_object_get(j, "caps"), 0),
					       "areas")), 1, "areas clamped to the buffer");
	is_str(str_at(j, "caps.0.areas.0.offset"), "0x3000", "area offset");
	is_int(errs, 1, "clamp is an error note");
	json_decref(j);

	/* region: TYPE cap naming a device-specific region, big-endian */
	be = true;
	memset(b, 0, sizeof(b));
	p32(0, 48);
	p32(4, 0x1 | VI_REGION_FLAG_CAPS | 0x100);	/* unknown bit 8 */
	p32(8, 9);
	p32(12, 32);
	hdr(32, 2, 1, 0);
	p32(40, 0x80008086);
	p32(44, 1);
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 48);
	is_str(vi_region_name(VI_DEV_PCI, 9, vi_bytes_make(b, 48, true), VI_PROF_AUTOMATIC,
			      name, sizeof(name)),
	       "INTEL_IGD_OPREGION", "device-specific region named from its type");
	j = run(dec_region_pci, &q, &errs);
	is_str(str_at(j, "caps.0.type"), "0x80008086", "type read big-endian");
	is_str(str_at(j, "caps.0.vendor"), "0x8086", "vendor split out");
	is_str(str_at(j, "flags.unknown"), "0x100", "unknown flag bit kept");
	is_int(errs, 0, "no errors");
	json_decref(j);
	p32(40, 0x80001234);
	p32(44, 7);
	is_str(vi_region_name(VI_DEV_PCI, 9, vi_bytes_make(b, 48, true), VI_PROF_AUTOMATIC,
			      name, sizeof(name)),
	       "vendor-1234-7", "unknown vendor type named by its numbers");

	/* device info: zPCI BASE v2 and GROUP v1, big-endian, and an unknown cap */
	memset(b, 0, sizeof(b));
	p32(0, 24 + 40 + 40 + 16);
	p32(4, 0x2 | VI_DEVICE_FLAGS_CAPS);
	p32(8, 9);
	p32(12, 5);
	p32(16, 24);
	hdr(24, 1, 2, 64);
	p64(32, 0x100000000ull);
	p64(40, 0x1ffffffffull);
	p16(48, 0x0123);
	p16(50, 7);
	b[55] = 0x12;	/* gid */
	p32(56, 0xdeadbeef);
	hdr(64, 2, 1, 104);
	p64(72, 0xffffffffffffffffull);
	p64(88, 1);
	p16(98, 64);	/* noi; mui is at 96 */
	b[102] = 3;	/* version */
	hdr(104, 99, 1, 0);
	q = mkq(VI_IOC_DEVICE_GET_INFO, 120);
	j = run(dec_device, &q, &errs);
	is_str(str_at(j, "caps.0.name"), "ZPCI_BASE", "zpci base");
	is_str(str_at(j, "caps.0.start_dma"), "0x100000000", "start_dma big-endian");
	is_str(str_at(j, "caps.0.pchid"), "0x123", "pchid");
	is_int(int_at(j, "caps.0.vfn"), 7, "vfn");
	is_str(str_at(j, "caps.0.gid"), "0x12", "gid");
	is_str(str_at(j, "caps.0.fh"), "0xdeadbeef", "v2 function handle");
	is_str(str_at(j, "caps.1.dasm"), "0xffffffffffffffff", "u64 mask above INT64_MAX exact");
	is_int(int_at(j, "caps.1.noi"), 64, "noi");
	/* The body's "version" (the PCI version, 3) has the header's key: the
	 * streaming emitter keeps the first, the header's, and notes the
	 * duplicate (decode-device.c should name it apart). */
	is_int(int_at(j, "caps.1.version"), 1, "cap header version kept over the body's");
	ok(json_is_null(json_object_get(json_array_get(json_object_get(j, "caps"), 2), "name")),
	   "unknown cap: name null");
	is_int(errs, 0, "unknown cap is a warning, not an error");
	json_decref(j);
	be = false;

	/* iommu info: IOVA ranges, MIGRATION, DMA_AVAIL; then a chain loop */
	memset(b, 0, sizeof(b));
	p32(0, 24 + 32 + 16 + 48);
	p32(4, 3);
	p64(8, 0x1000);
	p32(16, 24);
	hdr(24, 2, 1, 56);
	p64(40, 0x1000);
	p64(48, 0x10000000);
	hdr(56, 3, 1, 72);
	p32(64, 65535);
	hdr(72, 1, 1, 0);
	p32(80, 2);
	p64(88, 0);
	p64(96, 0xfedfffff);
	p64(104, 0xfef00000);
	p64(112, 0xffffffffffffffffull);
	q = mkq(VI_IOC_IOMMU_GET_INFO, 120);
	j = run(dec_iommu, &q, &errs);
	is_str(str_at(j, "caps.0.pgsize_bitmap.value"), "0x1000", "migration page sizes");
	is_str(str_at(j, "caps.0.pgsize_bitmap.names.0"), "4K", "named as a size");
	is_int(int_at(j, "caps.1.avail"), 65535, "dma avail");
	is_str(str_at(j, "caps.2.ranges.1.end"), "0xffffffffffffffff", "range end");
	is_int(errs, 0, "clean chain");
	json_decref(j);
	hdr(72, 1, 1, 24);	/* points back to the first cap */
	j = run(dec_iommu, &q, &errs);
	is_int(json_array_size(json_object_get(j, "caps")), 3, "loop: caps before it kept");
	is_int(errs, 1, "loop: one error note");
	json_decref(j);

	/* hot reset: count larger than the buffer */
	memset(b, 0, sizeof(b));
	p32(4, 0);
	p32(8, 9);
	p32(12, 6);
	b[18] = 1;
	b[19] = 0x10;
	q = mkq(VI_IOC_DEVICE_GET_PCI_HOT_RESET_INFO, 20);
	j = run(dec_hot, &q, &errs);
	is_int(json_array_size(json_object_get(j, "devices")), 1, "hot reset clamped");
	is_str(str_at(j, "devices.0.address"), "0000:01:02.0", "dependent device address");
	is_int(int_at(j, "devices.0.group"), 6, "group id");
	is_int(errs, 1, "clamp noted");
	json_decref(j);

	/* config space: header and a capability list that loops */
	memset(b, 0, sizeof(b));
	vi_store(b + 0, 2, 0x8086, false);
	vi_store(b + 2, 2, 0x10d3, false);
	vi_store(b + 6, 2, 0x0010, false);
	b[0x0b] = 0x02;
	b[0x34] = 0x40;
	b[0x40] = 0x01;
	b[0x41] = 0x50;
	b[0x50] = 0x05;
	b[0x51] = 0x40;	/* back to 0x40 */
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 256);
	j = run(dec_config, &q, &errs);
	is_str(str_at(j, "vendor_id"), "0x8086", "vendor");
	is_int(int_at(j, "class"), 0x020000, "class");
	is_str(str_at(j, "class_name"), "Network controller", "class name");
	is_int(json_array_size(json_object_get(j, "capabilities")), 2, "caps until the loop");
	is_str(str_at(j, "capabilities.1.id.name"), "MSI", "MSI cap named");
	is_int(errs, 1, "loop noted");
	json_decref(j);

	/* config full: a PCIe v2 root port with a slot, every register set */
	pcie_cfg(0x0142);
	vi_store(b + 0x40 + 0x12, 2, 0x2103, false);		/* LnkSta: 8GT/s x16 DLActive */
	vi_store(b + 0x40 + 0x14, 4, 0x003c0ce3, false);	/* SltCap */
	vi_store(b + 0x40 + 0x18, 2, 0x11e8, false);		/* SltCtl */
	vi_store(b + 0x40 + 0x1a, 2, 0x0140, false);		/* SltSta */
	vi_store(b + 0x40 + 0x1c, 2, 0x0017, false);		/* RootCtl */
	vi_store(b + 0x40 + 0x1e, 2, 0x0001, false);		/* RootCap */
	vi_store(b + 0x40 + 0x20, 4, 0x00010100, false);	/* RootSta */
	vi_store(b + 0x40 + 0x24, 4, 0x85a00000u | (2u << 22) | (2u << 14), false); /* DevCap2 */
	vi_store(b + 0x40 + 0x28, 2, 0xa806, false);		/* DevCtl2 */
	vi_store(b + 0x40 + 0x2c, 4, 0x8080000e, false);	/* LnkCap2 */
	vi_store(b + 0x40 + 0x30, 2, 0x5143, false);		/* LnkCtl2 */
	vi_store(b + 0x40 + 0x32, 2, 0xd21f, false);		/* LnkSta2 */
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 256);
	j = run(dec_config_full, &q, &errs);
	is_str(str_at(j, "capabilities.0.caps.type.name"), "Root Port", "root port");
	is_str(str_at(j, "capabilities.0.lnksta.speed.name"), "8GT/s", "LnkSta speed");
	is_int(int_at(j, "capabilities.0.sltcap.physical_slot"), 7, "SltCap physical slot");
	is_int(int_at(j, "capabilities.0.sltcap.slot_power_limit"), 25, "SltCap power limit");
	ok(json_is_true(json_object_get(json_object_get(json_array_get(json_object_get(j,
	   "capabilities"), 0), "sltcap"), "no_command_completed")), "SltCap NoCompl");
	is_str(str_at(j, "capabilities.0.sltctl.attention_indicator.name"), "Off", "AttnInd Off");
	is_str(str_at(j, "capabilities.0.sltctl.power_indicator.name"), "On", "PwrInd On");
	is_str(str_at(j, "capabilities.0.sltsta.value"), "0x140", "SltSta raw kept");
	is_str(str_at(j, "capabilities.0.rootsta.pme_requester_id"), "0x100", "RootSta requester");
	is_int(int_at(j, "capabilities.0.devcap2.max_eetlp_prefixes"), 2, "MaxEETLPPrefixes 2");
	is_str(str_at(j, "capabilities.0.devcap2.emergency_power_reduction.name"), "Dev Specific",
	       "EPR supported: device specific");
	is_str(str_at(j, "capabilities.0.devcap2.ln_system_cls.name"), "128byte cachelines",
	       "LN System CLS");
	is_int(int_at(j, "capabilities.0.devctl2.completion_timeout"), 6, "DevCtl2 CTO value");
	is_int(int_at(j, "capabilities.0.lnkctl2.target_speed.value"), 3, "LnkCtl2 target 3");
	is_str(str_at(j, "capabilities.0.lnkctl2.target_speed.name"), "8GT/s", "LnkCtl2 target 8GT/s");
	is_int(int_at(j, "capabilities.0.lnkctl2.compliance_preset"), 5, "compliance preset");
	is_str(str_at(j, "capabilities.0.lnksta2.current_deemphasis.name"), "-3.5dB", "de-emphasis");
	is_str(str_at(j, "capabilities.0.lnksta2.crosslink_resolution.name"), "Downstream Port",
	       "crosslink resolution");
	is_str(str_at(j, "capabilities.0.lnksta2.downstream_component.name"),
	       "Link Up - Present and DRS Received", "downstream component");
	ok(str_at(j, "capabilities.0.lnksta2.unknown_bits") == NULL, "LnkSta2 fully named");
	is_int(errs, 0, "no errors");
	json_decref(j);
	/* an endpoint: no slot or root registers; Target Link Speed 0 is named
	 * 2.5GT/s with its value kept, reserved codes keep their value */
	pcie_cfg(0x0002);
	vi_store(b + 0x40 + 0x24, 4, 0x03000000, false);	/* EPR 3: reserved */
	vi_store(b + 0x40 + 0x32, 2, 0x3800, false);		/* component 3, bit 11 */
	j = run(dec_config_full, &q, &errs);
	ok(json_object_get(json_array_get(json_object_get(j, "capabilities"), 0), "sltcap") == NULL &&
	   json_object_get(json_array_get(json_object_get(j, "capabilities"), 0), "rootctl") == NULL,
	   "no slot or root registers on an endpoint");
	is_int(int_at(j, "capabilities.0.lnkctl2.target_speed.value"), 0, "target speed 0 kept");
	is_str(str_at(j, "capabilities.0.lnkctl2.target_speed.name"), "2.5GT/s", "0 means 2.5GT/s");
	is_int(int_at(j, "capabilities.0.devcap2.emergency_power_reduction.value"), 3, "EPR 3 kept");
	ok(json_is_null(json_object_get(json_object_get(json_object_get(json_array_get(
	   json_object_get(j, "capabilities"), 0), "devcap2"), "emergency_power_reduction"), "name")),
	   "EPR 3 unnamed");
	is_int(int_at(j, "capabilities.0.lnksta2.downstream_component.value"), 3, "component 3 kept");
	is_str(str_at(j, "capabilities.0.lnksta2.unknown_bits"), "0x800", "LnkSta2 bit 11 unknown");
	is_int(errs, 0, "no errors");
	json_decref(j);
	/* cut off after LnkCtl2: LnkSta2 past the end is an error, not a read */
	pcie_cfg(0x0142);
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 0x40 + 0x32);
	j = run(dec_config_full, &q, &errs);
	ok(str_at(j, "capabilities.0.lnkctl2.value") != NULL, "LnkCtl2 read up to the end");
	ok(json_object_get(json_array_get(json_object_get(j, "capabilities"), 0), "lnksta2") == NULL,
	   "LnkSta2 past the end not shown");
	is_int(errs, 1, "cut off noted");
	json_decref(j);
	/* cut off inside the slot registers: nothing read past the end */
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 0x40 + 0x18);
	j = run(dec_config_full, &q, &errs);
	ok(str_at(j, "capabilities.0.sltcap.value") != NULL, "SltCap read");
	ok(json_object_get(json_array_get(json_object_get(j, "capabilities"), 0), "sltctl") == NULL &&
	   json_object_get(json_array_get(json_object_get(j, "capabilities"), 0), "rootctl") == NULL &&
	   json_object_get(json_array_get(json_object_get(j, "capabilities"), 0), "devcap2") == NULL,
	   "nothing after the cut");
	is_int(errs, 1, "cut off noted");
	json_decref(j);

	/* devtree-2013: INDEX then PATH, 4-byte aligned, big-endian */
	be = true;
	memset(b, 0, sizeof(b));
	p32(0, 32 + 8 + 4 + 28);
	p32(4, 0x1 | VI_DT_REGION_REG | VI_DT_REGION_INDEX | VI_DT_REGION_PATH);
	p64(16, 0x1000);
	p32(32, 4);
	p32(36, 1);
	p32(40, 25);
	memcpy(b + 44, "/soc@ffe000000/dma@101300", 25);
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 72);
	j = run(dec_region_dt, &q, &errs);
	is_str(str_at(j, "profile"), "devtree-2013", "devtree region labelled");
	is_str(str_at(j, "flags.names.2"), "DEVTREE_INDEX", "region bit 6 is DEVTREE_INDEX");
	is_str(str_at(j, "devtree.property"), "reg", "REG means a reg entry");
	is_int(int_at(j, "devtree.index"), 1, "index struct read");
	is_int(int_at(j, "devtree.path_len"), 25, "path len");
	is_str(str_at(j, "devtree.path"), "/soc@ffe000000/dma@101300", "path after the index");
	is_int(errs, 0, "no errors");
	json_decref(j);
	/* the same bytes without the profile: bit 3 is not set, bits 4-7 unknown */
	j = run(dec_region_pci, &q, &errs);
	is_str(str_at(j, "flags.unknown"), "0xd0", "mainline leaves the bits unknown");
	ok(json_object_get(j, "devtree") == NULL, "no devtree decode in mainline");
	json_decref(j);
	/* INDEX without room */
	p32(0, 32);
	p32(4, VI_DT_REGION_INDEX);
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 32);
	j = run(dec_region_dt, &q, &errs);
	is_int(errs, 1, "INDEX without room is an error");
	json_decref(j);

	/* devtree-2013 irq: DEVTREE_PATH, a path len that runs past argsz */
	memset(b, 0, sizeof(b));
	p32(0, 16 + 8);
	p32(4, 0x1 | VI_DT_IRQ_PATH);
	p32(12, 1);
	p32(16, 41);
	memcpy(b + 20, "/soc", 4);
	q = mkq(VI_IOC_DEVICE_GET_IRQ_INFO, 24);
	j = run(dec_irq_dt, &q, &errs);
	is_str(str_at(j, "flags.names.1"), "DEVTREE_PATH", "irq bit 4 is DEVTREE_PATH");
	is_int(errs, 1, "len past argsz is an error");
	json_decref(j);

	/* irq-caps-2019: CAPS, cap_offset 20, TYPE GFX/DISPLAY_IRQ, little-endian */
	be = false;
	memset(b, 0, sizeof(b));
	p32(0, 36);
	p32(4, 0x1 | VI_IRQCAPS_FLAG_CAPS);
	p32(8, 5);
	p32(12, 1);
	p32(16, 20);
	hdr(20, 3, 1, 0);
	p32(28, 1);
	p32(32, 1);
	q = mkq(VI_IOC_DEVICE_GET_IRQ_INFO, 36);
	is_str(vi_irq_name(VI_DEV_PCI, 5, vi_bytes_make(b, 36, false), VI_PROF_AUTOMATIC,
			   name, sizeof(name)), "GFX_DISPLAY_IRQ", "irq 5 named by its type");
	ok(vi_irq_name(VI_DEV_PCI, 5, vi_bytes_make(b, 36, false), 0, name,
		       sizeof(name)) == NULL, "no name with --abi mainline");
	j = run(dec_irq_pci, &q, &errs);
	is_str(str_at(j, "profile"), "irq-caps-2019", "irq labelled with its profile");
	is_str(str_at(j, "caps.0.subtype_name"), "GFX_DISPLAY_IRQ", "TYPE cap decoded");
	is_str(str_at(j, "caps.0.profile"), "irq-caps-2019", "cap labelled");
	is_int(errs, 0, "no errors");
	json_decref(j);

	/* zpci-iommu-2019: 64-bit cap_offset, big-endian; QGRP */
	be = true;
	memset(b, 0, sizeof(b));
	p32(0, 24 + 72);
	p32(4, 0x3);
	p64(16, 24);
	hdr(24, 2, 1, 0);
	p16(24 + 8 + 16, 2047);
	b[24 + 8 + 19] = 0x3;
	p64(24 + 8 + 40, 0xfe00000000000000ull);
	p64(24 + 8 + 48, 0x55);	/* reserved4: shown because non-zero */
	q = mkq(VI_IOC_IOMMU_GET_INFO, 96);
	j = run(dec_iommu_zpci, &q, &errs);
	is_str(str_at(j, "cap_offset"), "0x18", "cap_offset read as a u64");
	is_str(str_at(j, "caps.0.name"), "QGRP", "id 2 is QGRP under the profile");
	is_int(int_at(j, "caps.0.noi"), 2047, "noi");
	is_str(str_at(j, "caps.0.flags.names.1"), "FRAME", "QGRP flag FRAME");
	is_str(str_at(j, "caps.0.msia"), "0xfe00000000000000", "msia");
	is_str(str_at(j, "caps.0.reserved4"), "0x55", "non-zero reserved shown");
	ok(json_object_get(json_array_get(json_object_get(j, "caps"), 0), "reserved5") == NULL,
	   "zero reserved hidden");
	is_int(errs, 0, "no errors");
	json_decref(j);
	/* the same bytes, mainline: u32 cap_offset reads 0 on big-endian */
	j = run(dec_iommu, &q, &errs);
	is_str(str_at(j, "cap_offset"), "0x0", "mainline reads the high half");
	is_int(errs, 1, "and says the caps are missing");
	json_decref(j);

	/* zpci-clp-region: short content */
	memset(b, 0, sizeof(b));
	p64(8, 0x100000000ull);
	q = mkq(VI_IOC_DEVICE_GET_REGION_INFO, 40);
	j = run(dec_clp, &q, &errs);
	is_str(str_at(j, "start_dma"), "0x100000000", "fields before the cut decoded");
	ok(json_object_get(j, "pchid") == NULL, "pchid past the end not shown");
	is_int(errs, 1, "short region is an error");
	json_decref(j);

	/* sPAPR TCE info (big-endian, as on ppc64 BE; layout from
	 * struct vfio_iommu_spapr_tce_info): not type1's offsets */
	be = true;
	memset(b, 0, sizeof(b));
	p32(0, 32);
	p32(4, 1);			/* DDW */
	p32(8, 0);			/* dma32_window_start */
	p32(12, 0x40000000);		/* dma32_window_size */
	p64(16, 0x1011000);		/* 4K | 64K | 16M */
	p32(24, 2);
	p32(28, 1);
	q = mkq(VI_IOC_IOMMU_GET_INFO, 32);
	j = run(dec_spapr, &q, &errs);
	is_str(str_at(j, "flags.names.0"), "DDW", "spapr: bit 0 is DDW, not PGSIZES");
	ok(json_object_get(j, "iova_pgsizes") == NULL, "spapr: no type1 iova_pgsizes");
	is_int(json_array_size(json_object_get(json_object_get(j, "ddw"), "page_sizes")), 3,
	       "spapr: three page sizes");
	is_int(int_at(j, "ddw.max_dynamic_windows_supported"), 2, "spapr: max windows @24");
	is_int(int_at(j, "ddw.levels"), 1, "spapr: levels @28");
	is_int(errs, 0, "spapr: no errors");
	json_decref(j);
	/* argsz 16: the kernel filled no ddw */
	q = mkq(VI_IOC_IOMMU_GET_INFO, 16);
	j = run(dec_spapr, &q, &errs);
	ok(json_object_get(j, "ddw") == NULL, "spapr: 16 bytes, no ddw shown");
	ok(json_object_get(j, "dma32_window_size") != NULL, "spapr: 16 bytes, the window shown");
	is_int(errs, 0, "spapr: short ddw is a warning, not an error");
	json_decref(j);
	q = mkq(VI_IOC_IOMMU_GET_INFO, 12);
	j = run(dec_spapr, &q, &errs);
	is_int(errs, 1, "spapr: under 16 bytes is an error");
	json_decref(j);
	be = false;

	/* hw info asked with INPUT_TYPE: Tegra241 CMDQV's blob, big-endian
	 * header, every field at its uapi offset; a flag bit no kernel
	 * defines yet */
	{
		static uint8_t blob[VI_HWTEGRA_SIZE] = { 0, 0, 0, 4, 1, 1, 4, 0 };

		be = true;
		memset(b, 0, sizeof(b));
		p32(VI_HWI_SIZE_F, VI_HWI_SIZE);
		p32(VI_HWI_FLAGS, VI_HWI_FLAG_INPUT_TYPE);
		p32(VI_HWI_DATA_LEN, VI_HWTEGRA_SIZE);
		p32(VI_HWI_DATA_TYPE, VI_HW_INFO_TYPE_TEGRA241_CMDQV);
		b[VI_HWI_MAX_PASID_LOG2] = 20;
		q = mkq(VI_IOC_IOMMU_GET_HW_INFO, VI_HWI_SIZE);
		q.aux = blob;
		q.auxvalid = sizeof(blob);
		typed_ret = 0;
		j = run(dec_hw_typed, &q, &errs);
		is_str(str_at(j, "in_data_type.name"), "TEGRA241_CMDQV", "typed: the type asked");
		is_int(int_at(j, "ret"), 0, "typed: ret 0");
		is_str(str_at(j, "type.name"), "TEGRA241_CMDQV", "typed: the type answered");
		is_int(int_at(j, "max_pasid_log2"), 20, "typed: max_pasid_log2 @28");
		ok(int_at(j, "data.flags.value") != 0, "tegra: flags @0, a flag word");
		is_int(int_at(j, "data.flags.unknown"), int_at(j, "data.flags.value"),
		       "tegra: a flag no name is known for shown as unknown, not dropped");
		is_int(int_at(j, "data.version"), 1, "tegra: version @4");
		is_int(int_at(j, "data.log2vcmdqs"), 1, "tegra: log2vcmdqs @5");
		is_int(int_at(j, "data.log2vsids"), 4, "tegra: log2vsids @6");
		ok(json_object_get(j, "notes") == NULL, "typed: the type asked answered, no note");
		json_decref(j);
		/* a kernel answering another type than asked */
		p32(VI_HWI_DATA_TYPE, VI_HW_INFO_TYPE_ARM_SMMUV3);
		p32(VI_HWI_DATA_LEN, 0);
		q.auxvalid = 0;
		j = run(dec_hw_typed, &q, &errs);
		ok(json_array_size(json_object_get(j, "notes")) >= 1, "typed: another type answered, noted");
		json_decref(j);
		/* the driver refuses the type */
		typed_ret = -EOPNOTSUPP;
		j = run(dec_hw_typed, &q, &errs);
		is_str(str_at(j, "errno"), "EOPNOTSUPP", "typed: EOPNOTSUPP named");
		ok(str_at(j, "meaning") != NULL, "typed: EOPNOTSUPP has a meaning");
		ok(json_object_get(j, "type") == NULL, "typed: nothing decoded on a refusal");
		json_decref(j);
		/* the DEFAULT query of a kernel before 6.17 */
		j = run(dec_hw_input, &q, &errs);
		ok(str_at(j, "meaning") && strstr(str_at(j, "meaning"), "6.17"),
		   "input: EOPNOTSUPP means a kernel before 6.17");
		json_decref(j);
		/* replay: not recorded */
		typed_ret = -VI_ENOREC;
		j = run(dec_hw_typed, &q, &errs);
		ok(json_is_false(json_object_get(j, "recorded")), "typed: not recorded");
		ok(json_object_get(j, "ret") == NULL && json_object_get(j, "errno") == NULL,
		   "typed: not recorded has no ret or errno");
		json_decref(j);
		be = false;
	}

	return tap_done();
}
