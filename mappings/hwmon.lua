-- hwmon.lua: the hardware-monitoring core (runtime/lx/lx_hwmon.c).  A chip
-- registers as in Linux and gets a class device with the driver's drvdata;
-- there is no sysfs in a daemon, so the core reads each visible input
-- channel once at registration and logs it by its sysfs name.
runtime "runtime/lx/lx_hwmon.c: registration, input channels read once and logged" {
  "hwmon_device_register", "hwmon_device_register_with_groups", "devm_hwmon_device_register_with_groups",
  "hwmon_device_register_with_info", "devm_hwmon_device_register_with_info",
  "hwmon_device_register_for_thermal", "hwmon_device_unregister", "hwmon_notify_event",
  "hwmon_sanitize_name", "devm_hwmon_sanitize_name",
}
