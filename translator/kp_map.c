/* kp_map.c: loads the mapping tables (mappings/AREA.lua, DSL described in
 * mappings/README.md) in a Lua sandbox and turns them into km_entry records.
 *
 * The tables are data, so the sandbox offers only the verbs (area, rename,
 * runtime, import, stub, unsupported, header) and pure helpers (pairs,
 * string, table, math ...): no io, os, require, load, debug.  Execution is
 * bounded by an instruction-count hook and a memory cap, so a table that
 * loops or balloons fails with file:line instead of hanging the translator.
 *
 * An entry may say which Linux versions it applies to (since = "6.10",
 * before = "6.10", per entry or for the whole verb call); the same symbol
 * may then be mapped once per disjoint range, and km_load_dir_for() keeps
 * what applies to one tree.
 *
 * Every entry records the file and line it came from.  Lua reports only the
 * line of a call, not of each key inside a table constructor, so entry_line()
 * finds an entry's own line with a tiny lexer over the chunk text. */
#include "kp_map.h"

#include <dirent.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A real table file needs < 20k instructions; more means a loop.  Each
 * instruction can allocate (a string, a table slot, GC work), so the cap
 * bounds time too: 10 million stops the worst loops tests/fuzz/fuzz_map
 * found in about a second (50 million took ~9 s). */
#define KM_MAX_INSNS (10L * 1000 * 1000)
#define KM_HOOK_STEP 1000
#define KM_MAX_MEM ((size_t)64 << 20)

struct km_table {
	km_entry *v;
	size_t n, cap;
	ku_strv tree_dirs, tree_notes; /* import_tree: directory prefixes and their notes */
	ku_strv tree_places;           /* "file:line" of each, for messages */
};

/* One load (a directory or a string): shared by every file of it.  Lives in
 * the Lua state's extra space so the verbs, the hook and the allocator see it. */
typedef struct km_ctx {
	km_table *t;
	const char *file;  /* path of the file being run, for messages */
	const char *text;  /* its text, for per-entry lines */
	size_t len;
	char *area;        /* area of the current file (malloc'd) */
	size_t file_first; /* index in t of the current file's first entry */
	int curry_line;    /* line of a `verb "note"` not yet given its table, else 0 */
	const char *curry_verb;
	long insns;
	size_t mem;
} km_ctx;

static const char *const kind_names[] = {
	[KM_NONE] = "none", [KM_RENAME] = "rename", [KM_RUNTIME] = "runtime",
	[KM_IMPORT] = "import", [KM_STUB] = "stub", [KM_UNSUPPORTED] = "unsupported",
	[KM_HEADER] = "header",
};

