/* lh_pci.c: PCI functions through sysfs - selection (--pci=), the info
 * from each function's config header, binding to uio_pci_generic (or to
 * vfio-pci: lh_vfio.c decides and attaches), config space via the
 * `config` file, BARs from `resource`, BAR mapping via `resourceN` mmap,
 * and port I/O via pread/pwrite on an I/O `resourceN`. */
#define _GNU_SOURCE
#include "lh_internal.h"
#include "../posix/kpi_posix_signal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct lh_func lh_funcs[LH_MAX_FUNCS];
int lh_nfuncs;
static int lh_selected; /* --pci= was given: never fall back to "all" */

/* Port ranges opened by kpi_host_pci_pio_enable. */
static struct lh_pio {
	kpi_u32 base, size;
	int fd;
} lh_pios[LH_MAX_FUNCS];
static int lh_npios;

#define LH_DEV "/sys/bus/pci/devices/%s"

static kpi_u16 lh_le16(const kpi_u8 *p)
{
	return (kpi_u16)(p[0] | p[1] << 8);
}

/* "SSSS:BB:DD.F" (or "BB:DD.F") -> canonical name; 0 if not an address. */
static int lh_canon_addr(const char *spec, char *out, size_t cap)
{
	unsigned seg = 0, bus, dev, fn;
	char tail;
	if (sscanf(spec, "%x:%x:%x.%x%c", &seg, &bus, &dev, &fn, &tail) != 4) {
		seg = 0;
		if (sscanf(spec, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return 0;
	}
	if (seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return 0;
	snprintf(out, cap, "%04x:%02x:%02x.%x", seg, bus, dev, fn);
	return 1;
}

/* Parse `resource`: one "start end flags" line per BAR 0..5, then the ROM. */
static void lh_load_bars(struct lh_func *f)
{
	char path[PATH_MAX], text[2048];
	memset(f->bars, 0, sizeof(f->bars));
	if (lh_path(path, sizeof(path), LH_DEV "/resource", f->name) < 0 ||
	    lh_read_text(path, text, sizeof(text)) < 0)
		return;
	char *line = text;
	for (int i = 0; i < LH_NBARS && line && *line; i++) {
		unsigned long long start, end, flags;
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3 && (start || end) && end >= start) {
			struct kpi_pci_bar *b = &f->bars[i];
			b->addr = start;
			b->size = end - start + 1;
			b->flags = (flags & 0x100 ? KPI_BAR_IO : 0) | (flags & 0x200 ? KPI_BAR_MEM : 0) |
			           (flags & 0x2000 ? KPI_BAR_PREFETCH : 0) | (flags & 0x100000 ? KPI_BAR_64 : 0);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

/* Add function name (canonical) unless present; ids from its config header. */
static int lh_add_func(const char *name)
{
	for (int i = 0; i < lh_nfuncs; i++)
		if (strcmp(lh_funcs[i].name, name) == 0)
			return i;
	if (lh_nfuncs >= LH_MAX_FUNCS)
		return -KPI_ENOSPC;
	char path[PATH_MAX];
	kpi_u8 cfg[64];
	if (lh_path(path, sizeof(path), LH_DEV "/config", name) < 0)
		return -KPI_EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* lx turns -KPI_ENODEV from kpi_host_init into KPI_EXIT_NO_DEVICE */
		lh_logf(KPI_LOG_ERR, "kpi linux: no PCI function %s here (%s: %s)", name, path, strerror(errno));
		return -KPI_ENODEV;
	}
	ssize_t n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	if (n != (ssize_t)sizeof(cfg))
		return -KPI_EIO;
	struct lh_func *f = &lh_funcs[lh_nfuncs];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->cfg_fd = f->uio_num = -1;
	f->vfio_container = f->vfio_group = f->vfio_dev = f->vfio_group_num = -1;
	for (int b = 0; b < LH_NBARS; b++)
		f->pio_fd[b] = -1;
	for (int v = 0; v < LH_MAX_VEC; v++)
		f->vec[v].fd = -1;
	struct kpi_pci_info *in = &f->info;
	unsigned seg, bus, dev, fn;
	sscanf(name, "%x:%x:%x.%x", &seg, &bus, &dev, &fn);
	in->segment = (kpi_u16)seg;
	in->bus = (kpi_u8)bus;
	in->slot = (kpi_u8)dev;
	in->function = (kpi_u8)fn;
	in->vendor = lh_le16(cfg + 0x00);
	in->device = lh_le16(cfg + 0x02);
	in->revision = cfg[0x08];
	in->class_code = (kpi_u32)cfg[0x0b] << 16 | (kpi_u32)cfg[0x0a] << 8 | cfg[0x09];
	if ((cfg[0x0e] & 0x7f) == 0) { /* type 0 header: subsystem ids */
		in->subvendor = lh_le16(cfg + 0x2c);
		in->subdevice = lh_le16(cfg + 0x2e);
	}
	in->irq_pin = cfg[0x3d];
	in->irq_line = in->irq_pin ? cfg[0x3c] : 0xff;
	snprintf(in->name, sizeof(in->name), "%s", name);
	lh_load_bars(f);
	return lh_nfuncs++;
}

static int lh_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every function in sysfs whose ids match (vendor/device -1 = any), sorted. */
static int lh_scan(int vendor, int device)
{
	char path[PATH_MAX];
	if (lh_path(path, sizeof(path), "/sys/bus/pci/devices") < 0)
		return -KPI_EINVAL;
	DIR *d = opendir(path);
	if (!d) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s", path, strerror(errno));
		return -KPI_ENODEV;
	}
	char *names[256];
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 256) {
		char canon[32];
		if (lh_canon_addr(de->d_name, canon, sizeof(canon)))
			names[n++] = strdup(canon);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), lh_name_cmp);
	int found = 0, rc = 0;
	for (int i = 0; i < n; i++) {
		if (!names[i])
			continue;
		int before = lh_nfuncs;
		int idx = rc < 0 ? -1 : lh_add_func(names[i]);
		if (idx >= 0) {
			struct kpi_pci_info *in = &lh_funcs[idx].info;
			int match = (vendor < 0 || in->vendor == vendor) && (device < 0 || in->device == device);
			if (match)
				found++;
			else if (lh_nfuncs > before)
				lh_nfuncs--; /* just added but not wanted: drop it again */
		} else if (idx == -KPI_ENOSPC) {
			rc = idx;
		}
		free(names[i]);
	}
	return rc < 0 ? rc : found;
}

int lh_pci_select(const char *spec)
{
	char canon[32];
	unsigned vendor, device;
	char tail;
	lh_selected = 1;
	if (lh_canon_addr(spec, canon, sizeof(canon))) {
		int rc = lh_add_func(canon);
		return rc < 0 ? rc : 0;
	}
	if (sscanf(spec, "%4x:%4x%c", &vendor, &device, &tail) == 2) {
		int rc = lh_scan((int)vendor, (int)device);
		if (rc == 0)
			lh_logf(KPI_LOG_WARNING, "kpi linux: --pci=%s matches no PCI function", spec);
		return rc < 0 ? rc : 0;
	}
	lh_logf(KPI_LOG_ERR, "kpi linux: --pci=%s: want SSSS:BB:DD.F or VVVV:DDDD", spec);
	return -KPI_EINVAL;
}

void lh_pci_reset(void)
{
	for (int i = 0; i < lh_nfuncs; i++)
		if (lh_funcs[i].claimed)
			kpi_host_pci_close(i);
	lh_nfuncs = 0;
	lh_selected = 0;
}

void lh_pci_stop_dma(void)
{
	for (int i = 0; i < lh_nfuncs; i++) {
		struct lh_func *f = &lh_funcs[i];
		kpi_u8 cmd[2];
		if (!f->claimed || f->cfg_fd < 0 || pread(f->cfg_fd, cmd, 2, 0x04) != 2)
			continue;
		cmd[0] &= (kpi_u8)~0x04;
		if (pwrite(f->cfg_fd, cmd, 2, 0x04) == 2)
			kpi_posix_say("<2>kpi linux: ", f->name, ": bus mastering turned off\n", (char *)0);
	}
}

struct lh_func *lh_func_by_handle(int handle)
{
	if (handle < 0 || handle >= lh_nfuncs || !lh_funcs[handle].claimed)
		return 0;
	return &lh_funcs[handle];
}

int kpi_host_pci_count(void)
{
	if (!lh_selected && lh_nfuncs == 0) {
		lh_selected = 1;
		int rc = lh_scan(-1, -1);
		if (rc < 0)
			return rc;
	}
	return lh_nfuncs;
}

int kpi_host_pci_info(int index, struct kpi_pci_info *info)
{
	if (index < 0 || index >= kpi_host_pci_count())
		return -KPI_ENODEV;
	*info = lh_funcs[index].info;
	return 0;
}

void lh_driver_of(const char *name, char *out, size_t cap)
{
	char path[PATH_MAX], link[PATH_MAX];
	out[0] = 0;
	if (lh_path(path, sizeof(path), LH_DEV "/driver", name) < 0)
		return;
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = 0;
	const char *base = strrchr(link, '/');
	base = base ? base + 1 : link;
	size_t len = strlen(base);
	if (len < cap)
		memcpy(out, base, len + 1);
}

/* N of /sys/.../<name>/uio/uioN, or -1. */
static int lh_uio_num(const char *name)
{
	char path[PATH_MAX];
	if (lh_path(path, sizeof(path), LH_DEV "/uio", name) < 0)
		return -1;
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int num = -1;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, "uio", 3) == 0 && de->d_name[3] >= '0' && de->d_name[3] <= '9')
			num = atoi(de->d_name + 3);
	closedir(d);
	return num;
}

