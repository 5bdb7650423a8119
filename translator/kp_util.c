/* kp_util.c: buffers, string vectors, checked allocation, files and paths,
 * and the per-thread last-error message (see kp_util.h). */
#define _GNU_SOURCE
#include "kp_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int ku_verbose;
static _Thread_local char errmsg[4096];

int ku_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof errmsg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *ku_lasterr(void) { return errmsg[0] ? errmsg : "unknown error"; }

void ku_die(const char *fmt, ...)
{
	va_list ap;
	fputs("kpiport: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

double ku_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ku_log(const char *fmt, ...)
{
	va_list ap;
	if (!ku_verbose)
		return;
	fputs("kpiport: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *ku_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		ku_die("out of memory");
	return p;
}

void *ku_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		ku_die("out of memory");
	return p;
}

void *ku_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		ku_die("out of memory");
	return p;
}

char *ku_strdup(const char *s) { return ku_strndup(s, strlen(s)); }

char *ku_strndup(const char *s, size_t n)
{
	char *p = ku_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *ku_printf(const char *fmt, ...)
{
	ku_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	ku_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!b.s)
		return ku_strdup("");
	return b.s;
}

static void buf_grow(ku_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap * 2 : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = ku_realloc(b->s, cap);
	b->cap = cap;
}

void ku_buf_add(ku_buf *b, const char *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
}

void ku_buf_puts(ku_buf *b, const char *s) { ku_buf_add(b, s, strlen(s)); }

void ku_buf_putc(ku_buf *b, int c)
{
	char ch = (char)c;
	ku_buf_add(b, &ch, 1);
}

void ku_buf_vprintf(ku_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void ku_buf_printf(ku_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ku_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void ku_buf_free(ku_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *ku_buf_str(ku_buf *b) { return b->s ? b->s : ""; }

void ku_strv_push(ku_strv *sv, const char *s)
{
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = ku_realloc(sv->v, sv->cap * sizeof *sv->v);
	}
	sv->v[sv->n++] = ku_strdup(s);
	sv->v[sv->n] = NULL; /* usable as an argv */
}

void ku_strv_pushf(ku_strv *sv, const char *fmt, ...)
{
	ku_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	ku_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ku_strv_push(sv, ku_buf_str(&b));
	ku_buf_free(&b);
}

int ku_strv_has(const ku_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void ku_strv_push_unique(ku_strv *sv, const char *s)
{
	if (!ku_strv_has(sv, s))
		ku_strv_push(sv, s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ku_strv_sort(ku_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof *sv->v, cmp_str);
}

void ku_strv_free(ku_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int ku_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int ku_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

char *ku_trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

int ku_is_ident(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

size_t ku_editdist(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = ku_calloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

int ku_read_file(const char *path, ku_buf *out)
{
	/* Regular files only, and of a sane size: a FIFO would block, a link to
	 * /dev/zero would never end.  O_NONBLOCK so that opening a FIFO
	 * returns at once and can be refused. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ku_err("%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ku_err("%s: not a regular file", path);
	}
	if ((unsigned long long)st.st_size > KU_MAX_FILE) {
		close(fd);
		return ku_err("%s: %lld bytes, more than kpiport reads (%llu MiB)", path, (long long)st.st_size,
			      KU_MAX_FILE >> 20);
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return ku_err("%s: %s", path, strerror(errno));
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ku_buf_add(out, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return ku_err("%s: read error", path);
	if (out->len > KU_MAX_FILE) /* it grew while we read it */
		return ku_err("%s: more than kpiport reads (%llu MiB)", path, KU_MAX_FILE >> 20);
	if (!out->s)
		ku_buf_add(out, "", 0);
	return 0;
}

int ku_write_file(const char *path, const char *data, size_t n)
{
	char *tmp = ku_printf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		ku_err("%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	size_t w = fwrite(data, 1, n, f);
	int bad = (w != n) | (fclose(f) != 0);
	if (bad || rename(tmp, path) != 0) {
		ku_err("%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int ku_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int ku_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int ku_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int ku_mkdir_p(const char *path)
{
	char *p = ku_strdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			ku_err("cannot create %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = 0;
	if (mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = ku_err("cannot create %s: %s", p, strerror(errno));
	free(p);
	return rc;
}

int ku_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : ku_err("%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return ku_err("%s: %s", path, strerror(errno));
		struct dirent *de;
		int rc = 0;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *sub = ku_path_join(path, de->d_name);
			rc |= ku_rm_rf(sub);
			free(sub);
		}
		closedir(d);
		if (rmdir(path) != 0)
			return ku_err("cannot remove %s: %s", path, strerror(errno));
		return rc;
	}
	if (unlink(path) != 0)
		return ku_err("cannot remove %s: %s", path, strerror(errno));
	return 0;
}

int ku_copy_file(const char *from, const char *to)
{
	ku_buf b = {0};
	if (ku_read_file(from, &b) != 0)
		return -1;
	int rc = ku_write_file(to, b.s, b.len);
	ku_buf_free(&b);
	return rc;
}

char *ku_path_join(const char *a, const char *b)
{
	if (!a || !*a || b[0] == '/')
		return ku_strdup(b);
	size_t la = strlen(a);
	return ku_printf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *ku_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ku_strdup(".");
	if (slash == path)
		return ku_strdup("/");
	return ku_strndup(path, (size_t)(slash - path));
}

const char *ku_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

char *ku_realpath(const char *path)
{
	char *r = realpath(path, NULL);
	if (!r)
		return NULL;
	char *copy = ku_strdup(r);
	free(r);
	return copy;
}

char *ku_relpath_in(const char *base, const char *path)
{
	size_t n = strlen(base);
	while (n > 1 && base[n - 1] == '/')
		n--;
	if (strncmp(path, base, n) != 0)
		return NULL;
	if (path[n] == 0)
		return ku_strdup(".");
	if (path[n] != '/')
		return NULL;
	return ku_strdup(path + n + 1);
}

unsigned long long ku_fnv1a(const char *s)
{
	unsigned long long h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}
