-- net.lua: network devices, socket buffers, NAPI and ethtool helpers.
--
-- The runtime's net core (runtime/lx/lx_net*.c) owns struct net_device and
-- struct sk_buff.  It connects each registered device to one host network
-- export: a TAP interface on Linux, the network.* scheme on Redox.  The
-- device is opened (ndo_open) right after register_netdev, in the device's
-- transmit task, which then feeds the host's outgoing frames to
-- ndo_start_xmit; received frames go to the host at once.  NAPI polls run in
-- one runtime task with the softirq count raised.  Every skb is linear.

runtime {
  -- net_device lifetime
  "alloc_netdev_mqs",
  "alloc_etherdev_mqs",
  "devm_alloc_etherdev_mqs",
  "ether_setup",
  "free_netdev",
  "register_netdev",
  "unregister_netdev",
  "register_netdevice",
  "unregister_netdevice_queue",
  "dev_addr_mod",          -- eth_hw_addr_set() and friends end here
  "netdev_update_features",
  "netif_set_real_num_tx_queues",
  "netif_set_real_num_rx_queues",
  "rtnl_lock",
  "rtnl_unlock",
  "rtnl_is_locked",
  -- link and queue state
  "dev_open",
  "dev_close",
  "dev_trans_start",
  "netif_carrier_on",
  "netif_carrier_off",
  "netif_device_attach",
  "netif_device_detach",
  "netif_tx_wake_queue",
  "netif_schedule_queue",
  "netif_tx_stop_all_queues",
  "netdev_stats_to_stats64",
  "dev_get_stats",
  "softnet_data",          -- data: per-CPU (one CPU) softirq state read by inline helpers
  -- byte queue limits (BQL): inline netdev_tx_*_queue() call these
  "dql_completed",
  "dql_reset",
  "dql_init",
  -- NAPI
  "netif_napi_add_weight",
  "__netif_napi_del",
  "synchronize_net",       -- netif_napi_del() is inline and calls it
  "napi_enable",
  "napi_disable",
  "napi_schedule_prep",
  "__napi_schedule",
  "__napi_schedule_irqoff",
  "napi_complete_done",
  "napi_gro_receive",
  "napi_consume_skb",
  "netif_receive_skb",
  "netif_rx",
  -- socket buffers
  "__alloc_skb",
  "__netdev_alloc_skb",
  "skb_put",
  "skb_push",
  "skb_pull",
  "skb_trim",
  "___pskb_trim",
  "__pskb_pull_tail",
  "pskb_expand_head",
  "__skb_pad",
  "skb_copy_bits",
  "skb_copy_and_csum_dev",
  "skb_checksum_help",
  "__skb_gso_segment", -- no GSO frames here: an error for one (runtime/lx/lx_net_skb.c)
  "skb_clone",
  "skb_copy",
  consume_skb = { note = "out of line only with CONFIG_TRACEPOINTS; otherwise an inline kfree_skb" },
  "kfree_skb_list_reason",
  "eth_type_trans",
  "eth_validate_addr",
  "eth_mac_addr",
  "eth_commit_mac_addr_change",
  "eth_prepare_mac_addr_change",
  "csum_ipv6_magic",       -- arch/x86/lib/csum-wrappers_64.c drags in user-copy code; the runtime has a plain C one
  "csum_partial",
  -- ethtool helpers: pure conversions the runtime links in
  "ethtool_convert_legacy_u32_to_link_mode",
  "ethtool_convert_link_mode_to_legacy_u32",
  "ethtool_op_get_link",
  "ethtool_op_get_ts_info",
  "ethtool_sprintf",
  -- e1000e (and most multi-queue NICs)
  "netdev_rss_key_fill",
  "passthru_features_check",
}

