/* lx_drm.c: the in-process entry to the DRM devices a ported DRM driver
 * registered (headers/kpi/kpi_drm.h): what a process's open/ioctl/read/
 * mmap/close of /dev/dri/cardN reaches in Linux, for clients that run as
 * tasks of the daemon (a test client), and for the OS's display clients
 * through kpi_host_display.h (Redox: the display.<name> scheme, whose
 * requests the task drm-display runs as these same calls).
 *
 * open goes through the DRM core's own character device (the fops
 * drm_core_init registered for major 226: drm_stub_open finds the minor and
 * hands the file to the driver's fops, drm_open), ioctl and read are the
 * file's unlocked_ioctl and read (drm_ioctl, drm_read) with the client's
 * pointers as user pointers (lx_uaccess.c: a user pointer is a daemon
 * address).  mmap has no page faults to lean on: Linux maps a GEM object
 * lazily and TTM moves it under the mapping (the next fault follows it); a
 * daemon's client gets one pointer, so the object is looked up by its fake
 * offset as drm_gem_mmap() does (the same access check), then mapped by the
 * object's own vmap - which pins it where it lies (VRAM: a pointer into the
 * BAR mapping) - until munmap.  A client maps a buffer after the mode set
 * or flip that placed it (README, "DRM clients").  Kernel-header world. */
#include "lx_internal.h"
#include <linux/fs.h>
#include <linux/kref.h>
#include "kpi_drm.h"
#include <redox/kpi_main.h>

#if IS_ENABLED(CONFIG_DRM)
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_vma_manager.h>
#include <linux/iosys-map.h>
#endif

/* ---- clients ----------------------------------------------------------------- */
static struct lx_drm_client {
	const char *name;
	int (*run)(void *arg);
	void *arg;
	int started, done, rc;
} lx_drm_clients[4];
static int lx_drm_nclients, lx_drm_running, lx_drm_failed;

int kpi_drm_client_add(const char *name, int (*run)(void *arg), void *arg)
{
	if (lx_drm_nclients == ARRAY_SIZE(lx_drm_clients))
		return -ENOSPC;
	lx_drm_clients[lx_drm_nclients++] = (struct lx_drm_client){name, run, arg, 0, 0, 0};
	return 0;
}

static void lx_drm_client_task(void *arg)
{
	struct lx_drm_client *c = arg;
	c->rc = c->run(c->arg);
	c->done = 1;
	lx_log(c->rc ? KPI_LOG_ERR : KPI_LOG_INFO, "drm client %s: returned %d", c->name, c->rc);
	lx_drm_failed |= c->rc != 0;
	if (--lx_drm_running == 0)
		kpi_lx_stop(lx_drm_failed);
}

/* Called once the driver's init succeeded (lx_main.c). */
void lx_drm_clients_start(void)
{
	int i;
	for (i = 0; i < lx_drm_nclients; i++) {
		struct lx_drm_client *c = &lx_drm_clients[i];
		if (c->started)
			continue;
		c->started = 1;
		lx_drm_running++;
		if (!lx_task_spawn(c->name, lx_drm_client_task, c)) {
			lx_log(KPI_LOG_ERR, "drm client %s: no task", c->name);
			lx_drm_running--;
			lx_drm_failed = 1;
			kpi_lx_stop(1);
		}
	}
}

#if IS_ENABLED(CONFIG_DRM)
/* ---- files --------------------------------------------------------------------- */
static struct file *lx_drm_files[16];

static struct file *lx_drm_file(int fd)
{
	if (fd < 0 || fd >= (int)ARRAY_SIZE(lx_drm_files))
		return NULL;
	return lx_drm_files[fd];
}

int kpi_drm_open(int minor)
{
	struct file *file;
	int fd, rc;
	for (fd = 0; fd < (int)ARRAY_SIZE(lx_drm_files) && lx_drm_files[fd]; fd++)
		;
	if (fd == ARRAY_SIZE(lx_drm_files))
		return -EMFILE;
	if (minor < 0)
		return -ENXIO;
	rc = lx_chrdev_open(DRM_MAJOR, (unsigned int)minor, O_RDWR, &file);
	if (rc)
		return rc;
	lx_drm_files[fd] = file;
	return fd;
}

int kpi_drm_ioctl(int fd, unsigned long cmd, void *arg)
{
	struct file *file = lx_drm_file(fd);
	if (!file)
		return -EBADF;
	if (!file->f_op->unlocked_ioctl)
		return -ENOTTY;
	return (int)file->f_op->unlocked_ioctl(file, (unsigned int)cmd, (unsigned long)arg);
}

