-- fixture: second mapping of pci_enable_device (an error)
stub {
  pci_enable_device = { ret = 0 },
}