-- Receive "page fragments" are kmalloc'd blocks (no struct page model) and
-- build_skb makes one the skb's head (runtime/lx/lx_net_frag.c).
runtime "runtime/lx/lx_net_frag.c: fragments are kmalloc'd blocks an skb can own" {
  "build_skb", "napi_build_skb", "__netdev_alloc_frag_align", "__napi_alloc_frag_align", "page_frag_free",
}
-- Receive into page fragments (runtime/lx/lx_net_napi.c, lx_net_skb.c): the
-- skb keeps the pages (struct page of lx_page.c), the frame goes up whole,
-- copied out once for the host; no merging, so napi_gro_flush has nothing.
runtime "runtime/lx/lx_net_napi.c: page-fragment receive, unmerged" {
  "napi_get_frags", "napi_gro_frags", "napi_gro_flush",
  -- 6.10: skb_add_rx_frag() is an inline over skb_add_rx_frag_netmem() (runtime/lx/lx_compat.h)
  skb_add_rx_frag = { before = "6.10" },
  skb_add_rx_frag_netmem = { since = "6.10" },
}
-- There are no qdiscs: netif_tx_wake_queue/netif_schedule_queue wake the
-- runtime's transmit task directly, and no driver-visible Qdisc exists.
stub { __netif_schedule = { noop = true, note = "no qdiscs; the runtime's transmit task is woken by netif_tx_wake_queue" } }

-- Hardware and software TX timestamps: no socket ever asks for them in a
-- daemon (nothing sets SKBTX_SW_TSTAMP), so reaching this is harmless.
runtime { skb_tstamp_tx = { note = "no timestamping sockets in a daemon: returns at once, as Linux does for an skb without a socket" } }

-- The locked skb queue operations (net/core/skbuff.c): the inline __skb_*
-- helpers under the queue's lock (runtime/lx/lx_net_skb.c).
runtime "locked sk_buff_head queues (runtime/lx/lx_net_skb.c)" {
  "skb_dequeue", "skb_dequeue_tail", "skb_queue_head", "skb_queue_tail", "skb_unlink", "skb_append",
}

header "inline in linux/netdevice.h, linux/skbuff.h or linux/etherdevice.h" {
  "netdev_priv", "alloc_etherdev", "netif_napi_add", "napi_schedule", "napi_complete",
  "netif_start_queue", "netif_stop_queue", "netif_wake_queue", "netif_queue_stopped",
  "netif_running", "netif_carrier_ok", "netdev_alloc_skb", "netdev_alloc_skb_ip_align",
  "dev_kfree_skb", "dev_kfree_skb_any", "dev_kfree_skb_irq", "kfree_skb",
  "skb_reserve", "skb_tx_timestamp", "ether_addr_copy", "is_valid_ether_addr",
  "eth_hw_addr_set", "eth_hw_addr_random", "netdev_sent_queue", "netdev_completed_queue",
  "netdev_reset_queue", "SET_NETDEV_DEV",
}

-- What changed between Linux versions (runtime/lx/lx_compat.h has the same
-- releases for its probes).  6.3: the out-of-line frees of
-- dev_kfree_skb_{irq,any}() take an skb_drop_reason.  6.9: napi_alloc_skb()
-- is a function (no gfp argument) instead of an inline over
-- __napi_alloc_skb().  6.11: kfree_skb_reason() is an inline over
-- sk_skb_reason_drop().
runtime { __dev_kfree_skb_any = { before = "6.3" }, __dev_kfree_skb_irq = { before = "6.3" },
          dev_kfree_skb_any_reason = { since = "6.3" }, dev_kfree_skb_irq_reason = { since = "6.3" } }
runtime { __napi_alloc_skb = { before = "6.9" }, napi_alloc_skb = { since = "6.9" } }
header { napi_alloc_skb = { before = "6.9", note = "inline in linux/skbuff.h over __napi_alloc_skb" } }
runtime { kfree_skb_reason = { before = "6.11" }, sk_skb_reason_drop = { since = "6.11" } }
header { kfree_skb_reason = { since = "6.11", note = "inline in linux/skbuff.h over sk_skb_reason_drop" } }
-- 6.8: ethtool_puts(), one string into an ethtool string table slot.
runtime { ethtool_puts = { since = "6.8" } }

