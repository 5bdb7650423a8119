/* lx_uaccess.c: "user" memory access - get_user/put_user's out-of-line
 * helpers (their own calling convention), the copy/clear routines that the
 * headers' alternatives name, copy_{to,from}_user, strncpy_from_user,
 * strnlen_user, memdup_user & co.
 *
 * The model (README.md, "uaccess"): a daemon has no user space of its own.
 * A __user pointer is an address of the daemon's own memory: a request
 * that arrives from the host (later: a Redox scheme call carrying an ioctl)
 * is copied into the daemon first and the driver gets a pointer to that
 * copy.  So a user copy is a memory copy, and "faults" are what can be told
 * without touching the memory: an address below LX_USER_MIN (NULL and the
 * pages after it, like Linux's mmap_min_addr) or a range reaching past
 * TASK_SIZE_MAX gives -EFAULT / "bytes not copied", as a fault would in
 * Linux.  Any other bad pointer crashes the daemon, as it would crash a
 * userspace program (and the kernel would oops on a kernel address).
 *
 * Calling conventions (arch/x86/include/asm/uaccess.h calls these from
 * inline asm, so they are asm here and touch nothing else):
 *   __get_user_N        in: %rax = address;  out: %eax = 0 or -EFAULT,
 *                       %rdx = the value, zero-extended (0 on error)
 *   __put_user_N        in: %rax = value, %rcx = address;  out: %ecx = 0
 *                       or -EFAULT;  %rbx may be clobbered
 *   copy_user_*         in: %rdi = to, %rsi = from, %edx = length;  out:
 *                       %eax = bytes not copied;  may clobber %rcx, %rdx,
 *                       %rsi, %rdi, %r8-%r11 (alternative_call_2's list)
 *   clear_user_*        in: %rdi = address, %rcx = length, %rax = 0;  out:
 *                       %rcx = bytes not cleared;  may clobber %rdx, %rdi
 *   clear_page_*        in: %rdi = page;  may clobber %rax, %rcx, %rdi
 * The _nocheck_ variants (__get_user/__put_user after access_ok) are the
 * same functions: the checks are all the "fault" handling there is.
 *
 * Alternatives: the headers emit the original instruction in the text and
 * the replacements (calls of the other variants) in .altinstr_replacement,
 * which only the kernel's boot-time patching reads.  In a daemon the
 * original runs (copy_user_generic_unrolled, the inline rep stosb of
 * __clear_user, clear_page_orig); the other names must still link. */
#include "lx_internal.h"
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

/* check_copy_size() found a copy larger than its object (thread_info.h
 * calls this out of line): said, as Linux's WARN does; the copy is refused
 * by the caller. */
void __copy_overflow(int size, unsigned long count)
{
	lx_log(KPI_LOG_WARNING, "buffer overflow detected (%d < %lu)!", size, count);
}

#ifdef CONFIG_X86_5LEVEL
#error "lx_uaccess.c assumes 4-level paging (TASK_SIZE_MAX is then a constant)"
#endif

/* The bounds as the asm needs them (no C suffixes), checked against C. */
#define LX_UA_MIN 0x10000
#define LX_UA_TOP 0x7ffffffff000 /* TASK_SIZE_MAX with 4-level paging */
static_assert(LX_UA_MIN == LX_USER_MIN, "LX_UA_MIN");
static_assert(LX_UA_TOP == TASK_SIZE_MAX, "LX_UA_TOP");
static_assert(PAGE_SIZE == 4096, "clear_page_* clear 4096 bytes");

/* __get_user_N: a valid range is [LX_UA_MIN, LX_UA_TOP - N]; %rdx is the
 * scratch register for the bound (it is an output anyway). */
#define LX_GET_USER(n, load)                                               \
	"	.globl __get_user_" #n "\n"                                    \
	"	.type __get_user_" #n ", @function\n"                          \
	"	.globl __get_user_nocheck_" #n "\n"                            \
	"	.type __get_user_nocheck_" #n ", @function\n"                  \
	"__get_user_" #n ":\n"                                               \
	"__get_user_nocheck_" #n ":\n"                                       \
	"	movabs $(" __stringify(LX_UA_TOP) " - " #n "), %rdx\n"        \
	"	cmp %rdx, %rax\n"                                              \
	"	ja .Llx_get_user_fault\n"                                      \
	"	cmp $" __stringify(LX_UA_MIN) ", %rax\n"                       \
	"	jb .Llx_get_user_fault\n"                                      \
	"	" load "\n"                                                    \
	"	xor %eax, %eax\n"                                              \
	"	ret\n"                                                         \
	"	.size __get_user_" #n ", . - __get_user_" #n "\n"              \
	"	.size __get_user_nocheck_" #n ", . - __get_user_nocheck_" #n "\n"