const char *km_kind_name(km_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

static km_ctx *ctx_of(lua_State *L) { return *(km_ctx **)lua_getextraspace(L); }

/* ---- errors: "file:line: message" raised into Lua, caught by load_chunk ---- */

static int caller_line(lua_State *L, int level)
{
	lua_Debug ar;
	if (lua_getstack(L, level, &ar) && lua_getinfo(L, "l", &ar))
		return ar.currentline;
	return 0;
}

static int fail_at(lua_State *L, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(lua_State *L, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lua_pushfstring(L, "%s:%d: %s", ctx_of(L)->file, line, msg);
	return lua_error(L);
}

/* ---- per-entry lines ---- */

typedef struct tok {
	int kind; /* 'i' identifier, 's' string, 'n' number, 'E' multi-char operator, else the char */
	const char *p;
	size_t len;
	int line;
} tok;

/* Length of a long bracket opener "[==[" at s (0 if none); *level = count of '='. */
static size_t long_open(const char *s, const char *end, size_t *level)
{
	const char *p = s + 1;
	if (s >= end || *s != '[')
		return 0;
	while (p < end && *p == '=')
		p++;
	if (p >= end || *p != '[')
		return 0;
	*level = (size_t)(p - s - 1);
	return (size_t)(p - s + 1);
}

/* Skip to after the closing "]==]" of a long bracket; counts lines. */
static const char *long_close(const char *p, const char *end, size_t level, int *line)
{
	for (; p < end; p++) {
		if (*p == '\n')
			(*line)++;
		if (*p != ']')
			continue;
		const char *q = p + 1;
		while (q < end && *q == '=')
			q++;
		if (q < end && *q == ']' && (size_t)(q - p - 1) == level)
			return q + 1;
	}
	return end;
}

static int is_idch(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* Next token at *pp (comments and blanks skipped); kind 0 at the end. */
static tok next_tok(const char **pp, const char *end, int *line)
{
	const char *p = *pp;
	tok t = {0, end, 0, *line};
	size_t lvl, n;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			if (*p++ == '\n')
				(*line)++;
		if (p + 1 < end && p[0] == '-' && p[1] == '-') {
			if ((n = long_open(p + 2, end, &lvl)))
				p = long_close(p + 2 + n, end, lvl, line);
			else
				while (p < end && *p != '\n')
					p++;
			continue;
		}
		break;
	}
	t.line = *line;
	t.p = p;
	if (p >= end) {
		*pp = p;
		return t;
	}
	if ((n = long_open(p, end, &lvl))) {
		t.kind = 's';
		t.p = p + n;
		p = long_close(p + n, end, lvl, line);
		t.len = (size_t)(p - t.p) - (lvl + 2);
	} else if (*p == '"' || *p == '\'') {
		char q = *p++;
		t.kind = 's';
		t.p = p;
		while (p < end && *p != q && *p != '\n') {
			if (*p == '\\' && p + 1 < end && *++p == '\n')
				(*line)++;
			p++;
		}
		t.len = (size_t)(p - t.p);
		if (p < end && *p == q)
			p++;
	} else if (is_idch((unsigned char)*p)) {
		t.kind = (*p >= '0' && *p <= '9') ? 'n' : 'i';
		while (p < end && (is_idch((unsigned char)*p) || (t.kind == 'n' && *p == '.')))
			p++;
		t.len = (size_t)(p - t.p);
	} else if (p + 1 < end && strchr("=~<>.:/", *p) && (p[1] == '=' || p[1] == *p)) {
		t.kind = 'E';
		t.len = 2;
		p += 2;
	} else {
		t.kind = (unsigned char)*p++;
		t.len = 1;
	}
	*pp = p;
	return t;
}

static int tok_is(const tok *t, int kind, const char *s, size_t n)
{
	return t->kind == kind && t->len == n && memcmp(t->p, s, n) == 0;
}

static int opens_entry(const tok *t) { return t->kind == '{' || t->kind == ',' || t->kind == ';'; }

/* Line of entry `sym` in a table constructor at or after line `from`: either
 * a key (`sym =` or `["sym"] =`) or, when `quoted`, an element ("sym" between
 * separators).  Falls back to `from` (the line of the verb call). */
static int entry_line(const char *text, size_t len, int from, const char *sym, int quoted)
{
	const char *p = text, *end = text + len;
	int line = 1;
	size_t n = strlen(sym);
	tok w[5] = {{0}}; /* w[4] newest */
	while (line < from && p < end)
		if (*p++ == '\n')
			line++;
	for (;;) {
		memmove(w, w + 1, 4 * sizeof w[0]);
		w[4] = next_tok(&p, end, &line);
		if (!w[4].kind)
			return from;
		if (quoted) {
			if ((w[4].kind == ',' || w[4].kind == ';' || w[4].kind == '}') &&
			    tok_is(&w[3], 's', sym, n) && opens_entry(&w[2]))
				return w[3].line;
		} else if (w[4].kind == '=') {
			if (tok_is(&w[3], 'i', sym, n) && opens_entry(&w[2]))
				return w[3].line;
			if (w[3].kind == ']' && tok_is(&w[2], 's', sym, n) && w[1].kind == '[' && opens_entry(&w[0]))
				return w[2].line;
		}
	}
}

/* ---- building entries ---- */

/* One entry as parsed, pointing into Lua-owned strings (valid while the
 * verb's argument table is on the stack); copied only once it is valid, so
 * an error (longjmp) never leaks. */
typedef struct draft {
	const char *symbol, *target, *ret, *reason;
	const char *since, *before; /* version range, NULL: unbounded */
	int line;
	char num[32]; /* ret given as a Lua integer */
} draft;

/* A version: 1 to 3 dot-separated numbers ("6", "6.12", "6.12.117"). */
static int valid_version(const char *v)
{
	int parts = 0, digits = 0;
	for (;; v++) {
		if (*v >= '0' && *v <= '9') {
			digits++;
			continue;
		}
		if (!digits || (*v != '.' && *v) || ++parts > 3)
			return 0;
		if (!*v)
			return 1;
		digits = 0;
	}
}

int km_version_cmp(const char *a, const char *b)
{
	for (;;) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (*ea != '.' && *eb != '.')
			return 0;
		a = *ea == '.' ? ea + 1 : ea; /* a version that ended reads as .0.0 */
		b = *eb == '.' ? eb + 1 : eb;
	}
}

int km_applies(const km_entry *e, const char *version)
{
	if (!version)
		return 1;
	return (!e->since || km_version_cmp(version, e->since) >= 0) &&
	       (!e->before || km_version_cmp(version, e->before) < 0);
}

/* Do [since, before) ranges overlap?  NULL bounds are open. */
static int ranges_overlap(const char *s1, const char *b1, const char *s2, const char *b2)
{
	if (b1 && s2 && km_version_cmp(b1, s2) <= 0)
		return 0;
	if (b2 && s1 && km_version_cmp(b2, s1) <= 0)
		return 0;
	return 1;
}

static const km_entry *find_entry(const km_table *t, const char *sym, const char *since, const char *before)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].symbol, sym) == 0 && ranges_overlap(t->v[i].since, t->v[i].before, since, before))
			return &t->v[i];
	return NULL;
}

