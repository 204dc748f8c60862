// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-device.c - the shell's device commands: info, caps,
 * hot-reset-info, features (the dump, piecewise) and reset.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cmds.h"
#include "decode.h"
#include "shell-int.h"
#include "uapi/vfio-abi.h"

int vi_shc_info(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_device *d = sh->dev;

	em_str(sh->em, "device", d->name);
	em_str(sh->em, "flow", d->cdev ? "cdev" : "legacy");
	em_obj_begin(sh->em, "info", NULL);
	if (d->info.ret < 0)
		vi_emit_error(sh->em, d->info.ret);
	else
		vi_decode_device_info(sh->em, &d->info, d->profiles);
	vi_emit_query_stop(sh->em, &d->info);
	em_obj_end(sh->em);
	return d->info.ret < 0 ? vi_exit_for_errno((int)d->info.ret) : 0;
}
/* Every VFIO capability chain the device answered with. */
int vi_shc_caps(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_device *d = sh->dev;
	struct vi_emit *em = sh->em;
	struct vi_bytes b = vi_query_bytes(&d->info);
	uint32_t off = 0;

	em_obj_begin(em, "device", "device info");
	if ((d->flags & VI_DEVICE_FLAGS_CAPS) && !vi_u32(b, VI_DEVINFO_CAP_OFFSET, &off) && off)
		vi_decode_caps(em, VI_CHAIN_DEVICE, b, off, VI_DEVINFO_SIZE, d->profiles);
	else
		em_arr_begin(em, "caps", NULL), em_arr_end(em);
	em_obj_end(em);
	em_arr_begin(em, "regions", NULL);
	for (uint32_t i = 0; i < d->nregions; i++) {
		struct vi_region *rg = &d->regions[i];

		b = vi_query_bytes(&rg->q);
		off = 0;
		if (!rg->ok || !(rg->flags & VI_REGION_FLAG_CAPS) || (d->profiles & VI_PROF_DEVTREE) ||
		    vi_u32(b, VI_REGION_CAP_OFFSET, &off) || !off)
			continue;
		em_obj_begin(em, NULL, "region %u%s%s", i, rg->name[0] ? " " : "", rg->name);
		em_detail_begin(em);
		em_u64(em, "index", i);
		em_detail_end(em);
		vi_decode_caps(em, VI_CHAIN_REGION, b, off, VI_REGION_SIZE, d->profiles);
		em_obj_end(em);
	}
	em_arr_end(em);
	return 0;
}

int vi_shc_hot_reset_info(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_query q;
	long r;

	if (sh->dev->kind != VI_DEV_PCI)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "hot reset is a PCI notion: %s is not a PCI "
				    "device", sh->dev->name);
	r = vi_q_hot_reset_info(sh->be, sh->dev->dev, &q);
	em_obj_begin(sh->em, "hot_reset", "hot reset");
	if (r < 0)
		vi_emit_error(sh->em, r);
	else
		vi_decode_hot_reset_info(sh->em, &q);
	vi_emit_query_stop(sh->em, &q);
	vi_query_free(&q);
	em_obj_end(sh->em);
	return r < 0 ? vi_sh_refuse(sh, vi_exit_for_errno((int)r),
				    "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO failed: %s",
				    strerror((int)-r)) : 0;
}

/* The dump's features, by the same code: unknown ids the kernel answers,
 * what a refusal means, the migration GETs decoded. */
int vi_shc_features(struct vi_shell *sh, int argc, char **argv)
{
	vi_inspect_features(sh->be, sh->em, sh->dev->dev);
	return 0;
}
/* ---- reset ---- */

int vi_shc_reset(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_ioarg a = { 0 };
	long r;

	if (!(sh->dev->flags & 1u))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s does not support VFIO_DEVICE_RESET "
				    "(no RESET flag in its device info)", sh->dev->name);
	if (!sh->write)
		return vi_sh_refuse(sh, VI_EXIT_PERM, "reset changes the device: start the "
				    "shell with --write, or type 'set write on'");
	if (sh->o.confirm && !sh->o.confirm(sh->o.confirm_ctx, "reset the device: its "
					    "state and registers are lost. Go ahead?"))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "not confirmed: the device was not reset");
	r = vi_be_ioctl(sh->be, sh->dev->dev, VI_IOC_DEVICE_RESET, &a);
	if (r < 0)
		return vi_sh_sys_fail(sh, r, "VFIO_DEVICE_RESET");
	em_bool(sh->em, "reset", true);
	return 0;
}
