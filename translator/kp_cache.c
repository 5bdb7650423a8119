/* kp_cache.c: the cache's entries, their sizes and last-use times, and
 * pruning (see kp_cache.h). */
#define _GNU_SOURCE
#include "kp_cache.h"
#include "kp_tree.h"
#include "kp_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct kc_entry {
	char *path;       /* file or dir to remove */
	char *lock;       /* kbuild and runtime dirs: their lock file, else NULL */
	const char *kind; /* "kbuild", "runtime", "analysis", ... */
	unsigned long long bytes;
	time_t used;
} kc_entry;

typedef struct kc_list {
	kc_entry *v;
	size_t n;
} kc_list;

void kcache_touch(const char *path)
{
	utimensat(AT_FDCWD, path, NULL, 0); /* best effort: a read-only cache still works */
}

static unsigned long long disk_usage(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return 0;
	unsigned long long n = (unsigned long long)st.st_blocks * 512;
	if (!S_ISDIR(st.st_mode))
		return n;
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = ku_path_join(path, de->d_name);
		n += disk_usage(sub);
		free(sub);
	}
	if (d)
		closedir(d);
	return n;
}

static void add(kc_list *l, const char *path, const char *lock, const char *kind)
{
	struct stat st;
	if (lstat(lock ? lock : path, &st) != 0)
		return;
	l->v = ku_realloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = (kc_entry){ku_strdup(path), lock ? ku_strdup(lock) : NULL, kind, disk_usage(path),
				   st.st_mtime};
}

/* Every entry of one kind dir: kbuild and runtime dirs are "<16 hex>" with
 * a "<16 hex>.lock" beside them; the others are plain files. */
static void scan_kind(kc_list *l, const char *cache, const char *kind)
{
	char *dir = ku_path_join(cache, kind);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || ku_endswith(de->d_name, ".lock"))
			continue;
		char *path = ku_path_join(dir, de->d_name);
		if (!strcmp(kind, "kbuild") || !strcmp(kind, "runtime")) {
			char *lock = ku_printf("%s.lock", path);
			if (ku_is_dir(path))
				add(l, path, ku_exists(lock) ? lock : NULL, kind);
			free(lock);
		} else if (ku_is_file(path)) {
			add(l, path, NULL, kind);
		}
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
}

static const char *const kinds[] = {"kbuild", "runtime", "analysis", "spatch", "symindex", "treeindex",
				     "kconfig", "ccmemo", NULL};

static int scan(kc_list *l, char **cache_out)
{
	char *cache = kt_cache_dir();
	memset(l, 0, sizeof *l);
	if (!ku_is_dir(cache)) {
		*cache_out = cache;
		return 0;
	}
	for (const char *const *k = kinds; *k; k++)
		scan_kind(l, cache, *k);
	*cache_out = cache;
	return 0;
}

static void list_free(kc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path), free(l->v[i].lock);
	free(l->v);
}

static char *human(unsigned long long b)
{
	if (b >= 1ull << 30)
		return ku_printf("%.1f GiB", (double)b / (1ull << 30));
	if (b >= 1ull << 20)
		return ku_printf("%.1f MiB", (double)b / (1ull << 20));
	return ku_printf("%.1f KiB", (double)b / 1024);
}

int kcache_report(FILE *out)
{
	kc_list l;
	char *cache;
	scan(&l, &cache);
	fprintf(out, "kpiport cache: %s\n", cache);
	unsigned long long total = 0;
	time_t now = time(NULL);
	for (const char *const *k = kinds; *k; k++) {
		unsigned long long b = 0;
		size_t n = 0;
		time_t oldest = now;
		for (size_t i = 0; i < l.n; i++)
			if (!strcmp(l.v[i].kind, *k)) {
				b += l.v[i].bytes, n++;
				if (l.v[i].used < oldest)
					oldest = l.v[i].used;
			}
		char *h = human(b);
		fprintf(out, "  %-9s %6zu entries %11s", *k, n, h);
		if (n)
			fprintf(out, "  (least recently used %.0f days ago)", difftime(now, oldest) / 86400.0);
		fputc('\n', out);
		free(h);
		total += b;
	}
	char *h = human(total);
	fprintf(out, "  total     %s (the Linux tree setup extracted there is not counted and never removed)\n",
		h);
	free(h);
	list_free(&l);
	free(cache);
	return 0;
}

static int by_use(const void *a, const void *b)
{
	const kc_entry *x = a, *y = b;
	return (x->used > y->used) - (x->used < y->used);
}

/* Remove one entry; 0 if it went, 1 if it is in use. */
static int drop(const kc_entry *e)
{
	int lfd = -1;
	if (e->lock) {
		lfd = open(e->lock, O_RDWR | O_CLOEXEC);
		if (lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) != 0) {
			close(lfd);
			return 1; /* a kpiport is using this build dir right now */
		}
		/* A runtime being built holds CMake's file(LOCK), an fcntl lock. */
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		if (lfd >= 0 && fcntl(lfd, F_SETLK, &fl) != 0) {
			close(lfd);
			return 1;
		}
	}
	int rc = ku_rm_rf(e->path);
	if (rc == 0 && e->lock)
		unlink(e->lock);
	if (lfd >= 0)
		close(lfd);
	return rc == 0 ? 0 : -1;
}

int kcache_prune(double max_days, unsigned long long max_bytes, int dry_run, FILE *out)
{
	kc_list l;
	char *cache;
	scan(&l, &cache);
	qsort(l.v, l.n, sizeof *l.v, by_use);
	unsigned long long total = 0, freed = 0;
	for (size_t i = 0; i < l.n; i++)
		total += l.v[i].bytes;
	time_t now = time(NULL);
	size_t removed = 0, busy = 0;
	for (size_t i = 0; i < l.n; i++) {
		const kc_entry *e = &l.v[i];
		int old = max_days >= 0 && difftime(now, e->used) > max_days * 86400.0;
		int over = max_bytes && total - freed > max_bytes;
		if (!old && !over)
			continue;
		int st = dry_run ? 0 : drop(e);
		if (st == 1) {
			busy++;
			continue;
		}
		if (st < 0)
			fprintf(out, "kpiport: cannot remove %s: %s\n", e->path, ku_lasterr());
		if (st == 0) {
			freed += e->bytes, removed++;
			if (ku_verbose || dry_run)
				fprintf(out, "%s %s (%s, unused for %.1f days)\n", dry_run ? "would remove" : "removed",
					e->path, e->kind, difftime(now, e->used) / 86400.0);
		}
	}
	char *f = human(freed), *t = human(total - freed);
	fprintf(out, "kpiport cache: %s %zu of %zu entries (%s); %s left in %s%s\n",
		dry_run ? "would remove" : "removed", removed, l.n, f, t, cache,
		busy ? " (entries in use by a running kpiport were kept)" : "");
	free(f), free(t);
	list_free(&l);
	free(cache);
	return 0;
}
