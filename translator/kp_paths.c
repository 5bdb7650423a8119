/* kp_paths.c: the port dir's layout (see kp_paths.h). */
#define _GNU_SOURCE
#include "kp_paths.h"
#include "kp_util.h"

#include <stdlib.h>
#include <string.h>

char *kpath_port_file(const char *tree_root, const char *driver_dir, const char *tree_rel)
{
	char *abs = ku_path_join(tree_root, tree_rel);
	char *rel = ku_relpath_in(driver_dir, abs);
	free(abs);
	return rel ? rel : ku_printf("imports/%s", tree_rel); /* imported tree files */
}

char *kpath_include_form(const char *tree_root, const char *driver_dir, const char *header)
{
	static const char *const roots[] = {"include/uapi/", "include/", "arch/x86/include/uapi/",
					    "arch/x86/include/", "<build>/include/",
					    "<build>/arch/x86/include/generated/", NULL};
	for (const char *const *r = roots; *r; r++)
		if (ku_startswith(header, *r))
			return ku_printf("<%s>", header + strlen(*r));
	char *abs = ku_path_join(tree_root, header);
	char *rel = ku_relpath_in(driver_dir, abs);
	free(abs);
	if (rel) {
		char *q = ku_printf("\"%s\"", rel);
		free(rel);
		return q;
	}
	return ku_printf("\"imports/%s\"", header);
}
