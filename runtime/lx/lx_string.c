/* lx_string.c: kernel string helpers without a libc namesake (strscpy,
 * kstrto*, simple_strto*, memchr_inv, strim, match_string, hweight in asm) and
 * lx_sscanf/lx_vsscanf (the mapping tables rename sscanf to them).
 * lib/kstrtox.c is not imported because it also defines *_from_user
 * variants that need copy_from_user (mappings/misc.lua). */
#include "lx_internal.h"
#include <linux/ctype.h>
#include <linux/kstrtox.h>
#include <linux/string.h>

/* ---- integer parsing ------------------------------------------------------------------------ */

/* _parse_integer*'s overflow flag, KSTRTOX_OVERFLOW of lib/kstrtox.h (a
 * private header of lib/, not under include/). */
#define LX_PARSE_OVERFLOW (1U << 31)
unsigned int _parse_integer_limit(const char *s, unsigned int base, unsigned long long *res, size_t max_chars);

/* Parse an unsigned number in base (0: auto 0x/0 prefixes); *end after it.
 * Returns -ERANGE on overflow, -EINVAL when no digit. */
static int lx_parse_ull(const char *s, unsigned int base, unsigned long long *res, const char **end)
{
	unsigned long long v = 0;
	unsigned int n;
	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			base = 8;
			if (_tolower(s[1]) == 'x' && isxdigit(s[2])) {
				base = 16;
				s += 2;
			}
		}
	} else if (base == 16 && s[0] == '0' && _tolower(s[1]) == 'x') {
		s += 2;
	}
	n = _parse_integer_limit(s, base, &v, INT_MAX);
	*end = s + (n & ~LX_PARSE_OVERFLOW);
	*res = v;
	if (!(n & ~LX_PARSE_OVERFLOW))
		return -EINVAL;
	return (n & LX_PARSE_OVERFLOW) ? -ERANGE : 0;
}

/* The number after an optional sign: no second sign ("-+1" is invalid). */
static int lx_kstrtoull_digits(const char *s, unsigned int base, unsigned long long *res)
{
	const char *end;
	int rc = lx_parse_ull(s, base, res, &end);
	if (rc)
		return rc;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

LX_YIELDS int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (*s == '+')
		s++;
	return lx_kstrtoull_digits(s, base, res);
}

LX_YIELDS int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int rc;
	if (*s == '-') {
		rc = lx_kstrtoull_digits(s + 1, base, &v);
		if (rc)
			return rc;
		if ((long long)-v > 0)
			return -ERANGE;
		*res = -(long long)v;
		return 0;
	}
	rc = kstrtoull(s, base, &v);
	if (rc)
		return rc;
	if ((long long)v < 0)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

LX_YIELDS int _kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int rc = kstrtoull(s, base, &v);
	if (!rc)
		*res = (unsigned long)v;
	return rc;
}

LX_YIELDS int _kstrtol(const char *s, unsigned int base, long *res)
{
	long long v;
	int rc = kstrtoll(s, base, &v);
	if (!rc)
		*res = (long)v;
	return rc;
}

#define LX_KSTRTO_NARROW(name, type, wide, wfn, lo, hi)              \
	LX_YIELDS int name(const char *s, unsigned int base, type *res) \
	{                                                            \
		wide v;                                              \
		int rc = wfn(s, base, &v);                           \
		if (rc)                                              \
			return rc;                                   \
		if (v < (wide)(lo) || v > (wide)(hi))                \
			return -ERANGE;                              \
		*res = (type)v;                                      \
		return 0;                                            \
	}
LX_KSTRTO_NARROW(kstrtouint, unsigned int, unsigned long long, kstrtoull, 0, UINT_MAX)
LX_KSTRTO_NARROW(kstrtoint, int, long long, kstrtoll, INT_MIN, INT_MAX)
LX_KSTRTO_NARROW(kstrtou16, u16, unsigned long long, kstrtoull, 0, U16_MAX)
LX_KSTRTO_NARROW(kstrtou8, u8, unsigned long long, kstrtoull, 0, U8_MAX)
LX_KSTRTO_NARROW(kstrtos16, s16, long long, kstrtoll, S16_MIN, S16_MAX)
LX_KSTRTO_NARROW(kstrtos8, s8, long long, kstrtoll, S8_MIN, S8_MAX)

LX_YIELDS int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (_tolower(s[1]) == 'n') {
			*res = true;
			return 0;
		}
		if (_tolower(s[1]) == 'f') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

LX_YIELDS unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base)
{
	unsigned long long v;
	const char *end;
	lx_parse_ull(cp, base, &v, &end);
	if (endp)
		*endp = (char *)end;
	return v;
}

LX_YIELDS unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	return (unsigned long)simple_strtoull(cp, endp, base);
}

LX_YIELDS long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return -(long)simple_strtoull(cp + 1, endp, base);
	return (long)simple_strtoull(cp, endp, base);
}

LX_YIELDS long long simple_strtoll(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return -(long long)simple_strtoull(cp + 1, endp, base);
	return (long long)simple_strtoull(cp, endp, base);
}

