// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture-read.c - reading a capture without holding it whole.
 *
 * A capture is read in chunks of CHUNK bytes through a purpose-written
 * tokenizer.  The top-level object is built as a jansson tree, except the
 * arrays the caller names (a replay: "groups" and "devices"), whose
 * elements are built one at a time, handed to the caller and freed: the
 * largest part of a capture never exists as one tree.
 *
 * The tokenizer accepts a strict subset of what jansson accepts: ASCII
 * strings (escapes below \u0080 other than \u0000), integers that fit in
 * 64 bits, no reals, no duplicate keys, at most MAX_DEPTH levels.
 * Anything else -- a syntax error, a read error, a file over the limit,
 * or merely something this reader leaves to jansson -- makes it give up:
 * the caller is told to forget what it was handed (@reset), and the whole
 * file is read again by jansson (capture-io.c), whose messages and
 * statuses are the ones every malformed capture gets.  So the bytes seen
 * here are never trusted: every read is bounded by the buffer, every
 * string by its terminator, every number by NUMBER_MAX digits.
 */
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
#include "util.h"

#define CHUNK		(64 * 1024)
#define MAX_DEPTH	64	/* jansson allows 2048; deeper goes to jansson */
#define NUMBER_MAX	24	/* "-9223372036854775808" is 20 */

struct rd {
	/* the source: a descriptor read through @max, or memory */
	int fd;
	uint64_t max, got;
	const uint8_t *p;	/* the bytes not consumed yet */
	size_t left;
	uint8_t *buf;		/* fd: the chunk */
	bool eof;
	bool fail;		/* give up: jansson decides */
	/* a string being read */
	char *s;
	size_t slen, scap;
};

static bool refill(struct rd *r)
{
	ssize_t n;
	size_t want = CHUNK;

	if (r->left)
		return true;
	if (r->eof || r->fail || r->fd < 0)
		return false;
	if (r->got >= r->max) {
		/* at the limit: jansson says whether there is more */
		r->fail = true;
		return false;
	}
	if (want > r->max - r->got)
		want = (size_t)(r->max - r->got);
	do
		n = read(r->fd, r->buf, want);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->fail = true;
		return false;
	}
	if (n == 0) {
		r->eof = true;
		return false;
	}
	r->got += (uint64_t)n;
	r->p = r->buf;
	r->left = (size_t)n;
	return true;
}

/* The next byte without taking it; -1 at the end. */
static int peek(struct rd *r)
{
	if (!r->left && !refill(r))
		return -1;
	return *r->p;
}

static int take(struct rd *r)
{
	int c = peek(r);

	if (c >= 0) {
		r->p++;
		r->left--;
	}
	return c;
}

/* The next byte that is not JSON white space; -1 at the end. */
static int skip_ws(struct rd *r)
{
	for (;;) {
		int c = peek(r);

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return c;
		r->p++;
		r->left--;
	}
}

static bool bad(struct rd *r)
{
	r->fail = true;
	return false;
}

static bool sput(struct rd *r, const void *p, size_t n)
{
	if (r->slen + n + 1 > r->scap) {
		size_t cap = r->scap ? r->scap : 256;
		char *ns;

		while (cap < r->slen + n + 1)
			cap *= 2;
		ns = realloc(r->s, cap);
		if (!ns)
			return bad(r);
		r->s = ns;
		r->scap = cap;
	}
	memcpy(r->s + r->slen, p, n);
	r->slen += n;
	r->s[r->slen] = '\0';
	return true;
}

/* A string (the opening quote already taken) into r->s. */
static bool read_string(struct rd *r)
{
	r->slen = 0;
	if (!sput(r, "", 0))
		return false;
	for (;;) {
		size_t n = 0;
		int c;

		if (!r->left && !refill(r))
			return bad(r);
		/* the run of plain bytes in this chunk at once */
		while (n < r->left && r->p[n] >= 0x20 && r->p[n] < 0x80 && r->p[n] != '"' &&
		       r->p[n] != '\\')
			n++;
		if (n && !sput(r, r->p, n))
			return false;
		r->p += n;
		r->left -= n;
		if (!r->left)
			continue;
		c = take(r);
		if (c == '"')
			return true;
		if (c != '\\')
			return bad(r);	/* a control byte, or not ASCII */
		c = take(r);
		switch (c) {
		case '"': case '\\': case '/':
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u': {
			int v = 0;

			for (int i = 0; i < 4; i++) {
				int h = vi_hexval(take(r));

				if (h < 0)
					return bad(r);
				v = v << 4 | h;
			}
			if (v == 0 || v >= 0x80)
				return bad(r);
			c = v;
			break;
		}
		default:
			return bad(r);
		}
		{
			char ch = (char)c;

			if (!sput(r, &ch, 1))
				return false;
		}
	}
}

