/* re_irq.c: the emulated kernel irq scheme (kernel src/scheme/irq.rs at
 * 663e664) and the routing of the backing device's interrupts to it:
 * legacy INTx to /scheme/irq/<line>, MSI and MSI-X to the cpu-00/N vector
 * that config space (MSI capability) or the MSI-X table in the BAR was
 * programmed with.  One CPU (cpu-00, the BSP, APIC id 0). */
#define _GNU_SOURCE
#include "re_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rx_u64 counts[RE_NIRQ]; /* COUNTS in irq.rs */
static rx_u8 reserved[256];    /* the BSP's IDT reservations (vectors) */
static int reserved_init;
static int legacy_unacked[RE_MAX_DEVS];

/* arch/x86_shared/idt.rs init: exceptions 0-31, legacy IRQs + LAPIC timer
 * and error 32-49, IPIs 0x40-0x43 (ipi.rs IpiKind). */
static void init_reserved(void)
{
	if (reserved_init)
		return;
	reserved_init = 1;
	for (int v = 0; v <= 49; v++)
		reserved[v] = 1;
	for (int v = 0x40; v <= 0x43; v++)
		reserved[v] = 1;
}

long re_irq_count(int irq)
{
	return irq >= 0 && irq < RE_NIRQ ? (long)counts[irq] : -1;
}

int re_irq_reserved(int irq)
{
	init_reserved();
	return irq >= 0 && irq < RE_NIRQ && reserved[irq + 32];
}

static int parse_u8(const char *s, size_t n, int base, int *out)
{
	if (!n || n > 3)
		return 0;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = s[i], dgt;
		if (c >= '0' && c <= '9')
			dgt = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			dgt = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			dgt = c - 'A' + 10;
		else
			return 0;
		v = v * base + dgt;
	}
	if (v > 255)
		return 0; /* u8::from_str fails */
	*out = v;
	return 1;
}

static long new_irq_handle(int irq, rx_u32 flags)
{
	struct re_handle *h = re_handle_new(RE_K_IRQ, flags);
	if (!h)
		return -RX_ENOMEM;
	h->irq = irq;
	h->ack = 0;
	for (int i = 0; i < re_ndevs; i++)
		if (re_devs[i].legacy_irq == irq && re_devs[i].handle >= 0)
			re_irq_sync(&re_devs[i]); /* the line has a listener now */
	return h->fd;
}

long re_irq_open(const char *rest, rx_u32 flags)
{
	init_reserved();
	while (*rest == '/')
		rest++;
	size_t len = strlen(rest);
	if (!len) {
		if (!(flags & RX_O_DIRECTORY))
			return -RX_EISDIR;
		struct re_handle *h = re_handle_new(RE_K_IRQ_TOP, flags);
		return h ? h->fd : -RX_ENOMEM;
	}
	if (!strcmp(rest, "bsp")) {
		struct re_handle *h = re_handle_new(RE_K_IRQ_BSP, flags);
		return h ? h->fd : -RX_ENOMEM;
	}
	if (!strncmp(rest, "cpu-", 4)) {
		int cpu;
		if (len < 6 || !parse_u8(rest + 4, 2, 16, &cpu))
			return -RX_ENOENT;
		if (cpu != 0) {
			/* The kernel unwraps a missing IDT here (a kernel panic); one CPU is emulated. */
			re_log("irq: cpu-%02x does not exist (one CPU emulated)", cpu);
			return -RX_ENOENT;
		}
		const char *p = rest + 6;
		size_t pl = strlen(p);
		while (pl && p[pl - 1] == '/')
			pl--;
		if (!pl) {
			struct re_handle *h = re_handle_new(RE_K_IRQ_AVAIL, flags);
			if (h)
				h->cpu = cpu;
			return h ? h->fd : -RX_ENOMEM;
		}
		if (*p != '/')
			return -RX_ENOENT;
		int n;
		if (!parse_u8(p + 1, pl - 1, 10, &n))
			return -RX_ENOENT;
		if (n < RE_BASE_IRQ)
			return new_irq_handle(n, flags); /* legacy line through the BSP path */
		if (n >= RE_NIRQ)
			return -RX_ENOENT;
		if (!(flags & RX_O_CREAT))
			return -RX_EINVAL; /* open_ext_irq: O_CREAT (or O_STAT) required */
		if (reserved[n + 32])
			return -RX_EEXIST;
		reserved[n + 32] = 1;
		return new_irq_handle(n, flags);
	}
	int n;
	if (parse_u8(rest, len, 10, &n) && n < RE_BASE_IRQ)
		return new_irq_handle(n, flags);
	return -RX_ENOENT;
}

void re_irq_close(struct re_handle *h)
{
	/* irq.rs close(): set_reserved(BSP, vector, false) for irq > 16, but
	 * idt.rs set_reserved ORs the bit in (fetch_or(0 << bit)): nothing is
	 * ever freed.  Reproduced: the reservation stays. */
	(void)h;
}