/* ---- strings ------------------------------------------------------------------------------------ */

LX_YIELDS ssize_t LX_FN_strscpy(char *dest, const char *src, size_t count)
{
	size_t i;
	if (!count || count > INT_MAX)
		return -E2BIG;
	for (i = 0; i < count; i++) {
		dest[i] = src[i];
		if (!src[i])
			return (ssize_t)i;
	}
	dest[count - 1] = 0;
	return -E2BIG;
}

#if LX_WANT_strlcpy
size_t strlcpy(char *dest, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len >= size ? size - 1 : len;
		memcpy(dest, src, n);
		dest[n] = 0;
	}
	return len;
}
#endif

#if LX_WANT_strscpy_pad
LX_YIELDS ssize_t strscpy_pad(char *dest, const char *src, size_t count)
{
	ssize_t n = strscpy(dest, src, count);
	size_t used = n < 0 ? count : (size_t)n + 1;
	if (used < count)
		memset(dest + used, 0, count - used);
	return n;
}
#endif

LX_YIELDS void *memchr_inv(const void *start, int c, size_t bytes)
{
	const u8 *p = start;
	for (; bytes; bytes--, p++)
		if (*p != (u8)c)
			return (void *)p;
	return NULL;
}

LX_YIELDS char *skip_spaces(const char *str)
{
	while (isspace(*str))
		++str;
	return (char *)str;
}

LX_YIELDS char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;
	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && isspace(*end))
		end--;
	*(end + 1) = '\0';
	return skip_spaces(s);
}

LX_YIELDS bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

/* lib/string.c's strlcat (glibc before 2.38 has none): appends what fits,
 * returns the length it tried to create; dest must be terminated in count. */
LX_YIELDS size_t strlcat(char *dest, const char *src, size_t count)
{
	size_t dsize = strlen(dest), len = strlen(src), res = dsize + len;
	BUG_ON(dsize >= count);
	dest += dsize;
	count -= dsize;
	if (len >= count)
		len = count - 1;
	memcpy(dest, src, len);
	dest[len] = 0;
	return res;
}

LX_YIELDS int match_string(const char *const *array, size_t n, const char *string)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (!array[i])
			break;
		if (!strcmp(array[i], string))
			return (int)i;
	}
	return -EINVAL;
}

/* __sw_hweight32/64: x86's hweight (arch/x86/include/asm/arch_hweight.h)
 * calls them from inline asm with the argument in %rdi, the result in
 * %rax and NO clobbers (the POPCNT alternative touches nothing else), so
 * they must preserve every other register: asm, as in Linux.  A C body
 * clobbered the caller's live registers (lib/test_bitmap.c's find_nth_bit
 * checks read wrong counts, then crashed).  The loop clears the lowest set
 * bit until none is left.  Not weak: lib/hweight.c is C and would break
 * the same convention (arch/x86/lib/hweight.S replaces it in Linux). */
asm("	.text\n"
    "	.globl __sw_hweight32\n"
    "	.type __sw_hweight32, @function\n"
    "__sw_hweight32:\n"
    "	pushq %rdi\n"
    "	pushq %rdx\n"
    "	movl %edi, %edi\n" /* the 32-bit argument, zero-extended */
    "	jmp 1f\n"
    "	.size __sw_hweight32, . - __sw_hweight32\n"
    "	.globl __sw_hweight64\n"
    "	.type __sw_hweight64, @function\n"
    "__sw_hweight64:\n"
    "	pushq %rdi\n"
    "	pushq %rdx\n"
    "1:	xorl %eax, %eax\n"
    "2:	testq %rdi, %rdi\n"
    "	jz 3f\n"
    "	leaq -1(%rdi), %rdx\n"
    "	andq %rdx, %rdi\n"
    "	incl %eax\n"
    "	jmp 2b\n"
    "3:	popq %rdx\n"
    "	popq %rdi\n"
    "	ret\n"
    "	.size __sw_hweight64, . - __sw_hweight64\n");

/* ---- lx_vsscanf: %d %i %u %x %o %s %c %n with widths and h/hh/l/ll/z -------------------------- */

