// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode-feature.c - what a VFIO_DEVICE_FEATURE GET answers: the migration
 * flags (MIGRATION) and the device's current state (MIG_DEVICE_STATE).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "decode.h"
#include "uapi/vfio-abi.h"
#include "capture-io.h"

static void get_outcome(struct vi_emit *em, long ret)
{
	const char *n = vi_errno_name((int)-ret);
	char num[24];

	em_i64(em, "get_ret", ret);
	/* as "errno": the name, null in JSON for a number that has none
	 * (text shows the number) */
	snprintf(num, sizeof(num), "%ld", -ret);
	em_str_text(em, "get_errno", n, n ? NULL : num);
}

static void migration(struct vi_emit *em, struct vi_bytes data)
{
	uint64_t flags;

	if (vi_u64(data, VI_FMIG_FLAGS, &flags)) {
		em_note(em, VI_NOTE_ERROR, "the GET answered %zu of the %d bytes of "
			"struct vfio_device_feature_migration", data.len, VI_FMIG_SIZE);
		return;
	}
	em_flags(em, "migration_flags", flags, vi_migration_flags);
	/* vfio-pci refuses to register a migration driver without it, and
	 * the uAPI builds every other state set on top of it */
	if (!(flags & VI_MIGRATION_STOP_COPY))
		em_note(em, VI_NOTE_WARN, "no STOP_COPY: the migration uAPI requires it of "
			"every migratable device");
}

static void mig_state(struct vi_emit *em, struct vi_bytes data)
{
	uint32_t state, fd;

	if (vi_u32(data, VI_FMIGST_STATE, &state)) {
		em_note(em, VI_NOTE_ERROR, "the GET answered %zu of the %d bytes of "
			"struct vfio_device_feature_mig_state", data.len, VI_FMIGST_SIZE);
		return;
	}
	em_enum(em, "device_state", state, vi_mig_states);
	if (!vi_name_of(vi_mig_states, state))
		em_note(em, VI_NOTE_WARN, "device_state %u is no state this ABI defines", state);
	/* the kernel writes data_fd -1 on every GET */
	if (vi_u32(data, VI_FMIGST_DATA_FD, &fd))
		em_note(em, VI_NOTE_ERROR, "the GET answered %zu of the %d bytes of "
			"struct vfio_device_feature_mig_state", data.len, VI_FMIGST_SIZE);
	else if (fd != UINT32_MAX)
		em_note(em, VI_NOTE_WARN, "data_fd %d: a kernel answers a GET with -1",
			(int32_t)fd);
}

void vi_decode_feature_get(struct vi_emit *em, uint32_t id, long ret, struct vi_bytes data)
{
	if (ret < 0) {
		get_outcome(em, ret);
		return;
	}
	if (ret > 0)
		em_note(em, VI_NOTE_WARN, "the GET returned %ld: a kernel returns 0 or an error",
			ret);
	if (id == VI_FEATURE_MIGRATION)
		migration(em, data);
	else if (id == VI_FEATURE_MIG_DEVICE_STATE)
		mig_state(em, data);
}
