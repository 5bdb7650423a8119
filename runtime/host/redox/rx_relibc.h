/* rx_relibc.h: the relibc functions rx_sys_relibc.c calls, declared here
 * from relibc's public sources because no relibc headers exist on the
 * build machine (and the libredox ones have no header at all).  Only
 * rx_sys_relibc.c includes this file.
 *
 * Sources ([R] = redox-os/relibc 6359922):
 *  - the libredox ABI: [R] src/platform/redox/libredox.rs.  Every
 *    redox_*_v0/_v1 function returns RawResult (usize): an error is
 *    -(errno) as usize, i.e. above (size_t)-4096 ([S] src/error.rs mux).
 *  - POSIX functions with relibc's Redox types: getenv ([R] src/header/
 *    stdlib/mod.rs), pipe2 and _exit (unistd/mod.rs), clock_gettime
 *    (time/mod.rs; clockid_t = int, [R] src/platform/types.rs), mprotect
 *    (sys_mman/mod.rs), sigaction and sigaltstack (signal/mod.rs),
 *    __errno_location (errno/mod.rs).  They return -1 and set errno.
 *  - layouts: struct timespec {time_t = long long; long} ([R] src/header/
 *    bits_timespec/mod.rs); struct sigaction {handler; int flags; restorer;
 *    sigset_t = unsigned long long} ([R] src/header/signal/mod.rs and its
 *    cbindgen.toml, bits_sigset-t); stack_t {void *; int; size_t}
 *    ([R] signal/mod.rs `sigaltstack`).
 *  - constants: CLOCK_MONOTONIC 4 ([R] src/header/time/redox.rs),
 *    SA_ONSTACK 0x0400_0000 ([R] src/header/signal/redox.rs). */
#ifndef RX_RELIBC_H
#define RX_RELIBC_H

#include <stddef.h>
#include <stdint.h>

#define RX_RELIBC_CLOCK_MONOTONIC 4
#define RX_RELIBC_SA_ONSTACK 0x04000000
#define RX_RELIBC_ERR_MIN ((size_t)-4096) /* RawResult above this is -errno */

struct rx_relibc_timespec {
	long long tv_sec;
	long tv_nsec;
};

struct rx_relibc_sigaction {
	void (*sa_handler)(int);
	int sa_flags;
	void (*sa_restorer)(void);
	unsigned long long sa_mask;
};

struct rx_relibc_stack {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
};

_Static_assert(sizeof(struct rx_relibc_sigaction) == 32, "relibc struct sigaction on x86_64");
_Static_assert(sizeof(struct rx_relibc_timespec) == 16, "relibc struct timespec on x86_64");
_Static_assert(sizeof(struct rx_relibc_stack) == 24, "relibc stack_t on x86_64");

/* libredox ABI ([R] src/platform/redox/libredox.rs). */
size_t redox_open_v1(const uint8_t *path_base, size_t path_len, uint32_t flags, uint16_t mode);
size_t redox_openat_v1(size_t fd, const uint8_t *path_base, size_t path_len, uint32_t flags,
		       uint32_t fcntl_flags);
size_t redox_dup_v1(size_t fd, const uint8_t *buf, size_t len);
size_t redox_read_v1(size_t fd, uint8_t *dst_base, size_t dst_len);
size_t redox_write_v1(size_t fd, const uint8_t *src_base, size_t src_len);
size_t redox_close_v1(size_t fd);
size_t redox_fpath_v1(size_t fd, uint8_t *dst_base, size_t dst_len);
size_t redox_fcntl_v0(size_t fd, size_t cmd, size_t arg);
size_t redox_getdents_v0(size_t fd, uint8_t *buf, size_t buf_len, uint64_t opaque);
size_t redox_mmap_v1(void *addr, size_t unaligned_len, uint32_t prot, uint32_t flags, size_t fd,
		     uint64_t offset);
size_t redox_munmap_v1(void *addr, size_t unaligned_len);
size_t redox_sys_call_v0(size_t fd, uint8_t *payload, size_t payload_len, size_t flags,
			 const uint64_t *metadata, size_t metadata_len);
size_t redox_setrens_v1(size_t rns, size_t ens);
size_t redox_cur_thrfd_v0(void); /* a raw fd, not a RawResult */
size_t redox_get_ns_v0(void);
size_t redox_register_scheme_to_ns_v0(size_t ns_fd, const uint8_t *name_base, size_t name_len,
				      size_t cap_fd);

/* POSIX functions as relibc defines them for Redox. */
char *getenv(const char *name);
int pipe2(int fildes[2], int flags);
__attribute__((__noreturn__)) void _exit(int status);
int clock_gettime(int clock_id, struct rx_relibc_timespec *tp);
int mprotect(void *addr, size_t len, int prot);
int sigaction(int sig, const struct rx_relibc_sigaction *act, struct rx_relibc_sigaction *oact);
int sigaltstack(const struct rx_relibc_stack *ss, struct rx_relibc_stack *old_ss);
int *__errno_location(void);

#endif /* RX_RELIBC_H */
