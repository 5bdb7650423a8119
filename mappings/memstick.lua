-- memstick.lua: the Memory Stick subsystem (drivers/memstick): a PCI card
-- reader's host driver registers its host with the memstick core
-- (memstick.ko: host allocation, card detection, request queue), compiled
-- from the tree like the other subsystem cores (drm.lua).
import_tree {
  ["drivers/memstick/core/"] = "the Memory Stick core, imported from the tree",
}
