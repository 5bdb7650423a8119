/* fuzz_kbuild.c: libFuzzer harness for the Makefile/Kbuild reader
 * (translator/kp_kbuild.c).  The input is one Makefile text.  It goes
 * through both readers: the one-file reader (kb_list_modules, then
 * kb_module_from_makefile for every module it lists) and the tree index
 * (the text written as the only Makefile of a scratch tree, then
 * kb_index_build and kb_resolve by module name and by CONFIG_ symbol,
 * which reach the "did you mean" search).  Oracles: what one reader lists
 * the other finds, and a module's object lists are well formed. */
#include "fuzz_util.h"
#include "kp_kbuild.h"

#define FUZZ_MAX_NAMES 8 /* modules per input followed through the resolvers */

static void check_module(const kb_module *m, const char *name)
{
	FUZZ_CHECK(m->name && !strcmp(m->name, name));
	FUZZ_CHECK(m->dir && m->makefile);
	FUZZ_CHECK(m->cond_objects.n == m->cond_symbols.n);
	for (size_t i = 0; i < m->objects.n; i++)
		FUZZ_CHECK(ku_endswith(m->objects.v[i], ".o"));
	for (size_t i = 0; i < m->cond_objects.n; i++)
		FUZZ_CHECK(ku_endswith(m->cond_objects.v[i], ".o"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	ku_strv names = {0};
	kb_list_modules(text, &names);
	for (size_t i = 0; i < names.n && i < FUZZ_MAX_NAMES; i++) {
		kb_module *m = NULL;
		/* every listed module is found by the one-file reader */
		FUZZ_CHECK(kb_module_from_makefile("/nonexistent/kpiport-fuzz", "drivers/x", text, names.v[i], &m) == 0);
		check_module(m, names.v[i]);
		kb_module_free(m);
	}

	const char *tree = fuzz_dir();
	fuzz_write(tree, "Makefile", text, strlen(text));
	kb_index *ix = kb_index_build(tree, "x86");
	FUZZ_CHECK(!ix == !names.n); /* the index sees the modules the list sees */
	for (size_t i = 0; ix && i < names.n && i < FUZZ_MAX_NAMES; i++) {
		kb_module *m = NULL;
		/* no .c exists in the scratch tree: loading fails after parsing */
		if (kb_resolve(ix, tree, names.v[i], tree, &m) == 0) {
			check_module(m, m->name);
			ku_strv comp = {0};
			kb_companions(ix, m, &comp);
			ku_strv_free(&comp);
			kb_module_free(m);
		}
	}
	if (ix) {
		kb_module *m = NULL;
		/* a name that is not there, and a symbol: the suggestion and symbol paths */
		FUZZ_CHECK(kb_resolve(ix, tree, "zz-kpiport-fuzz-none", tree, &m) != 0 && !m);
		if (names.n && kb_resolve(ix, tree, "CONFIG_FOO", tree, &m) == 0)
			kb_module_free(m);
	}
	kb_index_free(ix);
	ku_strv_free(&names);
	free(text);
	return 0;
}
