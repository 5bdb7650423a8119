/* lx_test_uaccess.c: a test "driver" (written for kpiport, kernel flags)
 * for lx's uaccess model (runtime/lx/lx_uaccess.c, README "uaccess"):
 * get_user/put_user of every size through the asm helpers and their
 * register convention, -EFAULT for NULL and for ranges past TASK_SIZE_MAX
 * (without touching memory), a caller's locals surviving the helpers' call
 * from inline asm, copy_{to,from}_user with zero fill, clear_user,
 * strncpy_from_user, strnlen_user, memdup_user & co., check_zeroed_user
 * through copy_struct_from_user, and the copy/clear routines that the
 * headers' alternatives name, and boot_cpu_data (lx_cpu.c), which the
 * alternatives' run-time fallback (static_cpu_has) reads.  Needs no PCI
 * (built for every config). */
#include <asm/cpufeature.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <redox/kpi_main.h>
#include "lx_compat.h" /* which alternatives the tree's headers name */
#include "lx_test.h"

#define LXT_TOP ((unsigned long)TASK_SIZE_MAX)

static void case_get_put_user(void)
{
	u8 b = 0xa5, b2 = 0;
	u16 w = 0xbeef, w2 = 0;
	u32 l = 0xdeadbeef, l2 = 0;
	u64 q = 0x0123456789abcdefULL, q2 = 0;
	u8 __user *ub = (u8 __user *)&b;
	u16 __user *uw = (u16 __user *)&w;
	u32 __user *ul = (u32 __user *)&l;
	u64 __user *uq = (u64 __user *)&q;
	LXT_CHECK_INT(get_user(b2, ub), 0);
	LXT_CHECK_INT(b2, 0xa5);
	LXT_CHECK_INT(get_user(w2, uw), 0);
	LXT_CHECK_INT(w2, 0xbeef);
	LXT_CHECK_INT(get_user(l2, ul), 0);
	LXT_CHECK_INT(l2, 0xdeadbeef);
	LXT_CHECK_INT(get_user(q2, uq), 0);
	LXT_CHECK(q2 == 0x0123456789abcdefULL);
	LXT_CHECK_INT(put_user((u8)0x11, ub), 0);
	LXT_CHECK_INT(put_user((u16)0x2233, uw), 0);
	LXT_CHECK_INT(put_user((u32)0x44556677, ul), 0);
	LXT_CHECK_INT(put_user(0x8899aabbccddeeffULL, uq), 0);
	LXT_CHECK_INT(b, 0x11);
	LXT_CHECK_INT(w, 0x2233);
	LXT_CHECK_INT(l, 0x44556677);
	LXT_CHECK(q == 0x8899aabbccddeeffULL);
	/* the unchecked forms (after access_ok) are the same helpers */
	LXT_CHECK_INT(__get_user(l2, ul), 0);
	LXT_CHECK_INT(l2, 0x44556677);
	LXT_CHECK_INT(__put_user(7u, ul), 0);
	LXT_CHECK_INT(l, 7);
	/* sign extension is the caller's: a negative int comes back intact */
	{
		int neg = -5, got = 0;
		LXT_CHECK_INT(get_user(got, (int __user *)&neg), 0);
		LXT_CHECK_INT(got, -5);
	}
}

static void case_faults(void)
{
	u32 v = 0x1234;
	u64 q = 1;
	/* NULL and the pages after it fault; the value reads as 0 */
	LXT_CHECK_INT(get_user(v, (u32 __user *)NULL), -EFAULT);
	LXT_CHECK_INT(v, 0);
	LXT_CHECK_INT(get_user(q, (u64 __user *)0x100), -EFAULT);
	LXT_CHECK_INT(q, 0);
	LXT_CHECK_INT(put_user(1u, (u32 __user *)NULL), -EFAULT);
	LXT_CHECK_INT(put_user((u8)1, (u8 __user *)0x8000), -EFAULT);
	/* a range reaching past TASK_SIZE_MAX faults without being touched:
	 * the last 4 bytes below it are addressable, one byte more is not */
	LXT_CHECK_INT(get_user(v, (u32 __user *)(LXT_TOP - 3)), -EFAULT);
	LXT_CHECK_INT(put_user(v, (u32 __user *)(LXT_TOP - 3)), -EFAULT);
	LXT_CHECK_INT(get_user(q, (u64 __user *)(LXT_TOP - 7)), -EFAULT);
	LXT_CHECK_INT(get_user(v, (u32 __user *)~0UL), -EFAULT);
	LXT_CHECK_INT(__get_user(v, (u32 __user *)NULL), -EFAULT);
	LXT_CHECK_INT(__put_user(v, (u32 __user *)NULL), -EFAULT);
}

