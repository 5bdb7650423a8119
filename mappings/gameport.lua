-- gameport.lua: the gameport subsystem (drivers/input/gameport): a PCI sound
-- or joystick card's driver registers its gameport with the gameport core
-- (gameport.ko: the bus, port registration, the joystick drivers' side),
-- compiled from the tree like the other subsystem cores (drm.lua).
import_tree {
  ["drivers/input/gameport/"] = "the gameport core, imported from the tree",
}
