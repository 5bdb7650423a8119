-- can.lua: the CAN subsystem (drivers/net/can): a PCI CAN controller driver is a
-- client of the CAN device library (can-dev: bit timing, echo skbs, rx offload,
-- the can netlink link type) and of its controller family core (m_can, sja1000,
-- c_can, ...): compiled from the tree, like the DRM core (drm.lua).
import_tree {
  ["drivers/net/can/"] = "the CAN device library and controller cores (m_can, sja1000, ...), imported from the tree",
}
