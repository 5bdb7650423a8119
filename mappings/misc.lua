-- misc.lua: module glue, notifiers, devres, sysfs and string helpers that
-- fit no other area.

runtime {
  -- module glue: normally emitted by modpost into <module>.mod.c; the
  -- runtime provides one module object for the daemon
  "__this_module",
  -- module parameters: the runtime parses them from the command line
  "param_ops_bool",
  "param_ops_int",
  "param_ops_uint",
  "param_ops_long",
  "param_ops_ulong",
  "param_ops_ushort",
  "param_ops_byte",
  "param_ops_charp",
  "param_ops_string",
  "param_array_ops",
  -- notifier chains
  "atomic_notifier_chain_register",
  "atomic_notifier_chain_unregister",
  "atomic_notifier_call_chain",
  "blocking_notifier_chain_register",
  "blocking_notifier_chain_unregister",
  "register_reboot_notifier",
  "unregister_reboot_notifier",
  -- The runtime's panic() calls this chain.  pvpanic registers on it, so
  -- it reports a crash of the daemon itself, not of the host kernel.
  "panic_notifier_list",
  -- device model bits a driver touches directly
  "dev_set_name",
  "get_device",
  "put_device",
  "device_property_read_u32_array",
  -- sysfs: attribute groups are accepted; show() output goes to a buffer
  "sysfs_emit",
  "sysfs_emit_at",
  "sysfs_create_group",
  "sysfs_remove_group",
  "sysfs_create_link",
  "sysfs_remove_link",
  "device_create_file",
  "device_remove_file",
  -- integer parsing: lib/kstrtox.c also defines *_from_user variants that
  -- need copy_from_user, so the runtime carries its own
  "kstrtoull",
  "kstrtoll",
  "_kstrtoul",
  "_kstrtol",
  "kstrtouint",
  "kstrtoint",
  "kstrtou16",
  "kstrtou8",
  "kstrtobool",
  "simple_strtoul",
  "simple_strtol",
  -- kernel-only string helpers (no libc namesake)
  -- 6.8: strscpy() and strscpy_pad() are macros over sized_strscpy() (runtime/lx/lx_compat.h)
  strscpy = { before = "6.8" },
  strscpy_pad = { before = "6.8" },
  sized_strscpy = { since = "6.8" },
  "kasprintf",
  "kvasprintf",
  "kvasprintf_const",
  -- 6.8: strlcpy() is gone (runtime/lx/lx_compat.h)
  strlcpy = { before = "6.8" },
  "scnprintf",
  "vscnprintf",
  "memchr_inv",
  "skip_spaces",
  "strlcat",
  "strim",
  "sysfs_streq",
  "match_string",
  "__sw_hweight32",
  "__sw_hweight64",
  -- firmware files: looked up in the port's firmware directory
  "request_firmware",
  "request_firmware_nowait",
  "release_firmware",
  -- randomness: runtime/lx/lx_core.c, xorshift seeded from the clock (MAC addresses, jitter;
  -- not cryptographic: the host interface has no entropy source yet)
  "get_random_bytes",
  "get_random_u32",
  "get_random_u8",
  "get_random_u16",
  "get_random_u64",
  "__get_random_u32_below",
  "rng_is_initialized",
  -- an input event's values and time perturb the runtime's generator (no entropy credited)
  "add_input_randomness",
  -- taint flags: recorded (self-test modules and KUnit set TAINT_TEST)
  "add_taint",
  "test_taint",
  "get_taint",
}

-- Reboot and power-off are the system's business, not a driver daemon's.
unsupported {
  kernel_restart   = "a driver daemon cannot reboot the system",
  kernel_power_off = "a driver daemon cannot power the system off",
  emergency_restart = "a driver daemon cannot reboot the system",
}

header "inline/macro in linux/module.h, linux/moduleparam.h, linux/device.h" {
  "module_param", "module_param_array", "MODULE_DEVICE_TABLE", "MODULE_LICENSE",
  "dev_get_drvdata", "dev_set_drvdata", "dev_name",
}

runtime "runtime/lx: module parameter ops, string helpers, firmware, PCI bus (found by the reverse check)" {
  "_ctype", "kstrtos16", "kstrtos8", "simple_strtoll", "simple_strtoull",
  "param_get_bool", "param_get_byte", "param_get_charp", "param_get_int", "param_get_long",
  "param_get_short", "param_get_string", "param_get_uint", "param_get_ullong", "param_get_ulong",
  "param_get_ushort", "param_ops_short", "param_ops_ullong", "param_set_bool", "param_set_byte",
  "param_set_charp", "param_set_copystring", "param_set_int", "param_set_long", "param_set_short",
  "param_set_uint", "param_set_ullong", "param_set_ulong", "param_set_ushort",
  "firmware_request_nowarn", "request_firmware_direct", "pci_bus_type", "native_io_delay",
  "disable_hardirq",
}

-- The CPU as CPUID describes it (runtime/lx/lx_cpu.c): boot_cpu_has(),
-- cpu_data() and family/model checks read it, and so does static_cpu_has()
-- when its alternative is not patched (never, in a daemon).  Linux-computed
-- feature words stay empty: the baseline the unpatched text runs.
runtime { boot_cpu_data = { note = "filled from CPUID before main(); synthetic feature bits empty except X86_FEATURE_ALWAYS" } }
-- 6.7: cpu_info is a per-CPU variable on uniprocessor kernels too (runtime/lx/lx_compat.h)
runtime { cpu_info = { since = "6.7", note = "data: a copy of boot_cpu_data (one CPU)" } }

