// SPDX-License-Identifier: GPL-2.0-or-later
/* prom.c - list's and doctor's JSON documents as Prometheus metrics (text
 * exposition format 0.0.4) for node_exporter's textfile collector.
 *
 * The metrics are made from the commands' JSON, so they say what the JSON
 * says and nothing else.  Every family is a gauge written in one block; a
 * series that would repeat (the same device named twice) is written once,
 * since the collector refuses a file with duplicates. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

static const char *const statuses[] = { "ok", "info", "warn", "fail" };

char *vi_prom_escape(const char *s)
{
	size_t n = 0;
	char *out, *p;

	for (const char *q = s; *q; q++)
		n += (*q == '\\' || *q == '"' || *q == '\n') ? 2 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (p = out; *s; s++) {
		if (*s == '\\' || *s == '"') {
			*p++ = '\\';
			*p++ = *s;
		} else if (*s == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

/* A JSON value as a label value: strings as they are, integers in decimal,
 * null and the rest empty.  An id (@hex: its digits) is written 0x and
 * that many hex digits, as a person reads it, from a number or a "0x"
 * string alike. */
static void label_text(const json_t *v, int hex, char *buf, size_t len)
{
	const char *s = json_string_value(v);
	char *end;

	buf[0] = '\0';
	if (hex && s && s[0] == '0' && s[1] == 'x' && s[2]) {
		unsigned long long x;

		errno = 0;
		x = strtoull(s + 2, &end, 16);
		if (!*end && !errno) {
			snprintf(buf, len, "0x%0*llx", hex, x);
			return;
		}
	}
	if (s)
		snprintf(buf, len, "%s", s);
	else if (json_is_integer(v) && hex)
		snprintf(buf, len, "0x%0*" PRIx64, hex, (uint64_t)json_integer_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%" PRIu64, (uint64_t)json_integer_value(v));
}

/* The series written so far, to write each once: an open-addressing set
 * of "name{labels}" strings. */
struct seen {
	char **slot;
	size_t cap, n;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* 1 when @key is new (and now kept), 0 when seen, -ENOMEM */
static int seen_add(struct seen *st, const char *key)
{
	size_t i;

	if (st->n * 2 >= st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 256;
		char **ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		for (size_t j = 0; j < st->cap; j++) {
			if (!st->slot[j])
				continue;
			for (i = fnv(st->slot[j]) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
				;
			ns[i] = st->slot[j];
		}
		free(st->slot);
		st->slot = ns;
		st->cap = ncap;
	}
	for (i = fnv(key) & (st->cap - 1); st->slot[i]; i = (i + 1) & (st->cap - 1))
		if (strcmp(st->slot[i], key) == 0)
			return 0;
	st->slot[i] = strdup(key);
	if (!st->slot[i])
		return -ENOMEM;
	st->n++;
	return 1;
}

static void seen_free(struct seen *st)
{
	for (size_t i = 0; i < st->cap; i++)
		free(st->slot[i]);
	free(st->slot);
}

struct out {
	FILE *f;
	struct seen seen;
	int err;
};

static void family(struct out *o, const char *name, const char *help)
{
	fprintf(o->f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* One sample: @labels are name/value pairs ending with NULL; values are
 * escaped here. */
static void sample(struct out *o, const char *name, double value, ...)
{
	char *line = NULL, *key;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	const char *sep = "{";
	va_list ap;
	int r;

	if (!m) {
		o->err = -ENOMEM;
		return;
	}
	fputs(name, m);
	va_start(ap, value);
	for (const char *k = va_arg(ap, const char *); k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		char *e = vi_prom_escape(v ? v : "");

		if (!e) {
			o->err = -ENOMEM;
			break;
		}
		fprintf(m, "%s%s=\"%s\"", sep, k, e);
		free(e);
		sep = ",";
	}
	va_end(ap);
	if (*sep == ',')
		fputc('}', m);
	if (fclose(m) != 0 || !line) {
		free(line);
		o->err = -ENOMEM;
		return;
	}
	key = line;
	r = seen_add(&o->seen, key);
	if (r < 0)
		o->err = r;
	else if (r > 0)
		fprintf(o->f, "%s %.17g\n", key, value);
	free(line);
}

static json_t *array_of(const json_t *doc, const char *key)
{
	json_t *a = doc ? json_object_get(doc, key) : NULL;

	return json_is_array(a) ? a : NULL;
}

static double truth(const json_t *v)
{
	return json_is_true(v) ? 1 : 0;
}

/* The group a device address is in, from the list document. */
static void group_of(const json_t *list, const char *addr, char *buf, size_t len)
{
	size_t i, j;
	json_t *g, *d;

	buf[0] = '\0';
	json_array_foreach(array_of(list, "groups"), i, g)
		json_array_foreach(array_of(g, "devices"), j, d)
			if (json_is_string(json_object_get(d, "address")) &&
			    strcmp(json_string_value(json_object_get(d, "address")), addr) == 0) {
				label_text(json_object_get(g, "group"), 0, buf, len);
				return;
			}
}

/* the first of @keys the object has (v1 and v2 names of one field) */
static json_t *get2(const json_t *obj, const char *k1, const char *k2)
{
	json_t *v = json_object_get(obj, k1);

	return v ? v : json_object_get(obj, k2);
}

static void write_list(struct out *o, const json_t *list)
{
	static const struct { const char *name, *key, *help; } gflags[] = {
		{ "vfio_info_group_viable", "viable",
		  "1 if no member of the IOMMU group is bound to a host driver (the group can be used through VFIO)" },
		{ "vfio_info_group_vfio", "vfio", "1 if a member of the IOMMU group is bound to a VFIO driver" },
		{ "vfio_info_group_noiommu", "noiommu", "1 if the group is a VFIO no-IOMMU group (unsafe)" },
	};
	char grp[64], addr[256], drv[256], ven[32], dev[32], cls[32];
	size_t i, j;
	json_t *g, *d;

	for (size_t f = 0; f < sizeof(gflags) / sizeof(gflags[0]); f++) {
		family(o, gflags[f].name, gflags[f].help);
		json_array_foreach(array_of(list, "groups"), i, g) {
			label_text(json_object_get(g, "group"), 0, grp, sizeof(grp));
			sample(o, gflags[f].name, truth(json_object_get(g, gflags[f].key)),
			       "group", grp, NULL);
		}
	}
	family(o, "vfio_info_group_holders", "processes holding the group's VFIO node open");
	json_array_foreach(array_of(list, "groups"), i, g) {
		label_text(json_object_get(g, "group"), 0, grp, sizeof(grp));
		sample(o, "vfio_info_group_holders",
		       (double)json_array_size(array_of(g, "holders")), "group", grp, NULL);
	}
	family(o, "vfio_info_device_info",
	       "a device of an IOMMU group: its driver (empty when none) and PCI ids; always 1");
	json_array_foreach(array_of(list, "groups"), i, g) {
		label_text(json_object_get(g, "group"), 0, grp, sizeof(grp));
		json_array_foreach(array_of(g, "devices"), j, d) {
			label_text(json_object_get(d, "address"), 0, addr, sizeof(addr));
			label_text(json_object_get(d, "driver"), 0, drv, sizeof(drv));
			label_text(get2(d, "vendor_id", "vendor"), 4, ven, sizeof(ven));
			label_text(get2(d, "device_id", "device"), 4, dev, sizeof(dev));
			label_text(json_object_get(d, "class"), 6, cls, sizeof(cls));
			sample(o, "vfio_info_device_info", 1, "device", addr, "group", grp,
			       "driver", drv, "vendor_id", ven, "device_id", dev, "class", cls, NULL);
		}
	}
	family(o, "vfio_info_device_blocks_viability",
	       "1 if the device's driver keeps its IOMMU group from being viable");
	json_array_foreach(array_of(list, "groups"), i, g) {
		label_text(json_object_get(g, "group"), 0, grp, sizeof(grp));
		json_array_foreach(array_of(g, "devices"), j, d) {
			label_text(json_object_get(d, "address"), 0, addr, sizeof(addr));
			sample(o, "vfio_info_device_blocks_viability",
			       truth(json_object_get(d, "blocks_viability")),
			       "device", addr, "group", grp, NULL);
		}
	}
	family(o, "vfio_info_device_holders", "processes holding the device's VFIO cdev open");
	json_array_foreach(array_of(list, "groups"), i, g) {
		label_text(json_object_get(g, "group"), 0, grp, sizeof(grp));
		json_array_foreach(array_of(g, "devices"), j, d) {
			label_text(json_object_get(d, "address"), 0, addr, sizeof(addr));
			sample(o, "vfio_info_device_holders",
			       (double)json_array_size(array_of(d, "holders")),
			       "device", addr, "group", grp, NULL);
		}
	}
}

/* One-hot: for each check, 1 on its status and 0 on the other three, so
 * an alert can match status="fail" and a graph can sum by status. */
static void checks(struct out *o, const char *metric, const json_t *arr,
		   const char *addr, const char *grp)
{
	size_t i;
	json_t *c;

	json_array_foreach(arr, i, c) {
		const char *name = json_string_value(json_object_get(c, "check"));
		const char *st = json_string_value(json_object_get(c, "status"));

		if (!name || !st)
			continue;
		for (size_t s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
			double v = strcmp(st, statuses[s]) == 0;

			if (addr)
				sample(o, metric, v, "device", addr, "group", grp, "check", name,
				       "status", statuses[s], NULL);
			else
				sample(o, metric, v, "check", name, "status", statuses[s], NULL);
		}
	}
}

static void write_doctor(struct out *o, const json_t *doc, const json_t *list)
{
	char grp[64], addr[256];
	json_t *d, *sum = json_object_get(doc, "summary");
	size_t i;

	family(o, "vfio_info_host_check_status",
	       "doctor's host checks: 1 on the check's status (ok, info, warn, fail), 0 on the others");
	checks(o, "vfio_info_host_check_status",
	       array_of(json_object_get(doc, "host"), "checks"), NULL, NULL);
	family(o, "vfio_info_device_check_status",
	       "doctor's device checks: 1 on the check's status (ok, info, warn, fail), 0 on the others");
	json_array_foreach(array_of(doc, "devices"), i, d) {
		label_text(json_object_get(d, "address"), 0, addr, sizeof(addr));
		label_text(json_object_get(d, "group"), 0, grp, sizeof(grp));
		if (!grp[0])
			group_of(list, addr, grp, sizeof(grp));
		checks(o, "vfio_info_device_check_status", array_of(d, "checks"), addr, grp);
	}
	family(o, "vfio_info_doctor_checks", "doctor's checks by status, as its summary counts them");
	for (size_t s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
		json_t *n = json_object_get(sum, statuses[s]);

		sample(o, "vfio_info_doctor_checks",
		       json_is_integer(n) ? (double)json_integer_value(n) : 0,
		       "status", statuses[s], NULL);
	}
}

int vi_prom_write(FILE *f, const json_t *list, const json_t *doctor,
		  const char *version, int live, long long now)
{
	struct out o = { f, { NULL, 0, 0 }, 0 };

	family(&o, "vfio_info_info", "the vfio-info that wrote these metrics; always 1");
	sample(&o, "vfio_info_info", 1, "version", version, "source", live ? "live" : "replay",
	       NULL);
	if (live) {
		family(&o, "vfio_info_last_run_timestamp_seconds",
		       "when vfio-info read the system, in seconds since the epoch");
		sample(&o, "vfio_info_last_run_timestamp_seconds", (double)now, NULL);
	}
	if (list)
		write_list(&o, list);
	if (doctor)
		write_doctor(&o, doctor, list);
	seen_free(&o.seen);
	if (!o.err && ferror(f))
		o.err = -EIO;
	return o.err;
}

