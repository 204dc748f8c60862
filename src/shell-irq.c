// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shell-irq.c - the shell's interrupt commands: irqs (every index as
 * dump shows it) and irq (eventfds set up, triggers counted, torn down).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "capture-io.h"
#include "cmds.h"
#include "decode.h"
#include "shell-int.h"
#include "uapi/vfio-abi.h"

int vi_shc_irqs(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_emit *em = sh->em;

	em_arr_begin(em, "irqs", NULL);
	for (uint32_t i = 0; i < sh->dev->nirqs; i++) {
		struct vi_irq *iq = &sh->dev->irqs[i];

		em_obj_begin(em, NULL, "irq %u%s%s", i, iq->name[0] ? " " : "", iq->name);
		em_detail_begin(em);
		em_u64(em, "index", i);
		if (iq->name[0])
			em_str(em, "name", iq->name);
		else
			em_null(em, "name");
		em_detail_end(em);
		if (iq->q.ret < 0)
			vi_emit_error(em, iq->q.ret);
		else
			vi_decode_irq_info(em, &iq->q, sh->dev->kind, sh->dev->profiles);
		vi_emit_query_stop(em, &iq->q);
		em_obj_end(em);
	}
	em_arr_end(em);
	return 0;
}

/* ---- irq ---- */

#define IRQ_DEFAULT_MAX	32	/* vectors set up when no COUNT is given */
#define IRQ_MAX		2048	/* MSI-X's largest table */
#define IRQ_WAIT_MAX_MS	3600000u
#define IRQ_SLICE_MS	100	/* a Ctrl-C that just misses a look costs this */

/* What an errno from VFIO_DEVICE_SET_IRQS means there. */
static const struct { int err; const char *meaning; } set_irqs_errors[] = {
	{ EINVAL, "the kernel refused the request: index, vectors or flags do not fit "
	  "this interrupt as the device is now (of INTx, MSI and MSI-X only one can be "
	  "set up at a time)" },
	{ ENOTTY, "the driver does not offer this action for this interrupt" },
	{ ENODEV, "the device has no such interrupt on this host (no INTx line routed, "
	  "or no MSI/MSI-X capability)" },
	{ EBUSY, "the interrupt is taken: the INTx line is shared with a device that "
	  "cannot mask it, or another user holds it" },
	{ ENOSPC, "the host has no interrupt vectors left" },
	{ ENOMEM, "the kernel ran out of memory" },
	{ EBADF, "a handle passed is not an open eventfd" },
	{ EPERM, "not permitted: the device or the host forbids it" },
	{ EIO, "the device did not respond" },
	{ 0, NULL }
};

static const char *set_irqs_meaning(long err)
{
	for (size_t i = 0; set_irqs_errors[i].meaning; i++)
		if (set_irqs_errors[i].err == (int)-err)
			return set_irqs_errors[i].meaning;
	return NULL;
}

static const char *errno_label(long err, char *buf, size_t len)
{
	const char *n = vi_errno_name((int)-err);

	if (n)
		return n;
	snprintf(buf, len, "errno %ld", -err);
	return buf;
}

static void set_flags_text(uint32_t flags, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (const struct vi_name *f = vi_irq_set_flags; f->name && o < len; f++)
		if (flags & f->value)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "|" : "", f->name);
}

/* One VFIO_DEVICE_SET_IRQS (query.c builds it): the return value. */
static long set_irqs(struct vi_shell *sh, uint32_t index, uint32_t flags, uint32_t start,
		     uint32_t count, const int *hs)
{
	struct vi_query q;
	long r = vi_q_set_irqs(sh->be, sh->dev->dev, index, flags, start, count, hs, &q);

	vi_query_free(&q);
	return r;
}

