/* kpi_host_net.h: the network part of the narrow host interface: an
 * Ethernet interface exported to the OS (Redox: the network.* scheme;
 * Linux: a TAP interface).  Self-contained like kpi_host_core.h. */
#ifndef KPI_HOST_NET_H
#define KPI_HOST_NET_H

#include "kpi_host_core.h"

/* ---- network export ---------------------------------------------------- */

/* Export a network interface carrying Ethernet frames; cookie rides on its
 * KPI_EV_NET events.  Returns a netif handle.
 * Redox: the backend serves the scheme network.pci-SSSS-BB-DD.F_<driver>
 * (<driver> = argv[0]'s basename; a second netif gets "-1", ...) from C
 * (runtime/host/redox/rx_net.c): reads of path "" return frames we deliver
 * (one per read, truncated; EAGAIN or a parked read when none), writes are
 * frames to take, "mac" returns mac; registered here, so before the
 * readiness byte when the driver registers its netdev in probe.  Linux: open /dev/net/tun (IFF_TAP|IFF_NO_PI) named name, set its MAC
 * peer to mac via SIOCSIFHWADDR on the tap. */
int kpi_host_net_open(const char *name, const kpi_u8 mac[6], void *cookie);
void kpi_host_net_close(int netif);

/* The next frame the OS wants sent on the wire (the driver's xmit path):
 * copies it to buf and returns its length, 0 if none is queued, or
 * -KPI_ENOSPC if buf is too small (the frame stays queued).
 * KPI_EV_NET is edge-triggered: reported once when frames become available,
 * and again only after a take returned 0.  Redox: the next queued scheme
 * write.  Linux: read() on the non-blocking TAP fd (EAGAIN -> 0). */
int kpi_host_net_take(int netif, void *buf, kpi_size cap);

/* Pass a frame received from the wire up to the OS.  Redox: queue it for
 * scheme readers and post EVENT_READ.  Linux: write() on the TAP fd. */
int kpi_host_net_deliver(int netif, const void *frame, kpi_size len);

/* Report carrier up/down (netif_carrier_on/off).  Redox: logged only (no
 * upstream scheme path yet).  Linux: TUNSETCARRIER. */
void kpi_host_net_link(int netif, int up);

#endif /* KPI_HOST_NET_H */