/* Unbind the current driver, bind drv (driver_override, else new_id). */
int lh_bind_driver(struct lh_func *f, const char *want)
{
	char path[PATH_MAX], drv[64];
	lh_driver_of(f->name, drv, sizeof(drv));
	if (strcmp(drv, want) == 0)
		return 0;
	if (lh_path(path, sizeof(path), "/sys/bus/pci/drivers/%s", want) < 0 || access(path, F_OK) != 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: no %s driver (modprobe %s)", f->name, want, want);
		return -KPI_ENODEV;
	}
	if (drv[0]) {
		lh_logf(KPI_LOG_INFO, "kpi linux: %s: unbinding kernel driver %s", f->name, drv);
		lh_path(path, sizeof(path), LH_DEV "/driver/unbind", f->name);
		int rc = lh_write_text(path, f->name);
		if (rc < 0) {
			lh_logf(KPI_LOG_ERR, "kpi linux: %s: unbind %s failed (%d)", f->name, drv, rc);
			return rc;
		}
	}
	/* driver_override binds this function only; new_id (older kernels)
	 * would also grab every other unbound function with these ids. */
	lh_path(path, sizeof(path), LH_DEV "/driver_override", f->name);
	if (lh_write_text(path, want) < 0) {
		char ids[32];
		snprintf(ids, sizeof(ids), "%04x %04x", f->info.vendor, f->info.device);
		lh_path(path, sizeof(path), "/sys/bus/pci/drivers/%s/new_id", want);
		lh_write_text(path, ids); /* EEXIST when already added: fine */
	}
	lh_driver_of(f->name, drv, sizeof(drv));
	if (strcmp(drv, want) != 0) {
		lh_path(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", want);
		int rc = lh_write_text(path, f->name);
		if (rc < 0) {
			lh_logf(KPI_LOG_ERR, "kpi linux: %s: binding %s failed (%d)", f->name, want, rc);
			return rc;
		}
	}
	return 0;
}

/* Bind uio_pci_generic, wait for uio/uioN. */
static int lh_bind_uio(struct lh_func *f)
{
	int rc = lh_bind_driver(f, "uio_pci_generic");
	if (rc < 0)
		return rc;
	for (int tries = 0; tries < 100; tries++) { /* udev-less: appears at bind, allow 1 s */
		f->uio_num = lh_uio_num(f->name);
		if (f->uio_num >= 0)
			return 0;
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, 0);
	}
	lh_logf(KPI_LOG_ERR, "kpi linux: %s: bound, but no uio/uioN appeared", f->name);
	return -KPI_ENODEV;
}

