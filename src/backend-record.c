// SPDX-License-Identifier: GPL-2.0-or-later
/* backend-record.c - wrap a backend and keep every answer for a capture file. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "backend.h"
#include "bytes.h"
#include "callkey.h"
#include "capture-io.h"
#include "uapi/vfio-abi.h"

#ifdef PACKAGE_VERSION
#define TOOL_NAME	"vfio-info " PACKAGE_VERSION
#else
#define TOOL_NAME	"vfio-info"
#endif


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

static struct record *REC(struct vi_backend *be)
{
	return be->priv;
}

static struct vi_backend *INNER(struct vi_backend *be)
{
	return REC(be)->inner;
}

/* ==== owners of handles ==== */

static struct rec_owner *owner_get(struct record *r, int h)
{
	for (size_t i = 0; i < r->nowners; i++)
		if (r->owners[i].h == h)
			return &r->owners[i];
	return NULL;
}

static void owner_drop(struct record *r, int h)
{
	for (size_t i = 0; i < r->nowners; i++)
		if (r->owners[i].h == h) {
			r->owners[i] = r->owners[--r->nowners];
			return;
		}
}

static int owner_set(struct record *r, int h, enum owner_kind kind, size_t idx)
{
	struct rec_owner *o = owner_get(r, h), *nv;

	if (!o) {
		nv = realloc(r->owners, (r->nowners + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->owners = nv;
		o = &r->owners[r->nowners++];
	}
	*o = (struct rec_owner){ h, kind, idx, false };
	return 0;
}

static ssize_t group_index(struct record *r, const char *name)
{
	struct rec_group *nv;

	for (size_t i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].name, name) == 0)
			return (ssize_t)i;
	nv = realloc(r->groups, (r->ngroups + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	r->groups = nv;
	memset(&nv[r->ngroups], 0, sizeof(*nv));
	nv[r->ngroups].name = strdup(name);
	if (!nv[r->ngroups].name)
		return -ENOMEM;
	return (ssize_t)r->ngroups++;
}

static ssize_t device_index(struct record *r, const char *name, const char *group,
			    const char *cdev)
{
	struct rec_device *d, *nv;
	size_t i;

	for (i = 0; i < r->ndevs; i++)
		if (strcmp(r->devs[i].name, name) == 0)
			break;
	if (i == r->ndevs) {
		nv = realloc(r->devs, (r->ndevs + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->devs = nv;
		memset(&nv[i], 0, sizeof(*nv));
		nv[i].name = strdup(name);
		if (!nv[i].name)
			return -ENOMEM;
		r->ndevs++;
	}
	d = &r->devs[i];
	if (group && !d->group)
		d->group = strdup(group);
	if (cdev && !d->cdev)
		d->cdev = strdup(cdev);
	return (ssize_t)i;
}

/* ==== node paths ==== */

static int rec_open_node(struct vi_backend *be, const char *path, enum vi_fdkind kind)
{
	static const char group_dir[] = "/dev/vfio/";
	static const char cdev_dir[] = "/dev/vfio/devices/";
	struct record *r = REC(be);
	int h = INNER(be)->ops->open_node(INNER(be), path, kind);
	ssize_t idx;

	if (h < 0)
		return h;
	if (strcmp(path, "/dev/vfio/vfio") == 0) {
		owner_set(r, h, OWN_CONTAINER, 0);
	} else if (strcmp(path, "/dev/iommu") == 0) {
		owner_set(r, h, OWN_IOMMUFD, 0);
	} else if (strncmp(path, cdev_dir, sizeof(cdev_dir) - 1) == 0) {
		/* The cdev node does not say which device it is: ask the
		 * enumeration (sysfs live, the capture in replay). */
		const char *cdev = path + sizeof(cdev_dir) - 1;
		struct vi_devref *list = NULL;
		size_t n = 0;
		const char *name = cdev, *group = NULL;

		if (INNER(be)->ops->enumerate(INNER(be), &list, &n) == 0) {
			for (size_t i = 0; i < n; i++)
				if (list[i].cdev && strcmp(list[i].cdev, cdev) == 0) {
					name = list[i].name;
					group = list[i].group;
					break;
				}
		}
		idx = device_index(r, name, group, cdev);
		vi_devref_free(list, n);
		if (idx >= 0)
			owner_set(r, h, OWN_DEVICE, (size_t)idx);
	} else if (strncmp(path, group_dir, sizeof(group_dir) - 1) == 0) {
		idx = group_index(r, path + sizeof(group_dir) - 1);
		if (idx >= 0)
			owner_set(r, h, OWN_GROUP, (size_t)idx);
	}
	return h;
}

static void rec_close(struct vi_backend *be, int h)
{
	owner_drop(REC(be), h);
	INNER(be)->ops->close(INNER(be), h);
}

/* ==== ioctl answers ==== */

static void free_call(struct rec_call *c)
{
	free(c->data);
	free(c->aux);
}

static void free_calls(struct rec_calls *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free_call(&cs->v[i]);
	free(cs->v);
}

static struct rec_call *find_call(struct rec_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i].desc->ioc == ioc && vi_callkey_same(&cs->v[i].key, k))
			return &cs->v[i];
	return NULL;
}

static void drop_call(struct rec_calls *cs, enum vi_ioc ioc, const struct vi_callkey *k)
{
	struct rec_call *c = find_call(cs, ioc, k);

	if (!c)
		return;
	free_call(c);
	memmove(c, c + 1, (size_t)(&cs->v[cs->n] - (c + 1)) * sizeof(*c));
	cs->n--;
}

/* Store @c under its key: the last call for a selector wins, in the
 * position of the first one. */
static void store_call(struct rec_calls *cs, struct rec_call *c)
{
	struct rec_call *old = find_call(cs, c->desc->ioc, &c->key), *nv;

	if (old) {
		free_call(old);
		*old = *c;
		return;
	}
	nv = realloc(cs->v, (cs->n + 1) * sizeof(*nv));
	if (!nv) {
		free_call(c);
		return;
	}
	cs->v = nv;
	cs->v[cs->n++] = *c;
}

static uint8_t *dup_bytes(const void *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

static struct rec_calls *calls_of(struct record *r, struct rec_owner *o)
{
	switch (o->kind) {
	case OWN_CONTAINER:
		return &r->container;
	case OWN_IOMMUFD:
		return &r->iommufd;
	case OWN_GROUP:
		return &r->groups[o->idx].calls;
	case OWN_DEVICE:
		return &r->devs[o->idx].calls;
	}
	return NULL;
}

/* What the kernel wrote, as a capture stores it (pointer fields zeroed). */
static void fill_answer(struct vi_backend *be, const struct vi_ioc_desc *d,
			const struct vi_ioarg *a, uint32_t in_capacity, struct rec_call *c)
{
	struct vi_bytes b = vi_bytes_make(a->buf, a->len, be->big_endian);
	uint64_t n = 0, cnt;
	uint32_t v;

	if (d->arg != VI_ARG_STRUCT || !a->buf || !a->len)
		return;
	switch (d->growth) {
	case VI_GROW_ARGSZ:
		n = vi_get32(b, 0);
		break;
	case VI_GROW_COUNT_ENOSPC:
		cnt = vi_get32(b, VI_HRI_COUNT);
		n = VI_HRI_DEVICES + cnt * VI_HRI_DEV_SIZE;
		break;
	case VI_GROW_COUNT_EMSGSIZE: {
		/* header + the ranges the kernel filled in */
		size_t hdr = a->len < VI_IOVR_SIZE ? a->len : VI_IOVR_SIZE;
		uint64_t nr = vi_get32(b, VI_IOVR_NUM_IOVAS);

		if (nr > in_capacity)
			nr = in_capacity;
		if (!a->aux)
			nr = 0;
		else if (nr > a->auxlen / VI_IOVR_RANGE_SIZE)
			nr = a->auxlen / VI_IOVR_RANGE_SIZE;
		c->data = malloc(hdr + nr * VI_IOVR_RANGE_SIZE + 1);
		if (!c->data)
			return;
		memcpy(c->data, a->buf, hdr);
		if (nr)
			memcpy(c->data + hdr, a->aux, nr * VI_IOVR_RANGE_SIZE);
		c->len = hdr + nr * VI_IOVR_RANGE_SIZE;
		vi_put64(c->data, c->len, VI_IOVR_PTR, 0, be->big_endian);
		c->has_data = true;
		return;
	}
	case VI_GROW_DATA_LEN:
		n = a->len < VI_HWI_SIZE ? a->len : VI_HWI_SIZE;
		v = vi_get32(b, VI_HWI_DATA_LEN);
		if (v > in_capacity)
			v = in_capacity;
		if (!a->aux)
			v = 0;
		else if (v > a->auxlen)
			v = (uint32_t)a->auxlen;
		c->aux = dup_bytes(a->aux, v);
		c->auxlen = v;
		c->has_aux = c->aux != NULL;
		break;
	case VI_GROW_NONE:
	default:
		n = vi_get32(b, 0);
		/* a feature probe answers with its own header: nothing to keep */
		if (d->ioc == VI_IOC_DEVICE_FEATURE && n <= VI_FEAT_MINSZ)
			return;
		break;
	}
	if (n > a->len)
		n = a->len;
	c->data = dup_bytes(a->buf, (size_t)n);
	if (!c->data)
		return;
	c->len = (size_t)n;
	c->has_data = true;
	if (d->ioc == VI_IOC_IOMMU_GET_HW_INFO)
		vi_put64(c->data, c->len, VI_HWI_DATA_PTR, 0, be->big_endian);
	else if (d->ioc == VI_IOC_DEVICE_BIND_IOMMUFD)
		vi_put64(c->data, c->len, VI_BIND_TOKEN_PTR, 0, be->big_endian);
}

static long rec_ioctl(struct vi_backend *be, int h, enum vi_ioc ioc, struct vi_ioarg *a)
{
	struct vi_ioarg none = { 0 };
	struct record *r = REC(be);
	const struct vi_ioc_desc *d = vi_ioc_desc(ioc);
	struct rec_owner *o;
	struct rec_calls *cs;
	struct rec_call c = { 0 };
	uint32_t in_capacity = 0;
	long ret;

	if (!a)
		a = &none;
	/* SET_IRQS changes the device and carries handles meaningful only
	 * here: a replay emulates it instead of repeating an answer */
	if (!d || ioc == VI_IOC_DEVICE_SET_IRQS)
		return INNER(be)->ops->ioctl(INNER(be), h, ioc, a);
	vi_callkey_of(be, ioc, a, &c.key);
	/* Some extensions answer differently once an IOMMU is set
	 * (DMA_CC_IOMMU, UPDATE_VADDR): keep both answers apart. */
	o = owner_get(r, h);
	if (ioc == VI_IOC_CHECK_EXTENSION && o && o->iommu_set)
		c.key.sel |= VI_SEL_IOMMU_SET;
	if (a && a->buf) {
		struct vi_bytes b = vi_bytes_make(a->buf, a->len, be->big_endian);

		if (ioc == VI_IOC_IOMMU_IOAS_IOVA_RANGES)
			in_capacity = vi_get32(b, VI_IOVR_NUM_IOVAS);
		else if (ioc == VI_IOC_IOMMU_GET_HW_INFO)
			in_capacity = vi_get32(b, VI_HWI_DATA_LEN);
	}
	ret = INNER(be)->ops->ioctl(INNER(be), h, ioc, a);

	o = owner_get(r, h);
	if (ioc == VI_IOC_SET_IOMMU && ret >= 0 && o)
		o->iommu_set = true;
	if (!o)
		return ret;
	cs = calls_of(r, o);
	c.desc = d;
	c.ret = ret;

	if (ioc == VI_IOC_GROUP_GET_DEVICE_FD && ret >= 0 && (c.key.sel & VI_SEL_NAME)) {
		const char *group = o->kind == OWN_GROUP ? r->groups[o->idx].name : NULL;
		ssize_t idx = device_index(r, c.key.name, group, NULL);

		if (idx >= 0)
			owner_set(r, (int)ret, OWN_DEVICE, (size_t)idx);
		/* a success after a failure replaces it */
		drop_call(cs, ioc, &c.key);
		return ret;
	}
	if (d->opens) {
		/* Opening calls are kept only when they failed, and the
		 * ones that hand back an id (BIND's out_devid, the IOAS id,
		 * ATTACH's hwpt id) so a replay shows the same ids. */
		if (ret < 0 || ioc == VI_IOC_DEVICE_BIND_IOMMUFD ||
		    ioc == VI_IOC_IOMMU_IOAS_ALLOC ||
		    ioc == VI_IOC_DEVICE_ATTACH_IOMMUFD_PT) {
			if (ret >= 0)
				fill_answer(be, d, a, 0, &c);
			store_call(cs, &c);
		} else {
			drop_call(cs, ioc, &c.key);
		}
		return ret;
	}
	if (ret >= 0)
		fill_answer(be, d, a, in_capacity, &c);
	store_call(cs, &c);
	return ret;
}

/* ==== region bytes ==== */

static bool region_of(struct vi_backend *be, struct rec_device *dev, uint64_t off,
		      uint32_t *index, uint64_t *roff)
{
	for (size_t i = 0; i < dev->calls.n; i++) {
		const struct rec_call *c = &dev->calls.v[i];
		struct vi_bytes b;
		uint64_t size, start;

		if (c->desc->ioc != VI_IOC_DEVICE_GET_REGION_INFO || !c->has_data)
			continue;
		b = vi_bytes_make(c->data, c->len, be->big_endian);
		if (vi_u64(b, VI_REGION_SIZE_OFF, &size) < 0 ||
		    vi_u64(b, VI_REGION_OFFSET_OFF, &start) < 0)
			continue;
		if (off >= start && off - start < size) {
			*index = c->key.index;
			*roff = off - start;
			return true;
		}
	}
	return false;
}

/* Add bytes read at (@index, @off), merging with what touches them; the
 * newest bytes win where they overlap. */
static void add_extent(struct rec_device *dev, uint32_t index, uint64_t off,
		       const void *data, size_t len)
{
	struct rec_extent n = { index, off, dup_bytes(data, len), len }, *nv;
	size_t i = 0;

	if (!n.data)
		return;
	while (i < dev->next) {
		struct rec_extent *e = &dev->ext[i];
		uint64_t lo, hi;
		uint8_t *buf;

		if (e->index != index || e->off > n.off + n.len || n.off > e->off + e->len) {
			i++;
			continue;
		}
		lo = e->off < n.off ? e->off : n.off;
		hi = e->off + e->len > n.off + n.len ? e->off + e->len : n.off + n.len;
		buf = malloc((size_t)(hi - lo) + 1);
		if (!buf) {
			free(n.data);
			return;
		}
		memcpy(buf + (e->off - lo), e->data, e->len);
		memcpy(buf + (n.off - lo), n.data, n.len);
		free(n.data);
		free(e->data);
		n.off = lo;
		n.len = (size_t)(hi - lo);
		n.data = buf;
		dev->ext[i] = dev->ext[--dev->next];
		i = 0;
	}
	nv = realloc(dev->ext, (dev->next + 1) * sizeof(*nv));
	if (!nv) {
		free(n.data);
		return;
	}
	dev->ext = nv;
	dev->ext[dev->next++] = n;
}

static ssize_t rec_pread(struct vi_backend *be, int h, void *buf, size_t len, uint64_t off)
{
	struct record *r = REC(be);
	ssize_t n = INNER(be)->ops->pread(INNER(be), h, buf, len, off);
	struct rec_owner *o = owner_get(r, h);
	uint32_t index;
	uint64_t roff;

	if (n > 0 && o && o->kind == OWN_DEVICE &&
	    region_of(be, &r->devs[o->idx], off, &index, &roff))
		add_extent(&r->devs[o->idx], index, roff, buf, (size_t)n);
	return n;
}

static ssize_t rec_pwrite(struct vi_backend *be, int h, const void *buf, size_t len,
			  uint64_t off)
{
	return INNER(be)->ops->pwrite(INNER(be), h, buf, len, off);
}

static void *rec_mmap(struct vi_backend *be, int h, size_t len, uint64_t off, bool writable)
{
	return INNER(be)->ops->mmap(INNER(be), h, len, off, writable);
}

static int rec_munmap(struct vi_backend *be, void *addr, size_t len)
{
	return INNER(be)->ops->munmap(INNER(be), addr, len);
}

/* ==== passive facts ==== */

static json_t *ns_obj(struct record *r, enum vi_ns ns)
{
	if ((unsigned)ns > VI_NS_DEV)
		return NULL;
	if (!r->ns[ns])
		r->ns[ns] = json_object();
	return r->ns[ns];
}

/* Set @key to @v (stolen); a marker ("dir" / unread file) never replaces
 * what is known. */
static void ns_put(struct record *r, enum vi_ns ns, const char *rel, json_t *v, bool marker)
{
	json_t *o = ns_obj(r, ns);
	char *key = vi_path_normalize(rel);

	if (!o || !key || !v || (marker && json_object_get(o, key)))
		json_decref(v);
	else
		json_object_set_new(o, key, v);
	free(key);
}

static char *child_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", dir, *dir ? "/" : "", name);
	return p;
}

/* The path of @rel with every symlink along it resolved through the inner
 * backend (the last component too when @follow_last), recording each link
 * met: the capture then mirrors the real layout whatever path the caller
 * used.  Falls back to the path as given.  malloc'ed. */
static char *canonical(struct vi_backend *be, enum vi_ns ns, const char *rel, bool follow_last)
{
	static const char *const roots[] = { "/sys/", "/proc/", "/dev/" };
	struct vi_backend *in = INNER(be);
	char *rest = vi_path_normalize(rel), *cur = strdup("");
	int hops = 0;

	while (rest && cur && *rest) {
		size_t n = strcspn(rest, "/");
		const char *tail = rest[n] ? rest + n + 1 : rest + n;
		char *cand, *target = NULL, *next;

		if (n == 0 || (n == 1 && rest[0] == '.')) {
			memmove(rest, tail, strlen(tail) + 1);
			continue;
		}
		if (n == 2 && rest[0] == '.' && rest[1] == '.') {
			char *slash = strrchr(cur, '/');

			*(slash ? slash : cur) = '\0';
			memmove(rest, tail, strlen(tail) + 1);
			continue;
		}
		cand = malloc(strlen(cur) + n + 2);
		if (!cand)
			break;
		sprintf(cand, "%s%s%.*s", cur, *cur ? "/" : "", (int)n, rest);
		if ((*tail || follow_last) && in->ops->readlink(in, ns, cand, &target) >= 0) {
			ns_put(REC(be), ns, cand, json_pack("{s:s}", "link", target), false);
			free(cand);
			if (++hops > 40 || (target[0] == '/' &&
					    strncmp(target, roots[ns], strlen(roots[ns])) != 0)) {
				free(target);
				break;
			}
			if (target[0] == '/')
				cur[0] = '\0';
			next = child_path(target[0] == '/' ? target + strlen(roots[ns]) : target,
					  tail);
			free(target);
			free(rest);
			rest = next;
			continue;
		}
		free(cur);
		cur = cand;
		memmove(rest, tail, strlen(tail) + 1);
	}
	if (!rest || !cur || *rest) {
		free(rest);
		free(cur);
		return vi_path_normalize(rel);
	}
	free(rest);
	return cur;
}

/* A process's open files are its own business: of /proc/<pid>/fd/<n> only
 * the links to VFIO and iommufd nodes are recorded (they name holders). */
static bool private_link(enum vi_ns ns, const char *rel, const char *target)
{
	if (ns != VI_NS_PROC || !strstr(rel, "/fd/"))
		return false;
	return strncmp(target, "/dev/vfio/", 10) != 0 && strcmp(target, "/dev/iommu") != 0;
}

static int rec_read_file(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 char **out, size_t *len)
{
	int ret = INNER(be)->ops->read_file(INNER(be), ns, rel, out, len);
	char *key;
	json_t *v;

	if (ret < 0)
		return ret;
	/* text only without NUL bytes (binary files such as a PCI device's
	 * `config` are mostly zeros, which a capture may not hold as \u0000) */
	v = memchr(*out, 0, *len) ? NULL : json_stringn(*out, *len);
	if (!v) {
		/* not UTF-8: keep the bytes as hex */
		char *hex = vi_hex_encode(*out, *len);

		v = hex ? json_pack("{s:s}", "hex", hex) : NULL;
		free(hex);
	}
	key = canonical(be, ns, rel, true);
	if (key)
		ns_put(REC(be), ns, key, v, false);
	else
		json_decref(v);
	free(key);
	return ret;
}

static int rec_readlink(struct vi_backend *be, enum vi_ns ns, const char *rel, char **out)
{
	int ret = INNER(be)->ops->readlink(INNER(be), ns, rel, out);
	char *key;

	if (ret < 0 || private_link(ns, rel, *out))
		return ret;
	key = canonical(be, ns, rel, false);
	if (key)
		ns_put(REC(be), ns, key, json_pack("{s:s}", "link", *out), false);
	free(key);
	return ret;
}

/* Record that @rel exists: as the link it is, or as a directory or a file
 * whose content was not read. */
static void note_entry(struct vi_backend *be, enum vi_ns ns, const char *rel)
{
	struct record *r = REC(be);
	struct vi_backend *in = INNER(be);
	struct vi_nodeinfo st;
	json_t *o = ns_obj(r, ns);
	char *key = vi_path_normalize(rel), *target = NULL;

	if (!o || !key || json_object_get(o, key)) {
		free(key);
		return;
	}
	if (ns != VI_NS_DEV && in->ops->readlink(in, ns, key, &target) >= 0) {
		if (!private_link(ns, key, target))
			json_object_set_new(o, key, json_pack("{s:s}", "link", target));
		free(target);
	} else if (in->ops->stat_node(in, ns, key, &st) >= 0) {
		if (S_ISDIR(st.mode))
			json_object_set_new(o, key, json_pack("{s:b}", "dir", 1));
		else if (ns != VI_NS_DEV)
			json_object_set_new(o, key, json_object());
	}
	free(key);
}

static void put_devnode(struct record *r, const char *rel, const struct vi_nodeinfo *st)
{
	char mode[16], rdev[32];

	snprintf(mode, sizeof(mode), "%04o", st->mode & 07777);
	snprintf(rdev, sizeof(rdev), "%u:%u", st->major, st->minor);
	ns_put(r, VI_NS_DEV, rel,
	       json_pack("{s:s,s:I,s:I,s:s}", "mode", mode, "uid", (json_int_t)st->uid,
			 "gid", (json_int_t)st->gid, "rdev", rdev), false);
}

static int rec_stat_node(struct vi_backend *be, enum vi_ns ns, const char *rel,
			 struct vi_nodeinfo *st)
{
	int ret = INNER(be)->ops->stat_node(INNER(be), ns, rel, st);
	char *key;

	if (ret < 0)
		return ret;
	key = canonical(be, ns, rel, true);
	if (!key)
		return ret;
	if (ns == VI_NS_DEV && S_ISCHR(st->mode))
		put_devnode(REC(be), key, st);
	else if (S_ISDIR(st->mode))
		ns_put(REC(be), ns, key, json_pack("{s:b}", "dir", 1), true);
	else if (ns != VI_NS_DEV)
		ns_put(REC(be), ns, key, json_object(), true);
	free(key);
	return ret;
}

static int rec_list_dir(struct vi_backend *be, enum vi_ns ns, const char *rel,
			char ***names, size_t *n)
{
	int ret = INNER(be)->ops->list_dir(INNER(be), ns, rel, names, n);
	char *key;

	if (ret < 0)
		return ret;
	key = canonical(be, ns, rel, true);
	if (!key)
		return ret;
	for (size_t i = 0; i < *n; i++) {
		char *p = child_path(key, (*names)[i]);

		if (!p)
			continue;
		if (ns == VI_NS_DEV) {
			struct vi_nodeinfo st;

			if (INNER(be)->ops->stat_node(INNER(be), ns, p, &st) >= 0 &&
			    S_ISCHR(st.mode) && !json_object_get(ns_obj(REC(be), ns), p))
				put_devnode(REC(be), p, &st);
			else
				note_entry(be, ns, p);
		} else {
			note_entry(be, ns, p);
		}
		free(p);
	}
	if (*n == 0)
		ns_put(REC(be), ns, key, json_pack("{s:b}", "dir", 1), true);
	free(key);
	return ret;
}

static int rec_enumerate(struct vi_backend *be, struct vi_devref **list, size_t *n)
{
	return INNER(be)->ops->enumerate(INNER(be), list, n);
}

static int rec_host_info(struct vi_backend *be, struct vi_hostinfo *hi)
{
	return INNER(be)->ops->host_info(INNER(be), hi);
}

/* Interrupt counters are the inner backend's: nothing of them is kept. */
static int rec_event_new(struct vi_backend *be)
{
	struct vi_backend *in = INNER(be);

	return in->ops->event_new ? in->ops->event_new(in) : -ENOSYS;
}

static int rec_event_wait(struct vi_backend *be, const int *hs, size_t n, int timeout_ms,
			  uint64_t *counts, bool *settled)
{
	struct vi_backend *in = INNER(be);

	*settled = true;
	return in->ops->event_wait ? in->ops->event_wait(in, hs, n, timeout_ms, counts, settled) :
	       -ENOSYS;
}

static void rec_destroy(struct vi_backend *be)
{
	struct record *r = REC(be);

	free_calls(&r->container);
	free_calls(&r->iommufd);
	for (size_t i = 0; i < r->ngroups; i++) {
		free(r->groups[i].name);
		free_calls(&r->groups[i].calls);
	}
	free(r->groups);
	for (size_t i = 0; i < r->ndevs; i++) {
		struct rec_device *d = &r->devs[i];

		free(d->name);
		free(d->group);
		free(d->cdev);
		free_calls(&d->calls);
		for (size_t j = 0; j < d->next; j++)
			free(d->ext[j].data);
		free(d->ext);
	}
	free(r->devs);
	free(r->owners);
	for (int i = 0; i < 3; i++)
		json_decref(r->ns[i]);
	vi_backend_destroy(r->inner);
	free(r);
	free(be);
}

static const struct vi_backend_ops record_ops = {
	.name = "record",
	.open_node = rec_open_node,
	.close = rec_close,
	.ioctl = rec_ioctl,
	.pread = rec_pread,
	.pwrite = rec_pwrite,
	.mmap = rec_mmap,
	.munmap = rec_munmap,
	.read_file = rec_read_file,
	.readlink = rec_readlink,
	.list_dir = rec_list_dir,
	.stat_node = rec_stat_node,
	.enumerate = rec_enumerate,
	.host_info = rec_host_info,
	.event_new = rec_event_new,
	.event_wait = rec_event_wait,
	.destroy = rec_destroy,
};

struct vi_backend *vi_backend_record_new(struct vi_backend *inner)
{
	struct vi_backend *be;
	struct record *r;

	if (!inner)
		return NULL;
	be = calloc(1, sizeof(*be));
	r = calloc(1, sizeof(*r));
	if (!be || !r) {
		free(be);
		free(r);
		return NULL;
	}
	r->inner = inner;
	be->ops = &record_ops;
	be->priv = r;
	be->big_endian = inner->big_endian;
	be->page_size = inner->page_size;
	be->profiles = inner->profiles;
	return be;
}

/* ==== writing ==== */

static json_t *hex_value(const uint8_t *p, size_t len)
{
	char *hex = vi_hex_encode(p, len);
	json_t *v = hex ? json_string(hex) : NULL;

	free(hex);
	return v;
}

static json_t *call_json(const struct rec_call *c)
{
	json_t *o = json_object();
	char flags[32];

	json_object_set_new(o, "ioctl", json_string(c->desc->name));
	if (c->key.sel & VI_SEL_NAME)
		json_object_set_new(o, "name", json_string(c->key.name));
	if (c->key.sel & VI_SEL_INDEX)
		json_object_set_new(o, "index", json_integer(c->key.index));
	if (c->key.sel & VI_SEL_EXTENSION)
		json_object_set_new(o, "extension", json_integer((json_int_t)c->key.extension));
	if (c->key.sel & VI_SEL_IOMMU_SET)
		json_object_set_new(o, "iommu_set", json_true());
	if (c->key.sel & VI_SEL_FEATURE) {
		vi_feature_flags_format(c->key.fflags, flags, sizeof(flags));
		json_object_set_new(o, "feature", json_integer(c->key.feature));
		json_object_set_new(o, "flags", json_string(flags));
	}
	if (c->key.sel & VI_SEL_DEV_ID)
		json_object_set_new(o, "dev_id", json_integer(c->key.dev_id));
	if (c->ret < 0) {
		const char *name = vi_errno_name((int)-c->ret);

		json_object_set_new(o, "ret", json_integer(-1));
		json_object_set_new(o, "errno", name ? json_string(name) :
				    json_integer(-c->ret));
	} else {
		json_object_set_new(o, "ret", json_integer(c->ret));
		if (c->has_data)
			json_object_set_new(o, "data", hex_value(c->data, c->len));
		if (c->has_aux)
			json_object_set_new(o, "aux", hex_value(c->aux, c->auxlen));
	}
	return o;
}

static json_t *calls_json(const struct rec_calls *cs)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < cs->n; i++)
		json_array_append_new(arr, call_json(&cs->v[i]));
	return arr;
}

