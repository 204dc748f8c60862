// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor-remedy.c - remedies a person may paste as root: built from
 * literal text and checked, shell-quoted values; and what rebinding a
 * device to vfio-pci takes from the host (the network interface with the
 * default route, a mounted filesystem).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-io.h"
#include "doctor.h"
#include "util.h"

struct remedy {
	char *text;		/* NULL once withheld */
	size_t len, cap;
	char *why;		/* why it was withheld */
};

/* ---- names in messages ---- */

#define POOL 32
static char *pool[POOL];
static unsigned int pool_next;

static const char *pool_put(char *s)
{
	free(pool[pool_next]);
	pool[pool_next] = s;
	pool_next = (pool_next + 1) % POOL;
	return s;
}

static bool utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

const char *shown(const char *s)
{
	size_t n, head, tail, half = (VI_MSG_NAME_MAX - 3) / 2;
	char *out;

	if (!s)
		return "(none)";
	n = strlen(s);
	if (n <= VI_MSG_NAME_MAX)
		return s;
	/* raw bytes, cut where no UTF-8 sequence is split; the emitter
	 * escapes what is not printable */
	head = half;
	while (head && utf8_cont((unsigned char)s[head]))
		head--;
	tail = n - half;
	while (tail < n && utf8_cont((unsigned char)s[tail]))
		tail++;
	out = vi_asprintf("%.*s...%s", (int)head, s, s + tail);
	return pool_put(out);
}

static const char *const kind_noun[] = {
	[VI_NAME_BDF] = "PCI address",
	[VI_NAME_DRIVER] = "driver name",
	[VI_NAME_GROUP] = "IOMMU group",
	[VI_NAME_UUID] = "UUID",
	[VI_NAME_PID] = "pid",
	[VI_NAME_CDEV] = "cdev name",
	[VI_NAME_COMPONENT] = "name",
	[VI_NAME_MODULE] = "module name",
	[VI_NAME_USER] = "user name",
	[VI_NAME_NETIF] = "interface name",
	[VI_NAME_PATH] = "path",
	[VI_NAME_MDEV_TYPE] = "mdev type",
};

static char *bad_name(enum vi_name_kind kind, const char *s)
{
	const char *noun = (size_t)kind < sizeof(kind_noun) / sizeof(kind_noun[0]) &&
			   kind_noun[kind] ? kind_noun[kind] : "name";

	if (!s)
		return vi_asprintf("the %s is missing", noun);
	return vi_asprintf("%s '%s' is not %s", noun, shown(s), vi_name_kind_word(kind));
}

const char *dr_bad_name(enum vi_name_kind kind, const char *s)
{
	return vi_name_ok(kind, s) ? NULL : pool_put(bad_name(kind, s));
}

void dr_pool_free(void)
{
	for (unsigned int i = 0; i < POOL; i++) {
		free(pool[i]);
		pool[i] = NULL;
	}
}

/* ---- the builder ---- */

struct remedy *rm_new(void)
{
	struct remedy *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->text = vi_strdup("");
	r->cap = 1;
	return r;
}

static void append(struct remedy *r, const char *s)
{
	size_t n = strlen(s);

	if (!r->text)
		return;
	if (r->len + n + 1 > r->cap) {
		size_t cap = (r->len + n + 1) * 2;
		char *t = realloc(r->text, cap);

		if (!t)
			abort();
		r->text = t;
		r->cap = cap;
	}
	memcpy(r->text + r->len, s, n + 1);
	r->len += n;
}

static void withhold(struct remedy *r, char *why)
{
	if (r->why) {
		free(why);
		return;
	}
	r->why = why;
	free(r->text);
	r->text = NULL;
	r->len = r->cap = 0;
}

struct remedy *rm_add(struct remedy *r, const struct rm_part *parts)
{
	if (!r)
		r = rm_new();
	for (const struct rm_part *p = parts; p->kind != RM_END; p++) {
		char *q;

		if (p->kind == RM_LIT) {
			append(r, p->s);
			continue;
		}
		if (!vi_name_ok((enum vi_name_kind)p->kind, p->s)) {
			withhold(r, bad_name((enum vi_name_kind)p->kind, p->s));
			continue;
		}
		q = vi_shquote(p->s);
		append(r, q);
		free(q);
	}
	return r;
}

struct remedy *rm_text(const char *lit)
{
	return RM(NULL, RL(lit));
}

struct remedy *rm_join(struct remedy *a, struct remedy *b, const char *sep)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (b->why) {
		withhold(a, b->why);
		b->why = NULL;
	} else if (b->len) {
		if (a->len)
			append(a, sep);
		append(a, b->text);
	}
	rm_free(b);
	return a;
}

