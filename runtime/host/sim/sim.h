/* sim.h: the test-side API of the sim host backend.  Tests and device
 * models create simulated PCI functions here, then drive the runtime through
 * kpi_host.h as a real driver would.  Everything is single-threaded: models
 * react to register accesses (callbacks) and to each kpi_host_wait (poll).
 * libc-free like kpi_host.h so lx-side tests could include it too. */
#ifndef KPI_SIM_H
#define KPI_SIM_H

#include "kpi_host.h"

struct sim_dev;

struct sim_pci_id {
	kpi_u16 vendor, device;
	kpi_u16 subvendor, subdevice;
	kpi_u32 class_code; /* class << 16 | subclass << 8 | prog-if */
	kpi_u8 revision;
	kpi_u8 irq_pin; /* 0: no legacy interrupt, 1..4 INTA..INTD */
};

/* Register callbacks of a BAR; off is relative to the BAR start.  A BAR
 * without ops is plain memory (MMIO) or a plain register file (I/O). */
struct sim_bar_ops {
	kpi_u64 (*read)(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width);
	void (*write)(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value);
};

/* Add a PCI function; its index for kpi_host_pci_info is the creation order
 * (sim_dev_index).  Returns 0 if out of memory or too many functions. */
struct sim_dev *sim_dev_create(const struct sim_pci_id *id);
int sim_dev_index(const struct sim_dev *dev);
void sim_dev_set_priv(struct sim_dev *dev, void *priv);
void *sim_dev_priv(const struct sim_dev *dev);

/* BARs: size is a power of two (>= 16 for I/O, >= 4096 for memory).  The
 * sim assigns fake bus addresses / port numbers and writes the BAR registers
 * of config space (which answer the all-ones sizing protocol). */
int sim_dev_add_mem_bar(struct sim_dev *dev, int bar, kpi_u64 size, int is64, const struct sim_bar_ops *ops);
int sim_dev_add_io_bar(struct sim_dev *dev, int bar, kpi_u32 size, const struct sim_bar_ops *ops);
/* The BAR's backing bytes: what the driver sees (plain BARs) or scratch for
 * the model (BARs with ops). */
void *sim_dev_bar_mem(struct sim_dev *dev, int bar);

/* Memory BARs with callbacks are mapped for the driver (kpi_host_pci_map_bar)
 * as inaccessible pages: every load or store there - lx's accessors,
 * readl/writel inlines, plain pointer accesses - faults, and a SIGSEGV
 * handler decodes the x86-64 instruction (mov, movzx/movsx, mov of an
 * immediate), runs the callback and resumes, as a hypervisor traps MMIO.
 * kpi_host_init installs the handler, chaining to the fatal-signal handler
 * for every other fault; code that installs a SIGSEGV handler later (the
 * emulated Redox, for its daemon) calls this again to stay first. */
void sim_mmio_trap_install(void);

/* Raw config space (4096 bytes); the model may edit it freely. */
kpi_u8 *sim_dev_config(struct sim_dev *dev);

/* Advertise MSI (up to msi_vectors) and MSI-X (up to msix_vectors); 0
 * disables.  Adds the capability structures to config space. */
int sim_dev_set_irq_caps(struct sim_dev *dev, int msi_vectors, int msix_vectors);

/* Called at the start of every kpi_host_wait: the model's asynchronous side
 * (process rings, raise interrupts). */
void sim_dev_set_poll(struct sim_dev *dev, void (*poll)(struct sim_dev *dev));

/* ---- interrupts ---------------------------------------------------------- */

/* Raise vector index (0 for legacy).  Coalesces until reported; reported
 * only once enabled, watched and acked since the last report. */
void sim_irq_raise(struct sim_dev *dev, int index);
struct sim_irq_stats {
	kpi_u32 raised, reported, acked;
	int pending, masked;
	int type, nvec; /* what kpi_host_irq_enable set up, 0 if none */
};
void sim_irq_stats(const struct sim_dev *dev, int index, struct sim_irq_stats *out);

/* ---- fault injection ------------------------------------------------------ */

/* Surprise removal: config, MMIO (trapped BARs) and port reads return
 * all-ones, writes are dropped, plain memory BARs are filled with 0xff. */
void sim_fault_removed(struct sim_dev *dev, int removed);
/* The next count kpi_host_dma_alloc calls fail with -KPI_ENOMEM. */
void sim_fault_dma_fail(int count);
/* Interrupt storm: each of the next count acks of the vector re-raises it
 * at once (a stuck level-triggered line); -1 forever. */
void sim_fault_irq_storm(struct sim_dev *dev, int index, int count);

/* ---- DMA ------------------------------------------------------------------- */

/* The model's view of bus memory: a pointer to len bytes at bus, or 0 if
 * the range is not inside one live DMA allocation. */
void *sim_dma_to_virt(kpi_u64 bus, kpi_size len);
int sim_dma_live(void); /* live allocations (leak checks) */

/* ---- clock ----------------------------------------------------------------- */

/* Virtual clock: kpi_host_now_ns is a counter that kpi_host_wait jumps to
 * the deadline when no event is ready, so timer tests are instant and
 * deterministic.  Default: real CLOCK_MONOTONIC. */
void sim_clock_virtual(int on);
void sim_clock_advance(kpi_u64 ns);
/* Each read of the virtual clock moves it on by ns (default 0: it stands
 * still between waits), so a driver's busy-wait (udelay, a polling loop
 * with a timeout) ends - a CPU that spends ns per clock read. */
void sim_clock_tick(kpi_u64 ns);

/* ---- firmware, network, observation ------------------------------ */

int sim_firmware_add(const char *name, const void *data, kpi_size len);

/* Frames from the OS to the driver (returned by kpi_host_net_take). */
int sim_net_inject(int netif, const void *frame, kpi_size len);
/* Frames the driver delivered up (kpi_host_net_deliver): length or 0. */
int sim_net_pop(int netif, void *buf, kpi_size cap);
const kpi_u8 *sim_net_mac(int netif);
int sim_net_link(int netif); /* last kpi_host_net_link state */

/* Signals: kpi_host_signal_watch is implemented (terminating signals ->
 * KPI_SIG_TERM once, then a forced exit; SIGUSR1 -> KPI_SIG_PANIC), but
 * by default a watched signal does not keep an idle wait waiting: a wait
 * with KPI_FOREVER and nothing pending still returns -KPI_EDEADLK, so tests
 * end by themselves.  sim_signal_wait(1) makes it wait for a signal, as
 * the real backends do (a daemon under test that is stopped by signals). */
void sim_signal_wait(int on);

int sim_log_count(int level); /* messages logged at level */
const char *sim_log_last(void);
void sim_log_echo(int on); /* echo every message to stderr (default: <= WARNING) */
int sim_ready_count(void);

/* Forget every device, allocation, netif, blob and counter. */
void sim_reset(void);

#endif
