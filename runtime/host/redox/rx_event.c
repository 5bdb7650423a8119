/* rx_event.c: the Redox backend's event loop - one /scheme/event queue
 * holding the IRQ fds, the scheme sockets and the signal pipe, and
 * kpi_host_wait on it.
 *
 * The queue speaks struct rx_event records ([S] src/data.rs Event): a write
 * subscribes an fd with our tag, a blocking read returns the records of the
 * fds that fired.  Deadlines use the queue's own one-shot timeout record
 * (EVENT_TIMEOUT_ID), exactly what relibc's epoll_wait does ([R] src/
 * platform/redox/epoll.rs register_timeout; [K] src/event.rs): millisecond
 * granularity, rounded up so we never return before the deadline.
 *
 * A record only says "look at this source": the sources turn it into
 * kpi_host_events (rx_irq_collect, rx_net_collect, rx_display_collect, rx_sig_collect), and
 * they may also have events without a record (an IRQ fd just subscribed, a
 * stale ack, a frame written to the network scheme), so every wait first
 * collects, then blocks only if nothing is there. */
#include "rx_internal.h"

#define RX_RECS 16

static int rx_nwatched; /* subscribed fds: none and no deadline = nothing can come */

static int rx_ev_write(long fd, rx_size flags, rx_size tag)
{
	struct rx_event e = {(rx_size)fd, flags, tag};
	if (rx.evq < 0)
		return -KPI_ENODEV;
	long n = rx_write(rx.evq, &e, sizeof(e));
	if (n < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: event queue: subscribing fd %ld: error %ld", fd, -n);
		return rx_kerr(n);
	}
	return 0;
}

int rx_ev_add(long fd, rx_size tag)
{
	int rc = rx_ev_write(fd, RX_EVENT_READ, tag);
	if (rc == 0)
		rx_nwatched++;
	return rc;
}

void rx_ev_del(long fd)
{
	if (rx_ev_write(fd, 0, 0) == 0 && rx_nwatched > 0)
		rx_nwatched--;
}

static int rx_collect(struct kpi_host_event *ev, int max)
{
	int n = rx_sig_collect(ev, max);
	n += rx_irq_collect(ev + n, max - n);
	n += rx_net_collect(ev + n, max - n);
	n += rx_display_collect(ev + n, max - n);
	return n;
}

static void rx_dispatch(const struct rx_event *e)
{
	if (e->id == RX_EVENT_TIMEOUT_ID)
		return;
	rx_size tag = e->data;
	int kind = (int)(tag >> 48);
	int a = (int)(rx_u32)(tag >> 16), b = (int)(tag & 0xffff);
	if (kind == RX_TAG_IRQ)
		rx_irq_fired(a, b);
	else if (kind == RX_TAG_SCHEME)
		rx_net_scheme_fired(a);
	else if (kind == RX_TAG_SIG)
		rx_sig_fired();
	else if (kind == RX_TAG_DISPLAY)
		rx_display_fired(a);
}

int kpi_host_wait(kpi_u64 deadline_ns, struct kpi_host_event *events, int max)
{
	struct rx_event recs[RX_RECS];
	if (max <= 0)
		return -KPI_EINVAL;
	for (;;) {
		int n = rx_collect(events, max);
		if (n > 0)
			return n;
		if (deadline_ns == KPI_FOREVER && rx_nwatched == 0)
			return -KPI_EDEADLK; /* single-threaded: nothing can ever come */
		if (rx.evq < 0)
			return -KPI_ENODEV;
		if (deadline_ns != KPI_FOREVER) {
			kpi_u64 now = rx_now_ns();
			kpi_u64 left = deadline_ns > now ? deadline_ns - now : 0;
			kpi_u64 ms = (left + 999999) / 1000000;
			struct rx_event t = {RX_EVENT_TIMEOUT_ID, RX_EVENT_READ,
					     (rx_size)(ms > 0x7fffffff ? 0x7fffffff : ms)};
			long w = rx_write(rx.evq, &t, sizeof(t));
			if (w < 0)
				return rx_kerr(w);
		}
		long got = rx_read(rx.evq, recs, sizeof(recs));
		if (got == -RX_EINTR)
			continue; /* a signal: its byte is in the pipe, the next read reports it */
		if (got < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: reading the event queue: error %ld", -got);
			return rx_kerr(got);
		}
		for (long i = 0; i < got / (long)sizeof(recs[0]); i++)
			rx_dispatch(&recs[i]);
		n = rx_collect(events, max);
		if (n > 0)
			return n;
		if (deadline_ns != KPI_FOREVER && rx_now_ns() >= deadline_ns)
			return 0;
	}
}
