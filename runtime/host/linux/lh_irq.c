/* lh_irq.c: interrupts of a claimed function, from three sources behind
 * one masking state machine:
 *  - INTx through uio_pci_generic: /dev/uioN.  The kernel masks INTx
 *    (COMMAND bit 10) when the line fires and bumps the count; the ack
 *    clears bit 10 again (uio_pci_generic has no irqcontrol, so writing to
 *    /dev/uioN is not the way).  MSI/MSI-X: -KPI_ENOTSUP (lx falls back).
 *  - INTx through vfio-pci: an eventfd; vfio masks the line when it fires,
 *    the ack is VFIO_IRQ_SET_ACTION_UNMASK.
 *  - MSI and MSI-X through vfio-pci (lh_vfio.c): one eventfd per vector
 *    (VFIO_DEVICE_SET_IRQS); vector v is MSI-X table entry v, since vfio
 *    enables entries 0..n-1.
 * kpi_host_pci.h wants a reported vector masked until its ack, and vfio
 * has no per-vector mask for MSI/MSI-X.  So the mask is ours: reporting
 * drains the fd and disarms it in epoll (EPOLL_CTL_MOD to no events: it
 * stays registered, so kpi_host_wait's count of watched fds is
 * unchanged), the ack re-arms it, and since epoll is level-triggered an
 * fd that counted in the meantime is reported once more right away.  The
 * device keeps signalling into the eventfd while "masked"; nothing is
 * lost, interrupts only coalesce, as behind a real mask's pending bit. */
#define _GNU_SOURCE
#include "lh_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
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

static const char *lh_irq_name(int type)
{
	return type == KPI_IRQ_MSIX ? "MSI-X" : type == KPI_IRQ_MSI ? "MSI" : "INTx";
}

/* epoll id of vector v of handle (lh_internal.h: handle | vector << 16). */
static int lh_irq_id(int handle, int v)
{
	return handle | v << 16;
}

static void lh_close_fds(int *fds, int from, int to)
{
	for (int i = from; i < to; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}

static void lh_irq_on(struct lh_func *f, int type, int n, const int *fds)
{
	f->irq_type = type;
	f->nvec = n;
	for (int i = 0; i < n; i++)
		f->vec[i] = (struct lh_vec){.fd = fds[i]};
}

static int lh_legacy_uio(int handle, struct lh_func *f)
{
	char path[PATH_MAX];
	lh_path(path, sizeof(path), "/dev/uio%d", f->uio_num);
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s: %s", f->name, path, strerror(errno));
		return rc;
	}
	lh_irq_on(f, KPI_IRQ_LEGACY, 1, &fd);
	int rc = lh_intx_mask(handle, 0); /* a previous user may have left it masked */
	if (rc < 0) {
		kpi_host_irq_disable(handle);
		return rc;
	}
	return 1;
}

/* vfio: n eventfds for type, as many as the kernel gives (>= 1). */
static int lh_irq_vfio(struct lh_func *f, int type, int nvec)
{
	int avail = lh_vfio_irq_count(f, type);
	if (avail <= 0)
		return -KPI_ENOTSUP; /* no such capability (or no pin) */
	int n = nvec < avail ? nvec : avail;
	if (n > LH_MAX_VEC)
		n = LH_MAX_VEC;
	int fds[LH_MAX_VEC];
	for (int i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fds[i] < 0) {
			int rc = lh_neg_errno(errno);
			lh_close_fds(fds, 0, i);
			return rc;
		}
	}
	int rc;
	for (;;) {
		rc = lh_vfio_irq_set(f, type, n, fds);
		if (rc == 0)
			break;
		/* The kernel may offer fewer (a positive count), or refuse a block
		 * the platform cannot give (multiple-message MSI without interrupt
		 * remapping): ask for fewer, down to one. */
		int fewer = rc > 0 && rc < n ? rc : n / 2;
		if (fewer < 1) {
			lh_logf(KPI_LOG_ERR, "kpi linux: %s: vfio would not enable %s (%d)", f->name, lh_irq_name(type), rc);
			lh_close_fds(fds, 0, n);
			return rc < 0 ? rc : -KPI_EIO;
		}
		lh_close_fds(fds, fewer, n);
		n = fewer;
	}
	lh_irq_on(f, type, n, fds);
	lh_logf(KPI_LOG_INFO, "kpi linux: %s: %s on: %d vector(s) of %d asked (the device has %d) via vfio-pci", f->name,
	        lh_irq_name(type), n, nvec, avail);
	return n;
}

