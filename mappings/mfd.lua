-- mfd.lua: the multi-function device core (drivers/mfd/mfd-core.c).  A PCI
-- driver of a chip with several functions (a south bridge, a companion
-- chip) describes each function as an mfd_cell and the MFD core registers
-- a platform device per cell (runtime/lx/lx_platform.c), probed by the
-- cells' platform drivers that live in the same daemon.  The core is
-- compiled from the tree; all its exports come from that one file.
import "the MFD core: one platform device per cell, compiled from the tree" {
  mfd_add_devices = "drivers/mfd/mfd-core.c",
  devm_mfd_add_devices = "drivers/mfd/mfd-core.c",
  mfd_remove_devices = "drivers/mfd/mfd-core.c",
  mfd_remove_devices_late = "drivers/mfd/mfd-core.c",
}
