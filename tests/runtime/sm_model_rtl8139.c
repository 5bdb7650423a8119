/* sm_model_rtl8139.c: a sim model of the Realtek RTL8139C (PCI revision
 * 0x10, TCR hardware version "8139C"), written for kpiport from the
 * RTL8139C(L) datasheet's register descriptions - no Linux or QEMU code.
 *
 * Registers (BAR0 = 256 I/O ports, BAR1 = the same registers in memory
 * space; any access width, little endian):
 *   00 IDR0-5 (loaded from EEPROM words 7-9 at power-on)   08 MAR0-7
 *   10 TSD0-3: size 12:0, OWN 13 (device sets it when the DMA is done),
 *      TUN 14, TOK 15, ERTXTH 21:16, CRS 31 - a write with OWN clear
 *      queues the descriptor; the transmitter serves 0,1,2,3,0,... in turn
 *   20 TSAD0-3   30 RBSTART   37 CR: RST 4 (self-clearing), RE 3, TE 2,
 *      BUFE 0   38 CAPR (driver: read pointer - 16)   3A CBR (device
 *      write offset)   3C IMR   3E ISR (write 1 to clear): ROK 0, RER 1,
 *      TOK 2, TER 3, RXOVW 4, PUN/LinkChg 5, FOVW 6, LenChg 13,
 *      TimeOut 14, SERR 15
 *   40 TCR (HWVERID bits 30:26,23:22 read-only; CRC-append disable 16)
 *   44 RCR: AAP 0, APM 1, AM 2, AB 3, AR 4, AER 5, WRAP 7, RBLEN 12:11
 *   4C MPC (missed packets, 24 bits; any write clears)
 *   50 9346CR: EEM 7:6 (00 normal, 01 auto-load, 10 programming: EECS 3,
 *      EESK 2, EEDI 1, EEDO 0; 11 config write enable)
 *   51-5A CONFIG0/1/3/4 (writable only with EEM = 11), 58 MSR (LINKB 2)
 *   5E RERID   60 TSAD summary   62 BMCR  64 BMSR (link latched low)
 *   66 ANAR  68 ANLPAR  6A ANER   74 CSCR (LinkOK 0x400, LinkChange 0x800)
 * RX: frames go into the ring at RBSTART + CBR as {u16 status, u16 length
 * incl. FCS}, data, FCS, next frame 4-byte aligned; WRAP=1 writes a frame
 * past the ring's end instead of wrapping it.  There must be room before
 * CAPR+16, else the frame waits on the wire (flow control) or is lost
 * (RXOVW, MPC).  The interrupt line is level-triggered: asserted while
 * ISR & IMR, re-raised at every poll while it stays so. */
#include "sm_internal.h"

#include <stdlib.h>
#include <string.h>

#define RTL_VERSION 0x74000000u /* HWVERID: RTL8139C */
#define RTL_VERSION_MASK 0x7cc00000u

enum {
	R_IDR = 0x00,
	R_MAR = 0x08,
	R_TSD = 0x10,
	R_TSAD = 0x20,
	R_RBSTART = 0x30,
	R_CR = 0x37,
	R_CAPR = 0x38,
	R_CBR = 0x3a,
	R_IMR = 0x3c,
	R_ISR = 0x3e,
	R_TCR = 0x40,
	R_RCR = 0x44,
	R_TCTR = 0x48,
	R_MPC = 0x4c,
	R_9346 = 0x50,
	R_CONFIG0 = 0x51,
	R_CONFIG1 = 0x52,
	R_MSR = 0x58,
	R_CONFIG3 = 0x59,
	R_CONFIG4 = 0x5a,
	R_RERID = 0x5e,
	R_TSADS = 0x60,
	R_BMCR = 0x62,
	R_BMSR = 0x64,
	R_ANAR = 0x66,
	R_ANLPAR = 0x68,
	R_ANER = 0x6a,
	R_CSCR = 0x74,
};

enum {
	CR_RST = 0x10,
	CR_RE = 0x08,
	CR_TE = 0x04,
	CR_BUFE = 0x01,
	ISR_ROK = 0x0001,
	ISR_TOK = 0x0004,
	ISR_TER = 0x0008,
	ISR_RXOVW = 0x0010,
	ISR_LINKCHG = 0x0020,
	TSD_OWN = 0x2000,
	TSD_TOK = 0x8000,
	TSD_TABT = 0x40000000u,
	TSD_CRS = 0x80000000u,
	TSD_DRIVER = 0x003f1fffu, /* size and ERTXTH: what the driver writes */
	RCR_AAP = 0x01,
	RCR_APM = 0x02,
	RCR_AM = 0x04,
	RCR_AB = 0x08,
	RCR_WRAP = 0x80,
	RX_ROK = 0x0001,
	RX_BAR = 0x2000,
	RX_PAM = 0x4000,
	RX_MAR = 0x8000,
};

