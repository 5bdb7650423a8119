/* kp_stamp.c: stamp sets (see kp_stamp.h). */
#define _GNU_SOURCE
#include "kp_stamp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void kst_init(kst_set *s, const char *base)
{
	memset(s, 0, sizeof *s);
	s->base = ku_strdup(base);
}

void kst_free(kst_set *s)
{
	free(s->base);
	ku_buf_free(&s->lines);
	memset(s, 0, sizeof *s);
}

/* One path's stamp line, without the path: "kind size ino mtime ctime".
 * rel is looked up from dirfd (the base dir, opened once: the kernel then
 * walks only rel's own components, which halves the time of checking a
 * tree index's thousands of stamps); "" is the base itself. */
static void stamp_of(int dirfd, const char *base, const char *rel, ku_buf *out)
{
	struct stat st;
	int rc = dirfd >= 0 && rel[0] ? fstatat(dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) : -1;
	if (dirfd < 0 || !rel[0]) {
		char *abs = rel[0] ? ku_path_join(base, rel) : ku_strdup(base);
		rc = lstat(abs, &st);
		free(abs);
	}
	if (rc != 0) {
		ku_buf_puts(out, "- 0 0 0.0 0.0");
		return;
	}
	char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : 'o';
	ku_buf_printf(out, "%c %lld %llu %lld.%09ld %lld.%09ld", kind, (long long)st.st_size,
		      (unsigned long long)st.st_ino, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		      (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

void kst_add(kst_set *s, const char *rel)
{
	if (strchr(rel, '\n') || strchr(rel, '\t')) {
		s->broken = 1;
		return;
	}
	stamp_of(-1, s->base, rel, &s->lines);
	ku_buf_printf(&s->lines, "\t%s\n", rel);
}

const char *kst_text(kst_set *s)
{
	return s->broken ? NULL : ku_buf_str(&s->lines);
}

int kst_unchanged(const char *base, const char *text)
{
	if (!text)
		return 0;
	int same = 1;
	ku_buf now = {0};
	int dirfd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (const char *l = text; same && *l;) {
		const char *tab = strchr(l, '\t');
		const char *nl = tab ? strchr(tab, '\n') : NULL;
		if (!nl) {
			same = 0;
			break;
		}
		char *rel = ku_strndup(tab + 1, (size_t)(nl - tab - 1));
		now.len = 0;
		stamp_of(dirfd, base, rel, &now);
		same = now.len == (size_t)(tab - l) && memcmp(now.s, l, now.len) == 0;
		free(rel);
		l = nl + 1;
	}
	if (dirfd >= 0)
		close(dirfd);
	ku_buf_free(&now);
	return same;
}

/* <dir>/<FNV-1a of self and header>.txt; the header inside the file is
 * compared on reading. */
static char *entry_path(const kst_cache *c, const char *full)
{
	return ku_printf("%s/%016llx.txt", c->dir, ku_fnv1a(full));
}

static char *full_header(const kst_cache *c, const char *header)
{
	return ku_printf("%s\t%s", c->self ? c->self : "-", header);
}

void kst_write_entry(const kst_cache *c, const char *header, kst_set *s, const char *body)
{
	const char *st = kst_text(s);
	if (!c || !c->dir || !st || strchr(header, '\n'))
		return;
	size_t n = 0;
	for (const char *p = st; *p; p++)
		n += *p == '\n';
	char *full = full_header(c, header), *file = entry_path(c, full);
	ku_buf b = {0};
	ku_buf_printf(&b, "%s\n%zu\n%s%s", full, n, st, body);
	if (ku_mkdir_p(c->dir) == 0)
		ku_write_file(file, ku_buf_str(&b), b.len);
	ku_buf_free(&b);
	free(full), free(file);
}

int kst_read_entry(const kst_cache *c, const char *header, const char *base, ku_buf *buf, char **body)
{
	if (!c || !c->dir)
		return 0;
	char *full = full_header(c, header), *file = entry_path(c, full);
	int ok = ku_read_file(file, buf) == 0;
	size_t hl = strlen(full);
	char *p = buf->s, *end = NULL, *q = NULL;
	unsigned long n = 0;
	if (ok)
		ok = !strncmp(p, full, hl) && p[hl] == '\n';
	if (ok) {
		n = strtoul(p + hl + 1, &end, 10);
		ok = *end == '\n';
	}
	if (ok) {
		q = end + 1;
		for (unsigned long i = 0; i < n && q; i++)
			q = strchr(q, '\n'), q = q ? q + 1 : NULL;
		ok = q != NULL;
	}
	if (ok) {
		char keep = *q;
		*q = 0;
		ok = kst_unchanged(base, end + 1);
		*q = keep;
		*body = q;
	}
	if (ok)
		utimensat(AT_FDCWD, file, NULL, 0); /* its last use, for `kpiport cache prune` */
	free(full), free(file);
	return ok;
}
