-- fbdev.lua: the framebuffer subsystem (drivers/video/fbdev).  A PCI
-- framebuffer driver is a client of the fbdev core (fb.ko: framebuffer
-- registration, colour maps, the video mode database, the cfb/sys drawing
-- helpers, the VGA/SVGA helpers): they come from the tree, not rewritten,
-- like the DRM core (drm.lua); what they need from the rest of the kernel
-- goes through the other tables like a driver's.
import_tree {
  ["drivers/video/fbdev/core/"] = "the fbdev core, its mode database and drawing helpers, imported from the tree",
}
