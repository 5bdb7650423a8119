/* test_kbuild_real.c: kp_kbuild.c and kp_kconfig.c on the real Linux tree
 * (argv[1]; exit 77 = skipped when it is absent): the ladder drivers resolve
 * by name, path, directory and Kconfig symbol to the right objects, and the
 * Kconfig chains name the symbols those drivers really need.  Prints the
 * index and Kconfig load times. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "kp_kbuild.h"
#include "kp_kconfig.h"
#include "ktest.h"

#include <stdlib.h>
#include <time.h>

static const char *tree;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resolves arg and checks name, symbol and (when given) the one source. */
static void check_module(kb_index *ix, const char *arg, const char *name, const char *symbol,
			 const char *source)
{
	kb_module *m = NULL;
	if (kb_resolve(ix, tree, arg, NULL, &m) != 0)
		fprintf(stderr, "resolving %s: %s\n", arg, ku_lasterr());
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(m->name, name);
	CHECK_STR(m->symbol, symbol);
	if (source) {
		CHECK_INT(m->sources.n, 1);
		if (m->sources.n == 1)
			CHECK_STR(m->sources.v[0], source);
	}
	kb_module_free(m);
}

static void test_kbuild(void)
{
	double t0 = now();
	kb_index *ix = kb_index_build(tree, "x86");
	double t1 = now();
	CHECK(ix != NULL);
	if (!ix) {
		fprintf(stderr, "kb_index_build: %s\n", ku_lasterr());
		return;
	}
	printf("kb_index_build: %zu objects in %.3f s\n", kb_index_size(ix), t1 - t0);
	CHECK(kb_index_size(ix) > 10000);

	check_module(ix, "8139too", "8139too", "8139TOO", "drivers/net/ethernet/realtek/8139too.c");
	check_module(ix, "CONFIG_8139TOO", "8139too", "8139TOO", "drivers/net/ethernet/realtek/8139too.c");
	check_module(ix, "drivers/net/ethernet/realtek/8139too.c", "8139too", "8139TOO", NULL);
	char *abs = ku_path_join(tree, "drivers/net/ethernet/realtek/8139too.c");
	check_module(ix, abs, "8139too", "8139TOO", NULL);
	free(abs);
	check_module(ix, "drivers/watchdog/i6300esb.c", "i6300esb", "I6300ESB_WDT", "drivers/watchdog/i6300esb.c");
	check_module(ix, "pvpanic-pci", "pvpanic-pci", "PVPANIC_PCI", "drivers/misc/pvpanic/pvpanic-pci.c");
	check_module(ix, "drivers/misc/pvpanic/pvpanic-pci.c", "pvpanic-pci", "PVPANIC_PCI", NULL);
	check_module(ix, "CONFIG_PVPANIC_PCI", "pvpanic-pci", "PVPANIC_PCI", NULL);
	check_module(ix, "ne2k-pci", "ne2k-pci", "NE2K_PCI", "drivers/net/ethernet/8390/ne2k-pci.c");
	check_module(ix, "pcnet32", "pcnet32", "PCNET32", "drivers/net/ethernet/amd/pcnet32.c");

	/* e1000: a directory, four objects from e1000-objs */
	kb_module *m = NULL;
	CHECK(kb_resolve(ix, tree, "drivers/net/ethernet/intel/e1000/", NULL, &m) == 0);
	if (m) {
		CHECK_STR(m->name, "e1000");
		CHECK_STR(m->symbol, "E1000");
		CHECK_STR(m->makefile, "drivers/net/ethernet/intel/e1000/Makefile");
		CHECK_INT(m->objects.n, 4);
		CHECK_INT(m->sources.n, 4);
		CHECK(ku_strv_has(&m->sources, "drivers/net/ethernet/intel/e1000/e1000_main.c"));
		CHECK(ku_strv_has(&m->sources, "drivers/net/ethernet/intel/e1000/e1000_param.c"));
	}
	kb_module_free(m);
	check_module(ix, "e1000", "e1000", "E1000", NULL);

	/* companions: what pvpanic-pci and ne2k-pci link with */
	m = NULL;
	CHECK(kb_resolve(ix, tree, "ne2k-pci", NULL, &m) == 0);
	if (m) {
		ku_strv comp = {0};
		kb_companions(ix, m, &comp);
		CHECK(ku_strv_has(&comp, "8390"));
		ku_strv_free(&comp);
	}
	kb_module_free(m);

	m = NULL;
	CHECK(kb_resolve(ix, tree, "8139", NULL, &m) == -1);
	CHECK(strstr(ku_lasterr(), "did you mean: ") && strstr(ku_lasterr(), "8139too"));
	CHECK(kb_resolve(ix, tree, "drivers/misc/pvpanic", NULL, &m) == -1);
	CHECK(strstr(ku_lasterr(), "pvpanic-pci") != NULL);
	kb_index_free(ix);
}

