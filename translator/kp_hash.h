/* kp_hash.h: content hashes (SHA-256, hex) that key kpiport's caches. */
#ifndef KP_HASH_H
#define KP_HASH_H

#include <stddef.h>

typedef struct kh_ctx kh_ctx;
kh_ctx *kh_new(void);
void kh_add(kh_ctx *h, const void *p, size_t n);
void kh_add_str(kh_ctx *h, const char *s);       /* adds s and a separator */
int kh_add_file(kh_ctx *h, const char *path);    /* -1 with ku_err if unreadable */
void kh_final(kh_ctx *h, char hex[65]);           /* frees h */
/* What kpiport itself is (a hash of its executable), for cache keys: a new
 * kpiport never reuses what an old one computed. */
const char *kh_self_id(void);

#endif
