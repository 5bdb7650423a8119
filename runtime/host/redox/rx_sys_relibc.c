/* rx_sys_relibc.c: rx_sys.h on Redox itself, over relibc's exported
 * libredox ABI (redox_*_v0/_v1) and a few POSIX functions (declared in
 * rx_relibc.h from relibc's sources).  The RawResult convention of the
 * libredox calls (-errno as usize) maps onto rx_sys's -errno longs; the
 * POSIX ones return -1 with errno, read through __errno_location.
 *
 * Compiled only for --target=x86_64-unknown-redox (here: compile-checked by
 * the rx_compile_check test; linked in Redox's own build). */
#include "rx_relibc.h"
#include "rx_sys.h"

/* RawResult -> long: values above (size_t)-4096 are -errno, which the
 * two's complement conversion turns into the negative number itself. */
static long rx_raw(size_t r)
{
	return r > RX_RELIBC_ERR_MIN ? -(long)(0 - r) : (long)r;
}

/* A POSIX call's -1/errno -> -errno. */
static long rx_posix(int r)
{
	return r < 0 ? -(long)*__errno_location() : (long)r;
}

static size_t rx_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int rx_sys_init(int version, int *argc, char **argv)
{
	(void)argc; /* the relibc flavour has no options of its own */
	(void)argv;
	return version == RX_SYS_VERSION ? 0 : -RX_EINVAL;
}

long rx_open(const char *path, rx_u32 flags)
{
	return rx_raw(redox_open_v1((const uint8_t *)path, rx_strlen(path), flags, 0));
}

long rx_openat(long dirfd, const char *path, rx_u32 flags, rx_u32 fcntl_flags)
{
	return rx_raw(redox_openat_v1((size_t)dirfd, (const uint8_t *)path, rx_strlen(path), flags, fcntl_flags));
}

long rx_read(long fd, void *buf, rx_size len)
{
	return rx_raw(redox_read_v1((size_t)fd, buf, len));
}

long rx_write(long fd, const void *buf, rx_size len)
{
	return rx_raw(redox_write_v1((size_t)fd, buf, len));
}

long rx_close(long fd)
{
	return rx_raw(redox_close_v1((size_t)fd));
}

long rx_dup(long fd, const void *buf, rx_size len)
{
	return rx_raw(redox_dup_v1((size_t)fd, buf, len));
}

long rx_fpath(long fd, char *buf, rx_size len)
{
	return rx_raw(redox_fpath_v1((size_t)fd, (uint8_t *)buf, len));
}

long rx_fcntl(long fd, int cmd, long arg)
{
	return rx_raw(redox_fcntl_v0((size_t)fd, (size_t)cmd, (size_t)arg));
}

long rx_getdents(long fd, void *buf, rx_size len, rx_u64 opaque)
{
	return rx_raw(redox_getdents_v0((size_t)fd, buf, len, opaque));
}

long rx_mmap(void *addr, rx_size len, rx_u32 prot, rx_u32 flags, long fd, rx_u64 offset)
{
	/* fd -1 becomes !0, what relibc's own mmap passes for MAP_ANONYMOUS. */
	return rx_raw(redox_mmap_v1(addr, len, prot, flags, (size_t)fd, offset));
}

long rx_munmap(void *addr, rx_size len)
{
	return rx_raw(redox_munmap_v1(addr, len));
}

long rx_mprotect(void *addr, rx_size len, rx_u32 prot)
{
	return rx_posix(mprotect(addr, len, (int)prot));
}

long rx_sys_call(long fd, void *payload, rx_size len, rx_size flags, const rx_u64 *meta, rx_size nmeta)
{
	static const uint64_t none[1];
	return rx_raw(redox_sys_call_v0((size_t)fd, payload, len, flags, meta ? (const uint64_t *)meta : none, nmeta));
}

long rx_pipe(long fds[2])
{
	int raw[2];
	long rc = rx_posix(pipe2(raw, (int)RX_O_CLOEXEC));
	if (rc == 0) {
		fds[0] = raw[0];
		fds[1] = raw[1];
	}
	return rc;
}

const char *rx_getenv(const char *name)
{
	return getenv(name);
}

long rx_setrens(long rns, long ens)
{
	return rx_raw(redox_setrens_v1((size_t)rns, (size_t)ens));
}

long rx_cur_thrfd(void)
{
	return (long)redox_cur_thrfd_v0();
}

long rx_get_ns(void)
{
	return rx_raw(redox_get_ns_v0());
}

long rx_register_scheme_to_ns(long ns_fd, const char *name, long cap_fd)
{
	return rx_raw(redox_register_scheme_to_ns_v0((size_t)ns_fd, (const uint8_t *)name, rx_strlen(name),
						     (size_t)cap_fd));
}

rx_u64 rx_now_ns(void)
{
	struct rx_relibc_timespec ts = {0, 0};
	clock_gettime(RX_RELIBC_CLOCK_MONOTONIC, &ts);
	return (rx_u64)ts.tv_sec * 1000000000ull + (rx_u64)ts.tv_nsec;
}

rx_u32 rx_pio_in(rx_u16 port, rx_u32 width)
{
	if (width == 1) {
		rx_u8 v;
		__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
		return v;
	}
	if (width == 2) {
		rx_u16 v;
		__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
		return v;
	}
	rx_u32 v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void rx_pio_out(rx_u16 port, rx_u32 width, rx_u32 value)
{
	if (width == 1)
		__asm__ volatile("outb %0, %1" : : "a"((rx_u8)value), "Nd"(port));
	else if (width == 2)
		__asm__ volatile("outw %0, %1" : : "a"((rx_u16)value), "Nd"(port));
	else
		__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

/* Registers mapped from the pcid channel or physical@ are ordinary memory
 * accesses on Redox. */
rx_u64 rx_mmio_read(const volatile void *addr, rx_u32 width)
{
	switch (width) {
	case 1:
		return *(const volatile rx_u8 *)addr;
	case 2:
		return *(const volatile rx_u16 *)addr;
	case 4:
		return *(const volatile rx_u32 *)addr;
	default:
		return *(const volatile rx_u64 *)addr;
	}
}

void rx_mmio_write(volatile void *addr, rx_u32 width, rx_u64 value)
{
	switch (width) {
	case 1:
		*(volatile rx_u8 *)addr = (rx_u8)value;
		break;
	case 2:
		*(volatile rx_u16 *)addr = (rx_u16)value;
		break;
	case 4:
		*(volatile rx_u32 *)addr = (rx_u32)value;
		break;
	default:
		*(volatile rx_u64 *)addr = value;
		break;
	}
}

int rx_mmio_trapped(const volatile void *addr)
{
	(void)addr;
	return 0;
}

long rx_sigaction(int sig, void (*handler)(int))
{
	struct rx_relibc_sigaction sa = {handler, RX_RELIBC_SA_ONSTACK, 0, 0};
	return rx_posix(sigaction(sig, &sa, 0));
}

long rx_sigaltstack(void *base, rx_size size)
{
	struct rx_relibc_stack ss = {base, 0, size};
	return rx_posix(sigaltstack(&ss, 0));
}

void rx_exit(int status)
{
	_exit(status);
}
