/* kp_analyze_refs.c: the symbol inventory of one parse.  Every reference in
 * the driver's own files (DeclRefExpr, TypeRef, macro expansion, kernel
 * macro named in a driver #define body) that resolves outside the driver is
 * recorded with its declaring header, prototype and spelling sites; header
 * inline functions reached that way are walked transitively so that every
 * extern function or variable the object file will need shows up. */
#include "kp_analyze_int.h"

#include <stdlib.h>
#include <string.h>

char *ka_declarator(const char *type, const char *inner)
{
	const char *fp = strstr(type, "(*)");
	if (fp)
		return ku_printf("%.*s(*%s)%s", (int)(fp - type), type, inner, fp + 3);
	const char *br = strchr(type, '[');
	if (br) {
		size_t n = (size_t)(br - type);
		while (n && type[n - 1] == ' ')
			n--;
		return ku_printf("%.*s %s%s", (int)n, type, inner, br);
	}
	size_t n = strlen(type);
	if (!inner[0])
		return ku_strdup(type);
	if (n && type[n - 1] == '*')
		return ku_printf("%s%s", type, inner);
	return ku_printf("%s %s", type, inner);
}

/* Spelling of a type for a prototype; "typeof(int)" (per-CPU variables)
 * reads better as its canonical type. */
static char *type_text(CXType t)
{
	char *s = ka_str(clang_getTypeSpelling(t));
	if (strstr(s, "typeof(") || strstr(s, "__typeof__(")) {
		free(s);
		s = ka_str(clang_getTypeSpelling(clang_getCanonicalType(t)));
	}
	return s;
}

static char *function_proto(CXCursor fn, const char *name)
{
	CXType t = clang_getCursorType(fn);
	ku_buf b = {0};
	ku_buf_printf(&b, "%s(", name);
	if (t.kind != CXType_FunctionNoProto) {
		int n = clang_Cursor_getNumArguments(fn);
		int variadic = clang_isFunctionTypeVariadic(t);
		if (n <= 0 && !variadic)
			ku_buf_puts(&b, "void");
		for (int i = 0; i < n; i++) {
			CXCursor a = clang_Cursor_getArgument(fn, (unsigned)i);
			char *ty = type_text(clang_getCursorType(a));
			char *an = ka_cursor_name(a);
			char *d = ka_declarator(ty, an);
			ku_buf_printf(&b, "%s%s", i ? ", " : "", d);
			free(d);
			free(an);
			free(ty);
		}
		if (variadic)
			ku_buf_puts(&b, n > 0 ? ", ..." : "...");
	}
	ku_buf_putc(&b, ')');
	char *rt = type_text(clang_getResultType(t));
	char *r = ka_declarator(rt, b.s);
	free(rt);
	ku_buf_free(&b);
	return r;
}

static void add_site(ka_ctx *c, json_t *sym, const char *key, const ka_loc *l)
{
	char *sk = ku_printf("%s@%s:%u:%u", key, l->f->rel, l->line, l->col);
	if (!json_object_get(c->seen, sk)) {
		json_object_set_new(c->seen, sk, json_true());
		json_array_append_new(json_object_get(sym, "sites"), ka_site(l));
	}
	free(sk);
	json_object_set_new(sym, "direct", json_true());
}

static json_t *new_symbol(const char *name, const char *kind, const ka_loc *decl, const char *proto,
			  const char *provided)
{
	return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:[]}", "name", name, "kind", kind, "header", decl->f->rel,
			 "line", (json_int_t)decl->line, "prototype", proto, "provided", provided, "direct", 0,
			 "sites");
}

static int in_driver(ka_ctx *c, CXCursor cur)
{
	ka_loc l = ka_expansion(c, clang_getCursorLocation(cur));
	return l.f && l.f->driver;
}

static void queue_inline(ka_ctx *c, CXCursor def, const char *name)
{
	if (json_object_get(c->walked, name))
		return;
	json_object_set_new(c->walked, name, json_true());
	if (c->nwork == c->capwork) {
		c->capwork = c->capwork ? c->capwork * 2 : 64;
		c->work = ku_realloc(c->work, c->capwork * sizeof *c->work);
	}
	c->work[c->nwork++] = def;
}

/* First sight of an external declaration: build its symbol object, or NULL
 * when it is the driver's own (defined or declared only in driver files) or
 * has no file at all (compiler builtins). */
