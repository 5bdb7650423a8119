/* kpi_drm.h: the in-process entry to the DRM devices a ported DRM driver
 * registered in the daemon (runtime/lx/lx_drm.c), for a client written
 * against libc (a test client); the OS's display clients (Redox's
 * `display.<name>` scheme) reach the same calls through lx_drm.c and
 * kpi_host_display.h.  What /dev/dri/cardN gives a Linux process, one call each:
 *
 *   kpi_drm_open(minor)            open(2) of the minor: the DRM core's own
 *                                  chrdev open (drm_stub_open -> drm_open)
 *   kpi_drm_ioctl(fd, cmd, arg)    ioctl(2): the driver's unlocked_ioctl
 *                                  (drm_ioctl) with arg as the user pointer
 *                                  (a daemon address: runtime/lx "uaccess")
 *   kpi_drm_read(fd, buf, len)     read(2): DRM events (page-flip done)
 *   kpi_drm_mmap(fd, off, len, &p) mmap(2) of a GEM object at its fake
 *                                  offset (MAP_DUMB): a pointer to the
 *                                  object's memory where it lies (VRAM or
 *                                  system pages), valid until munmap; the
 *                                  object is pinned there meanwhile (see
 *                                  runtime/lx/README.md, "DRM clients")
 *   kpi_drm_munmap(fd, p)          munmap(2)
 *   kpi_drm_close(fd)              close(2): the driver's release
 *
 * Each returns 0 (or a count / a handle) or -errno.  The ioctl numbers and
 * argument structs are Linux's UAPI (<drm/drm.h>, <drm/drm_mode.h>).
 *
 * Clients run as tasks of the daemon: kpi_drm_client_add() (from a
 * constructor, before main) registers one; lx starts each in its own task
 * once the driver's init succeeded, and when the last one returns the
 * daemon stops, with exit status 1 if any returned nonzero.  A client may
 * sleep with kit_sleep_ns() (kpi_kit.h); every call above may block the
 * calling task (not the daemon: other tasks, the driver's work, run).
 *
 * Self-contained and libc-free like the other headers here. */
#ifndef KPI_DRM_H
#define KPI_DRM_H

#include "kpi_host.h"

int kpi_drm_client_add(const char *name, int (*run)(void *arg), void *arg);

int kpi_drm_open(int minor);
int kpi_drm_ioctl(int fd, unsigned long cmd, void *arg);
long kpi_drm_read(int fd, void *buf, kpi_size len);
int kpi_drm_mmap(int fd, kpi_u64 offset, kpi_size len, void **addr);
int kpi_drm_munmap(int fd, void *addr);
int kpi_drm_close(int fd);

#endif /* KPI_DRM_H */
