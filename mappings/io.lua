-- io.lua: device register access (MMIO and port I/O).
--
-- Policy: the out-of-line access API is renamed to the runtime's Redox-facing
-- I/O API (headers/redox/), which maps BARs through the host backend (pcid
-- on Redox, sysfs resourceN on Linux).  The renamed calls stay visible in the
-- port's diff, so a reviewer sees every place the driver touches hardware.

rename {
  -- mapping and unmapping
  ioremap      = "redox_ioremap",
  ioremap_wc   = "redox_ioremap_wc",
  ioremap_uc   = { to = "redox_ioremap", note = "uncached even over an MTRR: what ioremap maps" },
  -- device memory has no write-back mapping from a daemon: write-combining
  ioremap_cache = { to = "redox_ioremap_wc", note = "VRAM/BAR memory: mapped write-combining, never write-back" },
  iounmap      = "redox_iounmap",
  pci_iomap    = "redox_pci_iomap",
  pci_iounmap  = "redox_pci_iounmap",
  ioport_map   = "redox_ioport_map",    -- port-I/O "cookies" (lib/iomap.c style)
  ioport_unmap = "redox_ioport_unmap",

  -- ioread*/iowrite* take either an MMIO pointer or a port cookie, so they
  -- cannot be plain volatile loads: the runtime decides per cookie.
  ioread8  = "redox_ioread8",
  ioread16 = "redox_ioread16",
  ioread32 = "redox_ioread32",
  ioread16be = "redox_ioread16be",
  ioread32be = "redox_ioread32be",
  iowrite8  = "redox_iowrite8",
  iowrite16 = "redox_iowrite16",
  iowrite32 = "redox_iowrite32",
  iowrite16be = "redox_iowrite16be",
  iowrite32be = "redox_iowrite32be",
  -- 64-bit accesses as two 32-bit ones (lib/iomap.c's non-atomic helpers)
  ioread64_lo_hi = "redox_ioread64_lo_hi",
  ioread64_hi_lo = "redox_ioread64_hi_lo",
  ioread64be_lo_hi = "redox_ioread64be_lo_hi",
  ioread64be_hi_lo = "redox_ioread64be_hi_lo",
  iowrite64_lo_hi = "redox_iowrite64_lo_hi",
  iowrite64_hi_lo = "redox_iowrite64_hi_lo",
  iowrite64be_lo_hi = "redox_iowrite64be_lo_hi",
  iowrite64be_hi_lo = "redox_iowrite64be_hi_lo",

  ioread8_rep   = "redox_ioread8_rep",
  ioread16_rep  = "redox_ioread16_rep",
  ioread32_rep  = "redox_ioread32_rep",
  iowrite8_rep  = "redox_iowrite8_rep",
  iowrite16_rep = "redox_iowrite16_rep",
  iowrite32_rep = "redox_iowrite32_rep",

  -- Bulk copies to/from device memory (8139too reads its EEPROM-less
  -- config this way).  Out of line on x86; same family as the above.
  memcpy_fromio = "redox_memcpy_fromio",
  memcpy_toio   = "redox_memcpy_toio",
  memset_io     = "redox_memset_io",
}

-- The wrappers that create or release a mapping (by BAR number, managed by
-- devres) belong to the same Redox-facing family: every place a driver maps
-- device memory shows up renamed in the port's diff.  The runtime builds
-- them on redox_ioremap / redox_pci_iomap and devres.
rename {
  pci_ioremap_bar    = "redox_pci_ioremap_bar",
  pci_ioremap_wc_bar = "redox_pci_ioremap_wc_bar",
  pci_iomap_range    = "redox_pci_iomap_range",
  pci_iomap_wc       = "redox_pci_iomap_wc",
  pci_iomap_wc_range = "redox_pci_iomap_wc_range",
  pcim_iomap         = "redox_pcim_iomap",
  pcim_iomap_regions = "redox_pcim_iomap_regions",
  pcim_iomap_table   = "redox_pcim_iomap_table",
  pcim_iounmap       = "redox_pcim_iounmap",
  pcim_iounmap_regions = "redox_pcim_iounmap_regions",
  devm_ioremap       = "redox_devm_ioremap",
  devm_ioremap_resource = "redox_devm_ioremap_resource",
  devm_ioremap_wc    = "redox_devm_ioremap_wc",  -- else lib/devres.c came in, defining the rest twice
  devm_iounmap       = "redox_devm_iounmap",
}

-- Inline accessors: volatile loads/stores through a pointer that
-- redox_ioremap returned.  Nothing to link.
header "inline MMIO accessor from asm/io.h; works on any mapping redox_ioremap returns" {
  "readb", "readw", "readl", "readq",
  "writeb", "writew", "writel", "writeq",
  "readb_relaxed", "readw_relaxed", "readl_relaxed",
  "writeb_relaxed", "writew_relaxed", "writel_relaxed",
}

-- Inline in/out instructions.  A userspace daemon may execute them only
-- after the host granted I/O privilege (iopl on Linux, the same on Redox);
-- the runtime asks for it before probe when the driver uses port I/O.
header "inline port I/O from asm/io.h; needs I/O privilege, granted by the runtime" {
  "inb", "inw", "inl", "outb", "outw", "outl",
  "inb_p", "inw_p", "inl_p", "outb_p", "outw_p", "outl_p",
  "insb", "insw", "insl", "outsb", "outsw", "outsl",
}

-- Write-combining ranges: with PAT Linux adds no MTRR and returns 0
-- (runtime/lx/lx_iomap.c).
runtime "MTRR write-combining: none with PAT (runtime/lx/lx_iomap.c)" {
  "arch_phys_wc_add", "arch_phys_wc_del", "arch_phys_wc_index",
}

-- lib/devres.c's managed MTRR/PAT helpers for framebuffers (DRM drivers):
-- a daemon programs no MTRR and reserves no memory type; write-combining
-- comes from the BAR mapping itself (redox_ioremap_wc, pci_ioremap_wc_bar).
-- Mapped here so lib/devres.c, whose pcim_* the runtime defines, is not
-- imported for them (a file is never split between import and runtime).
stub "no MTRR or PAT reservations in a daemon: write-combining comes from the mapping" {
  devm_arch_phys_wc_add = { ret = 0 },
  devm_arch_io_reserve_memtype_wc = { ret = 0 },
}

-- A caller's own struct resource in the I/O-port or memory tree
-- (runtime/lx/lx_resource.c: the same flat claims as request_region).
runtime "runtime/lx/lx_resource.c: resources claimed in the daemon's trees" {
  "request_resource", "request_resource_conflict", "release_resource",
}
