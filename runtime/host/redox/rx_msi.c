/* rx_msi.c: MSI and MSI-X on Redox, the way [B] drivers/pcid/src/
 * driver_interface/irq_helpers.rs and msi.rs do it, for several vectors:
 *  - the BSP's id from /scheme/irq/bsp (a u32 in an 8-byte read), used as
 *    the cpu-XX directory and as the APIC destination, as upstream does;
 *  - one /scheme/irq/cpu-XX/N opened with O_CREAT per vector: this
 *    reserves vector N+32 (EEXIST if taken; [K] src/scheme/irq.rs);
 *  - MSI: an aligned contiguous block (the device ORs the vector index into
 *    the data), SetFeatureInfo(Msi{mme, addr/data, None}), EnableFeature;
 *  - MSI-X: FeatureInfo(MsiX), the table through the BAR's single mapping,
 *    every entry masked, EnableFeature(MsiX), entries programmed, unmasked;
 *  - off: pcid has no disable request, so the capability's enable bit is
 *    cleared with a config write (Message Control, cap + 2). */
#include "rx_internal.h"

#define RX_CAP_MSI 0x05
#define RX_CAP_MSIX 0x11

static int rx_read_bsp(rx_u32 *apic)
{
	rx_u8 buf[8] = {0}; /* the kernel stores 4 bytes and returns 8 */
	long fd = rx_open("/scheme/irq/bsp", RX_O_RDONLY | RX_O_CLOEXEC);
	if (fd < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: /scheme/irq/bsp: error %ld", -fd);
		return rx_kerr(fd);
	}
	long n = rx_read(fd, buf, 8);
	rx_close(fd);
	if (n != 8 && n != 4)
		return -KPI_EIO;
	*apic = (rx_u32)buf[0] | (rx_u32)buf[1] << 8 | (rx_u32)buf[2] << 16 | (rx_u32)buf[3] << 24;
	return 0;
}

/* The free irq numbers of cpu-XX, ascending.  One getdents call: the
 * kernel's continuation cookie for this directory is unusable (rx_sys.h). */
static int rx_free_numbers(rx_u32 cpu, rx_u8 *out, int cap)
{
	char path[32];
	static rx_u8 buf[8192];
	snprintf(path, sizeof(path), "/scheme/irq/cpu-%02x", cpu & 0xff);
	long fd = rx_open(path, RX_O_RDONLY | RX_O_DIRECTORY | RX_O_CLOEXEC);
	if (fd < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: %s: error %ld", path, -fd);
		return rx_kerr(fd);
	}
	long len = rx_getdents(fd, buf, sizeof(buf), 0);
	rx_close(fd);
	if (len < 0)
		return rx_kerr(len);
	int n = 0;
	rx_size pos = 0;
	const char *name;
	while (n < cap && (name = rx_dirent_next(buf, (rx_size)len, &pos))) {
		long v = rx_parse_fd(name);
		if (v >= 16 && v < 224 && (n == 0 || v > out[n - 1]))
			out[n++] = (rx_u8)v;
	}
	return n;
}

static long rx_reserve_one(rx_u32 cpu, int number)
{
	char path[40];
	snprintf(path, sizeof(path), "/scheme/irq/cpu-%02x/%d", cpu & 0xff, number);
	return rx_open(path, RX_O_RDWR | RX_O_CREAT | RX_O_CLOEXEC);
}