int kpi_host_pci_open(int index)
{
	if (index < 0 || index >= kpi_host_pci_count())
		return -KPI_ENODEV;
	struct lh_func *f = &lh_funcs[index];
	if (f->claimed)
		return -KPI_EBUSY;
	char path[PATH_MAX];
	lh_path(path, sizeof(path), LH_DEV "/config", f->name);
	f->cfg_fd = open(path, O_RDWR | O_CLOEXEC);
	if (f->cfg_fd < 0) {
		int rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s", path, strerror(errno));
		return rc;
	}
	/* Another kpi process driving the same function holds this lock. */
	if (flock(f->cfg_fd, LOCK_EX | LOCK_NB) < 0) {
		close(f->cfg_fd);
		f->cfg_fd = -1;
		return -KPI_EBUSY;
	}
	/* vfio-pci when MSI/MSI-X or an IOMMU need it (lh_vfio_choose), else
	 * uio_pci_generic; an automatic choice of vfio that fails falls back. */
	int choice = lh_vfio_choose(f);
	int rc = choice < 0 ? choice : 0;
	f->bind = 0;
	if (choice > 0) {
		rc = lh_vfio_open(f);
		if (rc == 0) {
			f->bind = LH_BIND_VFIO;
		} else if (lh_bind_mode == LH_BIND_AUTO) {
			lh_logf(KPI_LOG_WARNING, "kpi linux: %s: vfio-pci failed (%d), trying uio_pci_generic", f->name, rc);
			rc = 0;
		}
	}
	if (rc == 0 && f->bind != LH_BIND_VFIO) {
		rc = lh_bind_uio(f);
		if (rc == 0)
			f->bind = LH_BIND_UIO;
	}
	if (rc < 0) {
		f->bind = 0;
		close(f->cfg_fd);
		f->cfg_fd = -1;
		return rc;
	}
	lh_load_bars(f); /* binding may have enabled/assigned resources */
	f->claimed = 1;
	if (f->bind == LH_BIND_VFIO) {
		if (f->vfio_noiommu)
			lh_logf(KPI_LOG_INFO, "kpi linux: %s [%04x:%04x] claimed via vfio-pci (no-IOMMU group %d)", f->name,
			        f->info.vendor, f->info.device, f->vfio_group_num);
		else
			lh_logf(KPI_LOG_INFO,
			        "kpi linux: %s [%04x:%04x] claimed via vfio-pci (IOMMU group %d, DMA mapped at its physical "
			        "addresses)",
			        f->name, f->info.vendor, f->info.device, f->vfio_group_num);
	} else {
		lh_logf(KPI_LOG_INFO, "kpi linux: %s [%04x:%04x] claimed via uio%d", f->name, f->info.vendor,
		        f->info.device, f->uio_num);
	}
	return index;
}