/* __put_user_N: the same bounds, %rbx is the scratch register. */
#define LX_PUT_USER(n, store)                                              \
	"	.globl __put_user_" #n "\n"                                    \
	"	.type __put_user_" #n ", @function\n"                          \
	"	.globl __put_user_nocheck_" #n "\n"                            \
	"	.type __put_user_nocheck_" #n ", @function\n"                  \
	"__put_user_" #n ":\n"                                               \
	"__put_user_nocheck_" #n ":\n"                                       \
	"	movabs $(" __stringify(LX_UA_TOP) " - " #n "), %rbx\n"        \
	"	cmp %rbx, %rcx\n"                                              \
	"	ja .Llx_put_user_fault\n"                                      \
	"	cmp $" __stringify(LX_UA_MIN) ", %rcx\n"                       \
	"	jb .Llx_put_user_fault\n"                                      \
	"	" store "\n"                                                   \
	"	xor %ecx, %ecx\n"                                              \
	"	ret\n"                                                         \
	"	.size __put_user_" #n ", . - __put_user_" #n "\n"              \
	"	.size __put_user_nocheck_" #n ", . - __put_user_nocheck_" #n "\n"

/* copy_user_*: rep movsb, after the low-address check of both sides. */
#define LX_COPY_USER(name)                                                 \
	"	.globl " #name "\n"                                            \
	"	.type " #name ", @function\n"                                  \
	#name ":\n"                                                          \
	"	mov %edx, %ecx\n"                                              \
	"	test %ecx, %ecx\n"                                             \
	"	jz 1f\n"                                                       \
	"	cmp $" __stringify(LX_UA_MIN) ", %rdi\n"                       \
	"	jb 2f\n"                                                       \
	"	cmp $" __stringify(LX_UA_MIN) ", %rsi\n"                       \
	"	jb 2f\n"                                                       \
	"	rep movsb\n"                                                   \
	"1:	xor %eax, %eax\n"                                              \
	"	ret\n"                                                         \
	"2:	mov %edx, %eax\n"                                              \
	"	ret\n"                                                         \
	"	.size " #name ", . - " #name "\n"

/* clear_user_*: rep stosb with the caller's %al (0). */
#define LX_CLEAR_USER(name)                                                \
	"	.globl " #name "\n"                                            \
	"	.type " #name ", @function\n"                                  \
	#name ":\n"                                                          \
	"	cmp $" __stringify(LX_UA_MIN) ", %rdi\n"                       \
	"	jb 1f\n"                                                       \
	"	rep stosb\n"                                                   \
	"1:	ret\n"                                                         \
	"	.size " #name ", . - " #name "\n"

/* rep_movs_alternative: length in %rcx, bytes left out in %rcx (%rax may go). */
#define LX_REP_MOVS(name)                                                  \
	"	.globl " #name "\n"                                            \
	"	.type " #name ", @function\n"                                  \
	#name ":\n"                                                          \
	"	test %rcx, %rcx\n"                                             \
	"	jz 1f\n"                                                       \
	"	cmp $" __stringify(LX_UA_MIN) ", %rdi\n"                       \
	"	jb 1f\n"                                                       \
	"	cmp $" __stringify(LX_UA_MIN) ", %rsi\n"                       \
	"	jb 1f\n"                                                       \
	"	rep movsb\n"                                                   \
	"1:	ret\n"                                                         \
	"	.size " #name ", . - " #name "\n"

/* clear_page_*: 4096 zero bytes at %rdi. */
#define LX_CLEAR_PAGE(name)                                                \
	"	.globl " #name "\n"                                            \
	"	.type " #name ", @function\n"                                  \
	#name ":\n"                                                          \
	"	xor %eax, %eax\n"                                              \
	"	mov $4096, %ecx\n"                       \
	"	rep stosb\n"                                                   \
	"	ret\n"                                                         \
	"	.size " #name ", . - " #name "\n"

