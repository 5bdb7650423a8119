-- atm.lua: the ATM core (net/atm/).  An ATM adapter's driver (nicstar, he, ...)
-- registers its device with the core's registry (runtime/lx/lx_atm.c: no ATM
-- sockets in a daemon, so no VCC can open) and uses its accounting helpers,
-- compiled from the tree.  Not in net.lua: the registry is no netdev code
-- (runtime/lx/lx_atm.c, checked with the lx libraries, not lx_net*).
runtime "runtime/lx/lx_atm.c: the device registry, without sockets, sysfs or /proc" {
  "atm_dev_register", "atm_dev_deregister", "atm_dev_lookup", "atm_dev_signal_change",
}
import "the ATM core's accounting helpers, compiled from the tree" {
  atm_charge = "net/atm/atm_misc.c", atm_alloc_charge = "net/atm/atm_misc.c",
  atm_pcr_goal = "net/atm/atm_misc.c", sonet_copy_stats = "net/atm/atm_misc.c",
  sonet_subtract_stats = "net/atm/atm_misc.c",
}
