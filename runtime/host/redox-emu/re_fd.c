/* re_fd.c: the emulated Redox's file descriptor table and the rx_sys.h
 * entry points that route by fd or path.  Emulated scheme handles get
 * virtual fds from RE_FD_BASE up, so they never collide with the real
 * Linux fds that everything else uses (stderr, pipes, firmware files);
 * calls on real fds are passed to Linux with the Redox flags translated. */
#define _GNU_SOURCE
#include "re_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct re_handle *fds[RE_MAX_FDS];

struct re_handle *re_handle_new(int kind, rx_u32 oflags)
{
	for (int i = 0; i < RE_MAX_FDS; i++) {
		if (!fds[i]) {
			struct re_handle *h = calloc(1, sizeof(*h));
			if (!h)
				return 0;
			h->kind = kind;
			h->fd = RE_FD_BASE + i;
			h->oflags = oflags;
			h->irq = -1;
			fds[i] = h;
			return h;
		}
	}
	re_log("fd table full (%d virtual fds)", RE_MAX_FDS);
	return 0;
}

struct re_handle *re_handle_get(long fd)
{
	if (fd < RE_FD_BASE || fd >= RE_FD_BASE + RE_MAX_FDS)
		return 0;
	return fds[fd - RE_FD_BASE];
}

struct re_handle *re_handle_at(int slot)
{
	return slot >= 0 && slot < RE_MAX_FDS ? fds[slot] : 0;
}

void re_handle_free(struct re_handle *h)
{
	fds[h->fd - RE_FD_BASE] = 0;
	free(h->reply);
	free(h);
}

int re_handle_count(int kind)
{
	int n = 0;
	for (int i = 0; i < RE_MAX_FDS; i++)
		n += fds[i] && fds[i]->kind == kind;
	return n;
}

void re_log(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "re: %s\n", buf);
}

void re_fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "re: FAIL: %s\n", buf);
	fflush(stderr);
	abort();
}

long re_neg_errno(int err)
{
	return -(long)err; /* Redox and Linux share every errno number used here */
}

rx_u64 re_now(void)
{
	return kpb_host_now_ns();
}

long re_dirent(rx_u8 *buf, size_t cap, rx_u64 next_opaque, rx_u8 kind, const char *name)
{
	size_t nlen = strlen(name);
	size_t rec = (RX_DIRENT_HDR + nlen + 1 + 7) & ~(size_t)7;
	if (rec > cap)
		return -RX_EINVAL;
	memset(buf, 0, rec);
	/* DirentHeader (packed): u64 inode, u64 next_opaque_id, u16 record_len, u8 kind */
	for (int i = 0; i < 8; i++)
		buf[8 + i] = (rx_u8)(next_opaque >> (8 * i));
	buf[16] = (rx_u8)rec;
	buf[17] = (rx_u8)(rec >> 8);
	buf[18] = kind;
	memcpy(buf + RX_DIRENT_HDR, name, nlen);
	return (long)rec;
}

/* ---- real (Linux) fds ------------------------------------------------------ */

static int linux_oflags(rx_u32 f)
{
	int o;
	switch (f & RX_O_ACCMODE) {
	case RX_O_WRONLY: o = O_WRONLY; break;
	case RX_O_RDWR: o = O_RDWR; break;
	default: o = O_RDONLY; break;
	}
	if (f & RX_O_NONBLOCK)
		o |= O_NONBLOCK;
	if (f & RX_O_CLOEXEC)
		o |= O_CLOEXEC;
	if (f & RX_O_CREAT)
		o |= O_CREAT;
	if (f & RX_O_EXCL)
		o |= O_EXCL;
	if (f & RX_O_DIRECTORY)
		o |= O_DIRECTORY;
	if (f & 0x04000000u) /* O_TRUNC (syscall flag.rs) */
		o |= O_TRUNC;
	if (f & 0x00080000u) /* O_APPEND */
		o |= O_APPEND;
	return o;
}

static long real_open(int dirfd, const char *path, rx_u32 flags)
{
	if (re_w.sandboxed)
		return -RX_ENODEV; /* "file" is not in the null namespace (initnsmgr.rs) */
	int fd = openat(dirfd, path, linux_oflags(flags), 0600);
	return fd < 0 ? re_neg_errno(errno) : fd;
}

