/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay-int.h - the replay backend's in-memory model of a capture, shared
 * by its parts:
 *   replay-load.c      parsing and checking a capture into this model: the
 *                      envelope, the parts in order, groups and devices;
 *   replay-load-call.c a part's recorded calls and their answers;
 *   replay-load-region.c a device's region bytes;
 *   replay-note.c      the loader's messages: the fatal one, the notes;
 *   replay-index.c     the indexes built once loaded;
 *   backend-replay.c   handles, ioctls, region bytes;
 *   replay-irq.c       SET_IRQS and the interrupt counters;
 *   replay-sysfs.c     the sysfs, procfs and dev namespaces: their checks
 *                      while loading, then files, links, directories.
 */
#ifndef VFIO_INFO_REPLAY_INT_H
#define VFIO_INFO_REPLAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "backend.h"
#include "callkey.h"
#include "ioc.h"

#define MAX_ERRNO	4095

/* One recorded answer: a capture holds tens of them per device, so
 * they are kept small (16 bytes; the checks while loading bound each
 * field). */
struct rp_answer {
	uint8_t *data;		/* in the capture's arena */
	uint32_t len : 31;	/* at most RP_ANSWER_MAX */
	uint32_t has_data : 1;
	int32_t ret;		/* 0 to INT_MAX as the call returned, or -errno
				 * (the file's "ret": -1 with its "errno") */
};

#define RP_ANSWER_MAX	0x7fffffffu

/* The capture's arena: what the model keeps of a capture (names, calls,
 * answers' bytes, region bytes) is packed into chunks freed with the
 * capture, not malloc'ed piece by piece.  Nothing in it is freed alone:
 * the loader's transient allocations (the tree of each element read)
 * then reuse the same few blocks of the heap instead of filling holes
 * between kept pieces, which made loading slower per device as the
 * capture grew. */
struct rp_chunk {
	struct rp_chunk *next;
	size_t used, cap;
	uint8_t b[];
};

/* What few calls have: "aux", "responses". */
struct rp_more {
	uint8_t *aux;
	size_t auxlen;
	bool has_aux;
	struct rp_answer *resp;	/* "responses", served in order */
	size_t nresp, next;
};

struct rp_call {
	const struct vi_ioc_desc *desc;
	struct vi_callkey key;	/* its name: GET_DEVICE_FD's device name */
	struct rp_answer ans;
	struct rp_more *more;	/* NULL: no aux, no responses */
};

static inline size_t rp_nresp(const struct rp_call *c)
{
	return c->more ? c->more->nresp : 0;
}

/* A list of recorded calls, sorted by ioctl (stably: the file's order
 * within one ioctl) once loaded, so that one ioctl's calls are a range. */
struct rp_calls {
	struct rp_call *v;
	size_t n;
};

/* Captured region bytes: merged, sorted by (index, offset). */
struct rp_extent {
	uint32_t index;
	uint64_t off;
	uint8_t *data;
	size_t len;
	size_t pos;		/* its place in the file's "regions" (for notes) */
};

/* An irq index set up through SET_IRQS: the event handle of each vector. */
struct rp_irqset {
	uint32_t index;
	int *trig;		/* per vector: an event handle, or -1 */
	uint32_t n;
};

struct rp_device {
	char *name, *group, *cdev;
	struct rp_calls calls;
	struct rp_extent *ext;
	size_t next;
	struct rp_irqset *irqsets;	/* what SET_IRQS set up, by index */
	size_t nirqsets;
	size_t pos;		/* its place in the file's "devices" */
	bool dropped;		/* loading: a duplicate, left out */
};

struct rp_group {
	char *name;
	struct rp_calls calls;
};

struct rp_handle {
	bool used;
	bool iommu_set;		/* container: SET_IOMMU succeeded */
	enum vi_fdkind kind;
	int dev;		/* device index (VI_FD_DEVICE) */
	char *group;		/* group name (VI_FD_GROUP) */
	uint64_t events;	/* VI_FD_EVENTFD: signalled, not yet read */
};

struct rp_map {
	void *addr;
	size_t len;
};