long kpi_drm_read(int fd, void *buf, kpi_size len)
{
	struct file *file = lx_drm_file(fd);
	if (!file)
		return -EBADF;
	if (!file->f_op->read)
		return -EINVAL;
	return file->f_op->read(file, (char __user *)buf, len, &file->f_pos);
}

/* ---- mappings of GEM objects ------------------------------------------------------ */
static struct lx_drm_map {
	struct file *file;
	struct drm_gem_object *obj;
	struct iosys_map map;
	void *addr;
} lx_drm_maps[32];

int kpi_drm_mmap(int fd, kpi_u64 offset, kpi_size len, void **addr)
{
	struct file *file = lx_drm_file(fd);
	struct drm_file *priv;
	struct drm_device *dev;
	struct drm_vma_offset_node *node;
	struct drm_gem_object *obj = NULL;
	struct lx_drm_map *m = NULL;
	size_t i;
	int rc;
	if (!file)
		return -EBADF;
	priv = file->private_data;
	dev = priv->minor->dev;
	if (!dev->vma_offset_manager || !len || (offset & ~PAGE_MASK))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(lx_drm_maps) && !m; i++)
		if (!lx_drm_maps[i].obj)
			m = &lx_drm_maps[i];
	if (!m)
		return -ENOMEM;
	/* drm_gem_mmap()'s lookup: the node covering exactly these pages, a
	 * reference unless the object is going away, then the file's grant */
	drm_vma_offset_lock_lookup(dev->vma_offset_manager);
	node = drm_vma_offset_exact_lookup_locked(dev->vma_offset_manager, offset >> PAGE_SHIFT,
						  DIV_ROUND_UP(len, PAGE_SIZE));
	if (node) {
		obj = container_of(node, struct drm_gem_object, vma_node);
		if (!kref_get_unless_zero(&obj->refcount))
			obj = NULL;
	}
	drm_vma_offset_unlock_lookup(dev->vma_offset_manager);
	if (!obj)
		return -EINVAL;
	if (!drm_vma_node_is_allowed(node, priv)) {
		drm_gem_object_put(obj);
		return -EACCES;
	}
	if (len > obj->size) {
		drm_gem_object_put(obj);
		return -EINVAL;
	}
	/* drm_gem_vmap() (drm_internal.h, not a public header) is this call */
	rc = obj->funcs->vmap ? obj->funcs->vmap(obj, &m->map) : -EOPNOTSUPP;
	if (!rc && iosys_map_is_null(&m->map))
		rc = -ENOMEM;
	if (rc) {
		drm_gem_object_put(obj);
		return rc;
	}
	m->file = file;
	m->obj = obj;
	m->addr = m->map.is_iomem ? (void __force *)m->map.vaddr_iomem : m->map.vaddr;
	*addr = m->addr;
	return 0;
}

static void lx_drm_unmap(struct lx_drm_map *m)
{
	if (m->obj->funcs->vunmap)
		m->obj->funcs->vunmap(m->obj, &m->map);
	drm_gem_object_put(m->obj);
	memset(m, 0, sizeof(*m));
}

int kpi_drm_munmap(int fd, void *addr)
{
	struct file *file = lx_drm_file(fd);
	size_t i;
	if (!file)
		return -EBADF;
	for (i = 0; i < ARRAY_SIZE(lx_drm_maps); i++)
		if (lx_drm_maps[i].obj && lx_drm_maps[i].file == file && lx_drm_maps[i].addr == addr) {
			lx_drm_unmap(&lx_drm_maps[i]);
			return 0;
		}
	return -EINVAL;
}

int kpi_drm_close(int fd)
{
	struct file *file = lx_drm_file(fd);
	size_t i;
	if (!file)
		return -EBADF;
	/* a process's mappings outlive close(2); a client's go with the file */
	for (i = 0; i < ARRAY_SIZE(lx_drm_maps); i++)
		if (lx_drm_maps[i].obj && lx_drm_maps[i].file == file)
			lx_drm_unmap(&lx_drm_maps[i]);
	lx_drm_files[fd] = NULL;
	lx_chrdev_close(file);
	return 0;
}

/* ---- the OS's display clients (kpi_host_display.h) -------------------------------- */
/* Optional in a backend (Redox serves the display.<name> scheme; linux and
 * sim have none): weak references, as for kpi_host_signal_watch. */
int kpi_host_display_open(int version, const char *name, int minor, void *cookie) __attribute__((weak));
int kpi_host_display_take(int disp, struct kpi_display_req *req) __attribute__((weak));
void kpi_host_display_done(int disp, const struct kpi_display_req *req, long result, void *addr)
	__attribute__((weak));

