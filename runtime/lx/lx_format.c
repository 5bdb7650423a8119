/* lx_format.c: the kernel's printf format engine (lx_vsnprintf and the
 * lx_sprintf family the mapping tables rename sprintf/snprintf to, plus
 * scnprintf, kasprintf, sysfs_emit).
 *
 * Written for the runtime rather than imported from lib/vsprintf.c: that
 * file pulls in kallsyms, pointer hashing (siphash + a random key set up at
 * boot), dentries, clocks, device-tree nodes and more for %p extensions a
 * device driver never uses, and it would make every port import it.  This
 * engine does the kernel's conversions (its quirks included: "%.0d" of 0
 * is "0", "%.s" has no precision, a negative '*' precision is 0) and the
 * %p extensions: %pM %pMR %pMF %pm %pmR (MAC), %pI4 %pi4 %pI6 %pI6c
 * %pIS[p] %piS[p] (sockaddr), %pU[bBlL], %*ph[CDN] (hex dump), %pE
 * (octal escapes), %pd[234] %pD (dentry names), %ptR %ptT[dtrs] (time),
 * %*pb %*pbl (bitmaps), %p4cc, %pe (error name), %pV (nested va_format),
 * %pa[p] %pad (phys/dma addresses), %pR %pr (resources); NULL, first-page
 * and error pointers print "(null)"/"(efault)" as in check_pointer().
 * %p %px %pK print the address unhashed (no_hash_pointers is true: a
 * daemon's pointers are not kernel addresses to hide), %pS %ps %pB as
 * "0x..." (no kallsyms).  %pGp %pGv %pGg name flags from the tables the
 * kernel headers define (trace/events/mmflags.h).  Not here, printed as the
 * address: %pOF and %pfw (no firmware nodes), %pC (no clocks), %pN, %pg.
 * Unknown %p extensions print the pointer and the extension letters are
 * consumed like the kernel does. */
#include "lx_internal.h"
#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/tracepoint.h> /* TRACE_DEFINE_ENUM, which mmflags.h uses */
#include <trace/events/mmflags.h> /* the %pG name tables */
#include <uapi/linux/rtc.h> /* struct rtc_time (linux/rtc.h warns under lx's flags on 6.12) */

/* lib/vsprintf.c's switch (boot option no_hash_pointers): true here, since
 * plain %p prints the address unhashed (see above); lib/test_printf.c reads
 * it to skip its hashing checks. */
bool no_hash_pointers = true;

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
	/* unlike C, the kernel prints "0" for a zero with precision 0 */
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

