-- irqdomain.lua: interrupt domains of imported subsystems (the I2C core's
-- Host Notify domain).  runtime/lx/lx_irqdomain.c creates and removes them
-- but maps no virtual interrupts into them: the runtime's interrupt numbers
-- are host vectors, with no descriptors or flow handlers for software-
-- demultiplexed ones.  Clients get no such IRQ (the core then says -ENXIO
-- and they poll), notifications find no mapping and are dropped.

runtime "runtime/lx/lx_irqdomain.c: domains without mappings" {
  -- how a domain is made: 6.11 brought irq_domain_instantiate(), 6.12 removed
  -- __irq_domain_add() (runtime/lx/lx_compat.h)
  __irq_domain_add = { before = "6.12" },
  irq_domain_instantiate = { since = "6.11" },
  "irq_domain_remove",
  "irq_create_mapping_affinity",
  "__irq_resolve_mapping",
  "irq_dispose_mapping",
}