static long real_getdents(long fd, rx_u8 *buf, size_t len, rx_u64 opaque)
{
	if (lseek((int)fd, (off_t)opaque, SEEK_SET) < 0)
		return re_neg_errno(errno);
	char tmp[4096];
	long n = syscall(SYS_getdents64, (int)fd, tmp, sizeof(tmp));
	if (n < 0)
		return re_neg_errno(errno);
	size_t out = 0;
	for (long off = 0; off < n;) {
		struct {
			unsigned long long ino;
			long long off;
			unsigned short reclen;
			unsigned char type;
		} hdr;
		memcpy(&hdr, tmp + off, sizeof(hdr));
		const char *name = tmp + off + 19;
		rx_u8 kind = hdr.type == DT_DIR ? RE_DT_DIR : hdr.type == DT_REG ? 8 : RE_DT_UNSPEC;
		long r = re_dirent(buf + out, len - out, (rx_u64)hdr.off, kind, name);
		if (r < 0)
			return out ? (long)out : r;
		out += (size_t)r;
		off += hdr.reclen;
	}
	return (long)out;
}

/* ---- paths ----------------------------------------------------------------- */

/* "/scheme/NAME/REST": copies NAME, points *rest after its slash. */
static int split_scheme(const char *path, char *name, size_t cap, const char **rest)
{
	if (strncmp(path, "/scheme", 7) != 0 || (path[7] && path[7] != '/'))
		return 0;
	const char *p = path + 7;
	while (*p == '/')
		p++;
	size_t n = strcspn(p, "/");
	if (n >= cap)
		n = cap - 1;
	memcpy(name, p, n);
	name[n] = 0;
	p += n;
	if (*p == '/')
		p++;
	*rest = p;
	return 1;
}

long rx_open(const char *path, rx_u32 flags)
{
	char name[64];
	const char *rest;
	if (!split_scheme(path, name, sizeof(name), &rest))
		return real_open(AT_FDCWD, path, flags);
	if (!re_w.up)
		re_fail("rx_open(\"%s\") before rx_sys_init", path);
	if (!name[0]) {
		struct re_handle *h = re_handle_new(RE_K_SCHEMES, flags);
		return h ? h->fd : -RX_ENOMEM;
	}
	if (re_w.sandboxed && strcmp(name, "memory") && strcmp(name, "pipe")) {
		/* bootstrap/src/initnsmgr.rs at [B]: the forked namespace lacks
		 * SCHEME_CREATE (EACCES); other schemes are not in it (ENODEV). */
		if (!strcmp(name, "namespace") && !strcmp(rest, "scheme-creation-cap"))
			return -RX_EACCES;
		return -RX_ENODEV;
	}
	if (!strcmp(name, "pci"))
		return re_pcid_open(rest, flags);
	if (!strcmp(name, "irq"))
		return re_irq_open(rest, flags);
	if (!strcmp(name, "memory"))
		return re_mem_open(rest, flags);
	if (!strcmp(name, "event"))
		return re_event_open(flags);
	if (!strcmp(name, "time"))
		return re_time_open(rest, flags);
	if (!strcmp(name, "namespace"))
		return re_ns_open(rest, flags);
	if (!strcmp(name, "file")) {
		char real[4096];
		snprintf(real, sizeof(real), "/%s", rest);
		return real_open(AT_FDCWD, real, flags);
	}
	if (re_scheme_known(name)) {
		/* Served by this very (single-threaded) process: on Redox the open
		 * would wait for an answer only this thread can give. */
		re_log("open of %s: the scheme is served by this process itself (would deadlock)", path);
		return -RX_EDEADLK;
	}
	return -RX_ENODEV;
}

long rx_openat(long dirfd, const char *path, rx_u32 flags, rx_u32 fcntl_flags)
{
	(void)fcntl_flags;
	struct re_handle *h = re_handle_get(dirfd);
	if (!h)
		return real_open((int)dirfd, path, flags | fcntl_flags);
	if (h->kind == RE_K_MEM_ROOT)
		return re_mem_open(path, flags); /* still works after setrens: it is an fd */
	if (h->kind == RE_K_SCHEMES) {
		char full[512];
		snprintf(full, sizeof(full), "/scheme/%s", path);
		return rx_open(full, flags);
	}
	return -RX_EACCES; /* not a scheme root (kernel kopenat: EACCES) */
}

long rx_read(long fd, void *buf, rx_size len)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h) {
		if (fd >= RE_FD_BASE)
			return -RX_EBADF;
		ssize_t n = read((int)fd, buf, len);
		return n < 0 ? re_neg_errno(errno) : n;
	}
	switch (h->kind) {
	case RE_K_CHANNEL: return re_pcid_read(h, buf, len);
	case RE_K_IRQ:
	case RE_K_IRQ_BSP: return re_irq_read(h, buf, len);
	case RE_K_EVENT: return re_event_read(h, buf, len);
	case RE_K_TIME: return re_time_read(h, buf, len);
	case RE_K_SOCKET: return re_sock_read(h, buf, len);
	case RE_K_SCHEMES:
	case RE_K_PCI_TOP:
	case RE_K_PCI_DEV:
	case RE_K_IRQ_TOP:
	case RE_K_IRQ_AVAIL: return -RX_EISDIR;
	default: return -RX_EBADF;
	}
}