/* get_user calls its helper from inline asm: that `call` pushes a return
 * address below %rsp, where a function the compiler takes for a leaf keeps
 * locals (the red zone) unless the kernel flags' -mno-red-zone stays
 * (cmake/KpiKernelFlags.cmake; lx_test_kflags.cmake checks the flag).  A
 * smoke check only: whether a slot lands at -8(%rsp) is the compiler's
 * choice. */
static noinline int leaf_with_locals(u32 __user *p, int a, int b)
{
	volatile int buf[8];
	u32 v = 0;
	int i, rc;
	for (i = 0; i < 8; i++)
		buf[i] = a * i + b;
	rc = get_user(v, p);
	for (i = 0; i < 8; i++)
		if (buf[i] != a * i + b)
			return -2;
	return rc ? -1 : (int)v;
}

static void case_red_zone(void)
{
	u32 x = 100;
	LXT_CHECK_INT(leaf_with_locals((u32 __user *)&x, 3, 7), 100);
}

static void case_copies(void)
{
	char src[64], dst[64];
	int i;
	for (i = 0; i < 64; i++)
		src[i] = (char)i;
	memset(dst, 0x55, sizeof(dst));
	LXT_CHECK_INT(copy_from_user(dst, (const void __user *)src, 64), 0);
	LXT_CHECK(!memcmp(dst, src, 64));
	memset(dst, 0, sizeof(dst));
	LXT_CHECK_INT(copy_to_user((void __user *)dst, src, 40), 0);
	LXT_CHECK(!memcmp(dst, src, 40) && dst[40] == 0);
	/* a faulting source: nothing copied, the destination zero-filled */
	memset(dst, 0x55, sizeof(dst));
	LXT_CHECK_INT(copy_from_user(dst, (const void __user *)NULL, 16), 16);
	LXT_CHECK(dst[0] == 0 && dst[15] == 0 && dst[16] == 0x55);
	LXT_CHECK_INT(copy_to_user((void __user *)0x20, src, 8), 8);
	LXT_CHECK_INT(copy_from_user(dst, (const void __user *)(LXT_TOP - 8), 16), 16);
	/* clear_user: the header's inline rep stosb */
	memset(dst, 0x77, sizeof(dst));
	LXT_CHECK_INT(clear_user((void __user *)(dst + 8), 16), 0);
	LXT_CHECK(dst[7] == 0x77 && dst[8] == 0 && dst[23] == 0 && dst[24] == 0x77);
	LXT_CHECK_INT(clear_user((void __user *)(LXT_TOP - 8), 16), 16); /* access_ok refuses */
}

#if !LX_WANT_copy_user_variants
/* Since 6.4 one routine each, with the inline rep's registers. */
static unsigned long lxt_rep_movs(void *to, const void *from, unsigned long len)
{
	asm volatile("call rep_movs_alternative" : "+c"(len), "+D"(to), "+S"(from) : : "memory", "rax");
	return len;
}

static unsigned long lxt_rep_stos(void *to, unsigned long len)
{
	asm volatile("call rep_stos_alternative" : "+c"(len), "+D"(to) : "a"(0) : "memory");
	return len;
}
#endif

/* The routines the alternatives name, called directly: the patched-in
 * variants behave like the original one. */
static void case_alternatives(void)
{
	char src[100], dst[100];
	char *page = (char *)__get_free_page(GFP_KERNEL);
	int i;
	for (i = 0; i < 100; i++)
		src[i] = (char)(i * 3);
	memset(dst, 0, sizeof(dst));
#if LX_WANT_copy_user_variants
	LXT_CHECK_INT(copy_user_generic_string(dst, src, 50), 0);
	LXT_CHECK_INT(copy_user_enhanced_fast_string(dst + 50, src + 50, 50), 0);
	LXT_CHECK(!memcmp(dst, src, 100));
	LXT_CHECK_INT(copy_user_generic_unrolled(dst, NULL, 10), 10); /* faults: nothing copied */
#else
	LXT_CHECK_INT(lxt_rep_movs(dst, src, 100), 0);
	LXT_CHECK(!memcmp(dst, src, 100));
	LXT_CHECK_INT(lxt_rep_movs(dst, NULL, 10), 10); /* faults: nothing copied */
	LXT_CHECK_INT(lxt_rep_stos(dst, 40), 0);
	LXT_CHECK(dst[0] == 0 && dst[39] == 0 && dst[40] == src[40]);
	LXT_CHECK_INT(lxt_rep_stos(NULL, 40), 40);
#endif
	LXT_CHECK(page != NULL);
	if (!page)
		return;
	memset(page, 0xee, PAGE_SIZE);
	clear_page(page);
	LXT_CHECK(page[0] == 0 && page[PAGE_SIZE - 1] == 0);
	memset(src, 0x3c, sizeof(src));
	memcpy(page, src, 100);
	{
		char *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
		copy_page(copy, page);
		LXT_CHECK(!memcmp(copy, page, PAGE_SIZE));
		kfree(copy);
	}
	free_page((unsigned long)page);
}

