/* nic_test_os.h: the "OS side" of the NIC scenario (nic_test_host.c), one
 * implementation per host a ported daemon is built for:
 *   nic_test_os_sim.c    the sim's netif queues (sim_net_*): the frames the
 *                        driver's netdev exchanges with the host directly
 *   nic_test_os_redox.c  the emulated Redox's netstack stand-in (re_net_*):
 *                        frames through the daemon's network.* scheme
 * so the same scenario runs unmodified on both (tests/runtime_nic_models.cmake
 * links one of them into the daemon).  libc side. */
#ifndef NIC_TEST_OS_H
#define NIC_TEST_OS_H

#include <stddef.h>
#include <stdint.h>

const char *nt_os_name(void);
/* The interface is visible to the OS (sim: netif 0 open and the daemon
 * ready; Redox: netstack opened the scheme after the readiness byte). */
int nt_os_up(void);
const uint8_t *nt_os_mac(void); /* what the OS learnt as the MAC, once up */
int nt_os_send(const void *frame, size_t len);  /* 0 or a negative code */
int nt_os_recv(void *buf, size_t cap);          /* length, 0 if none */
/* The carrier as the OS sees it: 1/0, or -1 where the OS has no link path
 * (Redox's network scheme has none: the backend only logs it). */
int nt_os_link(void);
/* The interface was closed again by the driver's exit (1), or cannot be
 * observed (-1). */
int nt_os_closed(void);

#endif
