/* kpi_host_pci.h: the PCI part of the narrow host interface: functions,
 * config space, BARs, port I/O, interrupts, DMA memory, firmware.  See
 * kpi_host_core.h for the conventions; self-contained like it. */
#ifndef KPI_HOST_PCI_H
#define KPI_HOST_PCI_H

#include "kpi_host_core.h"

/* ---- PCI functions ----------------------------------------------------- */

struct kpi_pci_info {
	kpi_u16 segment;
	kpi_u8 bus, slot, function;
	kpi_u8 revision;
	kpi_u16 vendor, device;
	kpi_u16 subvendor, subdevice;
	kpi_u32 class_code; /* class << 16 | subclass << 8 | prog-if */
	kpi_u8 irq_line;    /* legacy line, 0xff if none */
	kpi_u8 irq_pin;	    /* 0 none, 1..4 = INTA..INTD */
	char name[32];	    /* "SSSS:BB:DD.F", NUL-terminated */
};

/* Number of PCI functions this process may drive, and their descriptions.
 * Redox: exactly one, the function behind PCID_CLIENT_CHANNEL; the info
 * comes from the Config reply (address, full_device_id, legacy line) plus
 * ReadConfig(0x2c) for the subsystem ids.  Linux: the functions named with
 * --pci=, read from /sys/bus/pci/devices/<name>/{vendor,device,class,...}. */
int kpi_host_pci_count(void);
int kpi_host_pci_info(int index, struct kpi_pci_info *info);

/* Claim a function for exclusive use; returns a handle.  -KPI_EBUSY if
 * someone else owns it.  Redox: the channel fd is already ours (a second
 * open of /scheme/pci/.../channel would give ENOLCK -> -KPI_EBUSY).
 * Linux: bind uio_pci_generic, or vfio-pci when MSI/MSI-X or an IOMMU need
 * it (driver_override + bind in sysfs; runtime/host/linux/README.md says
 * which), open /sys/.../config (and vfio's container/group/device).  Release undoes it (Linux: close fds; Redox: nothing). */
int kpi_host_pci_open(int index);
void kpi_host_pci_close(int handle);

/* Turn on memory/IO decoding and bus mastering (pci_enable_device +
 * pci_set_master).  Redox: pcid-spawner already sent EnableDevice, which
 * is not idempotent (each one disables MSI/MSI-X): set COMMAND bits 0-2
 * with ReadConfig/WriteConfig at 0x04 (status half written as zero).  Linux: write "1" to sysfs enable, set COMMAND bits 0-2
 * through the config file. */
int kpi_host_pci_enable(int handle);

/* Config space access, width 1, 2 or 4, offset aligned to width.
 * Redox: ReadConfig/WriteConfig are 32-bit only: narrow reads extract,
 * narrow writes read-modify-write the dword (the backend zeroes the RW1C
 * status bits 0x06..0x07 in the merged value unless the write targets them).
 * Offsets >= 256 give -KPI_EIO (reads: all-ones) unless the backend runs
 * with --ecam: pcid asserts on them without memory-mapped config space.
 * Linux: pread/pwrite on /sys/bus/pci/devices/<name>/config. */
int kpi_host_pci_cfg_read(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 *value);
int kpi_host_pci_cfg_write(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 value);

/* Describe BAR 0..5 (and 6 = expansion ROM).  size 0 means unused.
 * Redox: from the Config reply's bars[] (Memory32/Memory64 carry address and
 * size; Port carries only the base, so the backend sizes port BARs once by
 * writing all-ones with I/O decoding off and restoring).  Linux: the
 * /sys/.../resource file (start end flags per line). */
#define KPI_BAR_MEM 0x1u
#define KPI_BAR_IO 0x2u
#define KPI_BAR_64 0x4u
#define KPI_BAR_PREFETCH 0x8u
struct kpi_pci_bar {
	kpi_u64 addr; /* bus/physical address, or first I/O port */
	kpi_u64 size;
	kpi_u32 flags; /* KPI_BAR_* */
};
int kpi_host_pci_bar(int handle, int bar, struct kpi_pci_bar *out);

