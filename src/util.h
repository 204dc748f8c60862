/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h - small helpers shared by every layer. */
#ifndef VFIO_INFO_UTIL_H
#define VFIO_INFO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of the hex digit @c (either case), or -1 (also for EOF). */
int vi_hexval(int c);
/* Parse a PCI address "DDDD:BB:DD.F" or "BB:DD.F" into canonical form.
 * Returns 0 and writes 13 bytes + NUL to @out, or -1. */
int vi_parse_bdf(const char *s, char out[16]);
bool vi_is_uuid(const char *s);
/* Parse a UUID into 16 bytes (RFC 4122 byte order). */
int vi_parse_uuid(const char *s, uint8_t out[16]);

char *vi_strdup(const char *s);
/* malloc'ed printf. */
char *vi_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *vi_basename(const char *path);

#endif
