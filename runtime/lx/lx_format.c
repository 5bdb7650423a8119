/* lx_format.c: the kernel's printf format engine (lx_vsnprintf and the
 * lx_sprintf family the mapping tables rename sprintf/snprintf to, plus
 * scnprintf, kasprintf, sysfs_emit).
 *
 * Written for the runtime rather than imported from lib/vsprintf.c: that
 * file pulls in kallsyms, pointer hashing (siphash + a random key set up at
 * boot), dentries, clocks, device-tree nodes and more for %p extensions a
 * device driver never uses, and it would make every port import it.  This
 * engine does C99 conversions and the extensions drivers use: %pM %pMR %pm
 * %pmR (MAC), %pI4 %pi4 %pI6 %pI6c, %*ph[CDN] (hex dump), %pe (error name),
 * %pV (nested va_format), %pa[p] %pad (phys/dma addresses), %pR %pr
 * (resources), %pS %ps %pB %pK %px (address, unhashed: a daemon's pointers
 * are not kernel addresses to hide).  Unknown %p extensions print the
 * pointer and the extension letters are consumed like the kernel does. */
#include "lx_internal.h"
#include <linux/ctype.h>
#include <linux/ioport.h>
#include <linux/string.h>

struct lx_out {
	char *buf;
	size_t size, len;
};

