// SPDX-License-Identifier: GPL-2.0-or-later
/* capture-io.c - hex, errno names, loading and atomic writing of captures. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture-io.h"
#include "uapi/vfio-abi.h"
#include "util.h"

/* ---- hex ---- */

#define HEX_GROUP	32	/* bytes per space-separated group */

char *vi_hex_encode(const void *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = p;
	size_t groups = len ? (len - 1) / HEX_GROUP : 0;
	char *s = malloc(len * 2 + groups + 1);
	char *o = s;

	if (!s)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (i && i % HEX_GROUP == 0)
			*o++ = ' ';
		*o++ = digits[b[i] >> 4];
		*o++ = digits[b[i] & 15];
	}
	*o = '\0';
	return s;
}

int vi_hex_decode(const char *s, uint8_t **out, size_t *len, size_t *bad)
{
	size_t n = strlen(s), nd = 0;
	uint8_t *buf = malloc(n / 2 + 1);
	int hi = -1;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int d;

		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		d = vi_hexval((unsigned char)s[i]);
		if (d < 0) {
			free(buf);
			if (bad)
				*bad = i;
			return VI_HEX_BAD_CHAR;
		}
		if (hi < 0) {
			hi = d;
		} else {
			buf[nd++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0) {
		free(buf);
		return VI_HEX_ODD;
	}
	*out = buf;
	*len = nd;
	return 0;
}

/* ---- errno names ---- */

struct errno_name {
	int value;
	const char *name;
};

/* The first entry for a value is its canonical name; aliases follow.
 * The kernel-internal codes (>= 512) do leak to user space from some
 * drivers, so a capture may need to name them. */
static const struct errno_name errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
	{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { ENOTBLK, "ENOTBLK" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { EXDEV, "EXDEV" },
	{ ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" },
	{ ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" },
	{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
	{ EMLINK, "EMLINK" }, { EPIPE, "EPIPE" }, { EDOM, "EDOM" },
	{ ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOLCK, "ENOLCK" },
	{ ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" },
	{ ENOMSG, "ENOMSG" }, { EIDRM, "EIDRM" }, { ECHRNG, "ECHRNG" },
	{ ENOSTR, "ENOSTR" }, { ENODATA, "ENODATA" }, { ETIME, "ETIME" },
	{ ENOSR, "ENOSR" }, { ENOLINK, "ENOLINK" }, { EPROTO, "EPROTO" },
	{ EBADMSG, "EBADMSG" }, { EOVERFLOW, "EOVERFLOW" },
	{ EBADFD, "EBADFD" }, { EILSEQ, "EILSEQ" }, { EUSERS, "EUSERS" },
	{ ENOTSOCK, "ENOTSOCK" }, { EDESTADDRREQ, "EDESTADDRREQ" },
	{ EMSGSIZE, "EMSGSIZE" }, { EPROTOTYPE, "EPROTOTYPE" },
	{ ENOPROTOOPT, "ENOPROTOOPT" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EADDRINUSE, "EADDRINUSE" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ENETDOWN, "ENETDOWN" },
	{ ENETUNREACH, "ENETUNREACH" }, { ECONNRESET, "ECONNRESET" },
	{ ENOBUFS, "ENOBUFS" }, { EISCONN, "EISCONN" },
	{ ENOTCONN, "ENOTCONN" }, { ESHUTDOWN, "ESHUTDOWN" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { ECONNREFUSED, "ECONNREFUSED" },
	{ EHOSTUNREACH, "EHOSTUNREACH" }, { EALREADY, "EALREADY" },
	{ EINPROGRESS, "EINPROGRESS" }, { ESTALE, "ESTALE" },
	{ EDQUOT, "EDQUOT" }, { ENOMEDIUM, "ENOMEDIUM" },
	{ EMEDIUMTYPE, "EMEDIUMTYPE" }, { ECANCELED, "ECANCELED" },
	{ ENOKEY, "ENOKEY" }, { EKEYEXPIRED, "EKEYEXPIRED" },
	{ EKEYREVOKED, "EKEYREVOKED" }, { EKEYREJECTED, "EKEYREJECTED" },
	{ EOWNERDEAD, "EOWNERDEAD" }, { ENOTRECOVERABLE, "ENOTRECOVERABLE" },
	{ ERFKILL, "ERFKILL" }, { EHWPOISON, "EHWPOISON" },
	{ EREMOTEIO, "EREMOTEIO" },
	/* kernel-internal codes */
	{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" },
	{ 515, "ENOIOCTLCMD" }, { 517, "EPROBE_DEFER" }, { 524, "ENOTSUPP" },
	/* aliases: accepted when reading, never written */
	{ EWOULDBLOCK, "EWOULDBLOCK" }, { ENOTSUP, "ENOTSUP" },
	{ EDEADLOCK, "EDEADLOCK" },
};

const char *vi_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].value == err)
			return errno_names[i].name;
	return NULL;
}

int vi_errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].value;
	return 0;
}

/* ---- DEVICE_FEATURE flag words ---- */

static const struct {
	uint32_t bit;
	const char *name;
} feature_dirs[] = {
	{ VI_FEAT_PROBE, "PROBE" },
	{ VI_FEAT_GET, "GET" },
	{ VI_FEAT_SET, "SET" },
};

#define N_FEATURE_DIRS (sizeof(feature_dirs) / sizeof(feature_dirs[0]))

void vi_feature_flags_format(uint32_t bits, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < N_FEATURE_DIRS; i++) {
		int n;

		if (!(bits & feature_dirs[i].bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
			     feature_dirs[i].name);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

int vi_feature_flags_parse(const char *s, uint32_t *bits)
{
	uint32_t v = 0;

	while (*s) {
		size_t n = strcspn(s, "|");
		size_t i;

		/* tolerate spaces around the words */
		while (n && *s == ' ') {
			s++;
			n--;
		}
		while (n && s[n - 1] == ' ')
			n--;
		for (i = 0; i < N_FEATURE_DIRS; i++)
			if (strlen(feature_dirs[i].name) == n &&
			    strncmp(feature_dirs[i].name, s, n) == 0)
				break;
		if (n && i == N_FEATURE_DIRS)
			return -1;
		if (n)
			v |= feature_dirs[i].bit;
		s += strcspn(s, "|");
		if (*s == '|')
			s++;
	}
	*bits = v;
	return 0;
}

/* ---- loading ---- */

const char *vi_file_type_word(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO (named pipe)";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	default:
		return "not a regular file";
	}
}

/* "12.0 MiB", "300 KiB", "17 bytes": for messages about sizes. */
void vi_size_words(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = -1;
	uint64_t whole = n;

	while (whole >= 1024 && u < 3) {
		whole /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu byte%s", (unsigned long long)n, n == 1 ? "" : "s");
	else if (n % ((uint64_t)1024 << (10 * u)) == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)whole, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", (double)n / (double)((uint64_t)1024 << (10 * u)),
			 unit[u]);
}

int vi_size_parse(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -1;
	}
	if (*end && end[1] && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return -1;
	if (v == 0 || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* Bytes for jansson from a file descriptor, never more than @max in all:
 * a file that grows while it is read stops at the limit. */
struct bounded_reader {
	int fd;
	uint64_t max, got;
	bool over;
	int err;
};

static size_t bounded_read(void *buffer, size_t buflen, void *data)
{
	struct bounded_reader *br = data;
	ssize_t n;

	if (br->got >= br->max) {
		char probe;

		/* at the limit: anything more is too much */
		do
			n = read(br->fd, &probe, 1);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			br->over = true;
		if (n < 0)
			br->err = errno;
		return n == 0 ? 0 : (size_t)-1;
	}
	if (buflen > br->max - br->got)
		buflen = (size_t)(br->max - br->got);
	do
		n = read(br->fd, buffer, buflen);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		br->err = errno;
		return (size_t)-1;
	}
	br->got += (uint64_t)n;
	return (size_t)n;
}

/* Bytes for jansson from memory. */
struct mem_reader {
	const char *p;
	size_t left;
};

static size_t mem_read(void *buffer, size_t buflen, void *data)
{
	struct mem_reader *m = data;

	if (buflen > m->left)
		buflen = m->left;
	memcpy(buffer, m->p, buflen);
	m->p += buflen;
	m->left -= buflen;
	return buflen;
}

/* The envelope: version, host.byte_order, devices.  Takes @root. */
json_t *vi_capture_check(json_t *root, const char *name, char *err, size_t errlen)
{
	json_t *v, *host;

	if (!json_is_object(root)) {
		snprintf(err, errlen, "%s: not a vfio-info capture (top level is not an object)",
			 name);
		goto fail;
	}
	v = json_object_get(root, "vfio-info-capture");
	if (!v) {
		snprintf(err, errlen,
			 "%s: not a vfio-info capture (no \"vfio-info-capture\" key)", name);
		goto fail;
	}
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s: \"vfio-info-capture\" must be an integer", name);
		goto fail;
	}
	if (json_integer_value(v) != VI_CAPTURE_VERSION) {
		snprintf(err, errlen,
			 "%s: unsupported capture version %lld: this vfio-info reads version %d",
			 name, (long long)json_integer_value(v), VI_CAPTURE_VERSION);
		goto fail;
	}
	host = json_object_get(root, "host");
	if (!json_is_object(host)) {
		snprintf(err, errlen, "%s: host: missing or not an object", name);
		goto fail;
	}
	v = json_object_get(host, "byte_order");
	if (!v) {
		snprintf(err, errlen, "%s: host.byte_order: missing (\"little\" or \"big\")",
			 name);
		goto fail;
	}
	if (!json_is_string(v) || (strcmp(json_string_value(v), "little") != 0 &&
				   strcmp(json_string_value(v), "big") != 0)) {
		snprintf(err, errlen, "%s: host.byte_order: must be \"little\" or \"big\"",
			 name);
		goto fail;
	}
	v = json_object_get(root, "devices");
	if (!json_is_array(v)) {
		snprintf(err, errlen, "%s: devices: %s", name,
			 v ? "not an array" : "missing (may be an empty array)");
		goto fail;
	}
	return root;
fail:
	json_decref(root);
	return NULL;
}

/* @size: the file's size, or 0 when it grew past the limit while read. */
static void too_big(const char *name, uint64_t size, uint64_t max, char *err, size_t errlen)
{
	uint64_t want = size ? size : max * 2;
	char lim[32], have[48] = "", opt[32];

	vi_size_words(max, lim, sizeof(lim));
	if (size) {
		char words[32];

		vi_size_words(size, words, sizeof(words));
		snprintf(have, sizeof(have), " (%s)", words);
	}
	if (want < ((uint64_t)1 << 20))
		snprintf(opt, sizeof(opt), "%lluK", (unsigned long long)(want + 1023) >> 10);
	else
		snprintf(opt, sizeof(opt), "%lluM",
			 (unsigned long long)(want + (1 << 20) - 1) >> 20);
	snprintf(err, errlen,
		 "%s: the capture%s is larger than the limit of %s%s: if you trust it, "
		 "raise the limit, e.g. --replay-max-size %s", name, have, lim,
		 size ? "" : " (it grew while it was read)", opt);
}

json_t *vi_capture_load_limit(const char *path, uint64_t max, char *err, size_t errlen)
{
	struct bounded_reader br = { -1, 0, 0, false, 0 };
	json_error_t jerr;
	json_t *root;
	struct stat st;

	if (!max)
		max = VI_CAPTURE_MAX_SIZE;
	/* O_NONBLOCK: opening a FIFO without a writer must not wait */
	br.fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (br.fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(br.fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(br.fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen,
			 "%s: is %s, not a capture file: give the path of a capture "
			 "written by 'vfio-info capture' (a regular file)", path,
			 vi_file_type_word((unsigned int)st.st_mode));
		close(br.fd);
		return NULL;
	}
	if ((uint64_t)st.st_size > max) {
		too_big(path, (uint64_t)st.st_size, max, err, errlen);
		close(br.fd);
		return NULL;
	}
	br.max = max;
	root = json_load_callback(bounded_read, &br, JSON_REJECT_DUPLICATES, &jerr);
	close(br.fd);
	if (br.over) {
		json_decref(root);
		too_big(path, 0, max, err, errlen);
		return NULL;
	}
	if (br.err) {
		json_decref(root);
		snprintf(err, errlen, "%s: %s", path, strerror(br.err));
		return NULL;
	}
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line,
			 jerr.column, jerr.text);
		return NULL;
	}
	return vi_capture_check(root, path, err, errlen);
}

json_t *vi_capture_load(const char *path, char *err, size_t errlen)
{
	return vi_capture_load_limit(path, 0, err, errlen);
}

json_t *vi_capture_load_mem(const void *buf, size_t len, const char *name, uint64_t max,
			    char *err, size_t errlen)
{
	struct mem_reader m = { buf, len };
	json_error_t jerr;
	json_t *root;

	if (!max)
		max = VI_CAPTURE_MAX_SIZE;
	if (len > max) {
		too_big(name, len, max, err, errlen);
		return NULL;
	}
	root = json_load_callback(mem_read, &m, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", name, jerr.line, jerr.column,
			 jerr.text);
		return NULL;
	}
	return vi_capture_check(root, name, err, errlen);
}

/* ---- writing ---- */

int vi_capture_save(const char *path, json_t *root)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	char *tmp;
	mode_t mask;
	int fd, ret = 0;

	tmp = malloc(dirlen + strlen(base) + 16);
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, dirlen);
	sprintf(tmp + dirlen, ".%s.XXXXXX", base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	/* mkstemp creates 0600; a capture is meant to be shared */
	mask = umask(022);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0)
		ret = -errno;
	if (!ret && json_dumpfd(root, fd, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0)
		ret = errno ? -errno : -EIO;
	if (!ret && write(fd, "\n", 1) != 1)
		ret = errno ? -errno : -EIO;
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

/* ---- paths ---- */

char *vi_path_normalize(const char *rel)
{
	size_t n = strlen(rel);
	char *out = malloc(n + 1);
	size_t o = 0;
	const char *p = rel;

	if (!out)
		return NULL;
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
	}
	out[o] = '\0';
	return out;
}
