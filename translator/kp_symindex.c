/* kp_symindex.c: the tree's EXPORT_SYMBOL index (see kp_symindex.h).
 * Cache file: <cache>/symindex/<tree key>.txt, one "symbol file" per line. */
#define _GNU_SOURCE
#include "kp_cache.h"
#include "kp_symindex.h"
#include "kp_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KSI_FORMAT "ksi-2" /* 2: per-CPU exports */

typedef struct ksi_slot {
	char *name;
	char *file;
} ksi_slot;

struct ksi_index {
	ksi_slot *slots;
	size_t cap, n;
};

static size_t hash(const char *s) { return (size_t)ku_fnv1a(s); }

ksi_index *ksi_new(void)
{
	ksi_index *ix = ku_calloc(1, sizeof *ix);
	ix->cap = 1 << 16;
	ix->slots = ku_calloc(ix->cap, sizeof *ix->slots);
	return ix;
}

static void put(ksi_index *ix, const char *name, size_t nlen, const char *file)
{
	if ((ix->n + 1) * 2 > ix->cap) {
		ksi_slot *old = ix->slots;
		size_t oldcap = ix->cap;
		ix->cap *= 2;
		ix->slots = ku_calloc(ix->cap, sizeof *ix->slots);
		ix->n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].name) {
				size_t h = hash(old[i].name) & (ix->cap - 1);
				while (ix->slots[h].name)
					h = (h + 1) & (ix->cap - 1);
				ix->slots[h] = old[i];
				ix->n++;
			}
		free(old);
	}
	char *key = ku_strndup(name, nlen);
	size_t h = hash(key) & (ix->cap - 1);
	while (ix->slots[h].name) {
		if (strcmp(ix->slots[h].name, key) == 0) { /* first file (path order) wins */
			free(key);
			return;
		}
		h = (h + 1) & (ix->cap - 1);
	}
	ix->slots[h].name = key;
	ix->slots[h].file = ku_strdup(file);
	ix->n++;
}

const char *ksi_lookup(const ksi_index *ix, const char *symbol)
{
	size_t h = hash(symbol) & (ix->cap - 1);
	while (ix->slots[h].name) {
		if (strcmp(ix->slots[h].name, symbol) == 0)
			return ix->slots[h].file;
		h = (h + 1) & (ix->cap - 1);
	}
	return NULL;
}

size_t ksi_count(const ksi_index *ix) { return ix->n; }

