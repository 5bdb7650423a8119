/* test_kconfig.c: unit tests of translator/kp_kconfig.c on the miniature
 * Kconfig tree in tests/unit/data/kconfig (argv[1]): parsing (source
 * variants, blocks, help text), dependency text, fragments and chains, and
 * kc_first_missing against hand-written .config texts, architecture
 * symbols (kc_arch_symbol: what makes a driver not applicable). */
#include "kp_kconfig.h"
#include "ktest.h"

#include <stdlib.h>

static const char *dir;

static void check_lines(const ku_strv *got, const char *const *want, size_t n)
{
	CHECK_INT(got->n, n);
	for (size_t i = 0; i < n && i < got->n; i++)
		CHECK_STR(got->v[i], want[i]);
	if (got->n != n)
		for (size_t i = 0; i < got->n; i++)
			fprintf(stderr, "  got[%zu] = %s\n", i, got->v[i]);
}

static void test_parse(const kc_tree *kc)
{
	CHECK_INT(kc_count(kc), 34);
	CHECK(kc_exists(kc, "NET"));
	CHECK(kc_exists(kc, "MODE_X"));
	CHECK(kc_exists(kc, "MISC_OLD"));
	CHECK(kc_exists(kc, "CONFIG_DRV_A"));
	CHECK(kc_exists(kc, "ENDS_HELP"));       /* help ends when indentation drops */
	CHECK(!kc_exists(kc, "FAKE_FROM_HELP")); /* keywords inside help text */
	CHECK(!kc_exists(kc, "ARM_ONLY"));       /* $(SRCARCH) is x86 */
	CHECK(!kc_exists(kc, "UNDEFINED_SYM"));  /* referenced, never defined */
	CHECK(!kc_exists(kc, "NOPE"));

	CHECK_INT(kc_symbol_type(kc, "DRV_A"), KC_TRISTATE);
	CHECK_INT(kc_symbol_type(kc, "DRV_C"), KC_TRISTATE); /* def_tristate */
	CHECK_INT(kc_symbol_type(kc, "X86"), KC_BOOL);        /* def_bool */
	CHECK_INT(kc_symbol_type(kc, "NAME_STR"), KC_STRING);
	CHECK_INT(kc_symbol_type(kc, "COUNT"), KC_INT);
	CHECK_INT(kc_symbol_type(kc, "BASE_ADDR"), KC_HEX);
	CHECK_INT(kc_symbol_type(kc, "NOPE"), KC_UNKNOWN);

	CHECK(kc_has_prompt(kc, "NET"));
	CHECK(kc_has_prompt(kc, "DRV_A"));
	CHECK(kc_has_prompt(kc, "DRV_A_DEBUG")); /* bool "..." if EXPERT */
	CHECK(!kc_has_prompt(kc, "DRV_C"));
	CHECK(!kc_has_prompt(kc, "CRCX"));
	CHECK(!kc_has_prompt(kc, "HAVE_BUS"));
	CHECK(kc_has_prompt(kc, "LATE")); /* a later definition brings the prompt */

	CHECK_STR(kc_where(kc, "DRV_A"), "drivers/net/Kconfig:14");
	CHECK_STR(kc_where(kc, "MISC_DEV"), "drivers/misc/Kconfig:4"); /* via rsource */
	CHECK_STR(kc_where(kc, "X86"), "arch/x86/Kconfig:1");
	CHECK_STR(kc_where(kc, "LATE"), "drivers/net/Kconfig:73");
	CHECK(kc_where(kc, "NOPE") == NULL);

	CHECK_STR(kc_depends(kc, "DRV_A"), "BUS && !BROKEN && VENDOR_A && NETDEVS");
	CHECK_STR(kc_depends(kc, "VENDOR_A"), "((LEGACY && X86) || BUS) && NETDEVS");
	CHECK_STR(kc_depends(kc, "MODE_X"), "DRV_A && NETDEVS"); /* choice + if */
	CHECK_STR(kc_depends(kc, "MISC_DEV"), "NET && NETDEVS && BUS"); /* continuation + menu */
	CHECK_STR(kc_depends(kc, "DRV_B"), "(UNDEFINED_SYM || BUS) && NETDEVS");
	CHECK_STR(kc_depends(kc, "LATE"), "NET");
	CHECK_STR(kc_depends(kc, "NET"), "");
	CHECK_STR(kc_depends(kc, "NET_EXTRA"), "NET");
	CHECK(kc_depends(kc, "NOPE") == NULL);
}

