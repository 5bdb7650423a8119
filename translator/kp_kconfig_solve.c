/* kp_kconfig_solve.c: what a fragment must enable for a symbol
 * (kc_fragment: its dependencies depth first, the first satisfiable
 * alternative of each `||`, nothing for what already holds under
 * allnoconfig) and, after a config run, which dependency did not stick
 * (kc_first_missing).  Defaults, selects and prompt conditions are
 * judged, not evaluated as kconfig would: the real kconfig has the last
 * word, this only chooses what to ask it for and explains its answer. */
#include "kp_kconfig_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- enabling a symbol ---- */

typedef struct kc_walk {
	const kc_tree *kc;
	unsigned char *sat;  /* per symbol: 0 unknown, 1 being decided, 2 yes, 3 no */
	unsigned char *done; /* per symbol: already enabled / checked */
	unsigned char *forced; /* per symbol: 0 unknown, 1 being decided, 2 yes, 3 no */
	unsigned char *modular; /* per symbol: set =m like the target (it gives the target its value) */
	ku_strv *lines, *chain;
	const kc_sym *target;
	int as_module;
	int failed, depth;
	ku_strv on; /* kc_first_missing: enabled symbols of the .config, sorted */
} kc_walk;

static size_t sym_index(const kc_walk *w, const kc_sym *s) { return (size_t)(s - w->kc->syms); }

static int expr_sat(kc_walk *w, const kc_expr *e);
static int holds_unset(kc_walk *w, const kc_expr *e);

static int settable(kc_walk *w, const kc_sym *s)
{
	if (!s->prompt || !s->prompt_if)
		return s->prompt;
	if (w->depth > 64)
		return 1; /* prompts conditioned on each other: give up, optimistic */
	w->depth++;
	kc_expr *c = kc_expr_parse(s->prompt_if);
	int ok = expr_sat(w, c);
	kc_expr_free(c);
	w->depth--;
	return ok;
}

/* Can the symbol become y/m at all: defined, a bool/tristate, settable or
 * given a value by default/select, and its dependencies satisfiable. */
static int sym_sat(kc_walk *w, const kc_sym *s)
{
	if (!s || !s->defined || (s->type != KC_BOOL && s->type != KC_TRISTATE))
		return 0;
	unsigned char *st = &w->sat[sym_index(w, s)];
	if (*st)
		return *st != 3; /* being decided (a cycle): optimistic */
	*st = 1;
	int ok = 1;
	for (size_t i = 0; ok && i < s->dep_exprs.n; i++) {
		kc_expr *e = kc_expr_parse(s->dep_exprs.v[i]);
		ok = expr_sat(w, e);
		kc_expr_free(e);
	}
	if (ok && !settable(w, s) && !s->has_default && !s->selected)
		ok = 0;
	*st = ok ? 2 : 3;
	return ok;
}

static int expr_sat(kc_walk *w, const kc_expr *e)
{
	if (!e)
		return 1;
	switch (e->op) {
	case KC_E_SYM:
		return kc_const_val(e) >= 0 ? kc_const_val(e) > 0 : sym_sat(w, kc_find(w->kc, e->text));
	case KC_E_AND:
		return expr_sat(w, e->l) && expr_sat(w, e->r);
	case KC_E_OR:
		return expr_sat(w, e->l) || expr_sat(w, e->r);
	case KC_E_CMP:
		return kc_cmp_needs(e) ? expr_sat(w, kc_cmp_needs(e)) : holds_unset(w, e);
	case KC_E_NOT: /* holds unless something forces A on */
		return holds_unset(w, e);
	default: /* strings and macros are the environment's */
		return 1;
	}
}

/* Is A on without our asking: no prompt (or a hidden one), a default and
 * dependencies that hold, or selected by a symbol that is itself forced on
 * (X86 selects HAVE_PCI).
 * Conditions on defaults and selects are not evaluated. */
static int forced_on(kc_walk *w, const kc_sym *a)
{
	if (!a || !a->defined)
		return 0;
	unsigned char *st = &w->forced[sym_index(w, a)];
	if (*st)
		return *st == 2;
	*st = 1; /* a select cycle: not forced */
	int on = !settable(w, a) && a->has_default;
	for (size_t i = 0; on && i < a->dep_exprs.n; i++) {
		kc_expr *e = kc_expr_parse(a->dep_exprs.v[i]);
		on = holds_unset(w, e);
		kc_expr_free(e);
	}
	for (size_t i = 0; !on && i < a->selected_by.n; i++)
		on = forced_on(w, kc_find(w->kc, a->selected_by.v[i]));
	*st = on ? 2 : 3;
	return on;
}

