// SPDX-License-Identifier: GPL-2.0-or-later
/* safe.c - name validation, shell quoting and printable forms. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf */
#endif

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit-int.h"
#include "safe.h"
#include "util.h"

static bool all_of(const char *s, const char *set, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, set) == n;
}

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static bool decimal_ok(const char *s, size_t maxlen)
{
	/* no leading zero but "0" itself */
	return all_of(s, DIGITS, 1, maxlen) && (s[0] != '0' || s[1] == '\0');
}

/* Absolute, printable ASCII, no "." or ".." component. */
static bool path_ok(const char *s)
{
	size_t n = strlen(s);

	if (s[0] != '/' || n >= 4096)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	for (const char *p = s; *p;) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += len;
	}
	return true;
}

bool vi_name_ok(enum vi_name_kind kind, const char *s)
{
	char canon[16];

	if (!s)
		return false;
	switch (kind) {
	case VI_NAME_BDF:
		/* canonical form only: the kernel writes lower-case hex */
		return strlen(s) == 12 && vi_parse_bdf(s, canon) == 0 &&
		       strcmp(canon, s) == 0;
	case VI_NAME_DRIVER:
	case VI_NAME_MODULE:
		/* driver names in the tree: letters, digits, _ - . (e.g.
		 * "vfio-pci", "e1000e", "nvidia-vgpu-vfio", "i2c.designware") */
		return all_of(s, LOWER UPPER DIGITS "_-.", 1, 64) && s[0] != '.' && s[0] != '-';
	case VI_NAME_GROUP:
		if (strncmp(s, "noiommu-", 8) == 0)
			s += 8;
		return decimal_ok(s, 10);
	case VI_NAME_UUID:
		return vi_is_uuid(s);
	case VI_NAME_PID:
		return decimal_ok(s, 10) && strcmp(s, "0") != 0;
	case VI_NAME_CDEV:
		return strncmp(s, "vfio", 4) == 0 && decimal_ok(s + 4, 10);
	case VI_NAME_COMPONENT:
		if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
			return false;
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			if (*p < 0x20 || *p > 0x7e || *p == '/')
				return false;
		return *s && strlen(s) <= 255;
	case VI_NAME_USER:
		return all_of(s, LOWER UPPER DIGITS "_-.", 1, 32) && s[0] != '-';
	case VI_NAME_NETIF:
		/* as the kernel's dev_valid_name(): no ':', no white space */
		if (strlen(s) > 15 || strpbrk(s, ": \t\n\v\f\r"))
			return false;
		return vi_name_ok(VI_NAME_COMPONENT, s);
	case VI_NAME_PATH:
		return path_ok(s);
	case VI_NAME_MDEV_TYPE:
		return all_of(s, LOWER UPPER DIGITS "_.:+-", 1, 64) && s[0] != '.' &&
		       s[0] != '-';
	}
	return false;
}

const char *vi_name_kind_word(enum vi_name_kind kind)
{
	switch (kind) {
	case VI_NAME_BDF:
		return "a PCI address (DDDD:BB:DD.F)";
	case VI_NAME_DRIVER:
		return "a driver name";
	case VI_NAME_GROUP:
		return "an IOMMU group number";
	case VI_NAME_UUID:
		return "a UUID";
	case VI_NAME_PID:
		return "a process id";
	case VI_NAME_CDEV:
		return "a VFIO device node name (vfioN)";
	case VI_NAME_COMPONENT:
		return "a file name";
	case VI_NAME_MODULE:
		return "a module name";
	case VI_NAME_USER:
		return "a user name";
	case VI_NAME_NETIF:
		return "a network interface name";
	case VI_NAME_PATH:
		return "an absolute path";
	case VI_NAME_MDEV_TYPE:
		return "an mdev type id";
	}
	return "a name";
}

char *vi_shquote(const char *s)
{
	static const char plain[] = LOWER UPPER DIGITS "_@%+=:,./-";
	size_t n = strlen(s), o = 0;
	char *out;

	if (n && strspn(s, plain) == n)
		return vi_strdup(s);
	if (n > (SIZE_MAX - 3) / 4)
		abort();
	out = malloc(n * 4 + 3);
	if (!out)
		abort();
	out[o++] = '\'';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else {
			out[o++] = s[i];
		}
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}

/* Length of the escape token at @p: "\\\\" or "\\xNN" as vi_escape() writes them. */
static size_t token_len(const char *p)
{
	if (p[0] != '\\')
		return 1;
	return p[1] == 'x' ? 4 : 2;
}

char *vi_printable(const char *s, size_t max)
{
	char *e = vi_escape(s ? s : "", false);
	size_t n, head = 0, tail, budget;
	char *out;

	if (!e)
		abort();
	if (max < 16)
		max = 16;
	n = strlen(e);
	if (n <= max)
		return e;
	/* cut on token boundaries so no escape is split in two */
	budget = (max - 3) / 2;
	while (head < n && head + token_len(e + head) <= budget)
		head += token_len(e + head);
	budget = max - 3 - head;
	tail = head;
	while (tail < n && n - tail > budget)
		tail += token_len(e + tail);
	out = malloc(head + 3 + (n - tail) + 1);
	if (!out)
		abort();
	memcpy(out, e, head);
	memcpy(out + head, "...", 3);
	memcpy(out + head + 3, e + tail, n - tail);
	out[head + 3 + n - tail] = '\0';
	free(e);
	return out;
}

char *vi_vprintable(const char *fmt, va_list ap)
{
	char *msg = NULL, *e;

	if (vasprintf(&msg, fmt, ap) < 0)
		return NULL;
	e = vi_escape(msg, true);
	free(msg);
	return e;
}
