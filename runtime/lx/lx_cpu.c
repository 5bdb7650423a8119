/* lx_cpu.c: boot_cpu_data, the CPU description that boot_cpu_has(),
 * cpu_feature_enabled(), cpu_data() and family/model checks (k10temp,
 * fam15h_power, ...) read - filled from CPUID before main() runs.
 *
 * Why it matters beyond those drivers: the headers' alternatives are never
 * patched in a daemon (lx_uaccess.c), and static_cpu_has() then falls back
 * to testing boot_cpu_data's capability bits at run time.  The CPUID words
 * are the CPU's (CPUID is unprivileged); the words Linux computes itself
 * (synthetic and scattered features, bug bits) stay zero except
 * X86_FEATURE_ALWAYS, so every "patched-in" variant reads as absent - the
 * same baseline the unpatched text runs.  One CPU: cpu_index 0, one core. */
#include "lx_internal.h"
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <linux/cpumask.h>

struct cpuinfo_x86 boot_cpu_data;
#if LX_WANT_cpu_info /* a per-CPU copy even without SMP in newer trees (lx_compat.h) */
DEFINE_PER_CPU_READ_MOSTLY(struct cpuinfo_x86, cpu_info);
#endif

static void lx_cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a = leaf;
	*c = sub;
	native_cpuid(a, b, c, d);
}

static u8 lx_vendor(const char *id)
{
	if (!memcmp(id, "GenuineIntel", 12))
		return X86_VENDOR_INTEL;
	if (!memcmp(id, "AuthenticAMD", 12))
		return X86_VENDOR_AMD;
	if (!memcmp(id, "HygonGenuine", 12))
		return X86_VENDOR_HYGON;
	if (!memcmp(id, "CentaurHauls", 12))
		return X86_VENDOR_CENTAUR;
	if (!memcmp(id, "  Shanghai  ", 12))
		return X86_VENDOR_ZHAOXIN;
	return X86_VENDOR_UNKNOWN;
}

static void __attribute__((constructor)) lx_cpu_init(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 a, b, cx, d, max, ext, i;
	u32 *cap = c->x86_capability;
	lx_cpuid(0, 0, &max, &b, &cx, &d);
	c->cpuid_level = max;
	memcpy(c->x86_vendor_id, &b, 4);
	memcpy(c->x86_vendor_id + 4, &d, 4);
	memcpy(c->x86_vendor_id + 8, &cx, 4);
	c->x86_vendor = lx_vendor(c->x86_vendor_id);
	if (max >= 1) {
		lx_cpuid(1, 0, &a, &b, &cx, &d);
		c->x86 = (a >> 8) & 0xf;
		c->x86_model = (a >> 4) & 0xf;
		c->x86_stepping = a & 0xf;
		if (c->x86 == 0xf)
			c->x86 += (a >> 20) & 0xff;
		if (c->x86 >= 6)
			c->x86_model += ((a >> 16) & 0xf) << 4;
		cap[CPUID_1_EDX] = d;
		cap[CPUID_1_ECX] = cx;
		c->x86_clflush_size = ((b >> 8) & 0xff) * 8;
		LX_CPU_INITIAL_APICID(c) = LX_CPU_APICID(c) = b >> 24;
	}
	if (max >= 6) {
		lx_cpuid(6, 0, &a, &b, &cx, &d);
		cap[CPUID_6_EAX] = a;
	}
	if (max >= 7) {
		lx_cpuid(7, 0, &a, &b, &cx, &d);
		cap[CPUID_7_0_EBX] = b;
		cap[CPUID_7_ECX] = cx;
		cap[CPUID_7_EDX] = d;
		if (a >= 1) {
			lx_cpuid(7, 1, &a, &b, &cx, &d);
			cap[CPUID_7_1_EAX] = a;
		}
	}
	if (max >= 0xd) {
		lx_cpuid(0xd, 1, &a, &b, &cx, &d);
		cap[CPUID_D_1_EAX] = a;
	}
	lx_cpuid(0x80000000, 0, &ext, &b, &cx, &d);
	c->extended_cpuid_level = ext;
	if ((ext & 0xffff0000) == 0x80000000) {
		if (ext >= 0x80000001) {
			lx_cpuid(0x80000001, 0, &a, &b, &cx, &d);
			cap[CPUID_8000_0001_EDX] = d;
			cap[CPUID_8000_0001_ECX] = cx;
		}
		if (ext >= 0x80000004) {
			u32 *name = (u32 *)c->x86_model_id;
			for (i = 0; i < 3; i++)
				lx_cpuid(0x80000002 + i, 0, &name[4 * i], &name[4 * i + 1], &name[4 * i + 2],
					 &name[4 * i + 3]);
			c->x86_model_id[48] = '\0';
		}
		if (ext >= 0x80000007) {
			lx_cpuid(0x80000007, 0, &a, &b, &cx, &d);
			cap[CPUID_8000_0007_EBX] = b;
			c->x86_power = d;
		}
		if (ext >= 0x80000008) {
			lx_cpuid(0x80000008, 0, &a, &b, &cx, &d);
			cap[CPUID_8000_0008_EBX] = b;
			c->x86_phys_bits = a & 0xff;
			c->x86_virt_bits = (a >> 8) & 0xff;
		}
		if (ext >= 0x8000000a) {
			lx_cpuid(0x8000000a, 0, &a, &b, &cx, &d);
			cap[CPUID_8000_000A_EDX] = d;
		}
		if (ext >= 0x8000001f) {
			lx_cpuid(0x8000001f, 0, &a, &b, &cx, &d);
			cap[CPUID_8000_001F_EAX] = a;
		}
	}
	set_bit(X86_FEATURE_ALWAYS, (unsigned long *)cap);
	c->x86_cache_alignment = c->x86_clflush_size ? c->x86_clflush_size : 64;
#if LX_WANT_x86_max_cores
	c->x86_max_cores = 1;
#endif
	c->booted_cores = 1;
	c->cpu_index = 0;
	c->initialized = 1;
#if LX_WANT_cpu_info
	*per_cpu_ptr(&cpu_info, 0) = *c;
#endif
}

/* ---- CPU masks: the daemon runs on one CPU, CPU 0 (kernel/cpu.c keeps
 * these for the system): possible, present, online and active; none
 * dying. ------------------------------------------------------------------------------ */
struct cpumask __cpu_possible_mask __read_mostly = {.bits = {[0] = 1UL}};
struct cpumask __cpu_online_mask __read_mostly = {.bits = {[0] = 1UL}};
struct cpumask __cpu_present_mask __read_mostly = {.bits = {[0] = 1UL}};
struct cpumask __cpu_active_mask __read_mostly = {.bits = {[0] = 1UL}};

/* ---- model-specific registers: the host's kernel owns them; a daemon's
 * write faults as one the CPU refuses (Linux's *_safe accessors then fail
 * with -EIO), so the read-modify-write helpers fail so, naming the MSR. */
static int lx_msr_refused(u32 msr)
{
	lx_log(KPI_LOG_WARNING, "MSR %#x: a daemon cannot access model-specific registers", msr);
	return -EIO;
}

int msr_set_bit(u32 msr, u8 bit)
{
	(void)bit;
	return lx_msr_refused(msr);
}

int msr_clear_bit(u32 msr, u8 bit)
{
	(void)bit;
	return lx_msr_refused(msr);
}
