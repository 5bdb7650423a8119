/* re_event.c: the emulated event scheme (kernel src/scheme/event.rs and
 * src/event.rs at 663e664), the time scheme (src/scheme/time.rs), and the
 * loop that runs the emulated world while the daemon blocks in an event
 * read: the backing's kpi_host_wait (IRQs, TAP frames, device models),
 * timers, real fds in the queue (polled), and the netstack client.
 *
 * Subscriptions follow the kernel: writing {id, flags, data} registers
 * (flags 0 removes), then the file's fevent() is asked at once and what it
 * reports is posted (irq and time report nothing: no event at
 * registration).  Triggers queue one record per subscription; a blocking
 * read with a timeout record set (RX_EVENT_TIMEOUT_ID, relibc epoll_pwait)
 * returns a record with that id when the time runs out. */
#define _GNU_SOURCE
#include "re_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RE_MAX_SUBS 64
#define RE_QMAX 4096
#define RE_SLICE_NS 10000000ull /* linux backing: how often real fds are polled during a wait */

struct re_sub {
	long fd;
	rx_size id, flags, data;
	int was_ready; /* real fds: readiness seen last time (edge detection) */
};

struct re_queue {
	struct re_handle *h;
	struct rx_event ev[RE_QMAX];
	size_t head, n;
	struct re_sub subs[RE_MAX_SUBS];
	int nsubs;
	int has_timeout;
	rx_size timeout_ms;
};

static struct re_queue *queues[RE_MAX_QUEUES];

long re_event_open(rx_u32 flags)
{
	for (int i = 0; i < RE_MAX_QUEUES; i++) {
		if (queues[i])
			continue;
		struct re_queue *q = calloc(1, sizeof(*q));
		struct re_handle *h = q ? re_handle_new(RE_K_EVENT, flags) : 0;
		if (!h) {
			free(q);
			return -RX_ENOMEM;
		}
		q->h = h;
		h->queue = q;
		queues[i] = q;
		return h->fd;
	}
	return -RX_ENOMEM;
}

void re_event_close_queue(struct re_handle *h)
{
	for (int i = 0; i < RE_MAX_QUEUES; i++)
		if (queues[i] == h->queue) {
			free(queues[i]);
			queues[i] = 0;
		}
}

static void push(struct re_queue *q, rx_size id, rx_size flags, rx_size data)
{
	if (q->n == RE_QMAX) {
		re_log("event: queue %d full (%d records unread): dropping", q->h->fd, RE_QMAX);
		return;
	}
	q->ev[(q->head + q->n++) % RE_QMAX] = (struct rx_event){id, flags, data};
}

void re_trigger(long fd, rx_size flags)
{
	for (int i = 0; i < RE_MAX_QUEUES; i++) {
		struct re_queue *q = queues[i];
		for (int s = 0; q && s < q->nsubs; s++)
			if (q->subs[s].fd == fd && (q->subs[s].flags & flags))
				push(q, q->subs[s].id, q->subs[s].flags & flags, q->subs[s].data);
	}
}

void re_event_forget(long fd)
{
	for (int i = 0; i < RE_MAX_QUEUES; i++) {
		struct re_queue *q = queues[i];
		for (int s = 0; q && s < q->nsubs;)
			if (q->subs[s].fd == fd)
				q->subs[s] = q->subs[--q->nsubs];
			else
				s++;
	}
}

static rx_size real_ready(long fd, rx_size want)
{
	struct pollfd p = {(int)fd, (short)((want & RX_EVENT_READ ? POLLIN : 0) | (want & RX_EVENT_WRITE ? POLLOUT : 0)), 0};
	if (poll(&p, 1, 0) <= 0)
		return 0;
	return (p.revents & (POLLIN | POLLHUP) ? RX_EVENT_READ : 0) | (p.revents & POLLOUT ? RX_EVENT_WRITE : 0);
}

/* What the file's fevent() reports at registration. */
static rx_size fevent(long fd, rx_size want)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h)
		return real_ready(fd, want) & want;
	switch (h->kind) {
	case RE_K_EVENT: return ((h->queue->n ? RX_EVENT_READ : 0) | RX_EVENT_WRITE) & want;
	case RE_K_SOCKET: return (re_sock_pending(h) ? RX_EVENT_READ : 0) & want;
	default: return 0; /* irq.rs, time.rs: EventFlags::empty() */
	}
}