struct rtl {
	struct sm_nic nic;
	uint8_t r[256];	  /* the register file as stored bytes */
	int pending[4];	  /* TSD written with OWN clear, not yet sent */
	int tx_next;	  /* the descriptor the transmitter serves next */
	uint32_t cbr;	  /* receive write offset in the ring */
	uint32_t mpc;	  /* missed packet counter */
	int bmsr_low;	  /* link went down since BMSR was read (latched low) */
	int cscr_change;  /* link changed since CSCR was read */
	struct sm_ee93 ee;
};

static uint32_t get(const struct rtl *t, unsigned off, unsigned width)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)t->r[(off + i) & 0xff] << (8 * i);
	return v;
}

static void put(struct rtl *t, unsigned off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++)
		t->r[(off + i) & 0xff] = (uint8_t)(v >> (8 * i));
}

static uint32_t ring_len(const struct rtl *t)
{
	return 8192u << (get(t, R_RCR, 4) >> 11 & 3);
}

static uint32_t ring_read_off(const struct rtl *t)
{
	return (uint16_t)(get(t, R_CAPR, 2) + 16) % ring_len(t);
}

static int ring_empty(const struct rtl *t)
{
	return ring_read_off(t) == t->cbr;
}

static void update_irq(struct rtl *t)
{
	if (get(t, R_ISR, 2) & get(t, R_IMR, 2)) {
		sim_irq_raise(t->nic.dev, 0);
		t->nic.st.irq_raised++;
	}
}

static void set_isr(struct rtl *t, uint16_t bits)
{
	put(t, R_ISR, 2, get(t, R_ISR, 2) | bits);
	update_irq(t);
}

/* Software reset (CR.RST) - IDR and MAR keep their values. */
static void chip_reset(struct rtl *t)
{
	t->r[R_CR] = 0;
	put(t, R_IMR, 2, 0);
	put(t, R_ISR, 2, 0);
	put(t, R_CAPR, 2, 0xfff0);
	put(t, R_RCR, 4, 0);
	put(t, R_TCR, 4, 0);
	for (int i = 0; i < 4; i++) {
		put(t, R_TSD + 4 * i, 4, TSD_OWN);
		t->pending[i] = 0;
	}
	t->tx_next = 0;
	t->cbr = 0;
	t->mpc = 0;
	t->r[R_9346] = 0;
	t->nic.st.resets++;
}

static void power_on(struct rtl *t)
{
	memset(t->r, 0, sizeof(t->r));
	for (int i = 0; i < 3; i++) /* auto-load of the station address */
		put(t, R_IDR + 2 * i, 2, t->ee.word[7 + i]);
	put(t, R_BMCR, 2, 0x3100); /* 100 Mb/s, autonegotiation, full duplex */
	put(t, R_ANAR, 2, 0x01e1);
	t->r[R_RERID] = 0x10;
	chip_reset(t);
	t->nic.st.resets = 0;
}

/* ---- register reads -------------------------------------------------------- */

static uint16_t bmsr(struct rtl *t)
{
	int link = t->nic.link && !t->bmsr_low;
	t->bmsr_low = 0;
	return 0x7809 | (link ? 0x0024 : 0); /* 10/100 HD/FD, AN able (+ link, AN complete) */
}

static uint16_t tsad_summary(const struct rtl *t)
{
	uint16_t v = 0;
	for (int i = 0; i < 4; i++) {
		uint32_t d = get(t, R_TSD + 4 * i, 4);
		v |= (d & TSD_TOK ? 1u : 0u) << (12 + i);
		v |= (d & 0x4000 ? 1u : 0u) << (8 + i);
		v |= (d & TSD_TABT ? 1u : 0u) << (4 + i);
		v |= (d & TSD_OWN ? 1u : 0u) << i;
	}
	return v;
}

