-- print.lua: kernel log output.
--
-- The runtime's printk writes to the daemon's log (stderr / Redox log
-- scheme) and understands the kernel's %p extensions (%pM, %pI4, ...),
-- which is why it must never be confused with libc printf (see libc.lua).

runtime {
  "_printk",
  "vprintk",
  "vprintk_emit",
  "__printk_ratelimit",
  "printk_timed_ratelimit",
  "__warn_printk",         -- WARN() and friends
  "dump_stack",
  "panic",
  -- device-prefixed messages: "<driver> <pci name>: ..."
  "_dev_printk",
  "_dev_emerg",
  "_dev_alert",
  "_dev_crit",
  "_dev_err",
  "_dev_warn",
  "_dev_notice",
  "_dev_info",
  "dev_printk_emit",
  "dev_vprintk_emit",
  "dev_err_probe",
  -- netdev-prefixed messages: "<ifname>: ..."
  "netdev_printk",
  "netdev_emerg",
  "netdev_alert",
  "netdev_crit",
  "netdev_err",
  "netdev_warn",
  "netdev_notice",
  "netdev_info",
  "net_ratelimit",
  -- lib/vsprintf.c's boot switch: true, plain %p is not hashed (lx_format.c)
  "no_hash_pointers",
}

-- With CONFIG_DYNAMIC_DEBUG off (our generated config), pr_debug/dev_dbg
-- compile to nothing unless the driver defines DEBUG.
header "macro in linux/printk.h / linux/dev_printk.h" {
  "printk", "pr_err", "pr_warn", "pr_info", "pr_debug", "pr_cont", "pr_notice",
  "dev_err", "dev_warn", "dev_info", "dev_dbg", "dev_notice",
}