static void add_entry(lua_State *L, km_kind kind, const draft *d)
{
	km_ctx *c = ctx_of(L);
	const km_entry *old = find_entry(c->t, d->symbol, d->since, d->before);
	if (old)
		fail_at(L, d->line, "'%s' is mapped twice%s: here (%s) and at %s:%d (%s)", d->symbol,
		      d->since || d->before || old->since || old->before ? " for the same Linux versions" : "",
		      km_kind_name(kind), old->file, old->line, km_kind_name(old->kind));
	if (c->t->n == c->t->cap) {
		c->t->cap = c->t->cap ? 2 * c->t->cap : 64;
		c->t->v = ku_realloc(c->t->v, c->t->cap * sizeof *c->t->v);
	}
	km_entry *e = &c->t->v[c->t->n++];
	e->symbol = ku_strdup(d->symbol);
	e->kind = kind;
	e->target = d->target ? ku_strdup(d->target) : NULL;
	e->ret = d->ret ? ku_strdup(d->ret) : NULL;
	e->reason = d->reason ? ku_strdup(d->reason) : NULL;
	e->area = ku_strdup(c->area);
	e->file = ku_strdup(c->file);
	e->line = d->line;
	e->since = d->since ? ku_strdup(d->since) : NULL;
	e->before = d->before ? ku_strdup(d->before) : NULL;
}

static int valid_path(const char *s)
{
	if (!*s || *s == '/' || strstr(s, "..") || !ku_endswith(s, ".c"))
		return 0;
	for (; *s; s++)
		if (!is_idch((unsigned char)*s) && !strchr("/.-+", *s))
			return 0;
	return 1;
}

/* A C expression for a stub's return: one line, no statement or block. */
static int valid_expr(const char *s) { return *s && !strpbrk(s, ";{}\n\\") && !strstr(s, "/*") && !strstr(s, "//"); }

static void did_you_mean(char *out, size_t n, const char *word, const char *const *choices)
{
	size_t best = 3;
	out[0] = 0;
	for (; *choices; choices++) {
		size_t d = ku_editdist(word, *choices);
		if (d < best) {
			best = d;
			snprintf(out, n, " (did you mean '%s'?)", *choices);
		}
	}
}

/* Reads the string field `key` of the table at the stack top; NULL if absent. */
static const char *str_field(lua_State *L, const draft *d, const char *verb, const char *key)
{
	lua_getfield(L, -1, key);
	int ty = lua_type(L, -1);
	const char *s = ty == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1); /* the string stays alive: the table holds it */
	if (ty != LUA_TNIL && ty != LUA_TSTRING)
		fail_at(L, d->line, "%s '%s': '%s' must be a string, not a %s", verb, d->symbol, key, lua_typename(L, ty));
	return s;
}

/* Table form `sym = { key = value, ... }` at the stack top. */
static void parse_fields(lua_State *L, km_kind kind, draft *d)
{
	static const char *const keys[][6] = {
		[KM_RENAME] = {"to", "note", "since", "before"}, [KM_RUNTIME] = {"note", "since", "before"},
		[KM_IMPORT] = {"file", "note", "since", "before"}, [KM_STUB] = {"ret", "noop", "note", "since", "before"},
		[KM_UNSUPPORTED] = {"reason", "since", "before"}, [KM_HEADER] = {"note", "since", "before"},
	};
	const char *verb = km_kind_name(kind);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		int ok = 0;
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		for (int i = 0; k && i < 6 && keys[kind][i]; i++)
			ok |= strcmp(k, keys[kind][i]) == 0;
		if (!ok) {
			char hint[96] = "", list[96] = "";
			for (int i = 0; i < 6 && keys[kind][i]; i++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", keys[kind][i]);
			if (k)
				did_you_mean(hint, sizeof hint, k, keys[kind]);
			fail_at(L, d->line, "%s '%s': unknown key '%s'%s; keys are: %s", verb, d->symbol,
			      k ? k : luaL_typename(L, -1), hint, list);
		}
	}
	const char *note = str_field(L, d, verb, kind == KM_UNSUPPORTED ? "reason" : "note");
	if (note)
		d->reason = note;
	const char *since = str_field(L, d, verb, "since"), *before = str_field(L, d, verb, "before");
	if (since)
		d->since = since;
	if (before)
		d->before = before;
	if (kind == KM_RENAME)
		d->target = str_field(L, d, verb, "to");
	if (kind == KM_IMPORT)
		d->target = str_field(L, d, verb, "file");
	if (kind == KM_STUB) {
		lua_getfield(L, -1, "ret");
		if (lua_isinteger(L, -1)) {
			snprintf(d->num, sizeof d->num, "%lld", (long long)lua_tointeger(L, -1));
			d->ret = d->num;
		} else if (lua_type(L, -1) == LUA_TSTRING) {
			d->ret = lua_tostring(L, -1);
		} else if (!lua_isnil(L, -1)) {
			fail_at(L, d->line, "stub '%s': 'ret' must be a C expression string or an integer", d->symbol);
		}
		lua_pop(L, 1);
		lua_getfield(L, -1, "noop");
		int noop = lua_toboolean(L, -1);
		if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
			fail_at(L, d->line, "stub '%s': 'noop' must be true or false", d->symbol);
		lua_pop(L, 1);
		if (noop && d->ret)
			fail_at(L, d->line, "stub '%s': 'ret' and 'noop' exclude each other", d->symbol);
		if (noop)
			d->ret = ""; /* `return ;` in a void function */
	}
}

