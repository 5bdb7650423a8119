/* kp_emit.c: the port dir's records: report.json (for tools), report.md
 * (for people), config.fragment, kpiport.record (versions), patches/ (the
 * rule commits as a format-patch series), compile_commands.json (clangd in
 * the port dir) and redox/pcid.toml (pcid-spawner config from the device ID
 * table).  Nothing here depends on time or machine state beyond the inputs,
 * so re-porting gives the same bytes. */
#define _GNU_SOURCE
#include "kp_port.h"
#include "kp_config.h"
#include "kp_git.h"
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

static char *report_md(const kp_port *p)
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
	return md.s;
}

/* pcid-spawner config (redox-api.md section 3): exact vendor/device pairs
 * go into one entry's `ids` map, class matches and wildcard vendors into
 * entries of their own.  Redox's first matching entry wins. */
static char *pcid_toml(const kp_port *p)
{
	ku_buf t = {0}, ids = {0}, extra = {0};
	json_t *byvendor = json_object();
	size_t i, k;
	json_t *tab, *id;
	json_array_foreach(json_object_get(p->inventory, "id_tables"), i, tab) {
		if (strcmp(kp_jstr(tab, "bus"), "pci") != 0)
			continue;
		json_array_foreach(json_object_get(tab, "ids"), k, id) {
			long long v = json_integer_value(json_object_get(id, "vendor"));
			long long d = json_integer_value(json_object_get(id, "device"));
			long long cl = json_integer_value(json_object_get(id, "class"));
			long long cm = json_integer_value(json_object_get(id, "class_mask"));
			int any_v = v == 0xffffffffLL || v == 0xffffLL, any_d = d == 0xffffffffLL || d == 0xffffLL;
			if (!any_v && !any_d && cm == 0) {
				char key[16];
				snprintf(key, sizeof key, "0x%04llx", v);
				json_t *arr = json_object_get(byvendor, key);
				if (!arr)
					json_object_set_new(byvendor, key, arr = json_array());
				json_array_append_new(arr, json_integer(d));
				continue;
			}
			ku_buf one = {0};
			ku_buf_printf(&one, "\n[[drivers]]\nname = \"%s\"\n", p->module->name);
			if (!any_v)
				ku_buf_printf(&one, "vendor = 0x%04llx\n", v);
			if (!any_d)
				ku_buf_printf(&one, "device = 0x%04llx\n", d);
			if ((cm >> 16 & 0xff) == 0xff)
				ku_buf_printf(&one, "class = 0x%02llx\n", cl >> 16 & 0xff);
			if ((cm >> 8 & 0xff) == 0xff)
				ku_buf_printf(&one, "subclass = 0x%02llx\n", cl >> 8 & 0xff);
			if ((cm & 0xff) == 0xff)
				ku_buf_printf(&one, "interface = 0x%02llx\n", cl & 0xff);
			ku_buf_printf(&one, "command = [\"%s\"]\n", p->module->name);
			/* Entries that differ only in what pcid cannot match on
			 * (subvendor, subdevice) collapse into one. */
			if (!strstr(ku_buf_str(&extra), one.s))
				ku_buf_puts(&extra, one.s);
			ku_buf_free(&one);
		}
	}
	const char *key;
	json_t *arr;
	json_object_foreach(byvendor, key, arr) {
		ku_buf_printf(&ids, "%s\"%s\" = [", ids.len ? ", " : "", key);
		json_array_foreach(arr, k, id)
			ku_buf_printf(&ids, "%s0x%04llx", k ? ", " : "", (long long)json_integer_value(id));
		ku_buf_puts(&ids, "]");
	}
	if (ids.len || extra.len)
		ku_buf_printf(&t, "# pcid-spawner config for %s, generated by kpiport from the driver's "
				  "PCI device ID table.\n", p->module->name);
	if (ids.len)
		ku_buf_printf(&t, "\n[[drivers]]\nname = \"%s\"\nids = { %s }\ncommand = [\"%s\"]\n",
			      p->module->name, ids.s, p->module->name);
	if (extra.len)
		ku_buf_puts(&t, extra.s);
	json_decref(byvendor);
	ku_buf_free(&ids);
	ku_buf_free(&extra);
	return t.s;
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
	char *md = report_md(p);
	char *toml = pcid_toml(p);
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
	     (toml && write_text(work, "redox/pcid.toml", toml));
	free(rj), free(md), free(toml), free(cmake);
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