/* The call and its outcome, as an object @key. */
static void emit_set_irqs(struct vi_emit *em, const char *key, const char *what,
			  uint32_t flags, uint32_t start, uint32_t count, long r)
{
	if (r < 0)
		em_obj_begin(em, key, "%s: failed", what);
	else if (r > 0)
		em_obj_begin(em, key, "%s: only %ld vectors available", what, r);
	else
		em_obj_begin(em, key, "%s: ok", what);
	em_detail_begin(em);
	em_flags(em, "flags", flags, vi_irq_set_flags);
	em_u64(em, "start", start);
	em_u64(em, "count", count);
	em_detail_end(em);
	/* "ret": 0, -errno, or a positive count of vectors (short) */
	if (r < 0) {
		const char *m = set_irqs_meaning(r);

		vi_emit_error(em, r);
		if (m)
			em_str(em, "meaning", m);
	} else {
		em_detail_begin(em);
		em_i64(em, "ret", r);
		em_detail_end(em);
		if (r > 0)
			em_u64(em, "available", (uint64_t)r);
	}
	em_obj_end(em);
}

/* The refusal line for a failed SET_IRQS: errno name, strerror, meaning. */
static int irq_fail(struct vi_shell *sh, const char *what, const char *irq, uint32_t flags,
		    long r, uint32_t count)
{
	char fb[96], eb[32];
	const char *m;

	set_flags_text(flags, fb, sizeof(fb));
	if (r > 0)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "%s of %s: VFIO_DEVICE_SET_IRQS (%s) "
				    "returned %ld: the host could allocate only %ld of the %u "
				    "vectors; give COUNT %ld", what, irq, fb, r, r, count, r);
	m = set_irqs_meaning(r);
	return vi_sh_refuse(sh, vi_exit_for_errno((int)r), "%s of %s: VFIO_DEVICE_SET_IRQS (%s) "
			    "failed: %s (%s)%s%s", what, irq, fb, errno_label(r, eb, sizeof(eb)),
			    strerror((int)-r), m ? ": " : "", m ? m : "");
}

static const struct vi_name *irq_flag_table(unsigned int profiles)
{
	if (profiles & VI_PROF_DEVTREE)
		return vi_irq_flags_devtree;
	if (profiles & VI_PROF_IRQ_CAPS)
		return vi_irq_flags_caps;
	return vi_irq_flags;
}

static const char *irq_label(const struct vi_irq *iq, char *buf, size_t len)
{
	if (iq->name[0])
		snprintf(buf, len, "%s (irq %u)", iq->name, iq->index);
	else
		snprintf(buf, len, "irq %u", iq->index);
	return buf;
}

static struct vi_irq *find_irq(struct vi_shell *sh, const char *arg)
{
	struct vi_device *d = sh->dev;
	char known[256];
	uint64_t idx;
	size_t o = 0;

	if (vi_sh_parse_u64(arg, &idx)) {
		if (idx < d->nirqs)
			return &d->irqs[idx];
		vi_sh_refuse(sh, VI_EXIT_USAGE, "irq index %s does not exist: %s has %u irq "
			     "ind%s (see 'irqs')", arg, d->name, d->nirqs,
			     d->nirqs == 1 ? "ex" : "exes");
		return NULL;
	}
	for (uint32_t i = 0; i < d->nirqs; i++)
		if (d->irqs[i].name[0] && (strcasecmp(d->irqs[i].name, arg) == 0 ||
		    (strcasecmp(arg, "msi-x") == 0 && strcasecmp(d->irqs[i].name, "msix") == 0)))
			return &d->irqs[i];
	known[0] = '\0';
	for (uint32_t i = 0; i < d->nirqs && o < sizeof(known); i++)
		if (d->irqs[i].name[0])
			o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s", o ? ", " : "",
					      d->irqs[i].name);
	if (known[0])
		vi_sh_refuse(sh, VI_EXIT_USAGE, "unknown irq '%s': name one of %s, or give an "
			     "index below %u (see 'irqs')", arg, known, d->nirqs);
	else
		vi_sh_refuse(sh, VI_EXIT_USAGE, "unknown irq '%s': the irqs of %s have no "
			     "names; give an index below %u (see 'irqs')", arg, d->name,
			     d->nirqs);
	return NULL;
}

