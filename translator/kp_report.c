/* kp_report.c: typed stage outputs -> report.json (see kp_report.h).
 * Objects are built key by key in a fixed order and dumped unsorted, so
 * the same port gives the same bytes; inventory objects keep the sorted key
 * order the analysis cache has always had. */
#define _GNU_SOURCE
#include "kp_report.h"

#include <stdlib.h>
#include <string.h>

static json_t *strv_json(const ku_strv *sv)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- the inventory (keys of its objects in name order) ---- */

static json_t *symbol_json(const ki_symbol *s)
{
	json_t *o = json_object(), *sites = json_array();
	for (size_t i = 0; i < s->nsites; i++)
		json_array_append_new(sites, json_pack("{s:i,s:s,s:i}", "col", (json_int_t)s->sites[i].col,
						       "file", s->sites[i].file, "line",
						       (json_int_t)s->sites[i].line));
	json_object_set_new(o, "direct", json_boolean(s->direct));
	if (s->function_like >= 0)
		json_object_set_new(o, "function_like", json_boolean(s->function_like));
	json_object_set_new(o, "header", json_string(s->header));
	json_object_set_new(o, "kind", json_string(ki_kind_name(s->kind)));
	json_object_set_new(o, "line", json_integer(s->line));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "prototype", json_string(s->prototype));
	json_object_set_new(o, "provided", json_string(ki_provided_name(s->provided)));
	json_object_set_new(o, "sites", sites);
	if (s->type)
		json_object_set_new(o, "type", json_string(s->type));
	if (s->underlying)
		json_object_set_new(o, "underlying", json_string(s->underlying));
	return o;
}

static json_t *entry_json(const ki_entry *e)
{
	json_t *o = json_object();
	if (e->driver)
		json_object_set_new(o, "driver", json_string(e->driver));
	json_object_set_new(o, "file", json_string(e->file));
	if (e->function)
		json_object_set_new(o, "function", json_string(e->function));
	json_object_set_new(o, "kind", json_string(e->kind));
	json_object_set_new(o, "line", json_integer(e->line));
	return o;
}

static json_t *param_json(const ki_param *p)
{
	json_t *o = json_object();
	if (p->array_count)
		json_object_set_new(o, "array_count", json_string(p->array_count));
	if (p->has_array_max)
		json_object_set_new(o, "array_max", json_integer(p->array_max));
	json_object_set_new(o, "description", str_or_null(p->description));
	json_object_set_new(o, "file", json_string(p->file));
	json_object_set_new(o, "line", json_integer(p->line));
	json_object_set_new(o, "name", json_string(p->name));
	if (p->ops)
		json_object_set_new(o, "ops", json_string(p->ops));
	if (p->has_perm)
		json_object_set_new(o, "perm", json_integer(p->perm));
	json_object_set_new(o, "type", str_or_null(p->type));
	if (p->variable)
		json_object_set_new(o, "variable", json_string(p->variable));
	return o;
}

static json_t *table_json(const ki_idtable *t)
{
	json_t *o = json_object(), *ids = json_array();
	for (size_t i = 0; i < t->nids; i++) {
		json_t *id = json_object();
		for (size_t k = 0; k < t->ids[i].n; k++) {
			const ki_value *v = &t->ids[i].v[k];
			json_object_set_new(id, v->field, v->t == KI_VAL_INT   ? json_integer(v->i)
							  : v->t == KI_VAL_STR ? json_string(v->s)
									       : json_null());
		}
		json_array_append_new(ids, id);
	}
	json_object_set_new(o, "bus", json_string(t->bus));
	json_object_set_new(o, "device_table", json_boolean(t->device_table));
	json_object_set_new(o, "file", json_string(t->file));
	json_object_set_new(o, "ids", ids);
	json_object_set_new(o, "line", json_integer(t->line));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "struct", json_string(t->strct));
	return o;
}

json_t *krep_inventory(const ki_inventory *inv)
{
	json_t *o = json_object(), *a;
	json_object_set_new(o, "source", str_or_null(inv->source));
	json_object_set_new(o, "sources", strv_json(&inv->sources));
	json_object_set_new(o, "files", strv_json(&inv->files));
	a = json_array();
	for (size_t i = 0; i < inv->nsymbols; i++)
		json_array_append_new(a, symbol_json(&inv->symbols[i]));
	json_object_set_new(o, "symbols", a);
	a = json_array();
	for (size_t i = 0; i < inv->nentries; i++)
		json_array_append_new(a, entry_json(&inv->entries[i]));
	json_object_set_new(o, "entry_points", a);
	a = json_array();
	for (size_t i = 0; i < inv->nparams; i++)
		json_array_append_new(a, param_json(&inv->params[i]));
	json_object_set_new(o, "params", a);
	a = json_array();
	for (size_t i = 0; i < inv->ntables; i++)
		json_array_append_new(a, table_json(&inv->tables[i]));
	json_object_set_new(o, "id_tables", a);
	a = json_array();
	for (size_t i = 0; i < inv->nlibc; i++) {
		const ki_collision *c = &inv->libc[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:s}", "file", c->file, "kind",
						   ki_kind_name(c->kind), "line", (json_int_t)c->line,
						   "name", c->name));
	}
	json_object_set_new(o, "libc_collisions", a);
	json_object_set_new(o, "modinfo", strv_json(&inv->modinfo));
	json_object_set_new(o, "defines", strv_json(&inv->defines));
	return o;
}