/* Parses the value at the stack top (nil for a bare "sym" element) into d and
 * checks it; raises on any problem. */
static void parse_value(lua_State *L, km_kind kind, const char *note, draft *d)
{
	const char *verb = km_kind_name(kind);
	int ty = lua_type(L, -1);
	d->reason = note;
	if (ty == LUA_TTABLE) {
		parse_fields(L, kind, d);
	} else if (ty == LUA_TSTRING && (kind == KM_RENAME || kind == KM_IMPORT)) {
		d->target = lua_tostring(L, -1);
	} else if (ty == LUA_TSTRING && kind == KM_UNSUPPORTED) {
		d->reason = lua_tostring(L, -1);
	} else if (ty == LUA_TSTRING && kind == KM_STUB) {
		fail_at(L, d->line, "stub '%s': write %s = { ret = \"...\" } (or noop = true, or a bare \"%s\")",
		      d->symbol, d->symbol, d->symbol);
	} else if (ty != LUA_TNIL) {
		fail_at(L, d->line, "%s '%s': unexpected %s value; write a bare \"%s\" or %s = { note = \"...\" }",
		      verb, d->symbol, lua_typename(L, ty), d->symbol, d->symbol);
	}
	if (!ku_is_ident(d->symbol))
		fail_at(L, d->line, "%s: '%s' is not a C identifier", verb, d->symbol);
	if (kind == KM_RENAME && !d->target)
		fail_at(L, d->line, "rename of '%s' needs a target name", d->symbol);
	if (kind == KM_RENAME && !ku_is_ident(d->target))
		fail_at(L, d->line, "rename of '%s': target '%s' is not a C identifier", d->symbol, d->target);
	if (kind == KM_RENAME && strcmp(d->target, d->symbol) == 0)
		fail_at(L, d->line, "rename of '%s' to itself", d->symbol);
	if (kind == KM_IMPORT && d->target && !valid_path(d->target))
		fail_at(L, d->line, "import of '%s': '%s' is not a tree-relative .c path", d->symbol, d->target);
	if (kind == KM_STUB && d->ret && *d->ret && !valid_expr(d->ret))
		fail_at(L, d->line, "stub '%s': ret '%s' must be a one-line C expression", d->symbol, d->ret);
	if (kind == KM_UNSUPPORTED && (!d->reason || !*d->reason))
		fail_at(L, d->line, "unsupported '%s' needs a reason", d->symbol);
	if (d->reason && !*d->reason)
		fail_at(L, d->line, "%s '%s': empty note", verb, d->symbol);
	if (d->since && !valid_version(d->since))
		fail_at(L, d->line, "%s '%s': since = \"%s\" is not a Linux version like \"6.12\"", verb, d->symbol, d->since);
	if (d->before && !valid_version(d->before))
		fail_at(L, d->line, "%s '%s': before = \"%s\" is not a Linux version like \"6.12\"", verb, d->symbol,
			d->before);
	if (d->since && d->before && km_version_cmp(d->since, d->before) >= 0)
		fail_at(L, d->line, "%s '%s': since = \"%s\" is not before before = \"%s\": no version applies", verb,
			d->symbol, d->since, d->before);
}

/* ---- the verbs ---- */

typedef struct item {
	const char *symbol; /* key, or element value */
	lua_Integer index;  /* element index, 0 for a key */
	int line;
} item;

static int cmp_item(const void *a, const void *b)
{
	const item *x = a, *y = b;
	return x->line != y->line ? (x->line > y->line) - (x->line < y->line) : strcmp(x->symbol, y->symbol);
}

