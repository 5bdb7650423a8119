/* kp_inv_read.c: the strict reader of the analysis cache's JSON documents
 * (ki_read_unit, see kp_inv.h).  It refuses what kp_analyze.h does not
 * write (an unknown key, a wrong type, a missing field), naming where, so a
 * stale or damaged cache entry is an error that names itself, never a
 * silent gap in the inventory. */
#define _GNU_SOURCE
#include "kp_inv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rd {
	const char *where; /* "symbols[3]" */
	int bad;
} rd;

static int fail(rd *r, const char *key, const char *what)
{
	if (!r->bad)
		ku_err("%s.%s: %s", r->where, key, what);
	r->bad = 1;
	return -1;
}

static char *str_of(rd *r, const char *key, json_t *v)
{
	if (!json_is_string(v))
		return fail(r, key, "not a string"), NULL;
	return ku_strdup(json_string_value(v));
}

/* A string, or NULL for JSON null. */
static char *str_or_null(rd *r, const char *key, json_t *v)
{
	return json_is_null(v) ? NULL : str_of(r, key, v);
}

static int int_of(rd *r, const char *key, json_t *v)
{
	if (!json_is_integer(v))
		return fail(r, key, "not an integer");
	return (int)json_integer_value(v);
}

static long long ll_of(rd *r, const char *key, json_t *v)
{
	if (!json_is_integer(v))
		return fail(r, key, "not an integer");
	return json_integer_value(v);
}

static const char *kind_name_of(int k)
{
	return ki_kind_name((ki_kind)k);
}

static const char *provided_name_of(int p)
{
	return ki_provided_name((ki_provided)p);
}

/* The enum value whose name(i) is v's string. */
static int kind_of(rd *r, const char *key, json_t *v, const char *(*name)(int), int n)
{
	const char *s = json_string_value(v);
	for (int i = 0; s && i < n; i++)
		if (!strcmp(s, name(i)))
			return i;
	fail(r, key, "not a known value");
	return 0;
}

static void strv_of(rd *r, const char *key, json_t *v, ku_strv *out)
{
	size_t i;
	json_t *x;
	if (!json_is_array(v)) {
		fail(r, key, "not an array");
		return;
	}
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			fail(r, key, "holds a non-string");
			return;
		}
		ku_strv_push(out, json_string_value(x));
	}
}

static void read_sites(rd *r, json_t *v, ki_symbol *s)
{
	if (!json_is_array(v)) {
		fail(r, "sites", "not an array");
		return;
	}
	s->sites = ku_calloc(json_array_size(v) + 1, sizeof *s->sites);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) {
		ki_site *t = &s->sites[s->nsites++];
		const char *key;
		json_t *val;
		json_object_foreach(x, key, val) {
			if (!strcmp(key, "file"))
				t->file = str_of(r, key, val);
			else if (!strcmp(key, "line"))
				t->line = int_of(r, key, val);
			else if (!strcmp(key, "col"))
				t->col = int_of(r, key, val);
			else
				fail(r, key, "unknown key in a site");
		}
		if (!t->file)
			fail(r, "sites", "a site without a file");
	}
}

static void read_symbol(rd *r, json_t *o, ki_symbol *s)
{
	s->function_like = -1;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "name"))
			s->name = str_of(r, key, v);
		else if (!strcmp(key, "kind"))
			s->kind = (ki_kind)kind_of(r, key, v, kind_name_of, 4);
		else if (!strcmp(key, "header"))
			s->header = str_of(r, key, v);
		else if (!strcmp(key, "line"))
			s->line = int_of(r, key, v);
		else if (!strcmp(key, "prototype"))
			s->prototype = str_of(r, key, v);
		else if (!strcmp(key, "provided"))
			s->provided = (ki_provided)kind_of(r, key, v, provided_name_of, 4);
		else if (!strcmp(key, "direct"))
			s->direct = json_is_boolean(v) ? json_is_true(v) : fail(r, key, "not a boolean");
		else if (!strcmp(key, "sites"))
			read_sites(r, v, s);
		else if (!strcmp(key, "type"))
			s->type = str_of(r, key, v);
		else if (!strcmp(key, "underlying"))
			s->underlying = str_of(r, key, v);
		else if (!strcmp(key, "function_like"))
			s->function_like = json_is_boolean(v) ? json_is_true(v) : fail(r, key, "not a boolean");
		else
			fail(r, key, "unknown key in a symbol");
	}
	if (!s->name || !s->header || !s->prototype)
		fail(r, "name", "a symbol needs name, header and prototype");
}

