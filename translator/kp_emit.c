/* kp_emit.c: the port dir's records: report.json (for tools), report.md
 * (for people), config.fragment, kpiport.record (versions), patches/ (the
 * rule commits as a format-patch series), compile_commands.json (clangd in
 * the port dir) and redox/ (pcid-spawner config from the device ID table,
 * cookbook recipe: kp_redox).  Nothing here depends on time or machine state beyond the inputs,
 * so re-porting gives the same bytes. */
#define _GNU_SOURCE
#include "kp_port.h"
#include "kp_config.h"
#include "kp_git.h"
#include "kp_redox.h"
#include "kp_rewrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int write_text(const char *work, const char *rel, const char *text)
{
	char *path = ku_path_join(work, rel);
	char *dir = ku_dirname(path);
	int rc = ku_mkdir_p(dir) || ku_write_file(path, text, strlen(text));
	free(path), free(dir);
	return rc ? -1 : 0;
}

static json_t *strv_json(const ku_strv *sv)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *summary(const kp_port *p)
{
	json_t *sum = json_object();
	size_t i;
	json_t *d;
	json_array_foreach(p->dispositions, i, d) {
		const char *k = kp_jstr(d, "disposition");
		json_t *c = json_object_get(sum, k);
		json_object_set_new(sum, k, json_integer(c ? json_integer_value(c) + 1 : 1));
	}
	return sum;
}

static json_t *report_json(const kp_port *p)
{
	json_t *r = json_object();
	json_object_set_new(r, "kpiport", json_string(KPIPORT_VERSION));
	json_t *tree = json_object();
	json_object_set_new(tree, "version", json_string(p->tree.version));
	json_object_set_new(tree, "srcarch", json_string(p->tree.srcarch));
	json_object_set_new(r, "tree", tree);
	json_t *m = json_object();
	json_object_set_new(m, "name", json_string(p->module->name));
	json_object_set_new(m, "dir", json_string(p->module->dir));
	json_object_set_new(m, "makefile", json_sprintf("%s:%d", p->module->makefile, p->module->line));
	json_object_set_new(m, "symbol", json_sprintf("CONFIG_%s", p->module->symbol));
	json_object_set_new(m, "objects", strv_json(&p->objects));
	json_object_set_new(r, "module", m);
	json_t *cfg = json_object();
	json_object_set_new(cfg, "fragment", json_string(p->fragment));
	json_object_set_new(cfg, "chain", strv_json(&p->chain));
	json_object_set_new(r, "config", cfg);
	json_object_set_new(r, "summary", summary(p));
	json_object_set(r, "dispositions", p->dispositions);
	json_object_set(r, "rules", p->rules_log);
	json_object_set(r, "misses", p->misses);
	json_object_set_new(r, "imports", p->imports ? json_incref(p->imports) : json_array());
	json_object_set(r, "inventory", p->inventory);
	return r;
}

static void md_list_disposition(ku_buf *md, const kp_port *p, const char *disp, const char *title)
{
	size_t i, n = 0;
	json_t *d;
	json_array_foreach(p->dispositions, i, d) {
		if (strcmp(kp_jstr(d, "disposition"), disp) != 0)
			continue;
		if (n++ == 0)
			ku_buf_printf(md, "\n### %s\n\n| symbol | kind | declared in | detail |\n|---|---|---|---|\n",
				      title);
		const char *detail = *kp_jstr(d, "target") ? kp_jstr(d, "target")
				     : *kp_jstr(d, "reason") ? kp_jstr(d, "reason") : kp_jstr(d, "table");
		ku_buf_printf(md, "| `%s` | %s | %s | %s%s%s |\n", kp_jstr(d, "symbol"), kp_jstr(d, "kind"),
			      kp_jstr(d, "header"), *kp_jstr(d, "target") ? "→ `" : "", detail,
			      *kp_jstr(d, "target") ? "`" : "");
	}
}

