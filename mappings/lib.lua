-- lib.lua: kernel library code compiled from the Linux tree into the port.
--
-- Self-contained library files are better imported than rewritten: the
-- port then runs the exact kernel code.  An import names the tree file that
-- defines the symbol; the file is compiled with the port's kernel flags.

import {
  -- MII PHY helpers (8139too, and many 10/100 NICs)
  mii_link_ok                   = "drivers/net/mii.c",
  mii_nway_restart              = "drivers/net/mii.c",
  mii_check_link                = "drivers/net/mii.c",
  mii_check_media               = "drivers/net/mii.c",
  mii_check_gmii_support        = "drivers/net/mii.c",
  mii_ethtool_gset              = "drivers/net/mii.c",
  mii_ethtool_sset              = "drivers/net/mii.c",
  mii_ethtool_get_link_ksettings = "drivers/net/mii.c",
  mii_ethtool_set_link_ksettings = "drivers/net/mii.c",
  generic_mii_ioctl             = "drivers/net/mii.c",

  -- CRC32: lib/crc32.c includes crc32table.h, which kbuild generates with
  -- the host tool lib/gen_crc32table; the import step must build it too.
  crc32_le    = "lib/crc32.c",
  crc32_be    = "lib/crc32.c",
  __crc32c_le = "lib/crc32.c",
  crc32_le_shift    = "lib/crc32.c",
  __crc32c_le_shift = "lib/crc32.c",

  -- bitrev8()/bitrev32() are inline and read this table (ether_crc()).
  byte_rev_table = "lib/bitrev.c",

  -- find_next_bit() and friends are inline wrappers of these.
  _find_first_bit      = "lib/find_bit.c",
  _find_first_zero_bit = "lib/find_bit.c",
  _find_next_bit       = "lib/find_bit.c",
  _find_next_zero_bit  = "lib/find_bit.c",
  _find_next_and_bit   = "lib/find_bit.c",
  _find_last_bit       = "lib/find_bit.c",

  -- hex helpers and hex dumps to the log (printk is the runtime's)
  print_hex_dump      = "lib/hexdump.c",
  hex_to_bin          = "lib/hexdump.c",
  hex2bin             = "lib/hexdump.c",
  bin2hex             = "lib/hexdump.c",
  hex_dump_to_buffer  = "lib/hexdump.c",
  hex_asc             = "lib/hexdump.c",
  hex_asc_upper       = "lib/hexdump.c",

  -- cycle counter -> ns (e1000e's and igb's hardware timestamps)
  timecounter_init     = "kernel/time/timecounter.c",
  timecounter_read     = "kernel/time/timecounter.c",
  timecounter_cyc2time = "kernel/time/timecounter.c",

  -- lib/xarray.c's nodes come from lib/radix-tree.c's node cache, named by
  -- an extern in xarray.c itself (lib/radix-tree.h, not exported): the
  -- symbol index knows only exported names, so the table says where.
  radix_tree_node_cachep   = "lib/radix-tree.c",
  radix_tree_node_rcu_free = "lib/radix-tree.c",
}