-- Power-off handlers (6.12's pvpanic registers one when the device can
-- report a shutdown): a daemon never powers the machine off, so handlers
-- are kept and never called (runtime/lx/lx_power.c).
runtime "runtime/lx/lx_power.c: kept, never called: a daemon does not power the machine off" {
  "register_sys_off_handler", "unregister_sys_off_handler", "devm_register_sys_off_handler",
}

-- What imported lib/ code (lib/bitmap.c, lib/radix-tree.c, ...) needs from
-- files lx does not import: lib/kstrtox.c's parser (lx has the kstrto*
-- family, so the file is not imported: runtime/lx/lx_string.c), lib/string.c's
-- strnchrnul, fs/libfs.c's memory_read_from_buffer; and lockdep_is_held,
-- which the kernel declares without lockdep for the assertions that expand
-- to it (runtime/lx/lx_sync.c: every lock counts as held).
runtime "runtime/lx: what imported lib/ code needs of files the port does not import" {
  "_parse_integer", "_parse_integer_limit", "_parse_integer_fixup_radix", "strnchrnul",
  "memory_read_from_buffer", "lockdep_is_held",
}

-- Capabilities (runtime/lx/lx_core.c): the daemon answers to the host's
-- privileged clients only, so every capability holds - Linux's answer
-- without CONFIG_MULTIUSER.
runtime "every capability holds in a daemon (runtime/lx/lx_core.c)" { "capable", "ns_capable" }

-- devres groups and managed regions (runtime/lx/lx_mem.c, lx_resource.c).
runtime "devres groups and managed I/O regions, as Linux's devres" {
  "devres_open_group", "devres_close_group", "devres_remove_group", "devres_release_group",
  "__devm_request_region", "__devm_release_region",
}

-- Character devices (runtime/lx/lx_chardev.c): the VFS helpers act on the
-- struct file as Linux's do; misc devices are registered in the daemon's
-- registry with Linux's minor rules, their opens delivered only once a host
-- front end (a Redox scheme) exists.
runtime "runtime/lx/lx_chardev.c: file helpers and the misc device registry" {
  "nonseekable_open", "stream_open", "noop_llseek", "misc_register", "misc_deregister",
}

-- One CPU: a cross-call runs on CPU 0 with interrupts off (kernel/up.c).
runtime { on_each_cpu_cond_mask = { note = "one CPU: runs func on CPU 0 when the mask and cond allow" } }

-- The module-parameter lock (kernel/params.c; runtime/lx/lx_param.c).
runtime "runtime/lx/lx_param.c: the parameter lock" { "kernel_param_lock", "kernel_param_unlock" }
-- MODULE_VERSION in built-in code (imports lose -DMODULE: cmake/KpiPort.cmake) names its sysfs show()
runtime "runtime/lx/lx_param.c: MODULE_VERSION's show() for built-in code" { "__modver_version_show" }

-- Character-device regions, cdevs and fasync lists (runtime/lx/lx_chardev.c):
-- registered in the daemon's registry with Linux's rules; no device node,
-- and no process to signal (kill_fasync says so once).
runtime "runtime/lx/lx_chardev.c: chrdev regions and cdevs kept in the daemon" {
  "register_chrdev_region", "alloc_chrdev_region", "unregister_chrdev_region",
  "cdev_init", "cdev_add", "cdev_del", "fasync_helper", "kill_fasync",
}

-- seq_file output and /proc entries (runtime/lx/lx_seq.c): show() callbacks
-- print as in Linux; entries are kept in the daemon (no procfs).
runtime "runtime/lx/lx_seq.c: seq_file printing; /proc entries kept without a procfs" {
  "seq_printf", "seq_vprintf", "seq_putc", "seq_write",
  -- the reading half: the file operations of a driver's debugfs and /proc files
  "seq_open", "seq_release", "single_open", "single_release", "seq_read", "seq_lseek",
  -- 6.11: seq_puts() is an inline over __seq_puts() (runtime/lx/lx_compat.h)
  seq_puts = { before = "6.11" }, __seq_puts = { since = "6.11" },
  "proc_mkdir", "proc_create_data", "proc_create_single_data", "proc_remove", "remove_proc_entry",
}

-- The VGA text console is the host kernel's; none runs in a daemon
-- (runtime/lx/lx_print.c: nothing to remove, 0).
runtime { vga_remove_vgacon = { note = "runtime/lx/lx_print.c: no VGA console in the daemon: nothing to remove" } }

-- One CPU (runtime/lx/lx_cpu.c): CPU 0 is possible, present, online, active.
-- MSRs are the host kernel's: the read-modify-write helpers fail with -EIO.
runtime "runtime/lx/lx_cpu.c: one CPU; no MSR access in a daemon" {
  "__cpu_possible_mask", "__cpu_online_mask", "__cpu_present_mask", "__cpu_active_mask",
  "msr_set_bit", "msr_clear_bit",
}
