/* synth_pci.h: registers and helpers shared by the synth_pci sources.
 * Written from scratch for kpiport's analyzer tests; not a real device. */
#ifndef SYNTH_PCI_H
#define SYNTH_PCI_H

#include <linux/bits.h>
#include <linux/io.h>
#include <linux/types.h>

#define SP_REG_CTRL	0x00
#define SP_REG_STATUS	0x04
#define SP_CTRL_RESET	BIT(0)
#define SP_CTRL_ENABLE	BIT(3)

/* driver-local macros wrapping kernel accessors */
#define SP_R32(sp, reg)		ioread32((sp)->regs + (reg))
#define SP_W32(sp, reg, val)	iowrite32((val), (sp)->regs + (reg))

enum sp_board { SP_BOARD_A = 1, SP_BOARD_B = 2 };

struct synth_pci {
	void __iomem *regs;
	u32 irq_count;
};

void synth_hw_reset(struct synth_pci *sp);
u32 synth_hw_status(struct synth_pci *sp);

#endif