int rx_irq_reserve(struct rx_func *f, int n, int aligned, rx_u32 *apic)
{
	rx_u8 nums[224];
	int rc = rx_read_bsp(apic);
	if (rc < 0)
		return rc;
	for (int attempt = 0; attempt < 4; attempt++) { /* another driver may race us */
		int nfree = rx_free_numbers(*apic, nums, (int)sizeof(nums));
		if (nfree < 0)
			return nfree;
		int got = 0;
		if (aligned) {
			int first = rx_msi_pick_block(nums, nfree, n);
			if (first < 0)
				return -KPI_ENOSPC;
			for (; got < n; got++) {
				long fd = rx_reserve_one(*apic, first + got);
				if (fd < 0)
					break;
				f->vec[got].fd = fd;
				f->vec[got].number = first + got;
			}
		} else {
			/* 16 last: the kernel never frees its reservation. */
			for (int pass = 0; pass < 2; pass++)
				for (int i = 0; i < nfree && got < n; i++) {
					if ((nums[i] == 16) != (pass == 1))
						continue;
					long fd = rx_reserve_one(*apic, nums[i]);
					if (fd < 0)
						continue;
					f->vec[got].fd = fd;
					f->vec[got].number = nums[i];
					got++;
				}
		}
		if (got == n || (!aligned && got > 0))
			return got;
		while (got > 0) { /* a partial aligned block: give it back, look again */
			got--;
			rx_close(f->vec[got].fd);
			f->vec[got].fd = -1;
		}
	}
	return -KPI_ENOSPC;
}

/* Vectors kept from before the sandbox, if they fit the request. */
static int rx_take_kept(struct rx_func *f, int type, int n)
{
	if (f->kept_type != type || f->nkept < n)
		return 0;
	for (int i = 0; i < f->nkept; i++) {
		f->vec[i].fd = f->kept_fd[i];
		f->vec[i].number = f->kept_number[i];
		f->kept_fd[i] = -1;
	}
	n = f->nkept;
	f->nkept = 0;
	f->kept_type = 0;
	return n;
}

static int rx_msi_setup(struct rx_func *f, int n, rx_u32 apic)
{
	int log2 = 0;
	while ((1 << log2) < n)
		log2++;
	struct rxw_req req = {.tag = RXW_REQ_SET_FEATURE_INFO};
	struct rxw_resp resp;
	req.set.feature = RXW_FEAT_MSI;
	req.set.has_mme = 1;
	req.set.mme = (rx_u8)log2;
	req.set.has_addr_data = 1;
	req.set.addr = rx_msi_address(apic);
	req.set.data = rx_msi_data((rx_u32)f->vec[0].number);
	int rc = rx_chan_call(&req, &resp);
	if (rc < 0)
		return rc;
	struct rxw_req en = {.tag = RXW_REQ_ENABLE_FEATURE, .feature = RXW_FEAT_MSI};
	return rx_chan_call(&en, &resp);
}

static int rx_msix_setup(struct rx_func *f, int n, rx_u32 apic)
{
	for (int i = 0; i < f->msix_size; i++) /* in case an earlier user unmasked them */
		f->msix_table[i * 4 + 3] |= 1u;
	struct rxw_req en = {.tag = RXW_REQ_ENABLE_FEATURE, .feature = RXW_FEAT_MSIX};
	struct rxw_resp resp;
	int rc = rx_chan_call(&en, &resp);
	if (rc < 0)
		return rc;
	rx_u64 addr = rx_msi_address(apic);
	for (int i = 0; i < n; i++) {
		volatile rx_u32 *e = f->msix_table + i * 4;
		e[0] = (rx_u32)addr;
		e[1] = (rx_u32)(addr >> 32);
		e[2] = rx_msi_data((rx_u32)f->vec[i].number);
		e[3] &= ~1u;
	}
	return 0;
}

