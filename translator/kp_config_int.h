/* kp_config_int.h: what kp_config.c and kp_config_seed.c share (the build
 * dir's own marker files and the seed copy); nothing else includes it. */
#ifndef KP_CONFIG_INT_H
#define KP_CONFIG_INT_H

#include "kp_config.h"

/* A build dir is complete once this file exists in it. */
#define KCFG_READY ".kpiport-ready"
/* The cached per-object flags (kcfg_object_args) inside a build dir. */
#define KCFG_FLAGS_DIR ".kpiport-flags"

/* Copy the prepared build dir `seed` into the empty dir `dir` and rewrite
 * the absolute paths make reads back (see kp_config_seed.c), so that
 * `make allnoconfig prepare` with another fragment only redoes what the
 * other config changes. */
int kcfg_seed_copy(const char *seed, const char *dir);

#endif
