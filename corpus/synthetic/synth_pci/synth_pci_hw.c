// SPDX-License-Identifier: MIT
/* synth_pci_hw.c: the hardware half of the synth_pci test driver. */
#include <linux/delay.h>
#include "synth_pci.h"

void synth_hw_reset(struct synth_pci *sp)
{
	SP_W32(sp, SP_REG_CTRL, SP_CTRL_RESET);
	msleep(10);
	SP_W32(sp, SP_REG_CTRL, SP_CTRL_ENABLE);
}

u32 synth_hw_status(struct synth_pci *sp)
{
	return SP_R32(sp, SP_REG_STATUS);
}
