/* lh_internal.h: state and helpers shared by the Linux userspace backend's
 * modules (host, pci, vfio, irq, dma, net).  Only the .c files here and
 * their unit tests include it.  Prefix: lh_. */
#ifndef LH_INTERNAL_H
#define LH_INTERNAL_H

#include "kpi_host.h"

#include <stddef.h>

#define LH_MAX_FUNCS 32
#define LH_NBARS 7 /* 0..5 + expansion ROM */
#define LH_MAX_NETIFS 8
#define LH_MAX_VEC 32 /* vectors a function may enable (lx's LX_IRQ_PER_DEV) */

/* Which kernel driver gives us the function (kpi_host_pci_open). */
enum lh_bind { LH_BIND_AUTO, LH_BIND_UIO, LH_BIND_VFIO };
extern enum lh_bind lh_bind_mode; /* --pci-bind= / KPI_PCI_BIND */

/* One interrupt vector: /dev/uioN (uio INTx) or an eventfd (vfio).  The
 * masking state machine (lh_irq.c): a vector is armed in epoll while it
 * is watched and not waiting for an ack; reporting disarms it, the ack
 * re-arms it, and level-triggered epoll reports it again at once if the
 * fd counted in between. */
struct lh_vec {
	int fd;
	void *cookie;	/* kpi_host_irq_watch's; 0: not watched */
	int in_epoll;	/* registered (armed or not) */
	int unacked;	/* reported, kpi_host_irq_ack not called yet */
	kpi_u64 count;	/* interrupts seen (uio: the kernel's count) */
};

/* One PCI function this process may drive (selected by --pci= or all). */
struct lh_func {
	char name[32]; /* "SSSS:BB:DD.F" */
	struct kpi_pci_info info;
	struct kpi_pci_bar bars[LH_NBARS];
	int claimed;
	int cfg_fd; /* sysfs config, flock'ed while claimed */
	int bind;   /* LH_BIND_UIO or LH_BIND_VFIO once claimed */
	int uio_num;
	/* vfio-pci (lh_vfio.c): -1 unless bound to it */
	int vfio_container, vfio_group, vfio_dev;
	int vfio_noiommu; /* group without an IOMMU (else type1: DMA mapped iova == phys) */
	int vfio_group_num;
	int irq_type; /* KPI_IRQ_* while enabled, else 0 */
	int nvec;
	struct lh_vec vec[LH_MAX_VEC];
	void *map_addr[LH_NBARS]; /* page-aligned mmap of resourceN (or of the vfio region) */
	size_t map_len[LH_NBARS];
	int pio_fd[LH_NBARS];
};

extern struct lh_func lh_funcs[LH_MAX_FUNCS];
extern int lh_nfuncs;

/* epoll data tags: kind in the high 32 bits, the id in the low (handle;
 * for IRQs handle | vector << 16). */
#define LH_TAG_IRQ 1u
#define LH_TAG_NET 2u
#define LH_TAG_SIG 3u
/* The process's epoll set.  add/mod/del keep a count so that a wait with
 * KPI_FOREVER and nothing registered fails (-KPI_EDEADLK) instead of hanging. */
int lh_epoll_add(int fd, kpi_u32 tag, int handle, kpi_u32 events);
int lh_epoll_mod(int fd, kpi_u32 tag, int handle, kpi_u32 events);
void lh_epoll_del(int fd);

/* Paths: KPI_SYSFS_ROOT (env) prefixes /sys/... and /dev/uioN so tests can
 * run against a fake tree.  Returns -KPI_EINVAL if the path does not fit. */
int lh_path(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Small text files: read (NUL-terminated, trailing newline kept) / write. */
int lh_read_text(const char *path, char *buf, size_t cap);
int lh_write_text(const char *path, const char *text);

void lh_logf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lh_neg_errno(int err); /* errno -> -KPI_E* */

/* PCI: option parsing and the claimed function behind a handle. */
int lh_pci_select(const char *spec); /* one --pci= value */
struct lh_func *lh_func_by_handle(int handle);
void lh_pci_reset(void);
/* Bus mastering (COMMAND bit 2) off on every claimed function, for fatal
 * signals and aborts: async-signal-safe (pread/pwrite on the config fds). */
void lh_pci_stop_dma(void);

/* IRQ and NET event collection for kpi_host_wait (one epoll event each). */
int lh_irq_event(kpi_u32 id, struct kpi_host_event *ev);
int lh_net_event(int netif, struct kpi_host_event *ev);
int lh_sig_event(struct kpi_host_event *ev); /* signalfd (kpi_host_signal_watch) */

/* The driver a function is bound to ("" if none); bind it to drv
 * (unbinding the current one first); both in lh_pci.c. */
void lh_driver_of(const char *name, char *out, size_t cap);
int lh_bind_driver(struct lh_func *f, const char *drv);

/* vfio-pci (lh_vfio.c).  lh_vfio_choose: should kpi_host_pci_open bind
 * vfio-pci (1) or uio_pci_generic (0)?  Negative: the choice the user
 * forced cannot work (the reason is logged). */
int lh_vfio_choose(struct lh_func *f);
/* Bind vfio-pci and open container, group and device (f->vfio_*). */
int lh_vfio_open(struct lh_func *f);
void lh_vfio_close(struct lh_func *f);
/* Vectors the device offers for an interrupt type (KPI_IRQ_*; 0: none). */
int lh_vfio_irq_count(struct lh_func *f, int type);
/* VFIO_DEVICE_SET_IRQS: eventfds fds[0..n) as the triggers of vectors
 * 0..n of type (n == 0: that type off).  0, -KPI_E*, or a positive count
 * the kernel offers instead when it cannot give n. */
int lh_vfio_irq_set(struct lh_func *f, int type, int n, const int *fds);
int lh_vfio_intx_unmask(struct lh_func *f);
/* mmap a BAR through the device fd (when sysfs resourceN cannot). */
int lh_vfio_map_bar(struct lh_func *f, int bar, void **addr, size_t *len);
/* A DMA pool page was added: map it (iova = its physical address) into
 * every IOMMU container, so bus address == physical address holds. */
int lh_vfio_dma_added(void *virt, kpi_u64 phys, size_t len);
/* The ioctl every vfio request goes through: the result (>= 0) or
 * -errno.  Tests replace it with a fake kernel. */
extern int (*lh_vfio_ioctl)(int fd, unsigned long request, void *arg);

/* DMA pool pages, for containers created after the pool grew: 0 and the
 * page's address, or -1 past the last one. */
int lh_dma_page(int i, void **virt, kpi_u64 *phys, size_t *len);

/* Physical address of the byte at virt via /proc/self/pagemap (the page
 * must be resident; root needed for non-zero PFNs).  Also used by tests. */
int lh_pagemap_phys(const void *virt, kpi_u64 *phys);

#endif
