/* kp_buildfiles.h (prefix kbf_): the port dir's build: CMakeLists.txt
 * (committed: the same for every machine) and the machine-specific inputs
 * it reads, which git ignores: kpiport-paths.cmake (where kpiport's
 * runtime is) and kbuild/ (kbuild's flags per target, from the cached
 * kernel build dir).  The kernel flags are adapted for userspace in one
 * place only: cmake/KpiKernelFlags.cmake, through cmake/KpiPort.cmake. */
#ifndef KP_BUILDFILES_H
#define KP_BUILDFILES_H

#include "kp_configure.h"
#include "kp_inv.h"

typedef struct kbf_port {
	const char *module;           /* its name */
	const char *tree_root;
	const char *driver_dir;
	const kconf_config *config;   /* the driver's sources and flags; CONFIG_NET */
	const ku_strv *imp_sources;   /* imported tree files (absolute)... */
	const ku_strv *imp_args;      /* ...and their flags */
	const ki_inventory *inventory; /* libc collisions */
	size_t nstubs;                /* kpiport_stubs.c is built when there are stubs */
} kbf_port;

char *kbf_cmake(const kbf_port *p); /* CMakeLists.txt (malloc'd) */
/* kpiport-paths.cmake and kbuild/NAME.args into the port dir `work`. */
int kbf_machine_inputs(const kbf_port *p, const char *work);

#endif