static bool expect_word(struct rd *r, const char *w)
{
	for (; *w; w++)
		if (take(r) != *w)
			return bad(r);
	return true;
}

/* An integer: -?(0|[1-9][0-9]*) within 64 bits; a real gives up. */
static json_t *read_number(struct rd *r)
{
	char num[NUMBER_MAX + 1];
	size_t n = 0;
	long long v;
	char *end;
	int c;

	for (;;) {
		c = peek(r);
		if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
		      c == 'e' || c == 'E'))
			break;
		if (n == NUMBER_MAX) {
			bad(r);
			return NULL;
		}
		num[n++] = (char)take(r);
	}
	num[n] = '\0';
	{
		const char *q = num + (num[0] == '-');

		if (!*q || (q[0] == '0' && q[1]) || strspn(q, "0123456789") != strlen(q)) {
			bad(r);
			return NULL;
		}
	}
	errno = 0;
	v = strtoll(num, &end, 10);
	if (errno || *end) {
		bad(r);
		return NULL;
	}
	return json_integer(v);
}

static json_t *read_value(struct rd *r, int depth);

static json_t *read_array(struct rd *r, int depth)
{
	json_t *a = json_array();
	int c;

	if (!a) {
		bad(r);
		return NULL;
	}
	c = skip_ws(r);
	if (c == ']') {
		take(r);
		return a;
	}
	for (;;) {
		json_t *v = read_value(r, depth + 1);

		if (!v || json_array_append_new(a, v) < 0)
			goto fail;
		c = skip_ws(r);
		take(r);
		if (c == ']')
			return a;
		if (c != ',')
			goto fail;
	}
fail:
	json_decref(a);
	bad(r);
	return NULL;
}

/* A key: white space, the string, white space, the colon.  In r->s. */
static bool read_key(struct rd *r)
{
	if (skip_ws(r) != '"')
		return bad(r);
	take(r);
	if (!read_string(r))
		return false;
	if (skip_ws(r) != ':')
		return bad(r);
	take(r);
	return true;
}

static json_t *read_object(struct rd *r, int depth)
{
	json_t *o = json_object();
	int c;

	if (!o) {
		bad(r);
		return NULL;
	}
	c = skip_ws(r);
	if (c == '}') {
		take(r);
		return o;
	}
	for (;;) {
		json_t *v;
		char *key;

		if (!read_key(r))
			goto fail;
		/* a duplicate key: jansson's message */
		if (json_object_get(o, r->s))
			goto fail;
		key = strdup(r->s);
		if (!key)
			goto fail;
		v = read_value(r, depth + 1);
		if (!v || json_object_set_new_nocheck(o, key, v) < 0) {
			free(key);
			goto fail;
		}
		free(key);
		c = skip_ws(r);
		take(r);
		if (c == '}')
			return o;
		if (c != ',')
			goto fail;
	}
fail:
	json_decref(o);
	bad(r);
	return NULL;
}

static json_t *read_value(struct rd *r, int depth)
{
	int c;

	if (depth > MAX_DEPTH) {
		bad(r);
		return NULL;
	}
	c = skip_ws(r);
	switch (c) {
	case '{':
		take(r);
		return read_object(r, depth);
	case '[':
		take(r);
		return read_array(r, depth);
	case '"':
		take(r);
		if (!read_string(r))
			return NULL;
		return json_stringn_nocheck(r->s, r->slen);
	case 't':
		return expect_word(r, "true") ? json_true() : NULL;
	case 'f':
		return expect_word(r, "false") ? json_false() : NULL;
	case 'n':
		return expect_word(r, "null") ? json_null() : NULL;
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return read_number(r);
		bad(r);
		return NULL;
	}
}

