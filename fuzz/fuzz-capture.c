// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-capture.c - the capture loader, raw bytes in.
 *
 * The input is a capture file as a stranger might send it.  It is written
 * to an anonymous file and handed to the real commands by path, as
 * `vfio-info --replay FILE` would: dump --all, list and doctor --all,
 * which load it (JSON, envelope, hex, errno names, extents, sysfs and
 * procfs facts) and run everything above the replay backend on it.  The
 * size's low bits pick text or JSON and doctor --probe, so both emitters
 * and the device opens are reached without disturbing the file's bytes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "cmds.h"
#include "decode.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int malformed = 0;
	struct vi_opts o;

	fuzz_setup();
	memset(&o, 0, sizeof(o));
	o.replay = fuzz_file(data, size);
	o.malformed = &malformed;
	o.profiles = VI_PROF_AUTOMATIC;
	o.all = true;
	o.json = size & 1;
	o.verbose = size & 2;
	cmd_dump(&o);
	o.verbose = false;
	cmd_list(&o);
	o.probe = size & 4;
	cmd_doctor(&o);
	return 0;
}
