/* kp_cache.h: keeping kpiport's cache (kt_cache_dir) bounded.  Every
 * stage that reuses a cache entry marks it used (kcache_touch), so
 * `kpiport cache prune` can drop what has not been used for a while, then
 * the least recently used entries until the cache fits a size.  Only
 * kpiport's own entries are ever removed: kernel build dirs (kbuild/),
 * runtime builds (runtime/, cmake/KpiRuntimeCache.cmake; the port build
 * marks them used), analyses, spatch results, the symbol index and the
 * tree indexes of kbuild and Kconfig, the compiler probes' answers; the Linux tree that
 * tools/setup.sh extracts there, and anything unknown, stay. */
#ifndef KP_CACHE_H
#define KP_CACHE_H

#include <stdio.h>

/* Mark a cache file or dir used now (its last-use time). */
void kcache_touch(const char *path);

/* `kpiport cache`: what is there, per kind, to out. */
int kcache_report(FILE *out);

/* Remove entries unused for more than max_days (< 0: no age limit), then
 * the least recently used until the total is at most max_bytes (0: no size
 * limit).  A kernel build dir another kpiport holds locked is skipped.
 * dry_run: only say what would go.  -1 with ku_err() on a bad cache dir. */
int kcache_prune(double max_days, unsigned long long max_bytes, int dry_run, FILE *out);

#endif