static uint8_t read8(struct rtl *t, unsigned off)
{
	switch (off) {
	case R_CR:
		return (uint8_t)((t->r[R_CR] & (CR_RE | CR_TE)) | (ring_empty(t) ? CR_BUFE : 0));
	case R_CBR:
	case R_CBR + 1:
		return (uint8_t)(t->cbr >> (8 * (off - R_CBR)));
	case R_TCR + 3:
	case R_TCR + 2:
	case R_TCR + 1:
	case R_TCR: {
		uint32_t v = (get(t, R_TCR, 4) & ~RTL_VERSION_MASK) | RTL_VERSION;
		return (uint8_t)(v >> (8 * (off - R_TCR)));
	}
	case R_TCTR:
	case R_TCTR + 1:
	case R_TCTR + 2:
	case R_TCTR + 3:
		return 0;
	case R_MPC:
	case R_MPC + 1:
	case R_MPC + 2:
		return (uint8_t)(t->mpc >> (8 * (off - R_MPC)));
	case R_MPC + 3:
		return 0;
	case R_9346:
		if ((t->r[R_9346] & 0xc0) == 0x80)
			return (uint8_t)((t->r[R_9346] & 0xfe) | t->ee.dout);
		return t->r[R_9346] & 0xfe;
	case R_MSR:
		return (uint8_t)(t->nic.link ? 0 : 0x04); /* LINKB: link fail; SPEED_10 = 0: 100 Mb/s */
	case R_TSADS:
	case R_TSADS + 1:
		return (uint8_t)(tsad_summary(t) >> (8 * (off - R_TSADS)));
	case R_BMSR:
		return (uint8_t)bmsr(t);
	case R_BMSR + 1:
		return 0x78;
	case R_ANLPAR:
	case R_ANLPAR + 1:
		return (uint8_t)((t->nic.link ? 0x45e1 : 0) >> (8 * (off - R_ANLPAR)));
	case R_ANER:
		return t->nic.link ? 0x01 : 0;
	case R_ANER + 1:
		return 0;
	case R_CSCR + 1: {
		uint8_t v = (uint8_t)((t->r[R_CSCR + 1] & 0xf3) | (t->nic.link ? 0x04 : 0) | (t->cscr_change ? 0x08 : 0));
		t->cscr_change = 0;
		return v;
	}
	default:
		return t->r[off];
	}
}

static kpi_u64 rtl_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	struct rtl *t = sim_dev_priv(dev);
	if (off + width > 256)
		return 0;
	uint32_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)read8(t, (unsigned)off + i) << (8 * i);
	sm_trace_access(&t->nic, 'r', bar, off, width, v);
	return v;
}

/* ---- register writes ------------------------------------------------------- */

static void eeprom_9346(struct rtl *t, uint8_t v)
{
	int mode = v >> 6;
	if (mode == 1) { /* auto-load: the station address again, then normal mode */
		for (int i = 0; i < 3; i++)
			put(t, R_IDR + 2 * i, 2, t->ee.word[7 + i]);
		t->r[R_9346] = 0;
		sm_ee93_pins(&t->ee, 0, 0, 0);
		return;
	}
	t->r[R_9346] = v;
	if (mode == 2)
		sm_ee93_pins(&t->ee, v & 0x08, v & 0x04, v & 0x02);
	else
		sm_ee93_pins(&t->ee, 0, 0, 0); /* the pins are not driven by software */
}

static void write8(struct rtl *t, unsigned off, uint8_t v, int *reset, int *tsd_touched)
{
	int cfg_unlocked = (t->r[R_9346] & 0xc0) == 0xc0;
	switch (off) {
	case R_CR:
		if (v & CR_RST)
			*reset = 1;
		else
			t->r[R_CR] = v & (CR_RE | CR_TE);
		return;
	case R_CBR:
	case R_CBR + 1:
	case R_RERID:
	case R_TSADS:
	case R_TSADS + 1:
	case R_MSR:
	case R_BMSR:
	case R_BMSR + 1:
	case R_ANLPAR:
	case R_ANLPAR + 1:
	case R_ANER:
	case R_ANER + 1:
		return; /* read-only */
	case R_ISR:
	case R_ISR + 1:
		t->r[off] &= (uint8_t)~v;
		return;
	case R_MPC:
	case R_MPC + 1:
	case R_MPC + 2:
	case R_MPC + 3:
		t->mpc = 0;
		return;
	case R_9346:
		eeprom_9346(t, v);
		return;
	case R_CONFIG0:
	case R_CONFIG1:
	case R_CONFIG3:
	case R_CONFIG4:
		if (cfg_unlocked)
			t->r[off] = v;
		return;
	case R_BMCR + 1:
		t->r[off] = v & 0x7d; /* reset (bit 15) and restart AN (bit 9) clear themselves */
		return;
	default:
		if (off >= R_TSD && off < R_TSD + 16)
			*tsd_touched |= 1 << ((off - R_TSD) / 4);
		t->r[off] = v;
	}
}

