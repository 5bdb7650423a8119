-- fixture: an io-like area with an explicit area name
area "io"

rename {
  ioremap = "redox_ioremap",
  iounmap = { to = "redox_iounmap", note = "pairs with ioremap" },
}

header { "readl", "writel" }
