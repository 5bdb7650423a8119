-- drm.lua: the DRM subsystem (drivers/gpu/drm).  A DRM driver is a client of
-- the DRM core (drm.ko: device, file, ioctl, mode objects, atomic, GEM),
-- the KMS helpers, the GEM VRAM/SHMEM helpers and TTM; issue 15 says they
-- come from the tree, not rewritten: every name they export is imported by
-- default (kp_resolve.c), with its own closure, and what those files need
-- from the rest of the kernel goes through the other tables like a driver's.

import_tree {
  ["drivers/gpu/drm/"] = "the DRM core, its KMS/GEM helpers and TTM, imported from the tree",
  ["drivers/dma-buf/"] = "dma-buf, fences and reservation objects the DRM core is built on",
}

-- drivers/video/aperture.c hands a PCI device over from the firmware
-- framebuffer's driver (efifb, vesafb) to the native one.  In a daemon no
-- such driver shares the process, and the host gives the device to one
-- daemon (Redox: pcid-spawner): nothing to remove.
stub "no firmware framebuffer driver in the daemon's process: nothing to remove" {
  aperture_remove_conflicting_pci_devices = { ret = 0 },
  aperture_remove_conflicting_devices = { ret = 0 },
}
