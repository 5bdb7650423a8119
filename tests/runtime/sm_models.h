/* sm_models.h: sim device models of two real NICs, for running REAL ported
 * drivers (8139too, e1000) on the sim host and on the emulated Redox backed
 * by the sim (tests/runtime/nic_test_*.c, tests/runtime_nic_models.cmake).
 *
 *   sm_rtl8139_create  Realtek RTL8139C (10ec:8139, PCI revision 0x10: a
 *                      pre-C+ chip, so Linux's 8139too takes it and 8139cp
 *                      does not), BAR0 = 256 ports, BAR1 = the same
 *                      registers as MMIO, a 93C46 EEPROM holding the MAC,
 *                      the RX ring buffer, four TX descriptors, ISR/IMR,
 *                      the internal PHY's MII registers and link status.
 *   sm_e1000_create    Intel 82540EM (8086:100e), BAR0 = 128 KiB MMIO,
 *                      BAR1 = IOADDR/IODATA ports, a 93C46 EEPROM (read by
 *                      bit-banging EECD or through EERD) with the MAC and
 *                      checksum, RX/TX descriptor rings, ICR/ICS/IMS/IMC,
 *                      an M88E1011 PHY behind MDIC, STATUS.LU.
 *
 * Written for kpiport from the datasheets' register descriptions (Realtek
 * RTL8139C(L) datasheet 1.4; Intel PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual, 8254x, rev 4.0); no code from
 * Linux or QEMU.  Both models run their asynchronous side (transmit,
 * receive, level-triggered interrupt line) in the sim poll hook, i.e. at
 * every kpi_host_wait, and keep their wire here: the test injects frames to
 * receive and pops frames the device sent.
 *
 * libc-side (the models use libc); sim.h is all they need from the host. */
#ifndef SM_MODELS_H
#define SM_MODELS_H

#include "sim.h"

struct sm_nic;

#define SM_FRAME_MAX 2048 /* biggest frame on the wire (no jumbo frames) */

struct sm_nic *sm_rtl8139_create(const kpi_u8 mac[6]);
struct sm_nic *sm_e1000_create(const kpi_u8 mac[6]);

struct sim_dev *sm_nic_dev(const struct sm_nic *nic);
const char *sm_nic_name(const struct sm_nic *nic);
/* The MAC address the model's EEPROM holds. */
const kpi_u8 *sm_nic_mac(const struct sm_nic *nic);

/* ---- the wire ------------------------------------------------------------ */

/* A frame arriving from the wire (without FCS: the model appends it where
 * the hardware would).  Queued until the receiver takes it; 0 or
 * -KPI_ENOSPC when the wire queue is full. */
int sm_wire_inject(struct sm_nic *nic, const void *frame, kpi_size len);
/* The next frame the device transmitted, as it went on the wire minus the
 * FCS the hardware appended: its length, 0 if none. */
int sm_wire_pop(struct sm_nic *nic, void *buf, kpi_size cap);
int sm_wire_rx_waiting(const struct sm_nic *nic); /* injected, not yet received */

/* SM_WIRE_FLOW (default): a frame that does not fit into the receive ring
 * waits on the wire until the driver frees room (802.3x flow control: the
 * link partner pauses).  SM_WIRE_DROP: it is lost as on a real overrun
 * (counted, RTL8139 RxOverflow / e1000 RXO and MPC). */
#define SM_WIRE_FLOW 0
#define SM_WIRE_DROP 1
void sm_wire_mode(struct sm_nic *nic, int mode);

/* Cable plugged (1) or not (0): PHY status, MAC link status, a link-change
 * interrupt.  Starts plugged. */
void sm_link(struct sm_nic *nic, int up);
/* A transmitter that stops taking descriptors (paused by the link
 * partner); frames queue in the device until unpaused. */
void sm_tx_pause(struct sm_nic *nic, int paused);

struct sm_stats {
	unsigned tx_frames;   /* put on the wire */
	unsigned rx_frames;   /* written into the receive ring */
	unsigned rx_overrun;  /* lost: no room (SM_WIRE_DROP) */
	unsigned rx_filtered; /* not for us by the address filter */
	unsigned rx_disabled; /* arrived while the receiver was off */
	unsigned irq_raised;  /* interrupt line asserted (sim_irq_raise calls) */
	unsigned resets;      /* software resets of the chip */
	unsigned ee_reads;    /* EEPROM words read (bit-banged or EERD) */
	unsigned phy_reads;   /* MII management reads */
	unsigned bad_dma;     /* descriptors/buffers outside DMA memory */
};
void sm_nic_stats(const struct sm_nic *nic, struct sm_stats *out);

/* Log every register access of every model to stderr (debugging a port). */
void sm_trace(int on);

/* The driver brought the device up: receiver and transmitter enabled and
 * some interrupt unmasked.  And down: all of that off again. */
int sm_nic_running(const struct sm_nic *nic);

#endif