static void out_c(struct lx_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_s(struct lx_out *o, const char *s, size_t n)
{
	while (n--)
		out_c(o, *s++);
}

struct lx_spec {
	int left, plus, space, alt, zero;
	int width, prec; /* -1: none */
};

static void out_pad(struct lx_out *o, const struct lx_spec *sp, const char *s, size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		while (pad-- > 0)
			out_c(o, ' ');
	out_s(o, s, n);
	if (sp->left)
		while (pad-- > 0)
			out_c(o, ' ');
}

static void out_num(struct lx_out *o, const struct lx_spec *sp, unsigned long long v, int neg, int base,
		    int upper)
{
	char tmp[72], sign = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, prec = sp->prec, zeros, pad;
	const char *prefix = "";
	if (neg)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	if (sp->alt && base == 16 && v)
		prefix = upper ? "0X" : "0x";
	do {
		tmp[n++] = digits[v % (unsigned)base];
		v /= (unsigned)base;
	} while (v);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		tmp[n++] = '0';
	zeros = prec > n ? prec - n : 0;
	pad = sp->width - n - zeros - (sign != 0) - (int)strlen(prefix);
	if (sp->zero && !sp->left && prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		while (pad-- > 0)
			out_c(o, ' ');
	if (sign)
		out_c(o, sign);
	out_s(o, prefix, strlen(prefix));
	while (zeros-- > 0)
		out_c(o, '0');
	while (n)
		out_c(o, tmp[--n]);
	if (sp->left)
		while (pad-- > 0)
			out_c(o, ' ');
}

static void out_hex(struct lx_out *o, unsigned long long v, int digits)
{
	while (digits--)
		out_c(o, "0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

static void out_dec(struct lx_out *o, unsigned v)
{
	char t[12];
	int n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out_c(o, t[--n]);
}

/* %pe names (the kernel's table needs CONFIG_SYMBOLIC_ERRNAME). */
static const char *lx_errname(long err)
{
	static const struct {
		short no;
		const char *name;
	} names[] = {
		{EPERM, "EPERM"},     {ENOENT, "ENOENT"},	{EINTR, "EINTR"},     {EIO, "EIO"},
		{ENXIO, "ENXIO"},     {E2BIG, "E2BIG"},		{EAGAIN, "EAGAIN"},   {ENOMEM, "ENOMEM"},
		{EACCES, "EACCES"},   {EFAULT, "EFAULT"},	{EBUSY, "EBUSY"},     {EEXIST, "EEXIST"},
		{ENODEV, "ENODEV"},   {EINVAL, "EINVAL"},	{ENOSPC, "ENOSPC"},   {ERANGE, "ERANGE"},
		{EDEADLK, "EDEADLK"}, {ENOSYS, "ENOSYS"},	{ENODATA, "ENODATA"}, {ETIME, "ETIME"},
		{EPROTO, "EPROTO"},   {EOVERFLOW, "EOVERFLOW"}, {EOPNOTSUPP, "EOPNOTSUPP"},
		{ETIMEDOUT, "ETIMEDOUT"}, {EPROBE_DEFER, "EPROBE_DEFER"}, {ENOTSUPP, "ENOTSUPP"},
	};
	unsigned i;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].no == -err)
			return names[i].name;
	return NULL;
}

/* %p extensions; fmt points after 'p'; returns the characters consumed. */
static int out_ptr(struct lx_out *o, const struct lx_spec *sp, const char *fmt, const void *p)
{
	const u8 *b = p;
	int i, used = 0;
	if (!p && *fmt != 'e') {
		out_pad(o, sp, "(null)", 6);
		goto skip;
	}
	switch (*fmt) {
	case 'M':
	case 'm': {
		int rev = fmt[1] == 'R';
		for (i = 0; i < 6; i++) {
			if (i && *fmt == 'M')
				out_c(o, ':');
			out_hex(o, b[rev ? 5 - i : i], 2);
		}
		return 1 + rev;
	}
	case 'I':
	case 'i':
		if (fmt[1] == '4') {
			for (i = 0; i < 4; i++) {
				if (i)
					out_c(o, '.');
				if (*fmt == 'i' && b[i] < 100)
					out_c(o, '0');
				if (*fmt == 'i' && b[i] < 10)
					out_c(o, '0');
				out_dec(o, b[i]);
			}
			return 2;
		}
		if (fmt[1] == '6') {
			for (i = 0; i < 16; i += 2) {
				if (i && *fmt == 'I')
					out_c(o, ':');
				out_hex(o, (unsigned)b[i] << 8 | b[i + 1], 4);
			}
			return 2 + (fmt[2] == 'c');
		}
		break;
	case 'h': {
		char sep = ' ';
		int n = sp->width < 0 ? 1 : (sp->width > 64 ? 64 : sp->width);
		used = 1;
		if (fmt[1] == 'C' || fmt[1] == 'D' || fmt[1] == 'N') {
			sep = fmt[1] == 'C' ? ':' : fmt[1] == 'D' ? '-' : 0;
			used = 2;
		}
		for (i = 0; i < n; i++) {
			if (i && sep)
				out_c(o, sep);
			out_hex(o, b[i], 2);
		}
		return used;
	}
	case 'e': {
		long err = (long)p;
		const char *name = lx_errname(err);
		if (name) {
			out_c(o, '-');
			out_s(o, name, strlen(name));
		}
		else
			out_num(o, sp, (unsigned long long)(err < 0 ? -err : err), err < 0, 10, 0);
		return 1;
	}
	case 'V': {
		struct va_format *vaf = (struct va_format *)p;
		va_list va;
		char tmp[512];
		int n;
		va_copy(va, *vaf->va);
		n = lx_vsnprintf(tmp, sizeof(tmp), vaf->fmt, va);
		va_end(va);
		out_s(o, tmp, n < (int)sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
		return 1;
	}
	case 'a': {
		unsigned long long v = fmt[1] == 'd' ? *(const dma_addr_t *)p : *(const phys_addr_t *)p;
		out_c(o, '0');
		out_c(o, 'x');
		out_hex(o, v, 16);
		return 1 + (fmt[1] == 'd' || fmt[1] == 'p');
	}
	case 'R':
	case 'r': {
		const struct resource *r = p;
		char t[64];
		int n = lx_snprintf(t, sizeof(t), "[%s %#010llx-%#010llx]",
				    (r->flags & IORESOURCE_IO) ? "io" : "mem", (unsigned long long)r->start,
				    (unsigned long long)r->end);
		out_s(o, t, n);
		return 1;
	}
	default:
		break;
	}
	{
		struct lx_spec s2 = *sp;
		s2.alt = 1;
		out_num(o, &s2, (unsigned long)p, 0, 16, 0);
	}
skip:
	while (isalnum(fmt[used]))
		used++;
	return used;
}

int lx_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct lx_out o = {buf, size, 0};
	while (*fmt) {
		struct lx_spec sp = {0, 0, 0, 0, 0, -1, -1};
		int lng = 0; /* -2 hh, -1 h, 1 l, 2 ll, 3 size_t, 4 ptrdiff */
		unsigned long long u;
		long long s;
		if (*fmt != '%') {
			out_c(&o, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '+')
				sp.plus = 1;
			else if (*fmt == ' ')
				sp.space = 1;
			else if (*fmt == '#')
				sp.alt = 1;
			else if (*fmt == '0')
				sp.zero = 1;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(args, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (isdigit(*fmt))
				sp.width = (sp.width < 0 ? 0 : sp.width * 10) + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(args, int);
				fmt++;
			} else {
				while (isdigit(*fmt))
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'L' || *fmt == 'q' || *fmt == 'j')
				lng = 2;
			else if (*fmt == 'z' || *fmt == 'Z')
				lng = 3;
			else if (*fmt == 't')
				lng = 4;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng == 2 ? va_arg(args, long long)
			    : lng == 1 || lng == 3 || lng == 4 ? va_arg(args, long)
						       : va_arg(args, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			out_num(&o, &sp, s < 0 ? -(unsigned long long)s : (unsigned long long)s, s < 0, 10, 0);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng == 2 ? va_arg(args, unsigned long long)
			    : lng == 1 || lng == 3 || lng == 4 ? va_arg(args, unsigned long)
						       : va_arg(args, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			out_num(&o, &sp, u, 0, *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16, *fmt == 'X');
			break;
		case 'c': {
			char c = (char)va_arg(args, int);
			out_pad(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(args, const char *);
			if (!str)
				str = "(null)";
			out_pad(&o, &sp, str, sp.prec >= 0 ? strnlen(str, (size_t)sp.prec) : strlen(str));
			break;
		}
		case 'p':
			fmt += out_ptr(&o, &sp, fmt + 1, va_arg(args, void *));
			break;
		case 'n': /* not supported by the kernel either: ignore */
			(void)va_arg(args, void *);
			break;
		case '%':
			out_c(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			out_c(&o, '%');
			out_c(&o, *fmt);
			break;
		}
		fmt++;
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int lx_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = lx_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int lx_vsprintf(char *buf, const char *fmt, va_list args);
int lx_vsprintf(char *buf, const char *fmt, va_list args)
{
	return lx_vsnprintf(buf, INT_MAX, fmt, args);
}

int lx_sprintf(char *buf, const char *fmt, ...);
int lx_sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = lx_vsnprintf(buf, INT_MAX, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = lx_vsnprintf(buf, size, fmt, args);
	if (!size)
		return 0;
	return n < (int)size ? n : (int)size - 1;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *p;
	va_copy(aq, ap);
	n = lx_vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = kmalloc(n + 1, gfp);
	if (p)
		lx_vsnprintf(p, n + 1, fmt, ap);
	return p;
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}

int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vscnprintf(buf, PAGE_SIZE, fmt, ap);
	va_end(ap);
	return n;
}

int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (at < 0 || at >= (int)PAGE_SIZE)
		return 0;
	va_start(ap, fmt);
	n = vscnprintf(buf + at, PAGE_SIZE - at, fmt, ap);
	va_end(ap);
	return n;
}