long re_irq_read(struct re_handle *h, void *buf, size_t len)
{
	if (len < 8)
		return -RX_EINVAL;
	if (h->kind == RE_K_IRQ_BSP) {
		rx_u32 bsp = 0; /* writes a u32, returns 8 */
		memcpy(buf, &bsp, 4);
		return 8;
	}
	rx_u64 cur = counts[h->irq];
	if (h->ack == cur)
		return 0; /* never blocks */
	memcpy(buf, &cur, 8);
	return 8;
}

long re_irq_write(struct re_handle *h, const void *buf, size_t len)
{
	if (h->kind != RE_K_IRQ)
		return -RX_EBADF;
	if (len < 8)
		return -RX_EINVAL;
	rx_u64 ack;
	memcpy(&ack, buf, 8);
	if (ack != counts[h->irq])
		return 0; /* a newer interrupt came: not acknowledged, stays masked */
	h->ack = ack;
	/* acknowledge(irq): unmask.  Only legacy lines are masked here. */
	for (int i = 0; i < re_ndevs; i++) {
		struct re_dev *d = &re_devs[i];
		if (d->legacy_irq == h->irq && d->irq_type == KPI_IRQ_LEGACY && legacy_unacked[i]) {
			legacy_unacked[i] = 0;
			kpb_host_irq_ack(d->handle, 0);
		}
	}
	return 8;
}

long re_irq_getdents(struct re_handle *h, rx_u8 *buf, size_t len, rx_u64 opaque)
{
	init_reserved();
	size_t out = 0;
	char name[16];
	if (h->kind == RE_K_IRQ_TOP) {
		long r;
		if (opaque == 0) {
			r = re_dirent(buf, len, 1, RE_DT_CHR, "bsp");
			if (r < 0)
				return r;
			out += (size_t)r;
		}
		if (opaque <= 0) { /* cpus with opaque <= cpu id: only cpu 0 */
			r = re_dirent(buf + out, len - out, 1, RE_DT_DIR, "cpu-00");
			if (r < 0)
				return r;
			out += (size_t)r;
		}
		return (long)out;
	}
	/* available_irqs_iter(cpu).skip(opaque): skips opaque *free vectors*,
	 * though next_opaque_id is vector + 1 (a kernel quirk, reproduced). */
	rx_u64 skipped = 0;
	for (int v = 32; v <= 254; v++) {
		if (reserved[v])
			continue;
		if (skipped++ < opaque)
			continue;
		int irq = v - 32;
		if (irq < RE_BASE_IRQ)
			continue;
		snprintf(name, sizeof(name), "%d", irq);
		long r = re_dirent(buf + out, len - out, (rx_u64)v + 1, RE_DT_CHR, name);
		if (r < 0)
			return r; /* DirentBuf's EINVAL fails the whole call */
		out += (size_t)r;
	}
	return (long)out;
}

/* ---- routing -------------------------------------------------------------------- */

static void trigger_irq(int irq)
{
	counts[irq]++;
	for (int s = 0; s < RE_MAX_FDS; s++) {
		struct re_handle *h = re_handle_at(s);
		if (h && h->kind == RE_K_IRQ && h->irq == irq)
			re_trigger(h->fd, RX_EVENT_READ);
	}
}

static int line_listened(int irq)
{
	for (int s = 0; s < RE_MAX_FDS; s++) {
		struct re_handle *h = re_handle_at(s);
		if (h && h->kind == RE_K_IRQ && h->irq == irq)
			return 1;
	}
	return 0;
}

void re_irq_sync(struct re_dev *d)
{
	if (d->handle < 0)
		return;
	int type = 0, nvec = 0;
	if (d->msix_cap && d->msix_ok && (re_cfg_read(d, (rx_u32)d->msix_cap) >> 31 & 1)) {
		type = KPI_IRQ_MSIX;
		nvec = (int)(re_cfg_read(d, (rx_u32)d->msix_cap) >> 16 & 0x7ff) + 1;
	} else if (d->msi_cap && d->msi_ok && (re_cfg_read(d, (rx_u32)d->msi_cap) >> 16 & 1)) {
		type = KPI_IRQ_MSI;
		nvec = 1 << (re_cfg_read(d, (rx_u32)d->msi_cap) >> 20 & 7);
	} else if (d->legacy_irq >= 0 && line_listened(d->legacy_irq)) {
		type = KPI_IRQ_LEGACY;
		nvec = 1;
	}
	if (type == d->irq_type && nvec == d->irq_nvec)
		return;
	int slot = (int)(d - re_devs);
	if (d->irq_type)
		kpb_host_irq_disable(d->handle);
	d->irq_type = d->irq_nvec = 0;
	legacy_unacked[slot] = 0;
	if (!type)
		return;
	int n = kpb_host_irq_enable(d->handle, type, nvec);
	if (n < 0) {
		re_log("irq: the backing cannot enable %s for %s (%d): no interrupts",
		       type == KPI_IRQ_LEGACY ? "INTx" : type == KPI_IRQ_MSI ? "MSI" : "MSI-X", d->name, n);
		return;
	}
	d->irq_type = type;
	d->irq_nvec = n;
	for (int v = 0; v < n; v++)
		kpb_host_irq_watch(d->handle, v, d);
	if (re_w.opt.verbose)
		re_log("irq: %s delivers %s x%d", d->name,
		       type == KPI_IRQ_LEGACY ? "INTx" : type == KPI_IRQ_MSI ? "MSI" : "MSI-X", n);
}

