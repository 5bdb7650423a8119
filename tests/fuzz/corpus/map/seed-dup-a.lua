-- fixture: first mapping of pci_enable_device
runtime {
  "pci_set_master",
  "pci_enable_device",
}
