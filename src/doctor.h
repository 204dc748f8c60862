/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * doctor.h - what the parts of `doctor` share: the check context, the
 * verdict emitter, remedies built from checked parts, and the facts about
 * where doctor runs (virtual machine, module loading).
 *
 *   cmd-doctor.c     the command: targets, the run, the summary
 *   doctor-host.c    host checks, and whether this is a virtual machine
 *   doctor-device.c  device checks
 *   doctor-remedy.c  remedy composition and what a rebind costs the host
 */
#ifndef VFIO_INFO_DOCTOR_H
#define VFIO_INFO_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "cmds.h"
#include "safe.h"
#include "sysfs.h"

enum verdict { V_OK, V_INFO, V_WARN, V_FAIL, V_N };

/* Tri-state facts read lazily, only when a remedy depends on them. */
enum fact { F_UNREAD, F_NO, F_YES, F_UNKNOWN };

struct dctx {
	struct vi_backend *be;
	struct vi_emit *em;
	const struct vi_opts *o;
	struct vi_pciids *db;
	struct vi_self self;
	struct vi_holders holders;
	char *cmdline;
	unsigned int count[V_N];
	bool intel, amd;	/* DMAR / IVRS tables */
	bool iommu_failed;	/* the host's iommu check failed */
	bool vfio_missing;	/* the vfio module is not loaded (vfio-modules failed) */
	/* where doctor runs (doctor-host.c: dr_vm(), dr_modules_off()) */
	enum fact vm;
	char vm_why[192];	/* the evidence, for messages */
	int hv;			/* what kind of hypervisor (doctor-host.c) */
	enum fact modules_off;
	char modules_why[128];
	bool nomodule;		/* off because of nomodule on the command line */
};

/* ---- remedies (doctor-remedy.c) ---- */

/* A remedy is built from parts: literal text written in this program, and
 * values from the system or a capture, each with the kind of name it must
 * be.  A value is checked with vi_name_ok() and shell-quoted; the first
 * that fails withholds the whole remedy, and why goes into the message. */
enum { RM_LIT = -1, RM_END = -2 };

struct rm_part {
	int kind;		/* enum vi_name_kind, or RM_LIT / RM_END */
	const char *s;
};

#define RL(s) { RM_LIT, (s) }
#define RN(kind, v) { (kind), (v) }

struct remedy;

struct remedy *rm_new(void);
/* Append the parts (ended by RM_END); @r may be NULL: a new remedy. */
struct remedy *rm_add(struct remedy *r, const struct rm_part *parts);
#define RM(r, ...) rm_add((r), (const struct rm_part[]){ __VA_ARGS__, { RM_END, NULL } })
/* A remedy of literal text only. */
struct remedy *rm_text(const char *lit);
/* Append remedy @b to @a (consumed), joined by @sep when both have text. */
struct remedy *rm_join(struct remedy *a, struct remedy *b, const char *sep);
bool rm_empty(const struct remedy *r);
/* The text (NULL when withheld) and the reason it was withheld (else
 * NULL); valid until rm_free(). */
const char *rm_str(const struct remedy *r);
const char *rm_why(const struct remedy *r);
void rm_free(struct remedy *r);

/* @s for a message: as is when short, else shortened in the middle so
 * both ends show (VI_MSG_NAME_MAX bytes); the emitter escapes control
 * bytes.  A shortened copy lives in a ring of 32 (freed by dr_pool_free()),
 * enough for the values of one check. */
const char *shown(const char *s);
/* "driver name 'x' is not a driver name" when @s fails @kind, else NULL;
 * the same pool. */
const char *dr_bad_name(enum vi_name_kind kind, const char *s);
/* Free the pool (end of the run). */
void dr_pool_free(void);

/* The rebind commands for @d: driverctl, or driver_override + unbind +
 * drivers_probe; prefixed by a WARNING when unbinding takes from the host
 * a network interface with the default route or a mounted filesystem. */
struct remedy *dr_rebind(struct dctx *c, const struct vi_pcidev *d);
/* "WARNING: unbinding NAME takes down ...; " for the device at sysfs
 * path @real (or NULL when the host loses nothing it needs). */
struct remedy *dr_host_losses(struct dctx *c, const char *name, const char *real);

/* ---- emitting a verdict (cmd-doctor.c) ---- */

/* One check; @rm (or NULL) is consumed.  A withheld remedy adds its
 * reason to the message and emits remedy null. */
void check(struct dctx *c, const char *name, enum verdict v, struct remedy *rm,
	   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- shared readers (doctor-host.c) ---- */

/* The value of kernel parameter @name on the command line ("" when it
 * has none), or NULL when absent; the last occurrence wins. */
char *cmdline_param(const char *cmdline, const char *name);
/* Y/N/1/0 module parameter: 1, 0, or -1 when absent. */
int module_bool(struct vi_backend *be, const char *module, const char *param);
/* /sys/module/@module exists (loaded, or built in with parameters). */
bool module_loaded(struct vi_backend *be, const char *module);

/* Is this a virtual machine?  Read once, on first use. */
enum fact dr_vm(struct dctx *c);
/* The hypervisor-side remedy for a VM without a (working) IOMMU. */
struct remedy *dr_vm_iommu_remedy(struct dctx *c);
/* Is module loading disabled (nomodule, kernel.modules_disabled=1)? */
enum fact dr_modules_off(struct dctx *c);
/* "modprobe @module", or, with module loading disabled, what to do instead. */
struct remedy *dr_modprobe(struct dctx *c, const char *module);
/* The hypervisor-side remedy for an emulated IOMMU without interrupt
 * remapping. */
struct remedy *dr_vm_intremap_remedy(struct dctx *c);

void dr_host_checks(struct dctx *c);

/* ---- device checks (doctor-device.c) ---- */

void dr_device_checks(struct dctx *c, const char *name);

#endif