/* Does e hold under allnoconfig with nothing enabled: every symbol n
 * except those forced on (`X86 || FOO`, `!FOO`, `AGP = n` all do). */
static int holds_unset(kc_walk *w, const kc_expr *e)
{
	if (!e)
		return 1;
	switch (e->op) {
	case KC_E_SYM:
		return kc_const_val(e) >= 0 ? kc_const_val(e) > 0 : forced_on(w, kc_find(w->kc, e->text));
	case KC_E_NOT:
		return !holds_unset(w, e->l);
	case KC_E_AND:
		return holds_unset(w, e->l) && holds_unset(w, e->r);
	case KC_E_OR:
		return holds_unset(w, e->l) || holds_unset(w, e->r);
	case KC_E_CMP: {
		const kc_expr *sym = kc_const_val(e->l) < 0 ? e->l : e->r;
		const kc_expr *val = sym == e->l ? e->r : e->l;
		if (!sym || sym->op != KC_E_SYM || kc_const_val(val) < 0)
			return 1; /* strings, numbers: the environment's business */
		int on = holds_unset(w, sym) ? kc_const_val(val) > 0 : kc_const_val(val) == 0;
		return !strcmp(e->text, "=") ? on : !strcmp(e->text, "!=") ? !on : 1;
	}
	default:
		return 1;
	}
}

static void enable(kc_walk *w, const kc_sym *s, const char *why);

/* Does e hold only with COMPILE_TEST on (`COMPILE_TEST`, `COMPILE_TEST && 64BIT`)? */
static int is_compile_test(const kc_expr *e)
{
	if (e && e->op == KC_E_AND)
		return is_compile_test(e->l) || is_compile_test(e->r);
	return e && e->op == KC_E_SYM && !strcmp(e->text, "COMPILE_TEST");
}

/* The first symbol e names that only an architecture sets (kc_arch_symbol). */
static const char *arch_symbol_in(kc_walk *w, const kc_expr *e)
{
	if (!e)
		return NULL;
	if (e->op == KC_E_SYM)
		return kc_const_val(e) < 0 && kc_arch_symbol(w->kc, e->text) ? e->text : NULL;
	if (e->op == KC_E_CMP)
		return arch_symbol_in(w, kc_cmp_needs(e));
	if (e->op != KC_E_AND && e->op != KC_E_OR)
		return NULL;
	const char *l = arch_symbol_in(w, e->l);
	return l ? l : arch_symbol_in(w, e->r);
}

static void enable_expr(kc_walk *w, const kc_expr *e, const kc_sym *by, const char *why)
{
	if (!e)
		return;
	switch (e->op) {
	case KC_E_SYM: {
		if (kc_const_val(e) > 0)
			return;
		const kc_sym *s = kc_find(w->kc, e->text);
		if (kc_const_val(e) == 0 || !s || !s->defined) {
			if (!w->failed && kc_const_val(e) == 0)
				ku_err("cannot enable %s: %s (%s) can never hold", w->target->name, by->name, why);
			else if (!w->failed && kc_arch_symbol(w->kc, e->text))
				ku_err("not for %s: needs %s (%s: %s; no Kconfig of %s defines it)",
				       kc_arch_name(w->kc), e->text, by->name, why, w->kc->srcarch);
			else if (!w->failed)
				ku_err("cannot enable %s: %s (%s) names %s, which %s does not define",
				       w->target->name, by->name, why, e->text, w->kc->srcarch);
			w->failed = 1;
			return;
		}
		char *reason = ku_printf("%s: %s", by->name, why);
		enable(w, s, reason);
		free(reason);
		return;
	}
	case KC_E_AND:
		enable_expr(w, e->l, by, why);
		enable_expr(w, e->r, by, why);
		return;
	case KC_E_OR: { /* `A || !A`, `AGP || AGP=n`: nothing to enable */
		if (holds_unset(w, e->l) || holds_unset(w, e->r))
			return;
		const kc_expr *pick = expr_sat(w, e->l) || !expr_sat(w, e->r) ? e->l : e->r;
		const kc_expr *other = pick == e->l ? e->r : e->l;
		/* `ARCH_THUNDER || COMPILE_TEST`: only a build test would take
		 * this driver here; it is for another architecture. */
		const char *arch = is_compile_test(pick) && !expr_sat(w, other) ? arch_symbol_in(w, other) : NULL;
		if (arch) {
			if (!w->failed)
				ku_err("not for %s: needs %s (%s: %s; only COMPILE_TEST, a build test, would "
				       "build it here)", kc_arch_name(w->kc), arch, by->name, why);
			w->failed = 1;
			return;
		}
		enable_expr(w, pick, by, why);
		return;
	}
	case KC_E_CMP:
		enable_expr(w, kc_cmp_needs(e), by, why);
		return;
	default:
		return;
	}
}

