/* rx_bar.c: memory BARs and port I/O of the Redox backend.
 *
 * A memory BAR is mapped once, by mmap of the pcid channel with the BAR
 * and memory type in the offset's top bits ([B] drivers/pcid/src/
 * driver_interface/mod.rs map_bar, scheme.rs mmap_prep).  pcid physmaps
 * the BAR into its own space on every such mmap and never unmaps it, so a
 * mapping is kept for the life of the process and shared by every user
 * (the driver, the MSI-X table).  pcid's physmap needs a page-aligned BAR:
 * a small BAR at an unaligned address is mapped by us instead, through
 * physical@uc/wc under the memory root at its page base ([B] drivers/
 * common/src/lib.rs physmap).
 *
 * Port I/O: the calling thread gets the I/O bitmap through the proc
 * scheme's Iopl verb ([B] drivers/common/src/lib.rs acquire_port_io_rights;
 * [K] src/scheme/proc.rs), once (the runtime is one thread), then in/out. */
#include "rx_internal.h"

int rx_bar_map(struct rx_func *f, int bar, rx_u32 memtype, void **addr)
{
	if (bar < 0 || bar >= 6) /* pcid indexes bars[6] with it: never send more */
		return -KPI_EINVAL;
	struct kpi_pci_bar *b = &f->bars[bar];
	if (!(b->flags & KPI_BAR_MEM) || !b->size)
		return -KPI_EINVAL;
	if (f->map[bar]) {
		*addr = (char *)f->map[bar] + f->map_in_page[bar];
		return 0;
	}
	rx_u32 in_page = (rx_u32)(b->addr & (RX_PAGE_SIZE - 1));
	rx_size len = (rx_size)((in_page + b->size + RX_PAGE_SIZE - 1) & ~(rx_u64)(RX_PAGE_SIZE - 1));
	long p;
	if (!in_page) {
		p = rx_mmap(0, len, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_SHARED, rx.chan,
			    RX_PCID_BAR_OFFSET(bar, memtype));
		if (p < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: %s: mapping BAR %d through pcid: error %ld", f->info.name,
				bar, -p);
			return rx_kerr(p);
		}
	} else {
		const char *path = memtype == RX_MEMTYPE_WC ? "physical@wc" : "physical@uc";
		long fd = rx_openat(rx.memroot, path, RX_O_RDWR | RX_O_CLOEXEC, 0);
		if (fd < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: %s: BAR %d at 0x%llx is not page-aligned and %s: error %ld",
				f->info.name, bar, (unsigned long long)b->addr, path, -fd);
			return rx_kerr(fd);
		}
		p = rx_mmap(0, len, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_SHARED, fd, b->addr - in_page);
		rx_close(fd); /* the mapping outlives the handle */
		if (p < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: %s: mapping BAR %d from %s: error %ld", f->info.name, bar,
				path, -p);
			return rx_kerr(p);
		}
	}
	f->map[bar] = (void *)p;
	f->map_len[bar] = len;
	f->map_in_page[bar] = in_page;
	f->map_type[bar] = memtype;
	*addr = (char *)p + in_page;
	return 0;
}

int kpi_host_pci_map_bar(int handle, int bar, kpi_u32 flags, struct kpi_pci_map *out)
{
	struct rx_func *f = rx_func_by_handle(handle);
	void *addr;
	if (!f)
		return -KPI_ENODEV;
	if (bar == 6) {
		rx_logf(KPI_LOG_ERR, "kpi redox: %s: the expansion ROM cannot be mapped through pcid", f->info.name);
		return -KPI_ENOTSUP;
	}
	rx_u32 want = flags & KPI_MAP_WC ? RX_MEMTYPE_WC : RX_MEMTYPE_UC;
	int rc = rx_bar_map(f, bar, want, &addr);
	if (rc < 0)
		return rc;
	if (f->map_type[bar] != want)
		rx_logf(KPI_LOG_DEBUG, "kpi redox: %s: BAR %d stays mapped %s (first mapping wins)", f->info.name,
			bar, f->map_type[bar] == RX_MEMTYPE_WC ? "write-combining" : "uncached");
	out->addr = addr;
	out->size = f->bars[bar].size;
	out->flags = f->map_type[bar] == RX_MEMTYPE_WC ? KPI_MAP_WC : KPI_MAP_UC;
	if (rx_mmio_trapped(addr))
		out->flags |= KPI_MAP_TRAPPED;
	return 0;
}

/* The mapping stays (see the header comment): unmapping and mapping again
 * would leave pcid with one more mapping each time. */
void kpi_host_pci_unmap_bar(int handle, int bar)
{
	(void)handle;
	(void)bar;
}

/* Through the primitives: on Redox a plain access (lx inlines it for BARs
 * not flagged KPI_MAP_TRAPPED anyway); on the emulated Redox the backing's
 * access, so a sim model's register callbacks run. */
kpi_u64 kpi_host_mmio_read(const volatile void *addr, kpi_u32 width)
{
	return rx_mmio_read(addr, width);
}

void kpi_host_mmio_write(volatile void *addr, kpi_u32 width, kpi_u64 value)
{
	rx_mmio_write(addr, width, value);
}

/* ---- port I/O ------------------------------------------------------------ */

static struct {
	rx_u32 base, size;
} rx_pios[6];
static int rx_npios, rx_iopl;

static int rx_acquire_iopl(void)
{
	static const rx_u64 verb[1] = {RX_PROC_VERB_IOPL};
	if (rx_iopl)
		return 0;
	long thr = rx_cur_thrfd();
	long kfd = rx_dup(thr, "open_via_dup", 12);
	if (kfd < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: port I/O: dup(thread, open_via_dup): error %ld", -kfd);
		return rx_kerr(kfd);
	}
	long rc = rx_sys_call(kfd, 0, 0, 0, verb, 1);
	rx_close(kfd);
	if (rc < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: port I/O: Iopl refused: error %ld", -rc);
		return rx_kerr(rc);
	}
	rx_iopl = 1;
	return 0;
}

int kpi_host_pci_pio_enable(int handle, int bar)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= 6 || !(f->bars[bar].flags & KPI_BAR_IO) || !f->bars[bar].size)
		return -KPI_EINVAL;
	rx_u32 base = (rx_u32)f->bars[bar].addr, size = (rx_u32)f->bars[bar].size;
	for (int i = 0; i < rx_npios; i++)
		if (rx_pios[i].base == base)
			return 0;
	int rc = rx_acquire_iopl();
	if (rc < 0)
		return rc;
	rx_pios[rx_npios].base = base;
	rx_pios[rx_npios].size = size;
	rx_npios++;
	return 0;
}

static int rx_pio_allowed(kpi_u32 port, kpi_u32 width)
{
	if (width != 1 && width != 2 && width != 4)
		return 0;
	for (int i = 0; i < rx_npios; i++)
		if (port >= rx_pios[i].base && port - rx_pios[i].base + width <= rx_pios[i].size)
			return 1;
	return 0;
}

kpi_u32 kpi_host_pio_in(kpi_u32 port, kpi_u32 width)
{
	if (!rx_pio_allowed(port, width))
		return width >= 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	return rx_pio_in((rx_u16)port, width);
}

void kpi_host_pio_out(kpi_u32 port, kpi_u32 width, kpi_u32 value)
{
	if (rx_pio_allowed(port, width))
		rx_pio_out((rx_u16)port, width, value);
}