/* SECONDS: a decimal number from 0 to an hour, in milliseconds. */
static bool parse_seconds(const char *s, uint64_t *ms)
{
	uint64_t whole = 0, frac = 0, scale = 1000;
	const char *p = s;

	if (!*p)
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > IRQ_WAIT_MAX_MS / 1000)
			return false;
	}
	if (*p == '.') {
		if (p == s && !p[1])
			return false;
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
	}
	if (*p || p == s)
		return false;
	*ms = whole * 1000 + frac;
	return *ms <= IRQ_WAIT_MAX_MS;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

enum irq_end { END_ALL, END_TIME, END_INTERRUPTED, END_SETTLED, END_ERROR };

static const char *const irq_end_names[] = {
	[END_ALL] = "every vector triggered", [END_TIME] = "time up",
	[END_INTERRUPTED] = "interrupted", [END_SETTLED] = "nothing more can arrive",
	[END_ERROR] = "error",
};

/* Wait up to @wait_ms, counting into @counts, in slices so that Ctrl-C
 * (which sets *interrupted) ends it soon even if it just missed poll. */
static enum irq_end irq_wait(struct vi_shell *sh, const int *hs, uint32_t n, uint64_t wait_ms,
			     bool loopback, uint64_t *counts, long *err)
{
	struct vi_backend *be = sh->be;
	uint64_t start = now_ms();
	enum irq_end end;

	if (sh->o.interrupted)
		*sh->o.interrupted = 0;
	if (sh->o.waiting)
		*sh->o.waiting = 1;
	for (;;) {
		uint64_t el = now_ms() - start, left = el < wait_ms ? wait_ms - el : 0;
		bool settled = false, all = true;
		int r = be->ops->event_wait(be, hs, n, (int)(left < IRQ_SLICE_MS ? left :
							     IRQ_SLICE_MS), counts, &settled);

		if (r == -EINTR || (sh->o.interrupted && *sh->o.interrupted)) {
			end = END_INTERRUPTED;
			break;
		}
		if (r < 0) {
			*err = r;
			end = END_ERROR;
			break;
		}
		for (uint32_t i = 0; i < n; i++)
			all = all && counts[i];
		if (loopback && all) {
			end = END_ALL;
			break;
		}
		if (settled) {
			end = END_SETTLED;
			break;
		}
		if (!left) {
			end = END_TIME;
			break;
		}
	}
	if (sh->o.waiting)
		*sh->o.waiting = 0;
	return end;
}