void kpi_host_pci_close(int handle)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return;
	kpi_host_irq_disable(handle);
	for (int b = 0; b < LH_NBARS; b++) {
		kpi_host_pci_unmap_bar(handle, b);
		if (f->pio_fd[b] >= 0) {
			for (int i = 0; i < lh_npios; i++)
				if (lh_pios[i].fd == f->pio_fd[b])
					lh_pios[i] = lh_pios[--lh_npios];
			close(f->pio_fd[b]);
			f->pio_fd[b] = -1;
		}
	}
	lh_vfio_close(f); /* vfio resets the function and turns bus mastering off */
	close(f->cfg_fd);
	f->cfg_fd = -1;
	f->claimed = 0;
	f->bind = 0;
}

int kpi_host_pci_cfg_read(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 *value)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if ((width != 1 && width != 2 && width != 4) || offset % width || offset + width > 4096)
		return -KPI_EINVAL;
	kpi_u8 b[4] = {0};
	if (pread(f->cfg_fd, b, width, offset) != (ssize_t)width)
		return -KPI_EIO;
	*value = (kpi_u32)b[0] | (kpi_u32)b[1] << 8 | (kpi_u32)b[2] << 16 | (kpi_u32)b[3] << 24;
	return 0;
}

int kpi_host_pci_cfg_write(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 value)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if ((width != 1 && width != 2 && width != 4) || offset % width || offset + width > 4096)
		return -KPI_EINVAL;
	kpi_u8 b[4] = {(kpi_u8)value, (kpi_u8)(value >> 8), (kpi_u8)(value >> 16), (kpi_u8)(value >> 24)};
	if (pwrite(f->cfg_fd, b, width, offset) != (ssize_t)width)
		return -KPI_EIO;
	return 0;
}

