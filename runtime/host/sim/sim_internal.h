/* sim_internal.h: state shared by the sim backend's modules (pci, irq, dma,
 * net, host).  Only the .c files of runtime/host/sim include it. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include "sim.h"

#define SIM_MAX_DEVS 16
#define SIM_MAX_VEC 32
#define SIM_NBARS 7 /* 0..5 + expansion ROM */
#define SIM_CFG_SIZE 4096

struct sim_vec {
	kpi_u32 raised, reported, acked;
	int pending;  /* raised since the last report */
	int masked;   /* reported, not yet acked */
	int storm;    /* re-raise on the next acks: > 0 count, -1 forever */
	void *cookie; /* kpi_host_irq_watch */
};

struct sim_bar {
	int used;
	kpi_u64 addr, size;
	kpi_u32 flags; /* KPI_BAR_* */
	const struct sim_bar_ops *ops;
	void *mem;  /* backing bytes, page aligned */
	void *view; /* callback BARs: the driver's mapping, inaccessible pages (sim_mmio.c) */
	int mapped, pio_enabled;
};

struct sim_dev {
	int index;
	struct sim_pci_id id;
	kpi_u8 cfg[SIM_CFG_SIZE];
	struct sim_bar bars[SIM_NBARS];
	int claimed, removed;
	int msi_max, msix_max;
	int irq_type, nvec;
	struct sim_vec vec[SIM_MAX_VEC];
	void (*poll)(struct sim_dev *dev);
	void *priv;
};

extern struct sim_dev *sim_devs[SIM_MAX_DEVS];
extern int sim_ndevs;

struct sim_dev *sim_dev_by_handle(int handle); /* claimed device or 0 */
kpi_u64 sim_all_ones(kpi_u32 width);
void sim_logf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Event sources polled by kpi_host_wait; each returns events written. */
void sim_pci_poll_models(void);
int sim_irq_collect(struct kpi_host_event *evs, int max);
int sim_net_collect(struct kpi_host_event *evs, int max);

/* Signals (sim_signal.c): events from the self-pipe; whether an idle wait
 * waits for one (sim_signal_wait); sleep until a signal or the deadline
 * (1: a signal came); DMA stop for fatal signals. */
int sim_signal_collect(struct kpi_host_event *evs, int max);
int sim_signal_waitable(void);
int sim_signal_sleep(kpi_u64 deadline_ns);
void sim_signal_reset(void);
void sim_stop_dma(void);

/* MMIO trapping (sim_mmio.c): views of callback BARs, and the access the
 * fault handler emulates (sim_pci.c: 0 done, -1 not a mapped callback BAR). */
void *sim_mmio_view(kpi_u64 size);
void sim_mmio_view_free(void *view, kpi_u64 size);
int sim_mmio_is_view(const void *addr);
int sim_mmio_access(const void *addr, int write, kpi_u32 width, kpi_u64 *value);

void sim_pci_reset(void);
void sim_dma_reset(void);
void sim_net_reset(void);

#endif
