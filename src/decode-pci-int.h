/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decode-pci-int.h - what the PCI config space decoders (decode-pci-*.c)
 * share: registers and their fields described as data, the code that
 * shows them, and the capability walkers.  Not for other layers: they use
 * decode.h.
 */
#ifndef VFIO_INFO_DECODE_PCI_INT_H
#define VFIO_INFO_DECODE_PCI_INT_H

#include "decode-caps.h"

#define CFG_STD		256
#define CFG_EXT		4096

enum pf_kind {
	PF_BOOL,	/* one bit: yes/no */
	PF_U,		/* number */
	PF_HEX,
	PF_ENUM,	/* with tbl */
	PF_FLAGS,	/* the field's bits, shifted down, with tbl */
	PF_SHL,		/* arg << value (sizes: 128 << n bytes) */
	PF_PLUS1,	/* value + 1 (table sizes) */
	PF_POW2,	/* 1 << value (vector counts) */
	PF_MUL,		/* arg * value (offsets in units) */
	PF_ZERO_IS,	/* value, where 0 encodes arg (Max End-End TLP Prefixes) */
	/* Shown as PF_U, PF_ENUM, PF_U; the register's heading also says
	 * them with their unit, as lspci -vvv does: */
	PF_CODE,	/* a coded number; tbl: its meaning ("<64ns", "55mA") */
	PF_SPEED,	/* a link speed enum (tbl): "2.5GT/s" */
	PF_WIDTH,	/* a link width: "x4" */
};

/* A field of a register: bits @shift..@shift+@width-1. */
struct pf {
	const char *name;
	uint8_t shift, width;
	uint8_t kind;
	uint32_t arg;
	const struct vi_name *tbl;
};

/* A register of a capability (or of the header). */
struct preg {
	const char *key;	/* JSON member and text key */
	const char *label;	/* the specification's name (config --diff) */
	uint16_t off;		/* from the capability */
	uint8_t size;		/* 1, 2, 4 */
	const struct pf *f;	/* NULL-name terminated; NULL: value only */
};

#define PF_END { NULL, 0, 0, 0, 0, NULL }

/* decode-pci-header.c: a register's field list meaning "a plain count" */
extern const struct pf vi_pcid_dec[];
extern const struct vi_name vi_pcid_command_bits[];
extern const struct vi_name vi_pcid_status_bits[];
extern const struct vi_name vi_pcid_devsel_names[];
/* The registers of one capability at @at; false when one is cut off. */
bool vi_pcid_regs(struct vi_emit *em, struct vi_bytes c, size_t at, const struct preg *r);
/* @len bytes at @at as "raw", what fits of them. */
void vi_pcid_raw(struct vi_emit *em, struct vi_bytes c, size_t at, size_t len);

/* decode-pci-caps.c */
extern const struct pf vi_pcid_msi_ctrl[];
extern const struct preg vi_pcid_pm_regs[];
extern const struct preg vi_pcid_msix_regs[];
void vi_pcid_std_caps(struct vi_emit *em, struct vi_bytes c, uint8_t first, bool deep,
		      bool short_view);

/* decode-pci-express.c */
extern const struct preg vi_pcid_express_regs[];
extern const struct preg vi_pcid_express_regs2[];
extern const struct preg vi_pcid_slot_regs[];
extern const struct preg vi_pcid_root_regs[];
bool vi_pcid_has_slot(uint16_t caps);
bool vi_pcid_has_root(uint16_t caps);
void vi_pcid_express(struct vi_emit *em, struct vi_bytes c, uint8_t at);
bool vi_pcid_express_title(struct vi_bytes c, uint8_t at, char *buf, size_t len);

/* decode-pci-ecaps.c */
extern const struct preg vi_pcid_aer_regs[];
extern const struct preg vi_pcid_dsn_regs[];
extern const struct preg vi_pcid_vsec_regs[];
extern const struct preg vi_pcid_acs_regs[];
extern const struct preg vi_pcid_ari_regs[];
extern const struct preg vi_pcid_ats_regs[];
extern const struct preg vi_pcid_sriov_regs[];
extern const struct preg vi_pcid_dvsec_regs[];
void vi_pcid_ext_caps(struct vi_emit *em, struct vi_bytes c, bool deep);

#endif
