/* sim_mmio.c: MMIO trapping for register-callback BARs, the way a
 * hypervisor does it.  The driver's view of such a BAR is a range of
 * inaccessible pages (sim_mmio_view); a load or store there faults, and the
 * SIGSEGV handler decodes the x86-64 instruction (the mov forms compilers
 * and the kernel's readb/w/l/q and writeb/w/l/q inlines emit, movzx/movsx,
 * mov of an immediate), runs the BAR's callback through sim_mmio_access and
 * resumes after the instruction.  Why: drivers whose register accessors are
 * header inlines (e1000's er32/ew32 are readl/writel) never call the host -
 * on the sim, and on the emulated Redox backed by it - so only the page
 * fault sees every access.  Faults anywhere else go to the handler
 * installed before (the fatal-signal handler).  Other architectures: views
 * are the scratch memory as before and only kpi_host_mmio_read/write reach
 * the callbacks. */
#define _GNU_SOURCE
#include "sim_internal.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__x86_64__) && defined(__linux__)

void *sim_mmio_view(kpi_u64 size)
{
	void *p = mmap(0, (size_t)size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? 0 : p;
}

void sim_mmio_view_free(void *view, kpi_u64 size)
{
	if (view)
		munmap(view, (size_t)size);
}

enum { I_LOAD, I_ZX, I_SX, I_STORE, I_STORE_IMM };

struct insn {
	int len, kind;
	unsigned width;	    /* memory operand bytes */
	unsigned reg_width; /* register operand bytes */
	int reg;	    /* 0-15, or 16-19 for AH, CH, DH, BH */
	kpi_u64 imm;
};

/* The mov-like instructions a memory-mapped register is reached with;
 * -1 for anything else (the fault is then not ours). */
static int decode(const kpi_u8 *p, struct insn *in)
{
	int i = 0, osize16 = 0, rex = 0, two = 0;
	for (;; i++) {
		kpi_u8 b = p[i];
		if (i > 4)
			return -1;
		if (b == 0x66)
			osize16 = 1;
		else if (b == 0x2e || b == 0x3e || b == 0x26 || b == 0x36)
			continue; /* segment overrides without effect in 64-bit mode */
		else
			break;
	}
	if ((p[i] & 0xf0) == 0x40)
		rex = p[i++];
	kpi_u8 op = p[i++];
	if (op == 0x0f) {
		two = 1;
		op = p[i++];
	}
	kpi_u8 modrm = p[i++];
	int mod = modrm >> 6, reg = (modrm >> 3 & 7) | (rex & 4 ? 8 : 0), rm = modrm & 7;
	if (mod == 3)
		return -1; /* a register operand: this instruction does not touch memory there */
	if (rm == 4) {
		kpi_u8 sib = p[i++];
		if ((sib & 7) == 5 && mod == 0)
			i += 4; /* no base, disp32 */
	}
	if (mod == 0 && rm == 5)
		i += 4; /* RIP-relative disp32 */
	else if (mod == 1)
		i += 1;
	else if (mod == 2)
		i += 4;
	unsigned osz = rex & 8 ? 8 : osize16 ? 2 : 4;
	int byte_reg = !rex && reg >= 4 && reg < 8 ? 16 + reg - 4 : reg; /* AH..BH without REX */
	memset(in, 0, sizeof(*in));
	if (!two) {
		switch (op) {
		case 0x88:
		case 0x8a:
			in->kind = op == 0x88 ? I_STORE : I_LOAD;
			in->width = in->reg_width = 1;
			in->reg = byte_reg;
			break;
		case 0x89:
		case 0x8b:
			in->kind = op == 0x89 ? I_STORE : I_LOAD;
			in->width = in->reg_width = osz;
			in->reg = reg;
			break;
		case 0xc6:
			if ((modrm >> 3 & 7) != 0)
				return -1;
			in->kind = I_STORE_IMM;
			in->width = 1;
			in->imm = p[i];
			i += 1;
			break;
		case 0xc7:
			if ((modrm >> 3 & 7) != 0)
				return -1;
			in->kind = I_STORE_IMM;
			in->width = osz;
			if (osz == 2) {
				in->imm = (kpi_u64)(p[i] | p[i + 1] << 8);
				i += 2;
			} else {
				kpi_u32 v = (kpi_u32)p[i] | (kpi_u32)p[i + 1] << 8 | (kpi_u32)p[i + 2] << 16 |
					    (kpi_u32)p[i + 3] << 24;
				in->imm = osz == 8 ? (kpi_u64)(int64_t)(int32_t)v : v;
				i += 4;
			}
			break;
		default:
			return -1;
		}
	} else {
		switch (op) {
		case 0xb6:
		case 0xb7:
			in->kind = I_ZX;
			break;
		case 0xbe:
		case 0xbf:
			in->kind = I_SX;
			break;
		default:
			return -1;
		}
		in->width = op & 1 ? 2 : 1;
		in->reg_width = osz;
		in->reg = reg;
	}
	in->len = i;
	return 0;
}

static const int gregs_of[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
				 REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static kpi_u64 reg_get(const ucontext_t *uc, int reg)
{
	if (reg >= 16) /* AH, CH, DH, BH */
		return (kpi_u64)uc->uc_mcontext.gregs[gregs_of[reg - 16]] >> 8 & 0xff;
	return (kpi_u64)uc->uc_mcontext.gregs[gregs_of[reg]];
}

/* Write a result of width bytes as the CPU would: 32-bit results clear the
 * upper half, 8- and 16-bit ones keep the rest of the register. */
static void reg_set(ucontext_t *uc, int reg, unsigned width, kpi_u64 v)
{
	greg_t *g;
	if (reg >= 16) {
		g = &uc->uc_mcontext.gregs[gregs_of[reg - 16]];
		*g = (greg_t)(((kpi_u64)*g & ~0xff00ull) | (v & 0xff) << 8);
		return;
	}
	g = &uc->uc_mcontext.gregs[gregs_of[reg]];
	switch (width) {
	case 1:
		*g = (greg_t)(((kpi_u64)*g & ~0xffull) | (v & 0xff));
		break;
	case 2:
		*g = (greg_t)(((kpi_u64)*g & ~0xffffull) | (v & 0xffff));
		break;
	case 4:
		*g = (greg_t)(v & 0xffffffffull);
		break;
	default:
		*g = (greg_t)v;
	}
}

static struct sigaction sim_mmio_prev;

static void sim_mmio_chain(int sig, siginfo_t *si, void *ctx)
{
	if (sim_mmio_prev.sa_flags & SA_SIGINFO) {
		sim_mmio_prev.sa_sigaction(sig, si, ctx);
	} else if (sim_mmio_prev.sa_handler == SIG_DFL || sim_mmio_prev.sa_handler == SIG_IGN) {
		signal(sig, SIG_DFL); /* the instruction faults again: the default action */
	} else {
		sim_mmio_prev.sa_handler(sig);
	}
}

static void sim_mmio_fault(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	const kpi_u8 *ip = (const kpi_u8 *)(uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	struct insn in;
	kpi_u64 v;
	if (!sim_mmio_is_view(si->si_addr) || decode(ip, &in) < 0) {
		if (sim_mmio_is_view(si->si_addr)) {
			char msg[160];
			int n = snprintf(msg, sizeof(msg),
					 "kpi sim: MMIO access at %p by an instruction the trap cannot emulate "
					 "(%02x %02x %02x %02x %02x %02x)\n",
					 si->si_addr, ip[0], ip[1], ip[2], ip[3], ip[4], ip[5]);
			if (write(STDERR_FILENO, msg, (size_t)n) < 0) {
			}
		}
		sim_mmio_chain(sig, si, ctx);
		return;
	}
	switch (in.kind) {
	case I_STORE:
		v = reg_get(uc, in.reg);
		break;
	case I_STORE_IMM:
		v = in.imm;
		break;
	default:
		v = 0;
	}
	int write = in.kind == I_STORE || in.kind == I_STORE_IMM;
	if (sim_mmio_access(si->si_addr, write, in.width, &v) < 0) {
		sim_mmio_chain(sig, si, ctx); /* a view of a BAR that is not mapped now */
		return;
	}
	if (in.kind == I_LOAD || in.kind == I_ZX) {
		reg_set(uc, in.reg, in.reg_width, v);
	} else if (in.kind == I_SX) {
		kpi_u64 s = in.width == 1 ? (kpi_u64)(int64_t)(int8_t)v : (kpi_u64)(int64_t)(int16_t)v;
		reg_set(uc, in.reg, in.reg_width, s);
	}
	uc->uc_mcontext.gregs[REG_RIP] += in.len;
}

void sim_mmio_trap_install(void)
{
	struct sigaction cur, sa;
	if (sigaction(SIGSEGV, 0, &cur) < 0)
		return;
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == sim_mmio_fault)
		return; /* already first in line */
	sim_mmio_prev = cur;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sim_mmio_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK; /* a task stack overflow still reaches the fatal handler */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, 0);
}

#else /* no decoder: the scratch memory is the driver's view, as before */

void *sim_mmio_view(kpi_u64 size)
{
	(void)size;
	return 0;
}

void sim_mmio_view_free(void *view, kpi_u64 size)
{
	(void)view, (void)size;
}

void sim_mmio_trap_install(void)
{
}

#endif
