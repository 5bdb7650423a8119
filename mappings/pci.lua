-- pci.lua: the PCI core as a driver sees it.
--
-- The runtime's PCI core (runtime/lx) builds a struct pci_dev from what the
-- host backend reports (pcid on Redox, sysfs on Linux) and calls the driver's
-- probe for the one device the daemon was started for.

runtime {
  -- registration: the daemon's main() registers, the runtime probes
  "__pci_register_driver",
  "pci_unregister_driver",
  -- an ID added at run time (pci-stub's ids=): the driver probes what it now matches
  "pci_add_dynid",

  -- enable/disable and bus mastering: config-space COMMAND bits via the host
  "pci_enable_device",
  "pci_enable_device_mem",
  "pci_enable_device_io",
  "pci_disable_device",
  "pcim_enable_device",
  "pci_set_master",
  "pci_clear_master",
  "pci_set_mwi",
  "pci_try_set_mwi",
  "pci_clear_mwi",
  "pci_intx",
  "pcim_pin_device",
  "pcim_set_mwi",
  "pci_check_and_mask_intx",
  "pci_check_and_unmask_intx",
  "pci_status_get_and_clear_errors",

  -- BAR ownership: bookkeeping only, the daemon owns its device already
  "pci_request_regions",
  "pci_release_regions",
  "pci_request_region",
  "pci_release_region",
  "pci_request_selected_regions",
  "pci_release_selected_regions",
  "pci_select_bars",
  "pcim_iomap_regions_request_all",

  -- configuration space: through the host backend
  "pci_read_config_byte",
  "pci_read_config_word",
  "pci_read_config_dword",
  "pci_write_config_byte",
  "pci_write_config_word",
  "pci_write_config_dword",
  "pci_find_capability",
  "pci_find_ext_capability",
  "pcie_capability_read_word",
  "pcie_capability_write_word",
  "pcie_capability_clear_and_set_word_unlocked",
  "pcie_capability_clear_and_set_word_locked",
  "pcix_get_mmrbc",
  "pcix_set_mmrbc",
  "pcie_get_readrq",
  "pcie_set_readrq",

  -- reference counting of pci_devs (the runtime's own and looked-up ones)
  "pci_dev_get",
  "pci_dev_put",
}

-- Other functions (runtime/lx/lx_pci_lookup.c): what the host lists -
-- every function on Linux and the sim, only the daemon's own on Redox -
-- comes back read-only (identity config reads, no BARs, no interrupts);
-- nothing found is NULL, as in Linux, with one log line.
runtime "runtime/lx: functions the host lists, read-only; NULL with one log line where the host shows none (Redox)" {
  "pci_get_device",
  "pci_get_subsys",
  "pci_get_class",
  "pci_get_slot",
  "pci_get_domain_bus_and_slot",
  "pci_dev_present",
  "pci_match_id",
  "pci_bus_read_config_byte",
  "pci_bus_read_config_word",
  "pci_bus_read_config_dword",
  "pci_bus_write_config_byte",
  "pci_bus_write_config_word",
  "pci_bus_write_config_dword",
}

-- Power management: the function's own PM capability through config space
-- (runtime/lx/lx_pci_pm.c): D0/D1/D2/D3hot with the settle delays, the saved
-- standard header, PME enable.  No platform power methods (D3cold is
-- D3hot), no runtime PM, and system sleep never happens in a daemon.
runtime "PCI PM capability through config space (runtime/lx/lx_pci_pm.c)" {
  "pci_enable_wake", "pci_wake_from_d3", "pci_set_power_state", "pci_save_state",
  "pci_restore_state", "pci_prepare_to_sleep", "pci_pme_active", "pci_back_from_sleep",
  pci_dev_run_wake = { note = "false: no runtime power management" },
}
stub "no system sleep or wake-up in a daemon: succeeds without effect" {
  device_set_wakeup_enable = { ret = 0 },
}

-- e1000e: "exclusive" keeps /dev/mem away from the BARs in Linux; the
-- daemon's host gave it the function alone already, so it is the same
-- bookkeeping as pci_request_selected_regions.  ASPM belongs to the host's
-- kernel: lx answers -EPERM as Linux does when the OS lacks ASPM control
-- (aspm_disabled), after which drivers clear the Link Control bits in
-- config space themselves.
runtime "BAR claims are bookkeeping; ASPM is not the daemon's (runtime/lx/lx_pci_pm.c)" {
  "pci_request_selected_regions_exclusive", "pci_disable_link_state", "pci_disable_link_state_locked",
}

-- Message-signalled interrupts (runtime/lx/lx_msi.c): the host enables the
-- vectors (kpi_host_irq_enable with KPI_IRQ_MSI/KPI_IRQ_MSIX), each one an
-- event of its own; fallbacks as Linux's (MSI-X, MSI, then the legacy line).
-- With CONFIG_PCI_MSI=n linux/pci.h defines these inline (the legacy vector
-- only) and nothing is linked.
runtime "runtime/lx: MSI/MSI-X vectors delivered by the host, Linux's fallbacks; inline (legacy only) with CONFIG_PCI_MSI=n" {
  "pci_alloc_irq_vectors_affinity",
  "pci_free_irq_vectors",
  "pci_irq_vector",
  "get_cached_msi_msg", -- the message as the host programmed it (MSI capability, MSI-X table)
  "pci_irq_get_affinity",
  "pci_enable_msi",
  "pci_disable_msi",
  "pci_enable_msix_range",
  "pci_disable_msix",
  "pci_msi_vec_count",
  "pci_msix_vec_count",
  "pci_msi_enabled",
  "pci_restore_msi_state",
}

header "inline/macro in linux/pci.h over struct pci_dev fields the runtime fills" {
  "pci_get_drvdata", "pci_set_drvdata", "pci_name",
  "pci_resource_start", "pci_resource_end", "pci_resource_len", "pci_resource_flags",
  "pci_is_pcie",
  "pcie_capability_clear_and_set_word", "pcie_capability_set_word", "pcie_capability_clear_word",
  "pci_enable_msix_exact", "pci_dev_msi_enabled", "for_each_pci_dev", "pci_domain_nr",
}

-- request_region()/request_mem_region() and the two resource roots they
-- claim from (runtime/lx/lx_resource.c): the daemon owns its functions'
-- ranges, so claims are bookkeeping that behaves like Linux's.
runtime { "__request_region", "__release_region", "ioport_resource", "iomem_resource" }

-- 6.8: pci_alloc_irq_vectors() is a function (runtime/lx/lx_compat.h).
header { pci_alloc_irq_vectors = { before = "6.8", note = "inline over pci_alloc_irq_vectors_affinity" } }
runtime { pci_alloc_irq_vectors = { since = "6.8" } }

-- Capability and presence queries in config space (runtime/lx/lx_pci.c).
runtime "config-space queries (runtime/lx/lx_pci.c)" { "pci_find_vsec_capability", "pci_device_is_present" }

-- BAR bus addresses are the CPU's (x86 host bridges have no offset;
-- runtime/lx/lx_pci.c): pci_bus_address() and the region conversions.
runtime "runtime/lx/lx_pci.c: bus and CPU addresses of BARs are the same" {
  "pcibios_resource_to_bus", "pcibios_bus_to_resource",
}

-- The expansion ROM: the host hands a daemon its BARs, not the ROM
-- (runtime/lx/lx_pci.c: no ROM, as Linux for a function without one).
runtime "runtime/lx/lx_pci.c: no expansion ROM through the host" { "pci_map_rom", "pci_unmap_rom" }
