// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * common.c - the front end the fuzz targets link instead of main.c, and
 * the helpers they share (fuzz.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmds.h"
#include "safe.h"
#include "fuzz.h"

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

/* As main.c's, but nothing reaches the terminal: the message is built and
 * escaped (that code runs on hostile names too) and dropped. */
void vi_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(vi_vprintable(fmt, ap));
	va_end(ap);
}

const char *fuzz_srcdir(void)
{
	const char *s = getenv("VFIO_INFO_FUZZ_SRCDIR");

	return s && *s ? s : FUZZ_SRCDIR;
}

static FILE *null_stream;

/* The null stream's sink: what the emitters write is formatted into the
 * stream's buffer as for any file (that code runs), then dropped here
 * without a system call; each emitter's fflush() costs a call, not a
 * write(2) to /dev/null. */
static ssize_t discard(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)n;
}

void fuzz_setup(void)
{
	static int done;
	int fd;

	if (done)
		return;
	done = 1;
	fflush(stdout);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		abort();
	close(fd);
	/* VFIO_INFO_FUZZ_ECHO=1: the targets' own emitters write to stderr,
	 * to see what an input made of the code (a debugging aid) */
	if (getenv("VFIO_INFO_FUZZ_ECHO"))
		null_stream = stderr;
	else
		null_stream = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = discard });
	if (!null_stream)
		abort();
	/* output is dropped: large buffers spare the write calls, and with
	 * one thread the streams need no lock per character */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	setvbuf(null_stream, NULL, _IOFBF, 1 << 16);
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	__fsetlocking(null_stream, FSETLOCKING_BYCALLER);
	/* no pci.ids unless asked for (fuzz-pciids reads its own): the
	 * reader allocates a MiB each time list or doctor runs */
	if (!getenv("VFIO_INFO_PCI_IDS"))
		setenv("VFIO_INFO_PCI_IDS", "", 1);
}

FILE *fuzz_null(void)
{
	fuzz_setup();
	return null_stream;
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t off = 0;

	if (fd < 0) {
		fd = memfd_create("vfio-info-fuzz", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0)
		abort();
	while (off < size) {
		ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);

		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	return path;
}

size_t fuzz_take(struct fuzz_stream *s, void *dst, size_t want)
{
	size_t k = want < s->n ? want : s->n;

	if (k)
		memcpy(dst, s->p, k);
	s->p += k;
	s->n -= k;
	return k;
}

int fuzz_take1(struct fuzz_stream *s)
{
	uint8_t b;

	return fuzz_take(s, &b, 1) ? b : -1;
}

unsigned int fuzz_take2(struct fuzz_stream *s)
{
	uint8_t b[2] = { 0, 0 };

	fuzz_take(s, b, 2);
	return b[0] | (unsigned int)b[1] << 8;
}
