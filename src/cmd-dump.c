// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-dump.c - the dump, capture and caps commands. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "decode.h"
#include "safe.h"
#include "util.h"

/*
 * --all: every device sysfs shows on a VFIO driver.  Those the backend
 * cannot open (a capture taken with --host holds kernel answers only for
 * the devices it names) are named on stderr, one line each, and left out;
 * the status is then VI_EXIT_NOTFOUND, the others are still inspected.
 */
static int resolve_all(struct vi_backend *be, struct vi_targets *t, const char *what)
{
	struct vi_targets gone = { NULL, 0 };
	char msg[2048];
	int r = vi_target_all(be, t, msg, sizeof(msg));

	if (r < 0) {
		vi_error("%s", msg);
		return r;
	}
	r = vi_target_split_unopenable(be, t, &gone);
	for (size_t i = 0; i < gone.n; i++) {
		vi_target_explain(be, gone.v[i].name, msg, sizeof(msg));
		vi_error("%s: not %s", msg, what);
	}
	if (gone.n && !r)
		r = -ENXIO;
	vi_targets_free(&gone);
	return r;
}

static int resolve(const struct vi_opts *o, struct vi_backend *be, struct vi_targets *t,
		   const char *what)
{
	char msg[2048];
	int first = 0;

	if (o->all) {
		first = resolve_all(be, t, what);
		/* capture --host --all on a host without VFIO devices still
		 * records the host */
		if (first == -ENOENT && o->host)
			first = 0;
		else if (first == -ENOENT || first == -ENOMEM)
			return first;
	}
	for (int i = 0; i < o->nargs; i++) {
		int r = vi_target_resolve(be, o->args[i], t, msg, sizeof(msg));
		if (r == -ENXIO && o->host) {
			/* capture --host: the rest of it is recorded */
			vi_error("%s; no kernel answers recorded for it (list and doctor "
				 "read what they need from the capture)", msg);
			if (!first)
				first = r;
		} else if (r < 0) {
			vi_error("%s", msg);
			if (!first)
				first = r;
		}
	}
	return first;
}

/* Shared by dump and capture: resolve, inspect, choose the exit status.
 * @keep, if not NULL, receives the targets (the caller frees them);
 * @rerr_out, if not NULL, the first resolution error (0: none). */
static int run_inspect(struct vi_opts *o, struct vi_backend *be, struct vi_emit *em,
		       struct vi_targets *keep, const char *what, int *rerr_out)
{
	struct vi_targets t = { NULL, 0 };
	unsigned int nreports = 0;
	struct vi_inspect_opts io;
	int rerr, ierr;

	if (!o->abi)
		o->profiles |= vi_capture_profiles(be);
	rerr = resolve(o, be, &t, what);

	memset(&io, 0, sizeof(io));
	io.flow = o->flow;
	io.vf_token = o->vf_token;
	io.profiles = o->profiles;
	io.report = vi_report_stderr;
	io.report_ctx = &nreports;

	em_obj_begin(em, NULL, NULL);
	ierr = vi_inspect(be, em, &t, &io);
	em_obj_end(em);
	if (keep)
		*keep = t;
	else
		vi_targets_free(&t);
	if (rerr_out)
		*rerr_out = rerr;

	if (rerr)
		return vi_exit_for_errno(rerr);
	if (ierr)
		return vi_exit_for_errno(ierr);
	return VI_EXIT_OK;
}

static int check_targets(const struct vi_opts *o, const char *cmd)
{
	if (o->nargs == 0 && !o->all) {
		vi_error("%s needs a TARGET (a PCI address, group, cdev...) or --all", cmd);
		return -1;
	}
	return 0;
}

int cmd_dump(struct vi_opts *o)
{
	struct vi_backend *be;
	struct vi_emit *em;
	int status = VI_EXIT_OK, errs;

	if (check_targets(o, "dump"))
		return VI_EXIT_USAGE;
	if (o->output) {
		vi_error("-o/--output belongs to 'capture'; dump writes to standard output");
		return VI_EXIT_USAGE;
	}
	be = vi_open_backend(o, &status);
	if (!be)
		return status;
	em = vi_output_emitter(o);
	status = run_inspect(o, be, em, NULL, "dumped", NULL);
	errs = (int)vi_emit_errors(em);
	vi_emit_finish(em);
	vi_backend_destroy(be);
	if (status == VI_EXIT_OK && errs) {
		vi_error("%d malformed item%s in the kernel's answers: see the notes in "
			 "the output", errs, errs == 1 ? "" : "s");
		status = VI_EXIT_PARTIAL;
	}
	return status;
}

/*
 * The host's view of each PCI device's config space (sysfs), for the
 * shell's `config --physical` and `--diff` on the capture: read through
 * the recorder, which keeps it.  Without CAP_SYS_ADMIN it is 64 bytes,
 * and the shell says so; a device without the file records nothing.
 */
static void record_pci_config(struct vi_backend *rec, const struct vi_targets *t)
{
	for (size_t i = 0; i < t->n; i++) {
		char bdf[16], *rel, *buf = NULL;
		size_t len = 0;

		if (vi_parse_bdf(t->v[i].name, bdf) || strcmp(bdf, t->v[i].name) != 0)
			continue;
		rel = vi_asprintf("bus/pci/devices/%s/config", bdf);
		if (rec->ops->read_file(rec, VI_NS_SYS, rel, &buf, &len) == 0)
			free(buf);
		free(rel);
	}
}

