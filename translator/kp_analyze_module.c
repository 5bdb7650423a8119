/* kp_analyze_module.c: module-level facts of one parse, read from what the
 * kernel's macros generate under -DMODULE (so wrappers around them still
 * work): entry points (__inittest/__exittest, module_*_driver expansions)
 * and the entry functions they name, with the macro that wrote them,
 * params (__param_*, __param_arr_*, "parm="/"parmtype=" modinfo strings),
 * device ID tables (arrays of struct *_device_id, every initializer
 * evaluated), MODULE_DEVICE_TABLE exports, and the driver's external
 * definitions, flagging those whose names are libc's. */
#include "kp_analyze_int.h"
#include "kp_libcnames.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- small cursor helpers ---- */

typedef struct child_list {
	CXCursor *v;
	size_t n, cap;
} child_list;

static enum CXChildVisitResult collect_child(CXCursor cur, CXCursor parent, CXClientData data)
{
	(void)parent;
	child_list *l = data;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = ku_realloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = cur;
	return CXChildVisit_Continue;
}

static child_list children(CXCursor cur)
{
	child_list l = {0};
	clang_visitChildren(cur, collect_child, &l);
	return l;
}

static enum CXChildVisitResult find_kind(CXCursor cur, CXCursor parent, CXClientData data)
{
	(void)parent;
	CXCursor *want = data; /* want[0].kind = kind sought; result in want[1] */
	if (clang_getCursorKind(cur) == want[0].kind) {
		want[1] = cur;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Recurse;
}

/* First descendant of `cur` of kind k (depth-first), or a null cursor. */
static CXCursor first_of_kind(CXCursor cur, enum CXCursorKind k)
{
	CXCursor want[2];
	want[0].kind = k;
	want[1] = clang_getNullCursor();
	clang_visitChildren(cur, find_kind, want);
	return want[1];
}

/* Name of the declaration the first DeclRefExpr under cur names, or NULL. */
static char *first_ref_name(CXCursor cur)
{
	CXCursor r = first_of_kind(cur, CXCursor_DeclRefExpr);
	if (clang_Cursor_isNull(r))
		return NULL;
	return ka_cursor_name(clang_getCursorReferenced(r));
}

/* Evaluate an integer expression; 0 and *ok = 0 when it is not one. */
static unsigned long long eval_int(CXCursor e, int *ok, int *is_unsigned)
{
	CXEvalResult r = clang_Cursor_Evaluate(e);
	*ok = 0;
	if (!r)
		return 0;
	unsigned long long v = 0;
	if (clang_EvalResult_getKind(r) == CXEval_Int) {
		*ok = 1;
		*is_unsigned = clang_EvalResult_isUnsignedInt(r);
		v = *is_unsigned ? clang_EvalResult_getAsUnsigned(r)
				 : (unsigned long long)clang_EvalResult_getAsLongLong(r);
	}
	clang_EvalResult_dispose(r);
	return v;
}

static char *eval_string(CXCursor e)
{
	CXEvalResult r = clang_Cursor_Evaluate(e);
	if (!r)
		return NULL;
	char *s = NULL;
	if (clang_EvalResult_getKind(r) == CXEval_StrLiteral)
		s = ku_strdup(clang_EvalResult_getAsStr(r));
	clang_EvalResult_dispose(r);
	return s;
}

static json_t *loc_pack(ka_ctx *c, CXCursor cur, const char *k1, json_t *v1, const char *k2, json_t *v2)
{
	ka_loc l = ka_expansion(c, clang_getCursorLocation(cur));
	json_t *o = json_object();
	json_object_set_new(o, k1, v1);
	if (k2)
		json_object_set_new(o, k2, v2);
	json_object_set_new(o, "file", json_string(l.f ? l.f->rel : ""));
	json_object_set_new(o, "line", json_integer((json_int_t)l.line));
	return o;
}

/* ---- entry points ---- */

static int module_driver_macro(const char *m)
{
	size_t n = strlen(m);
	return !strcmp(m, "module_driver") ||
	       (ku_startswith(m, "module_") && n > 14 && !strcmp(m + n - 7, "_driver"));
}

void ka_module_expansion(ka_ctx *c, CXCursor exp, const char *macro)
{
	if (!module_driver_macro(macro))
		return;
	ku_strv args = {0};
	if (ka_macro_args(c, exp, &args) >= 1 && args.v[0][0]) {
		json_t *e = loc_pack(c, exp, "kind", json_string(macro), "driver", json_string(args.v[0]));
		json_array_append_new(c->entry_points, e);
	}
	ku_strv_free(&args);
}

/* The identifier written where `cur` expands (for a declaration a macro
 * wrote: the outermost macro's name, as the driver's file spells it), or
 * NULL.  libclang exposes no alias attributes and no macro stack, but the
 * expansion location points at the macro call's first token. */
static char *written_at(ka_ctx *c, CXCursor cur)
{
	CXFile f = NULL;
	unsigned off = 0;
	clang_getExpansionLocation(clang_getCursorLocation(cur), &f, NULL, NULL, &off);
	size_t size = 0;
	const char *text = f ? clang_getFileContents(c->tu, f, &size) : NULL;
	if (!text || off >= size)
		return NULL;
	size_t n = 0;
	while (off + n < size && (text[off + n] == '_' || (text[off + n] >= 'a' && text[off + n] <= 'z') ||
				  (text[off + n] >= 'A' && text[off + n] <= 'Z') ||
				  (n && text[off + n] >= '0' && text[off + n] <= '9')))
		n++;
	return n ? ku_strndup(text + off, n) : NULL;
}

/* One of the module's real entry functions (kp_inv.h: ki_entryfn). */
static void entry_function(ka_ctx *c, CXCursor at, const char *role, const char *function, const char *macro)
{
	json_t *e = loc_pack(c, at, "role", json_string(role), "function", json_string(function));
	json_object_set_new(e, "macro", macro ? json_string(macro) : json_null());
	json_array_append_new(c->entry_functions, e);
}

/* module_init(fn) under -DMODULE defines "__inittest" returning fn (and
 * init_module as fn's alias), whatever macro wrote the module_init. */
static void entry_test_fn(ka_ctx *c, CXCursor fn, const char *kind)
{
	CXCursor body = first_of_kind(fn, CXCursor_CompoundStmt);
	char *target = clang_Cursor_isNull(body) ? NULL : first_ref_name(body);
	if (!target)
		return;
	json_array_append_new(c->entry_points, loc_pack(c, fn, "kind", json_string(kind), "function",
							json_string(target)));
	char *macro = written_at(c, fn);
	entry_function(c, fn, !strcmp(kind, "module_init") ? "init" : "exit", target, macro);
	free(macro);
	free(target);
}

/* ---- params ---- */

/* static struct kernel_param __param_NAME = { name, mod, ops, perm, level,
 * flags, { arg } }: positional in 6.1's __module_param_call. */
static void param_decl(ka_ctx *c, CXCursor var, const char *pname)
{
	CXCursor init = first_of_kind(var, CXCursor_InitListExpr);
	if (clang_Cursor_isNull(init))
		return;
	child_list el = children(init);
	json_t *p = loc_pack(c, var, "name", json_string(pname), NULL, NULL);
	if (el.n > 3) {
		int ok, uns;
		unsigned long long perm = eval_int(el.v[3], &ok, &uns);
		if (ok)
			json_object_set_new(p, "perm", json_integer((json_int_t)perm));
		char *ops = first_ref_name(el.v[2]);
		if (ops)
			json_object_set_new(p, "ops", json_string(ops));
		free(ops);
	}
	if (el.n > 6) {
		char *arg = first_ref_name(el.v[6]);
		if (arg) {
			json_t *elem = json_object_get(c->param_arrays, arg);
			if (elem) {
				json_object_set_new(p, "variable", json_incref(json_object_get(elem, "variable")));
				json_object_set(p, "array_max", json_object_get(elem, "max"));
				if (json_object_get(elem, "count"))
					json_object_set(p, "array_count", json_object_get(elem, "count"));
			} else {
				json_object_set_new(p, "variable", json_string(arg));
			}
		}
		free(arg);
	}
	free(el.v);
	json_array_append_new(c->params, p);
}

/* struct kparam_array __param_arr_NAME = { .max, .elemsize, .num, .ops, .elem } */
static void param_array_decl(ka_ctx *c, CXCursor var, const char *vname)
{
	CXCursor init = first_of_kind(var, CXCursor_InitListExpr);
	if (clang_Cursor_isNull(init))
		return;
	child_list el = children(init);
	json_t *info = json_object();
	for (size_t i = 0; i < el.n; i++) {
		child_list parts = children(el.v[i]);
		if (parts.n >= 2 && clang_getCursorKind(parts.v[0]) == CXCursor_MemberRef) {
			char *field = ka_cursor_name(parts.v[0]);
			CXCursor val = parts.v[parts.n - 1];
			int ok, uns;
			if (!strcmp(field, "max")) {
				unsigned long long m = eval_int(val, &ok, &uns);
				if (ok)
					json_object_set_new(info, "max", json_integer((json_int_t)m));
			} else if (!strcmp(field, "elem") || !strcmp(field, "num")) {
				char *n = first_ref_name(val);
				if (n)
					json_object_set_new(info, !strcmp(field, "elem") ? "variable" : "count",
							    json_string(n));
				free(n);
			}
			free(field);
		}
		free(parts.v);
	}
	free(el.v);
	json_object_set_new(c->param_arrays, vname, info);
}

/* __UNIQUE_ID_* modinfo strings: "parm=NAME:DESC", "parmtype=NAME:TYPE",
 * "license=...", ... */
static void modinfo_decl(ka_ctx *c, CXCursor var)
{
	char *s = eval_string(var);
	if (!s)
		return;
	const char *eq = strchr(s, '=');
	if (eq && (ku_startswith(s, "parm=") || ku_startswith(s, "parmtype="))) {
		const char *colon = strchr(eq, ':');
		if (colon) {
			char *pname = ku_strndup(eq + 1, (size_t)(colon - eq - 1));
			json_t *info = json_object_get(c->param_info, pname);
			if (!info) {
				info = json_object();
				json_object_set_new(c->param_info, pname, info);
			}
			json_object_set_new(info, ku_startswith(s, "parm=") ? "description" : "type",
					    json_string(colon + 1));
			free(pname);
		}
	} else if (eq) {
		json_array_append_new(c->modinfo, json_string(s));
	}
	free(s);
}

/* ---- device ID tables ---- */

typedef struct field_list {
	ku_strv names;
	CXType types[64];
} field_list;

static enum CXVisitorResult field_visit(CXCursor f, CXClientData data)
{
	field_list *fl = data;
	if (fl->names.n < 64) {
		char *n = ka_cursor_name(f);
		fl->types[fl->names.n] = clang_getCursorType(f);
		ku_strv_push(&fl->names, n);
		free(n);
	}
	return CXVisit_Continue;
}

static int unsigned_kind(enum CXTypeKind k)
{
	return k == CXType_Bool || k == CXType_UChar || k == CXType_UShort || k == CXType_UInt ||
	       k == CXType_ULong || k == CXType_ULongLong || k == CXType_Char_U || k == CXType_UInt128;
}

static json_t *uint_json(unsigned long long v)
{
	if (v <= (unsigned long long)LLONG_MAX)
		return json_integer((json_int_t)v);
	char buf[32];
	snprintf(buf, sizeof buf, "0x%llx", v);
	return json_string(buf);
}

/* Value of one initializer for a field of type t: an integer cut to the
 * field's width, a string, or the expression's text. */
static json_t *field_value(ka_ctx *c, CXCursor e, CXType t, int *nonzero)
{
	CXType ct = clang_getCanonicalType(t);
	/* libclang 19 crashes evaluating a braced array initializer
	 * (`.name = { 'a', 0 }`; found by tests/fuzz/fuzz_idtable): its text */
	int braced_array = ct.kind == CXType_ConstantArray && clang_getCursorKind(e) == CXCursor_InitListExpr;
	if (ct.kind == CXType_ConstantArray && !braced_array) {
		char *s = eval_string(e);
		if (s) {
			*nonzero |= s[0] != 0;
			json_t *j = json_string(s);
			free(s);
			return j;
		}
	}
	int ok = 0, uns;
	unsigned long long v = braced_array ? 0 : eval_int(e, &ok, &uns);
	if (ok) {
		long long size = clang_Type_getSizeOf(ct);
		if (ct.kind == CXType_Enum)
			ct = clang_getCanonicalType(clang_getEnumDeclIntegerType(clang_getTypeDeclaration(ct)));
		if (size > 0 && size < 8)
			v &= (1ULL << (size * 8)) - 1;
		*nonzero |= v != 0;
		if (!unsigned_kind(ct.kind) && size > 0 && size < 8 && (v >> (size * 8 - 1)) & 1)
			return json_integer((json_int_t)(v | ~((1ULL << (size * 8)) - 1)));
		if (!unsigned_kind(ct.kind))
			return json_integer((json_int_t)v);
		return uint_json(v);
	}
	*nonzero = 1;
	char *txt = ka_extent_text(c, e);
	json_t *j = json_string(txt);
	free(txt);
	return j;
}

static json_t *default_value(CXType t)
{
	CXType ct = clang_getCanonicalType(t);
	if (ct.kind == CXType_ConstantArray)
		return json_string("");
	if (ct.kind == CXType_Pointer)
		return json_null();
	return json_integer(0);
}

/* One table entry (an InitListExpr, syntactic form: designated fields show
 * as an unexposed expression whose first child is a MemberRef). */
static json_t *id_entry(ka_ctx *c, CXCursor entry, field_list *fl)
{
	json_t **vals = ku_calloc(fl->names.n + 1, sizeof *vals);
	child_list el = children(entry);
	size_t fi = 0;
	int nonzero = 0;
	for (size_t i = 0; i < el.n; i++) {
		CXCursor val = el.v[i];
		child_list parts = children(el.v[i]);
		if (parts.n >= 2 && clang_getCursorKind(parts.v[0]) == CXCursor_MemberRef) {
			char *field = ka_cursor_name(parts.v[0]);
			for (fi = 0; fi < fl->names.n && strcmp(fl->names.v[fi], field); fi++)
				;
			free(field);
			val = parts.v[parts.n - 1];
		}
		free(parts.v);
		if (fi < fl->names.n) {
			json_decref(vals[fi]);
			vals[fi] = field_value(c, val, fl->types[fi], &nonzero);
		}
		fi++;
	}
	free(el.v);
	json_t *o = NULL;
	if (nonzero) {
		o = json_object();
		for (size_t i = 0; i < fl->names.n; i++)
			json_object_set_new(o, fl->names.v[i], vals[i] ? vals[i] : default_value(fl->types[i]));
	} else {
		for (size_t i = 0; i < fl->names.n; i++)
			json_decref(vals[i]);
	}
	free(vals);
	return o;
}

static void id_table(ka_ctx *c, CXCursor var, const char *name)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(var));
	if (t.kind != CXType_ConstantArray && t.kind != CXType_IncompleteArray)
		return;
	CXType et = clang_getCanonicalType(clang_getArrayElementType(t));
	if (et.kind != CXType_Record)
		return;
	char *sname = ka_cursor_name(clang_getTypeDeclaration(et));
	if (!ku_endswith(sname, "_device_id") || !strcmp(sname, "_device_id")) {
		free(sname);
		return;
	}
	char *bus = ku_strndup(sname, strlen(sname) - strlen("_device_id"));
	CXCursor init = first_of_kind(var, CXCursor_InitListExpr);
	if (clang_Cursor_isNull(init))
		goto out;
	field_list fl = {0};
	clang_Type_visitFields(et, field_visit, &fl);
	json_t *ids = json_array();
	child_list el = children(init);
	for (size_t i = 0; i < el.n; i++) {
		if (clang_getCursorKind(el.v[i]) != CXCursor_InitListExpr)
			continue;
		json_t *e = id_entry(c, el.v[i], &fl);
		if (e)
			json_array_append_new(ids, e);
	}
	free(el.v);
	ku_strv_free(&fl.names);
	json_t *tab = loc_pack(c, var, "name", json_string(name), "bus", json_string(bus));
	json_object_set_new(tab, "struct", json_string(sname));
	json_object_set_new(tab, "ids", ids);
	json_array_append_new(c->id_tables, tab);