static char *report_md(const kp_port *p, const char *redox_notes)
{
	ku_buf md = {0};
	json_t *inv = p->inventory;
	ku_buf_printf(&md, "# kpiport port of %s\n\n", p->module->name);
	ku_buf_printf(&md, "- Linux tree: %s, module `%s` in `%s` (CONFIG_%s, %s:%d)\n", p->tree.version,
		      p->module->name, p->module->dir, p->module->symbol, p->module->makefile,
		      p->module->line);
	ku_buf_printf(&md, "- kpiport %s, %s\n", KPIPORT_VERSION, kr_spatch_version());
	ku_buf_puts(&md, "- Review: `git log -p upstream..` (one commit per rule group); the same as "
			 "patches in `patches/`\n\n## Config dependency chain\n\n");
	for (size_t i = 0; i < p->chain.n; i++)
		ku_buf_printf(&md, "- %s\n", p->chain.v[i]);
	ku_buf_puts(&md, "\n## Rule groups\n\n| group | rule | sites | commit |\n|---|---|---|---|\n");
	size_t i;
	json_t *x;
	json_array_foreach(p->rules_log, i, x)
		ku_buf_printf(&md, "| %s | %s | %lld | %.*s |\n", kp_jstr(x, "title"), kp_jstr(x, "rule"),
			      (long long)json_integer_value(json_object_get(x, "sites")),
			      *kp_jstr(x, "commit") ? 12 : 40,
			      *kp_jstr(x, "commit") ? kp_jstr(x, "commit") : "none: nothing to change");
	ku_buf_printf(&md, "\n## Imported tree files (%zu)\n\n", json_array_size(p->imports));
	json_array_foreach(p->imports, i, x)
		ku_buf_printf(&md, "- `%s`: %s\n", kp_jstr(x, "file"), kp_jstr(x, "reason"));
	ku_buf_printf(&md, "\n## Rename sites spatch did not reach (%zu)\n\n", json_array_size(p->misses));
	if (json_array_size(p->misses) == 0)
		ku_buf_puts(&md, "None: every expected site was changed by the rule.\n");
	json_array_foreach(p->misses, i, x)
		ku_buf_printf(&md, "- %s:%lld:%lld `%s` → `%s`: %s\n", kp_jstr(x, "file"),
			      (long long)json_integer_value(json_object_get(x, "line")),
			      (long long)json_integer_value(json_object_get(x, "col")), kp_jstr(x, "symbol"),
			      kp_jstr(x, "target"), kp_jstr(x, "resolution"));
	ku_buf_puts(&md, "\n## Entry points\n\n");
	json_array_foreach(json_object_get(inv, "entry_points"), i, x)
		ku_buf_printf(&md, "- %s(%s) at %s:%lld\n", kp_jstr(x, "kind"),
			      *kp_jstr(x, "function") ? kp_jstr(x, "function") : kp_jstr(x, "driver"), kp_jstr(x, "file"),
			      (long long)json_integer_value(json_object_get(x, "line")));
	ku_buf_puts(&md, "\n## Module parameters\n\n");
	json_array_foreach(json_object_get(inv, "params"), i, x)
		ku_buf_printf(&md, "- `%s` (%s): %s\n", kp_jstr(x, "name"), kp_jstr(x, "type"),
			      kp_jstr(x, "description"));
	ku_buf_puts(&md, "\n## Device ID tables\n");
	json_array_foreach(json_object_get(inv, "id_tables"), i, x) {
		ku_buf_printf(&md, "\n`%s` (%s, %s:%lld):\n\n", kp_jstr(x, "name"), kp_jstr(x, "bus"),
			      kp_jstr(x, "file"), (long long)json_integer_value(json_object_get(x, "line")));
		size_t k;
		json_t *id;
		json_array_foreach(json_object_get(x, "ids"), k, id)
			ku_buf_printf(&md, "- vendor 0x%04llx device 0x%04llx class 0x%06llx/0x%06llx\n",
				      (long long)json_integer_value(json_object_get(id, "vendor")),
				      (long long)json_integer_value(json_object_get(id, "device")),
				      (long long)json_integer_value(json_object_get(id, "class")),
				      (long long)json_integer_value(json_object_get(id, "class_mask")));
	}
	ku_buf_puts(&md, "\n## External API and dispositions\n");
	md_list_disposition(&md, p, "unsupported", "Unsupported");
	md_list_disposition(&md, p, "stub", "Stubs (porting TODO: fail loudly when reached)");
	md_list_disposition(&md, p, "rename", "Renamed");
	md_list_disposition(&md, p, "import", "Imported from the tree");
	md_list_disposition(&md, p, "runtime", "Implemented by the runtime");
	size_t nh = 0;
	json_array_foreach(p->dispositions, i, x)
		nh += strcmp(kp_jstr(x, "disposition"), "header") == 0;
	ku_buf_printf(&md, "\n%zu further names are header-provided (inline functions, macros, types); "
			   "report.json lists them.\n", nh);
	json_array_foreach(json_object_get(inv, "libc_collisions"), i, x) {
		if (i == 0)
			ku_buf_puts(&md, "\n## Driver globals that collide with libc\n\n"
					 "CMakeLists.txt renames each to kpi_drv_NAME for the link "
					 "(a compile definition; the source keeps its name).\n\n");
		ku_buf_printf(&md, "- `%s` at %s:%lld\n", kp_jstr(x, "name"), kp_jstr(x, "file"),
			      (long long)json_integer_value(json_object_get(x, "line")));
	}
	ku_buf_printf(&md, "\n## Redox packaging\n\n`redox/recipe.toml` builds the daemon in Redox's cookbook; "
			  "`redox/pcid.d/` holds its pcid-spawner config.\n\n%s", redox_notes);
	return md.s;
}