static int cmp_extent(const void *a, const void *b)
{
	const struct rec_extent *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static json_t *device_json(struct rec_device *d)
{
	json_t *o = json_object(), *regions = json_array();

	json_object_set_new(o, "name", json_string(d->name));
	json_object_set_new(o, "group", d->group ? json_string(d->group) : json_null());
	json_object_set_new(o, "cdev", d->cdev ? json_string(d->cdev) : json_null());
	json_object_set_new(o, "ioctls", calls_json(&d->calls));
	if (d->next)
		qsort(d->ext, d->next, sizeof(*d->ext), cmp_extent);
	for (size_t i = 0; i < d->next; i++)
		json_array_append_new(regions,
				      json_pack("{s:I,s:I,s:o}", "index", (json_int_t)d->ext[i].index,
						"offset", (json_int_t)d->ext[i].off, "data",
						hex_value(d->ext[i].data, d->ext[i].len)));
	json_object_set_new(o, "regions", regions);
	return o;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Group names in natural order: "3" before "12", numbers before "noiommu-". */
static int cmp_group_name(const char *a, const char *b)
{
	size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");

	if (la && lb && !a[la] && !b[lb] && la != lb)
		return la < lb ? -1 : 1;
	if (!!la != !!lb)
		return la ? -1 : 1;
	return strcmp(a, b);
}

static int cmp_group(const void *a, const void *b)
{
	return cmp_group_name(((const struct rec_group *)a)->name,
			      ((const struct rec_group *)b)->name);
}

static int cmp_device(const void *a, const void *b)
{
	return strcmp(((const struct rec_device *)a)->name, ((const struct rec_device *)b)->name);
}

static bool key_has_children(json_t *o, const char *key)
{
	size_t n = strlen(key);
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
		if (strncmp(k, key, n) == 0 && k[n] == '/')
			return true;
	return false;
}

/* The namespace with sorted keys and without directory markers that the
 * keys below them make redundant. */
static json_t *ns_json(json_t *src)
{
	size_t n = json_object_size(src), i = 0;
	const char **keys = calloc(n + 1, sizeof(*keys));
	json_t *o = json_object(), *v;
	const char *k;

	if (!keys)
		return o;
	json_object_foreach(src, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_cstr);
	for (i = 0; i < n; i++) {
		v = json_object_get(src, keys[i]);
		if (json_object_get(v, "dir") && key_has_children(src, keys[i]))
			continue;
		json_object_set(o, keys[i], v);
	}
	free(keys);
	return o;
}

/* Groups and devices are reordered in place: owners keep indexes, so fix
 * them up through a permutation. */
static void sort_owned(struct record *r)
{
	size_t *gmap = calloc(r->ngroups + 1, sizeof(*gmap));
	size_t *dmap = calloc(r->ndevs + 1, sizeof(*dmap));
	char **gnames = calloc(r->ngroups + 1, sizeof(*gnames));
	char **dnames = calloc(r->ndevs + 1, sizeof(*dnames));

	if (!gmap || !dmap || !gnames || !dnames)
		goto out;
	for (size_t i = 0; i < r->ngroups; i++)
		gnames[i] = r->groups[i].name;
	for (size_t i = 0; i < r->ndevs; i++)
		dnames[i] = r->devs[i].name;
	if (r->ngroups)
		qsort(r->groups, r->ngroups, sizeof(*r->groups), cmp_group);
	if (r->ndevs)
		qsort(r->devs, r->ndevs, sizeof(*r->devs), cmp_device);
	for (size_t i = 0; i < r->ngroups; i++)
		for (size_t j = 0; j < r->ngroups; j++)
			if (r->groups[j].name == gnames[i])
				gmap[i] = j;
	for (size_t i = 0; i < r->ndevs; i++)
		for (size_t j = 0; j < r->ndevs; j++)
			if (r->devs[j].name == dnames[i])
				dmap[i] = j;
	for (size_t i = 0; i < r->nowners; i++) {
		if (r->owners[i].kind == OWN_GROUP)
			r->owners[i].idx = gmap[r->owners[i].idx];
		else if (r->owners[i].kind == OWN_DEVICE)
			r->owners[i].idx = dmap[r->owners[i].idx];
	}
out:
	free(gmap);
	free(dmap);
	free(gnames);
	free(dnames);
}

int vi_record_write(struct vi_backend *rec, const char *path, const char *const *profiles)
{
	static const char *const ns_keys[] = { "sysfs", "procfs", "dev" };
	struct record *r;
	struct vi_hostinfo hi;
	json_t *root, *arr;
	int ret;

	if (!rec || rec->ops != &record_ops)
		return -EINVAL;
	r = REC(rec);
	memset(&hi, 0, sizeof(hi));
	ret = r->inner->ops->host_info(r->inner, &hi);
	if (ret < 0)
		return ret;
	sort_owned(r);

	root = json_object();
	if (!root)
		return -ENOMEM;
	json_object_set_new(root, "vfio-info-capture", json_integer(VI_CAPTURE_VERSION));
	json_object_set_new(root, "tool", json_string(TOOL_NAME));
	json_object_set_new(root, "host",
			    json_pack("{s:s,s:s,s:s,s:i}", "kernel", hi.kernel,
				      "machine", hi.machine,
				      "byte_order", hi.big_endian ? "big" : "little",
				      "page_size", (int)hi.page_size));
	if (profiles && profiles[0]) {
		arr = json_array();
		for (size_t i = 0; profiles[i]; i++)
			json_array_append_new(arr, json_string(profiles[i]));
		json_object_set_new(root, "profiles", arr);
	}
	for (int i = 0; i < 3; i++)
		if (r->ns[i] && json_object_size(r->ns[i]))
			json_object_set_new(root, ns_keys[i], ns_json(r->ns[i]));
	if (r->container.n)
		json_object_set_new(root, "container",
				    json_pack("{s:o}", "ioctls", calls_json(&r->container)));
	if (r->iommufd.n)
		json_object_set_new(root, "iommufd",
				    json_pack("{s:o}", "ioctls", calls_json(&r->iommufd)));
	if (r->ngroups) {
		arr = json_array();
		for (size_t i = 0; i < r->ngroups; i++)
			json_array_append_new(arr, json_pack("{s:s,s:o}", "group",
							     r->groups[i].name, "ioctls",
							     calls_json(&r->groups[i].calls)));
		json_object_set_new(root, "groups", arr);
	}
	arr = json_array();
	for (size_t i = 0; i < r->ndevs; i++)
		json_array_append_new(arr, device_json(&r->devs[i]));
	json_object_set_new(root, "devices", arr);

	ret = vi_capture_save(path, root);
	json_decref(root);
	return ret;
}