static struct lx_drm_display {
	int disp, minor;
	struct kit_evh evh;
	struct kit_waitq wq;
	int pending; /* KPI_EV_DISPLAY seen, requests not taken yet */
} lx_drm_display = {.disp = -1};

static void lx_drm_display_event(struct kit_evh *evh, const struct kpi_host_event *ev)
{
	struct lx_drm_display *d = container_of(evh, struct lx_drm_display, evh);
	(void)ev;
	d->pending = 1;
	kit_waitq_wake(&d->wq, 0);
}

/* The OS's requests run here, one at a time and in order, as calls of a
 * process on /dev/dri/cardN (an ioctl may sleep: this task waits, the
 * daemon runs on). */
static void lx_drm_display_task(void *arg)
{
	struct lx_drm_display *d = arg;
	struct kpi_display_req req;
	for (;;) {
		while (kpi_host_display_take(d->disp, &req) == 1) {
			void *addr = NULL;
			long rc;
			switch (req.op) {
			case KPI_DISPLAY_OPEN:
				rc = kpi_drm_open(d->minor);
				break;
			case KPI_DISPLAY_IOCTL:
				rc = kpi_drm_ioctl(req.file, req.cmd, req.arg);
				break;
			case KPI_DISPLAY_MMAP:
				rc = kpi_drm_mmap(req.file, req.offset, req.len, &addr);
				break;
			case KPI_DISPLAY_MUNMAP:
				rc = kpi_drm_munmap(req.file, req.addr);
				break;
			case KPI_DISPLAY_CLOSE:
				rc = kpi_drm_close(req.file);
				break;
			case KPI_DISPLAY_READ:
				rc = kpi_drm_read(req.file, req.addr, req.len);
				break;
			default:
				rc = -EINVAL;
			}
			kpi_host_display_done(d->disp, &req, rc, addr);
		}
		/* lx's wait (it keeps `current` right for the DRM core) */
		while (!d->pending)
			lx_waitq_wait(&d->wq, KPI_FOREVER);
		d->pending = 0;
	}
}

/* Called once the driver's init succeeded, before the readiness byte: the
 * primary minor 0, if the driver registered one, is served to the OS under
 * its driver's name (display.bochs-drm).  The name is read through an open
 * of the minor (the DRM core's lookup of a minor is internal). */
void lx_drm_display_start(void)
{
	struct lx_drm_display *d = &lx_drm_display;
	struct drm_file *priv;
	struct file *file;
	char name[32];
	int rc;
	if (!kpi_host_display_open || !kpi_host_display_take || !kpi_host_display_done || d->disp >= 0)
		return;
	if (lx_chrdev_open(DRM_MAJOR, 0, O_RDWR, &file))
		return; /* no DRM device registered */
	priv = file->private_data;
	strscpy(name, priv->minor->dev->driver->name, sizeof(name));
	lx_chrdev_close(file);
	d->evh.fn = lx_drm_display_event;
	kit_waitq_init(&d->wq);
	d->minor = 0;
	rc = kpi_host_display_open(KPI_HOST_DISPLAY_VERSION, name, 0, &d->evh);
	if (rc < 0) {
		lx_log(KPI_LOG_WARNING, "drm: minor 0 (%s) not served to the OS: %pe", name, ERR_PTR(rc));
		return;
	}
	d->disp = rc;
	if (!lx_task_spawn("drm-display", lx_drm_display_task, d))
		lx_log(KPI_LOG_ERR, "drm: no task for the display requests");
}

#else /* !CONFIG_DRM: no DRM core in this port */

void lx_drm_display_start(void)
{
}

int kpi_drm_open(int minor)
{
	(void)minor;
	return -ENODEV;
}
int kpi_drm_ioctl(int fd, unsigned long cmd, void *arg)
{
	(void)fd, (void)cmd, (void)arg;
	return -EBADF;
}
long kpi_drm_read(int fd, void *buf, kpi_size len)
{
	(void)fd, (void)buf, (void)len;
	return -EBADF;
}
int kpi_drm_mmap(int fd, kpi_u64 offset, kpi_size len, void **addr)
{
	(void)fd, (void)offset, (void)len, (void)addr;
	return -EBADF;
}
int kpi_drm_munmap(int fd, void *addr)
{
	(void)fd, (void)addr;
	return -EBADF;
}
int kpi_drm_close(int fd)
{
	(void)fd;
	return -EBADF;
}
#endif
