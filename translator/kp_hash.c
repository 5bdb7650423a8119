/* kp_hash.c: SHA-256 through OpenSSL's EVP interface (see kp_hash.h). */
#include "kp_hash.h"
#include "kp_util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kh_ctx {
	EVP_MD_CTX *md;
};

kh_ctx *kh_new(void)
{
	kh_ctx *h = ku_calloc(1, sizeof *h);
	h->md = EVP_MD_CTX_new();
	if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
		ku_die("SHA-256 unavailable");
	return h;
}

void kh_add(kh_ctx *h, const void *p, size_t n) { EVP_DigestUpdate(h->md, p, n); }

void kh_add_str(kh_ctx *h, const char *s)
{
	kh_add(h, s, strlen(s) + 1); /* the NUL keeps ("ab","c") apart from ("a","bc") */
}

int kh_add_file(kh_ctx *h, const char *path)
{
	ku_buf b = {0};
	if (ku_read_file(path, &b) != 0)
		return -1;
	kh_add_str(h, path);
	kh_add(h, b.s, b.len);
	ku_buf_free(&b);
	return 0;
}

void kh_final(kh_ctx *h, char hex[65])
{
	unsigned char d[32];
	unsigned int n = 0;
	EVP_DigestFinal_ex(h->md, d, &n);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	EVP_MD_CTX_free(h->md);
	free(h);
}

const char *kh_self_id(void)
{
	static char id[65];
	if (!id[0]) {
		kh_ctx *h = kh_new();
		if (kh_add_file(h, "/proc/self/exe") != 0)
			kh_add_str(h, KPIPORT_VERSION);
		kh_final(h, id);
	}
	return id;
}