static void notify_written(void)
{
	char b[16];
	ssize_t n = read(re_w.notify_rfd, b, sizeof(b));
	if (n > 0 && !re_w.ready) {
		re_w.ready = 1;
		re_log("daemon ready");
		re_net_start();
	}
}

long rx_write(long fd, const void *buf, rx_size len)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h) {
		if (fd >= RE_FD_BASE)
			return -RX_EBADF;
		ssize_t n = write((int)fd, buf, len);
		if (n < 0)
			return re_neg_errno(errno);
		if (fd == re_w.notify_wfd && re_w.notify_rfd >= 0)
			notify_written(); /* pcid-spawner's blocking read returns */
		return n;
	}
	switch (h->kind) {
	case RE_K_CHANNEL: return re_pcid_write(h, buf, len);
	case RE_K_IRQ:
	case RE_K_IRQ_BSP: return re_irq_write(h, buf, len);
	case RE_K_EVENT: return re_event_write(h, buf, len);
	case RE_K_TIME: return re_time_write(h, buf, len);
	case RE_K_SOCKET: return re_sock_write(h, buf, len);
	default: return -RX_EBADF;
	}
}

long rx_close(long fd)
{
	struct re_handle *h = re_handle_get(fd);
	re_event_forget(fd);
	if (!h) {
		if (fd >= RE_FD_BASE)
			return -RX_EBADF;
		if (close((int)fd) < 0)
			return re_neg_errno(errno);
		if (fd == re_w.notify_wfd) {
			re_w.notify_wfd = -1;
			if (!re_w.ready)
				re_log("INIT_NOTIFY closed without the readiness byte");
		}
		return 0;
	}
	switch (h->kind) {
	case RE_K_CHANNEL: re_pcid_close(h); break;
	case RE_K_IRQ: re_irq_close(h); break;
	case RE_K_EVENT: re_event_close_queue(h); break;
	case RE_K_SOCKET: re_sock_close(h); break;
	default: break;
	}
	re_handle_free(h);
	return 0;
}

long rx_dup(long fd, const void *buf, rx_size len)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h) {
		if (fd >= RE_FD_BASE)
			return -RX_EBADF;
		if (len)
			return -RX_EINVAL;
		int n = fcntl((int)fd, F_DUPFD_CLOEXEC, 0);
		return n < 0 ? re_neg_errno(errno) : n;
	}
	if (h->kind == RE_K_THREAD) {
		if (len == 12 && !memcmp(buf, "open_via_dup", 12)) {
			struct re_handle *p = re_handle_new(RE_K_PROC, RX_O_RDWR);
			return p ? p->fd : -RX_ENOMEM;
		}
		return -RX_EINVAL;
	}
	return re_scheme_dup(h, buf, len);
}

long rx_fpath(long fd, char *buf, rx_size len)
{
	char path[512];
	struct re_handle *h = re_handle_get(fd);
	if (!h) {
		if (fd >= RE_FD_BASE)
			return -RX_EBADF;
		char link[64], target[480];
		snprintf(link, sizeof(link), "/proc/self/fd/%ld", fd);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			return re_neg_errno(errno);
		target[n] = 0;
		snprintf(path, sizeof(path), "/scheme/file%s", target);
	} else {
		switch (h->kind) {
		case RE_K_CHANNEL: snprintf(path, sizeof(path), "/scheme/pci/%s/channel", h->dev->name); break;
		case RE_K_PCI_DEV: snprintf(path, sizeof(path), "/scheme/pci/%s", h->dev->name); break;
		case RE_K_PCI_TOP: snprintf(path, sizeof(path), "/scheme/pci/"); break;
		case RE_K_IRQ: snprintf(path, sizeof(path), "irq:%d", h->irq); break; /* kernel kfpath */
		case RE_K_IRQ_BSP: snprintf(path, sizeof(path), "irq:bsp"); break;
		case RE_K_MEM:
		case RE_K_MEM_ROOT: snprintf(path, sizeof(path), "/scheme/memory/"); break;
		case RE_K_EVENT: snprintf(path, sizeof(path), "/scheme/event/"); break;
		default: return -RX_EBADF;
		}
	}
	size_t n = strlen(path);
	if (n > len)
		n = len;
	memcpy(buf, path, n);
	return (long)n;
}

