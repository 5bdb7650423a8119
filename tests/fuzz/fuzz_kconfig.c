/* fuzz_kconfig.c: libFuzzer harness for the Kconfig reader and its
 * dependency logic (translator/kp_kconfig.c).  The input is written as the
 * root Kconfig of a scratch tree and loaded with kc_load_file; then, for
 * every `config NAME` the text names, the queries and the fragment walk
 * run (kc_where, kc_depends, kc_fragment both ways, kc_first_missing on
 * an empty and a partial .config), which drives the expression parser and
 * the recursive satisfiability code over whatever dependencies the input
 * wrote.  Inputs that could `source` files outside the scratch tree (".."
 * or an absolute path) are skipped: the harness reads nothing but its own
 * tree.  Oracles: a fragment line enables a CONFIG_ symbol with y or m. */
#include "fuzz_util.h"
#include "kp_kconfig.h"

#define FUZZ_MAX_SYMS 16

/* NAME of each `config NAME` / `menuconfig NAME` line (first word only). */
static void config_names(const char *text, ku_strv *out)
{
	for (const char *p = text; *p && out->n < FUZZ_MAX_SYMS;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *line = ku_strndup(p, n);
		char *t = ku_trim(line);
		const char *kw = ku_startswith(t, "config ") ? "config " : ku_startswith(t, "menuconfig ") ? "menuconfig " : NULL;
		if (kw) {
			char *name = ku_trim(t + strlen(kw));
			name[strcspn(name, " \t\r")] = 0;
			if (*name)
				ku_strv_push_unique(out, name);
		}
		free(line);
		p += n + (eol != NULL);
	}
}

static void check_lines(const ku_strv *lines)
{
	for (size_t i = 0; i < lines->n; i++) {
		const char *l = lines->v[i];
		size_t n = strlen(l);
		FUZZ_CHECK(ku_startswith(l, "CONFIG_") && n > 9 && l[n - 2] == '=' && (l[n - 1] == 'y' || l[n - 1] == 'm'));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (strstr(text, "..") || strstr(text, "\"/") || strstr(text, "'/")) {
		free(text);
		return -1; /* could read outside the scratch tree: not added to the corpus */
	}
	const char *tree = fuzz_dir();
	fuzz_write(tree, "Kconfig", text, strlen(text));
	char *root = ku_path_join(tree, "Kconfig");
	kc_tree *kc = kc_load_file(tree, root, "x86");
	free(root);
	if (kc) {
		ku_strv names = {0};
		config_names(text, &names);
		for (size_t i = 0; i < names.n; i++) {
			const char *s = names.v[i];
			(void)kc_where(kc, s);
			(void)kc_depends(kc, s);
			(void)kc_symbol_type(kc, s);
			(void)kc_has_prompt(kc, s);
			for (int as_module = 0; as_module < 2; as_module++) {
				ku_strv lines = {0}, chain = {0};
				if (kc_fragment(kc, s, as_module, &lines, &chain) == 0)
					check_lines(&lines);
				ku_strv_free(&lines);
				ku_strv_free(&chain);
			}
			(void)kc_first_missing(kc, s, "");
			char *partial = ku_printf("CONFIG_%s=y\nCONFIG_MODULES=y\n# CONFIG_X is not set\n", s);
			(void)kc_first_missing(kc, s, partial);
			free(partial);
		}
		ku_strv_free(&names);
		kc_free(kc);
	}
	free(text);
	return 0;
}
