/* kp_emit.c: the port dir's records (see kp_emit.h); report.md is written
 * here, report.json by kp_report. */
#define _GNU_SOURCE
#include "kp_emit.h"
#include "kp_buildfiles.h"
#include "kp_config.h"
#include "kp_git.h"
#include "kp_paths.h"
#include "kp_redox.h"
#include "kp_spatch.h"

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

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void md_list_disposition(ku_buf *md, const kd_list *dl, km_kind disp, const char *title)
{
	size_t n = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const kd_disp *d = &dl->v[i];
		if (d->disposition != disp)
			continue;
		if (n++ == 0)
			ku_buf_printf(md, "\n### %s\n\n| symbol | kind | declared in | detail |\n|---|---|---|---|\n",
				      title);
		const char *target = or_empty(d->target), *reason = or_empty(d->reason);
		const char *detail = *target ? target : *reason ? reason : or_empty(d->table);
		ku_buf_printf(md, "| `%s` | %s | %s | %s%s%s |\n", d->symbol, ki_kind_name(d->kind), d->header,
			      *target ? "→ `" : "", detail, *target ? "`" : "");
	}
}

static char *report_md(const kem_input *in, const char *redox_notes)
{
	const krep_port *p = &in->report;
	const kb_module *m = p->module;
	const ki_inventory *inv = p->inventory;
	const kd_list *dl = &p->resolved->disps;
	ku_buf md = {0};
	ku_buf_printf(&md, "# kpiport port of %s\n\n", m->name);
	ku_buf_printf(&md, "- Linux tree: %s, module `%s` in `%s` (CONFIG_%s, %s:%d)\n", p->tree->version,
		      m->name, m->dir, m->symbol, m->makefile, m->line);
	ku_buf_printf(&md, "- kpiport %s, %s\n", KPIPORT_VERSION, ksp_version());
	ku_buf_puts(&md, "- Review: `git log -p upstream..` (one commit per rule group); the same as "
			 "patches in `patches/`\n\n## Config dependency chain\n\n");
	for (size_t i = 0; i < p->config->chain.n; i++)
		ku_buf_printf(&md, "- %s\n", p->config->chain.v[i]);
	ku_buf_puts(&md, "\n## Rule groups\n\n| group | rule | sites | commit |\n|---|---|---|---|\n");
	for (size_t i = 0; i < p->rewrite->ngroups; i++) {
		const krw_group *g = &p->rewrite->groups[i];
		ku_buf_printf(&md, "| %s | %s | %lld | %.*s |\n", g->title, g->rule, (long long)g->sites,
			      g->commit ? 12 : 40, g->commit ? g->commit : "none: nothing to change");
	}
	ku_buf_printf(&md, "\n## Imported tree files (%zu)\n\n", p->resolved->nimports);
	for (size_t i = 0; i < p->resolved->nimports; i++)
		ku_buf_printf(&md, "- `%s`: %s\n", p->resolved->imports[i].file, p->resolved->imports[i].reason);
	ku_buf_printf(&md, "\n## Rename sites spatch did not reach (%zu)\n\n", p->rewrite->nmisses);
	if (p->rewrite->nmisses == 0)
		ku_buf_puts(&md, "None: every expected site was changed by the rule.\n");
	for (size_t i = 0; i < p->rewrite->nmisses; i++) {
		const krw_miss *x = &p->rewrite->misses[i];
		ku_buf_printf(&md, "- %s:%lld:%lld `%s` → `%s`: %s\n", x->file, (long long)x->line,
			      (long long)x->col, x->symbol, x->target,
			      x->renamed ? "renamed by kpiport at libclang's position" : "NOT renamed");
	}
	ku_buf_puts(&md, "\n## Entry points\n\n");
	for (size_t i = 0; i < inv->nentries; i++) {
		const ki_entry *x = &inv->entries[i];
		ku_buf_printf(&md, "- %s(%s) at %s:%lld\n", x->kind,
			      x->function && *x->function ? x->function : or_empty(x->driver), x->file,
			      (long long)x->line);
	}
	ku_buf_puts(&md, "\n## Module parameters\n\n");
	for (size_t i = 0; i < inv->nparams; i++)
		ku_buf_printf(&md, "- `%s` (%s): %s\n", inv->params[i].name, or_empty(inv->params[i].type),
			      or_empty(inv->params[i].description));
	ku_buf_puts(&md, "\n## Device ID tables\n");
	for (size_t i = 0; i < inv->ntables; i++) {
		const ki_idtable *x = &inv->tables[i];
		ku_buf_printf(&md, "\n`%s` (%s, %s:%lld):\n\n", x->name, x->bus, x->file, (long long)x->line);
		for (size_t k = 0; k < x->nids; k++)
			ku_buf_printf(&md, "- vendor 0x%04llx device 0x%04llx class 0x%06llx/0x%06llx\n",
				      ki_id_int(&x->ids[k], "vendor"), ki_id_int(&x->ids[k], "device"),
				      ki_id_int(&x->ids[k], "class"), ki_id_int(&x->ids[k], "class_mask"));
	}
	ku_buf_puts(&md, "\n## External API and dispositions\n");
	md_list_disposition(&md, dl, KM_UNSUPPORTED, "Unsupported");
	md_list_disposition(&md, dl, KM_STUB, "Stubs (porting TODO: fail loudly when reached)");
	md_list_disposition(&md, dl, KM_RENAME, "Renamed");
	md_list_disposition(&md, dl, KM_IMPORT, "Imported from the tree");
	md_list_disposition(&md, dl, KM_RUNTIME, "Implemented by the runtime");
	size_t nh = 0;
	for (size_t i = 0; i < dl->n; i++)
		nh += dl->v[i].disposition == KM_HEADER;
	ku_buf_printf(&md, "\n%zu further names are header-provided (inline functions, macros, types); "
			   "report.json lists them.\n", nh);
	for (size_t i = 0; i < inv->nlibc; i++) {
		if (i == 0)
			ku_buf_puts(&md, "\n## Driver globals that collide with libc\n\n"
					 "CMakeLists.txt renames each to kpi_drv_NAME for the link "
					 "(a compile definition; the source keeps its name).\n\n");
		ku_buf_printf(&md, "- `%s` at %s:%lld\n", inv->libc[i].name, inv->libc[i].file,
			      (long long)inv->libc[i].line);
	}
	ku_buf_printf(&md, "\n## Redox packaging\n\n`redox/recipe.toml` builds the daemon in Redox's cookbook; "
			  "`redox/pcid.d/` holds its pcid-spawner config.\n\n%s", redox_notes);
	return md.s;
}

