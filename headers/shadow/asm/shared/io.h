/* headers/shadow/asm/shared/io.h: inb()/outb() & co. through the host.
 *
 * Why: the kernel's inb/outb are in/out instructions.  A userspace daemon
 * may not execute them unless the OS granted I/O privilege, and the Linux
 * host backend has none (it reaches ports by pread/pwrite on sysfs
 * resourceN); the sim backend routes ports to device models.  So every port
 * access goes through kpi_host_pio_in/out (headers/kpi/kpi_host.h), which
 * each backend implements the right way (Redox: real in/out after iopl).
 *
 * How: the real header defines __inb ... as asm and `#define inb __inb`;
 * those names are redefined after it.  asm/io.h builds inb_p & co. on
 * these names, and its string variants are redirected in the shadow
 * asm/io.h.  The declarations repeat kpi_host.h's with plain C types. */
#ifndef KPI_SHADOW_ASM_SHARED_IO_H
#define KPI_SHADOW_ASM_SHARED_IO_H

#include_next <asm/shared/io.h>

unsigned int kpi_host_pio_in(unsigned int port, unsigned int width);
void kpi_host_pio_out(unsigned int port, unsigned int width, unsigned int value);

#undef inb
#undef inw
#undef inl
#undef outb
#undef outw
#undef outl
static inline u8 __kpi_inb(u16 port) { return (u8)kpi_host_pio_in(port, 1); }
static inline u16 __kpi_inw(u16 port) { return (u16)kpi_host_pio_in(port, 2); }
static inline u32 __kpi_inl(u16 port) { return kpi_host_pio_in(port, 4); }
static inline void __kpi_outb(u8 v, u16 port) { kpi_host_pio_out(port, 1, v); }
static inline void __kpi_outw(u16 v, u16 port) { kpi_host_pio_out(port, 2, v); }
static inline void __kpi_outl(u32 v, u16 port) { kpi_host_pio_out(port, 4, v); }
#define inb __kpi_inb
#define inw __kpi_inw
#define inl __kpi_inl
#define outb __kpi_outb
#define outw __kpi_outw
#define outl __kpi_outl

#endif
