-- fbdev.lua: the framebuffer subsystem (drivers/video/fbdev).  A PCI
-- framebuffer driver is a client of the fbdev core (fb.ko: framebuffer
-- registration, colour maps, the video mode database, the cfb/sys drawing
-- helpers, the VGA/SVGA helpers): they come from the tree, not rewritten,
-- like the DRM core (drm.lua); what they need from the rest of the kernel
-- goes through the other tables like a driver's.
import_tree {
  ["drivers/video/fbdev/core/"] = "the fbdev core, its mode database and drawing helpers, imported from the tree",
}

-- modedb.c exports fb_find_mode_cvt, but fbcvt.c defines it (the symbol
-- index finds the file with the EXPORT_SYMBOL line): name the definer.
import { fb_find_mode_cvt = { file = "drivers/video/fbdev/core/fbcvt.c", note = "exported from modedb.c, defined in fbcvt.c" } }

-- The VGA register state helpers of VGA-compatible framebuffer drivers
-- (drivers/video/vgastate.c: port I/O and memory, nothing else).
import "drivers/video/vgastate.c: VGA register state save and restore, compiled from the tree" {
  save_vga = "drivers/video/vgastate.c",
  restore_vga = "drivers/video/vgastate.c",
}