static void rtl_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	struct rtl *t = sim_dev_priv(dev);
	int reset = 0, tsd = 0;
	sm_trace_access(&t->nic, 'w', bar, off, width, value);
	if (off + width > 256)
		return;
	for (unsigned i = 0; i < width; i++)
		write8(t, (unsigned)off + i, (uint8_t)(value >> (8 * i)), &reset, &tsd);
	if (reset) {
		chip_reset(t);
		return;
	}
	for (int i = 0; i < 4; i++) {
		if (!(tsd & 1 << i))
			continue;
		uint32_t d = get(t, R_TSD + 4 * i, 4);
		if (!(d & TSD_OWN)) { /* the driver handed the buffer over: status bits start clean */
			put(t, R_TSD + 4 * i, 4, d & TSD_DRIVER);
			t->pending[i] = 1;
		}
	}
	update_irq(t);
}

/* ---- the asynchronous side --------------------------------------------------- */

static void transmit(struct rtl *t)
{
	uint16_t isr = 0;
	while (!t->nic.tx_paused && (t->r[R_CR] & CR_TE) && t->pending[t->tx_next]) {
		int i = t->tx_next;
		uint32_t d = get(t, R_TSD + 4 * i, 4);
		uint32_t size = d & 0x1fff;
		void *p = sm_dma(&t->nic, get(t, R_TSAD + 4 * i, 4), size, "TX buffer");
		if (p && size >= 14 && size <= SM_FRAME_MAX) {
			/* TCR bit 16 set: the driver appended the FCS itself; either way
			 * the wire record is what the driver handed over */
			sm_wire_put(&t->nic, p, size);
			d |= TSD_OWN | TSD_TOK | (t->nic.link ? 0 : TSD_CRS);
			isr |= ISR_TOK;
		} else {
			d |= TSD_OWN | TSD_TABT;
			isr |= ISR_TER;
		}
		put(t, R_TSD + 4 * i, 4, d);
		t->pending[i] = 0;
		t->tx_next = (i + 1) % 4;
	}
	if (isr)
		set_isr(t, isr);
}

/* Address filter: the RX status bits of an accepted frame, 0 if rejected. */
static uint16_t accept(const struct rtl *t, const uint8_t *dst)
{
	uint32_t rcr = get(t, R_RCR, 4);
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	if (!memcmp(dst, bcast, 6))
		return rcr & (RCR_AB | RCR_AAP) ? RX_ROK | RX_BAR : 0;
	if (dst[0] & 1) {
		unsigned bit = sm_crc32_msb(dst, 6) >> 26;
		if ((rcr & RCR_AM && t->r[R_MAR + bit / 8] & 1 << (bit % 8)) || rcr & RCR_AAP)
			return RX_ROK | RX_MAR;
		return 0;
	}
	if (!memcmp(dst, t->r + R_IDR, 6))
		return rcr & (RCR_APM | RCR_AAP) ? RX_ROK | RX_PAM : 0;
	return rcr & RCR_AAP ? RX_ROK : 0;
}

/* Copy into the ring at offset off, wrapping at len unless WRAP is set. */
static int ring_copy(struct rtl *t, uint32_t off, const void *src, uint32_t n)
{
	uint32_t len = ring_len(t), base = get(t, R_RBSTART, 4);
	uint32_t first = n;
	if (!(get(t, R_RCR, 4) & RCR_WRAP) && off + n > len)
		first = len - off;
	uint8_t *p = sm_dma(&t->nic, base + off, first, "RX ring");
	if (!p)
		return -1;
	memcpy(p, src, first);
	if (first < n) {
		p = sm_dma(&t->nic, base, n - first, "RX ring");
		if (!p)
			return -1;
		memcpy(p, (const uint8_t *)src + first, n - first);
	}
	return 0;
}