static void test_fragment(const kc_tree *kc)
{
	ku_strv lines = {0}, chain = {0};

	CHECK(kc_fragment(kc, "DRV_A", 1, &lines, &chain) == 0);
	static const char *const drv_a_m[] = {"CONFIG_MODULES=y", "CONFIG_BUS=y", "CONFIG_NET=y",
		"CONFIG_NETDEVS=y", "CONFIG_VENDOR_A=y", "CONFIG_DRV_A=m"};
	check_lines(&lines, drv_a_m, 6);
	static const char *const drv_a_chain[] = {
		"MODULES (needed to build DRV_A as a module)",
		"HAVE_BUS (BUS: depends on HAVE_BUS; no prompt: it comes from select or default)",
		"BUS (DRV_A: depends on BUS)",
		"NET (NETDEVS: depends on NET)",
		"NETDEVS (VENDOR_A: inside `if NETDEVS` (drivers/net/Kconfig:5))",
		"VENDOR_A (DRV_A: inside `if VENDOR_A` (drivers/net/Kconfig:12))",
		"DRV_A (requested)"};
	check_lines(&chain, drv_a_chain, 7);
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	CHECK(kc_fragment(kc, "CONFIG_DRV_A", 0, &lines, &chain) == 0);
	static const char *const drv_a_y[] = {"CONFIG_BUS=y", "CONFIG_NET=y", "CONFIG_NETDEVS=y",
		"CONFIG_VENDOR_A=y", "CONFIG_DRV_A=y"};
	check_lines(&lines, drv_a_y, 5);
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* A || B: the first alternative that can hold */
	CHECK(kc_fragment(kc, "DRV_B", 0, &lines, &chain) == 0);
	static const char *const drv_b[] = {"CONFIG_BUS=y", "CONFIG_NET=y", "CONFIG_NETDEVS=y",
		"CONFIG_DRV_B=y"};
	check_lines(&lines, drv_b, 4);
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* `A || !A` and `A || A=n` need nothing; `!X86 || B` needs B (X86 is def_bool y) */
	CHECK(kc_fragment(kc, "DRV_E", 0, &lines, &chain) == 0);
	static const char *const drv_e[] = {"CONFIG_BUS=y", "CONFIG_NET=y", "CONFIG_NETDEVS=y",
		"CONFIG_DRV_E=y"};
	check_lines(&lines, drv_e, 4);
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* A = y enables A (=y even when asked for a module), prompt `if` too; bool stays y */
	CHECK(kc_fragment(kc, "DRV_A_DEBUG", 1, &lines, &chain) == 0);
	static const char *const dbg[] = {"CONFIG_BUS=y", "CONFIG_NET=y", "CONFIG_NETDEVS=y",
		"CONFIG_VENDOR_A=y", "CONFIG_DRV_A=y", "CONFIG_EXPERT=y", "CONFIG_DRV_A_DEBUG=y"};
	check_lines(&lines, dbg, 7);
	CHECK_INT(chain.n, 8);
	if (chain.n == 8)
		CHECK_STR(chain.v[6], "EXPERT (DRV_A_DEBUG: its prompt shows only if EXPERT)");
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* choice member: the choice's depends come along */
	CHECK(kc_fragment(kc, "MODE_Y", 0, &lines, &chain) == 0);
	CHECK_INT(lines.n, 6);
	if (lines.n == 6) {
		CHECK_STR(lines.v[4], "CONFIG_DRV_A=y");
		CHECK_STR(lines.v[5], "CONFIG_MODE_Y=y");
	}
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* menu depends */
	CHECK(kc_fragment(kc, "MISC_DEV", 1, &lines, &chain) == 0);
	static const char *const misc[] = {"CONFIG_MODULES=y", "CONFIG_NET=y", "CONFIG_NETDEVS=y",
		"CONFIG_BUS=y", "CONFIG_MISC_DEV=m"};
	check_lines(&lines, misc, 5);
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* no prompt: through the default (`def_tristate m` holds once its depends do) */
	CHECK(kc_fragment(kc, "DRV_C", 0, &lines, &chain) == 0);
	static const char *const drv_c[] = {"CONFIG_BUS=y", "CONFIG_NET=y", "CONFIG_NETDEVS=y"};
	check_lines(&lines, drv_c, 3);
	CHECK(chain.n > 0 && !strcmp(chain.v[chain.n - 1], "DRV_C (no prompt: set by its default y)"));
	ku_strv_free(&lines);
	ku_strv_free(&chain);
	/* ... the symbols of a default expression become modules like the target */
	CHECK(kc_fragment(kc, "NP_DEF", 1, &lines, &chain) == 0);
	static const char *const np_def[] = {"CONFIG_MODULES=y", "CONFIG_BUS=y", "CONFIG_NET=y",
		"CONFIG_NETDEVS=y", "CONFIG_DRV_B=m"};
	check_lines(&lines, np_def, 5);
	CHECK(chain.n > 0 && !strcmp(chain.v[chain.n - 1], "NP_DEF (no prompt: set by its default DRV_B && NET)"));
	ku_strv_free(&lines);
	ku_strv_free(&chain);
	/* ... or through a symbol that selects it */
	CHECK(kc_fragment(kc, "CRCX", 1, &lines, &chain) == 0);
	static const char *const crcx[] = {"CONFIG_MODULES=y", "CONFIG_BUS=y", "CONFIG_NET=y",
		"CONFIG_NETDEVS=y", "CONFIG_VENDOR_A=y", "CONFIG_DRV_A=m"};
	check_lines(&lines, crcx, 6);
	CHECK(chain.n > 0 && !strcmp(chain.v[chain.n - 1], "CRCX (no prompt: selected by DRV_A)"));
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	/* failures */
	CHECK(kc_fragment(kc, "DRV_D", 0, &lines, &chain) == -1);
	CHECK(strstr(ku_lasterr(), "NOT_DEFINED_ANYWHERE") != NULL);
	ku_strv_free(&lines);
	ku_strv_free(&chain);
	CHECK(kc_fragment(kc, "NP_NEVER", 1, &lines, &chain) == -1);
	CHECK(strstr(ku_lasterr(), "NP_NEVER (drivers/net/Kconfig:") != NULL);
	CHECK(strstr(ku_lasterr(), "has no prompt, and neither a default nor a select can set it") != NULL);
	ku_strv_free(&lines);
	ku_strv_free(&chain);
	/* another architecture's, or COMPILE_TEST: not applicable */
	CHECK(kc_fragment(kc, "DRV_ARM", 1, &lines, &chain) == -1);
	CHECK(strstr(ku_lasterr(), "not for x86_64: needs ARM_ONLY") == ku_lasterr());
	ku_strv_free(&lines);
	ku_strv_free(&chain);
	CHECK(kc_fragment(kc, "DRV_ARM2", 1, &lines, &chain) == -1); /* COMPILE_TEST && more */
	CHECK(strstr(ku_lasterr(), "not for x86_64: needs ARM_ONLY") == ku_lasterr());
	ku_strv_free(&lines);
	ku_strv_free(&chain);
	CHECK(kc_fragment(kc, "NAME_STR", 0, &lines, &chain) == -1);
	CHECK(kc_fragment(kc, "NOPE", 0, &lines, &chain) == -1);
	CHECK(strstr(ku_lasterr(), "no Kconfig symbol NOPE") != NULL);
	CHECK_INT(lines.n, 0);
	ku_strv_free(&lines);
	ku_strv_free(&chain);
}

