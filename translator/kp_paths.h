/* kp_paths.h (prefix kpath_): where things live in a port dir.  The
 * driver's files keep their place relative to the module's directory;
 * tree files from anywhere else (imports, their headers) go under
 * imports/<tree path>.  Every stage that writes or names a port file asks
 * here, so the layout is decided once. */
#ifndef KP_PATHS_H
#define KP_PATHS_H

/* The port-relative path of `tree_rel` (tree-relative, or absolute for an
 * external module's files), malloc'd. */
char *kpath_port_file(const char *tree_root, const char *driver_dir, const char *tree_rel);

/* How a generated port file includes `header` (tree-relative, or
 * "<build>/..." for the kernel build dir's): "<linux/x.h>" for the kernel's
 * include dirs, else "\"x.h\"" for the driver's own headers, else a path
 * relative to the driver's dir ("\"../../lib/kstrtox.h\"", found through
 * kbuild's -I $(srctree)/$(src)), else (an external module's) the staged
 * "\"imports/<path>\"".  malloc'd. */
char *kpath_include_form(const char *tree_root, const char *driver_dir, const char *header);

#endif
