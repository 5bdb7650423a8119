/* rx_irq.c: interrupts of the Redox backend - the legacy line, the
 * watch/report/ack cycle shared by every vector type, and the vector fds'
 * life.  MSI and MSI-X programming is in rx_msi.c.
 *
 * The irq scheme ([K] src/scheme/irq.rs): /scheme/irq/N (N < 16) is a
 * legacy line; a read does not block and returns the 8-byte trigger count
 * when it differs from the last ack, else 0; writing the count back acks
 * and unmasks the line, but only if it is still the current count - a
 * write that returns 0 means a newer interrupt is pending (no unmask).  The
 * event scheme reports an irq fd when it fires, never at subscription, so
 * a freshly watched fd is read once at the next wait (a count that changed
 * before, with the line masked since, would otherwise be lost).
 * kpi_host.h's contract follows: one report, one ack; a stale ack makes
 * the vector report again instead of failing. */
#include "rx_internal.h"

static int rx_legacy_enable(struct rx_func *f)
{
	char path[32];
	if (!f->cfg.has_legacy_irq || !f->info.irq_pin)
		return -KPI_ENOTSUP;
	if (f->cfg.legacy_irq >= 16) { /* the scheme has no such file (ENOENT) */
		rx_logf(KPI_LOG_ERR, "kpi redox: %s: legacy line %u has no /scheme/irq file (only 0..15)",
			f->info.name, f->cfg.legacy_irq);
		return -KPI_ENOTSUP;
	}
	if (f->kept_type == KPI_IRQ_LEGACY && f->nkept == 1) { /* after the sandbox: reuse */
		f->vec[0].fd = f->kept_fd[0];
		f->nkept = 0;
		f->kept_type = 0;
	} else {
		int rc = rx_may_open("request_irq (opening /scheme/irq)");
		if (rc < 0)
			return rc;
		snprintf(path, sizeof(path), "/scheme/irq/%u", f->cfg.legacy_irq);
		long fd = rx_open(path, RX_O_RDWR | RX_O_CLOEXEC);
		if (fd < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: %s: %s: error %ld", f->info.name, path, -fd);
			return rx_kerr(fd);
		}
		f->vec[0].fd = fd;
	}
	f->vec[0].number = f->cfg.legacy_irq;
	f->irq_type = KPI_IRQ_LEGACY;
	f->nvec = 1;
	return 1;
}

int kpi_host_irq_enable(int handle, int type, int nvec)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (nvec < 1)
		return -KPI_EINVAL;
	if (f->irq_type)
		return f->irq_type == type ? f->nvec : -KPI_EBUSY;
	for (int i = 0; i < RX_MAX_VEC; i++) {
		f->vec[i].watched = f->vec[i].check = f->vec[i].unacked = 0;
		f->vec[i].cookie = 0;
	}
	if (type == KPI_IRQ_LEGACY)
		return rx_legacy_enable(f);
	if (type == KPI_IRQ_MSI || type == KPI_IRQ_MSIX)
		return rx_msi_enable(f, type, nvec);
	return -KPI_EINVAL;
}

void kpi_host_irq_disable(int handle)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f || !f->irq_type)
		return;
	for (int i = 0; i < f->nvec; i++)
		if (f->vec[i].watched) {
			rx_ev_del(f->vec[i].fd);
			f->vec[i].watched = 0;
		}
	if (f->irq_type != KPI_IRQ_LEGACY)
		rx_msi_disable(f); /* capability enable bit off; pcid has no request for it */
	rx_irq_release_fds(f);
	f->irq_type = 0;
	f->nvec = 0;
}

void rx_irq_release_fds(struct rx_func *f)
{
	/* Once sandboxed no new irq file can be opened: keep the fds (and the
	 * reservations) so the driver's next ndo_open gets them back. */
	int keep = rx.sandboxed && f->nkept == 0;
	for (int i = 0; i < f->nvec; i++) {
		if (f->vec[i].fd < 0)
			continue;
		if (keep) {
			f->kept_fd[i] = f->vec[i].fd;
			f->kept_number[i] = f->vec[i].number;
		} else {
			rx_close(f->vec[i].fd);
		}
		f->vec[i].fd = -1;
	}
	if (keep) {
		f->kept_type = f->irq_type;
		f->nkept = f->nvec;
	}
}

int kpi_host_irq_watch(int handle, int index, void *cookie)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (!f->irq_type || index < 0 || index >= f->nvec)
		return -KPI_EINVAL;
	struct rx_vec *v = &f->vec[index];
	v->cookie = cookie;
	if (cookie && !v->watched) {
		int rc = rx_ev_add(v->fd, RX_TAG(RX_TAG_IRQ, handle, index));
		if (rc < 0)
			return rc;
		v->watched = 1;
		v->check = 1; /* no event at subscription: read once at the next wait */
	} else if (!cookie && v->watched) {
		rx_ev_del(v->fd);
		v->watched = 0;
	}
	return 0;
}

void rx_irq_fired(int handle, int index)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (f && f->irq_type && index >= 0 && index < f->nvec)
		f->vec[index].check = 1;
}

/* Read the counts of the vectors marked for a check; one event per vector
 * whose count changed and that is not waiting for its ack. */
int rx_irq_collect(struct kpi_host_event *ev, int max)
{
	struct rx_func *f = rx_func_by_handle(0);
	int n = 0;
	if (!f || !f->irq_type)
		return 0;
	for (int i = 0; i < f->nvec && n < max; i++) {
		struct rx_vec *v = &f->vec[i];
		if (!v->check)
			continue;
		v->check = 0;
		if (v->unacked || !v->cookie)
			continue; /* masked until acked; the ack looks again */
		rx_u8 buf[8] = {0};
		long got = rx_read(v->fd, buf, 8);
		if (got != 8)
			continue; /* 0: no change since the last ack */
		rx_u64 count = 0;
		for (int b = 0; b < 8; b++)
			count |= (rx_u64)buf[b] << (8 * b);
		v->count = count;
		v->unacked = 1;
		memset(&ev[n], 0, sizeof(ev[n]));
		ev[n].kind = KPI_EV_IRQ;
		ev[n].handle = 0;
		ev[n].index = (kpi_u32)i;
		ev[n].cookie = v->cookie;
		n++;
	}
	return n;
}

int kpi_host_irq_ack(int handle, int index)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (!f->irq_type || index < 0 || index >= f->nvec || !f->vec[index].unacked)
		return -KPI_EINVAL;
	struct rx_vec *v = &f->vec[index];
	rx_u8 buf[8];
	for (int b = 0; b < 8; b++)
		buf[b] = (rx_u8)(v->count >> (8 * b));
	v->unacked = 0;
	long put = rx_write(v->fd, buf, 8);
	if (put == 0) {
		v->check = 1; /* a newer interrupt came meanwhile: report it, still masked */
		return 0;
	}
	if (put < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: %s: acking irq %d: error %ld", f->info.name, v->number, -put);
		v->check = 1;
		return rx_kerr(put);
	}
	return 0;
}

void rx_irq_close_all(struct rx_func *f)
{
	kpi_host_irq_disable(0);
	for (int i = 0; i < f->nkept; i++)
		if (f->kept_fd[i] >= 0) {
			rx_close(f->kept_fd[i]);
			f->kept_fd[i] = -1;
		}
	f->nkept = 0;
}