/* How many vectors the device offers for type; maps the MSI-X table. */
static int rx_msi_capacity(struct rx_func *f, int type)
{
	struct rxw_req req = {.tag = RXW_REQ_FEATURE_INFO};
	struct rxw_resp resp;
	req.feature = type == KPI_IRQ_MSI ? RXW_FEAT_MSI : RXW_FEAT_MSIX;
	int rc = rx_chan_call(&req, &resp);
	if (rc < 0)
		return rc; /* -KPI_ENOTSUP: pcid says the function has no such capability */
	if (type == KPI_IRQ_MSI)
		return 1 << (resp.msi_mmc > 5 ? 5 : resp.msi_mmc);
	int bar = resp.msix_table_bar;
	if (bar >= 6 || !(f->bars[bar].flags & KPI_BAR_MEM) ||
	    !rx_msix_table_ok(resp.msix_table_offset, resp.msix_table_size, f->bars[bar].size)) {
		rx_logf(KPI_LOG_ERR, "kpi redox: %s: MSI-X table (BAR %d + 0x%x, %u entries) is not inside a BAR",
			f->info.name, bar, resp.msix_table_offset, resp.msix_table_size);
		return -KPI_ENOTSUP;
	}
	void *base;
	rc = rx_bar_map(f, bar, RX_MEMTYPE_UC, &base); /* the driver's own mapping, if it has one */
	if (rc < 0)
		return rc;
	f->msix_table = (volatile rx_u32 *)((char *)base + resp.msix_table_offset);
	f->msix_size = resp.msix_table_size;
	return resp.msix_table_size;
}

int rx_msi_enable(struct rx_func *f, int type, int nvec)
{
	rx_u32 apic = 0;
	int cap = rx_msi_capacity(f, type);
	if (cap < 0)
		return cap;
	int n = nvec < cap ? nvec : cap;
	if (n > RX_MAX_VEC)
		n = RX_MAX_VEC;
	/* MSI needs an aligned block of a power of two: 3 asked reserve and
	 * program 4 (cap is a power of two, so the block fits), the caller
	 * gets the 3 it asked for, as Linux's MSI core does. */
	int want = n;
	if (type == KPI_IRQ_MSI)
		for (want = 1; want < n; want *= 2)
			;
	int got = rx_take_kept(f, type, want);
	if (got > 0) {
		apic = f->apic; /* kept from before the sandbox, with the CPU they were reserved on */
	} else {
		int rc = rx_may_open(type == KPI_IRQ_MSI ? "pci_enable_msi (reserving vectors)"
							 : "pci_enable_msix (reserving vectors)");
		if (rc < 0)
			return rc;
		got = rx_irq_reserve(f, want, type == KPI_IRQ_MSI, &apic);
		if (got < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: %s: no %d free interrupt vector(s) on cpu %u", f->info.name, want,
				apic);
			return got;
		}
		f->apic = apic;
	}
	f->irq_type = type;
	f->nvec = got;
	int rc = type == KPI_IRQ_MSI ? rx_msi_setup(f, got, apic) : rx_msix_setup(f, got, apic);
	if (rc < 0) {
		rx_irq_release_fds(f);
		f->irq_type = 0;
		f->nvec = 0;
		return rc;
	}
	rx_logf(KPI_LOG_INFO, "kpi redox: %s: %s with %d vector(s) from %d", f->info.name,
		type == KPI_IRQ_MSI ? "MSI" : "MSI-X", got, f->vec[0].number + 32);
	return got < n ? got : n; /* the block's spare vectors stay reserved, unused */
}

void rx_msi_disable(struct rx_func *f)
{
	rx_u32 pos = rx_pci_find_cap(f->irq_type == KPI_IRQ_MSI ? RX_CAP_MSI : RX_CAP_MSIX);
	if (f->irq_type == KPI_IRQ_MSIX && f->msix_table)
		for (int i = 0; i < f->msix_size; i++)
			f->msix_table[i * 4 + 3] |= 1u;
	if (!pos)
		return;
	/* Message Control is the upper half of the capability's first dword:
	 * MSI enable is bit 0, MSI-X enable bit 15. */
	rx_u32 ctl;
	if (kpi_host_pci_cfg_read(0, pos + 2, 2, &ctl) == 0)
		kpi_host_pci_cfg_write(0, pos + 2, 2, ctl & (f->irq_type == KPI_IRQ_MSI ? ~0x1u : ~0x8000u));
}