/* The driver's PCI ID tables for kp_redox. */
static krx_pci_id *pci_ids(const ki_inventory *inv, size_t *n)
{
	krx_pci_id *v = NULL;
	*n = 0;
	for (size_t i = 0; i < inv->ntables; i++) {
		const ki_idtable *tab = &inv->tables[i];
		if (strcmp(tab->bus, "pci") != 0)
			continue;
		for (size_t k = 0; k < tab->nids; k++) {
			const ki_id *id = &tab->ids[k];
			v = ku_realloc(v, (*n + 1) * sizeof *v);
			krx_pci_id *x = &v[(*n)++];
			x->vendor = (unsigned)ki_id_int(id, "vendor");
			x->device = (unsigned)ki_id_int(id, "device");
			x->subvendor = (unsigned)ki_id_int(id, "subvendor");
			x->subdevice = (unsigned)ki_id_int(id, "subdevice");
			x->class_code = (unsigned)ki_id_int(id, "class");
			x->class_mask = (unsigned)ki_id_int(id, "class_mask");
			if (x->vendor == 0xffff) /* a 16-bit PCI_ANY_ID */
				x->vendor = KRX_ANY;
			if (x->device == 0xffff)
				x->device = KRX_ANY;
		}
	}
	return v;
}

static char *compile_commands(const kem_input *in)
{
	const kconf_config *cfg = in->report.config;
	const kres_result *res = in->report.resolved;
	const char *root = in->report.tree->root;
	json_t *a = json_array();
	char *outabs = ku_realpath(".");
	char *dir = in->out[0] == '/' ? ku_strdup(in->out) : ku_path_join(outabs, in->out);
	size_t nd = cfg->sources.n;
	for (size_t i = 0; i < nd + res->sources.n; i++) {
		int imp = i >= nd;
		const char *src = imp ? res->sources.v[i - nd] : cfg->sources.v[i];
		const ku_strv *sargs = imp ? &res->args[i - nd] : &cfg->args[i];
		char *rel = imp ? kpath_port_file(root, in->driver_dir, src + strlen(root) + 1)
				: ku_relpath_in(in->driver_dir, src);
		char *file = ku_path_join(dir, rel ? rel : ku_basename(src));
		json_t *e = json_object(), *args = json_array();
		json_array_append_new(args, json_string(KCFG_CC));
		for (size_t k = 0; k < sargs->n; k++)
			json_array_append_new(args, json_string(sargs->v[k]));
		json_array_append_new(args, json_string("-c"));
		json_array_append_new(args, json_string(file));
		json_object_set_new(e, "directory", json_string(cfg->builddir));
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

int kem_emit(const kem_input *in, const char *work)
{
	const krep_port *p = &in->report;
	const kb_module *m = p->module;
	kbf_port bf = {.module = m->name, .tree_root = p->tree->root, .driver_dir = in->driver_dir,
		       .config = p->config, .imp_sources = &p->resolved->sources,
		       .imp_args = p->resolved->args, .inventory = p->inventory, .nstubs = in->nstubs};
	/* The patch series first, so that it holds exactly the rule commits. */
	char *pdir = ku_path_join(work, "patches");
	const char *fp[] = {"format-patch", "-q", "--no-signature", "-o", pdir, "upstream..HEAD", NULL};
	int rc = kg_git(work, fp, NULL);
	free(pdir);
	if (rc != 0)
		return -1;
	char *rj = krep_report_json(p);
	size_t nids;
	krx_pci_id *ids = pci_ids(p->inventory, &nids);
	krx_pkg pkg;
	krx_package(m->name, p->tree->version, ids, nids, &pkg);
	free(ids);
	char *md = report_md(in, pkg.notes);
	char *pcid_rel = ku_printf("redox/pcid.d/%s", pkg.pcid_file);
	char *cc = compile_commands(in);
	char *cmake = kbf_cmake(&bf);
	ku_buf rec = {0};
	ku_buf_printf(&rec, "kpiport = %s\nlinux = %s\nmodule = %s\ndir = %s\nsymbol = CONFIG_%s\n"
			    "spatch = %s\ncc = %s\n", KPIPORT_VERSION, p->tree->version, m->name, m->dir,
		      m->symbol, ksp_version(), KCFG_CC);
	rc = write_text(work, "report.json", rj) || write_text(work, "report.md", md) ||
	     write_text(work, "config.fragment", p->config->fragment) ||
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
			      "`kpiport build` builds it.\n", m->name);
	rc = kg_commit_all(work, msg, NULL);
	free(msg);
	/* Absolute paths of this machine: written after the last commit, ignored by git. */
	if (rc == 0)
		rc = write_text(work, "compile_commands.json", cc);
	if (rc == 0)
		rc = kbf_machine_inputs(&bf, work);
	free(cc);
	return rc;
}