void ksi_free(ksi_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->slots[i].name), free(ix->slots[i].file);
	free(ix->slots);
	free(ix);
}

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void ksi_scan_text(ksi_index *ix, const char *file, const char *text)
{
	/* EXPORT_PER_CPU_SYMBOL*: a DEFINE_PER_CPU variable is an export too
	 * (lib/radix-tree.c's radix_tree_preloads): else a port that imports
	 * its file would also get a stub of it, and two definitions */
	static const char *const forms[] = {"EXPORT_SYMBOL(", "EXPORT_SYMBOL_GPL(", "EXPORT_SYMBOL_NS(",
					    "EXPORT_SYMBOL_NS_GPL(", "EXPORT_PER_CPU_SYMBOL(",
					    "EXPORT_PER_CPU_SYMBOL_GPL(", NULL};
	for (const char *p = strstr(text, "EXPORT_"); p; p = strstr(p + 1, "EXPORT_")) {
		/* Only at the start of a line: not in a macro that builds names. */
		const char *b = p;
		while (b > text && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > text && b[-1] != '\n')
			continue;
		for (const char *const *f = forms; *f; f++) {
			size_t fl = strlen(*f);
			if (strncmp(p, *f, fl) != 0)
				continue;
			const char *n = p + fl;
			while (*n == ' ' || *n == '\t')
				n++;
			const char *e = n;
			while (is_ident_char(*e))
				e++;
			if (e > n)
				put(ix, n, (size_t)(e - n), file);
			break;
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Top-level definitions (not static, not extern) of one C text: a line
 * that starts at column 0 with an identifier and is not a declaration
 * keyword or a macro defines the last identifier before its first '('
 * when it does not end in ';' (a function), or the last one before '=',
 * '[' or ';' when it has no '(' (a variable).  A function whose name
 * starts the line is a definition when the line before is its return type
 * (not static, ending in an identifier or '*'). */
void ksi_scan_definitions(ksi_index *ix, const char *file, const char *text)
{
	static const char *const skip[] = {"static ", "extern ", "typedef ", "struct ", "union ", "enum ",
					   "return ", "else", "if ", "for ", "while ", "do ", "switch ",
					   "case ", "default", "goto ", NULL};
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		if (!is_ident_char(*l) || (*l >= '0' && *l <= '9'))
			continue;
		int bad = 0;
		for (const char *const *k = skip; *k && !bad; k++)
			bad = strncmp(l, *k, strlen(*k)) == 0;
		/* struct/union/enum at the start: a type's definition or forward
		 * declaration when '{' or ';' follows the tag, else a declaration
		 * of that type ("struct x *name(...)", "struct x name;"). */
		if (bad && (ku_startswith(l, "struct ") || ku_startswith(l, "union ") || ku_startswith(l, "enum "))) {
			const char *q = strchr(l, ' ');
			while (*q == ' ')
				q++;
			while (is_ident_char(*q))
				q++;
			while (*q == ' ' || *q == '\t')
				q++;
			bad = *q == '{' || *q == ';' || *q == '\n' || !*q;
		}
		if (bad)
			continue;
		const char *paren = memchr(l, '(', len), *stop = NULL;
		const char *last = l + len;
		while (last > l && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\r'))
			last--;
		if (paren) {
			if (last > l && last[-1] == ';')
				continue; /* a prototype */
			stop = paren;
		} else {
			for (const char *q = l; q < l + len && !stop; q++)
				if (*q == '=' || *q == '[' || *q == ';')
					stop = q;
			if (!stop)
				continue;
		}
		const char *ne = stop;
		while (ne > l && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
		const char *nb = ne;
		while (nb > l && is_ident_char(nb[-1]))
			nb--;
		if (nb == ne)
			continue;
		if (nb == l) {
			/* "type\nname(args)": a definition when the line before ends
			 * in a type (an identifier or '*'), else a macro call. */
			const char *pe = l > text ? l - 1 : l;
			while (pe > text && (pe[-1] == ' ' || pe[-1] == '\t' || pe[-1] == '\r'))
				pe--;
			const char *pb = pe;
			while (pb > text && pb[-1] != '\n')
				pb--;
			if (!paren || pe == l || pb == pe || *pb == '#' || *pb == ' ' || *pb == '\t' ||
			    ku_startswith(pb, "static ") || !(is_ident_char(pe[-1]) || pe[-1] == '*'))
				continue;
		}
		put(ix, nb, (size_t)(ne - nb), file);
	}
}

void ksi_scan_dir_definitions(ksi_index *ix, const char *root, const char *dir)
{
	char *abs = ku_path_join(root, dir);
	DIR *d = opendir(abs);
	ku_strv names = {0};
	for (struct dirent *de; d && (de = readdir(d));)
		if (de->d_name[0] != '.' && ku_endswith(de->d_name, ".c"))
			ku_strv_push(&names, de->d_name);
	if (d)
		closedir(d);
	qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		char *rel = ku_path_join(dir, names.v[i]), *fabs = ku_path_join(root, rel);
		ku_buf text = {0};
		if (ku_read_file(fabs, &text) == 0)
			ksi_scan_definitions(ix, rel, text.s);
		ku_buf_free(&text);
		free(rel), free(fabs);
	}
	ku_strv_free(&names);
	free(abs);
}

static int skip_dir(const char *rel, const char *srcarch)
{
	static const char *const top[] = {"Documentation", "tools", "scripts", "samples", "usr",
					  ".git", NULL};
	for (const char *const *t = top; *t; t++)
		if (strcmp(rel, *t) == 0)
			return 1;
	if (ku_startswith(rel, "arch/") && !strchr(rel + 5, '/'))
		return strcmp(rel + 5, srcarch) != 0;
	return 0;
}


static void walk(ksi_index *ix, const char *root, const char *rel, const char *srcarch)
{
	char *abs = rel[0] ? ku_path_join(root, rel) : ku_strdup(root);
	DIR *d = opendir(abs);
	if (!d) {
		free(abs);
		return;
	}
	ku_strv names = {0};
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			ku_strv_push(&names, de->d_name);
	closedir(d);
	qsort(names.v, names.n, sizeof *names.v, cmp_str); /* deterministic "first file" */
	for (size_t i = 0; i < names.n; i++) {
		char *sub = rel[0] ? ku_path_join(rel, names.v[i]) : ku_strdup(names.v[i]);
		char *subabs = ku_path_join(root, sub);
		if (ku_endswith(sub, ".c") && ku_is_file(subabs)) {
			ku_buf text = {0};
			if (ku_read_file(subabs, &text) == 0 &&
			    (strstr(text.s, "EXPORT_SYMBOL") || strstr(text.s, "EXPORT_PER_CPU_SYMBOL")))
				ksi_scan_text(ix, sub, text.s);
			ku_buf_free(&text);
		} else if (ku_is_dir(subabs) && !skip_dir(sub, srcarch)) {
			walk(ix, root, sub, srcarch);
		}
		free(sub), free(subabs);
	}
	ku_strv_free(&names);
	free(abs);
}

ksi_index *ksi_load(const kt_tree *t)
{
	char *cache = kt_cache_dir();
	char *dir = ku_path_join(cache, "symindex");
	char *file = ku_printf("%s/%s-%s.txt", dir, KSI_FORMAT, t->key);
	free(cache);
	ksi_index *ix = ksi_new();
	ku_buf b = {0};
	if (ku_read_file(file, &b) == 0) {
		kcache_touch(file);
		for (char *l = b.s, *nl; l && *l; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			char *sp = strchr(l, ' ');
			if (sp)
				put(ix, l, (size_t)(sp - l), sp + 1);
		}
	} else {
		ku_log("indexing the tree's exported symbols (once per tree)");
		walk(ix, t->root, "", t->srcarch);
		ku_strv lines = {0};
		for (size_t i = 0; i < ix->cap; i++)
			if (ix->slots[i].name)
				ku_strv_pushf(&lines, "%s %s", ix->slots[i].name, ix->slots[i].file);
		ku_strv_sort(&lines);
		ku_buf out = {0};
		for (size_t i = 0; i < lines.n; i++)
			ku_buf_printf(&out, "%s\n", lines.v[i]);
		if (ku_mkdir_p(dir) == 0)
			ku_write_file(file, ku_buf_str(&out), out.len);
		ku_buf_free(&out);
		ku_strv_free(&lines);
	}
	ku_buf_free(&b);
	free(dir), free(file);
	return ix;
}
