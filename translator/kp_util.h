/* kp_util.h: small shared helpers for the translator: growable buffers and
 * string vectors, checked allocation, files and paths, and the per-thread
 * "last error" message every module reports through.
 *
 * Convention: a function that can fail returns 0 on success and -1 on
 * failure after calling ku_err() with a message that names what and where
 * (file, line, symbol).  The caller decides whether to print it. */
#ifndef KP_UTIL_H
#define KP_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* ---- errors ---- */
int ku_err(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* sets message, returns -1 */
const char *ku_lasterr(void);
void ku_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
extern int ku_verbose; /* -v: progress on stderr */
void ku_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double ku_now(void); /* seconds on the monotonic clock, for stage timings */

/* ---- memory (abort on exhaustion: a translator has nothing better to do) ---- */
void *ku_malloc(size_t n);
void *ku_calloc(size_t n, size_t size);
void *ku_realloc(void *p, size_t n);
char *ku_strdup(const char *s);
char *ku_strndup(const char *s, size_t n);
char *ku_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* malloc'd */

/* ---- growable byte buffer, always NUL-terminated ---- */
typedef struct ku_buf {
	char *s;
	size_t len, cap;
} ku_buf;
void ku_buf_add(ku_buf *b, const char *p, size_t n);
void ku_buf_puts(ku_buf *b, const char *s);
void ku_buf_putc(ku_buf *b, int c);
void ku_buf_printf(ku_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ku_buf_vprintf(ku_buf *b, const char *fmt, va_list ap);
void ku_buf_free(ku_buf *b);
const char *ku_buf_str(ku_buf *b); /* "" for an empty buffer */

/* ---- vector of owned strings ---- */
typedef struct ku_strv {
	char **v;
	size_t n, cap;
} ku_strv;
void ku_strv_push(ku_strv *sv, const char *s);  /* copies s */
void ku_strv_pushf(ku_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ku_strv_has(const ku_strv *sv, const char *s);
void ku_strv_push_unique(ku_strv *sv, const char *s);
void ku_strv_sort(ku_strv *sv);
void ku_strv_free(ku_strv *sv);

/* ---- strings ---- */
int ku_startswith(const char *s, const char *prefix);
int ku_endswith(const char *s, const char *suffix);
char *ku_trim(char *s); /* in place; returns s advanced past leading space */
int ku_is_ident(const char *s); /* C identifier? */
/* Levenshtein distance, for "did you mean" suggestions. */
size_t ku_editdist(const char *a, const char *b);
unsigned long long ku_fnv1a(const char *s); /* FNV-1a, 64 bits: hash tables and file names */

/* ---- files and paths ---- */
/* The largest file kpiport reads: the biggest C file in Linux is ~30 MiB of
 * generated register tables; nothing it reads is bigger. */
#define KU_MAX_FILE (256ull << 20)
/* A whole regular file (a FIFO, device or larger file is an error). */
int ku_read_file(const char *path, ku_buf *out);
int ku_write_file(const char *path, const char *data, size_t n); /* via tmp + rename */
int ku_exists(const char *path);
int ku_is_dir(const char *path);
int ku_is_file(const char *path);
int ku_mkdir_p(const char *path);
int ku_rm_rf(const char *path);
int ku_copy_file(const char *from, const char *to);
char *ku_path_join(const char *a, const char *b);   /* malloc'd */
char *ku_dirname(const char *path);                  /* malloc'd */
const char *ku_basename(const char *path);           /* points into path */
char *ku_realpath(const char *path);                 /* malloc'd or NULL */
/* Path of `path` relative to directory `base` when inside it, else NULL. */
char *ku_relpath_in(const char *base, const char *path);

#endif
