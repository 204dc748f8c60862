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

/* Parse @path and check the envelope: version, host.byte_order, devices.
 * Returns a new reference, or NULL with a one-line message in @err. */
json_t *vi_capture_load(const char *path, char *err, size_t errlen);

/* Write @root to @path through a temporary file in the same directory and
 * rename(): a failure never leaves a partial capture.  0 or -errno. */
int vi_capture_save(const char *path, json_t *root);

/* Normalise a capture path key: no leading, trailing or double slashes,
 * "." dropped, ".." resolved (never above the root).  malloc'ed. */
char *vi_path_normalize(const char *rel);

#endif
