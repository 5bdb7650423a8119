/* rx_fake_sys.c: rx_sys.h implemented as byte queues for the Redox
 * backend's unit tests (see rx_fake.h).  Not an emulator: no kernel or
 * pcid semantics beyond "the channel answers with the next scripted
 * reply"; the tests script everything else. */
#define _GNU_SOURCE
#include "rx_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fk_fd fk_fds[FK_MAX_FDS];
char fk_registered[8][96];
int fk_nregistered;
jmp_buf fk_exit_jmp;
int fk_exit_armed;
void (*fk_on_open)(int fd, const char *path);

static struct {
	char path[128];
	int err;
} fk_paths[64];
static int fk_npaths;
static struct {
	unsigned char b[4096];
	size_t len;
} fk_replies[64];
static int fk_nreplies, fk_next_reply;
static struct {
	char name[64], value[64];
} fk_env[8];
static int fk_nenv;
static rx_u64 fk_clock = 1000000000ull;

void fk_reset(void)
{
	memset(fk_fds, 0, sizeof(fk_fds));
	fk_fds[2].used = 1;
	strcpy(fk_fds[2].path, "stderr");
	fk_npaths = fk_nreplies = fk_next_reply = fk_nenv = fk_nregistered = 0;
	fk_exit_armed = 0;
	fk_on_open = 0;
	fk_allow("/scheme/memory/scheme-root", 0);
	fk_allow("/scheme/event", 0);
	fk_allow("/scheme/namespace/scheme-creation-cap", 0);
	fk_allow("/scheme/irq/", 0);
}

void fk_allow(const char *path, int err)
{
	snprintf(fk_paths[fk_npaths].path, sizeof(fk_paths[0].path), "%s", path);
	fk_paths[fk_npaths++].err = err;
}

static int fk_path_rc(const char *path)
{
	for (int i = fk_npaths - 1; i >= 0; i--) {
		size_t n = strlen(fk_paths[i].path);
		if (strcmp(path, fk_paths[i].path) == 0 || (fk_paths[i].path[n - 1] == '/' && !strncmp(path, fk_paths[i].path, n)))
			return fk_paths[i].err ? -fk_paths[i].err : 0;
	}
	return -RX_ENOENT;
}

static long fk_new(const char *path, long flags)
{
	for (int fd = 3; fd < FK_MAX_FDS; fd++)
		if (!fk_fds[fd].used) {
			memset(&fk_fds[fd], 0, sizeof(fk_fds[fd]));
			fk_fds[fd].used = 1;
			fk_fds[fd].flags = flags;
			snprintf(fk_fds[fd].path, sizeof(fk_fds[fd].path), "%s", path);
			return fd;
		}
	return -RX_ENOMEM;
}

int fk_find(const char *path)
{
	for (int fd = FK_MAX_FDS - 1; fd >= 0; fd--)
		if (fk_fds[fd].used && strcmp(fk_fds[fd].path, path) == 0)
			return fd;
	return -1;
}

void fk_feed(int fd, const void *data, size_t len)
{
	struct fk_fd *f = &fk_fds[fd];
	if (f->in_pos == f->in_len)
		f->in_pos = f->in_len = 0;
	memcpy(f->in + f->in_len, data, len);
	f->in_len += len;
}

void fk_chan(int fd)
{
	fk_fds[fd].used = 1;
	fk_fds[fd].chan = 1;
	strcpy(fk_fds[fd].path, "pcid-channel");
}

void fk_chan_reply_raw(const void *framed, size_t len)
{
	memcpy(fk_replies[fk_nreplies].b, framed, len);
	fk_replies[fk_nreplies++].len = len;
}

void fk_chan_reply(const struct rxw_resp *resp)
{
	unsigned char buf[4096];
	long n = rxw_encode_resp(resp, buf, sizeof(buf));
	if (n > 0)
		fk_chan_reply_raw(buf, (size_t)n);
}

int fk_chan_requests(struct rxw_req *out, int max)
{
	int n = 0;
	for (int fd = 0; fd < FK_MAX_FDS; fd++) {
		if (!fk_fds[fd].chan)
			continue;
		/* Requests are stored one after another, each prefixed by a u16 length. */
		size_t pos = 0;
		while (pos + 2 <= fk_fds[fd].out_len && n < max) {
			size_t len = fk_fds[fd].out[pos] | (size_t)fk_fds[fd].out[pos + 1] << 8;
			const char *why;
			if (rxw_decode_req(fk_fds[fd].out + pos + 2, len, &out[n], &why) < 0)
				memset(&out[n], 0xff, sizeof(out[n]));
			n++;
			pos += 2 + len;
		}
	}
	return n;
}

