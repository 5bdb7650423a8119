-- amd_nb.lua: AMD northbridge helpers (arch/x86/kernel/amd_nb.c): the
-- northbridge and SMN access of AMD hardware monitors and EDAC drivers
-- (k10temp, amd64_edac).  Compiled from the tree (all its exports from
-- the one file): its initcall finds the northbridge functions with the
-- runtime's sibling lookups (pci_get_device).
import "arch/x86/kernel/amd_nb.c: AMD northbridge enumeration and SMN access, compiled from the tree" {
  amd_nb_num = "arch/x86/kernel/amd_nb.c",
  amd_nb_has_feature = "arch/x86/kernel/amd_nb.c",
  node_to_amd_nb = "arch/x86/kernel/amd_nb.c",
  amd_smn_read = "arch/x86/kernel/amd_nb.c",
  amd_smn_write = "arch/x86/kernel/amd_nb.c",
  amd_flush_garts = "arch/x86/kernel/amd_nb.c",
}
