-- watchdog.lua: the watchdog core (drivers/watchdog/watchdog_core.c and
-- watchdog_dev.c in Linux).
--
-- The runtime's watchdog core keeps the driver's struct watchdog_device and
-- exports it to userspace (a scheme on Redox, a control socket on Linux)
-- instead of /dev/watchdogN.  It also does what the Linux core's worker
-- does: ping hardware whose max_hw_heartbeat_ms is shorter than the timeout.

-- Not written yet: until runtime/lx has a watchdog core these fail loudly
-- when reached (a watchdog driver's probe registers its device).
stub "runtime/lx has no watchdog core yet: fails loudly when reached" {
  "watchdog_init_timeout",
  "watchdog_register_device",
  "watchdog_unregister_device",
  "devm_watchdog_register_device",
  "watchdog_set_restart_priority",
  "watchdog_notify_pretimeout",
}

header "inline in linux/watchdog.h" {
  "watchdog_set_drvdata", "watchdog_get_drvdata", "watchdog_set_nowayout",
  "watchdog_active", "watchdog_stop_on_reboot", "watchdog_stop_on_unregister",
}
