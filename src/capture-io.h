/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture-io.h - reading and writing capture files (spec/capture.md).
 *
 * The pieces both sides of the format share: hex buffers, errno names,
 * DEVICE_FEATURE flag words, loading a file with one-line errors and
 * writing one atomically.  The replay and record backends build on these.
 */
#ifndef VFIO_INFO_CAPTURE_IO_H
#define VFIO_INFO_CAPTURE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define VI_CAPTURE_VERSION	1

/* Hex: lowercase, 32-byte groups separated by a space.  malloc'ed. */
char *vi_hex_encode(const void *p, size_t len);

/* Decode @s (whitespace ignored).  *out is malloc'ed (never NULL on
 * success, even for an empty string).  Errors: VI_HEX_BAD_CHAR with
 * *bad = character offset, VI_HEX_ODD, or -ENOMEM. */
#define VI_HEX_BAD_CHAR		(-1)
#define VI_HEX_ODD		(-2)
int vi_hex_decode(const char *s, uint8_t **out, size_t *len, size_t *bad);

/* Symbolic errno names ("EINVAL").  NULL / 0 when unknown. */
const char *vi_errno_name(int err);
int vi_errno_value(const char *name);

/* VFIO_DEVICE_FEATURE direction bits as "PROBE|GET|SET" (in that order,
 * "" when none).  Parsing accepts any order; -1 on an unknown word. */
void vi_feature_flags_format(uint32_t bits, char *buf, size_t len);
int vi_feature_flags_parse(const char *s, uint32_t *bits);

/* The largest capture read unless the user allows more (--replay-max-size).
 * The largest real capture in the tests is 110 KiB, the 4000-device bench
 * capture 47 MiB.  Loading costs about 2x the file for long hex strings,
 * 3.4x for the bench capture and up to about 17x for a file of nothing but
 * tiny objects (the JSON tree), so 64 MiB keeps even that near 1 GiB. */
#define VI_CAPTURE_MAX_SIZE	((uint64_t)64 << 20)

/* Parse @path and check the envelope: version, host.byte_order, devices.
 * Only a regular file is read (a FIFO, device, socket or directory is
 * refused at once, without reading), and never more than @max bytes (0:
 * VI_CAPTURE_MAX_SIZE), even when the file grows while it is read.
 * Returns a new reference, or NULL with a one-line message in @err. */
json_t *vi_capture_load_limit(const char *path, uint64_t max, char *err, size_t errlen);
json_t *vi_capture_load(const char *path, char *err, size_t errlen);
/* The same from @len bytes at @buf; @name stands for the file in messages. */
json_t *vi_capture_load_mem(const void *buf, size_t len, const char *name, uint64_t max,
			    char *err, size_t errlen);

/* The envelope check of the loaders, on a tree read otherwise: takes
 * @root; NULL with the message in @err. */
json_t *vi_capture_check(json_t *root, const char *name, char *err, size_t errlen);

/* Reading a capture without holding it whole (capture-read.c).  The
 * top-level arrays named in @keys are not kept in the tree: when such a
 * key is reached and ready(ctx, root so far, key) says so, each element is
 * handed to elem() (borrowed; it is freed afterwards) and the tree gets an
 * empty array instead.  elem() returns 0, or -1 to stop the load (its
 * message is in the caller's @err).  When this reader gives the file up
 * to jansson (anything but plain ASCII JSON of integers, or any error),
 * reset() is called first: forget every element handed over; the
 * returned tree is then whole, as vi_capture_load_limit() gives it. */
struct vi_capture_stream {
	const char *const *keys;	/* NULL-terminated */
	bool (*ready)(void *ctx, json_t *root, const char *key);
	int (*elem)(void *ctx, const char *key, size_t i, json_t *v);
	void (*reset)(void *ctx);
	void *ctx;
};

/* @path, or @len bytes at @mem, named @name in messages; @max as for
 * vi_capture_load_limit().  The tree with its envelope checked, or NULL
 * with the one-line message in @err. */
json_t *vi_capture_read(const char *path, const void *mem, size_t len, const char *name,
			uint64_t max, const struct vi_capture_stream *s, char *err, size_t errlen);

/* "a FIFO (named pipe)", "a directory"... for an st_mode. */
const char *vi_file_type_word(unsigned int mode);
/* A size for people: "256 MiB", "1.5 KiB", "17 bytes". */
void vi_size_words(uint64_t n, char *buf, size_t len);
/* "300", "64K", "256M", "1G" (also "KiB"/"KB" forms): bytes, powers of
 * 1024.  0, or -1 when @s is not such a size or is 0. */
int vi_size_parse(const char *s, uint64_t *out);

/* Write @root to @path through a temporary file in the same directory and
 * rename(): a failure never leaves a partial capture.  0 or -errno. */
int vi_capture_save(const char *path, json_t *root);

/* Normalise a capture path key: no leading, trailing or double slashes,
 * "." dropped, ".." resolved (never above the root).  malloc'ed. */
char *vi_path_normalize(const char *rel);

#endif
