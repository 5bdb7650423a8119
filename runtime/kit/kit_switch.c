/* kit_switch.c: the x86_64 context switch under kit's cooperative tasks.
 *
 * kit_ctx_switch(&save_sp, new_sp) pushes the SysV callee-saved registers
 * plus MXCSR and the x87 control word on the current stack, stores the stack
 * pointer in *save_sp, loads new_sp and pops the same frame from it.  A new
 * task's stack is prepared by kit_ctx_init so that the first switch "returns"
 * into kit_ctx_trampoline, which calls entry(arg) with r12/r13 as carriers.
 * Written as a file-scope asm block so the build needs no ASM language. */
#include "kit_internal.h"

#include <stdint.h>

#if !defined(__x86_64__)
#error "kit_switch.c: only x86_64 is implemented"
#endif

__asm__(
	".text\n"
	".globl kit_ctx_switch\n"
	".type kit_ctx_switch,@function\n"
	".p2align 4\n"
	"kit_ctx_switch:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	pushq %rbx\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	pushq %r12\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	pushq %r13\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	pushq %r14\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	pushq %r15\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	subq $8, %rsp\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size kit_ctx_switch, .-kit_ctx_switch\n"
	"\n"
	".globl kit_ctx_trampoline\n"
	".type kit_ctx_trampoline,@function\n"
	".p2align 4\n"
	"kit_ctx_trampoline:\n"
	"	.cfi_startproc\n"
	"	.cfi_undefined rip\n"
	"	movq %r13, %rdi\n"
	"	callq *%r12\n"
	"	ud2\n"
	"	.cfi_endproc\n"
	".size kit_ctx_trampoline, .-kit_ctx_trampoline\n");

void kit_ctx_trampoline(void);

/* Frame popped by kit_ctx_switch, lowest address first. */
struct kit_ctx_frame {
	uint32_t mxcsr;
	uint16_t fpucw;
	uint16_t pad;
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t ret;
};

void *kit_ctx_init(void *stack_lo, size_t stack_size, void (*entry)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack_lo + stack_size) & ~(uintptr_t)15;
	/* After `ret` pops the frame, rsp must be 16-aligned so the trampoline's
	 * call enters entry() with the ABI's rsp % 16 == 8.  16 zero bytes above
	 * end the frame chain for debuggers. */
	uintptr_t after_ret = top - 16;
	struct kit_ctx_frame *f = (struct kit_ctx_frame *)(after_ret - sizeof(*f));
	_Static_assert(sizeof(struct kit_ctx_frame) == 64, "frame layout");
	__builtin_memset((void *)f, 0, top - (uintptr_t)f);
	f->mxcsr = 0x1f80;  /* all exceptions masked, round to nearest */
	f->fpucw = 0x037f;  /* x87 default */
	f->r12 = (uint64_t)(uintptr_t)entry;
	f->r13 = (uint64_t)(uintptr_t)arg;
	f->ret = (uint64_t)(uintptr_t)kit_ctx_trampoline;
	return f;
}