static void enable(kc_walk *w, const kc_sym *s, const char *why)
{
	unsigned char *done = &w->done[sym_index(w, s)];
	if (*done)
		return;
	*done = 1;
	for (size_t i = 0; i < s->dep_exprs.n; i++) {
		kc_expr *e = kc_expr_parse(s->dep_exprs.v[i]);
		enable_expr(w, e, s, s->dep_whys.v[i]);
		kc_expr_free(e);
	}
	if (settable(w, s) && s->prompt_if) {
		kc_expr *e = kc_expr_parse(s->prompt_if);
		char *pwhy = ku_printf("its prompt shows only if %s", s->prompt_if);
		enable_expr(w, e, s, pwhy);
		free(pwhy);
		kc_expr_free(e);
	}
	if (settable(w, s) && (s->type == KC_BOOL || s->type == KC_TRISTATE)) {
		int m = (s == w->target || (w->modular && w->modular[sym_index(w, s)])) && w->as_module &&
			s->type == KC_TRISTATE;
		ku_strv_pushf(w->lines, "CONFIG_%s=%s", s->name, m ? "m" : "y");
		ku_strv_pushf(w->chain, "%s (%s)", s->name, why);
	} else {
		ku_strv_pushf(w->chain, "%s (%s; no prompt: it comes from select or default)", s->name, why);
	}
}

/* The symbols an expression names directly (through && and ||) are set
 * =m like the target: a no-prompt tristate takes its value from them. */
static void mark_modular(kc_walk *w, const kc_expr *e)
{
	if (!e)
		return;
	if (e->op == KC_E_SYM && kc_const_val(e) < 0) {
		const kc_sym *s = kc_find(w->kc, e->text);
		if (s)
			w->modular[sym_index(w, s)] = 1;
	} else if (e->op == KC_E_AND || e->op == KC_E_OR) {
		mark_modular(w, e->l);
		mark_modular(w, e->r);
	}
}

/* A symbol without a prompt gets its value from a default or a select:
 * enable what its first satisfiable default names, else its first
 * satisfiable selector (itself through its own default or selector when it
 * has no prompt either), and say so in the chain.  0 when neither can. */
static int enable_unprompted(kc_walk *w, const kc_sym *s, int depth)
{
	for (size_t i = 0; i < s->defaults.n; i++) {
		kc_expr *e = kc_expr_parse(s->defaults.v[i]);
		int ok = e && expr_sat(w, e);
		if (ok) {
			char *why = ku_printf("gives %s (no prompt) its value: default %s", s->name,
					      s->defaults.v[i]);
			mark_modular(w, e);
			enable_expr(w, e, s, why);
			free(why);
			ku_strv_pushf(w->chain, "%s (no prompt: set by its default %s)", s->name, s->defaults.v[i]);
		}
		kc_expr_free(e);
		if (ok)
			return !w->failed;
	}
	for (size_t i = 0; depth < 8 && i < s->selected_by.n; i++) {
		const kc_sym *b = kc_find(w->kc, s->selected_by.v[i]);
		if (!b || !sym_sat(w, b))
			continue;
		char *why = ku_printf("selects %s, which has no prompt", s->name);
		if (b->type == KC_TRISTATE)
			w->modular[sym_index(w, b)] = 1;
		enable(w, b, why);
		free(why);
		if (!w->failed && !settable(w, b) && !enable_unprompted(w, b, depth + 1))
			continue;
		ku_strv_pushf(w->chain, "%s (no prompt: selected by %s)", s->name, b->name);
		return !w->failed;
	}
	return 0;
}