static void test_first_missing(const kc_tree *kc)
{
	const char *all = "CONFIG_HAVE_BUS=y\nCONFIG_BUS=y\nCONFIG_NET=y\nCONFIG_NETDEVS=y\n"
			  "CONFIG_VENDOR_A=y\nCONFIG_DRV_A=m\n";
	CHECK(kc_first_missing(kc, "DRV_A", all) == NULL);
	CHECK_STR(kc_first_missing(kc, "DRV_A", "CONFIG_HAVE_BUS=y\nCONFIG_BUS=y\nCONFIG_NET=y\n"
						 "# CONFIG_NETDEVS is not set\nCONFIG_VENDOR_A=y\n"),
		  "NETDEVS");
	/* the deepest cause first */
	CHECK_STR(kc_first_missing(kc, "DRV_A", ""), "HAVE_BUS");
	CHECK_STR(kc_first_missing(kc, "DRV_A", "CONFIG_HAVE_BUS=y\r\nCONFIG_NET=m\r\n"), "BUS");
	/* A || B unmet: blames the alternative that could hold */
	CHECK_STR(kc_first_missing(kc, "VENDOR_A", "CONFIG_HAVE_BUS=y\nCONFIG_NET=y\nCONFIG_NETDEVS=y\n"),
		  "BUS");
	CHECK_STR(kc_first_missing(kc, "DRV_D", all), "NOT_DEFINED_ANYWHERE");
	CHECK(kc_first_missing(kc, "NOPE", all) == NULL);
}