void fk_setenv(const char *name, const char *value)
{
	for (int i = 0; i < fk_nenv; i++)
		if (!strcmp(fk_env[i].name, name)) {
			if (value)
				snprintf(fk_env[i].value, sizeof(fk_env[i].value), "%s", value);
			else
				fk_env[i] = fk_env[--fk_nenv];
			return;
		}
	if (value) {
		snprintf(fk_env[fk_nenv].name, sizeof(fk_env[0].name), "%s", name);
		snprintf(fk_env[fk_nenv++].value, sizeof(fk_env[0].value), "%s", value);
	}
}

const char *fk_stderr(void)
{
	fk_fds[2].out[fk_fds[2].out_len < sizeof(fk_fds[2].out) ? fk_fds[2].out_len : sizeof(fk_fds[2].out) - 1] = 0;
	return (const char *)fk_fds[2].out;
}

static struct fk_fd *fk(long fd)
{
	return fd >= 0 && fd < FK_MAX_FDS && fk_fds[fd].used ? &fk_fds[fd] : 0;
}

/* ---- rx_sys.h ------------------------------------------------------------ */

int rx_sys_init(int version, int *argc, char **argv)
{
	(void)argc, (void)argv;
	return version == RX_SYS_VERSION ? 0 : -RX_EINVAL;
}

long rx_open(const char *path, rx_u32 flags)
{
	int rc = fk_path_rc(path);
	long fd = rc < 0 ? rc : fk_new(path, flags);
	if (fd >= 0 && fk_on_open)
		fk_on_open((int)fd, path);
	return fd;
}

long rx_openat(long dirfd, const char *path, rx_u32 flags, rx_u32 fcntl_flags)
{
	char full[128];
	(void)fcntl_flags;
	if (!fk(dirfd))
		return -RX_EBADF;
	int n = snprintf(full, sizeof(full), "%s/%s", fk_fds[dirfd].path, path);
	if (n < 0 || (size_t)n >= sizeof(full)) /* no such (cut) path, rather than another one */
		return -RX_ENOENT;
	long fd = fk_new(full, flags);
	if (fd >= 0 && fk_on_open)
		fk_on_open((int)fd, full);
	return fd;
}

long rx_read(long fd, void *buf, rx_size len)
{
	struct fk_fd *f = fk(fd);
	if (!f)
		return -RX_EBADF;
	if (f->in_pos == f->in_len)
		return (f->flags & RX_O_NONBLOCK) ? -RX_EAGAIN : 0;
	size_t n = f->in_len - f->in_pos < len ? f->in_len - f->in_pos : len;
	memcpy(buf, f->in + f->in_pos, n);
	f->in_pos += n;
	return (long)n;
}

long rx_write(long fd, const void *buf, rx_size len)
{
	struct fk_fd *f = fk(fd);
	if (!f)
		return -RX_EBADF;
	if (f->chan) {
		if (f->in_pos != f->in_len)
			return -RX_EINVAL; /* pcid: a reply is still unread */
		f->out[f->out_len++] = (unsigned char)len;
		f->out[f->out_len++] = (unsigned char)(len >> 8);
		memcpy(f->out + f->out_len, buf, len);
		f->out_len += len;
		if (fk_next_reply < fk_nreplies) {
			fk_feed((int)fd, fk_replies[fk_next_reply].b, fk_replies[fk_next_reply].len);
			fk_next_reply++;
		}
		return (long)len;
	}
	if (f->out_len + len <= sizeof(f->out)) {
		memcpy(f->out + f->out_len, buf, len);
		f->out_len += len;
	}
	if (f->write_ret) {
		long r = f->write_ret;
		f->write_ret = 0;
		return r == 1000 ? 0 : r; /* 1000: "returns 0" */
	}
	return (long)len;
}

long rx_close(long fd)
{
	struct fk_fd *f = fk(fd);
	if (!f)
		return -RX_EBADF;
	f->used = 0;
	return 0;
}

long rx_dup(long fd, const void *buf, rx_size len)
{
	char path[160];
	if (!fk(fd))
		return -RX_EBADF;
	if (len == sizeof(struct rx_newfd_params))
		snprintf(path, sizeof(path), "%s#root", fk_fds[fd].path);
	else
		snprintf(path, sizeof(path), "%s#%.*s", fk_fds[fd].path, (int)len, (const char *)buf);
	return fk_new(path, fk_fds[fd].flags);
}

