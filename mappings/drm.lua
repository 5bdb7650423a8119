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
-- framebuffer's driver (efifb, vesafb, a platform device) to the native one
-- (DRM and fbdev drivers call it before taking the device).  Compiled from
-- the tree: in a daemon no such driver shares the process (the host gives
-- the device to one daemon; Redox: pcid-spawner), so it finds nothing to
-- remove, and the VGA console it would also take off the device is the
-- host's (runtime/lx/lx_print.c: vga_remove_vgacon).
import "drivers/video/aperture.c: the hand-over of a device's apertures from firmware framebuffers" {
  aperture_remove_conflicting_pci_devices = "drivers/video/aperture.c",
  aperture_remove_conflicting_devices = "drivers/video/aperture.c",
  devm_aperture_acquire_for_platform_device = "drivers/video/aperture.c",
}