int kpi_host_pci_enable(int handle)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	char path[PATH_MAX];
	lh_path(path, sizeof(path), LH_DEV "/enable", f->name);
	/* uio_pci_generic's probe enabled the device already, and sysfs refuses
	 * (EBUSY) while a driver is bound; the write matters only without one. */
	int erc = lh_write_text(path, "1");
	if (erc < 0 && erc != -KPI_EBUSY)
		lh_logf(KPI_LOG_DEBUG, "kpi linux: %s: writing enable: %d", f->name, erc);
	kpi_u32 cmd;
	int rc = kpi_host_pci_cfg_read(handle, 0x04, 2, &cmd);
	if (rc < 0)
		return rc;
	kpi_u32 want = 0x7; /* I/O + memory decoding, bus master */
	return (cmd & want) == want ? 0 : kpi_host_pci_cfg_write(handle, 0x04, 2, cmd | want);
}

int kpi_host_pci_bar(int handle, int bar, struct kpi_pci_bar *out)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= LH_NBARS)
		return -KPI_EINVAL;
	*out = f->bars[bar];
	return 0;
}

int kpi_host_pci_map_bar(int handle, int bar, kpi_u32 flags, struct kpi_pci_map *out)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= 6 || !(f->bars[bar].flags & KPI_BAR_MEM) || !f->bars[bar].size)
		return -KPI_EINVAL;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t in_page = (size_t)(f->bars[bar].addr & (page - 1)); /* small BARs need not start a page */
	if (!f->map_addr[bar]) {
		char path[PATH_MAX];
		int fd = -1;
		if (flags & KPI_MAP_WC) {
			lh_path(path, sizeof(path), LH_DEV "/resource%d_wc", f->name, bar);
			fd = open(path, O_RDWR | O_CLOEXEC);
		}
		if (fd < 0) {
			lh_path(path, sizeof(path), LH_DEV "/resource%d", f->name, bar);
			fd = open(path, O_RDWR | O_CLOEXEC);
		}
		size_t len = (in_page + (size_t)f->bars[bar].size + page - 1) & ~(page - 1);
		void *p = MAP_FAILED;
		int err = errno;
		if (fd >= 0) {
			p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			err = errno;
			close(fd);
		}
		/* A kernel with IO_STRICT_DEVMEM refuses resourceN while the
		 * region is claimed; vfio's own region mmap works then. */
		if (p == MAP_FAILED && f->vfio_dev >= 0 && lh_vfio_map_bar(f, bar, &p, &len) < 0)
			p = MAP_FAILED;
		if (p == MAP_FAILED) {
			lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s", path, strerror(err));
			return lh_neg_errno(err);
		}
		f->map_addr[bar] = p;
		f->map_len[bar] = len;
	}
	out->addr = (char *)f->map_addr[bar] + in_page;
	out->size = f->bars[bar].size;
	out->flags = flags & KPI_MAP_WC;
	return 0;
}

