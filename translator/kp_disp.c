/* kp_disp.c: the map stage (see kp_disp.h): symbols -> dispositions, and
 * the list operations the later stages use. */
#define _GNU_SOURCE
#include "kp_disp.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? ku_strdup(s) : NULL;
}

void kd_clear(kd_disp *d)
{
	free(d->symbol), free(d->header), free(d->prototype);
	free(d->target), free(d->ret), free(d->reason), free(d->table);
	memset(d, 0, sizeof *d);
}

void kd_push(kd_list *l, const kd_disp *d)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = ku_realloc(l->v, l->cap * sizeof *l->v);
	}
	kd_disp *x = &l->v[l->n++];
	*x = *d;
	x->symbol = ku_strdup(d->symbol), x->header = ku_strdup(d->header);
	x->prototype = dup_or_null(d->prototype), x->target = dup_or_null(d->target);
	x->ret = dup_or_null(d->ret), x->reason = dup_or_null(d->reason), x->table = dup_or_null(d->table);
}

void kd_copy(kd_list *dst, const kd_list *src)
{
	for (size_t i = 0; i < src->n; i++)
		kd_push(dst, &src->v[i]);
}

void kd_free(kd_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		kd_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

const kd_disp *kd_find(const kd_list *l, const char *symbol)
{
	for (size_t i = l->n; i-- > 0;)
		if (!strcmp(l->v[i].symbol, symbol))
			return &l->v[i];
	return NULL;
}

size_t kd_stub_count(const kd_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].disposition == KM_STUB && l->v[i].provided == KI_EXTERN;
	return n;
}

/* The companion that defines what header declares: the one named like the
 * header (mptscsih.h: mptscsih.c, when mptbase.c shares the obj- line),
 * else the first. */
static char *companion_for(const ku_strv *companions, const char *header)
{
	const char *base = ku_basename(header);
	size_t n = strlen(base);
	if (n > 2 && !strcmp(base + n - 2, ".h"))
		for (size_t i = 0; i < companions->n; i++) {
			const char *cb = ku_basename(companions->v[i]);
			if (strlen(cb) == n && !strncmp(cb, base, n - 1) && cb[n - 1] == 'c')
				return companions->v[i];
		}
	return companions->v[0];
}

int kd_dispose(const kd_ctx *c, const ki_symbol *syms, size_t n, int for_imports, kd_list *out)
{
	ku_buf refused = {0};
	for (size_t i = 0; i < n; i++) {
		const ki_symbol *s = &syms[i];
		const km_entry *e = km_lookup(c->map, s->name);
		kd_disp d = {
			.symbol = s->name, .for_imports = for_imports, .kind = s->kind,
			.provided = s->provided, .header = s->header,
			.prototype = *s->prototype ? s->prototype : NULL, .direct = s->direct,
			.sites = s->nsites,
		};
		char *table = NULL, *why = NULL;
		if (e) {
			d.disposition = e->kind;
			d.target = e->target, d.ret = e->ret, d.reason = e->reason;
			d.table = table = ku_printf("mappings/%s:%d", ku_basename(e->file), e->line);
			if (e->kind == KM_UNSUPPORTED && s->direct)
				ku_buf_printf(&refused, "\n  %s (%s): %s", s->name, table, e->reason);
		} else if (s->provided == KI_EXTERN && c->companions->n &&
			   ku_startswith(s->header, c->module_dir)) {
			/* Declared in the driver's own header and not defined by it:
			 * the module built beside it on the same obj- line defines it. */
			d.disposition = KM_IMPORT;
			d.target = companion_for(c->companions, s->header);
			d.reason = why = ku_printf("declared in the driver's own %s; defined by the companion "
						   "module on the same obj- line", s->header);
		} else if (s->provided == KI_EXTERN) {
			d.disposition = KM_STUB;
			d.reason = "no mapping table names it: a generated stub (porting TODO)";
		} else {
			d.disposition = KM_HEADER;
		}
		kd_push(out, &d);
		free(table), free(why);
	}
	int rc = 0;
	if (refused.len)
		rc = ku_err("the driver uses APIs the mapping tables mark unsupported:%s", refused.s);
	ku_buf_free(&refused);
	return rc;
}