asm("	.text\n"
    LX_GET_USER(1, "movzbl (%rax), %edx")
    LX_GET_USER(2, "movzwl (%rax), %edx")
    LX_GET_USER(4, "movl (%rax), %edx")
    LX_GET_USER(8, "movq (%rax), %rdx")
    ".Llx_get_user_fault:\n"
    "	xor %edx, %edx\n"
    "	mov $-" __stringify(EFAULT) ", %eax\n"
    "	ret\n"
    LX_PUT_USER(1, "movb %al, (%rcx)")
    LX_PUT_USER(2, "movw %ax, (%rcx)")
    LX_PUT_USER(4, "movl %eax, (%rcx)")
    LX_PUT_USER(8, "movq %rax, (%rcx)")
    ".Llx_put_user_fault:\n"
    "	mov $-" __stringify(EFAULT) ", %ecx\n"
    "	ret\n"
/* which routines the headers' alternatives name depends on the version (lx_compat.h) */
#if LX_WANT_copy_user_variants
    LX_COPY_USER(copy_user_generic_unrolled)
    LX_COPY_USER(copy_user_generic_string)
    LX_COPY_USER(copy_user_enhanced_fast_string)
    LX_CLEAR_USER(clear_user_original)
    LX_CLEAR_USER(clear_user_rep_good)
    LX_CLEAR_USER(clear_user_erms)
#endif
#if LX_WANT_rep_movs_alternative
    LX_REP_MOVS(rep_movs_alternative)
    LX_CLEAR_USER(rep_stos_alternative) /* the same convention as clear_user_* */
#endif
    LX_CLEAR_PAGE(clear_page_orig)
    LX_CLEAR_PAGE(clear_page_rep)
    LX_CLEAR_PAGE(clear_page_erms));

/* ---- C entry points ---------------------------------------------------------------------------- */

/* Can [p, p + n) be "user" memory at all?  (The fault model above.) */
static bool lx_user_range_ok(const void __user *p, unsigned long n)
{
	unsigned long a = (unsigned long)p;
	if (!n)
		return true;
	return a >= LX_USER_MIN && access_ok(p, n);
}

/* lib/usercopy.c's contract: the bytes that could not be read are zeroed. */
unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n)
{
	if (!n)
		return 0;
	if (!lx_user_range_ok(from, n)) {
		memset(to, 0, n);
		return n;
	}
	memcpy(to, (const void __force *)from, n);
	return 0;
}

unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!n)
		return 0;
	if (!lx_user_range_ok(to, n))
		return n;
	memcpy((void __force *)to, from, n);
	return 0;
}

/* 1 when the size bytes at from are all zero, 0 if not, -EFAULT. */
int check_zeroed_user(const void __user *from, size_t size)
{
	const unsigned char *p = (const unsigned char __force *)from;
	size_t i;
	if (!lx_user_range_ok(from, size))
		return -EFAULT;
	for (i = 0; i < size; i++)
		if (p[i])
			return 0;
	return 1;
}

/* The string and its NUL if that fits in count bytes: its length; else
 * count bytes and no NUL: count; -EFAULT for a bad address. */
long strncpy_from_user(char *dst, const char __user *src, long count)
{
	const char *s = (const char __force *)src;
	long i;
	if (count <= 0)
		return 0;
	if ((unsigned long)s < LX_USER_MIN || !access_ok(src, 1))
		return -EFAULT;
	for (i = 0; i < count; i++) {
		if (!access_ok(src + i, 1))
			return -EFAULT;
		dst[i] = s[i];
		if (!s[i])
			return i;
	}
	return count;
}

/* The size of the string with its NUL; more than n if it is longer; 0 for
 * a bad address. */
long strnlen_user(const char __user *str, long n)
{
	const char *s = (const char __force *)str;
	long i;
	if (n <= 0 || (unsigned long)s < LX_USER_MIN)
		return 0;
	for (i = 0; i < n; i++) {
		if (!access_ok(str + i, 1))
			return 0;
		if (!s[i])
			return i + 1;
	}
	return n + 1;
}

