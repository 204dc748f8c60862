// SPDX-License-Identifier: GPL-2.0-or-later
/* test-prom.c - the Prometheus text format: label escaping, one block per
 * family, each series once, ids written alike from v1 strings and v2
 * numbers, the timestamp only for a live run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "tap.h"

static char *render(const char *list, const char *doctor, int live)
{
	json_t *l = list ? json_loads(list, 0, NULL) : NULL;
	json_t *d = doctor ? json_loads(doctor, 0, NULL) : NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m || vi_prom_write(m, l, d, "9.9", live, 1234) != 0)
		fprintf(stderr, "vi_prom_write failed\n");
	if (m)
		fclose(m);
	json_decref(l);
	json_decref(d);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

int main(void)
{
	char *e, *out;

	e = vi_prom_escape("a\\b\"c\nd");
	is_str(e, "a\\\\b\\\"c\\nd", "backslash, quote and newline escaped");
	free(e);
	e = vi_prom_escape("e1000e;curl${IFS}x|sh");
	is_str(e, "e1000e;curl${IFS}x|sh", "anything else kept as it is");
	free(e);

	/* v1: ids as "0x.." strings, group a string; v2: numbers */
	out = render("{\"groups\":[{\"group\":\"6\",\"viable\":false,\"vfio\":true,\"holders\":[1],"
		     "\"devices\":[{\"address\":\"0000:03:02.0\",\"vendor\":\"0x1af4\",\"device\":\"0x5\","
		     "\"class\":\"0xff00\",\"driver\":\"we\\\"ird\\\\\",\"blocks_viability\":true}]}]}",
		     NULL, 0);
	ok(out && strstr(out, "vfio_info_device_info{device=\"0000:03:02.0\",group=\"6\","
			 "driver=\"we\\\"ird\\\\\",vendor_id=\"0x1af4\",device_id=\"0x0005\","
			 "class=\"0x00ff00\"} 1\n"), "v1 device: ids padded, driver escaped");
	ok(out && strstr(out, "vfio_info_group_viable{group=\"6\"} 0\n"), "group not viable");
	ok(out && strstr(out, "vfio_info_group_holders{group=\"6\"} 1\n"), "holders counted");
	ok(out && strstr(out, "vfio_info_info{version=\"9.9\",source=\"replay\"} 1\n"), "info metric");
	ok(out && !strstr(out, "timestamp"), "no timestamp for a replay");
	free(out);
	out = render("{\"groups\":[{\"group\":6,\"viable\":true,"
		     "\"devices\":[{\"address\":\"0000:03:02.0\",\"vendor_id\":6900,\"device_id\":5,"
		     "\"class\":65280,\"driver\":null}]}]}", NULL, 1);
	ok(out && strstr(out, "vfio_info_device_info{device=\"0000:03:02.0\",group=\"6\","
			 "driver=\"\",vendor_id=\"0x1af4\",device_id=\"0x0005\",class=\"0x00ff00\"} 1\n"),
	   "v2 device: the same labels from numbers");
	ok(out && strstr(out, "vfio_info_last_run_timestamp_seconds 1234\n"), "timestamp when live");
	free(out);

	/* a device named twice: each series once; the group from the list */
	out = render("{\"groups\":[{\"group\":\"1\",\"devices\":[{\"address\":\"0000:00:03.0\"}]}]}",
		     "{\"host\":{\"checks\":[{\"check\":\"iommu\",\"status\":\"fail\"}]},"
		     "\"devices\":[{\"address\":\"0000:00:03.0\",\"checks\":[{\"check\":\"driver\",\"status\":\"warn\"}]},"
		     "{\"address\":\"0000:00:03.0\",\"checks\":[{\"check\":\"driver\",\"status\":\"warn\"}]}],"
		     "\"summary\":{\"ok\":0,\"info\":0,\"warn\":2,\"fail\":1}}", 0);
	is_int(count(out, "check=\"driver\",status=\"warn\"} 1\n"), 1, "a repeated series written once");
	ok(strstr(out, "vfio_info_device_check_status{device=\"0000:00:03.0\",group=\"1\",check=\"driver\",status=\"ok\"} 0\n") != NULL,
	   "one-hot: the other statuses 0, group label from the list");
	ok(strstr(out, "vfio_info_host_check_status{check=\"iommu\",status=\"fail\"} 1\n") != NULL, "host check");
	ok(strstr(out, "vfio_info_doctor_checks{status=\"warn\"} 2\n") != NULL, "summary counts");
	is_int(count(out, "# TYPE vfio_info_device_check_status gauge\n"), 1, "one TYPE line per family");
	free(out);
	return tap_done();
}