int lx_vsscanf(const char *buf, const char *fmt, va_list args);
int lx_vsscanf(const char *buf, const char *fmt, va_list args)
{
	const char *str = buf;
	int num = 0;
	while (*fmt) {
		int width = -1, lng = 0, skip = 0;
		char conv;
		if (isspace(*fmt)) {
			fmt = skip_spaces(fmt);
			str = skip_spaces(str);
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%')
				fmt++;
			if (*fmt++ != *str++)
				break;
			continue;
		}
		fmt++;
		if (*fmt == '*') {
			skip = 1;
			fmt++;
		}
		if (isdigit(*fmt)) {
			width = 0;
			while (isdigit(*fmt))
				width = width * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'L' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
				lng = *fmt == 'L' ? 2 : 1;
			else
				break;
		}
		conv = *fmt++;
		if (!conv)
			break;
		if (conv == 'n') {
			if (!skip)
				*va_arg(args, int *) = (int)(str - buf);
			continue;
		}
		if (conv != 'c')
			str = skip_spaces(str);
		if (!*str)
			break;
		if (conv == 'c') {
			int n = width < 0 ? 1 : width;
			char *d = skip ? NULL : va_arg(args, char *);
			while (n-- && *str) {
				if (d)
					*d++ = *str;
				str++;
			}
		} else if (conv == 's') {
			char *d = skip ? NULL : va_arg(args, char *);
			int n = width < 0 ? INT_MAX : width;
			while (n-- && *str && !isspace(*str)) {
				if (d)
					*d++ = *str;
				str++;
			}
			if (d)
				*d = 0;
		} else if (strchr("diuxXo", conv)) {
			/* As lib/vsprintf.c: the sign and a "0x" prefix count
			 * towards the field width, and a width that ends
			 * inside the prefix converts 0 and consumes it. */
			char tmp[72];
			const char *s = str, *digits, *end;
			unsigned long long v = 0;
			unsigned int base = conv == 'd' || conv == 'u' ? 10 : conv == 'o' ? 8 : conv == 'i' ? 0 : 16;
			int neg = 0, left = width < 0 ? INT_MAX : width, n;
			if (*s == '-' && (conv == 'd' || conv == 'i')) {
				neg = 1;
				s++;
				left--;
			} else if (*s == '+') {
				s++;
				left--;
			}
			if (left <= 0 || (!isdigit(*s) && !(base == 16 && isxdigit(*s))))
				break;
			digits = s;
			if (base == 0)
				base = s[0] != '0' ? 10 : _tolower(s[1]) == 'x' && isxdigit(s[2]) ? 16 : 8;
			if (base == 16 && s[0] == '0' && _tolower(s[1]) == 'x')
				digits = s + 2;
			if (digits - s >= left) {
				str = s + left; /* the field ends in the prefix */
			} else {
				n = min(left - (int)(digits - s), (int)sizeof(tmp) - 1);
				strscpy(tmp, digits, n + 1);
				if (lx_parse_ull(tmp, base, &v, &end) == -EINVAL)
					end = tmp; /* "0x" and no digit: 0, the prefix consumed */
				str = digits + (end - tmp);
			}
			if (neg)
				v = -v;
			if (!skip) {
				if (lng == 2)
					*va_arg(args, unsigned long long *) = v;
				else if (lng == 1)
					*va_arg(args, unsigned long *) = (unsigned long)v;
				else if (lng == -1)
					*va_arg(args, unsigned short *) = (unsigned short)v;
				else if (lng == -2)
					*va_arg(args, unsigned char *) = (unsigned char)v;
				else
					*va_arg(args, unsigned int *) = (unsigned int)v;
			}
		} else {
			break;
		}
		if (!skip)
			num++;
	}
	return num;
}

int lx_sscanf(const char *buf, const char *fmt, ...);
int lx_sscanf(const char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = lx_vsscanf(buf, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- what imported lib/ code needs of files lx does not import -------------------------------- */

/* lib/kstrtox.c's parser, which lib/bitmap.c & co. call (its header,
 * lib/kstrtox.h, is not on the include path): the characters of the
 * number at s in base (16 takes a 0x prefix only through the callers),
 * LX_PARSE_OVERFLOW (bit 31) or-ed in on overflow, *res the value. */
LX_YIELDS unsigned int _parse_integer_limit(const char *s, unsigned int base, unsigned long long *res, size_t max_chars)
{
	unsigned long long v = 0;
	unsigned int n = 0, overflow = 0;
	for (; n < max_chars; n++, s++) {
		unsigned int d;
		if (isdigit(*s))
			d = *s - '0';
		else if (isalpha(*s))
			d = _tolower(*s) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			overflow = 1;
		v = v * base + d;
	}
	*res = v;
	return n | (overflow ? LX_PARSE_OVERFLOW : 0);
}

unsigned int _parse_integer(const char *s, unsigned int base, unsigned long long *res);
LX_YIELDS unsigned int _parse_integer(const char *s, unsigned int base, unsigned long long *res)
{
	return _parse_integer_limit(s, base, res, INT_MAX);
}

const char *_parse_integer_fixup_radix(const char *s, unsigned int *base);
LX_YIELDS const char *_parse_integer_fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0)
		*base = s[0] == '0' ? (_tolower(s[1]) == 'x' && isxdigit(s[2]) ? 16 : 8) : 10;
	if (*base == 16 && s[0] == '0' && _tolower(s[1]) == 'x')
		s += 2;
	return s;
}

/* lib/string.c: the first c in the first count bytes of s, or the end. */
LX_YIELDS char *strnchrnul(const char *s, size_t count, int c)
{
	while (count-- && *s && *s != (char)c)
		s++;
	return (char *)s;
}

/* fs/libfs.c: copy from a buffer at *ppos, as a read() of it would. */
LX_YIELDS ssize_t memory_read_from_buffer(void *to, size_t count, loff_t *ppos, const void *from, size_t available)
{
	loff_t pos = *ppos;
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available)
		return 0;
	if (count > available - pos)
		count = available - pos;
	memcpy(to, (const char *)from + pos, count);
	*ppos = pos + count;
	return count;
}