static void read_entry(rd *r, json_t *o, ki_entry *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "kind"))
			e->kind = str_of(r, key, v);
		else if (!strcmp(key, "function"))
			e->function = str_of(r, key, v);
		else if (!strcmp(key, "driver"))
			e->driver = str_of(r, key, v);
		else if (!strcmp(key, "file"))
			e->file = str_of(r, key, v);
		else if (!strcmp(key, "line"))
			e->line = int_of(r, key, v);
		else
			fail(r, key, "unknown key in an entry point");
	}
	if (!e->kind || !e->file)
		fail(r, "kind", "an entry point needs kind and file");
}

static void read_entryfn(rd *r, json_t *o, ki_entryfn *e)
{
	const char *key;
	json_t *v;
	int has_role = 0;
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "role")) {
			const char *role = json_string_value(v);
			has_role = role && (!strcmp(role, "init") || !strcmp(role, "exit"));
			if (!has_role)
				fail(r, key, "not \"init\" or \"exit\"");
			e->role = role && !strcmp(role, "exit") ? KI_EXIT : KI_INIT;
		} else if (!strcmp(key, "function"))
			e->function = str_of(r, key, v);
		else if (!strcmp(key, "macro"))
			e->macro = str_or_null(r, key, v);
		else if (!strcmp(key, "file"))
			e->file = str_of(r, key, v);
		else if (!strcmp(key, "line"))
			e->line = int_of(r, key, v);
		else
			fail(r, key, "unknown key in an entry function");
	}
	if (!has_role || !e->function || !e->file)
		fail(r, "role", "an entry function needs role, function and file");
}

static void read_param(rd *r, json_t *o, ki_param *p)
{
	const char *key;
	json_t *v;
	int typed = 0, described = 0;
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "name"))
			p->name = str_of(r, key, v);
		else if (!strcmp(key, "file"))
			p->file = str_of(r, key, v);
		else if (!strcmp(key, "line"))
			p->line = int_of(r, key, v);
		else if (!strcmp(key, "type"))
			p->type = str_or_null(r, key, v), typed = 1;
		else if (!strcmp(key, "description"))
			p->description = str_or_null(r, key, v), described = 1;
		else if (!strcmp(key, "variable"))
			p->variable = str_of(r, key, v);
		else if (!strcmp(key, "ops"))
			p->ops = str_of(r, key, v);
		else if (!strcmp(key, "perm"))
			p->has_perm = 1, p->perm = ll_of(r, key, v);
		else if (!strcmp(key, "array_max"))
			p->has_array_max = 1, p->array_max = ll_of(r, key, v);
		else if (!strcmp(key, "array_count"))
			p->array_count = str_of(r, key, v);
		else
			fail(r, key, "unknown key in a param");
	}
	if (!p->name || !p->file || !typed || !described)
		fail(r, "name", "a param needs name, file, type and description");
}

static void read_id(rd *r, json_t *o, ki_id *id)
{
	if (!json_is_object(o)) {
		fail(r, "ids", "an ID that is not an object");
		return;
	}
	id->v = ku_calloc(json_object_size(o) + 1, sizeof *id->v);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		ki_value *x = &id->v[id->n++];
		x->field = ku_strdup(key);
		if (json_is_integer(v))
			x->t = KI_VAL_INT, x->i = json_integer_value(v);
		else if (json_is_string(v))
			x->t = KI_VAL_STR, x->s = ku_strdup(json_string_value(v));
		else if (json_is_null(v))
			x->t = KI_VAL_NULL;
		else
			fail(r, key, "an ID field that is no integer, string or null");
	}
}

