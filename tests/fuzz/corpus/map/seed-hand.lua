-- handwritten: every verb and form
area "fuzz"
rename { ioremap = "redox_ioremap", iounmap = { to = "redox_iounmap", note = "n" } }
runtime { "kfree", kmalloc = { note = "slab" } }
import { mii_link_ok = "drivers/net/mii.c", "crc32_le", ether_crc = { file = "lib/crc32.c" } }
stub { pci_enable_msi = { ret = "-ENOSYS" }, pci_restore_state = { noop = true }, "some_fn",
       other = { ret = 0 } }
stub "group note" { a_fn = { ret = -1 }, b_fn = { noop = true } }
unsupported { request_dma = "ISA DMA has no Redox equivalent" }
unsupported "no ISA" { "free_dma", "isa_fn" }
header { "readl", writel = { note = "inline" } }
local names = {}
for i = 1, 3 do names[#names + 1] = "gen_" .. i end
runtime(names)
local t = string.format("%s_%d", "fmt", 1)
header { [t] = {} }