/* rename { ... }, runtime "note" { ... }, ...: upvalue 1 is the kind,
 * upvalue 2 the note given by the curried form (nil if none). */
static int verb_call(lua_State *L)
{
	km_ctx *c = ctx_of(L);
	km_kind kind = (km_kind)lua_tointeger(L, lua_upvalueindex(1));
	const char *verb = km_kind_name(kind);
	const char *note = lua_tostring(L, lua_upvalueindex(2));
	int line = caller_line(L, 1);
	if (note)
		c->curry_line = 0;
	if (lua_type(L, 1) == LUA_TSTRING && !note && lua_gettop(L) == 1) {
		c->curry_line = line;
		c->curry_verb = verb;
		lua_pushvalue(L, lua_upvalueindex(1));
		lua_pushvalue(L, 1);
		lua_pushcclosure(L, verb_call, 2);
		return 1;
	}
	if (lua_type(L, 1) != LUA_TTABLE || lua_gettop(L) != 1)
		return fail_at(L, line, "%s expects one table: %s { ... }", verb, verb);
	if (lua_getmetatable(L, 1))
		return fail_at(L, line, "%s: the table must be plain data (it has a metatable)", verb);

	/* since = "6.10" / before = "6.10" at the top of the table: for every entry of the call. */
	const char *gsince = NULL, *gbefore = NULL;
	for (int g = 0; g < 2; g++) {
		const char *key = g ? "before" : "since";
		lua_getfield(L, 1, key);
		if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
			return fail_at(L, line, "%s: %s must be a version string like \"6.12\", not a %s", verb, key,
				       luaL_typename(L, -1));
		const char *v = lua_tostring(L, -1); /* the table keeps the string alive */
		lua_pop(L, 1);
		if (v && !valid_version(v))
			return fail_at(L, line, "%s: %s = \"%s\" is not a Linux version like \"6.12\"", verb, key, v);
		*(g ? &gbefore : &gsince) = v;
	}

	size_t n = 0;
	for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1))
		if (!(lua_type(L, -2) == LUA_TSTRING && (!strcmp(lua_tostring(L, -2), "since") ||
							  !strcmp(lua_tostring(L, -2), "before"))))
			n++;
	item *it = lua_newuserdatauv(L, (n ? n : 1) * sizeof *it, 0); /* freed by the GC, even on error */
	size_t i = 0;
	for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1), i++) {
		if (lua_type(L, -2) == LUA_TSTRING &&
		    (!strcmp(lua_tostring(L, -2), "since") || !strcmp(lua_tostring(L, -2), "before"))) {
			i--; /* the group's versions, read above */
			continue;
		}
		if (lua_isinteger(L, -2)) {
			if (lua_type(L, -1) != LUA_TSTRING)
				return fail_at(L, line, "%s: element %lld must be a symbol name in quotes, not a %s", verb,
					     (long long)lua_tointeger(L, -2), luaL_typename(L, -1));
			it[i].symbol = lua_tostring(L, -1);
			it[i].index = lua_tointeger(L, -2);
		} else if (lua_type(L, -2) == LUA_TSTRING) {
			it[i].symbol = lua_tostring(L, -2);
			it[i].index = 0;
		} else {
			return fail_at(L, line, "%s: keys must be symbol names, not a %s", verb, luaL_typename(L, -2));
		}
		it[i].line = entry_line(c->text, c->len, line, it[i].symbol, it[i].index != 0);
	}
	if (n)
		qsort(it, n, sizeof *it, cmp_item); /* report problems top to bottom */
	for (i = 0; i < n; i++) {
		draft d = {.symbol = it[i].symbol, .line = it[i].line, .since = gsince, .before = gbefore};
		if (it[i].index) {
			lua_pushnil(L);
		} else {
			lua_pushstring(L, it[i].symbol);
			lua_rawget(L, 1);
		}
		parse_value(L, kind, note, &d);
		add_entry(L, kind, &d);
		lua_pop(L, 1);
	}
	return 0;
}

/* area "name": names the API area of the file's entries (default: file stem). */
static int verb_area(lua_State *L)
{
	km_ctx *c = ctx_of(L);
	int line = caller_line(L, 1);
	const char *a = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
	if (!a || !ku_is_ident(a))
		return fail_at(L, line, "area expects a name: area \"io\"");
	if (c->t->n > c->file_first)
		return fail_at(L, line, "area must come before the file's entries");
	free(c->area);
	c->area = ku_strdup(a);
	return 0;
}

/* import_tree { ["drivers/gpu/drm/"] = "note" }: every name no table maps
 * whose exporting file lies under one of these directories is imported by
 * default, as lib/ code is (kp_resolve.c).  For subsystem cores a driver
 * cannot work without (the DRM core, its helpers, TTM). */
