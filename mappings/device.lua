-- device.lua: the driver model (buses, devices, drivers) for kernel
-- subsystems a port imports from the tree, e.g. the I2C core registering
-- i2c_bus_type, its adapters and clients.  runtime/lx/lx_device.c keeps
-- Linux's rules that such code relies on: device_add() probes the bus's
-- drivers, the last put_device() calls the release (the I2C core waits for
-- it), iterators survive a callback unregistering the device.  No sysfs,
-- uevents, device links, deferred probing or power management.

runtime "runtime/lx/lx_device.c: buses, devices and drivers without sysfs" {
  "bus_register",
  "bus_unregister",
  "bus_register_notifier",
  "bus_unregister_notifier",
  "bus_for_each_dev",
  "bus_for_each_drv",
  "bus_find_device",
  "device_initialize",
  "device_add",
  "device_register",
  "device_del",
  "device_unregister",
  "device_for_each_child",
  "device_for_each_child_reverse",
  "__root_device_register",
  "root_device_unregister",
  "driver_register",
  "driver_unregister",
  "dev_driver_string",
}

-- A daemon sends no uevents; callbacks that fill one still format it.
runtime { add_uevent_var = { note = "formats into the env buffer; nothing is sent" } }
-- runtime/lx/lx_fs.c: device classes are name holders; a daemon has no
-- character devices (clients come through the host's front end).
-- 6.4: class_create(name) is the function; __class_create() is gone.
runtime "runtime/lx/lx_fs.c" {
  __class_create = { before = "6.4" },
  class_create = { since = "6.4" },
  "class_destroy",
  "class_create_file_ns",
  "class_remove_file_ns",
  "__register_chrdev",
  "__unregister_chrdev",
  -- the pseudo filesystem of a subsystem core's private inodes (DRM, dma-buf)
  "kern_mount",
  "kern_unmount",
  "simple_pin_fs",
  "simple_release_fs",
  "alloc_anon_inode",
  "iput",
  "fput",
  -- an anonymous inode of that size, no pages: a GEM object's backing file
  -- that the VRAM/TTM helpers never read (runtime/lx/README.md, "DRM clients")
  "shmem_file_setup",
  "unmap_mapping_range",
}
runtime "runtime/lx/lx_param.c: no kernel command line, so no video= option" {
  "fb_get_options",
  -- the fbdev core's default mode (fb_cmdline.c defines both; its other
  -- names are runtime too, so the file is not imported): none (gone by 6.12)
  "fb_mode_option",
}
-- Kobjects of a subsystem core's own hierarchy (lib/kobject.c, imported):
-- no sysfs directories or files, no kernfs nodes (runtime/lx/lx_fs.c).
runtime "runtime/lx/lx_fs.c: kobjects without sysfs" {
  "sysfs_create_dir_ns", "sysfs_remove_dir", "sysfs_rename_dir_ns", "sysfs_move_dir_ns",
  "sysfs_create_file_ns", "sysfs_remove_file_ns", "sysfs_create_groups", "sysfs_remove_groups",
  "kernfs_get", "kernfs_put", "get_cmdline", "file_path",
  subsys_system_register = { note = "runtime/lx/lx_device.c: a bus with a root device of its name" },
  -- 6.4: the root device is found with bus_get_dev_root() (runtime/lx/lx_compat.h)
  bus_get_dev_root = { since = "6.4" },
}
runtime "runtime/lx/lx_device.c: a daemon sends no uevents (no listener): 0, as Linux without one" {
  "kobject_uevent_env", "kobject_uevent",
}

-- A PCI daemon's devices have no ACPI or device-tree description.
runtime "runtime/lx/lx_device.c: no firmware node has properties" {
  "__dev_fwnode",
  "__dev_fwnode_const",
  "device_match_fwnode",
  "device_get_match_data",
  "device_property_match_string",
}

-- DMI/SMBIOS tables describe the machine; a driver daemon sees none
-- (runtime/lx/lx_dmi.c answers as Linux does without SMBIOS).
runtime "runtime/lx/lx_dmi.c: no DMI tables: nothing matches, walks fail with -ENXIO" {
  "dmi_available",
  "dmi_check_system",
  "dmi_first_match",
  "dmi_get_system_info",
  "dmi_find_device",
  "dmi_get_date",
  "dmi_get_bios_year",
  "dmi_name_in_vendors",
  "dmi_name_in_serial",
  "dmi_walk",
  "dmi_match",
}