bool rm_empty(const struct remedy *r)
{
	return !r || (!r->why && r->len == 0);
}

const char *rm_str(const struct remedy *r)
{
	return r ? r->text : NULL;
}

const char *rm_why(const struct remedy *r)
{
	return r ? r->why : NULL;
}

void rm_free(struct remedy *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->why);
	free(r);
}

/* ---- what unbinding costs the host ---- */

/* Is the sysfs link @rel below the device directory @real
 * ("devices/pci0000:00/0000:00:03.0")? */
static bool link_below(struct vi_backend *be, const char *rel, const char *real)
{
	char *l = NULL, *p, *norm = NULL;
	size_t n = strlen(real);
	bool yes = false;

	if (be->ops->readlink(be, VI_NS_SYS, rel, &l) < 0)
		return false;
	p = strstr(l, "devices/");
	if (p && (p == l || p[-1] == '/'))
		norm = vi_path_normalize(p);
	yes = norm && strncmp(norm, real, n) == 0 && norm[n] == '/';
	free(norm);
	free(l);
	return yes;
}

/* Entries of class/@cls whose device lies below @real. */
static void class_below(struct vi_backend *be, const char *cls, const char *real,
			char ***out, size_t *nout)
{
	char *dir = vi_asprintf("class/%s", cls), **names = NULL;
	size_t n = 0;

	if (be->ops->list_dir(be, VI_NS_SYS, dir, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			char *rel = vi_asprintf("%s/%s", dir, names[i]);
			char **nv;

			if (link_below(be, rel, real)) {
				nv = realloc(*out, (*nout + 1) * sizeof(*nv));
				if (!nv)
					abort();
				*out = nv;
				(*out)[(*nout)++] = vi_strdup(names[i]);
			}
			free(rel);
		}
		vi_names_free(names, n);
	}
	free(dir);
}

static bool hex_zero(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	return strspn(s, "0") == n;
}