long rx_getdents(long fd, void *buf, rx_size len, rx_u64 opaque)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h)
		return fd >= RE_FD_BASE ? -RX_EBADF : real_getdents(fd, buf, len, opaque);
	switch (h->kind) {
	case RE_K_SCHEMES: return re_schemes_getdents(buf, len, opaque);
	case RE_K_PCI_TOP:
	case RE_K_PCI_DEV: return re_pcid_getdents(h, buf, len, opaque);
	case RE_K_IRQ_TOP:
	case RE_K_IRQ_AVAIL: return re_irq_getdents(h, buf, len, opaque);
	default: return -RX_ENOTDIR;
	}
}

long rx_mmap(void *addr, rx_size len, rx_u32 prot, rx_u32 flags, long fd, rx_u64 offset)
{
	struct re_handle *h = re_handle_get(fd);
	if (h && h->kind == RE_K_CHANNEL)
		return re_pcid_mmap(h, len, offset);
	if (h && h->kind == RE_K_MEM)
		return re_mem_mmap(h, len, prot, flags, offset);
	if (h || fd >= RE_FD_BASE)
		return h ? -RX_EOPNOTSUPP : -RX_EBADF;
	int lp = (prot & RX_PROT_READ ? PROT_READ : 0) | (prot & RX_PROT_WRITE ? PROT_WRITE : 0);
	int lf = flags & RX_MAP_SHARED ? MAP_SHARED : MAP_PRIVATE;
	if (fd == -1)
		lf |= MAP_ANONYMOUS; /* relibc MAP_ANONYMOUS: zeroed memory */
	void *p = mmap(addr, len, lp, lf, (int)fd, fd == -1 ? 0 : (off_t)offset);
	return p == MAP_FAILED ? re_neg_errno(errno) : (long)p;
}

long rx_mprotect(void *addr, rx_size len, rx_u32 prot)
{
	int lp = (prot & RX_PROT_READ ? PROT_READ : 0) | (prot & RX_PROT_WRITE ? PROT_WRITE : 0);
	return mprotect(addr, len, lp) < 0 ? re_neg_errno(errno) : 0;
}

long rx_fcntl(long fd, int cmd, long arg)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h) {
		if (fd >= RE_FD_BASE)
			return -RX_EBADF;
		int fl = fcntl((int)fd, F_GETFL);
		if (fl < 0)
			return re_neg_errno(errno);
		if (cmd == RX_F_GETFL) {
			int acc = fl & O_ACCMODE;
			return (acc == O_WRONLY ? RX_O_WRONLY : acc == O_RDWR ? RX_O_RDWR : RX_O_RDONLY) |
			       (fl & O_NONBLOCK ? RX_O_NONBLOCK : 0);
		}
		if (cmd == RX_F_SETFL)
			return fcntl((int)fd, F_SETFL, (fl & ~O_NONBLOCK) | (arg & RX_O_NONBLOCK ? O_NONBLOCK : 0)) < 0
				       ? re_neg_errno(errno)
				       : 0;
		return -RX_EINVAL;
	}
	if (cmd == RX_F_GETFL)
		return (long)h->oflags;
	if (cmd == RX_F_SETFL) { /* the access mode stays ([K] src/syscall/fs.rs fcntl) */
		h->oflags = (h->oflags & RX_O_ACCMODE) | ((rx_u32)arg & ~RX_O_ACCMODE);
		return 0;
	}
	return -RX_EINVAL;
}

long rx_munmap(void *addr, rx_size len)
{
	if (re_mem_munmap(addr, len))
		return 0;
	for (int i = 0; i < re_ndevs; i++)
		for (int b = 0; b < 6; b++)
			if (re_devs[i].mapped[b] && (char *)addr >= (char *)re_devs[i].map[b].addr &&
			    (char *)addr < (char *)re_devs[i].map[b].addr + re_devs[i].map[b].size)
				return 0; /* our view of a BAR pcid physmapped: pcid keeps its own */
	return munmap(addr, len) < 0 ? re_neg_errno(errno) : 0;
}

long rx_sys_call(long fd, void *payload, rx_size len, rx_size flags, const rx_u64 *meta, rx_size nmeta)
{
	struct re_handle *h = re_handle_get(fd);
	if (!h)
		return fd >= RE_FD_BASE ? -RX_EBADF : -RX_EOPNOTSUPP;
	if (h->kind == RE_K_MEM)
		return re_mem_call(h, payload, len, flags);
	if (h->kind == RE_K_PROC && nmeta >= 1 && meta[0] == 255) {
		/* ProcSchemeVerb::Iopl: the calling thread may use in/out now. */
		re_w.iopl = 1;
		for (int i = 0; i < re_ndevs; i++) {
			struct re_dev *d = &re_devs[i];
			if (d->handle < 0)
				continue;
			for (int b = 0; b < 6; b++)
				if (d->bars[b].flags & KPI_BAR_IO)
					kpb_host_pci_pio_enable(d->handle, b);
		}
		return 0;
	}
	return -RX_EOPNOTSUPP;
}
