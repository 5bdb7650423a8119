-- i2c.lua: the I2C/SMBus core for bus drivers (i2c-i801, i2c-piix4, ...).
--
-- The core is imported, not rewritten: drivers/i2c/i2c-core-base.c (adapter
-- registration, numbering, transfers, locking) and i2c-core-smbus.c (SMBus
-- transactions and their I2C emulation) are compiled from the tree into the
-- port, so an adapter behaves exactly as in Linux.  What they need of the
-- driver model (bus_register, device_register, ...) is the runtime's
-- (runtime/lx/lx_device.c).  The daemon serves its adapters to clients
-- through runtime/lx/lx_i2c.c (paths ADAPTER/ADDR, the future Redox scheme
-- i2c.<pci name>; `--i2c-dump` on the command line today).

-- Any other name the I2C subsystem exports (i2c_verify_client, the SMBus
-- helpers of i2c-smbus.c, a bus driver's companion such as i2c-ccgx-ucsi.c)
-- comes from its file too: a name left unmapped would be stubbed beside the
-- imported file that defines it (defined twice at link).
import_tree {
  ["drivers/i2c/"] = "the I2C subsystem (core, SMBus helpers, companion modules), imported from the tree",
}

import "the kernel's I2C/SMBus core, compiled from the tree (file found by the symbol index)" {
  "i2c_add_adapter",
  "i2c_add_numbered_adapter",
  "i2c_del_adapter",
  "devm_i2c_add_adapter",
  "i2c_new_client_device",
  "i2c_new_dummy_device",
  "i2c_unregister_device",
  "i2c_handle_smbus_host_notify",
  "i2c_transfer",
  "__i2c_transfer",
  "i2c_smbus_xfer",
  "__i2c_smbus_xfer",
  "i2c_smbus_read_byte_data",
  "i2c_smbus_write_byte_data",
  "i2c_smbus_read_word_data",
  "i2c_smbus_write_word_data",
  "i2c_smbus_read_i2c_block_data",
  "i2c_get_adapter",
  "i2c_put_adapter",
  "i2c_bus_type",
  "i2c_adapter_type",
  "i2c_verify_adapter",
  "i2c_recover_bus",
  "i2c_generic_scl_recovery",
}

-- Statically declared devices (board files): the list is empty, but the
-- core reads it under its lock.  Built-in code, compiled from the tree.
import "drivers/i2c/i2c-boardinfo.c: the (empty) list of statically declared I2C devices" {
  __i2c_board_list = "drivers/i2c/i2c-boardinfo.c",
  __i2c_board_lock = "drivers/i2c/i2c-boardinfo.c",
  __i2c_first_dynamic_bus_num = "drivers/i2c/i2c-boardinfo.c",
}

-- The core registers these only under IS_ENABLED(CONFIG_ACPI) and
-- IS_ENABLED(CONFIG_OF_DYNAMIC), which a port's config leaves off: the
-- compiler drops the references (a link naming them would say otherwise).
header "referenced only under a config option the port leaves off; the compiler drops the reference" {
  "i2c_acpi_notifier", "i2c_of_notifier",
}

-- The P2SB bridge (a hidden function holding the TCO registers of newer
-- PCHs) is another PCI function, which a daemon cannot reach.
stub { p2sb_bar = { ret = "-ENODEV", note = "the P2SB bridge is another function: not visible to a daemon" } }

-- SPD EEPROM clients are created from the DMI table's memory-device records
-- (drivers/i2c/i2c-smbus.c), which a driver daemon does not see.  The
-- EEPROMs stay reachable as plain addresses through the daemon's i2c
-- interface; nothing binds a client driver to them here.
stub "no DMI memory-device records in a daemon: no SPD client devices are instantiated" {
  i2c_register_spd = { noop = true },
}