/* Does interface @ifc carry a default route (IPv4 or IPv6)? */
static bool default_route(const char *route4, const char *route6, const char *ifc)
{
	/* /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric
	 * Mask ...; hex, RTF_UP = 1 */
	for (const char *p = route4; p && *p;) {
		char name[64], dst[16], mask[16];
		unsigned int flags;

		if (sscanf(p, "%63s %15s %*s %x %*s %*s %*s %15s", name, dst, &flags, mask) == 4 &&
		    strcmp(name, ifc) == 0 && hex_zero(dst, 8) && hex_zero(mask, 8) && (flags & 1))
			return true;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	/* /proc/net/ipv6_route: dst dstlen src srclen nexthop metric refcnt
	 * use flags iface; RTF_UP = 1, RTF_REJECT = 0x200 */
	for (const char *p = route6; p && *p;) {
		char dst[40], plen[8], name[64];
		unsigned int flags;

		if (sscanf(p, "%39s %7s %*s %*s %*s %*s %*s %*s %x %63s", dst, plen, &flags,
			   name) == 4 && strcmp(name, ifc) == 0 && hex_zero(dst, 32) &&
		    strcmp(plen, "00") == 0 && (flags & 1) && !(flags & 0x200))
			return true;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* mountinfo's octal escapes (\040 for a space) decoded, in place. */
static void unoctal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

#define MAX_LOSSES 4

static void add_block(struct vi_backend *be, char ***v, size_t *n, const char *name, int depth)
{
	char *rel, **holders = NULL, **nv;
	size_t nh = 0;

	if (!vi_name_ok(VI_NAME_COMPONENT, name) || *n >= 64)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		abort();
	*v = nv;
	(*v)[(*n)++] = vi_strdup(name);
	if (depth >= 4)
		return;
	/* device-mapper, md: what is built on top of this disk */
	rel = vi_asprintf("class/block/%s/holders", name);
	if (be->ops->list_dir(be, VI_NS_SYS, rel, &holders, &nh) == 0) {
		for (size_t i = 0; i < nh; i++)
			add_block(be, v, n, holders[i], depth + 1);
		vi_names_free(holders, nh);
	}
	free(rel);
}

/* "WARNING: unbinding NAME VERB " first, "; it VERB " after. */
static struct remedy *lead(struct remedy *r, const char *name, const char *verb)
{
	if (r)
		return RM(r, RL("; it "), RL(verb), RL(" "));
	return RM(NULL, RL("WARNING: unbinding "), RN(VI_NAME_BDF, name), RL(" "), RL(verb),
		  RL(" "));
}

struct remedy *dr_host_losses(struct dctx *c, const char *name, const char *real)
{
	char **nets = NULL, **disks = NULL, **blocks = NULL, **devs;
	size_t nn = 0, nd = 0, nb = 0, count = 0;
	struct remedy *r = NULL;

	if (!real)
		return NULL;
	class_below(c->be, "net", real, &nets, &nn);
	if (nn) {
		char *route4 = vi_proc_str(c->be, "net/route");
		char *route6 = vi_proc_str(c->be, "net/ipv6_route");

		for (size_t i = 0; i < nn; i++) {
			/* the route may be on the bond or bridge the interface
			 * is a port of (or on that one's master) */
			char *cur = vi_strdup(nets[i]);
			bool hit = default_route(route4, route6, cur);

			for (int hop = 0; hop < 3 && !hit && cur; hop++) {
				char *rel = vi_asprintf("class/net/%s/master", cur), *l = NULL;

				free(cur);
				cur = NULL;
				if (c->be->ops->readlink(c->be, VI_NS_SYS, rel, &l) == 0 &&
				    vi_name_ok(VI_NAME_NETIF, vi_basename(l)))
					cur = vi_strdup(vi_basename(l));
				free(l);
				free(rel);
				hit = cur && default_route(route4, route6, cur);
			}
			if (hit && count++ < MAX_LOSSES) {
				r = lead(r, name, "takes down");
				r = RM(r, RN(VI_NAME_NETIF, nets[i]));
				if (strcmp(cur, nets[i]) != 0)
					r = RM(r, RL(", a port of "), RN(VI_NAME_NETIF, cur));
				r = RM(r, RL(", which carries the default route"));
			}
			free(cur);
		}
		free(route4);
		free(route6);
	}
	class_below(c->be, "block", real, &disks, &nd);
	for (size_t i = 0; i < nd; i++)
		add_block(c->be, &blocks, &nb, disks[i], 0);
	devs = nb ? calloc(nb, sizeof(*devs)) : NULL;
	for (size_t i = 0; devs && i < nb; i++)
		devs[i] = vi_sys_str(c->be, "class/block/%s/dev", blocks[i]);
	if (devs) {
		char *mi = vi_proc_str(c->be, "self/mountinfo");

		for (char *p = mi; p && *p;) {
			char *e = strchr(p, '\n'), mm[32], mp[4096];

			if (e)
				*e = '\0';
			/* id parent major:minor root mountpoint ... */
			if (sscanf(p, "%*s %*s %31s %*s %4095s", mm, mp) != 2)
				mm[0] = '\0';
			for (size_t i = 0; mm[0] && i < nb; i++) {
				if (!devs[i] || strcmp(devs[i], mm) != 0)
					continue;
				if (count++ < MAX_LOSSES) {
					unoctal(mp);
					r = lead(r, name, "removes");
					r = RM(r, RN(VI_NAME_COMPONENT, blocks[i]),
					       RL(", which holds the filesystem mounted on "),
					       RN(VI_NAME_PATH, mp));
				}
				break;
			}
			p = e ? e + 1 : NULL;
		}
		free(mi);
		vi_names_free(devs, nb);
	}
	if (count > MAX_LOSSES) {
		char tail[64];

		snprintf(tail, sizeof(tail), "; and %zu more", count - MAX_LOSSES);
		r = RM(r, RL(tail));
	}
	if (r)
		r = RM(r, RL(". If the host can do without it: "));
	vi_names_free(nets, nn);
	vi_names_free(disks, nd);
	vi_names_free(blocks, nb);
	return r;
}

struct remedy *dr_rebind(struct dctx *c, const struct vi_pcidev *d)
{
	struct remedy *r = NULL;

	/* vfio-pci cannot be loaded: say so before the commands that need it */
	if (!module_loaded(c->be, "vfio_pci") && !module_loaded(c->be, "vfio_pci_core") &&
	    dr_modules_off(c) == F_YES)
		r = RM(dr_modprobe(c, "vfio-pci"), RL(". Then: "));
	if (d->driver)
		r = rm_join(r, dr_host_losses(c, d->name, d->real), "");

	r = RM(r, RL("driverctl set-override "), RN(VI_NAME_BDF, d->name),
	       RL(" vfio-pci  (or: echo vfio-pci > /sys/bus/pci/devices/"),
	       RN(VI_NAME_BDF, d->name), RL("/driver_override; echo "), RN(VI_NAME_BDF, d->name));
	if (d->driver)
		r = RM(r, RL(" > /sys/bus/pci/drivers/"), RN(VI_NAME_DRIVER, d->driver),
		       RL("/unbind; echo "), RN(VI_NAME_BDF, d->name));
	return RM(r, RL(" > /sys/bus/pci/drivers_probe)"));
}
