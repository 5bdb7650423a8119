-- watchdog.lua: the watchdog core (drivers/watchdog/watchdog_core.c and
-- watchdog_dev.c in Linux).
--
-- runtime/lx/lx_watchdog.c is a minimal watchdog core: the daemon is the
-- watchdog's only client, so registering starts the watchdog and the
-- runtime pings it every timeout/2 while the daemon runs (options
-- --wdt-stop-after=SECONDS and --wdt-no-start; unregistering stops it when
-- the driver asked for that and nowayout is off).  No /dev/watchdogN, no
-- ioctls, no pretimeout governors.
runtime "runtime/lx/lx_watchdog.c: register, start, keep-alive pings, stop" {
  "watchdog_init_timeout",
  "watchdog_register_device",
  "watchdog_unregister_device",
  "devm_watchdog_register_device",
  "watchdog_set_restart_priority",
}

-- watchdog_notify_pretimeout is inline (a no-op) without CONFIG_WATCHDOG_PRETIMEOUT_GOV.
header "inline in linux/watchdog.h" {
  "watchdog_set_drvdata", "watchdog_get_drvdata", "watchdog_set_nowayout",
  "watchdog_active", "watchdog_stop_on_reboot", "watchdog_stop_on_unregister",
  "watchdog_notify_pretimeout",
}