/* ---- dispositions, imports, rule groups ---- */

static void set_opt(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

json_t *krep_dispositions(const kd_list *dl)
{
	json_t *a = json_array();
	for (size_t i = 0; i < dl->n; i++) {
		const kd_disp *d = &dl->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "symbol", json_string(d->symbol));
		if (d->for_imports)
			json_object_set_new(o, "needed_by", json_string("imports"));
		json_object_set_new(o, "kind", json_string(ki_kind_name(d->kind)));
		json_object_set_new(o, "provided", json_string(ki_provided_name(d->provided)));
		json_object_set_new(o, "header", json_string(d->header));
		set_opt(o, "prototype", d->prototype);
		json_object_set_new(o, "direct", json_boolean(d->direct));
		json_object_set_new(o, "sites", json_integer((json_int_t)d->sites));
		set_opt(o, "target", d->target);
		set_opt(o, "ret", d->ret);
		set_opt(o, "reason", d->reason);
		set_opt(o, "table", d->table);
		json_object_set_new(o, "disposition", json_string(km_kind_name(d->disposition)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *imports_json(const kres_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; r && i < r->nimports; i++)
		json_array_append_new(a, json_pack("{s:s,s:o,s:s}", "file", r->imports[i].file, "symbols",
						   strv_json(&r->imports[i].symbols), "reason",
						   r->imports[i].reason));
	return a;
}

/* How many names got each disposition, in order of first appearance. */
static json_t *summary_json(const kd_list *dl)
{
	json_t *sum = json_object();
	for (size_t i = 0; i < dl->n; i++) {
		const char *k = km_kind_name(dl->v[i].disposition);
		json_t *c = json_object_get(sum, k);
		json_object_set_new(sum, k, json_integer(c ? json_integer_value(c) + 1 : 1));
	}
	return sum;
}

static json_t *rules_json(const krw_result *rw)
{
	json_t *a = json_array();
	for (size_t i = 0; i < rw->ngroups; i++) {
		const krw_group *g = &rw->groups[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:i,s:i,s:o}", "group", g->group, "title",
						   g->title, "rule", g->rule, "sites", g->sites, "fixed_up",
						   g->fixed_up, "commit", str_or_null(g->commit)));
	}
	return a;
}

static json_t *misses_json(const krw_result *rw)
{
	json_t *a = json_array();
	for (size_t i = 0; i < rw->nmisses; i++) {
		const krw_miss *m = &rw->misses[i];
		json_array_append_new(a, json_pack("{s:s,s:i,s:i,s:s,s:s,s:s,s:s}", "file", m->file, "line",
						   m->line, "col", m->col, "symbol", m->symbol, "target",
						   m->target, "rule", m->rule, "resolution",
						   m->renamed ? "renamed by kpiport at libclang's position"
							      : "NOT renamed"));
	}
	return a;
}

char *krep_report_json(const krep_port *p)
{
	json_t *r = json_object();
	json_object_set_new(r, "report_version", json_integer(KREP_VERSION));
	json_object_set_new(r, "kpiport", json_string(KPIPORT_VERSION));
	json_t *tree = json_pack("{s:s,s:s}", "version", p->tree->version, "srcarch", p->tree->srcarch);
	if (p->compat) { /* which of runtime/lx's version adaptations this tree needs (kp_compat) */
		json_t *a = json_array();
		for (size_t i = 0; i < p->compat->n; i++) {
			const kcompat_item *c = &p->compat->v[i];
			json_array_append_new(a, json_pack("{s:s,s:b,s:s,s:s}", "name", c->name, "applied", c->applied,
							   "since", c->since, "what", c->what));
		}
		json_object_set_new(tree, "adaptations", a);
		if (p->compat->error)
			json_object_set_new(tree, "adaptations_error", json_string(p->compat->error));
	}
	json_object_set_new(r, "tree", tree);
	const kb_module *m = p->module;
	json_object_set_new(r, "module", json_pack("{s:s,s:s,s:o,s:o,s:o}", "name", m->name, "dir", m->dir,
						   "makefile", json_sprintf("%s:%d", m->makefile, m->line),
						   "symbol", json_sprintf("CONFIG_%s", m->symbol), "objects",
						   strv_json(&p->config->objects)));
	json_object_set_new(r, "config", json_pack("{s:s,s:o}", "fragment", p->config->fragment, "chain",
						   strv_json(&p->config->chain)));
	json_object_set_new(r, "summary", summary_json(&p->resolved->disps));
	json_object_set_new(r, "dispositions", krep_dispositions(&p->resolved->disps));
	json_object_set_new(r, "rules", rules_json(p->rewrite));
	json_object_set_new(r, "misses", misses_json(p->rewrite));
	json_object_set_new(r, "imports", imports_json(p->resolved));
	json_object_set_new(r, "inventory", krep_inventory(p->inventory));
	char *text = json_dumps(r, JSON_INDENT(2));
	json_decref(r);
	return text;
}

char *krep_scan_json(const ki_inventory *inv, const kd_list *disps, const kres_result *resolved)
{
	json_t *o = json_object();
	json_object_set_new(o, "inventory", krep_inventory(inv));
	json_object_set_new(o, "dispositions", krep_dispositions(disps));
	if (resolved)
		json_object_set_new(o, "imports", imports_json(resolved));
	char *text = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	return text;
}
