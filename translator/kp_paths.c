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
	/* Anywhere else in the tree (an imported file's dir, a sibling dir,
	 * the build dir's generated headers): relative to the driver's dir,
	 * which kbuild's -I $(srctree)/$(src) and -I $(objtree)/$(obj) put on
	 * the port's include path - whether or not the header was staged under
	 * imports/ (only the headers imported files include are). */
	char *dd = ku_relpath_in(tree_root, driver_dir);
	if (dd && *dd && strcmp(dd, ".")) {
		const char *h = ku_startswith(header, "<build>/") ? header + 8 : header;
		ku_buf b = {0};
		ku_buf_puts(&b, "\"");
		for (const char *p = dd; p; p = strchr(p + 1, '/'))
			ku_buf_puts(&b, "../");
		ku_buf_printf(&b, "%s\"", h);
		free(dd);
		char *q = ku_strdup(ku_buf_str(&b));
		ku_buf_free(&b);
		return q;
	}
	free(dd);
	return ku_printf("\"imports/%s\"", header);
}
