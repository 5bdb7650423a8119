-- comedi.lua: the Comedi subsystem (drivers/comedi).  A Comedi PCI driver
-- is a client of the Comedi core (comedi.ko: device and subdevice
-- allocation, the async buffer, command checks, ranges; comedi_pci.ko: the
-- PCI glue) and of the helper modules under drivers/comedi/drivers/ (8254
-- and 8255 chips, PLX and AMCC bridges, ...): they come from the tree, not
-- rewritten, like the DRM core (drm.lua); what they need from the rest of
-- the kernel goes through the other tables like a driver's.
import_tree {
  ["drivers/comedi/"] = "the Comedi core, its PCI glue and chip helpers, imported from the tree",
}
