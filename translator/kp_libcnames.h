/* kp_libcnames.h: is a name one that libc/POSIX defines?  A driver global
 * with such a name would clash with libc when the port links statically. */
#ifndef KP_LIBCNAMES_H
#define KP_LIBCNAMES_H

/* 1 when `name` is a common C library / POSIX function or variable name. */
int kl_is_libc_name(const char *name);

#endif
