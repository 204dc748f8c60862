/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bytes.h - bounded, byte-order-explicit access to untrusted buffers.
 *
 * Every byte that comes from the kernel or from a capture file is read
 * through these helpers: each read names its offset and size, is checked
 * against the valid length first, and is assembled in the byte order of the
 * kernel that produced it (a capture from a big-endian host decodes the same
 * on x86).
 */
#ifndef VFIO_INFO_BYTES_H
#define VFIO_INFO_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vi_bytes {
	const uint8_t *p;
	size_t len;		/* valid length: never read at or past it */
	bool big_endian;
};

static inline struct vi_bytes vi_bytes_make(const void *p, size_t len, bool be)
{
	struct vi_bytes b = { (const uint8_t *)p, len, be };
	return b;
}

/* A window of @b: [off, off + len) clamped to what @b holds. */
static inline struct vi_bytes vi_bytes_sub(struct vi_bytes b, size_t off, size_t len)
{
	struct vi_bytes s = { b.p, 0, b.big_endian };
	if (off <= b.len) {
		s.p = b.p + off;
		s.len = b.len - off < len ? b.len - off : len;
	}
	return s;
}

static inline bool vi_bytes_has(struct vi_bytes b, size_t off, size_t n)
{
	return off <= b.len && n <= b.len - off;
}

static inline uint64_t vi_load(const uint8_t *p, size_t n, bool be)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static inline void vi_store(uint8_t *p, size_t n, uint64_t v, bool be)
{
	for (size_t i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Read helpers: 0 on success, -1 if the field does not lie inside @b. */
static inline int vi_u8(struct vi_bytes b, size_t off, uint8_t *v)
{
	if (!vi_bytes_has(b, off, 1))
		return -1;
	*v = b.p[off];
	return 0;
}

static inline int vi_u16(struct vi_bytes b, size_t off, uint16_t *v)
{
	if (!vi_bytes_has(b, off, 2))
		return -1;
	*v = (uint16_t)vi_load(b.p + off, 2, b.big_endian);
	return 0;
}

static inline int vi_u32(struct vi_bytes b, size_t off, uint32_t *v)
{
	if (!vi_bytes_has(b, off, 4))
		return -1;
	*v = (uint32_t)vi_load(b.p + off, 4, b.big_endian);
	return 0;
}

static inline int vi_u64(struct vi_bytes b, size_t off, uint64_t *v)
{
	if (!vi_bytes_has(b, off, 8))
		return -1;
	*v = vi_load(b.p + off, 8, b.big_endian);
	return 0;
}

/* Unchecked-by-caller variants that yield 0 when out of range. */
static inline uint32_t vi_get32(struct vi_bytes b, size_t off)
{
	uint32_t v = 0;
	(void)vi_u32(b, off, &v);
	return v;
}

static inline uint64_t vi_get64(struct vi_bytes b, size_t off)
{
	uint64_t v = 0;
	(void)vi_u64(b, off, &v);
	return v;
}

/* Write helpers for request buffers we own: bounds-checked, no-op outside. */
static inline void vi_put32(uint8_t *buf, size_t len, size_t off, uint32_t v, bool be)
{
	if (off <= len && 4 <= len - off)
		vi_store(buf + off, 4, v, be);
}

static inline void vi_put64(uint8_t *buf, size_t len, size_t off, uint64_t v, bool be)
{
	if (off <= len && 8 <= len - off)
		vi_store(buf + off, 8, v, be);
}

#endif