/* Capture profiles that change where the caps flag and cap_offset live. */
enum { PROF_DEVTREE_2013 = 1 << 0, PROF_ZPCI_IOMMU_2019 = 1 << 1 };

/* One sysfs/procfs/dev entry, held compactly once loaded: its key and
 * payload share one allocation. */
enum rp_node_kind { NODE_NONE, NODE_FILE, NODE_LINK, NODE_DIR, NODE_DEV, NODE_UNREAD,
		    NODE_BAD };

struct rp_node {
	const char *key;	/* path below the namespace root */
	const char *link;	/* NODE_LINK: its target */
	const uint8_t *data;	/* NODE_FILE: the bytes (NUL-terminated) */
	size_t len;
	unsigned int mode, uid, gid, major, minor;	/* NODE_DEV */
	int err;		/* NODE_BAD: the errno every access fails with */
	unsigned char kind;	/* enum rp_node_kind */
};

/* A namespace: nodes sorted by key (strcmp), so that the entries below a
 * directory are one range found by binary search. */
struct rp_ns {
	struct rp_node *v;
	size_t n;
	bool present;		/* the capture has the section */
};

/* A name -> position index: sorted by (key, i). */
struct rp_ref {
	const char *key;
	size_t i;
};

struct rp_index {
	struct rp_ref *v;
	size_t n;
};

struct replay {
	json_t *root;		/* while loading only */
	struct loadctx *lc;	/* while loading only */
	bool streamed_groups, streamed_devices;	/* loaded while read */
	struct rp_ns ns[3];	/* sysfs, procfs, dev */
	struct rp_device *devs;
	size_t ndevs;
	struct rp_group *groups;
	size_t ngroups;
	struct rp_calls container, iommufd;
	struct rp_handle *h;
	size_t nh;
	size_t hfree;		/* no free handle below this slot */
	/* replay-index.c: built once loaded */
	struct rp_index dev_by_name, dev_by_cdev, dev_groups, group_by_name;
	char **profiles;
	unsigned int prof;
	struct rp_map *maps;
	size_t nmaps;
	struct rp_chunk *arena;
	struct vi_hostinfo host;
	unsigned long notes;	/* malformed parts reported while loading */
};

/* The value that replaces a sysfs/procfs/dev entry no file system holds
 * (noted while loading): every access fails with the errno it holds. */
#define RP_MALFORMED	"vfio-info:malformed"

static inline struct replay *RP(struct vi_backend *be)
{
	return be->priv;
}

/* backend-replay.c: handles and recorded calls */
#define HANDLE_BASE	3	/* handles look like fds and are never 0 */
int replay_handle_new(struct replay *r, enum vi_fdkind kind, int dev, const char *group);
struct rp_handle *replay_handle_get(struct replay *r, int h);
/* The most specific recorded call that answers (@ioc, @k). */
struct rp_call *replay_find_call(struct rp_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k);

/* replay-index.c: the indexes of names, built once the capture is loaded. */
int replay_index_build(struct replay *r);
void replay_index_free(struct replay *r);
/* The first entry (lowest position) named @key, or -1. */
long replay_index_find(const struct rp_index *x, const char *key);
/* Sort a call list by ioctl (stably); the loader does as it keeps one. */
int replay_calls_sort(struct rp_calls *cs);
/* The range [*lo, *hi) of @cs's calls of @ioc. */
void replay_calls_range(const struct rp_calls *cs, enum vi_ioc ioc, size_t *lo, size_t *hi);

/* replay-irq.c: SET_IRQS and the interrupt counters */
long replay_set_irqs(struct vi_backend *be, struct rp_handle *hd, struct vi_ioarg *a);
void replay_irqset_drop(struct rp_device *dev, struct rp_irqset *set);
int replay_event_new(struct vi_backend *be);
int replay_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
		      uint64_t *counts, bool *settled);

/* replay-load.c: fill @r (and @be's byte order, page size, profiles)
 * from the capture @path, or @len bytes at @mem, named @name in messages
 * (capture-read.c reads it; its envelope is checked there).  What no
 * kernel answers goes to @o->report and is left out.  0, or -1 with a
 * one-line message in @err. */