-- The rest of net/core/dev.c and net/ethernet/eth.c that drivers call
-- (runtime/lx/lx_net.c): freezing every transmit queue under the global
-- lock, the TSO limits, summing per-CPU software counters, and the platform
-- MAC address (none on x86 without a device tree: -ENODEV, as Linux).
runtime "runtime/lx/lx_net.c: transmit lock, TSO limits, software counters, platform MAC" {
  "netif_tx_lock", "netif_tx_unlock", "netif_set_tso_max_size", "netif_set_tso_max_segs",
  "dev_fetch_sw_netstats", "eth_platform_get_mac_address",
}

runtime { netif_get_num_default_rss_queues = { note = "one CPU: one queue" } }

-- The initial network namespace (runtime/lx/lx_net.c): an identity, the only
-- namespace; no per-namespace state is kept in it.
runtime { init_net = { note = "data: the only network namespace (no CONFIG_NET_NS); nothing is kept in it" } }

-- The Sun GEM/PowerMac PHY library (drivers/net/sungem_phy.c, its only export).
import { sungem_phy_probe = { file = "drivers/net/sungem_phy.c", note = "the GEM PHY library, compiled from the tree" } }

-- Emptying a locked queue (runtime/lx/lx_net_skb.c); 6.7 gave it a drop
-- reason (skb_queue_purge is an inline over skb_queue_purge_reason since).
runtime { skb_queue_purge = { before = "6.7" }, skb_queue_purge_reason = { since = "6.7" } }
-- No sockets in a daemon: an skb never has an owner whose reference
-- sock_efree would drop (runtime/lx/lx_net_skb.c warns if one had).
runtime { sock_efree = { note = "runtime/lx/lx_net_skb.c: no sockets in a daemon" } }
-- No rtnetlink socket: link types are kept, nobody creates links of them
-- through netlink; the extended-ack tracepoint has no tracer (runtime/lx/lx_net.c).
runtime "runtime/lx/lx_net.c: no rtnetlink in a daemon" {
  "rtnl_link_register", "rtnl_link_unregister", "do_trace_netlink_extack",
}

-- The generic HDLC layer (drivers/net/wan/hdlc.c): a synchronous serial
-- card's driver (farsync, wanxl, pci200syn, ...) hands its frames to it;
-- compiled from the tree.  The line protocols (hdlc_cisco, hdlc_ppp, ...)
-- are modules of their own that register with it: none is linked in.
import "the generic HDLC layer, compiled from the tree" {
  alloc_hdlcdev = "drivers/net/wan/hdlc.c", unregister_hdlc_device = "drivers/net/wan/hdlc.c",
  hdlc_open = "drivers/net/wan/hdlc.c", hdlc_close = "drivers/net/wan/hdlc.c",
  hdlc_ioctl = "drivers/net/wan/hdlc.c", hdlc_start_xmit = "drivers/net/wan/hdlc.c",
  attach_hdlc_protocol = "drivers/net/wan/hdlc.c", detach_hdlc_protocol = "drivers/net/wan/hdlc.c",
  register_hdlc_protocol = "drivers/net/wan/hdlc.c", unregister_hdlc_protocol = "drivers/net/wan/hdlc.c",
}

-- Code layered over a driver's net_device (the HDLC layer above) watches it
-- through netdevice notifiers and takes its frames through packet handlers
-- (runtime/lx/lx_net_notify.c: replayed registration, REGISTER/UP/DOWN/
-- UNREGISTER from lx's own paths, CHANGE after a carrier change).
runtime "runtime/lx/lx_net_notify.c: netdevice notifiers and packet handlers" {
  "register_netdevice_notifier", "unregister_netdevice_notifier", "call_netdevice_notifiers",
  "dev_add_pack", "dev_remove_pack", "__dev_remove_pack",
}
