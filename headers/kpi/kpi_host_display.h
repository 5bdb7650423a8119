/* kpi_host_display.h: the display part of the narrow host interface: a DRM
 * device the daemon registered, served to the OS's clients (Redox: the
 * display.<name> scheme; runtime/host/redox/rx_display.c).  Optional: lx
 * (runtime/lx/lx_drm.c) references these calls weakly, so a backend without
 * them (linux, sim) has no OS-side display clients, only in-process ones
 * (kpi_drm.h).  Self-contained like kpi_host_core.h.
 *
 * Version KPI_HOST_DISPLAY_VERSION (1): bumped whenever a call, the request
 * record or an op changes; kpi_host_display_open takes the version lx was
 * built with and refuses (-KPI_ENOTSUP) any other.
 *
 * The host owns the OS protocol and its byte layouts; the runtime sees the
 * requests as what /dev/dri/cardN gives a Linux process: open, ioctl with
 * the Linux ioctl number and the Linux UAPI struct (arrays the struct points
 * to are host buffers valid until the request is done), mmap of a GEM
 * object at its fake offset, munmap, close.  Requests are served in order,
 * one at a time, in a task of the runtime (an ioctl may sleep): the host
 * reports KPI_EV_DISPLAY (edge-triggered, like KPI_EV_NET: again only after
 * a take returned 0), the runtime takes each request and finishes it with
 * kpi_host_display_done. */
#ifndef KPI_HOST_DISPLAY_H
#define KPI_HOST_DISPLAY_H

#include "kpi_host_core.h"

#define KPI_HOST_DISPLAY_VERSION 1

#define KPI_DISPLAY_OPEN 1   /* open(2) of the minor: result = the runtime's file (>= 0) */
#define KPI_DISPLAY_IOCTL 2  /* ioctl(file, cmd, arg): result = the ioctl's */
#define KPI_DISPLAY_MMAP 3   /* mmap(file, offset, len): result 0 and addr */
#define KPI_DISPLAY_MUNMAP 4 /* munmap(file, addr): result 0 */
#define KPI_DISPLAY_CLOSE 5  /* close(file): result ignored */
#define KPI_DISPLAY_READ 6   /* read(file, addr, len): DRM events; result = bytes */

struct kpi_display_req {
	kpi_u32 op;	   /* KPI_DISPLAY_* */
	kpi_s32 file;	   /* what this client's OPEN returned (not for OPEN) */
	unsigned long cmd; /* IOCTL: Linux DRM ioctl number (_IOC dir/size/'d'/nr) */
	void *arg;	   /* IOCTL: the Linux UAPI struct, array pointers into host buffers */
	kpi_u64 offset;	   /* MMAP: the fake offset MAP_DUMB returned */
	kpi_size len;	   /* MMAP, READ: bytes */
	void *addr;	   /* MUNMAP: what the MMAP returned; READ: the buffer */
	kpi_u64 tag;	   /* the host's; pass the record back unchanged */
};

/* Serve minor (a registered DRM minor) to the OS as "display.<name>";
 * cookie rides on KPI_EV_DISPLAY events.  Call before kpi_host_ready (the
 * OS may look for the display as soon as the daemon is ready).  Returns a
 * display handle or -KPI_E*.  Redox: the scheme display.<name>; a client
 * opens v2/<vt> and sends each DRM ioctl as SYS_CALL with the DRM command
 * number in metadata[0], fstat says st_dev = 226 << 8 (rx_display.c). */
int kpi_host_display_open(int version, const char *name, int minor, void *cookie);
void kpi_host_display_close(int disp);

/* The next request: 1 (req filled), 0 none (re-arms KPI_EV_DISPLAY). */
int kpi_host_display_take(int disp, struct kpi_display_req *req);

/* Finish a taken request: result >= 0 or -KPI_E*; addr for MMAP.  The host
 * answers the client (copying the IOCTL struct back into its protocol). */
void kpi_host_display_done(int disp, const struct kpi_display_req *req, long result, void *addr);

#endif /* KPI_HOST_DISPLAY_H */