/* An MSI/MSI-X message the device sends: address and data as programmed. */
static void deliver_message(struct re_dev *d, int index, rx_u64 addr, rx_u32 data)
{
	if ((addr & ~0xff000ull) != 0xfee00000ull || (addr >> 12 & 0xff) != 0)
		re_fail("irq: %s vector %d was programmed with message address 0x%llx, not 0xfee00000 | bsp<<12",
			d->name, index, (unsigned long long)addr);
	int vec = (int)(data & 0xff);
	if (vec < 48 || vec > 254 || !reserved[vec] || vec - 32 < RE_BASE_IRQ)
		re_fail("irq: %s vector %d fired with data 0x%x (vector %d) which no cpu-00/N reservation holds: "
			"program the data of a reserved vector (N + 32)",
			d->name, index, data, vec);
	trigger_irq(vec - 32);
}

static void msix_entry(struct re_dev *d, int index, rx_u64 *addr, rx_u32 *data, int *masked)
{
	rx_u32 t = re_cfg_read(d, (rx_u32)d->msix_cap + 4), ctl = re_cfg_read(d, (rx_u32)d->msix_cap);
	int bir = (int)(t & 7);
	if (!d->mapped[bir]) { /* our own view (not pcid's): does not count as a channel map */
		if (kpb_host_pci_map_bar(d->handle, bir, KPI_MAP_UC, &d->map[bir]) < 0)
			re_fail("irq: cannot map the MSI-X table BAR %d of %s", bir, d->name);
		d->mapped[bir] = 1;
	}
	volatile char *e = (volatile char *)d->map[bir].addr + (t & ~7u) + 16 * (rx_u32)index;
	rx_u64 lo = kpb_host_mmio_read(e, 4), hi = kpb_host_mmio_read(e + 4, 4);
	*addr = hi << 32 | lo;
	*data = (rx_u32)kpb_host_mmio_read(e + 8, 4);
	*masked = (kpb_host_mmio_read(e + 12, 4) & 1) || (ctl >> 30 & 1);
}

void re_irq_event(const struct kpi_host_event *ev)
{
	struct re_dev *d = ev->cookie;
	if (!d || d < re_devs || d >= re_devs + re_ndevs)
		return;
	int idx = (int)ev->index, slot = (int)(d - re_devs);
	switch (d->irq_type) {
	case KPI_IRQ_LEGACY:
		/* Masked by the kernel until the ack (irq.rs trigger -> ioapic/pic mask). */
		legacy_unacked[slot] = 1;
		trigger_irq(d->legacy_irq);
		break;
	case KPI_IRQ_MSI: {
		rx_u32 ctl = re_cfg_read(d, (rx_u32)d->msi_cap), is64 = ctl >> 23 & 1;
		rx_u64 addr = re_cfg_read(d, (rx_u32)d->msi_cap + 4);
		if (is64)
			addr |= (rx_u64)re_cfg_read(d, (rx_u32)d->msi_cap + 8) << 32;
		rx_u32 data = re_cfg_read(d, (rx_u32)d->msi_cap + (is64 ? 12 : 8)) & 0xffff;
		/* MSI vectors are not masked by the kernel (not an IOAPIC line). */
		kpb_host_irq_ack(d->handle, idx);
		deliver_message(d, idx, addr, data + (rx_u32)idx);
		break;
	}
	case KPI_IRQ_MSIX: {
		rx_u64 addr;
		rx_u32 data;
		int masked;
		kpb_host_irq_ack(d->handle, idx);
		msix_entry(d, idx, &addr, &data, &masked);
		if (masked && idx < 32)
			d->msix_pending |= 1u << idx; /* held in the PBA until unmasked */
		else if (!masked)
			deliver_message(d, idx, addr, data);
		break;
	}
	default:
		kpb_host_irq_ack(d->handle, idx);
	}
}

void re_irq_poll_masked(void)
{
	for (int i = 0; i < re_ndevs; i++) {
		struct re_dev *d = &re_devs[i];
		if (d->irq_type != KPI_IRQ_MSIX || !d->msix_pending)
			continue;
		for (int v = 0; v < 32 && v < d->irq_nvec; v++) {
			if (!(d->msix_pending >> v & 1))
				continue;
			rx_u64 addr;
			rx_u32 data;
			int masked;
			msix_entry(d, v, &addr, &data, &masked);
			if (!masked) {
				d->msix_pending &= ~(1u << v);
				deliver_message(d, v, addr, data);
			}
		}
	}
}