/* string() of lib/vsprintf.c: precision cuts, width pads (never zeros). */
static void out_str(struct lx_out *o, const struct lx_spec *sp, const char *s)
{
	out_pad(o, sp, s, sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
}

/* check_pointer(): a NULL pointer prints "(null)", one in the first page
 * or an error pointer "(efault)"; returns 1 when p is not to be read. */
static int bad_ptr(struct lx_out *o, const struct lx_spec *sp, const void *p)
{
	if (!p) {
		out_str(o, sp, "(null)");
		return 1;
	}
	if ((unsigned long)p < PAGE_SIZE || IS_ERR_VALUE((unsigned long)p)) {
		out_str(o, sp, "(efault)");
		return 1;
	}
	return 0;
}

/* pointer_string(): hex, zero-padded to the pointer's width unless one is given. */
static void out_ptr_hex(struct lx_out *o, const struct lx_spec *sp, const void *p)
{
	struct lx_spec s2 = *sp;
	s2.alt = 0;
	if (s2.width < 0) {
		s2.width = 2 * (int)sizeof(void *);
		s2.zero = 1;
	}
	out_num(o, &s2, (unsigned long)p, 0, 16, 0);
}

/* special_hex_number(): "0x" and exactly 2*size digits. */
static void out_special_hex(struct lx_out *o, unsigned long long v, int size)
{
	out_c(o, '0');
	out_c(o, 'x');
	out_hex(o, v, 2 * size);
}

static void out_ip4(struct lx_out *o, const u8 *b, int leading_zeros)
{
	int i;
	for (i = 0; i < 4; i++) {
		if (i)
			out_c(o, '.');
		if (leading_zeros && b[i] < 100)
			out_c(o, '0');
		if (leading_zeros && b[i] < 10)
			out_c(o, '0');
		out_dec(o, b[i]);
	}
}

static void out_ip6(struct lx_out *o, const u8 *b, int colons)
{
	int i;
	for (i = 0; i < 16; i += 2) {
		if (i && colons)
			out_c(o, ':');
		out_hex(o, (unsigned)b[i] << 8 | b[i + 1], 4);
	}
}

/* %pd %pD: up to depth names towards the root ("/" at the root). */
static void out_dentry(struct lx_out *o, const struct lx_spec *sp, const struct dentry *d, const char *fmt)
{
	const char *array[4], *s;
	char t[256];
	struct lx_out w = {t, sizeof(t), 0};
	const struct dentry *par;
	int i, depth = fmt[1] >= '2' && fmt[1] <= '4' ? fmt[1] - '0' : 1;
	for (i = 0; i < depth; i++, d = par) {
		if (bad_ptr(o, sp, d))
			return;
		par = d->d_parent;
		array[i] = (const char *)d->d_name.name;
		if (par == d) {
			if (i)
				array[i] = "";
			i++;
			break;
		}
	}
	s = array[--i];
	for (;;) {
		char c = *s++;
		if (!c) {
			if (!i)
				break;
			c = '/';
			s = array[--i];
		}
		out_c(&w, c);
	}
	t[w.len < sizeof(t) ? w.len : sizeof(t) - 1] = 0;
	out_str(o, sp, t);
}

/* civil date of a day number (days since 1970-01-01), proleptic Gregorian */
static void lx_civil(long long days, long long *y, int *m, int *d)
{
	long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

/* %ptR (struct rtc_time) and %ptT (time64_t) with the d t r s flags */
static void out_time(struct lx_out *o, const struct lx_spec *sp, const void *p, const char *fmt)
{
	struct rtc_time tm;
	char t[64];
	int n = 0, have_d, have_t, raw, iso = 1, i;
	long long year;
	if (fmt[1] != 'R' && fmt[1] != 'T') {
		out_str(o, sp, "(%pt?)");
		return;
	}
	if (bad_ptr(o, sp, p))
		return;
	if (fmt[1] == 'R') {
		tm = *(const struct rtc_time *)p;
	} else {
		long long secs = *(const time64_t *)p, days = secs / 86400, rem = secs % 86400;
		int mon, mday;
		if (rem < 0) {
			rem += 86400;
			days--;
		}
		lx_civil(days, &year, &mon, &mday);
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = (int)(year - 1900);
		tm.tm_mon = mon - 1;
		tm.tm_mday = mday;
		tm.tm_hour = (int)(rem / 3600);
		tm.tm_min = (int)(rem / 60 % 60);
		tm.tm_sec = (int)(rem % 60);
	}
	/* one of d (date only) or t (time only), then r (raw) and s (space) */
	have_d = fmt[2] != 't';
	have_t = fmt[2] != 'd';
	raw = 0;
	for (i = 2 + (fmt[2] == 'd' || fmt[2] == 't'); fmt[i] == 'r' || fmt[i] == 's'; i++) {
		raw |= fmt[i] == 'r';
		iso &= fmt[i] != 's';
	}
	if (have_d)
		n += lx_snprintf(t + n, sizeof(t) - n, "%04d-%02d-%02d", tm.tm_year + (raw ? 0 : 1900),
				 tm.tm_mon + (raw ? 0 : 1), tm.tm_mday);
	if (have_d && have_t)
		t[n++] = iso ? 'T' : ' ';
	if (have_t)
		n += lx_snprintf(t + n, sizeof(t) - n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	t[n] = 0;
	out_str(o, sp, t);
}

/* %*pb (hex, 32-bit chunks from the top) and %*pbl (ranges) of width bits */
static void out_bitmap(struct lx_out *o, const struct lx_spec *sp, const unsigned long *bm, int list)
{
	int nbits = sp->width > 0 ? sp->width : 0, first = 1;
	if (bad_ptr(o, sp, bm))
		return;
	if (!list) {
		int chunk = nbits % 32 ? nbits % 32 : 32, i = ALIGN(nbits, 32) - 32;
		for (; i >= 0; i -= 32) {
			u32 val = (u32)(bm[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & (u32)((1ULL << chunk) - 1);
			struct lx_spec s2 = {0, 0, 0, 0, 1, DIV_ROUND_UP(chunk, 4), -1};
			if (!first)
				out_c(o, ',');
			first = 0;
			out_num(o, &s2, val, 0, 16, 0);
			chunk = 32;
		}
		return;
	} else {
		int bot = 0, top;
		struct lx_spec dec = {0, 0, 0, 0, 0, -1, -1};
		for (;;) {
			while (bot < nbits && !test_bit(bot, bm))
				bot++;
			if (bot >= nbits)
				break;
			top = bot;
			while (top < nbits && test_bit(top, bm))
				top++;
			if (!first)
				out_c(o, ',');
			first = 0;
			out_num(o, &dec, (unsigned)bot, 0, 10, 0);
			if (top > bot + 1) {
				out_c(o, '-');
				out_num(o, &dec, (unsigned)top - 1, 0, 10, 0);
			}
			bot = top;
		}
	}
}

/* %pG: flag names from the kernel headers' own tables (mm/debug.c builds
 * the same three from trace/events/mmflags.h) */
static const struct trace_print_flags lx_pageflag_names[] = {__def_pageflag_names, {0, NULL}};
static const struct trace_print_flags lx_gfpflag_names[] = {__def_gfpflag_names, {0, NULL}};
static const struct trace_print_flags lx_vmaflag_names[] = {__def_vmaflag_names, {0, NULL}};

static void out_flag_names(struct lx_out *o, unsigned long flags, const struct trace_print_flags *names)
{
	const struct lx_spec hex = {0, 0, 0, 1, 0, -1, -1};
	for (; flags && names->name; names++) {
		if ((flags & names->mask) != names->mask)
			continue;
		out_s(o, names->name, strlen(names->name));
		flags &= ~names->mask;
		if (flags)
			out_c(o, '|');
	}
	if (flags)
		out_num(o, &hex, flags, 0, 16, 0);
}

/* %pGp: the main flags by name, then the fields packed above them */
static void out_page_flags(struct lx_out *o, unsigned long flags)
{
	static const struct {
		int width, shift;
		unsigned long mask;
		int hex;
		const char *name;
	} fields[] = {
		{SECTIONS_WIDTH, SECTIONS_PGSHIFT, SECTIONS_MASK, 0, "section"},
		{NODES_WIDTH, NODES_PGSHIFT, NODES_MASK, 0, "node"},
		{ZONES_WIDTH, ZONES_PGSHIFT, ZONES_MASK, 0, "zone"},
		{LAST_CPUPID_WIDTH, LAST_CPUPID_PGSHIFT, LAST_CPUPID_MASK, 1, "lastcpupid"},
		{KASAN_TAG_WIDTH, KASAN_TAG_PGSHIFT, KASAN_TAG_MASK, 1, "kasantag"},
	};
	const struct lx_spec hex = {0, 0, 0, 1, 0, -1, -1}, dec = {0, 0, 0, 0, 0, -1, -1};
	unsigned long main_flags = flags & PAGEFLAGS_MASK;
	int append = 0;
	unsigned i;
	out_num(o, &hex, flags, 0, 16, 0);
	out_c(o, '(');
	if (main_flags) {
		out_flag_names(o, main_flags, lx_pageflag_names);
		append = 1;
	}
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (!fields[i].width)
			continue;
		if (append)
			out_c(o, '|');
		out_s(o, fields[i].name, strlen(fields[i].name));
		out_c(o, '=');
		out_num(o, fields[i].hex ? &hex : &dec, (flags >> fields[i].shift) & fields[i].mask, 0,
			fields[i].hex ? 16 : 10, 0);
		append = 1;
	}
	out_c(o, ')');
}

/* %p extensions; fmt points after 'p'; returns the characters consumed
 * (the caller skips any further alphanumerics, as the kernel does). */
static int out_ptr(struct lx_out *o, const struct lx_spec *sp, const char *fmt, const void *p)
{
	const u8 *b = p;
	char t[64];
	struct lx_out w = {t, sizeof(t), 0};
	int i;
	switch (*fmt) {
	case 'M':
	case 'm': {
		int rev = fmt[1] == 'R';
		char sep = *fmt == 'm' ? 0 : fmt[1] == 'F' ? '-' : ':';
		if (bad_ptr(o, sp, p))
			return 1;
		for (i = 0; i < 6; i++) {
			if (i && sep)
				out_c(&w, sep);
			out_hex(&w, b[rev ? 5 - i : i], 2);
		}
		t[w.len] = 0;
		out_str(o, sp, t);
		return 1;
	}
	case 'I':
	case 'i':
		if (fmt[1] != '4' && fmt[1] != '6' && fmt[1] != 'S')
			break;
		if (bad_ptr(o, sp, p))
			return 1;
		if (fmt[1] == '4') {
			out_ip4(&w, b, *fmt == 'i');
		} else if (fmt[1] == '6') {
			out_ip6(&w, b, *fmt == 'I');
		} else {
			const struct sockaddr_in *sa = p;
			int port = 0;
			for (i = 2; isalnum(fmt[i]); i++)
				port |= fmt[i] == 'p';
			if (sa->sin_family == AF_INET) {
				out_ip4(&w, (const u8 *)&sa->sin_addr, *fmt == 'i');
				if (port) {
					out_c(&w, ':');
					out_dec(&w, be16_to_cpu(sa->sin_port));
				}
			} else if (sa->sin_family == AF_INET6) {
				const struct sockaddr_in6 *sa6 = p;
				if (port)
					out_c(&w, '[');
				out_ip6(&w, sa6->sin6_addr.s6_addr, *fmt == 'I');
				if (port) {
					out_s(&w, "]:", 2);
					out_dec(&w, be16_to_cpu(sa6->sin6_port));
				}
			} else {
				out_s(&w, "(invalid address)", 17);
			}
		}
		t[w.len < sizeof(t) ? w.len : sizeof(t) - 1] = 0;
		out_str(o, sp, t);
		return 2;
	case 'U': {
		/* b/B: big-endian byte order, l/L: little-endian fields; upper case: hex digits */
		static const u8 be[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
		static const u8 le[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
		const u8 *idx = fmt[1] == 'l' || fmt[1] == 'L' ? le : be;
		int upper = fmt[1] == 'B' || fmt[1] == 'L';
		if (bad_ptr(o, sp, p))
			return 1;
		for (i = 0; i < 16; i++) {
			out_c(&w, (upper ? "0123456789ABCDEF" : "0123456789abcdef")[b[idx[i]] >> 4]);
			out_c(&w, (upper ? "0123456789ABCDEF" : "0123456789abcdef")[b[idx[i]] & 15]);
			if (i == 3 || i == 5 || i == 7 || i == 9)
				out_c(&w, '-');
		}
		t[w.len] = 0;
		out_str(o, sp, t);
		return 1;
	}
	case 'h': {
		char sep = fmt[1] == 'C' ? ':' : fmt[1] == 'D' ? '-' : fmt[1] == 'N' ? 0 : ' ';
		int n = sp->width < 0 ? 1 : (sp->width > 64 ? 64 : sp->width);
		if (bad_ptr(o, sp, p))
			return 1;
		for (i = 0; i < n; i++) {
			if (i && sep)
				out_c(o, sep);
			out_hex(o, b[i], 2);
		}
		return 1;
	}
	case 'E': {
		/* escaped string (default ESCAPE_ANY_NP: octal for the non-printable);
		 * the width is the length of the input (default 1), as in the kernel */
		int n = sp->width < 0 ? 1 : sp->width;
		if (!n || bad_ptr(o, sp, p))
			return 1;
		for (i = 0; i < n; i++) {
			if (isprint(b[i]) && b[i] != '\\') {
				out_c(o, (char)b[i]);
			} else {
				out_c(o, '\\');
				out_c(o, (char)('0' + (b[i] >> 6)));
				out_c(o, (char)('0' + ((b[i] >> 3) & 7)));
				out_c(o, (char)('0' + (b[i] & 7)));
			}
		}
		return 1;
	}
	case 'd':
		out_dentry(o, sp, p, fmt);
		return 1;
	case 'D':
		if (!bad_ptr(o, sp, p))
			out_dentry(o, sp, ((const struct file *)p)->f_path.dentry, fmt);
		return 1;
	case 't':
		out_time(o, sp, p, fmt);
		return 1;
	case 'b':
		out_bitmap(o, sp, p, fmt[1] == 'l');
		return 1;
	case 'G':
		if (bad_ptr(o, sp, p))
			return 1;
		if (fmt[1] == 'p')
			out_page_flags(o, *(const unsigned long *)p);
		else if (fmt[1] == 'v')
			out_flag_names(o, *(const unsigned long *)p, lx_vmaflag_names);
		else if (fmt[1] == 'g')
			out_flag_names(o, (__force unsigned long)*(const gfp_t *)p, lx_gfpflag_names);
		else
			out_str(o, sp, "(%pG?)");
		return 1;
	case '4':
		if (fmt[1] != 'c' || fmt[2] != 'c') {
			out_str(o, sp, "(%p4?)");
			return 1;
		}
		if (!bad_ptr(o, sp, p)) {
			u32 orig, val;
			memcpy(&orig, p, sizeof(orig)); /* unaligned */
			val = orig & ~BIT(31);
			for (i = 0; i < 4; i++) {
				unsigned char c = (unsigned char)(val >> (i * 8));
				out_c(&w, isascii(c) && isprint(c) ? (char)c : '.');
			}
			out_c(&w, ' ');
			out_s(&w, orig & BIT(31) ? "big-endian" : "little-endian",
			      strlen(orig & BIT(31) ? "big-endian" : "little-endian"));
			out_s(&w, " (", 2);
			out_special_hex(&w, orig, sizeof(u32));
			out_c(&w, ')');
			t[w.len] = 0;
			out_str(o, sp, t);
		}
		return 1;
	case 'e': {
		long err = (long)p;
		const char *name = lx_errname(err);
		if (!IS_ERR(p)) { /* not an error pointer: the pointer, as the kernel does */
			out_ptr_hex(o, sp, p);
			return 1;
		}
		if (name) {
			t[0] = '-';
			strscpy(t + 1, name, sizeof(t) - 1);
			out_str(o, sp, t);
		} else {
			struct lx_spec s2 = *sp;
			out_num(o, &s2, (unsigned long long)-err, 1, 10, 0);
		}
		return 1;
	}
	case 'V': {
		struct va_format *vaf = (struct va_format *)p;
		va_list va;
		char tmp[512];
		int n;
		if (bad_ptr(o, sp, p))
			return 1;
		va_copy(va, *vaf->va);
		n = lx_vsnprintf(tmp, sizeof(tmp), vaf->fmt, va);
		va_end(va);
		out_s(o, tmp, n < (int)sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
		return 1;
	}
	case 'a': {
		unsigned long long v;
		if (bad_ptr(o, sp, p))
			return 1;
		v = fmt[1] == 'd' ? *(const dma_addr_t *)p : *(const phys_addr_t *)p;
		out_special_hex(o, v, fmt[1] == 'd' ? sizeof(dma_addr_t) : sizeof(phys_addr_t));
		return 1 + (fmt[1] == 'd' || fmt[1] == 'p');
	}
	case 'R':
	case 'r': {
		const struct resource *r = p;
		int n;
		if (bad_ptr(o, sp, p))
			return 1;
		n = lx_snprintf(t, sizeof(t), "[%s %#010llx-%#010llx]", (r->flags & IORESOURCE_IO) ? "io" : "mem",
				(unsigned long long)r->start, (unsigned long long)r->end);
		out_s(o, t, n);
		return 1;
	}
	case 'S':
	case 's':
	case 'B':
		/* no kallsyms: the address, as the kernel prints it without CONFIG_KALLSYMS */
		out_special_hex(o, (unsigned long)p, sizeof(void *));
		return 1;
	default:
		break;
	}
	/* %p, %px, %pK and unknown extensions: the address unhashed (no_hash_pointers) */
	out_ptr_hex(o, sp, p);
	return 0;
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
		/* as the kernel (not C): "%.s" has no precision, a negative
		 * one from '*' is 0 */
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.prec = va_arg(args, int);
				if (sp.prec < 0)
					sp.prec = 0;
				fmt++;
			} else if (isdigit(*fmt)) {
				sp.prec = 0;
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
			if (!bad_ptr(&o, &sp, str))
				out_str(&o, &sp, str);
			break;
		}
		case 'p':
			fmt += out_ptr(&o, &sp, fmt + 1, va_arg(args, void *));
			while (isalnum(fmt[1]))
				fmt++;
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

/* Always a copy, as kstrdup_const (lx_mem.c): kfree_const always frees. */
const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list ap)
{
	return kvasprintf(gfp, fmt, ap);
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
