/* kp_rewrite_ahead.c: the structural rule groups run ahead of the rewrite
 * stage (see krw_speculate in kp_rewrite.h).  The groups must run one after
 * another on the port (each is a commit of its own, and each sees the
 * last one's output), and the rename group needs the resolve stage's
 * dispositions, but the structural groups need neither: run in a worker
 * while libclang analyses the driver, on the driver's sources as the tree
 * has them, they leave in spatch's cache exactly the results the rewrite
 * stage then asks for (the cache is keyed by rule, file name and content).
 * A guess that turns out wrong (an earlier group changed a file in
 * another way, a `;` was added after an entry macro) costs only the work
 * done ahead: the rewrite stage computes what it does not find. */
#define _GNU_SOURCE
#include "kp_rewrite.h"
#include "kp_spatch.h"

#include <stdlib.h>
#include <string.h>

int krw_speculate(const char *rules, const ku_strv *sources)
{
	ksp_group *groups;
	size_t ng;
	if (ksp_load_groups(rules, &groups, &ng) != 0)
		return 1;
	char tmpl[] = "/tmp/kpiport-ahead.XXXXXX";
	char *dir = mkdtemp(tmpl);
	ksp_file *files = ku_calloc(sources->n + 1, sizeof *files);
	size_t n = 0;
	for (size_t i = 0; dir && i < sources->n; i++) {
		const char *base = ku_basename(sources->v[i]);
		char *copy = ku_path_join(dir, base);
		/* Two sources of one name: the first only (the cache key has the name). */
		if (ku_endswith(base, ".c") && !ku_exists(copy) && ku_copy_file(sources->v[i], copy) == 0)
			files[n++].path = copy;
		else
			free(copy);
	}
	for (size_t g = 0; g < ng; g++) {
		/* rename: the resolve stage's dispositions; the generic entry: the
		 * analysis's entry points.  Neither is known yet. */
		if (!strcmp(groups[g].id, "rename") || groups[g].entry_generic)
			continue;
		if (ksp_apply(&groups[g], files, n, 1) < 0)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].path);
	free(files);
	if (dir)
		ku_rm_rf(dir);
	ksp_free_groups(groups, ng);
	return 0;
}
