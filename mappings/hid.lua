-- hid.lua: the HID core and the input core it reports through, imported from
-- the tree (amd_sfh and other HID transport drivers hand reports to it; its
-- own needs are the runtime's: the driver model, ktime_mono_to_any,
-- add_input_randomness).
import_tree {
  ["drivers/hid/"] = "the HID core (report parsing, hid-input, quirks), imported from the tree",
  ["drivers/input/"] = "the input core (devices, handlers, multitouch, force feedback), imported from the tree",
}