static json_t *make_symbol(ka_ctx *c, CXCursor decl, const char *kind, const char *name)
{
	enum CXCursorKind dk = clang_getCursorKind(decl);
	CXCursor def = clang_getCursorDefinition(decl);
	int has_def = !clang_Cursor_isNull(def);
	if (has_def) {
		ka_loc dl = ka_expansion(c, clang_getCursorLocation(def));
		if (!dl.f || dl.f->driver)
			return NULL;
	}
	CXCursor canon = clang_getCanonicalCursor(decl);
	if (dk == CXCursor_VarDecl && (ka_driver_var(c, decl) || ka_driver_var(c, canon)))
		return NULL;
	CXCursor hdecl = canon;
	if (!strcmp(kind, "type") && has_def)
		hdecl = def;
	else if (in_driver(c, canon) && !in_driver(c, decl))
		hdecl = decl;
	ka_loc hl = ka_expansion(c, clang_getCursorLocation(hdecl));
	if (!hl.f)
		return NULL;
	json_t *sym;
	if (!strcmp(kind, "function")) {
		char *proto = function_proto(has_def ? def : decl, name);
		sym = new_symbol(name, kind, &hl, proto, has_def ? "inline" : "extern");
		free(proto);
		if (has_def)
			queue_inline(c, def, name);
	} else if (!strcmp(kind, "variable")) {
		char *ty = type_text(clang_getCursorType(decl));
		char *proto = ka_declarator(ty, name);
		int header_defined = has_def && clang_getCursorLinkage(def) != CXLinkage_External;
		sym = new_symbol(name, kind, &hl, proto, header_defined ? "inline" : "extern");
		json_object_set_new(sym, "type", json_string(ty));
		free(proto);
		free(ty);
	} else {
		const char *word = dk == CXCursor_StructDecl  ? "struct"
				   : dk == CXCursor_UnionDecl ? "union"
				   : dk == CXCursor_EnumDecl  ? "enum"
							      : "typedef";
		sym = new_symbol(name, kind, &hl, word, "type");
		if (dk == CXCursor_TypedefDecl) {
			char *u = ka_str(clang_getTypeSpelling(clang_getTypedefDeclUnderlyingType(decl)));
			json_object_set_new(sym, "underlying", json_string(u));
			free(u);
		}
	}
	return sym;
}

/* Names the compiler provides: builtins get implicit declarations located
 * at their first use; compiletime_assert's error-attributed externs are
 * never emitted (the build would fail). */
static int compiler_name(const char *name)
{
	return ku_startswith(name, "__builtin_") || ku_startswith(name, "__sync_") ||
	       ku_startswith(name, "__atomic_") || ku_startswith(name, "__c11_atomic_") ||
	       ku_startswith(name, "__compiletime_assert_");
}

void ka_refs_mark_local(ka_ctx *c, const char *kind, const char *name)
{
	char *key = ku_printf("%s:%s", kind, name);
	json_object_del(c->syms, key);
	json_object_set_new(c->locals, key, json_true());
	free(key);
}

/* A file-scope variable declared in a driver file without `extern` is the
 * driver's own even when it is only a tentative definition ("int x;"), for
 * which clang_getCursorDefinition() finds nothing. */
int ka_driver_var(ka_ctx *c, CXCursor var)
{
	return in_driver(c, var) && clang_Cursor_getStorageClass(var) != CX_SC_Extern;
}

/* A reference cursor `ref` (DeclRefExpr or TypeRef) resolving to `decl`.
 * from_driver: ref is in driver code (else inside a header inline). */
/* `#define iounmap iounmap` (x86's asm/io.h does this for many I/O calls):
 * the reference's spelling is in the header, but the driver's own text
 * names the symbol at the expansion point.  That point is the site. */
static ka_loc identity_macro_site(ka_ctx *c, CXSourceLocation at, const char *name, ka_loc sp)
{
	ka_loc ex = ka_expansion(c, at);
	if (!(ex.f && ex.f->driver))
		return sp;
	CXFile f = NULL;
	unsigned line, col;
	clang_getExpansionLocation(at, &f, &line, &col, NULL);
	CXToken *tok = clang_getToken(c->tu, clang_getLocation(c->tu, f, line, col));
	if (!tok)
		return sp;
	char *text = ka_str(clang_getTokenSpelling(c->tu, *tok));
	clang_disposeTokens(c->tu, tok, 1);
	int same = strcmp(text, name) == 0;
	free(text);
	return same ? ex : sp;
}