out:
	free(bus);
	free(sname);
}

/* ---- top level ---- */

/* Is `attr` (an UnexposedAttr cursor) spelled "alias" / "__alias__"?
 * libclang does not expose alias attributes, so read the source text at
 * the attribute's spelling location (inside module_init's body for the
 * init_module alias). */
static int is_alias_attr(ka_ctx *c, CXCursor attr)
{
	CXFile f = NULL;
	unsigned off = 0;
	clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(attr)), &f, NULL, NULL, &off);
	if (!f)
		return 0;
	size_t size = 0;
	const char *text = clang_getFileContents(c->tu, f, &size);
	if (!text || off >= size)
		return 0;
	const char *p = text + off;
	size_t left = size - off;
	return (left > 5 && !strncmp(p, "alias", 5) && !(p[5] == '_' || (p[5] >= 'a' && p[5] <= 'z'))) ||
	       (left > 9 && !strncmp(p, "__alias__", 9));
}

static enum CXChildVisitResult alias_visit(CXCursor cur, CXCursor parent, CXClientData data)
{
	(void)parent;
	void **d = data;
	if (clang_getCursorKind(cur) == CXCursor_UnexposedAttr && is_alias_attr(d[0], cur)) {
		*(int *)d[1] = 1;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static int has_alias(ka_ctx *c, CXCursor decl)
{
	int found = 0;
	void *d[2] = {c, &found};
	clang_visitChildren(decl, alias_visit, d);
	return found;
}

static void note_definition(ka_ctx *c, CXCursor decl, const char *name, const char *kind)
{
	if (clang_getCursorLinkage(decl) != CXLinkage_External)
		return;
	int defined = !strcmp(kind, "variable") ? ka_driver_var(c, decl) : clang_isCursorDefinition(decl) != 0;
	if (!defined && has_alias(c, decl)) {
		defined = 1; /* int init_module(void) __attribute__((alias("x"))) */
		ka_refs_mark_local(c, kind, name);
	}
	if (!defined)
		return;
	json_array_append_new(c->defines, json_string(name));
	if (kl_is_libc_name(name))
		json_array_append_new(c->libc, loc_pack(c, decl, "name", json_string(name), "kind",
							json_string(kind)));
}

void ka_module_decl(ka_ctx *c, CXCursor decl)
{
	enum CXCursorKind k = clang_getCursorKind(decl);
	if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl)
		return;
	char *name = ka_cursor_name(decl);
	if (k == CXCursor_FunctionDecl) {
		if (!strcmp(name, "__inittest"))
			entry_test_fn(c, decl, "module_init");
		else if (!strcmp(name, "__exittest"))
			entry_test_fn(c, decl, "module_exit");
		else
			note_definition(c, decl, name, "function");
		/* the old way: init_module/cleanup_module written out (not an alias) */
		if ((!strcmp(name, "init_module") || !strcmp(name, "cleanup_module")) &&
		    clang_isCursorDefinition(decl))
			entry_function(c, decl, name[0] == 'i' ? "init" : "exit", name, NULL);
		free(name);
		return;
	}
	if (ku_startswith(name, "__param_arr_"))
		param_array_decl(c, decl, name);
	else if (ku_startswith(name, "__param_str_"))
		;
	else if (ku_startswith(name, "__param_"))
		param_decl(c, decl, name + strlen("__param_"));
	else if (ku_startswith(name, "__UNIQUE_ID_"))
		modinfo_decl(c, decl);
	else if (ku_startswith(name, "__mod_") && ku_endswith(name, "_device_table")) {
		/* MODULE_DEVICE_TABLE(bus, table): __mod_<bus>__<table>_device_table */
		const char *sep = strstr(name + 6, "__");
		if (sep) {
			char *tab = ku_strndup(sep + 2, strlen(sep + 2) - strlen("_device_table"));
			json_object_set_new(c->exported, tab, json_true());
			free(tab);
		}
	} else {
		id_table(c, decl, name);
		note_definition(c, decl, name, "variable");
	}
	free(name);
}

void ka_module_finish(ka_ctx *c)
{
	size_t i;
	json_t *p, *t;
	json_array_foreach(c->params, i, p) {
		json_t *info = json_object_get(c->param_info, json_string_value(json_object_get(p, "name")));
		json_t *type = json_object_get(info, "type"), *desc = json_object_get(info, "description");
		json_object_set(p, "type", type ? type : json_null());
		json_object_set(p, "description", desc ? desc : json_null());
	}
	json_array_foreach(c->id_tables, i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		json_object_set_new(t, "device_table", json_boolean(json_object_get(c->exported, name) != NULL));
	}
	/* module_*_driver(x) writes its own module_init/exit: report the
	 * macro, not the functions it generated (same file and line). */
	json_t *keep = json_array(), *e, *d;
	size_t j;
	json_array_foreach(c->entry_points, i, e) {
		int generated = 0;
		if (json_object_get(e, "function")) {
			json_array_foreach(c->entry_points, j, d) {
				if (json_object_get(d, "driver") && json_equal(json_object_get(d, "file"),
									      json_object_get(e, "file")) &&
				    json_equal(json_object_get(d, "line"), json_object_get(e, "line")))
					generated = 1;
			}
		}
		if (!generated)
			json_array_append(keep, e);
	}
	json_decref(c->entry_points);
	c->entry_points = keep;
}