static int verb_import_tree(lua_State *L)
{
	km_ctx *c = ctx_of(L);
	int line = caller_line(L, 1);
	if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE)
		return fail_at(L, line, "import_tree expects one table: import_tree { [\"dir/\"] = \"why\" }");
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
			return fail_at(L, line, "import_tree: entries are [\"dir/\"] = \"why\" (strings)");
		}
		const char *dir = lua_tostring(L, -2), *note = lua_tostring(L, -1);
		if (!*dir || dir[0] == '/' || dir[strlen(dir) - 1] != '/' || strstr(dir, "..") || !*note) {
			return fail_at(L, line, "import_tree: '%s' must be a tree-relative directory ending in '/', "
				       "with a non-empty reason", dir);
		}
		for (size_t i = 0; i < c->t->tree_dirs.n; i++)
			if (!strcmp(c->t->tree_dirs.v[i], dir)) {
					return fail_at(L, line, "import_tree: '%s' already named at %s", dir,
					       c->t->tree_places.v[i]);
			}
		ku_strv_push(&c->t->tree_dirs, dir);
		ku_strv_push(&c->t->tree_notes, note);
		ku_strv_pushf(&c->t->tree_places, "%s:%d", c->file, line);
		lua_pop(L, 1);
	}
	return 0;
}

static const char *const verb_names[] = {"area",	"rename", "runtime", "import",	    "stub",
					 "unsupported", "header", "import_tree", NULL};
static const char *const forbidden[] = {"io", "os", "require", "dofile", "loadfile", "load", "loadstring", "debug",
					"package", "collectgarbage", "print", "coroutine", "setmetatable",
					"getmetatable", "rawset", "pcall", "xpcall", NULL};

static int env_index(lua_State *L)
{
	const char *k = lua_tostring(L, 2);
	int line = caller_line(L, 1);
	char hint[96];
	for (const char *const *f = forbidden; k && *f; f++)
		if (strcmp(k, *f) == 0)
			return fail_at(L, line, "'%s' is not available: mapping tables are data (no files, processes or modules)", k);
	did_you_mean(hint, sizeof hint, k ? k : "", verb_names);
	return fail_at(L, line, "unknown verb or name '%s'%s", k ? k : "?", hint);
}

static int env_newindex(lua_State *L)
{
	return fail_at(L, caller_line(L, 1), "assignment to global '%s': use 'local'", lua_tostring(L, 2));
}

/* ---- the sandbox ---- */

static void *km_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
	km_ctx *c = ud;
	if (nsize == 0) {
		free(p);
		c->mem -= p ? osize : 0;
		return NULL;
	}
	size_t old = p ? osize : 0;
	if (nsize > old && c->mem + (nsize - old) > KM_MAX_MEM)
		return NULL;
	void *q = realloc(p, nsize);
	if (q)
		c->mem = c->mem - old + nsize;
	return q;
}

static void km_hook(lua_State *L, lua_Debug *ar)
{
	km_ctx *c = ctx_of(L);
	c->insns += KM_HOOK_STEP;
	if (c->insns <= KM_MAX_INSNS)
		return;
	lua_getinfo(L, "l", ar);
	fail_at(L, ar->currentline, "mapping table runs too long (over %ld million Lua instructions): endless loop?",
	      KM_MAX_INSNS / 1000000);
}

/* Copies the named fields of table `from` (absolute index) into a new table on the top. */
static void copy_fields(lua_State *L, int from, const char *const *names)
{
	lua_newtable(L);
	for (; *names; names++) {
		lua_getfield(L, from, *names);
		lua_setfield(L, -2, *names);
	}
}

/* Builds the environment template (registry "kp_map.env") once per state.
 * Pattern matching (find, match, gsub) is left out: it runs in C, where the
 * instruction hook cannot stop a pathological pattern. */