/*
 * What capture writes, and when:
 *   - a TARGET that names nothing (or is not a TARGET form): no file, the
 *     status of that error;
 *   - without --host, a TARGET that exists but cannot be opened through
 *     VFIO: no file either, since the capture would hold nothing of it;
 *   - with --host, such a TARGET is noted on stderr (no kernel answers
 *     recorded for it) and the host facts are written: exit 0;
 *   - the kernel refusing a query (EBUSY, EACCES...) is an answer: it is
 *     recorded, and the status says so (without --host).
 */
int cmd_capture(struct vi_opts *o)
{
	struct vi_targets t = { NULL, 0 };
	struct vi_backend *inner, *rec;
	struct vi_emit *em;
	const char *names[8];
	size_t nn = 0;
	FILE *devnull;
	int status = VI_EXIT_OK, r, rerr = 0;

	if (!o->host && check_targets(o, "capture"))
		return VI_EXIT_USAGE;
	if (!o->output) {
		vi_error("capture needs -o FILE: where to write the capture");
		return VI_EXIT_USAGE;
	}
	inner = vi_open_backend(o, &status);
	if (!inner)
		return status;
	rec = vi_backend_record_new(inner);
	if (!rec) {
		vi_error("out of memory");
		vi_backend_destroy(inner);
		return VI_EXIT_FAILURE;
	}
	/* The same walk as dump; its output is not wanted, the answers are. */
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		vi_error("cannot open /dev/null: %s", strerror(errno));
		vi_backend_destroy(rec);
		return VI_EXIT_FAILURE;
	}
	em = vi_emit_new(VI_EMIT_TEXT, devnull, 0);
	if (o->nargs || o->all) {
		status = run_inspect(o, rec, em, &t, "recorded", &rerr);
		record_pci_config(rec, &t);
		vi_record_devices(rec, t.v, t.n);
		vi_capture_mdev_facts(o, rec, &t);
		vi_targets_free(&t);
	}
	vi_emit_finish(em);
	fclose(devnull);
	if (rerr == -ENOENT || rerr == -EINVAL || rerr == -ENOMEM ||
	    (rerr && !o->host)) {
		char *po = vi_printable(o->output, VI_MSG_NAME_MAX);

		vi_error("nothing written to %s: %s", po, rerr != -ENXIO ?
			 "a TARGET names no device" :
			 "a TARGET has no kernel answers to record (capture --host records "
			 "what list and doctor need of any device)");
		free(po);
		vi_backend_destroy(rec);
		return status != VI_EXIT_OK ? status : vi_exit_for_errno(rerr);
	}
	/* --host: also what list and doctor read (sysfs, procfs, /dev) */
	if (o->host) {
		vi_capture_host_facts(o, rec);
		/* what was not recorded is on stderr; the file holds the rest */
		status = VI_EXIT_OK;
	}

	for (unsigned int b = 1; b <= VI_PROF_ZPCI_IOMMU && nn < 7; b <<= 1)
		if ((o->profiles & b) && !(b & VI_PROF_AUTOMATIC))
			names[nn++] = vi_profile_name(b);
	names[nn] = NULL;
	r = vi_record_write(rec, o->output, nn ? names : NULL);
	if (r < 0) {
		char *po = vi_printable(o->output, VI_MSG_NAME_MAX);

		vi_error("cannot write %s: %s", po, strerror(-r));
		free(po);
		status = VI_EXIT_FAILURE;
	} else if (!o->json) {
		char *po = vi_printable(o->output, VI_MSG_NAME_MAX);

		/* not an error, but escaped the same way */
		vi_error("capture written to %s", po);
		free(po);
	}
	vi_backend_destroy(rec);
	return status;
}

int cmd_caps(struct vi_opts *o)
{
	struct vi_emit *em = vi_emit_new(o->json ? VI_EMIT_JSON : VI_EMIT_TEXT, stdout,
					 VI_EMIT_VERSION | (o->pretty ? VI_EMIT_PRETTY : 0));
	unsigned int n;
	const struct vi_capdec *t = vi_capdec_table(&n);

	if (o->nargs) {
		vi_error("caps takes no TARGET");
		vi_emit_finish(em);
		return VI_EXIT_USAGE;
	}
	em_obj_begin(em, NULL, NULL);
	em_arr_begin(em, "decoders", NULL);
	for (unsigned int i = 0; i < n; i++) {
		em_obj_begin(em, NULL, "%s cap %u %s", vi_chain_name(t[i].chain), t[i].id,
			     t[i].name);
		em_str(em, "chain", vi_chain_name(t[i].chain));
		em_u64(em, "id", t[i].id);
		em_str(em, "name", t[i].name);
		/* JSON: the two numbers; text: one line, "1" or "1-2" */
		if (t[i].vmin == t[i].vmax)
			em_summary(em, "versions: %u", t[i].vmin);
		else
			em_summary(em, "versions: %u-%u", t[i].vmin, t[i].vmax);
		em_detail_begin(em);
		em_u64(em, "version_min", t[i].vmin);
		em_u64(em, "version_max", t[i].vmax);
		em_detail_end(em);
		em_str(em, "profile", vi_profile_name(t[i].profile));
		em_str(em, "summary", t[i].summary);
		em_obj_end(em);
	}
	em_arr_end(em);
	em_obj_end(em);
	vi_emit_finish(em);
	return VI_EXIT_OK;
}