/* Non-temporal copies are plain copies here (no cache to bypass that matters). */
#if LX_WANT___copy_user_nocache
long __copy_user_nocache(void *dst, const void __user *src, unsigned int size, int zerorest)
{
	if (!lx_user_range_ok(src, size)) {
		if (zerorest)
			memset(dst, 0, size);
		return size;
	}
	memcpy(dst, (const void __force *)src, size);
	return 0;
}
#else
size_t copy_to_nontemporal(void *dst, const void *src, size_t size)
{
	if (!lx_user_range_ok((const void __user *)src, size))
		return size;
	memcpy(dst, src, size);
	return 0;
}
#endif

#if LX_WANT_USER_PTR_MAX
/* The highest user address access_ok() accepts.  Linux sets it at boot to
 * TASK_SIZE_MAX - 1 and checks only the START of a range up to a page long:
 * one that runs past the top faults in the guard page there, and the fault
 * is handled.  A daemon cannot handle that fault (the unpatched inline rep
 * of __clear_user() would crash it), so the bound is one page lower: every
 * range up to a page long that access_ok() accepts ends below
 * TASK_SIZE_MAX, which keeps the model's "a range past TASK_SIZE_MAX fails
 * without touching memory".  The highest user page is then refused, which
 * only a stack placed at the very top (no ASLR) would notice. */
unsigned long USER_PTR_MAX = TASK_SIZE_MAX - PAGE_SIZE - 1;
#endif

void copy_page(void *to, void *from)
{
	memcpy(to, from, PAGE_SIZE);
}

/* ---- mm/util.c's user-copy helpers --------------------------------------------------------------- */

void *memdup_user(const void __user *src, size_t len)
{
	void *p = kmalloc(len, GFP_USER | __GFP_NOWARN);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

void *vmemdup_user(const void __user *src, size_t len)
{
	void *p = kvmalloc(len, GFP_USER);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kvfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

void *memdup_user_nul(const void __user *src, size_t len)
{
	char *p = kmalloc(len + 1, GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	p[len] = '\0';
	return p;
}

char *strndup_user(const char __user *s, long n)
{
	long length = strnlen_user(s, n);
	char *p;
	if (!length)
		return ERR_PTR(-EFAULT);
	if (length > n)
		return ERR_PTR(-EINVAL);
	p = memdup_user(s, length);
	if (IS_ERR(p))
		return p;
	p[length - 1] = '\0';
	return p;
}

/* ---- vm_mmap: "user" memory for code that makes its own -------------------------------------- */

/* An anonymous private mapping (lib/test_user_copy.c maps its user buffer
 * so): page-aligned zeroed memory of the daemon, which is what user memory
 * is here.  Kept on a list so vm_munmap() frees exactly what was mapped;
 * file mappings and fixed addresses are refused (-EINVAL): nothing in a
 * daemon maps a file for a user process. */
struct lx_user_map {
	struct list_head node;
	unsigned long addr, len;
};
static LIST_HEAD(lx_user_maps);

unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flag, unsigned long offset)
{
	struct lx_user_map *m;
	void *p;
	(void)prot;
	if (file || addr || offset || !(flag & MAP_ANONYMOUS) || (flag & MAP_FIXED))
		return -EINVAL;
	if (!len || len > TASK_SIZE_MAX)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	p = kpi_host_malloc(len, PAGE_SIZE);
	if (!m || !p) {
		kfree(m);
		if (p)
			kpi_host_free(p);
		return -ENOMEM;
	}
	memset(p, 0, len);
	m->addr = (unsigned long)p;
	m->len = len;
	list_add(&m->node, &lx_user_maps);
	return m->addr;
}

/* Unmaps whole mappings only (what vm_mmap() gave, any length within it
 * naming it); a partial unmap of one is refused with -EINVAL. */
int vm_munmap(unsigned long start, size_t len)
{
	struct lx_user_map *m;
	list_for_each_entry(m, &lx_user_maps, node) {
		if (m->addr != start)
			continue;
		if (PAGE_ALIGN(len) != m->len)
			return -EINVAL;
		list_del(&m->node);
		kpi_host_free((void *)m->addr);
		kfree(m);
		return 0;
	}
	return 0; /* nothing mapped there: Linux's munmap of a hole succeeds */
}
