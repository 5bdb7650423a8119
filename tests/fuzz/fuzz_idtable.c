/* fuzz_idtable.c: libFuzzer harness for the module-facts analysis of
 * translator/kp_analyze_module.c - device ID table evaluation (every
 * initializer of an array of struct *_device_id evaluated and cut to its
 * field's width), module parameters, modinfo strings, entry points - and
 * the reference walk of kp_analyze_refs.c it runs with.  That code reads
 * the driver's C source through libclang, so the input is a C source
 * file: it is parsed by ka_analyze_source exactly as a driver is, after a
 * prelude header (fuzz_idtable_prelude.h, written for kpiport: no kernel
 * headers) that declares *_device_id structs and module macros the seeds
 * use.  Only kpiport's code is instrumented, so coverage steers towards
 * new paths of the analysis, not of clang.  Inputs that could make clang
 * read other files (#include, #import, #embed) are skipped.
 * Oracles: the document has the documented shape, every ID table entry
 * has every field of its struct, and an integer field fits its width. */
#include "fuzz_util.h"
#include "kp_analyze.h"

#include <jansson.h>

static char fuzz_prelude[512], fuzz_src[512], fuzz_drv[512];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* No crash-recovery signal handlers and no parse thread inside libclang:
	 * libFuzzer owns the signals, and the sanitizers see one thread. */
	setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
	setenv("LIBCLANG_NOTHREADS", "1", 1);
	const char *dir = fuzz_dir();
	snprintf(fuzz_drv, sizeof fuzz_drv, "%s/drv", dir);
	if (mkdir(fuzz_drv, 0700) != 0)
		abort();
	snprintf(fuzz_src, sizeof fuzz_src, "%s/drv/fuzz.c", dir);
	snprintf(fuzz_prelude, sizeof fuzz_prelude, "%s/fuzz_idtable_prelude.h", FUZZ_SOURCE_DIR);
	return 0;
}

static void check_doc(json_t *doc)
{
	static const char *const arrays[] = {"files", "symbols", "entry_points", "params", "id_tables",
					     "libc_collisions", "defines", "modinfo"};
	FUZZ_CHECK(json_is_object(doc));
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
		FUZZ_CHECK(json_is_array(json_object_get(doc, arrays[i])));
	size_t i, j;
	json_t *tab, *id;
	json_array_foreach(json_object_get(doc, "id_tables"), i, tab) {
		FUZZ_CHECK(json_is_string(json_object_get(tab, "name")));
		FUZZ_CHECK(json_is_string(json_object_get(tab, "bus")));
		json_t *ids = json_object_get(tab, "ids"), *first = NULL;
		FUZZ_CHECK(json_is_array(ids));
		json_array_foreach(ids, j, id) {
			FUZZ_CHECK(json_is_object(id));
			if (!first)
				first = id;
			FUZZ_CHECK(json_object_size(id) == json_object_size(first)); /* every field, every entry */
			json_t *v = json_object_get(id, "vendor");
			/* pci_device_id.vendor is a __u32 of the prelude */
			if (json_is_integer(v) && !strcmp(json_string_value(json_object_get(tab, "struct")), "pci_device_id"))
				FUZZ_CHECK(json_integer_value(v) >= 0 && json_integer_value(v) <= 0xffffffffLL);
		}
	}
	char *dump = json_dumps(doc, JSON_COMPACT);
	FUZZ_CHECK(dump != NULL);
	free(dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (strstr(text, "include") || strstr(text, "import") || strstr(text, "embed")) {
		free(text);
		return -1;
	}
	fuzz_write(fuzz_drv, "fuzz.c", text, strlen(text));
	free(text);
	ku_strv args = {0};
	const char *flags[] = {"-x", "c", "-std=gnu11", "-nostdinc", "-ffreestanding", "-DMODULE", "-include", fuzz_prelude};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		ku_strv_push(&args, flags[i]);
	ka_source src = {.tree = fuzz_dir(), .builddir = fuzz_dir(), .path = fuzz_src, .driver_dir = fuzz_drv,
			 .args = &args};
	json_t *doc = NULL;
	if (ka_analyze_source(&src, &doc) == 0)
		check_doc(doc);
	json_decref(doc);
	ku_strv_free(&args);
	return 0;
}