/* Symbols only an architecture sets: this one's without a prompt, or another
 * one's (arch/arm/Kconfig is never sourced for x86). */
static void test_arch_symbols(const kc_tree *kc)
{
	CHECK_STR(kc_arch_name(kc), "x86_64");
	CHECK(kc_arch_symbol(kc, "HAVE_BUS"));
	CHECK(kc_arch_symbol(kc, "CONFIG_HAVE_BUS"));
	CHECK(!kc_arch_symbol(kc, "LATE")); /* defined in arch/, given a prompt by drivers/ */
	CHECK(!kc_exists(kc, "ARM_ONLY"));
	CHECK(kc_arch_symbol(kc, "ARM_ONLY"));
	CHECK(!kc_arch_symbol(kc, "NET"));                  /* a prompt outside arch/ */
	CHECK(!kc_arch_symbol(kc, "NOT_DEFINED_ANYWHERE")); /* a typo is not an architecture */
	CHECK(!kc_arch_symbol(kc, "ARM"));                  /* a prefix of ARM_ONLY */
	CHECK(!kc_arch_symbol(kc, NULL));
}

static void test_bad(void)
{
	static const char *const cases[][2] = {
		{"bad/source.Kconfig", "bad/nope/Kconfig"},
		{"bad/unclosed.Kconfig", "`if` never closed"},
		{"bad/mismatch.Kconfig", "bad/mismatch.Kconfig:4: endif without if"},
		/* garbage is an error with file:line, as in kconfig (issue 8) */
		{"bad/typo.Kconfig", "bad/typo.Kconfig:7: unknown Kconfig statement `tristat`"},
		{"bad/garbage.Kconfig", "bad/garbage.Kconfig:1: unknown Kconfig statement `this`"},
		{"bad/binary.Kconfig", "bad/binary.Kconfig:3: unknown Kconfig statement"},
		{"bad/orphan.Kconfig", "bad/orphan.Kconfig:3: `bool` outside a config, menu, choice or comment entry"},
		{"bad/name.Kconfig", "bad/name.Kconfig:1: `config TWO WORDS`: a symbol name is letters, digits and _"},
		{"bad/noexpr.Kconfig", "bad/noexpr.Kconfig:3: `if` without a condition"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *root = ku_path_join(dir, cases[i][0]);
		kc_tree *kc = kc_load_file(dir, root, "x86");
		CHECK(kc == NULL);
		if (!strstr(ku_lasterr(), cases[i][1]))
			fprintf(stderr, "%s: \"%s\" lacks \"%s\"\n", cases[i][0], ku_lasterr(), cases[i][1]);
		CHECK(strstr(ku_lasterr(), cases[i][1]) != NULL);
		kc_free(kc);
		free(root);
	}
}

/* What kconfig accepts besides entries (macros, ignored attributes) still loads. */
static void test_accepted(void)
{
	char *root = ku_path_join(dir, "good/macros.Kconfig");
	kc_tree *kc = kc_load_file(dir, root, "x86");
	if (!kc)
		fprintf(stderr, "good/macros.Kconfig: %s\n", ku_lasterr());
	CHECK(kc != NULL);
	CHECK_INT(kc_count(kc), 3);
	CHECK_INT(kc_symbol_type(kc, "A"), KC_INT);
	CHECK(kc_exists(kc, "C1"));
	kc_free(kc);
	free(root);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_kconfig DATA_DIR\n");
		return 2;
	}
	dir = argv[1];
	kc_tree *kc = kc_load(dir, "x86");
	if (!kc)
		fprintf(stderr, "kc_load: %s\n", ku_lasterr());
	CHECK(kc != NULL);
	if (kc) {
		test_parse(kc);
		test_fragment(kc);
		test_first_missing(kc);
		test_arch_symbols(kc);
		kc_free(kc);
	}
	test_bad();
	test_accepted();
	return KTEST_DONE();
}