int kc_fragment(const kc_tree *kc, const char *symbol, int as_module,
		ku_strv *lines, ku_strv *chain)
{
	const kc_sym *s = kc_find(kc, symbol);
	if (!s || !s->defined)
		return ku_err("no Kconfig symbol %s for %s", symbol, kc->srcarch);
	if (s->type != KC_BOOL && s->type != KC_TRISTATE)
		return ku_err("%s (%s) is not a bool or tristate", s->name, s->where);
	kc_walk w = {.kc = kc, .lines = lines, .chain = chain, .target = s, .as_module = as_module};
	w.sat = ku_calloc(kc->nsym, 1);
	w.done = ku_calloc(kc->nsym, 1);
	w.forced = ku_calloc(kc->nsym, 1);
	w.modular = ku_calloc(kc->nsym, 1);
	const kc_sym *modules = kc_find(kc, "MODULES");
	if (as_module && s->type == KC_TRISTATE && modules && modules->defined) {
		char *why = ku_printf("needed to build %s as a module", s->name);
		enable(&w, modules, why);
		free(why);
	}
	enable(&w, s, "requested");
	if (!w.failed && !settable(&w, s) && !(!s->prompt && enable_unprompted(&w, s, 0))) {
		if (w.failed)
			; /* enable_unprompted said why */
		else if (s->prompt)
			ku_err("%s (%s): its prompt shows only if %s, which cannot hold", s->name, s->where,
			       s->prompt_if);
		else
			ku_err("%s (%s) has no prompt, and neither a default nor a select can set it",
			       s->name, s->where);
		w.failed = 1;
	}
	free(w.sat);
	free(w.done);
	free(w.forced);
	free(w.modular);
	return w.failed ? -1 : 0;
}

/* ---- explaining a .config ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_on(const kc_walk *w, const char *name)
{
	return w->on.n && bsearch(&name, w->on.v, w->on.n, sizeof *w->on.v, cmp_name) != NULL;
}

static int eval(const kc_walk *w, const kc_expr *e)
{
	if (!e)
		return 1;
	switch (e->op) {
	case KC_E_SYM:
		return kc_const_val(e) >= 0 ? kc_const_val(e) > 0 : is_on(w, e->text);
	case KC_E_NOT:
		return !eval(w, e->l);
	case KC_E_AND:
		return eval(w, e->l) && eval(w, e->r);
	case KC_E_OR:
		return eval(w, e->l) || eval(w, e->r);
	case KC_E_CMP:
		return kc_cmp_needs(e) ? eval(w, kc_cmp_needs(e)) : 1;
	default:
		return 1;
	}
}

static const char *missing_in_deps(kc_walk *w, const kc_sym *s);

static const char *missing_in_expr(kc_walk *w, const kc_expr *e)
{
	if (!e || eval(w, e))
		return NULL;
	switch (e->op) {
	case KC_E_SYM: {
		const kc_sym *s = kc_find(w->kc, e->text);
		if (!s)
			return NULL; /* the constant n */
		const char *deeper = missing_in_deps(w, s);
		return deeper ? deeper : s->name;
	}
	case KC_E_AND: {
		const char *r = missing_in_expr(w, e->l);
		return r ? r : missing_in_expr(w, e->r);
	}
	case KC_E_OR:
		return missing_in_expr(w, expr_sat(w, e->l) || !expr_sat(w, e->r) ? e->l : e->r);
	case KC_E_CMP:
		return missing_in_expr(w, kc_cmp_needs(e));
	default:
		return NULL;
	}
}

static const char *missing_in_deps(kc_walk *w, const kc_sym *s)
{
	unsigned char *done = &w->done[sym_index(w, s)];
	if (*done)
		return NULL;
	*done = 1;
	for (size_t i = 0; i < s->dep_exprs.n; i++) {
		kc_expr *e = kc_expr_parse(s->dep_exprs.v[i]);
		const char *r = missing_in_expr(w, e);
		kc_expr_free(e);
		if (r)
			return r;
	}
	return NULL;
}

const char *kc_first_missing(const kc_tree *kc, const char *symbol, const char *dotconfig)
{
	const kc_sym *s = kc_find(kc, symbol);
	if (!s || !s->defined)
		return NULL;
	kc_walk w = {.kc = kc, .target = s};
	for (const char *p = dotconfig; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n > 9 && ku_startswith(p, "CONFIG_") && p[n - 2] == '=' &&
		    (p[n - 1] == 'y' || p[n - 1] == 'm')) {
			char *name = ku_strndup(p + 7, n - 9);
			ku_strv_push(&w.on, name);
			free(name);
		}
		p = eol ? eol + 1 : p + strlen(p);
	}
	if (w.on.n)
		qsort(w.on.v, w.on.n, sizeof *w.on.v, cmp_name);
	w.sat = ku_calloc(kc->nsym, 1);
	w.done = ku_calloc(kc->nsym, 1);
	w.forced = ku_calloc(kc->nsym, 1);
	const char *r = missing_in_deps(&w, s);
	free(w.sat);
	free(w.done);
	free(w.forced);
	ku_strv_free(&w.on);
	return r;
}