static int sandbox_init(lua_State *L)
{
	static const char *const base[] = {"assert", "error", "ipairs", "next", "pairs", "rawequal", "rawlen",
					   "select", "tonumber", "tostring", "type", NULL};
	static const char *const str[] = {"byte", "char", "format", "len", "lower", "rep", "reverse", "sub",
					  "upper", NULL};
	static const char *const tab[] = {"concat", "insert", "remove", "sort", "unpack", NULL};
	static const char *const math[] = {"abs", "ceil", "floor", "huge", "max", "maxinteger", "min",
					   "mininteger", "tointeger", "type", NULL};
	enum { G = 1, S, T, M, ENV, SAFESTR };
	lua_settop(L, 0);
	luaL_requiref(L, "_G", luaopen_base, 1);
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
	copy_fields(L, G, base);
	copy_fields(L, S, str);
	lua_pushvalue(L, SAFESTR);
	lua_setfield(L, ENV, "string");
	lua_pushliteral(L, ""); /* method calls on strings see only the safe subset too */
	lua_getmetatable(L, -1);
	lua_pushvalue(L, SAFESTR);
	lua_setfield(L, -2, "__index");
	lua_settop(L, ENV);
	copy_fields(L, T, tab);
	lua_setfield(L, ENV, "table");
	copy_fields(L, M, math);
	lua_setfield(L, ENV, "math");
	lua_pushcfunction(L, verb_area);
	lua_setfield(L, ENV, "area");
	lua_pushcfunction(L, verb_import_tree);
	lua_setfield(L, ENV, "import_tree");
	for (int k = KM_RENAME; k <= KM_HEADER; k++) {
		lua_pushinteger(L, k);
		lua_pushnil(L);
		lua_pushcclosure(L, verb_call, 2);
		lua_setfield(L, ENV, km_kind_name((km_kind)k));
	}
	lua_pushvalue(L, ENV);
	lua_setfield(L, LUA_REGISTRYINDEX, "kp_map.env");
	lua_settop(L, 0);
	return 0;
}

/* Runs one chunk (protected): a fresh environment per file, so files cannot
 * see each other's locals or leftovers. */
static int run_chunk(lua_State *L)
{
	km_ctx *c = ctx_of(L);
	char *chunkname = ku_printf("@%s", c->file);
	int st = luaL_loadbufferx(L, c->text, c->len, chunkname, "t");
	free(chunkname);
	if (st != LUA_OK && c->len && c->text[0] == LUA_SIGNATURE[0])
		return fail_at(L, 1, "binary Lua chunks are not accepted as mapping tables");
	if (st != LUA_OK)
		return lua_error(L);
	lua_newtable(L);
	lua_getfield(L, LUA_REGISTRYINDEX, "kp_map.env");
	lua_pushnil(L);
	while (lua_next(L, -2)) { /* env[k] = template[k]; keeps k for the next step */
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, -5);
	}
	lua_pop(L, 1);
	lua_newtable(L); /* metatable: unknown names and global assignments are errors */
	lua_pushcfunction(L, env_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, env_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_setmetatable(L, -2);
	if (!lua_setupvalue(L, -2, 1)) /* _ENV */
		lua_pop(L, 1);
	c->insns = 0;
	lua_sethook(L, km_hook, LUA_MASKCOUNT, KM_HOOK_STEP);
	c->curry_line = 0;
	lua_call(L, 0, 0);
	lua_sethook(L, NULL, 0, 0);
	if (c->curry_line)
		return fail_at(L, c->curry_line, "%s \"...\" must be followed by a table: %s \"note\" { ... }",
			       c->curry_verb, c->curry_verb);
	return 0;
}

/* Lua abbreviates long chunk names ("...ings/io.lua:3:"); put the full path back. */
static void set_error(const km_ctx *c, const char *msg)
{
	if (strncmp(msg, "...", 3) == 0) {
		const char *colon = strchr(msg, ':');
		size_t tail = colon ? (size_t)(colon - msg - 3) : 0;
		size_t flen = strlen(c->file);
		if (colon && tail <= flen && strncmp(c->file + flen - tail, msg + 3, tail) == 0) {
			ku_err("%s%s", c->file, colon);
			return;
		}
	}
	ku_err("%s", msg);
}

static char *file_stem(const char *name)
{
	const char *b = ku_basename(name);
	const char *dot = strrchr(b, '.');
	return ku_strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/* Lua counts "\n", "\r", "\r\n" and "\n\r" as one line break each, the
 * entry-line lexer above only '\n': a file with CR line endings got entry
 * lines past its end (found by tests/fuzz/fuzz_map).  Both read this copy,
 * in which every line break is one '\n' - what Lua's lexer makes of them
 * inside strings too, so the chunk means the same. */
static char *one_kind_of_newline(const char *text, size_t len, size_t *out_len)
{
	char *o = ku_malloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\r' && text[i] != '\n') {
			o[n++] = text[i];
			continue;
		}
		if (i + 1 < len && (text[i + 1] == '\r' || text[i + 1] == '\n') && text[i + 1] != text[i])
			i++;
		o[n++] = '\n';
	}
	o[n] = 0;
	*out_len = n;
	return o;
}