void kpi_host_pci_unmap_bar(int handle, int bar)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f || bar < 0 || bar >= LH_NBARS || !f->map_addr[bar])
		return;
	munmap(f->map_addr[bar], f->map_len[bar]);
	f->map_addr[bar] = 0;
	f->map_len[bar] = 0;
}

kpi_u64 kpi_host_mmio_read(const volatile void *addr, kpi_u32 width)
{
	switch (width) {
	case 1:
		return *(const volatile kpi_u8 *)addr;
	case 2:
		return *(const volatile kpi_u16 *)addr;
	case 4:
		return *(const volatile kpi_u32 *)addr;
	default:
		return *(const volatile kpi_u64 *)addr;
	}
}

void kpi_host_mmio_write(volatile void *addr, kpi_u32 width, kpi_u64 value)
{
	switch (width) {
	case 1:
		*(volatile kpi_u8 *)addr = (kpi_u8)value;
		break;
	case 2:
		*(volatile kpi_u16 *)addr = (kpi_u16)value;
		break;
	case 4:
		*(volatile kpi_u32 *)addr = (kpi_u32)value;
		break;
	default:
		*(volatile kpi_u64 *)addr = value;
		break;
	}
}

int kpi_host_pci_pio_enable(int handle, int bar)
{
	struct lh_func *f = lh_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= 6 || !(f->bars[bar].flags & KPI_BAR_IO) || !f->bars[bar].size)
		return -KPI_EINVAL;
	if (f->pio_fd[bar] >= 0)
		return 0;
	if (lh_npios >= LH_MAX_FUNCS)
		return -KPI_ENOSPC;
	char path[PATH_MAX];
	lh_path(path, sizeof(path), LH_DEV "/resource%d", f->name, bar);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s", path, strerror(errno));
		return lh_neg_errno(errno);
	}
	f->pio_fd[bar] = fd;
	lh_pios[lh_npios++] = (struct lh_pio){(kpi_u32)f->bars[bar].addr, (kpi_u32)f->bars[bar].size, fd};
	return 0;
}

static struct lh_pio *lh_pio_find(kpi_u32 port, kpi_u32 width)
{
	for (int i = 0; i < lh_npios; i++)
		if (port >= lh_pios[i].base && port - lh_pios[i].base + width <= lh_pios[i].size)
			return &lh_pios[i];
	return 0;
}

kpi_u32 kpi_host_pio_in(kpi_u32 port, kpi_u32 width)
{
	struct lh_pio *p = lh_pio_find(port, width);
	kpi_u8 b[4] = {0};
	if (!p || (width != 1 && width != 2 && width != 4) || pread(p->fd, b, width, port - p->base) != (ssize_t)width)
		return width >= 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	return (kpi_u32)b[0] | (kpi_u32)b[1] << 8 | (kpi_u32)b[2] << 16 | (kpi_u32)b[3] << 24;
}

void kpi_host_pio_out(kpi_u32 port, kpi_u32 width, kpi_u32 value)
{
	struct lh_pio *p = lh_pio_find(port, width);
	kpi_u8 b[4] = {(kpi_u8)value, (kpi_u8)(value >> 8), (kpi_u8)(value >> 16), (kpi_u8)(value >> 24)};
	if (p && (width == 1 || width == 2 || width == 4) && pwrite(p->fd, b, width, port - p->base) != (ssize_t)width)
		lh_logf(KPI_LOG_WARNING, "kpi linux: outb/w/l port 0x%x: %s", port, strerror(errno));
}