-- The platform bus (runtime/lx/lx_platform.c): sub-devices a PCI driver
-- registers (i2c-i801's iTCO watchdog, vt8231's hardware monitor, an MFD's
-- cells) are created and probed by the daemon's platform drivers; one no
-- driver of the daemon matches stays unbound, as without its module.
runtime "runtime/lx/lx_platform.c: the platform bus on the runtime's driver model" {
  "platform_bus_type",
  "platform_device_alloc", "platform_device_add_resources", "platform_device_add_data",
  "platform_device_add", "platform_device_del", "platform_device_put",
  "platform_device_register", "platform_device_unregister", "platform_device_register_full",
  "platform_get_resource", "platform_get_resource_byname", "platform_get_irq", "platform_get_irq_optional",
  "__platform_driver_register", "platform_driver_unregister",
}

-- Software nodes (drivers/base/swnode.c) describe devices to the firmware
-- node API; a daemon's devices have none and the runtime has no fwnode
-- graph, so registering them fails and callers take their error path.
-- A software node given to one device (runtime/lx/lx_device.c): its
-- properties answer that device's property queries.
runtime "runtime/lx/lx_device.c: a device's own software node, no graph" {
  "device_add_software_node", "device_remove_software_node",
}
stub "no software nodes: the runtime has no firmware-node graph" {
  software_node_register_nodes = { ret = "-ENOSYS" },
  software_node_unregister_nodes = { noop = true },
  software_node_fwnode = { ret = "NULL" },
  fwnode_handle_put = { noop = true, note = "only ever given NULL here: no device has a firmware node" },
}

-- Class devices (runtime/lx/lx_device.c): what a subsystem core creates for
-- each of its character-device minors (the Comedi core: comedi0).  Driver-
-- model devices with their class, devt and drvdata; no sysfs, no node.
runtime "runtime/lx/lx_device.c: class devices without sysfs or device nodes" {
  "device_create", "device_create_with_groups", "device_destroy",
}

-- The generic devres API (runtime/lx/lx_mem.c): resources released with the
-- device, last first, with its devm_* ones.
runtime "runtime/lx/lx_mem.c: devres, as Linux's" {
  "__devres_alloc_node", "devres_add", "devres_free", "devres_find", "devres_remove",
  "devres_destroy", "devres_release", "devres_get",
}

-- Interrupt descriptors (runtime/lx/lx_irqdomain.c): lx keeps none; the
-- calls answer as Linux does for a number without a descriptor.
runtime "runtime/lx/lx_irqdomain.c: no interrupt descriptors" {
  "irq_get_irq_data", "irq_set_chip_and_handler_name", "generic_handle_irq_safe", "handle_simple_irq",
  "dummy_irq_chip",
}

-- File positions and buffer copies of debugfs-style file operations
-- (runtime/lx/lx_chardev.c), the console lock (lx_print.c), module loading
-- (lx_core.c: a daemon loads none), mmap helpers (lx_fs.c).
runtime "runtime/lx: file helpers, the console lock, module requests, mmap helpers" {
  "default_llseek", "fixed_size_llseek", "simple_open", "simple_read_from_buffer", "simple_write_to_buffer",
  "console_lock", "console_trylock", "console_unlock", "is_console_locked", "ignore_console_lock_warning",
  "oops_in_progress", "__request_module", "vm_get_page_prot", "vm_iomap_memory", "proc_create_seq_private",
}

-- Binding on request and driver lookup (runtime/lx/lx_device.c: the
-- gameport core binds a port to the driver its connect() chose); classes a
-- caller defines itself (runtime/lx/lx_fs.c: name holders, like
-- class_create's; 6.4 made class_register() the function).
runtime "runtime/lx: binding on request, driver lookup, registered classes" {
  "driver_attach", "device_attach", "device_bind_driver", "device_release_driver", "driver_find",
  -- rebinding (the HID core, when a more specific driver registers)
  "device_reprobe", "bus_rescan_devices",
  __class_register = { before = "6.4" },
  class_register = { since = "6.4" },
  "class_unregister",
}

-- A firmware node's properties through its own operations (runtime/lx/lx_device.c):
-- no node (NULL) answers -EINVAL, as Linux.
runtime { fwnode_property_read_u32_array = { note = "runtime/lx/lx_device.c: through the node's ops; none for NULL" } }
