-- edac.lua: the EDAC subsystem (drivers/edac).  A memory-controller or PCI
-- error-detection driver is a client of the EDAC core (edac_core.ko:
-- memory controllers, devices, PCI error counting, their polling work):
-- it comes from the tree, not rewritten, like the DRM core (drm.lua).
import_tree {
  ["drivers/edac/"] = "the EDAC core (memory controllers, devices, PCI checks), imported from the tree",
}