static void case_strings(void)
{
	const char *s = "hello, daemon";
	char buf[32];
	char *dup;
	void *m;
	memset(buf, 'x', sizeof(buf));
	LXT_CHECK_INT(strncpy_from_user(buf, (const char __user *)s, sizeof(buf)), 13);
	LXT_CHECK(!strcmp(buf, s));
	memset(buf, 'x', sizeof(buf));
	LXT_CHECK_INT(strncpy_from_user(buf, (const char __user *)s, 5), 5); /* no NUL within count */
	LXT_CHECK(!memcmp(buf, "hello", 5) && buf[5] == 'x');
	LXT_CHECK_INT(strncpy_from_user(buf, (const char __user *)NULL, 5), -EFAULT);
	LXT_CHECK_INT(strnlen_user((const char __user *)s, 100), 14);
	LXT_CHECK_INT(strnlen_user((const char __user *)s, 5), 6); /* longer than n: more than n */
	LXT_CHECK_INT(strnlen_user((const char __user *)NULL, 5), 0);
	dup = strndup_user((const char __user *)s, 64);
	LXT_CHECK(!IS_ERR(dup) && !strcmp(dup, s));
	if (!IS_ERR(dup))
		kfree(dup);
	LXT_CHECK(PTR_ERR(strndup_user((const char __user *)s, 4)) == -EINVAL);
	LXT_CHECK(PTR_ERR(strndup_user((const char __user *)NULL, 4)) == -EFAULT);
	m = memdup_user((const void __user *)s, 5);
	LXT_CHECK(!IS_ERR(m) && !memcmp(m, "hello", 5));
	if (!IS_ERR(m))
		kfree(m);
	dup = memdup_user_nul((const void __user *)s, 5);
	LXT_CHECK(!IS_ERR(dup) && !strcmp(dup, "hello"));
	if (!IS_ERR(dup))
		kfree(dup);
	LXT_CHECK(PTR_ERR(memdup_user((const void __user *)NULL, 5)) == -EFAULT);
	m = vmemdup_user((const void __user *)s, 14);
	LXT_CHECK(!IS_ERR(m) && !strcmp(m, s));
	if (!IS_ERR(m))
		kvfree(m);
}

/* copy_struct_from_user: a bigger user struct is fine while its tail is
 * zero (check_zeroed_user), -E2BIG when not. */
struct lxt_args {
	u32 a, b;
};

static void case_struct(void)
{
	u32 user[4] = {1, 2, 0, 0};
	struct lxt_args k;
	LXT_CHECK_INT(copy_struct_from_user(&k, sizeof(k), (const void __user *)user, sizeof(user)), 0);
	LXT_CHECK(k.a == 1 && k.b == 2);
	user[3] = 9;
	LXT_CHECK_INT(copy_struct_from_user(&k, sizeof(k), (const void __user *)user, sizeof(user)), -E2BIG);
	LXT_CHECK_INT(check_zeroed_user((const void __user *)NULL, 4), -EFAULT);
}

/* boot_cpu_data is the CPU's CPUID, Linux's own feature words empty. */
static void case_cpu(void)
{
	LXT_CHECK(boot_cpu_data.x86 >= 6);
	LXT_CHECK(boot_cpu_data.x86_vendor != X86_VENDOR_UNKNOWN || boot_cpu_data.x86_vendor_id[0]);
	LXT_CHECK(boot_cpu_has(X86_FEATURE_FPU) && boot_cpu_has(X86_FEATURE_LM));
	LXT_CHECK(static_cpu_has(X86_FEATURE_ALWAYS));
	LXT_CHECK(!boot_cpu_has(X86_FEATURE_REP_GOOD)); /* synthetic: the unpatched baseline */
	LXT_CHECK(cpu_data(0).x86_clflush_size >= 32);
	LXT_CHECK_INT(boot_cpu_data.cpu_index, 0);
}

static int test_init(void)
{
	case_cpu();
	case_get_put_user();
	case_faults();
	case_red_zone();
	case_copies();
	case_alternatives();
	case_strings();
	case_struct();
	__copy_overflow(8, 16); /* check_copy_size's report: said, nothing else */
	return 0;
}

static void test_exit(void)
{
}

int main(int argc, char **argv)
{
	return lxt_result(kpi_module_main(argc, argv, test_init, test_exit), 0);
}
