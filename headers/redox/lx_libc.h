/* headers/redox/lx_libc.h: the kernel's formatted-string functions under the
 * names the `rename` entries of mappings/libc.lua give them (sprintf ->
 * lx_sprintf, ...).  libc's namesakes mean something else (no %pM, %pe ...),
 * so a static link keeps both: the driver's calls reach lx (lx_format.c,
 * lx_string.c), libc's own callers reach libc.  Kernel-header TUs only. */
#ifndef REDOX_LX_LIBC_H
#define REDOX_LX_LIBC_H

#include <linux/compiler_attributes.h>
#include <linux/stdarg.h>
#include <linux/types.h>

int lx_sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
int lx_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int lx_vsprintf(char *buf, const char *fmt, va_list args) __printf(2, 0);
int lx_vsnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
int lx_sscanf(const char *buf, const char *fmt, ...) __scanf(2, 3);
int lx_vsscanf(const char *buf, const char *fmt, va_list args) __scanf(2, 0);

#endif
