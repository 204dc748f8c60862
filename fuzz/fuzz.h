/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what the fuzz targets share.
 *
 * Every target is a libFuzzer entry point, LLVMFuzzerTestOneInput(); it is
 * built twice: with clang's libFuzzer and sanitizers (fuzz/build.sh) to
 * search, and with the normal compiler against fuzz/driver.c as a check
 * program that runs the committed corpus (tests/fuzz.test).
 */
#ifndef VFIO_INFO_FUZZ_H
#define VFIO_INFO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: standard output to /dev/null (the commands print
 * there); no pci.ids database unless VFIO_INFO_PCI_IDS names one. */
void fuzz_setup(void);

/* A stream that discards what is written (for emitters); stderr when
 * VFIO_INFO_FUZZ_ECHO is set. */
FILE *fuzz_null(void);

/* @data as the whole content of an anonymous file (one memfd per process,
 * rewritten each call); returns its path "/proc/self/fd/N".  Aborts when
 * the system cannot make one: the target cannot run at all then. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* The source tree (FUZZ_SRCDIR at build time; $VFIO_INFO_FUZZ_SRCDIR
 * overrides), for the captures a target replays. */
const char *fuzz_srcdir(void);

/* The fuzzer's bytes, consumed in call order by a hostile backend. */
struct fuzz_stream {
	const uint8_t *p;
	size_t n;
	int next_handle;
};

/* Up to @want bytes into @dst; how many there were. */
size_t fuzz_take(struct fuzz_stream *s, void *dst, size_t want);
/* One byte, or -1 when the input is used up. */
int fuzz_take1(struct fuzz_stream *s);
/* Two bytes little-endian (missing bytes read as 0). */
unsigned int fuzz_take2(struct fuzz_stream *s);

#endif
