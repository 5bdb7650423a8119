/* kp_configure.h (prefix kconf_): the config stage.  The module's Kconfig
 * `depends on` chain becomes a config fragment (kp_kconfig); kp_config
 * makes (or reuses) the kernel build dir for it and gives kbuild's own
 * compiler flags for each object the config really builds.  An external
 * module's own symbols live outside the tree's .config (kbuild variables and
 * -D defines instead). */
#ifndef KP_CONFIGURE_H
#define KP_CONFIGURE_H

#include "kp_driver.h"
#include "kp_util.h"

typedef struct kconf_config {
	char *fragment;     /* the whole fragment: base, the chain's symbols, extra lines */
	ku_strv chain;      /* dependency chain, "SYM (why)" */
	char *builddir;     /* the cached kernel build dir (make O=) */
	ku_strv ext_config; /* an external module's own symbols ("CONFIG_X=y") */
	ku_strv objects;    /* objects the config builds (conditional ones resolved) */
	ku_strv sources;    /* their absolute .c paths */
	ku_strv *args;      /* per source: kbuild's compiler args */
	int net;            /* CONFIG_NET=y: the port links the runtime's netdev core */
} kconf_config;

/* Configure for driver d; `extra` are fragment lines the resolve stage
 * needs (CONFIG_CRC32=y) or NULL; `jobs` is make's -j.  -1 with ku_err()
 * (the module's symbol is undefined or did not end up enabled, an object
 * without a source, a failing make). */
int kconf_configure(const kdrv_driver *d, const ku_strv *extra, int jobs, kconf_config *out);
void kconf_free(kconf_config *c);

#endif