int kpi_host_irq_enable(int handle, int type, int nvec)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (type != KPI_IRQ_LEGACY && type != KPI_IRQ_MSI && type != KPI_IRQ_MSIX)
		return -KPI_EINVAL;
	if (nvec < 1)
		return -KPI_EINVAL;
	if (f->irq_type) /* one type at a time; the same again is a no-op */
		return f->irq_type == type ? f->nvec : -KPI_EBUSY;
	if (type == KPI_IRQ_LEGACY) {
		if (!f->info.irq_pin)
			return -KPI_ENOTSUP;
		return f->bind == LH_BIND_VFIO ? lh_irq_vfio(f, type, 1) : lh_legacy_uio(handle, f);
	}
	if (f->bind != LH_BIND_VFIO)
		return -KPI_ENOTSUP; /* uio_pci_generic: INTx only */
	return lh_irq_vfio(f, type, nvec);
}

void kpi_host_irq_disable(int handle)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f || !f->irq_type)
		return;
	char counts[160] = "";
	size_t used = 0;
	int busy = 0;
	for (int i = 0; i < f->nvec; i++) {
		struct lh_vec *v = &f->vec[i];
		if (v->in_epoll)
			lh_epoll_del(v->fd);
		busy += v->count != 0;
		int n = snprintf(counts + used, sizeof(counts) - used, " %llu", (unsigned long long)v->count);
		if (n > 0 && (size_t)n < sizeof(counts) - used)
			used += (size_t)n;
	}
	if (f->bind == LH_BIND_VFIO)
		lh_vfio_irq_set(f, f->irq_type, 0, 0); /* vectors freed, capability off */
	if (f->irq_type == KPI_IRQ_LEGACY)
		lh_intx_mask(handle, 1); /* keep a still-asserted line quiet */
	/* Which vectors carried interrupts: the e2e tests read this line
	 * ("interrupts on" only when at least one vector had some). */
	if (f->irq_type != KPI_IRQ_LEGACY && busy)
		lh_logf(KPI_LOG_INFO, "kpi linux: %s: %s off, interrupts on %d of %d vectors (per vector:%s)", f->name,
		        lh_irq_name(f->irq_type), busy, f->nvec, counts);
	else if (f->irq_type != KPI_IRQ_LEGACY)
		lh_logf(KPI_LOG_INFO, "kpi linux: %s: %s off, no interrupt on its %d vector(s)", f->name,
		        lh_irq_name(f->irq_type), f->nvec);
	for (int i = 0; i < f->nvec; i++) {
		close(f->vec[i].fd);
		f->vec[i] = (struct lh_vec){.fd = -1};
	}
	f->irq_type = 0;
	f->nvec = 0;
}

int kpi_host_irq_watch(int handle, int index, void *cookie)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (!f->irq_type || index < 0 || index >= f->nvec)
		return -KPI_EINVAL;
	struct lh_vec *v = &f->vec[index];
	if (cookie && !v->in_epoll) {
		/* armed unless a report still waits for its ack */
		int rc = lh_epoll_add(v->fd, LH_TAG_IRQ, lh_irq_id(handle, index), v->unacked ? 0 : EPOLLIN);
		if (rc < 0)
			return rc;
		v->in_epoll = 1;
	} else if (!cookie && v->in_epoll) {
		lh_epoll_del(v->fd);
		v->in_epoll = 0;
	}
	v->cookie = cookie;
	return 0;
}

int lh_irq_event(kpi_u32 id, struct kpi_host_event *ev)
{
	int handle = (int)(id & 0xffff), index = (int)(id >> 16);
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f || !f->irq_type || index >= f->nvec)
		return 0;
	struct lh_vec *v = &f->vec[index];
	if (f->bind == LH_BIND_VFIO) {
		kpi_u64 n;
		if (read(v->fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
			return 0; /* EAGAIN: spurious wakeup */
		v->count += n;
	} else {
		kpi_u32 count;
		if (read(v->fd, &count, sizeof(count)) != (ssize_t)sizeof(count))
			return 0;
		v->count = count; /* uio reports the running total */
	}
	if (v->unacked || !v->cookie)
		return 0; /* not armed: cannot happen, but never report twice */
	v->unacked = 1;
	lh_epoll_mod(v->fd, LH_TAG_IRQ, (int)id, 0); /* masked until the ack */
	memset(ev, 0, sizeof(*ev));
	ev->kind = KPI_EV_IRQ;
	ev->handle = handle;
	ev->index = index;
	ev->cookie = v->cookie;
	return 1;
}

int kpi_host_irq_ack(int handle, int index)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (!f->irq_type || index < 0 || index >= f->nvec || !f->vec[index].unacked)
		return -KPI_EINVAL;
	struct lh_vec *v = &f->vec[index];
	v->unacked = 0;
	int rc = 0;
	if (f->irq_type == KPI_IRQ_LEGACY)
		rc = f->bind == LH_BIND_VFIO ? lh_vfio_intx_unmask(f) : lh_intx_mask(handle, 0);
	if (v->in_epoll) {
		/* level-triggered: if the fd counted while masked, it is reported again */
		int erc = lh_epoll_mod(v->fd, LH_TAG_IRQ, lh_irq_id(handle, index), EPOLLIN);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}
