/* lh_irq.c: legacy interrupts through uio_pci_generic.  The kernel masks
 * INTx (COMMAND bit 10) when the line fires and bumps the /dev/uioN count;
 * kpi_host_wait reads the count and reports KPI_EV_IRQ; kpi_host_irq_ack
 * clears bit 10 again (uio_pci_generic has no irqcontrol, so writing to
 * /dev/uioN is not the way).  MSI/MSI-X: -KPI_ENOTSUP. */
#define _GNU_SOURCE
#include "lh_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define LH_CMD_INTX_DISABLE 0x400u

/* Set or clear COMMAND's INTx-disable bit (only the 16-bit command word is
 * written, so the RW1C status bits next to it are never touched). */
static int lh_intx_mask(int handle, int masked)
{
	kpi_u32 cmd;
	int rc = kpi_host_pci_cfg_read(handle, 0x04, 2, &cmd);
	if (rc < 0)
		return rc;
	kpi_u32 want = masked ? cmd | LH_CMD_INTX_DISABLE : cmd & ~LH_CMD_INTX_DISABLE;
	return want == cmd ? 0 : kpi_host_pci_cfg_write(handle, 0x04, 2, want);
}

int kpi_host_irq_enable(int handle, int type, int nvec)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (type != KPI_IRQ_LEGACY || nvec < 1)
		return -KPI_ENOTSUP; /* uio_pci_generic: INTx only */
	if (!f->info.irq_pin)
		return -KPI_ENOTSUP;
	if (f->irq_enabled)
		return 1;
	char path[PATH_MAX];
	lh_path(path, sizeof(path), "/dev/uio%d", f->uio_num);
	f->uio_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (f->uio_fd < 0) {
		int rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s: %s", f->name, path, strerror(errno));
		return rc;
	}
	f->irq_enabled = 1;
	f->irq_unacked = 0;
	f->irq_count = 0;
	int rc = lh_intx_mask(handle, 0); /* a previous user may have left it masked */
	if (rc < 0) {
		kpi_host_irq_disable(handle);
		return rc;
	}
	return 1;
}

void kpi_host_irq_disable(int handle)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f || !f->irq_enabled)
		return;
	if (f->irq_watched)
		lh_epoll_del(f->uio_fd);
	lh_intx_mask(handle, 1); /* keep a still-asserted line quiet */
	close(f->uio_fd);
	f->uio_fd = -1;
	f->irq_enabled = f->irq_watched = f->irq_unacked = 0;
	f->irq_cookie = 0;
}

int kpi_host_irq_watch(int handle, int index, void *cookie)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (!f->irq_enabled || index != 0)
		return -KPI_EINVAL;
	f->irq_cookie = cookie;
	if (cookie && !f->irq_watched) {
		int rc = lh_epoll_add(f->uio_fd, LH_TAG_IRQ, handle, EPOLLIN);
		if (rc < 0)
			return rc;
		f->irq_watched = 1;
	} else if (!cookie && f->irq_watched) {
		lh_epoll_del(f->uio_fd);
		f->irq_watched = 0;
	}
	return 0;
}

int lh_irq_event(int handle, struct kpi_host_event *ev)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f || !f->irq_enabled)
		return 0;
	kpi_u32 count;
	ssize_t n = read(f->uio_fd, &count, sizeof(count));
	if (n != (ssize_t)sizeof(count))
		return 0; /* EAGAIN: spurious wakeup */
	f->irq_count = count;
	if (f->irq_unacked || !f->irq_cookie)
		return 0; /* masked until acked: coalesce */
	f->irq_unacked = 1;
	memset(ev, 0, sizeof(*ev));
	ev->kind = KPI_EV_IRQ;
	ev->handle = handle;
	ev->index = 0;
	ev->cookie = f->irq_cookie;
	return 1;
}

int kpi_host_irq_ack(int handle, int index)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (!f->irq_enabled || index != 0 || !f->irq_unacked)
		return -KPI_EINVAL;
	f->irq_unacked = 0;
	return lh_intx_mask(handle, 0);
}