long re_event_write(struct re_handle *h, const void *buf, size_t len)
{
	struct re_queue *q = h->queue;
	size_t done = 0;
	for (; len - done >= sizeof(struct rx_event); done += sizeof(struct rx_event)) {
		struct rx_event e;
		memcpy(&e, (const char *)buf + done, sizeof(e));
		if (e.id == RX_EVENT_TIMEOUT_ID) {
			q->has_timeout = e.flags != 0;
			q->timeout_ms = e.data;
			continue;
		}
		long fd = (long)e.id;
		if (fd == h->fd || (!re_handle_get(fd) && (fd >= RE_FD_BASE || fcntl((int)fd, F_GETFD) < 0)))
			return -RX_EBADF;
		int s;
		for (s = 0; s < q->nsubs && q->subs[s].id != e.id; s++) {
		}
		if (!e.flags) {
			if (s < q->nsubs)
				q->subs[s] = q->subs[--q->nsubs];
			continue;
		}
		if (s == q->nsubs) {
			if (q->nsubs == RE_MAX_SUBS)
				return -RX_ENOSPC;
			q->nsubs++;
		}
		q->subs[s] = (struct re_sub){fd, e.id, e.flags, e.data, 0};
		rx_size ready = fevent(fd, e.flags);
		if (!re_handle_get(fd))
			q->subs[s].was_ready = (ready & RX_EVENT_READ) != 0;
		if (ready)
			re_trigger(fd, ready);
	}
	return (long)done;
}

static int queue_nonempty(void *arg)
{
	return ((struct re_queue *)arg)->n != 0;
}

long re_event_read(struct re_handle *h, void *buf, size_t len)
{
	struct re_queue *q = h->queue;
	size_t max = len / sizeof(struct rx_event);
	if (!max)
		return -RX_EINVAL;
	int block = !(h->oflags & RX_O_NONBLOCK);
	int timed = block && q->has_timeout;
	rx_size ms = q->timeout_ms;
	if (timed)
		q->has_timeout = 0; /* timeout_opt.take(): one read only */
	rx_u64 now = re_now();
	rx_u64 deadline = !block || (timed && ms == 0) ? now : timed ? now + (rx_u64)ms * 1000000ull : ~0ull;
	int rc = re_world_run(deadline, queue_nonempty, q);
	if (!q->n) {
		if (timed) {
			struct rx_event t = {RX_EVENT_TIMEOUT_ID, RX_EVENT_READ, ms};
			memcpy(buf, &t, sizeof(t));
			return sizeof(t);
		}
		if (!block)
			return -RX_EAGAIN;
		return rc < 0 ? rc : -RX_EINTR;
	}
	size_t n = q->n < max ? q->n : max;
	for (size_t i = 0; i < n; i++)
		memcpy((char *)buf + i * sizeof(struct rx_event), &q->ev[(q->head + i) % RE_QMAX], sizeof(struct rx_event));
	q->head = (q->head + n) % RE_QMAX;
	q->n -= n;
	return (long)(n * sizeof(struct rx_event));
}

/* ---- time scheme --------------------------------------------------------------------- */

/* /scheme/time/<clock>: [S] flag.rs CLOCK_*; TimeSpec {i64 sec; i32 nsec}
 * (repr(C), 16 bytes) per read/write chunk ([S] data.rs, [K] time.rs). */
#define RE_CLOCK_REALTIME 1
#define RE_CLOCK_MONOTONIC 4
struct re_timespec {
	long long tv_sec;
	int tv_nsec;
	int pad_;
};

enum { RE_TIME_DEFAULT, RE_TIME_GETTIME, RE_TIME_GETRES, RE_TIME_TIMER };

static rx_u64 clock_ns(int clock)
{
	if (clock == RE_CLOCK_MONOTONIC)
		return re_now();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (rx_u64)ts.tv_sec * 1000000000ull + (rx_u64)ts.tv_nsec;
}

long re_time_open(const char *rest, rx_u32 flags)
{
	char *end;
	long clock = strtol(rest, &end, 10);
	if (end == rest || (*end && *end != '/'))
		return -RX_ENOENT;
	const char *kind = *end ? end + 1 : "";
	int k;
	if (!*kind)
		k = RE_TIME_DEFAULT;
	else if (!strcmp(kind, "gettime"))
		k = RE_TIME_GETTIME;
	else if (!strcmp(kind, "getres"))
		k = RE_TIME_GETRES;
	else if (!strcmp(kind, "timer"))
		k = RE_TIME_TIMER;
	else
		return -RX_ENOENT;
	if (clock != RE_CLOCK_MONOTONIC && clock != RE_CLOCK_REALTIME)
		return -RX_ENOENT;
	struct re_handle *h = re_handle_new(RE_K_TIME, flags);
	if (!h)
		return -RX_ENOMEM;
	h->clock = (int)clock;
	h->memty = k; /* reused: the time handle kind */
	return h->fd;
}

