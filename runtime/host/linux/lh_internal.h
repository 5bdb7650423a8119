/* lh_internal.h: state and helpers shared by the Linux userspace backend's
 * modules (host, pci, irq, dma, net).  Only the .c files here and their
 * unit tests include it.  Prefix: lh_. */
#ifndef LH_INTERNAL_H
#define LH_INTERNAL_H

#include "kpi_host.h"

#include <stddef.h>

#define LH_MAX_FUNCS 32
#define LH_NBARS 7 /* 0..5 + expansion ROM */
#define LH_MAX_NETIFS 8

/* One PCI function this process may drive (selected by --pci= or all). */
struct lh_func {
	char name[32]; /* "SSSS:BB:DD.F" */
	struct kpi_pci_info info;
	struct kpi_pci_bar bars[LH_NBARS];
	int claimed;
	int cfg_fd; /* sysfs config, flock'ed while claimed */
	int uio_fd; /* /dev/uioN, -1 until irq_enable */
	int uio_num;
	int irq_enabled, irq_watched, irq_unacked;
	void *irq_cookie;
	kpi_u32 irq_count; /* last count read from /dev/uioN */
	void *map_addr[LH_NBARS]; /* page-aligned mmap of resourceN */
	size_t map_len[LH_NBARS];
	int pio_fd[LH_NBARS];
};

extern struct lh_func lh_funcs[LH_MAX_FUNCS];
extern int lh_nfuncs;

/* epoll data tags: kind in the high 32 bits, handle in the low. */
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
int lh_irq_event(int handle, struct kpi_host_event *ev);
int lh_net_event(int netif, struct kpi_host_event *ev);
int lh_sig_event(struct kpi_host_event *ev); /* signalfd (kpi_host_signal_watch) */

/* Physical address of the byte at virt via /proc/self/pagemap (the page
 * must be resident; root needed for non-zero PFNs).  Also used by tests. */
int lh_pagemap_phys(const void *virt, kpi_u64 *phys);

#endif
