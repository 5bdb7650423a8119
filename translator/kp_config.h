/* kp_config.h: the per-port kernel build dir and the compiler flags kbuild
 * uses in it.  A build dir is `make O=DIR allnoconfig` with a fragment
 * (64-bit, uniprocessor, no preemption, modules, the driver's symbols) and
 * `make prepare`, made outside the tree and cached by (tree, fragment); a
 * lock makes concurrent ports share one.  A new one starts as a copy of the
 * seed, the build dir of the fixed part of the fragment alone, so that make
 * only redoes what the driver's symbols change (kp_config_seed.c;
 * KPIPORT_KBUILD_SEED=0 configures from nothing, for tools/bench_config.sh).  The flags of each object come from
 * kbuild itself (`make -n V=1 obj.o` in that dir), so they are the ones a
 * real build uses. */
#ifndef KP_CONFIG_H
#define KP_CONFIG_H

#include "kp_tree.h"
#include "kp_util.h"

/* The compiler kbuild is told to use (CC=...): libclang then parses exactly
 * the flags a clang build of the kernel uses. */
#define KCFG_CC "clang-19"

/* The fixed part of every fragment. */
extern const char *const kcfg_base_fragment;

/* Make (or reuse) the build dir for `fragment`; *builddir is malloc'd.
 * `par` is make's -j.  Errors name the failing make step and its output. */
int kcfg_builddir(const kt_tree *t, const char *fragment, int par, char **builddir);

/* Value of CONFIG_<sym> in builddir/.config ("y", "m", ...) or NULL (malloc'd). */
char *kcfg_value(const char *builddir, const char *sym);

/* Compiler args for each object (tree-relative .o paths), as kbuild would
 * pass them, minus -c/-o/-Wp,-MMD/the source and with paths absolute.
 * args[i] receives the args of objects->v[i].  Cached in the build dir. */
int kcfg_object_args(const kt_tree *t, const char *builddir, const ku_strv *objects,
		     ku_strv *args);
/* The same for an external module (kbuild's M=): ext_dir is copied into the
 * build dir first, so kbuild never writes next to the user's sources;
 * objects are relative to ext_dir ("foo.o").  ext_config: the module's own
 * Kconfig symbols ("CONFIG_X=y" lines), which the tree's .config cannot
 * hold: passed to kbuild as variables and to the compiler as -D defines. */
int kcfg_external_args(const kt_tree *t, const char *builddir, const char *ext_dir,
		       const ku_strv *ext_config, const ku_strv *objects, ku_strv *args);

/* Let kbuild build `objects` in the build dir (never the tree), so the
 * headers they need that kbuild generates (lib/crc32table.h, ...) exist.
 * Failures are left to the analysis to report, with clang's words. */
void kcfg_build_objects(const kt_tree *t, const char *builddir, const ku_strv *objects, int par);

/* Split shell text into words (quotes, backslashes); ";" "&&" "||" "|"
 * become words of their own.  Exposed for unit tests. */
void kcfg_shell_split(const char *text, ku_strv *words);

#endif
