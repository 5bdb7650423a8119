-- irq.lua: interrupt lines.
--
-- Interrupts arrive as events in the runtime's main loop (/scheme/irq on
-- Redox, UIO on Linux); the runtime runs the handler, and a threaded handler,
-- as cooperative tasks on the one thread.

runtime {
  "request_threaded_irq",
  "free_irq",
  "synchronize_irq",
  "enable_irq",
  "disable_irq",
  "disable_irq_nosync",
  "devm_request_threaded_irq",
  "devm_free_irq",
  "pci_request_irq",
  "pci_free_irq",
  -- bottom halves and tasklets run as tasks too
  "__local_bh_enable_ip",
  "__tasklet_schedule",
  "__tasklet_hi_schedule",
  "tasklet_setup",
  "tasklet_init",
  "tasklet_kill",
}

-- local_irq_*() would execute cli/sti, which fault in userspace; the shadow
-- asm/irqflags.h (headers/shadow/) turns them into runtime calls.
header "inline; the shadow asm/irqflags.h makes these runtime calls, not cli/sti" {
  "local_irq_save", "local_irq_restore", "local_irq_disable", "local_irq_enable",
}

header "inline wrapper in linux/interrupt.h or linux/bottom_half.h" {
  "request_irq", "devm_request_irq", "local_bh_disable", "local_bh_enable",
  "tasklet_schedule", "tasklet_hi_schedule",
}
