/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-mdev.c - the mdev parents, types and instances read from sysfs
 * (sysfs-mdev.c) on a capture's sysfs section: the layout the kernel
 * makes, and names and numbers no kernel writes, which are counted and
 * left out rather than used.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "sysfs.h"
#include "tap.h"

#define U1 "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"
#define T "devices/virtual/mtty/mtty/mdev_supported_types/"

/* The kernel's layout for mtty with one instance, and an extra parent
 * whose names and numbers are hostile.  Hand-made: no kernel gives them. */
static const char capture[] =
	"{\"vfio-info-capture\":1,\"host\":{\"byte_order\":\"little\"},\"devices\":[],"
	"\"sysfs\":{"
	"\"class/mdev_bus/mtty\":{\"link\":\"../../devices/virtual/mtty/mtty\"},"
	"\"" T "mtty-2/name\":\"Dual port mtty\\n\","
	"\"" T "mtty-2/description\":\"two 16550 ports\\n\","
	"\"" T "mtty-2/device_api\":\"vfio-pci\\n\","
	"\"" T "mtty-2/available_instances\":\"11\\n\","
	"\"" T "mtty-2/devices/" U1 "\":{\"link\":\"../../../" U1 "\"},"
	"\"" T "mtty-1/available_instances\":\"99999999999\\n\","
	"\"" T "mtty-1/devices/not-a-uuid\":{\"link\":\"../../../x\"},"
	"\"" T "bad;type/name\":\"x\","
	"\"" T "-rf/name\":\"x\","
	"\"devices/virtual/mtty/mtty/" U1 "/mdev_type\":{\"link\":\"../mdev_supported_types/mtty-2\"},"
	"\"bus/mdev/devices/" U1 "\":{\"link\":\"../../../devices/virtual/mtty/mtty/" U1 "\"},"
	"\"class/mdev_bus/evil\":{\"link\":\"../../devices/virtual/evil\"},"
	"\"devices/virtual/evil/mdev_supported_types/e-1/available_instances\":\"-3\\n\","
	"\"devices/virtual/evil/mdev_supported_types/e-1/name\":\"a\\u001b[2Jb\\n\""
	"}}";

int main(void)
{
	char err[256];
	struct vi_backend *be = vi_backend_replay_new_mem(capture, strlen(capture), "mdev.json",
							  NULL, err, sizeof(err));
	struct vi_mdev_parents ps;
	char *parent = NULL, *type = NULL;

	ok(be != NULL, "capture loads: %s", be ? "" : err);
	if (!be)
		return tap_done();
	is_int(vi_mdev_parents_load(be, &ps), 0, "parents load");
	ok(ps.present, "class/mdev_bus present");
	is_int(ps.n, 2, "two parents");
	if (ps.n == 2) {
		const struct vi_mdev_parent *e = &ps.v[0], *m = &ps.v[1];

		is_str(e->name, "evil", "sorted: evil first");
		is_str(m->name, "mtty", "then mtty");
		is_int(m->ntypes, 2, "mtty: two types that are type ids");
		is_int(m->bad_types, 2, "mtty: 'bad;type' and '-rf' counted, not used");
		if (m->ntypes == 2) {
			const struct vi_mdev_type *t1 = &m->types[0], *t2 = &m->types[1];

			is_str(t1->id, "mtty-1", "mtty-1");
			ok(t1->available == -1, "an available_instances over UINT32_MAX is no number");
			ok(t1->name == NULL && t1->device_api == NULL, "absent attributes are NULL");
			is_int(t1->ndevices, 0, "mtty-1: no instance");
			is_int(t1->bad_devices, 1, "mtty-1: 'not-a-uuid' counted");
			is_str(t2->id, "mtty-2", "mtty-2");
			is_str(t2->name, "Dual port mtty", "name, newline trimmed");
			is_str(t2->description, "two 16550 ports", "description");
			is_str(t2->device_api, "vfio-pci", "device_api");
			ok(t2->available == 11, "available_instances 11");
			is_int(t2->ndevices, 1, "mtty-2: one instance");
			if (t2->ndevices == 1)
				is_str(t2->devices[0], U1, "its UUID");
		}
		is_int(e->ntypes, 1, "evil: one type");
		if (e->ntypes == 1)
			ok(e->types[0].available == -1, "a negative available_instances is no number");
	}
	vi_mdev_parents_free(ps.v, ps.n);

	is_int(vi_mdev_of(be, "bus/mdev/devices/" U1, &parent, &type), 0, "the instance is an mdev");
	is_str(parent, "mtty", "its parent from the directory that holds it");
	is_str(type, "mtty-2", "its type from the mdev_type link");
	free(parent);
	free(type);
	is_int(vi_mdev_of(be, "bus/pci/devices/0000:00:03.0", &parent, &type), -2,
	       "a device without mdev_type is no mdev (-ENOENT)");
	vi_backend_destroy(be);
	return tap_done();
}