/* The driver's PCI ID tables as typed values for kp_redox (the JSON
 * inventory's edge). */
static krx_pci_id *pci_ids(const kp_port *p, size_t *n)
{
	krx_pci_id *v = NULL;
	size_t i, k;
	json_t *tab, *id;
	*n = 0;
	json_array_foreach(json_object_get(p->inventory, "id_tables"), i, tab) {
		if (strcmp(kp_jstr(tab, "bus"), "pci") != 0)
			continue;
		json_array_foreach(json_object_get(tab, "ids"), k, id) {
			v = ku_realloc(v, (*n + 1) * sizeof *v);
			krx_pci_id *x = &v[(*n)++];
			x->vendor = (unsigned)json_integer_value(json_object_get(id, "vendor"));
			x->device = (unsigned)json_integer_value(json_object_get(id, "device"));
			x->subvendor = (unsigned)json_integer_value(json_object_get(id, "subvendor"));
			x->subdevice = (unsigned)json_integer_value(json_object_get(id, "subdevice"));
			x->class_code = (unsigned)json_integer_value(json_object_get(id, "class"));
			x->class_mask = (unsigned)json_integer_value(json_object_get(id, "class_mask"));
			if (x->vendor == 0xffff) /* a 16-bit PCI_ANY_ID */
				x->vendor = KRX_ANY;
			if (x->device == 0xffff)
				x->device = KRX_ANY;
		}
	}
	return v;
}