static int chain_has(const ku_strv *chain, const char *sym)
{
	size_t n = strlen(sym);
	for (size_t i = 0; i < chain->n; i++)
		if (!strncmp(chain->v[i], sym, n) && chain->v[i][n] == ' ')
			return 1;
	return 0;
}

static void test_kconfig(void)
{
	double t0 = now();
	kc_tree *kc = kc_load(tree, "x86");
	double t1 = now();
	CHECK(kc != NULL);
	if (!kc) {
		fprintf(stderr, "kc_load: %s\n", ku_lasterr());
		return;
	}
	printf("kc_load: %zu symbols in %.3f s\n", kc_count(kc), t1 - t0);
	CHECK(kc_count(kc) > 10000);
	CHECK_INT(kc_symbol_type(kc, "8139TOO"), KC_TRISTATE);
	CHECK(kc_has_prompt(kc, "8139TOO"));
	CHECK(!kc_has_prompt(kc, "HAVE_PCI"));
	CHECK_STR(kc_where(kc, "8139TOO"), "drivers/net/ethernet/realtek/Kconfig:46");
	CHECK(strstr(kc_depends(kc, "8139TOO"), "NET_VENDOR_REALTEK") != NULL);

	ku_strv lines = {0}, chain = {0};
	CHECK(kc_fragment(kc, "8139TOO", 1, &lines, &chain) == 0);
	static const char *const need[] = {"PCI", "NETDEVICES", "ETHERNET", "NET_VENDOR_REALTEK", "NET",
		"MODULES", "8139TOO"};
	for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
		if (!chain_has(&chain, need[i]))
			fprintf(stderr, "8139TOO chain lacks %s\n", need[i]);
		CHECK(chain_has(&chain, need[i]));
	}
	CHECK(ku_strv_has(&lines, "CONFIG_8139TOO=m"));
	CHECK(ku_strv_has(&lines, "CONFIG_NET_VENDOR_REALTEK=y"));
	for (size_t i = 0; i < chain.n; i++)
		printf("  8139TOO chain: %s\n", chain.v[i]);
	ku_strv_free(&lines);
	ku_strv_free(&chain);

	static const char *const ladder[][2] = {{"PVPANIC_PCI", "PVPANIC"}, {"E1000", "NET_VENDOR_INTEL"},
		{"I6300ESB_WDT", "WATCHDOG"}, {"NE2K_PCI", "NET_VENDOR_8390"}, {"PCNET32", "NET_VENDOR_AMD"}};
	for (size_t i = 0; i < sizeof ladder / sizeof *ladder; i++) {
		int rc = kc_fragment(kc, ladder[i][0], 1, &lines, &chain);
		if (rc)
			fprintf(stderr, "%s: %s\n", ladder[i][0], ku_lasterr());
		CHECK(rc == 0);
		if (!chain_has(&chain, ladder[i][1]))
			fprintf(stderr, "%s chain lacks %s\n", ladder[i][0], ladder[i][1]);
		CHECK(chain_has(&chain, ladder[i][1]));
		CHECK(chain_has(&chain, "PCI"));
		ku_strv_free(&lines);
		ku_strv_free(&chain);
	}
	CHECK_STR(kc_first_missing(kc, "PVPANIC_PCI", "CONFIG_PCI=y\nCONFIG_HAVE_PCI=y\n"), "PVPANIC");
	kc_free(kc);
}

int main(int argc, char **argv)
{
	char *kconfig = argc > 1 ? ku_path_join(argv[1], "Kconfig") : NULL;
	int present = kconfig && ku_is_file(kconfig);
	free(kconfig);
	if (!present) {
		printf("no Linux tree at %s: skipped\n", argc > 1 ? argv[1] : "(none)");
		return 77;
	}
	tree = argv[1];
	test_kbuild();
	test_kconfig();
	return KTEST_DONE();
}