static void note_ref(ka_ctx *c, CXCursor ref, CXCursor decl, int from_driver)
{
	enum CXCursorKind dk = clang_getCursorKind(decl);
	const char *kind;
	if (dk == CXCursor_FunctionDecl)
		kind = "function";
	else if (dk == CXCursor_VarDecl &&
		 clang_getCursorKind(clang_getCursorSemanticParent(decl)) == CXCursor_TranslationUnit)
		kind = "variable";
	else if (from_driver && (dk == CXCursor_TypedefDecl || dk == CXCursor_StructDecl ||
				 dk == CXCursor_UnionDecl || dk == CXCursor_EnumDecl))
		kind = "type";
	else
		return;
	if (!strcmp(kind, "type") && clang_Cursor_isAnonymous(decl))
		return;
	char *base = ka_cursor_name(decl);
	if (!base[0]) {
		free(base);
		return;
	}
	char *name = dk == CXCursor_StructDecl  ? ku_printf("struct %s", base)
		     : dk == CXCursor_UnionDecl ? ku_printf("union %s", base)
		     : dk == CXCursor_EnumDecl  ? ku_printf("enum %s", base)
						: ku_strdup(base);
	free(base);
	char *key = ku_printf("%s:%s", kind, name);
	json_t *sym = NULL;
	ka_loc sp = {0};
	if (from_driver) {
		CXSourceLocation at = clang_getCursorLocation(ref);
		sp = ka_spelling(c, at);
		if (!(sp.f && sp.f->driver))
			sp = identity_macro_site(c, at, name, sp);
	}
	int direct = sp.f && sp.f->driver;
	/* Types matter only where the driver's text names them. */
	if (json_object_get(c->locals, key) || (!direct && !strcmp(kind, "type")) || compiler_name(name))
		goto out;
	sym = json_object_get(c->syms, key);
	if (!sym) {
		sym = make_symbol(c, decl, kind, name);
		if (!sym) {
			json_object_set_new(c->locals, key, json_true());
			goto out;
		}
		json_object_set_new(c->syms, key, sym);
	}
	if (direct)
		add_site(c, sym, key, &sp);
out:
	free(key);
	free(name);
}

typedef struct ref_walk {
	ka_ctx *c;
	int from_driver; /* walking driver code (else a header inline's body) */
} ref_walk;

static enum CXChildVisitResult ref_visit(CXCursor cur, CXCursor parent, CXClientData data)
{
	(void)parent;
	ref_walk *w = data;
	enum CXCursorKind k = clang_getCursorKind(cur);
	if (k == CXCursor_DeclRefExpr || (k == CXCursor_TypeRef && w->from_driver))
		note_ref(w->c, cur, clang_getCursorReferenced(cur), w->from_driver);
	return CXChildVisit_Recurse;
}

void ka_refs_decl(ka_ctx *c, CXCursor decl)
{
	ref_walk w = {c, 1};
	clang_visitChildren(decl, ref_visit, &w);
}

/* ---- macros ---- */

/* "#define readl readl": a marker that the arch provides the function;
 * the function is what the driver really uses. */
static int identity_macro(ka_ctx *c, CXCursor def, const char *name)
{
	if (clang_Cursor_isMacroFunctionLike(def))
		return 0;
	CXToken *t = NULL;
	unsigned n = 0;
	clang_tokenize(c->tu, clang_getCursorExtent(def), &t, &n);
	int same = 0;
	if (n == 2) {
		char *s = ka_str(clang_getTokenSpelling(c->tu, t[1]));
		same = !strcmp(s, name);
		free(s);
	}
	if (t)
		clang_disposeTokens(c->tu, t, n);
	return same;
}

/* "(a, b)" for a function-like macro, "" for an object-like one. */
static char *macro_params(ka_ctx *c, CXCursor def, ku_strv *names)
{
	if (!clang_Cursor_isMacroFunctionLike(def))
		return ku_strdup("");
	CXToken *t = NULL;
	unsigned n = 0;
	clang_tokenize(c->tu, clang_getCursorExtent(def), &t, &n);
	ku_buf b = {0};
	for (unsigned i = 1; i < n; i++) {
		char *s = ka_str(clang_getTokenSpelling(c->tu, t[i]));
		int end = !strcmp(s, ")");
		if (!strcmp(s, ","))
			ku_buf_puts(&b, ", ");
		else
			ku_buf_puts(&b, s);
		if (names && clang_getTokenKind(t[i]) == CXToken_Identifier)
			ku_strv_push(names, s);
		free(s);
		if (end)
			break;
	}
	if (t)
		clang_disposeTokens(c->tu, t, n);
	return b.s ? b.s : ku_strdup("");
}

