/* kp_stamp.h (prefix kst_): has anything a cache entry was computed from
 * changed?  A stamp set records what stat() says of each path read (kind,
 * size, inode, mtime and ctime to the nanosecond, or "absent"), relative to
 * a base dir; the entry stays valid while every path still says the same.
 * Directories are stamped too: their times change when an entry is added,
 * removed or renamed, which covers tree walks and globs.  This is the test
 * make and git use for "unchanged"; a change that keeps size, inode and
 * both times goes unseen, as it does for them. */
#ifndef KP_STAMP_H
#define KP_STAMP_H

#include "kp_util.h"

typedef struct kst_set {
	char *base;
	ku_buf lines; /* "kind size ino mtime ctime\trel\n" each */
	int broken;   /* a path that cannot be recorded: the set never validates */
} kst_set;

void kst_init(kst_set *s, const char *base);
void kst_free(kst_set *s);
/* Stamp base/rel as it is now.  Call it before reading the file: a change
 * made between the stat and the read then invalidates the entry. */
void kst_add(kst_set *s, const char *rel);
/* The set as text, to store with the entry; NULL when it is broken. */
const char *kst_text(kst_set *s);
/* 1 when every path of `text` (from kst_text with the same base) still
 * stats the same, 0 when one changed or the text is malformed. */
int kst_unchanged(const char *base, const char *text);

/* Where one kind of cache entry lives ("<cache>/treeindex"; NULL: nothing
 * is cached) and what writes it (kpiport's identity, kh_self_id: part of
 * every entry's header, so a new kpiport never reuses an old one's). */
typedef struct kst_cache {
	const char *dir;
	const char *self;
} kst_cache;

/* A cache entry as one file in c->dir, named by a hash of its header: the
 * header (one line naming the format and every input that is not a file),
 * the stamp set, then `body`.  Written atomically; a cache, so failing to
 * keep it is no error, and nothing is written for a broken set or a header
 * with a newline. */
void kst_write_entry(const kst_cache *c, const char *header, kst_set *s, const char *body);
/* Reads the entry of `header` into buf: 1 and *body (pointing into buf)
 * when it exists and every stamp still holds under base, else 0.  A hash
 * collision reads another header: a miss, never a wrong answer. */
int kst_read_entry(const kst_cache *c, const char *header, const char *base, ku_buf *buf, char **body);

#endif