static void receive(struct rtl *t)
{
	struct sm_frame *f;
	uint16_t isr = 0;
	while ((f = sm_fq_peek(&t->nic.rx))) {
		if (!(t->r[R_CR] & CR_RE) || !t->nic.link) {
			t->nic.st.rx_disabled++;
			sm_fq_drop(&t->nic.rx);
			continue;
		}
		uint16_t status = f->len >= 60 ? accept(t, f->data) : 0; /* runts: no AR here */
		if (!status) {
			t->nic.st.rx_filtered++;
			sm_fq_drop(&t->nic.rx);
			continue;
		}
		uint32_t len = ring_len(t), need = ((uint32_t)f->len + 8 + 3) & ~3u;
		uint32_t used = (t->cbr + len - ring_read_off(t)) % len;
		if (need >= len - used) {
			if (t->nic.mode == SM_WIRE_FLOW)
				break; /* the link partner waits */
			t->nic.st.rx_overrun++;
			t->mpc = (t->mpc + 1) & 0xffffff;
			isr |= ISR_RXOVW;
			sm_fq_drop(&t->nic.rx);
			continue;
		}
		/* {status, length incl. FCS}, the frame, its FCS: one record */
		uint8_t rec[4 + SM_FRAME_MAX + 4];
		uint32_t n = (uint32_t)f->len, crc = sm_fcs(f->data, f->len);
		rec[0] = (uint8_t)status, rec[1] = (uint8_t)(status >> 8);
		rec[2] = (uint8_t)(n + 4), rec[3] = (uint8_t)((n + 4) >> 8);
		memcpy(rec + 4, f->data, n);
		for (int i = 0; i < 4; i++)
			rec[4 + n + i] = (uint8_t)(crc >> (8 * i));
		uint32_t off = t->cbr;
		if (ring_copy(t, off, rec, n + 8) < 0) {
			sm_fq_drop(&t->nic.rx); /* lost in a broken ring (logged, bad_dma) */
			continue;
		}
		t->cbr = (off + need) % len;
		t->nic.st.rx_frames++;
		isr |= ISR_ROK;
		sm_fq_drop(&t->nic.rx);
	}
	if (isr)
		set_isr(t, isr);
}

static void rtl_poll(struct sim_dev *dev)
{
	struct rtl *t = sim_dev_priv(dev);
	transmit(t);
	receive(t);
	update_irq(t); /* level-triggered: still asserted, raised again */
}

static void rtl_link_changed(struct sm_nic *nic)
{
	struct rtl *t = (struct rtl *)nic;
	if (!nic->link)
		t->bmsr_low = 1;
	t->cscr_change = 1;
	set_isr(t, ISR_LINKCHG);
}

static int rtl_running(const struct sm_nic *nic)
{
	const struct rtl *t = (const struct rtl *)nic;
	return (t->r[R_CR] & (CR_RE | CR_TE)) == (CR_RE | CR_TE) && get(t, R_IMR, 2) != 0;
}

static const struct sim_bar_ops rtl_ops = {rtl_read, rtl_write};

struct sm_nic *sm_rtl8139_create(const kpi_u8 mac[6])
{
	/* subsystem 10ec:8139 as on Realtek's reference boards */
	struct sim_pci_id id = {0x10ec, 0x8139, 0x10ec, 0x8139, 0x020000, 0x10, 1};
	struct rtl *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	sm_nic_init(&t->nic, "rtl8139", mac);
	t->nic.running = rtl_running;
	t->nic.link_changed = rtl_link_changed;
	/* 93C46: word 0 the 8129 signature, 1-4 the PCI ids, 7-9 the MAC */
	sm_ee93_init(&t->ee, 6, &t->nic.st.ee_reads);
	t->ee.word[0] = 0x8129;
	t->ee.word[1] = id.vendor, t->ee.word[2] = id.device;
	t->ee.word[3] = id.subvendor, t->ee.word[4] = id.subdevice;
	for (int i = 0; i < 3; i++)
		t->ee.word[7 + i] = (uint16_t)(mac[2 * i] | mac[2 * i + 1] << 8);
	power_on(t);
	t->nic.dev = sim_dev_create(&id);
	if (!t->nic.dev) {
		free(t);
		return NULL;
	}
	sim_dev_set_priv(t->nic.dev, t);
	if (sim_dev_add_io_bar(t->nic.dev, 0, 256, &rtl_ops) < 0 ||
	    sim_dev_add_mem_bar(t->nic.dev, 1, 4096, 0, &rtl_ops) < 0)
		return NULL; /* the sim keeps the device; nothing else to undo in a test */
	sim_dev_set_poll(t->nic.dev, rtl_poll);
	return &t->nic;
}