static bool streamed(const struct vi_capture_stream *s, const char *key)
{
	for (size_t i = 0; s && s->keys && s->keys[i]; i++)
		if (strcmp(s->keys[i], key) == 0)
			return true;
	return false;
}

/* The elements of a streamed array, each handed over and freed.
 * -1: the caller's element callback failed (its message is set). */
static int read_streamed(struct rd *r, const struct vi_capture_stream *s, const char *key)
{
	size_t i = 0;
	int c = skip_ws(r);

	if (c == ']') {
		take(r);
		return 0;
	}
	for (;;) {
		json_t *v = read_value(r, 2);
		int ret;

		if (!v)
			return 0;
		ret = s->elem(s->ctx, key, i++, v);
		json_decref(v);
		if (ret < 0)
			return -1;
		c = skip_ws(r);
		take(r);
		if (c == ']')
			return 0;
		if (c != ',') {
			bad(r);
			return 0;
		}
	}
}

/* The top-level object.  NULL with r->fail, or with *stopped when the
 * caller stopped it. */
static json_t *read_top(struct rd *r, const struct vi_capture_stream *s, bool *stopped)
{
	json_t *root;
	int c;

	if (skip_ws(r) != '{') {
		bad(r);
		return NULL;
	}
	take(r);
	root = json_object();
	if (!root) {
		bad(r);
		return NULL;
	}
	c = skip_ws(r);
	if (c == '}') {
		take(r);
		goto end;
	}
	for (;;) {
		json_t *v;
		char *key;

		if (!read_key(r) || json_object_get(root, r->s))
			goto fail;
		key = strdup(r->s);
		if (!key)
			goto fail;
		if (streamed(s, key) && skip_ws(r) == '[' && s->ready(s->ctx, root, key)) {
			/* in the tree as an empty array: the envelope sees one */
			take(r);
			if (read_streamed(r, s, key) < 0) {
				free(key);
				*stopped = true;
				goto fail;
			}
			v = r->fail ? NULL : json_array();
		} else {
			v = read_value(r, 1);
		}
		if (!v || json_object_set_new_nocheck(root, key, v) < 0) {
			free(key);
			goto fail;
		}
		free(key);
		c = skip_ws(r);
		take(r);
		if (c == '}')
			break;
		if (c != ',')
			goto fail;
	}
end:
	/* nothing but white space may follow */
	if (skip_ws(r) >= 0 || r->fail)
		goto fail;
	return root;
fail:
	json_decref(root);
	bad(r);
	return NULL;
}

json_t *vi_capture_read(const char *path, const void *mem, size_t len, const char *name,
			uint64_t max, const struct vi_capture_stream *s, char *err, size_t errlen)
{
	struct rd r = { .fd = -1 };
	bool stopped = false;
	json_t *root = NULL;
	struct stat st;

	if (!max)
		max = VI_CAPTURE_MAX_SIZE;
	if (path) {
		/* the checks of vi_capture_load_limit, which gives the message */
		r.fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (r.fd < 0 || fstat(r.fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (uint64_t)st.st_size > max)
			goto whole;
		r.buf = malloc(CHUNK);
		if (!r.buf)
			goto whole;
		r.max = max;
	} else {
		if (len > max)
			goto whole;
		r.p = mem;
		r.left = len;
		r.eof = true;
	}
	root = read_top(&r, s, &stopped);
	if (stopped) {
		/* the caller's own failure: its message stands */
		json_decref(root);
		root = NULL;
		goto out;
	}
	if (root) {
		root = vi_capture_check(root, name, err, errlen);
		goto out;
	}
whole:
	/* what this reader leaves to jansson: everything again, whole */
	if (s && s->reset)
		s->reset(s->ctx);
	if (path)
		root = vi_capture_load_limit(path, max, err, errlen);
	else
		root = vi_capture_load_mem(mem, len, name, max, err, errlen);
out:
	if (r.fd >= 0)
		close(r.fd);
	free(r.buf);
	free(r.s);
	return root;
}