/* Map a whole memory BAR into our address space.  flags in: KPI_MAP_UC
 * (registers) or KPI_MAP_WC (framebuffers).  out->flags gets KPI_MAP_TRAPPED
 * if the mapping is not real memory and every access must go through
 * kpi_host_mmio_read/write (only the sim backend does that).
 * Redox: mmap(chan_fd, offset = bar << 61 | type << 59) with type UC=1,
 * WC=2, MAP_SHARED; pcid physmaps the BAR.  pcid maps again on every such
 * mmap and never unmaps, so each BAR is mapped once and kept until exit
 * (unmap does nothing; a second map returns the first mapping, its memory
 * type included); a BAR not starting a page is mapped from physical@uc/wc
 * under the memory root at its page base (pcid cannot); the ROM (6) gives
 * -KPI_ENOTSUP.  Linux: mmap of /sys/.../resourceN (resourceN_wc for WC).
 * Unmap: munmap. */
#define KPI_MAP_UC 0x0u
#define KPI_MAP_WC 0x1u
#define KPI_MAP_TRAPPED 0x100u
struct kpi_pci_map {
	void *addr;
	kpi_u64 size;
	kpi_u32 flags;
};
int kpi_host_pci_map_bar(int handle, int bar, kpi_u32 flags, struct kpi_pci_map *out);
void kpi_host_pci_unmap_bar(int handle, int bar);

/* MMIO access for mappings flagged KPI_MAP_TRAPPED (the real backends do a
 * plain volatile access, so lx may call these for every mapping or inline
 * the access when the flag is clear).  width 1, 2, 4 or 8. */
kpi_u64 kpi_host_mmio_read(const volatile void *addr, kpi_u32 width);
void kpi_host_mmio_write(volatile void *addr, kpi_u32 width, kpi_u64 value);

/* Allow port I/O to an I/O BAR, then in/out by absolute port number
 * (width 1, 2, 4).  Redox: acquire_port_io_rights once (dup of
 * redox_cur_thrfd_v0 "open_via_dup", SYS_CALL meta {Iopl=255}; the runtime
 * is one thread), then inb/outb instructions.  Linux: open /sys/.../resourceN
 * and pread/pwrite at port - base (sysfs supports 1/2/4-byte I/O accesses).
 * A port outside every enabled BAR reads all-ones and writes are dropped. */
int kpi_host_pci_pio_enable(int handle, int bar);
kpi_u32 kpi_host_pio_in(kpi_u32 port, kpi_u32 width);
void kpi_host_pio_out(kpi_u32 port, kpi_u32 width, kpi_u32 value);

/* ---- interrupts -------------------------------------------------------- */

/* Enable up to nvec vectors of one type (KPI_IRQ_LEGACY has exactly 1);
 * returns how many were enabled (>= 1, maybe fewer than asked, never
 * more; a count that is no power of two is fine for MSI: the backend rounds
 * the block up inside), -KPI_ENOTSUP if the type is not available (lx then
 * falls back, as pci_alloc_irq_vectors does), -KPI_EBUSY while another type
 * is on (the same type again returns its count).  Vector v of MSI-X is
 * table entry v.
 * Redox: LEGACY opens /scheme/irq/<legacy line> (lines 0..15 only); MSI/MSI-X
 * read the BSP id from /scheme/irq/bsp, open /scheme/irq/cpu-XX/N with
 * O_CREAT per vector (N from the cpu-XX listing; MSI needs an aligned block
 * of a power-of-two count), then program address 0xFEE00000 | apic<<12,
 * data N+32: MSI via SetFeatureInfo + EnableFeature(Msi); MSI-X via
 * FeatureInfo, the table BAR's one mapping, every entry masked,
 * EnableFeature(MsiX), entries written and unmasked.  Never EnableDevice.
 * Linux: LEGACY through uio_pci_generic (/dev/uioN) or vfio-pci (an
 * eventfd); MSI/MSI-X through vfio-pci, one eventfd per vector
 * (VFIO_DEVICE_SET_IRQS; vfio enables table entries 0..n-1); under uio
 * MSI/MSI-X -> -KPI_ENOTSUP.
 * Disable closes the IRQ fds and turns MSI/MSI-X off again (Redox: by
 * clearing the capability's enable bit - pcid has no request for it - and,
 * once sandboxed, keeping the fds for the next enable). */