static void read_table(rd *r, json_t *o, ki_idtable *t)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "name"))
			t->name = str_of(r, key, v);
		else if (!strcmp(key, "bus"))
			t->bus = str_of(r, key, v);
		else if (!strcmp(key, "struct"))
			t->strct = str_of(r, key, v);
		else if (!strcmp(key, "file"))
			t->file = str_of(r, key, v);
		else if (!strcmp(key, "line"))
			t->line = int_of(r, key, v);
		else if (!strcmp(key, "device_table"))
			t->device_table = json_is_boolean(v) ? json_is_true(v) : fail(r, key, "not a boolean");
		else if (!strcmp(key, "ids") && json_is_array(v)) {
			t->ids = ku_calloc(json_array_size(v) + 1, sizeof *t->ids);
			size_t i;
			json_t *x;
			json_array_foreach(v, i, x)
				read_id(r, x, &t->ids[t->nids++]);
		} else
			fail(r, key, "unknown key (or not an array) in an ID table");
	}
	if (!t->name || !t->bus || !t->strct || !t->file)
		fail(r, "name", "an ID table needs name, bus, struct and file");
}

static void read_collision(rd *r, json_t *o, ki_collision *c)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "name"))
			c->name = str_of(r, key, v);
		else if (!strcmp(key, "kind"))
			c->kind = (ki_kind)kind_of(r, key, v, kind_name_of, 4);
		else if (!strcmp(key, "file"))
			c->file = str_of(r, key, v);
		else if (!strcmp(key, "line"))
			c->line = int_of(r, key, v);
		else
			fail(r, key, "unknown key in a libc collision");
	}
	if (!c->name || !c->file)
		fail(r, "name", "a libc collision needs name and file");
}

/* Read every element of the array `v` into a new array of `size`-byte
 * items with `one`; *n gets the count. */
static void *read_list(rd *r, const char *key, json_t *v, size_t size, size_t *n,
		       void (*one)(rd *, json_t *, void *))
{
	if (!json_is_array(v)) {
		fail(r, key, "not an array");
		return NULL;
	}
	char *items = ku_calloc(json_array_size(v) + 1, size);
	size_t i;
	json_t *x;
	char where[64];
	const char *outer = r->where;
	json_array_foreach(v, i, x) {
		snprintf(where, sizeof where, "%s[%zu]", key, i);
		r->where = where;
		if (json_is_object(x))
			one(r, x, items + i * size);
		else
			fail(r, key, "holds a non-object");
		r->where = outer;
		*n = i + 1;
	}
	return items;
}

#define READER(fn, type) \
	static void fn##_any(rd *r, json_t *o, void *p) { fn(r, o, (type *)p); }
READER(read_symbol, ki_symbol)
READER(read_entry, ki_entry)
READER(read_entryfn, ki_entryfn)
READER(read_param, ki_param)
READER(read_table, ki_idtable)
READER(read_collision, ki_collision)

ki_inventory *ki_read_unit(json_t *doc)
{
	ki_inventory *inv = ku_calloc(1, sizeof *inv);
	rd r = {.where = "analysis"};
	if (!json_is_object(doc))
		fail(&r, "document", "not an object");
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v) {
		if (!strcmp(key, "source"))
			inv->source = str_of(&r, key, v);
		else if (!strcmp(key, "files"))
			strv_of(&r, key, v, &inv->files);
		else if (!strcmp(key, "defines"))
			strv_of(&r, key, v, &inv->defines);
		else if (!strcmp(key, "modinfo"))
			strv_of(&r, key, v, &inv->modinfo);
		else if (!strcmp(key, "symbols"))
			inv->symbols = read_list(&r, key, v, sizeof *inv->symbols, &inv->nsymbols, read_symbol_any);
		else if (!strcmp(key, "entry_points"))
			inv->entries = read_list(&r, key, v, sizeof *inv->entries, &inv->nentries, read_entry_any);
		else if (!strcmp(key, "entry_functions"))
			inv->entryfns = read_list(&r, key, v, sizeof *inv->entryfns, &inv->nentryfns,
						  read_entryfn_any);
		else if (!strcmp(key, "params"))
			inv->params = read_list(&r, key, v, sizeof *inv->params, &inv->nparams, read_param_any);
		else if (!strcmp(key, "id_tables"))
			inv->tables = read_list(&r, key, v, sizeof *inv->tables, &inv->ntables, read_table_any);
		else if (!strcmp(key, "libc_collisions"))
			inv->libc = read_list(&r, key, v, sizeof *inv->libc, &inv->nlibc, read_collision_any);
		else
			fail(&r, key, "unknown key");
	}
	if (!r.bad && !inv->source)
		fail(&r, "source", "missing");
	if (r.bad) {
		ki_free(inv);
		return NULL;
	}
	return inv;
}