static void note_macro(ka_ctx *c, CXCursor def, const ka_loc *site)
{
	ka_loc dl = ka_expansion(c, clang_getCursorLocation(def));
	if (!dl.f || dl.f->driver || !site->f || !site->f->driver)
		return;
	char *name = ka_cursor_name(def);
	char *key = ku_printf("macro:%s", name);
	json_t *sym = NULL;
	if (json_object_get(c->locals, key))
		goto out;
	sym = json_object_get(c->syms, key);
	if (!sym) {
		if (identity_macro(c, def, name)) {
			json_object_set_new(c->locals, key, json_true());
			goto out;
		}
		char *params = macro_params(c, def, NULL);
		sym = new_symbol(name, "macro", &dl, params, "macro");
		json_object_set_new(sym, "function_like", json_boolean(clang_Cursor_isMacroFunctionLike(def)));
		free(params);
		json_object_set_new(c->syms, key, sym);
	}
	add_site(c, sym, key, site);
out:
	free(key);
	free(name);
}

void ka_refs_expansion(ka_ctx *c, CXCursor exp)
{
	CXCursor def = clang_getCursorReferenced(exp);
	if (clang_Cursor_isNull(def) || clang_getCursorKind(def) != CXCursor_MacroDefinition)
		return;
	ka_loc site = ka_spelling(c, clang_getCursorLocation(exp));
	note_macro(c, def, &site);
}

static void push_cursor(CXCursor **v, size_t *n, size_t *cap, CXCursor cur)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = ku_realloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = cur;
}

void ka_refs_macro_def(ka_ctx *c, CXCursor def)
{
	ka_loc l = ka_expansion(c, clang_getCursorLocation(def));
	if (!l.f)
		return;
	if (l.f->driver) {
		push_cursor(&c->drvmacros, &c->ndrvmacros, &c->capdrvmacros, def);
		return;
	}
	char *name = ka_cursor_name(def);
	json_object_set_new(c->macro_ix, name, json_integer((json_int_t)c->nmacros));
	push_cursor(&c->macros, &c->nmacros, &c->capmacros, def);
	free(name);
}

/* Kernel macros named in the body of a driver #define: expansions nested in
 * another macro are not in the preprocessing record, but they are spelled in
 * the driver's text, so a rewrite must know them. */
static void scan_driver_macro(ka_ctx *c, CXCursor def)
{
	ku_strv params = {0};
	free(macro_params(c, def, &params));
	CXToken *t = NULL;
	unsigned n = 0;
	clang_tokenize(c->tu, clang_getCursorExtent(def), &t, &n);
	unsigned i = 1;
	if (clang_Cursor_isMacroFunctionLike(def)) {
		for (; i < n; i++) {
			char *s = ka_str(clang_getTokenSpelling(c->tu, t[i]));
			int end = !strcmp(s, ")");
			free(s);
			if (end) {
				i++;
				break;
			}
		}
	}
	for (; i < n; i++) {
		if (clang_getTokenKind(t[i]) != CXToken_Identifier)
			continue;
		char *s = ka_str(clang_getTokenSpelling(c->tu, t[i]));
		json_t *ix = ku_strv_has(&params, s) ? NULL : json_object_get(c->macro_ix, s);
		if (ix) {
			ka_loc site = ka_spelling(c, clang_getTokenLocation(c->tu, t[i]));
			note_macro(c, c->macros[json_integer_value(ix)], &site);
		}
		free(s);
	}
	if (t)
		clang_disposeTokens(c->tu, t, n);
	ku_strv_free(&params);
}

void ka_refs_finish(ka_ctx *c)
{
	for (size_t i = 0; i < c->ndrvmacros; i++)
		scan_driver_macro(c, c->drvmacros[i]);
	ref_walk w = {c, 0};
	while (c->nwork) {
		CXCursor fn = c->work[--c->nwork];
		clang_visitChildren(fn, ref_visit, &w);
	}
}

static int site_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int r = strcmp(json_string_value(json_object_get(x, "file")), json_string_value(json_object_get(y, "file")));
	if (r)
		return r;
	json_int_t d = json_integer_value(json_object_get(x, "line")) - json_integer_value(json_object_get(y, "line"));
	if (!d)
		d = json_integer_value(json_object_get(x, "col")) - json_integer_value(json_object_get(y, "col"));
	return d < 0 ? -1 : d > 0;
}

json_t *ka_refs_symbols(ka_ctx *c)
{
	const char *key;
	json_t *sym;
	json_object_foreach(c->syms, key, sym) {
		json_t *sites = json_object_get(sym, "sites");
		size_t n = json_array_size(sites);
		if (n < 2)
			continue;
		json_t **v = ku_calloc(n, sizeof *v);
		for (size_t i = 0; i < n; i++)
			v[i] = json_incref(json_array_get(sites, i));
		qsort(v, n, sizeof *v, site_cmp);
		json_array_clear(sites);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(sites, v[i]);
		free(v);
	}
	return ka_sort_symbols(c->syms);
}