#define KPI_IRQ_LEGACY 1
#define KPI_IRQ_MSI 2
#define KPI_IRQ_MSIX 4
int kpi_host_irq_enable(int handle, int type, int nvec);
void kpi_host_irq_disable(int handle);

/* Report vector index of handle as KPI_EV_IRQ events carrying cookie;
 * cookie 0 stops reporting.  Redox and Linux: add/remove the IRQ fd in the
 * epoll set with cookie as epoll data. */
int kpi_host_irq_watch(int handle, int index, void *cookie);

/* Acknowledge one reported interrupt: the vector is masked from the moment
 * it is reported until this call, so every reported event needs exactly one
 * ack (-KPI_EINVAL if nothing is pending an ack).  lx acks after the handler
 * ran (IRQ_HANDLED or not) so a level-triggered line does not storm.
 * Redox: write the 8-byte count read at report time back to the IRQ fd (the
 * kernel then unmasks the line); a write that returns 0 means a newer
 * interrupt came meanwhile: the ack still returns 0 and the vector is
 * reported again, still masked.  Linux: uio INTx: clear COMMAND's INTx
 * disable bit (uio_pci_generic has no irqcontrol); vfio INTx:
 * VFIO_IRQ_SET_ACTION_UNMASK.  vfio has no per-vector MSI/MSI-X mask, so
 * the backend masks by taking the vector's eventfd out of its wait set at
 * report and back at the ack (reported again at once if it fired since). */
int kpi_host_irq_ack(int handle, int index);

/* ---- DMA memory -------------------------------------------------------- */

/* Physically contiguous, zeroed, page-aligned memory with its bus address
 * (no IOMMU: bus address == physical address).  size is rounded up to pages.
 * KPI_DMA_32BIT asks for a bus address below 4 GiB (-KPI_ENOMEM if the
 * backend cannot guarantee it).  The backend may use priv.
 * Redox: openat(memroot, "zeroed@wb?phys_contiguous"), mmap MAP_PRIVATE
 * (MAP_SHARED gives EOPNOTSUPP) of a power-of-two page count (what the
 * kernel allocates anyway), bus address by redox_sys_call_v0 on the
 * "translation" fd with flags READ (the frame; plus the offset in the
 * page); free = munmap.  Redox has no below-4G allocation: KPI_DMA_32BIT
 * checks the address and retries a few times before -KPI_ENOMEM.  Linux: carve from 2 MiB
 * hugepages (mmap MAP_HUGETLB, mlock), physical address from
 * /proc/self/pagemap; free returns the chunk to the pool. */
#define KPI_DMA_32BIT 0x1u
struct kpi_dma {
	void *virt;
	kpi_u64 bus;
	kpi_size size;
	kpi_uptr priv;
};
int kpi_host_dma_alloc(kpi_size size, kpi_u32 flags, struct kpi_dma *out);
void kpi_host_dma_free(struct kpi_dma *dma);

/* Bus address of a byte inside memory from kpi_host_dma_alloc (streaming
 * mappings: lx keeps DMA-able buffers there or bounces).  -KPI_EFAULT for an
 * address the backend cannot translate.  Redox: the translation call (valid
 * for any mapped address).  Linux: /proc/self/pagemap. */
int kpi_host_dma_translate(const void *virt, kpi_u64 *bus);

/* ---- firmware ---------------------------------------------------------- */

/* Load a firmware blob by its Linux name ("rtl_nic/rtl8168d-1.fw") into
 * memory owned by the caller until kpi_host_firmware_release.
 * Redox: read /scheme/firmware/<name>, else /lib/firmware/<name> (no upstream
 * convention; Red Bear's firmware-loader serves the first), by openat on
 * the directories opened at init, so it works after the sandbox.  Linux:
 * /lib/firmware/<name>.  -KPI_ENOENT if not found. */
int kpi_host_firmware_load(const char *name, void **data, kpi_size *size);
void kpi_host_firmware_release(void *data, kpi_size size);

#endif /* KPI_HOST_PCI_H */
