/* headers/shadow/asm/io.h: string port I/O (insb/outsl ...) through the host.
 *
 * Why: the kernel's insX/outsX are `rep ins`/`rep outs` instructions, which
 * fault without I/O privilege (see asm/shared/io.h here for the single
 * accesses).  After the real header, they become loops over the host's
 * kpi_host_pio_in/out (lx_iomap.c).  inb_p & co. need nothing: asm/io.h
 * builds them on inb/outb, which the shadow asm/shared/io.h redirected, and
 * their slow_down_io() calls native_io_delay(), which runtime/lx defines. */
#ifndef KPI_SHADOW_ASM_IO_H
#define KPI_SHADOW_ASM_IO_H

#include_next <asm/io.h>

#ifndef __ASSEMBLY__
void lx_pio_ins(u16 port, void *addr, unsigned long count, unsigned int width);
void lx_pio_outs(u16 port, const void *addr, unsigned long count, unsigned int width);
#undef insb
#undef insw
#undef insl
#undef outsb
#undef outsw
#undef outsl
#define insb(port, addr, count) lx_pio_ins(port, addr, count, 1)
#define insw(port, addr, count) lx_pio_ins(port, addr, count, 2)
#define insl(port, addr, count) lx_pio_ins(port, addr, count, 4)
#define outsb(port, addr, count) lx_pio_outs(port, addr, count, 1)
#define outsw(port, addr, count) lx_pio_outs(port, addr, count, 2)
#define outsl(port, addr, count) lx_pio_outs(port, addr, count, 4)
#endif

#endif
