-- fixture: area defaults to the file stem "b_net"
local bus = "the runtime's net core"

runtime (bus) {
  "alloc_etherdev_mqs",
  "register_netdev",
}

import { mii_link_ok = "drivers/net/mii.c", "crc32_le" }