int vi_shc_irq(struct vi_shell *sh, int argc, char **argv)
{
	struct vi_device *d = sh->dev;
	struct vi_backend *be = sh->be;
	struct vi_emit *em = sh->em;
	const uint32_t trig = VI_IRQ_SET_DATA_EVENTFD | VI_IRQ_SET_ACTION_TRIGGER;
	const uint32_t none = VI_IRQ_SET_DATA_NONE | VI_IRQ_SET_ACTION_TRIGGER;
	struct vi_irq *iq;
	uint64_t want = 0, wait_ms = 1000, *counts = NULL;
	bool loopback = false, have_count = false, clamped = false;
	long r, rl = 0, rt, werr = 0;
	enum irq_end end;
	uint32_t n, missing = 0;
	int *hs = NULL, status = 0;
	char lb[48], q[256];

	if (!(iq = find_irq(sh, argv[1])))
		return VI_EXIT_USAGE;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--loopback") == 0) {
			loopback = true;
		} else if (strcmp(argv[i], "--wait") == 0) {
			if (++i >= argc)
				return vi_sh_refuse(sh, VI_EXIT_USAGE, "--wait needs SECONDS, "
						    "such as --wait 2 or --wait 0.5");
			if (!parse_seconds(argv[i], &wait_ms))
				return vi_sh_refuse(sh, VI_EXIT_USAGE, "bad wait '%s': give "
						    "seconds from 0 to %u, such as 2 or 0.5",
						    argv[i], IRQ_WAIT_MAX_MS / 1000);
		} else if (!have_count && argv[i][0] != '-') {
			if (!vi_sh_parse_u64(argv[i], &want))
				return vi_sh_refuse(sh, VI_EXIT_USAGE, "bad COUNT '%s': give a "
						    "number of vectors such as 1 or 4",
						    argv[i]);
			have_count = true;
		} else {
			return vi_sh_refuse(sh, VI_EXIT_USAGE, "unexpected '%s': usage: irq INDEX "
					    "[COUNT] [--loopback] [--wait SECONDS]", argv[i]);
		}
	}
	irq_label(iq, lb, sizeof(lb));
	/* what the kernel would refuse, refused before any system call */
	if (!iq->ok)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "%s did not answer "
				    "VFIO_DEVICE_GET_IRQ_INFO: it cannot be set up", lb);
	if (!(iq->flags & VI_IRQ_INFO_EVENTFD))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s cannot signal an eventfd: its flags "
				    "(0x%x) lack EVENTFD", lb, iq->flags);
	if (!iq->count)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "%s has no vectors (count 0): the "
				    "device does not implement it", lb);
	if (have_count && (want == 0 || want > iq->count))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "COUNT %llu does not fit %s: it has %u "
				    "vector%s; give 1 to %u", (unsigned long long)want, lb,
				    iq->count, iq->count == 1 ? "" : "s", iq->count);
	if (have_count && want > IRQ_MAX)
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "COUNT %llu is more than irq sets up at "
				    "once: give 1 to %u", (unsigned long long)want, IRQ_MAX);
	if (!have_count) {
		want = iq->count < IRQ_DEFAULT_MAX ? iq->count : IRQ_DEFAULT_MAX;
		clamped = want < iq->count;
	}
	n = (uint32_t)want;
	if (!be->ops->event_new || !be->ops->event_wait)
		return vi_sh_refuse(sh, VI_EXIT_FAILURE, "the %s backend cannot make eventfds",
				    be->ops->name);
	if (!sh->write)
		return vi_sh_refuse(sh, VI_EXIT_PERM, "irq changes the device's interrupt set-up: "
				    "start the shell with --write, or type 'set write on'");
	snprintf(q, sizeof(q), "set up %u eventfd%s for %s%s: the device's interrupt "
		 "set-up changes until it is torn down. Go ahead?", n, n == 1 ? "" : "s", lb,
		 loopback ? " and fire each vector once" : "");
	if (sh->o.confirm && !sh->o.confirm(sh->o.confirm_ctx, q))
		return vi_sh_refuse(sh, VI_EXIT_USAGE, "not confirmed: nothing was set up");

	hs = calloc(n, sizeof(*hs));
	counts = calloc(n, sizeof(*counts));
	if (!hs || !counts) {
		free(hs);
		free(counts);
		return vi_sh_sys_fail(sh, -ENOMEM, "allocating");
	}
	for (uint32_t i = 0; i < n; i++)
		hs[i] = -1;
	for (uint32_t i = 0; i < n; i++) {
		int h = be->ops->event_new(be);

		if (h < 0) {
			for (uint32_t j = 0; j < i; j++)
				be->ops->close(be, hs[j]);
			free(hs);
			free(counts);
			return vi_sh_sys_fail(sh, h, "creating an eventfd");
		}
		hs[i] = h;
	}

	em_obj_begin(em, "irq", "%s", lb);
	em_detail_begin(em);
	em_u64(em, "index", iq->index);
	if (iq->name[0])
		em_str(em, "name", iq->name);
	else
		em_null(em, "name");
	em_str(em, "backend", be->ops->name);
	em_detail_end(em);
	em_flags(em, "flags", iq->flags, irq_flag_table(d->profiles));
	em_u64(em, "vectors", iq->count);
	em_u64(em, "count", n);
	em_bool(em, "loopback", loopback);
	em_u64(em, "wait_ms", wait_ms);
	if (clamped)
		em_note(em, VI_NOTE_INFO, "%s has %u vectors: the first %u are set up; give "
			"COUNT for more", lb, iq->count, n);
	if (iq->flags & VI_IRQ_INFO_AUTOMASKED)
		em_note(em, VI_NOTE_INFO, "AUTOMASKED: the host masks this interrupt each time "
			"it fires until it is unmasked (VFIO_IRQ_SET_ACTION_UNMASK), which irq "
			"does not do: the device's interrupts count once; loopback triggers are "
			"not masked");

	r = set_irqs(sh, iq->index, trig, 0, n, hs);
	emit_set_irqs(em, "set_up", "set up", trig, 0, n, r);
	if (r) {
		em_obj_end(em);
		for (uint32_t i = 0; i < n; i++)
			be->ops->close(be, hs[i]);
		free(hs);
		free(counts);
		return irq_fail(sh, "set-up", lb, trig, r, n);
	}
	if (loopback) {
		rl = set_irqs(sh, iq->index, none, 0, n, NULL);
		emit_set_irqs(em, "loopback_trigger", "loopback trigger", none, 0, n, rl);
	}
	end = irq_wait(sh, hs, n, wait_ms, loopback && !rl, counts, &werr);
	em_str(em, "ended", irq_end_names[end]);
	if (end == END_SETTLED) {
		char secs[32] = "";

		if (wait_ms % 1000)
			snprintf(secs, sizeof(secs), ", and the %llu.%03llu", (unsigned long long)
				 (wait_ms / 1000), (unsigned long long)(wait_ms % 1000));
		else if (wait_ms)
			snprintf(secs, sizeof(secs), ", and the %llu", (unsigned long long)
				 (wait_ms / 1000));
		em_note(em, VI_NOTE_INFO, "%s backend: no device raises interrupts here; only "
			"loopback triggers, which it delivers itself, are counted%s%s",
			be->ops->name, secs, secs[0] ? " s wait was not slept" : "");
	}
	if (end == END_ERROR)
		vi_emit_error(em, werr);
	em_arr_begin(em, "triggers", NULL);
	for (uint32_t i = 0; i < n; i++) {
		em_obj_begin(em, NULL, "vector %u: %llu", i, (unsigned long long)counts[i]);
		em_detail_begin(em);
		em_u64(em, "vector", i);
		em_u64(em, "count", counts[i]);
		em_detail_end(em);
		em_obj_end(em);
		missing += !counts[i];
	}
	em_arr_end(em);
	if (loopback && !rl && !missing)
		em_note(em, VI_NOTE_INFO, "every vector's eventfd was signalled: the eventfd "
			"path works");
	else if (loopback && !rl && end != END_INTERRUPTED)
		em_note(em, VI_NOTE_WARN, "%u of %u vectors did not trigger on loopback",
			missing, n);

	/* always undone, whatever happened above */
	rt = set_irqs(sh, iq->index, none, 0, 0, NULL);
	emit_set_irqs(em, "teardown", "teardown", none, 0, 0, rt);
	em_obj_end(em);
	for (uint32_t i = 0; i < n; i++)
		be->ops->close(be, hs[i]);
	free(hs);
	free(counts);

	if (rl)
		status = irq_fail(sh, "loopback trigger", lb, none, rl, n);
	else if (end == END_ERROR)
		status = vi_sh_sys_fail(sh, werr, "waiting for the eventfds");
	else if (end == END_INTERRUPTED)
		status = vi_sh_refuse(sh, VI_EXIT_FAILURE, "interrupted: the wait was cancelled");
	else if (loopback && missing)
		status = vi_sh_refuse(sh, VI_EXIT_FAILURE, "%u of %u vectors did not trigger on "
				      "loopback: the eventfd path is not proven", missing, n);
	if (rt) {
		int st = irq_fail(sh, "teardown", lb, none, rt, 0);

		if (!status)
			status = st;
	}
	return status;
}