int replay_load(struct replay *r, struct vi_backend *be, const char *path, const void *mem,
		size_t len, const char *name, const struct vi_replay_opts *o, char *err,
		size_t errlen);
void replay_free(struct replay *r);

/* ---- loading (replay-load*.c, replay-note.c), shared with replay-sysfs.c ---- */

/* A note kept until the capture is loaded, when the notes go out in the
 * order of the parts (struct loadctx's rank), as the file is read in its
 * own order. */
struct rp_pending {
	unsigned int rank;
	char *line;
};

struct loadctx {
	const char *file;
	unsigned int rank;	/* the part being loaded, in the notes' order */
	struct rp_pending *pend;
	size_t npend, cappend;
	unsigned long rank_notes[16];	/* notes of each rank */
	char *err;
	size_t errlen;
	bool fatal;		/* @err is set: nothing loads */
	const struct vi_replay_opts *o;
	unsigned long notes;
	const char *part;	/* what a note leaves out, or NULL */
	const char *then;	/* or what becomes of it instead */
	struct rp_chunk **arena;	/* the capture's: struct replay's */
	bool big_endian;
};

/* The capture cannot be used at all (broken envelope, out of memory):
 * @c->err is set.  Returns -1. */
int rp_fail(struct loadctx *c, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Something no kernel answers: reported as a malformed capture at @where,
 * and c->part (when set) is left out, or c->then says what becomes of it.
 * Returns -1 for the caller to drop the part. */
int rp_bad(struct loadctx *c, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same when the caller keeps what it can (says so in @fmt). */
void rp_note(struct loadctx *c, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The notes kept, in the parts' order (then the file's), at most
 * MAX_NOTES of them, then (@more) how many more there were. */
void rp_notes_flush(struct loadctx *c, bool more);
/* Forget the notes kept (the file is read again from its start). */
void rp_notes_forget(struct loadctx *c);
/* A value from the file, escaped and shortened to quote in a message. */
char *rp_shown(const char *s);
/* @w (@n bytes) = @where followed by the printf-style @fmt (a JSON path). */
void rp_sub(char *w, size_t n, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* replay-load-call.c */
/* A hex string at @where (malloc'ed); 0, or -1 (noted, or fatal). */
int rp_load_hex(struct loadctx *c, const char *where, json_t *v, uint8_t **out, size_t *len);
/* An integer from 0 to @max at @where; 0, or -1 (noted). */
int rp_load_uint(struct loadctx *c, const char *where, json_t *v, uint64_t max, uint64_t *out);
/* @owner's "ioctls" (@where: the owner's JSON path) into @cs; what no
 * kernel answers is noted and left out.  0, or -1 when fatal. */
int rp_load_calls(struct loadctx *c, const char *where, json_t *owner, struct rp_calls *cs);

/* replay-arena.c: @n bytes (8-aligned, not zeroed) or a copy of @s kept
 * in c->arena until the capture is freed; NULL when out of memory. */
void *rp_keep(struct loadctx *c, size_t n);
char *rp_keep_str(struct loadctx *c, const char *s);
void rp_arena_free(struct rp_chunk **arena);

/* replay-load-region.c: @arr, a device's "regions", into d->ext (its
 * calls loaded first: they give the regions' sizes).  0, or -1 when fatal. */
int rp_load_regions(struct loadctx *c, const char *where, json_t *arr, struct rp_device *d);

/* replay-sysfs.c: check the "sysfs", "procfs" or "dev" section @name. */
int replay_load_ns(struct loadctx *c, struct replay *r, enum vi_ns ns, const char *name);
void replay_ns_free(struct rp_ns *ns);

/* replay-sysfs.c: the passive-facts operations. */
/* Resolve the symlinks along @rel (relative to the namespace root), the
 * last component too when @follow_last.  malloc'ed, or NULL when the
 * links loop (more than VI_LINK_HOPS_MAX) or out of memory. */
char *replay_resolve(struct replay *r, enum vi_ns ns, const char *rel, bool follow_last);
int replay_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
		     char **out, size_t *len);
int replay_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out);
int replay_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
		    char ***names, size_t *n);
int replay_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
		     struct vi_nodeinfo *st);

#endif
