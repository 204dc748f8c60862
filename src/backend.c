// SPDX-License-Identifier: GPL-2.0-or-later
/* backend.c - helpers shared by every backend and its users. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>

#include "backend.h"

void vi_devref_free(struct vi_devref *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].group);
		free(list[i].cdev);
	}
	free(list);
}

void vi_names_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int vi_be_read_sys(struct vi_backend *be, const char *rel, char **out)
{
	size_t len = 0;
	char *s = NULL;
	int ret;

	ret = be->ops->read_file(be, VI_NS_SYS, rel, &s, &len);
	if (ret < 0)
		return ret;
	while (len > 0 && s[len - 1] == '\n')
		s[--len] = '\0';
	*out = s;
	return 0;
}

void vi_backend_destroy(struct vi_backend *be)
{
	if (be && be->ops && be->ops->destroy)
		be->ops->destroy(be);
}
