/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.h - the recording backend's state, shared by its parts:
 *   backend-record.c  handles, ioctl answers, region bytes, the ops table;
 *   record-facts.c    sysfs, procfs and /dev facts (and what of them is kept);
 *   record-write.c    the capture file written from all of it.
 */
#ifndef VFIO_INFO_RECORD_H
#define VFIO_INFO_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "backend.h"
#include "callkey.h"

struct rec_call {
	const struct vi_ioc_desc *desc;
	struct vi_callkey key;
	long ret;		/* 0 or positive, or -errno */
	uint8_t *data, *aux;
	size_t len, auxlen;
	bool has_data, has_aux;
};

struct rec_calls {
	struct rec_call *v;
	size_t n;
};

struct rec_extent {
	uint32_t index;
	uint64_t off;
	uint8_t *data;
	size_t len;
};

struct rec_device {
	char *name, *group, *cdev;
	struct rec_calls calls;
	struct rec_extent *ext;
	size_t next;
};

struct rec_group {
	char *name;
	struct rec_calls calls;
};

enum owner_kind { OWN_CONTAINER, OWN_IOMMUFD, OWN_GROUP, OWN_DEVICE };

struct rec_owner {
	int h;
	enum owner_kind kind;
	size_t idx;		/* group or device index */
	bool iommu_set;		/* container: SET_IOMMU succeeded */
};

struct record {
	struct vi_backend *inner;
	struct rec_calls container, iommufd;
	struct rec_group *groups;
	size_t ngroups;
	struct rec_device *devs;
	size_t ndevs;
	struct rec_owner *owners;
	size_t nowners;
	json_t *ns[3];		/* sysfs, procfs, dev: key -> value as written */
};

static inline struct record *REC(struct vi_backend *be)
{
	return be->priv;
}

static inline struct vi_backend *INNER(struct vi_backend *be)
{
	return REC(be)->inner;
}

/* record-facts.c: the passive-fact operations */
int vi_rec_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
		     char **out, size_t *len);
int vi_rec_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out);
int vi_rec_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
		     struct vi_nodeinfo *st);
int vi_rec_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
		    char ***names, size_t *n);

/* record-write.c: the capture's JSON of @r (groups and devices are sorted
 * in place, owners fixed up) */
json_t *vi_rec_json(struct record *r, const struct vi_hostinfo *hi,
		    const char *const *profiles);

#endif
