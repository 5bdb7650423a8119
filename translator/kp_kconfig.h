/* kp_kconfig.h: the Kconfig knowledge kpiport needs.  Parses the tree's
 * Kconfig files from the root (following `source`, with $(SRCARCH)), keeping
 * each symbol's type, `depends on`, and the dependencies of the enclosing
 * if/menu blocks, and turns "enable symbol X" into a config fragment plus
 * the dependency chain that explains it.  Expressions: &&, ||, !, =, !=,
 * parentheses, y/m/n constants. */
#ifndef KP_KCONFIG_H
#define KP_KCONFIG_H

#include "kp_stamp.h"
#include "kp_util.h"

typedef struct kc_tree kc_tree;

typedef enum { KC_UNKNOWN, KC_BOOL, KC_TRISTATE, KC_STRING, KC_INT, KC_HEX } kc_type;

/* root_kconfig: usually "<tree>/Kconfig".  srcarch: "x86". */
kc_tree *kc_load(const char *tree, const char *srcarch);
/* For unit tests: parse from a given root file with a given tree dir. */
kc_tree *kc_load_file(const char *tree, const char *root_file, const char *srcarch);
void kc_free(kc_tree *kc);
/* Number of symbols defined (0 for NULL). */
size_t kc_count(const kc_tree *kc);

int kc_exists(const kc_tree *kc, const char *symbol);       /* symbol without CONFIG_ */
kc_type kc_symbol_type(const kc_tree *kc, const char *symbol);
int kc_has_prompt(const kc_tree *kc, const char *symbol);    /* user-settable? */
/* Where the symbol is defined ("drivers/net/ethernet/realtek/Kconfig:46"); NULL if unknown. */
const char *kc_where(const kc_tree *kc, const char *symbol);
/* Full dependency expression (own depends on + enclosing if/menu), as text. */
const char *kc_depends(const kc_tree *kc, const char *symbol);

/* Lines to add to an allnoconfig fragment so that `symbol` is enabled
 * (=m if as_module and tristate, else =y), plus every symbol its
 * dependencies need, depth first, each once.  For `A || B` the first
 * alternative that can be satisfied is chosen, or none when one already
 * holds under allnoconfig (`AGP || AGP=n`, `X || !X`); `!A` adds nothing.
 * `chain` receives the enabled symbols in order, each as "SYM (why)". */
int kc_fragment(const kc_tree *kc, const char *symbol, int as_module,
		ku_strv *lines, ku_strv *chain);

/* kc_fragment for the tree's own Kconfig, answered from `cache` while no
 * file the parse read has changed (kp_kconfig_cache.c): 0 with
 * lines and chain, 1 when no Kconfig file defines `symbol`, -1 with ku_err()
 * when the Kconfig files do not parse or the fragment cannot be made. */
int kc_fragment_of_tree(const char *tree, const char *srcarch, const char *symbol, int as_module,
			const kst_cache *cache, ku_strv *lines, ku_strv *chain);

/* After a config run: the first dependency of `symbol` that is not enabled
 * in the .config text (value "y" or "m"), or NULL when all are. */
const char *kc_first_missing(const kc_tree *kc, const char *symbol, const char *dotconfig);

/* The architecture a config of this tree builds for: "x86_64" for SRCARCH x86. */
const char *kc_arch_name(const kc_tree *kc);
/* Is `name` (with or without CONFIG_) a symbol only an architecture sets:
 * one no Kconfig of this architecture defines but some arch/<other>/Kconfig*
 * does (PPC, ARM64), or one defined under arch/ without a prompt (X86_32:
 * fixed by 64BIT)?  A driver that needs such a symbol, missing here, is not
 * for this architecture: not applicable rather than a failure. */
int kc_arch_symbol(const kc_tree *kc, const char *name);

#endif