long re_time_read(struct re_handle *h, void *buf, size_t len)
{
	size_t done = 0;
	for (; len - done >= sizeof(struct re_timespec); done += sizeof(struct re_timespec)) {
		rx_u64 ns;
		if (h->memty == RE_TIME_DEFAULT || h->memty == RE_TIME_GETTIME)
			ns = clock_ns(h->clock);
		else if (h->memty == RE_TIME_GETRES)
			ns = 1;
		else
			return -RX_EINVAL;
		struct re_timespec t = {(long long)(ns / 1000000000ull), (int)(ns % 1000000000ull), 0};
		memcpy((char *)buf + done, &t, sizeof(t));
	}
	return (long)done;
}

long re_time_write(struct re_handle *h, const void *buf, size_t len)
{
	size_t done = 0;
	for (; len - done >= sizeof(struct re_timespec); done += sizeof(struct re_timespec)) {
		if (h->memty != RE_TIME_DEFAULT && h->memty != RE_TIME_TIMER)
			return -RX_EINVAL;
		struct re_timespec t;
		memcpy(&t, (const char *)buf + done, sizeof(t));
		rx_u64 at = (rx_u64)t.tv_sec * 1000000000ull + (rx_u64)t.tv_nsec;
		rx_u64 now = clock_ns(h->clock), mono = re_now();
		/* timeout::register: EVENT_READ on this fd when the clock reaches it */
		h->timer_ns = at > now ? mono + (at - now) : mono;
		if (!h->timer_ns)
			h->timer_ns = 1;
	}
	return (long)done;
}

/* ---- the world ---------------------------------------------------------------------- */

static rx_u64 poll_sources(void)
{
	rx_u64 next = ~0ull, now = re_now();
	re_irq_poll_masked();
	for (int s = 0; s < RE_MAX_FDS; s++) {
		struct re_handle *h = re_handle_at(s);
		if (!h || h->kind != RE_K_TIME || !h->timer_ns)
			continue;
		if (now >= h->timer_ns) {
			h->timer_ns = 0;
			re_trigger(h->fd, RX_EVENT_READ);
		} else if (h->timer_ns < next) {
			next = h->timer_ns;
		}
	}
	for (int i = 0; i < RE_MAX_QUEUES; i++) {
		struct re_queue *q = queues[i];
		for (int s = 0; q && s < q->nsubs; s++) {
			struct re_sub *sub = &q->subs[s];
			if (re_handle_get(sub->fd))
				continue;
			int ready = (real_ready(sub->fd, RX_EVENT_READ) & RX_EVENT_READ) != 0;
			if (ready && !sub->was_ready && (sub->flags & RX_EVENT_READ))
				push(q, sub->id, RX_EVENT_READ, sub->data); /* a pipe write posts READ */
			sub->was_ready = ready;
		}
	}
	re_net_timers();
	rx_u64 n = re_net_deadline();
	return n < next ? n : next;
}

static int real_fds_watched(void)
{
	for (int i = 0; i < RE_MAX_QUEUES; i++)
		for (int s = 0; queues[i] && s < queues[i]->nsubs; s++)
			if (!re_handle_get(queues[i]->subs[s].fd))
				return 1;
	return 0;
}

int re_world_run(rx_u64 deadline, int (*done)(void *), void *arg)
{
	for (int first = 1;; first = 0) {
		rx_u64 next = poll_sources();
		if (done && done(arg))
			return 0;
		rx_u64 now = re_now();
		if (!first && now >= deadline)
			return 0;
		rx_u64 until = deadline < next ? deadline : next;
		if (!re_w.is_sim && real_fds_watched() && (until == ~0ull || until > now + RE_SLICE_NS))
			until = now + RE_SLICE_NS;
		struct kpi_host_event evs[16];
		int n = kpb_host_wait(until == ~0ull ? KPI_FOREVER : until, evs, 16);
		if (n == -KPI_EDEADLK) {
			poll_sources();
			if (done && done(arg))
				return 0;
			re_log("event: the read would block forever: nothing watched can ever fire");
			return -RX_EDEADLK;
		}
		if (n < 0) {
			re_log("event: backing wait failed (%d)", n);
			return -RX_EIO;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].kind == KPI_EV_IRQ)
				re_irq_event(&evs[i]);
			else if (evs[i].kind == KPI_EV_NET)
				re_net_backing_event();
		}
	}
}

void re_run_for(unsigned ms)
{
	re_world_run(re_now() + (rx_u64)ms * 1000000ull, 0, 0);
}
