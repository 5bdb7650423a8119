/* fuzz_map.c: libFuzzer harness for the mapping-table loader
 * (translator/kp_map.c): the input is one table file's Lua text, loaded
 * by km_load_string in the sandbox (instruction and memory caps), then
 * every entry is read back.  Oracles: entries are sorted by symbol, the
 * same symbol twice only for disjoint Linux version ranges (since/before),
 * lookups find each symbol, each has the fields its kind requires
 * (mappings/README.md), and a line inside the chunk; and line endings do
 * not matter - the same text with every line break written as "\n" gives
 * the same entries at the same lines, or the same error. */
#include "fuzz_util.h"
#include "kp_map.h"

/* text with each line break ("\n", "\r", "\r\n", "\n\r") as one "\n" */
static char *lf_only(const char *text)
{
	char *o = strdup(text), *q = o;
	FUZZ_CHECK(o);
	for (const char *p = text; *p; p++) {
		if (*p != '\n' && *p != '\r') {
			*q++ = *p;
			continue;
		}
		if ((p[1] == '\n' || p[1] == '\r') && p[1] != *p)
			p++;
		*q++ = '\n';
	}
	*q = 0;
	return o;
}

static void same_result(const km_table *t, const char *err, const char *lf)
{
	km_table *u = km_load_string("fuzz.lua", lf);
	FUZZ_CHECK(!t == !u);
	if (!t)
		FUZZ_CHECK(!strcmp(err, ku_lasterr()));
	for (size_t i = 0; t && i < km_count(t); i++) {
		const km_entry *a = km_at(t, i), *b = km_at(u, i);
		FUZZ_CHECK(b && !strcmp(a->symbol, b->symbol) && a->kind == b->kind && a->line == b->line);
	}
	FUZZ_CHECK(!t || km_count(t) == km_count(u));
	km_free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	km_table *t = km_load_string("fuzz.lua", text);
	if (strchr(text, '\r')) {
		char *err = t ? NULL : strdup(ku_lasterr()), *lf = lf_only(text);
		same_result(t, err ? err : "", lf);
		free(err);
		free(lf);
	}
	if (t) {
		size_t n = km_count(t), lines = 1;
		/* lines as Lua counts them: "\n", "\r", "\r\n", "\n\r" are one break each */
		for (const char *p = text; *p; p++)
			if (*p == '\n' || *p == '\r') {
				lines++;
				if ((p[1] == '\n' || p[1] == '\r') && p[1] != *p)
					p++;
			}
		for (size_t i = 0; i < n; i++) {
			const km_entry *e = km_at(t, i);
			FUZZ_CHECK(e && e->symbol && e->kind > KM_NONE && e->kind <= KM_HEADER);
			FUZZ_CHECK(km_lookup(t, e->symbol) && !strcmp(km_lookup(t, e->symbol)->symbol, e->symbol));
			FUZZ_CHECK(i == 0 || strcmp(km_at(t, i - 1)->symbol, e->symbol) <= 0);
			if (i > 0 && !strcmp(km_at(t, i - 1)->symbol, e->symbol)) {
				/* versioned twins: one's range ends where the other's may begin */
				const km_entry *p = km_at(t, i - 1);
				FUZZ_CHECK((p->before && e->since && km_version_cmp(p->before, e->since) <= 0) ||
					   (e->before && p->since && km_version_cmp(e->before, p->since) <= 0));
			}
			FUZZ_CHECK(e->kind != KM_RENAME || (e->target && *e->target));
			FUZZ_CHECK(e->kind != KM_UNSUPPORTED || (e->reason && *e->reason));
			FUZZ_CHECK(e->file && !strcmp(e->file, "fuzz.lua"));
			FUZZ_CHECK(e->line >= 1 && (size_t)e->line <= lines);
			FUZZ_CHECK(e->area);
		}
		FUZZ_CHECK(km_at(t, n) == NULL);
		km_free(t);
	}
	free(text);
	return 0;
}
