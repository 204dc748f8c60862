// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c - errno names, address parsing, string helpers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf */
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int vi_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads exactly @n hex digits at *s; advances *s. */
static long hexfield(const char **s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		int d = vi_hexval((unsigned char)(*s)[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	*s += n;
	return v;
}

int vi_parse_bdf(const char *s, char out[16])
{
	const char *p = s;
	long dom = 0, bus, dev, fn;
	size_t len = strlen(s);

	if (len == 12) {
		dom = hexfield(&p, 4);
		if (dom < 0 || *p++ != ':')
			return -1;
	} else if (len != 7) {
		return -1;
	}
	bus = hexfield(&p, 2);
	if (bus < 0 || *p++ != ':')
		return -1;
	dev = hexfield(&p, 2);
	if (dev < 0 || dev > 0x1f || *p++ != '.')
		return -1;
	fn = hexfield(&p, 1);
	if (fn < 0 || fn > 7 || *p)
		return -1;
	snprintf(out, 16, "%04x:%02x:%02x.%x", (unsigned)(dom & 0xffff),
		 (unsigned)(bus & 0xff), (unsigned)(dev & 0x1f), (unsigned)(fn & 7));
	return 0;
}

int vi_parse_uuid(const char *s, uint8_t out[16])
{
	int n = 0;

	for (int i = 0; s[i]; ) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			i++;
			continue;
		}
		int hi = vi_hexval((unsigned char)s[i]);
		int lo = hi >= 0 && s[i + 1] ? vi_hexval((unsigned char)s[i + 1]) : -1;
		if (lo < 0 || n >= 16)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return n == 16 && strlen(s) == 36 ? 0 : -1;
}

bool vi_is_uuid(const char *s)
{
	uint8_t u[16];
	return vi_parse_uuid(s, u) == 0;
}

char *vi_strdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		abort();	/* out of memory: nothing sensible to do */
	return d;
}

char *vi_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

const char *vi_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}
