/* kp_inv.c: the inventory's values, freeing, merging and lookups (see
 * kp_inv.h); the cache's documents are read in kp_inv_read.c. */
#define _GNU_SOURCE
#include "kp_inv.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"function", "variable", "macro", "type"};
static const char *const provided_names[] = {"extern", "inline", "macro", "type"};

const char *ki_kind_name(ki_kind k) { return kind_names[k]; }
const char *ki_provided_name(ki_provided p) { return provided_names[p]; }
const char *ki_role_name(ki_role r) { return r == KI_INIT ? "init" : "exit"; }

/* ---- freeing ---- */

static void free_symbol(ki_symbol *s)
{
	free(s->name), free(s->header), free(s->prototype), free(s->type), free(s->underlying);
	for (size_t i = 0; i < s->nsites; i++)
		free(s->sites[i].file);
	free(s->sites);
}

static void free_table(ki_idtable *t)
{
	free(t->name), free(t->bus), free(t->strct), free(t->file);
	for (size_t i = 0; i < t->nids; i++) {
		for (size_t k = 0; k < t->ids[i].n; k++)
			free(t->ids[i].v[k].field), free(t->ids[i].v[k].s);
		free(t->ids[i].v);
	}
	free(t->ids);
}

void ki_free(ki_inventory *inv)
{
	if (!inv)
		return;
	free(inv->source);
	ku_strv_free(&inv->sources), ku_strv_free(&inv->files);
	ku_strv_free(&inv->modinfo), ku_strv_free(&inv->defines);
	for (size_t i = 0; i < inv->nsymbols; i++)
		free_symbol(&inv->symbols[i]);
	free(inv->symbols);
	for (size_t i = 0; i < inv->nentries; i++) {
		ki_entry *e = &inv->entries[i];
		free(e->kind), free(e->function), free(e->driver), free(e->file);
	}
	free(inv->entries);
	for (size_t i = 0; i < inv->nentryfns; i++) {
		ki_entryfn *e = &inv->entryfns[i];
		free(e->function), free(e->macro), free(e->file);
	}
	free(inv->entryfns);
	for (size_t i = 0; i < inv->nparams; i++) {
		ki_param *p = &inv->params[i];
		free(p->name), free(p->file), free(p->type), free(p->description);
		free(p->variable), free(p->ops), free(p->array_count);
	}
	free(inv->params);
	for (size_t i = 0; i < inv->ntables; i++)
		free_table(&inv->tables[i]);
	free(inv->tables);
	for (size_t i = 0; i < inv->nlibc; i++)
		free(inv->libc[i].name), free(inv->libc[i].file);
	free(inv->libc);
	free(inv);
}

/* ---- copying (merge takes deep copies: each inventory owns its values) ---- */

static char *dup_or_null(const char *s)
{
	return s ? ku_strdup(s) : NULL;
}

static void copy_symbol(ki_symbol *d, const ki_symbol *s)
{
	*d = *s;
	d->name = ku_strdup(s->name), d->header = ku_strdup(s->header);
	d->prototype = ku_strdup(s->prototype);
	d->type = dup_or_null(s->type), d->underlying = dup_or_null(s->underlying);
	d->sites = ku_calloc(s->nsites + 1, sizeof *d->sites);
	for (size_t i = 0; i < s->nsites; i++) {
		d->sites[i] = s->sites[i];
		d->sites[i].file = ku_strdup(s->sites[i].file);
	}
}

static void copy_table(ki_idtable *d, const ki_idtable *s)
{
	*d = *s;
	d->name = ku_strdup(s->name), d->bus = ku_strdup(s->bus), d->strct = ku_strdup(s->strct);
	d->file = ku_strdup(s->file);
	d->ids = ku_calloc(s->nids + 1, sizeof *d->ids);
	for (size_t i = 0; i < s->nids; i++) {
		d->ids[i].n = s->ids[i].n;
		d->ids[i].v = ku_calloc(s->ids[i].n + 1, sizeof *d->ids[i].v);
		for (size_t k = 0; k < s->ids[i].n; k++) {
			d->ids[i].v[k] = s->ids[i].v[k];
			d->ids[i].v[k].field = ku_strdup(s->ids[i].v[k].field);
			d->ids[i].v[k].s = dup_or_null(s->ids[i].v[k].s);
		}
	}
}

/* ---- merge ---- */

typedef struct sym_ref {
	const ki_symbol *s;
	size_t order; /* unit-major position: ties keep the earlier unit first */
} sym_ref;

static int sym_cmp(const ki_symbol *a, const ki_symbol *b)
{
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(ki_kind_name(a->kind), ki_kind_name(b->kind));
}