long rx_fpath(long fd, char *buf, rx_size len)
{
	(void)fd, (void)buf, (void)len;
	return -RX_ENOSYS;
}

long rx_fcntl(long fd, int cmd, long arg)
{
	struct fk_fd *f = fk(fd);
	if (!f)
		return -RX_EBADF;
	if (cmd == RX_F_SETFL)
		f->flags = (f->flags & RX_O_ACCMODE) | (arg & ~(long)RX_O_ACCMODE);
	return cmd == RX_F_GETFL ? f->flags : 0;
}

long rx_getdents(long fd, void *buf, rx_size len, rx_u64 opaque)
{
	struct fk_fd *f = fk(fd);
	if (!f)
		return -RX_EBADF;
	if (opaque || f->dents_len > len)
		return 0;
	memcpy(buf, f->dents, f->dents_len);
	return (long)f->dents_len;
}

long rx_mmap(void *addr, rx_size len, rx_u32 prot, rx_u32 flags, long fd, rx_u64 offset)
{
	(void)addr, (void)prot, (void)flags, (void)fd, (void)offset;
	void *p = aligned_alloc(4096, len);
	if (!p)
		return -RX_ENOMEM;
	memset(p, 0, len);
	return (long)p;
}

long rx_munmap(void *addr, rx_size len)
{
	(void)len;
	free(addr);
	return 0;
}

long rx_mprotect(void *addr, rx_size len, rx_u32 prot)
{
	(void)addr, (void)len, (void)prot;
	return 0;
}

long rx_sys_call(long fd, void *payload, rx_size len, rx_size flags, const rx_u64 *meta, rx_size nmeta)
{
	(void)fd, (void)flags, (void)meta, (void)nmeta;
	if (payload && len == 8) { /* translation: a fake frame above 4 GiB */
		rx_u64 v;
		memcpy(&v, payload, 8);
		v = (v & 0xfffff000u) | 0x100000000ull;
		memcpy(payload, &v, 8);
	}
	return 0;
}

long rx_pipe(long fds[2])
{
	fds[0] = fk_new("pipe-r", RX_O_RDONLY);
	fds[1] = fk_new("pipe-w", RX_O_WRONLY);
	return 0;
}

const char *rx_getenv(const char *name)
{
	for (int i = 0; i < fk_nenv; i++)
		if (!strcmp(fk_env[i].name, name))
			return fk_env[i].value;
	return 0;
}

long rx_setrens(long rns, long ens)
{
	(void)rns, (void)ens;
	return 0;
}

long rx_cur_thrfd(void)
{
	static long thr = -1;
	if (thr < 0 || !fk(thr))
		thr = fk_new("thread", 0);
	return thr;
}

long rx_get_ns(void)
{
	return 1;
}

long rx_register_scheme_to_ns(long ns_fd, const char *name, long cap_fd)
{
	(void)ns_fd;
	if (!fk(cap_fd))
		return -RX_EBADF;
	snprintf(fk_registered[fk_nregistered++ % 8], sizeof(fk_registered[0]), "%s", name);
	return 0;
}

rx_u64 rx_now_ns(void)
{
	return fk_clock += 1000000; /* time passes 1 ms per look */
}

rx_u32 rx_pio_in(rx_u16 port, rx_u32 width)
{
	(void)port, (void)width;
	return 0;
}

void rx_pio_out(rx_u16 port, rx_u32 width, rx_u32 value)
{
	(void)port, (void)width, (void)value;
}

rx_u64 rx_mmio_read(const volatile void *addr, rx_u32 width)
{
	rx_u64 v = 0;
	memcpy(&v, (const void *)addr, width); /* the fake's BARs are memory */
	return v;
}

void rx_mmio_write(volatile void *addr, rx_u32 width, rx_u64 value)
{
	memcpy((void *)addr, &value, width);
}

int rx_mmio_trapped(const volatile void *addr)
{
	(void)addr;
	return 0;
}

long rx_sigaction(int sig, void (*handler)(int))
{
	(void)sig, (void)handler;
	return 0;
}

long rx_sigaltstack(void *base, rx_size size)
{
	(void)base, (void)size;
	return 0;
}

void rx_exit(int status)
{
	if (fk_exit_armed) {
		fk_exit_armed = 0;
		longjmp(fk_exit_jmp, status + 1);
	}
	abort();
}
