/* SPDX-License-Identifier: GPL-2.0-or-later */
/* prom.h - list and doctor as Prometheus text exposition format, for
 * node_exporter's textfile collector (--format=prometheus). */
#ifndef VFIO_INFO_PROM_H
#define VFIO_INFO_PROM_H

#include <jansson.h>
#include <stdio.h>

struct vi_opts;

/* The commands: run list or doctor (doctor also lists every group, for
 * the groups' viability and each device's group), print the metrics to
 * standard output or write them atomically to o->output.  The exit
 * status is the command's. */
int vi_prom_list(struct vi_opts *o);
int vi_prom_doctor(struct vi_opts *o);

/* The conversion, for tests: @list and @doctor are the commands' JSON
 * documents (either may be NULL); @live adds the run's timestamp @now.
 * Returns 0 or -errno. */
int vi_prom_write(FILE *out, const json_t *list, const json_t *doctor,
		  const char *version, int live, long long now);

/* A label value in the exposition format's escaping (\\, \", \n);
 * malloc'd, NULL when out of memory. */
char *vi_prom_escape(const char *s);

#endif
