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