static char *compile_commands(const kp_port *p)
{
	json_t *a = json_array();
	char *outabs = ku_realpath(".");
	char *dir = p->opt.out[0] == '/' ? ku_strdup(p->opt.out) : ku_path_join(outabs, p->opt.out);
	for (size_t i = 0; i < p->sources.n + p->imp_sources.n; i++) {
		int imp = i >= p->sources.n;
		const char *src = imp ? p->imp_sources.v[i - p->sources.n] : p->sources.v[i];
		const ku_strv *sargs = imp ? &p->imp_args[i - p->sources.n] : &p->args[i];
		char *rel = imp ? kp_port_path(p, src + strlen(p->tree.root) + 1)
				: ku_relpath_in(p->driver_dir, src);
		char *file = ku_path_join(dir, rel ? rel : ku_basename(src));
		json_t *e = json_object(), *args = json_array();
		json_array_append_new(args, json_string(KCFG_CC));
		for (size_t k = 0; k < sargs->n; k++)
			json_array_append_new(args, json_string(sargs->v[k]));
		json_array_append_new(args, json_string("-c"));
		json_array_append_new(args, json_string(file));
		json_object_set_new(e, "directory", json_string(p->builddir));
		json_object_set_new(e, "file", json_string(file));
		json_object_set_new(e, "arguments", args);
		json_array_append_new(a, e);
		free(rel), free(file);
	}
	char *s = json_dumps(a, JSON_INDENT(2));
	json_decref(a);
	free(outabs), free(dir);
	return s;
}

int kp_emit(kp_port *p, const char *work)
{
	/* The patch series first, so that it holds exactly the rule commits. */
	char *pdir = ku_path_join(work, "patches");
	const char *fp[] = {"format-patch", "-q", "--no-signature", "-o", pdir, "upstream..HEAD", NULL};
	int rc = kg_git(work, fp, NULL);
	free(pdir);
	if (rc != 0)
		return -1;
	json_t *r = report_json(p);
	char *rj = json_dumps(r, JSON_INDENT(2));
	json_decref(r);
	size_t nids;
	krx_pci_id *ids = pci_ids(p, &nids);
	krx_pkg pkg;
	krx_package(p->module->name, p->tree.version, ids, nids, &pkg);
	free(ids);
	char *md = report_md(p, pkg.notes);
	char *pcid_rel = ku_printf("redox/pcid.d/%s", pkg.pcid_file);
	char *cc = compile_commands(p);
	char *cmake = kp_port_cmake(p);
	ku_buf rec = {0};
	ku_buf_printf(&rec, "kpiport = %s\nlinux = %s\nmodule = %s\ndir = %s\nsymbol = CONFIG_%s\n"
			    "spatch = %s\ncc = %s\n", KPIPORT_VERSION, p->tree.version, p->module->name,
		      p->module->dir, p->module->symbol, kr_spatch_version(), KCFG_CC);
	rc = write_text(work, "report.json", rj) || write_text(work, "report.md", md) ||
	     write_text(work, "config.fragment", p->fragment) ||
	     write_text(work, "kpiport.record", rec.s) ||
	     write_text(work, ".gitignore", "# machine-specific, regenerated by kpiport\ncompile_commands.json\n"
					   "kpiport-paths.cmake\nkbuild/\nbuild/\n") ||
	     write_text(work, "CMakeLists.txt", cmake) ||
	     (pkg.pcid_toml && write_text(work, pcid_rel, pkg.pcid_toml)) ||
	     write_text(work, "redox/recipe.toml", pkg.recipe);
	free(rj), free(md), free(cmake), free(pcid_rel);
	krx_pkg_free(&pkg);
	ku_buf_free(&rec);
	if (rc) {
		free(cc);
		return -1;
	}
	char *msg = ku_printf("kpiport: report, patch series and build records\n\n"
			      "report.md and report.json: the inventory of %s's external API and each name's "
			      "disposition;\npatches/: the rule commits as a patch series; config.fragment "
			      "and kpiport.record:\nwhat this port was made from; CMakeLists.txt: how "
			      "`kpiport build` builds it.\n", p->module->name);
	rc = kg_commit_all(work, msg, NULL);
	free(msg);
	/* Absolute paths of this machine: written after the last commit, ignored by git. */
	if (rc == 0)
		rc = write_text(work, "compile_commands.json", cc);
	if (rc == 0)
		rc = kp_port_build_inputs(p, work);
	free(cc);
	return rc;
}
