/* lh_net.c: network export through a TAP interface (/dev/net/tun,
 * IFF_TAP|IFF_NO_PI, non-blocking).  Frames the host stack sends become
 * net_take results; net_deliver writes received frames into the TAP.
 * KPI_EV_NET is edge-triggered as kpi_host.h says: after a report the fd
 * leaves the epoll interest set until a take finds the queue empty. */
#define _GNU_SOURCE
#include "lh_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The tun driver's ioctl ABI (stable since Linux 2.6), spelled out here
 * because host/ must not include Linux headers. */
#define LH_TUNSETIFF _IOW('T', 202, int)
#define LH_TUNSETCARRIER _IOW('T', 226, unsigned int)
#define LH_IFF_TAP 0x0002
#define LH_IFF_NO_PI 0x1000

static struct lh_netif {
	int fd; /* 0 = slot free (fds are stored +1) */
	int armed;
	void *cookie;
	char name[IFNAMSIZ];
	size_t staged; /* bytes of a frame read but not yet taken */
	unsigned char stage[65536 + 64];
} lh_netifs[LH_MAX_NETIFS];

static struct lh_netif *lh_netif(int netif)
{
	if (netif < 0 || netif >= LH_MAX_NETIFS || !lh_netifs[netif].fd)
		return 0;
	return &lh_netifs[netif];
}

int kpi_host_net_open(const char *name, const kpi_u8 mac[6], void *cookie)
{
	int slot = 0;
	while (slot < LH_MAX_NETIFS && lh_netifs[slot].fd)
		slot++;
	if (slot == LH_MAX_NETIFS)
		return -KPI_ENOSPC;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: /dev/net/tun: %s (modprobe tun; root or CAP_NET_ADMIN)",
		        strerror(errno));
		return rc;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = LH_IFF_TAP | LH_IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, LH_TUNSETIFF, &ifr) < 0) {
		int rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: TUNSETIFF %s: %s", name, strerror(errno));
		close(fd);
		return rc;
	}
	struct ifreq hw;
	memset(&hw, 0, sizeof(hw));
	snprintf(hw.ifr_name, sizeof(hw.ifr_name), "%s", ifr.ifr_name);
	hw.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(hw.ifr_hwaddr.sa_data, mac, 6);
	if (ioctl(fd, SIOCSIFHWADDR, &hw) < 0)
		lh_logf(KPI_LOG_WARNING, "kpi linux: %s: setting MAC: %s", ifr.ifr_name, strerror(errno));
	struct lh_netif *n = &lh_netifs[slot];
	n->fd = fd + 1;
	n->cookie = cookie;
	n->armed = 1;
	snprintf(n->name, sizeof(n->name), "%s", ifr.ifr_name);
	int rc = lh_epoll_add(fd, LH_TAG_NET, slot, EPOLLIN);
	if (rc < 0) {
		close(fd);
		n->fd = 0;
		return rc;
	}
	lh_logf(KPI_LOG_INFO, "kpi linux: netif %d is TAP %s", slot, n->name);
	return slot;
}

void kpi_host_net_close(int netif)
{
	struct lh_netif *n = lh_netif(netif);
	if (!n)
		return;
	lh_epoll_del(n->fd - 1);
	close(n->fd - 1);
	memset(n, 0, sizeof(*n));
}

int lh_net_event(int netif, struct kpi_host_event *ev)
{
	struct lh_netif *n = lh_netif(netif);
	if (!n || !n->armed)
		return 0;
	n->armed = 0; /* quiet until a take comes back empty */
	lh_epoll_mod(n->fd - 1, LH_TAG_NET, netif, 0);
	memset(ev, 0, sizeof(*ev));
	ev->kind = KPI_EV_NET;
	ev->handle = netif;
	ev->cookie = n->cookie;
	return 1;
}

int kpi_host_net_take(int netif, void *buf, kpi_size cap)
{
	struct lh_netif *n = lh_netif(netif);
	if (!n)
		return -KPI_EINVAL;
	/* A tun fd cannot peek: read into the staging buffer, and keep a frame
	 * that does not fit queued there for the next take. */
	if (!n->staged) {
		ssize_t got = read(n->fd - 1, n->stage, sizeof(n->stage));
		if (got < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return lh_neg_errno(errno);
			if (!n->armed) {
				n->armed = 1;
				lh_epoll_mod(n->fd - 1, LH_TAG_NET, netif, EPOLLIN);
			}
			return 0;
		}
		n->staged = (size_t)got;
	}
	if (n->staged > cap)
		return -KPI_ENOSPC;
	size_t got = n->staged;
	memcpy(buf, n->stage, got);
	n->staged = 0;
	return (int)got;
}

int kpi_host_net_deliver(int netif, const void *frame, kpi_size len)
{
	struct lh_netif *n = lh_netif(netif);
	if (!n)
		return -KPI_EINVAL;
	ssize_t put = write(n->fd - 1, frame, len);
	if (put < 0)
		return lh_neg_errno(errno);
	return 0;
}

void kpi_host_net_link(int netif, int up)
{
	struct lh_netif *n = lh_netif(netif);
	if (!n)
		return;
	unsigned int carrier = up ? 1 : 0;
	if (ioctl(n->fd - 1, LH_TUNSETCARRIER, &carrier) < 0)
		lh_logf(KPI_LOG_DEBUG, "kpi linux: %s: TUNSETCARRIER: %s", n->name, strerror(errno));
}
