/* rx_libc.h: the ISO C library functions the Redox backend uses, declared
 * by hand because the backend is compiled freestanding (no relibc headers
 * exist on the build machine, and the emulated flavour links glibc).
 * Prototypes are the C11 ones, so they agree with any libc's headers in
 * another translation unit.  On Redox relibc provides them all
 * ([R] src/header/{stdlib,string,stdio}/mod.rs at 6359922).
 * Everything else the backend needs from the OS goes through rx_sys.h. */
#ifndef RX_LIBC_H
#define RX_LIBC_H

#include <stdarg.h>
#include <stddef.h>

void *malloc(size_t size);
void *aligned_alloc(size_t alignment, size_t size); /* size a multiple of alignment */
void *realloc(void *ptr, size_t size);
void free(void *ptr);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int snprintf(char *restrict buf, size_t cap, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t cap, const char *restrict fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
__attribute__((__noreturn__)) void abort(void);

#endif /* RX_LIBC_H */