static int load_chunk(lua_State *L, const char *file, const char *text, size_t len)
{
	km_ctx *c = ctx_of(L);
	char *norm = one_kind_of_newline(text, len, &len);
	c->file = file;
	c->text = norm;
	c->len = len;
	free(c->area);
	c->area = file_stem(file);
	c->file_first = c->t->n;
	lua_pushcfunction(L, run_chunk);
	int st = lua_pcall(L, 0, 0, 0);
	lua_sethook(L, NULL, 0, 0);
	c->text = NULL;
	free(norm);
	if (st == LUA_OK)
		return 0;
	if (st == LUA_ERRMEM)
		ku_err("%s: mapping table uses too much memory (over %zu MiB)", file, KM_MAX_MEM >> 20);
	else
		set_error(c, lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error object is not a string");
	lua_settop(L, 0);
	return -1;
}

/* ---- public API ---- */

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const km_entry *)a)->symbol, ((const km_entry *)b)->symbol);
}

typedef struct loader {
	lua_State *L;
	km_ctx c;
} loader;

static int loader_open(loader *ld)
{
	memset(ld, 0, sizeof *ld);
	ld->c.t = ku_calloc(1, sizeof *ld->c.t);
	ld->L = lua_newstate(km_alloc, &ld->c);
	if (!ld->L)
		return ku_err("mapping tables: cannot create a Lua state");
	*(km_ctx **)lua_getextraspace(ld->L) = &ld->c;
	lua_pushcfunction(ld->L, sandbox_init);
	if (lua_pcall(ld->L, 0, 0, 0) != LUA_OK)
		return ku_err("mapping tables: cannot set up the Lua sandbox");
	return 0;
}

/* Closes the state; returns the table on success, else frees it. */
static km_table *loader_close(loader *ld, int ok)
{
	if (ld->L)
		lua_close(ld->L);
	free(ld->c.area);
	if (!ok) {
		km_free(ld->c.t);
		return NULL;
	}
	if (ld->c.t->n)
		qsort(ld->c.t->v, ld->c.t->n, sizeof *ld->c.t->v, cmp_entry);
	return ld->c.t;
}

km_table *km_load_string(const char *name, const char *text)
{
	loader ld;
	int ok = loader_open(&ld) == 0 && load_chunk(ld.L, name, text, strlen(text)) == 0;
	return loader_close(&ld, ok);
}

km_table *km_load_dir(const char *dir)
{
	ku_strv names = {0};
	DIR *d = opendir(dir);
	if (!d) {
		ku_err("%s: cannot open the mapping directory", dir);
		return NULL;
	}
	for (struct dirent *de; (de = readdir(d));)
		if (de->d_name[0] != '.' && ku_endswith(de->d_name, ".lua"))
			ku_strv_push(&names, de->d_name);
	closedir(d);
	ku_strv_sort(&names);
	if (names.n == 0) {
		/* Every name would become a stub: say so instead. */
		ku_err("%s: no mapping tables (*.lua) in this directory", dir);
		return NULL;
	}

	loader ld;
	int ok = loader_open(&ld) == 0;
	for (size_t i = 0; ok && i < names.n; i++) {
		char *path = ku_path_join(dir, names.v[i]);
		ku_buf text = {0};
		ok = ku_read_file(path, &text) == 0 && load_chunk(ld.L, path, text.s, text.len) == 0;
		ku_buf_free(&text);
		free(path);
	}
	ku_strv_free(&names);
	return loader_close(&ld, ok);
}

km_table *km_load_dir_for(const char *dir, const char *version)
{
	km_table *t = km_load_dir(dir);
	size_t keep = 0;
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (km_applies(&t->v[i], version)) {
			t->v[keep++] = t->v[i];
			continue;
		}
		km_entry *e = &t->v[i];
		free(e->symbol), free(e->target), free(e->ret), free(e->reason);
		free(e->area), free(e->file), free(e->since), free(e->before);
	}
	t->n = keep; /* still sorted by symbol, now one entry each */
	return t;
}

void km_free(km_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		km_entry *e = &t->v[i];
		free(e->symbol);
		free(e->target);
		free(e->ret);
		free(e->reason);
		free(e->area);
		free(e->file);
		free(e->since);
		free(e->before);
	}
	free(t->v);
	ku_strv_free(&t->tree_dirs), ku_strv_free(&t->tree_notes), ku_strv_free(&t->tree_places);
	free(t);
}

const char *km_import_tree(const km_table *t, const char *file)
{
	for (size_t i = 0; t && file && i < t->tree_dirs.n; i++)
		if (ku_startswith(file, t->tree_dirs.v[i]))
			return t->tree_notes.v[i];
	return NULL;
}

const km_entry *km_lookup(const km_table *t, const char *symbol)
{
	km_entry key = {.symbol = (char *)symbol};
	return t && t->n ? bsearch(&key, t->v, t->n, sizeof *t->v, cmp_entry) : NULL;
}

size_t km_count(const km_table *t) { return t ? t->n : 0; }

const km_entry *km_at(const km_table *t, size_t i) { return t && i < t->n ? &t->v[i] : NULL; }