static int ref_cmp(const void *x, const void *y)
{
	const sym_ref *a = x, *b = y;
	int c = sym_cmp(a->s, b->s);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void unite(ku_strv *into, const ku_strv *from)
{
	for (size_t i = 0; i < from->n; i++)
		ku_strv_push(into, from->v[i]);
}

/* Sort and drop duplicates. */
static void sort_unique(ku_strv *sv)
{
	ku_strv_sort(sv);
	size_t k = 0;
	for (size_t i = 0; i < sv->n; i++) {
		if (k && !strcmp(sv->v[k - 1], sv->v[i]))
			free(sv->v[i]);
		else
			sv->v[k++] = sv->v[i];
	}
	sv->n = k;
}

static int same_site(const ki_site *a, const ki_site *b)
{
	return a->line == b->line && a->col == b->col && !strcmp(a->file, b->file);
}

#define APPEND_ALL(dst, ndst, src, nsrc, copy)                                 \
	do {                                                                   \
		dst = ku_realloc(dst, ((ndst) + (nsrc) + 1) * sizeof *(dst));  \
		for (size_t k_ = 0; k_ < (nsrc); k_++)                        \
			copy(&(dst)[(ndst)++], &(src)[k_]);                    \
	} while (0)

static void copy_entry(ki_entry *d, const ki_entry *s)
{
	d->kind = ku_strdup(s->kind), d->function = dup_or_null(s->function);
	d->driver = dup_or_null(s->driver), d->file = ku_strdup(s->file), d->line = s->line;
}

static void copy_entryfn(ki_entryfn *d, const ki_entryfn *s)
{
	*d = *s;
	d->function = ku_strdup(s->function), d->macro = dup_or_null(s->macro), d->file = ku_strdup(s->file);
}

static void copy_param(ki_param *d, const ki_param *s)
{
	*d = *s;
	d->name = ku_strdup(s->name), d->file = ku_strdup(s->file);
	d->type = dup_or_null(s->type), d->description = dup_or_null(s->description);
	d->variable = dup_or_null(s->variable), d->ops = dup_or_null(s->ops);
	d->array_count = dup_or_null(s->array_count);
}

static void copy_collision(ki_collision *d, const ki_collision *s)
{
	*d = *s;
	d->name = ku_strdup(s->name), d->file = ku_strdup(s->file);
}

ki_inventory *ki_merge(ki_inventory *const *units, size_t n)
{
	ki_inventory *m = ku_calloc(1, sizeof *m);
	size_t total = 0;
	for (size_t u = 0; u < n; u++) {
		const ki_inventory *x = units[u];
		if (x->source)
			ku_strv_push(&m->sources, x->source);
		unite(&m->files, &x->files);
		unite(&m->defines, &x->defines);
		unite(&m->modinfo, &x->modinfo);
		APPEND_ALL(m->entries, m->nentries, x->entries, x->nentries, copy_entry);
		APPEND_ALL(m->entryfns, m->nentryfns, x->entryfns, x->nentryfns, copy_entryfn);
		APPEND_ALL(m->params, m->nparams, x->params, x->nparams, copy_param);
		APPEND_ALL(m->tables, m->ntables, x->tables, x->ntables, copy_table);
		APPEND_ALL(m->libc, m->nlibc, x->libc, x->nlibc, copy_collision);
		total += x->nsymbols;
	}
	m->source = n && units[0]->source ? ku_strdup(units[0]->source) : NULL;
	sort_unique(&m->files);
	sort_unique(&m->defines);
	/* Every unit's symbols, grouped by (name, kind) in unit order. */
	sym_ref *refs = ku_calloc(total + 1, sizeof *refs);
	size_t nr = 0;
	for (size_t u = 0; u < n; u++)
		for (size_t i = 0; i < units[u]->nsymbols; i++, nr++)
			refs[nr] = (sym_ref){&units[u]->symbols[i], nr};
	qsort(refs, nr, sizeof *refs, ref_cmp);
	m->symbols = ku_calloc(nr + 1, sizeof *m->symbols);
	for (size_t i = 0; i < nr;) {
		size_t j = i + 1;
		while (j < nr && sym_cmp(refs[i].s, refs[j].s) == 0)
			j++;
		const ki_symbol *first = refs[i].s;
		int own = (first->kind == KI_FUNCTION || first->kind == KI_VARIABLE) && m->defines.n &&
			  bsearch(&first->name, m->defines.v, m->defines.n, sizeof *m->defines.v, str_cmp);
		if (!own) {
			ki_symbol *s = &m->symbols[m->nsymbols++];
			copy_symbol(s, first);
			for (size_t k = i + 1; k < j; k++) {
				const ki_symbol *o = refs[k].s;
				s->direct |= o->direct;
				for (size_t q = 0; q < o->nsites; q++) {
					int dup = 0;
					for (size_t w = 0; w < s->nsites && !dup; w++)
						dup = same_site(&s->sites[w], &o->sites[q]);
					if (dup)
						continue;
					s->sites = ku_realloc(s->sites, (s->nsites + 1) * sizeof *s->sites);
					s->sites[s->nsites] = o->sites[q];
					s->sites[s->nsites++].file = ku_strdup(o->sites[q].file);
				}
			}
		}
		i = j;
	}
	free(refs);
	return m;
}

const ki_symbol *ki_find(const ki_inventory *inv, const char *name, ki_kind kind)
{
	size_t lo = 0, hi = inv->nsymbols;
	ki_symbol key = {.name = (char *)name, .kind = kind};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sym_cmp(&inv->symbols[mid], &key);
		if (c == 0)
			return &inv->symbols[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

long long ki_id_int(const ki_id *id, const char *field)
{
	for (size_t i = 0; i < id->n; i++)
		if (!strcmp(id->v[i].field, field))
			return id->v[i].t == KI_VAL_INT ? id->v[i].i : 0;
	return 0;
}
