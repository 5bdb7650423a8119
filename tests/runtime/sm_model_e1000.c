/* sm_model_e1000.c: a sim model of the Intel 82540EM Gigabit Ethernet
 * controller (8086:100e) with its M88E1011 PHY, written for kpiport from
 * Intel's 8254x Software Developer's Manual (register and descriptor
 * chapters) - no Linux or QEMU code.
 *
 * BAR0: 128 KiB of registers (32-bit accesses; narrower ones act on the
 * containing dword).  BAR1: 64 I/O ports, IOADDR (0) / IODATA (4) reach the
 * same registers indirectly.  What the model implements:
 *   CTRL     RST (self-clearing software reset; RAR0 reloaded from the
 *            EEPROM), PHY_RST (PHY held in reset: no link), SLU, VME
 *   STATUS   FD, LU (cable plugged and PHY out of reset), speed 1000
 *   EECD     Microwire pins SK/CS/DI -> DO of a 93C46 (64 words), REQ ->
 *            GNT, PRES;  EERD: START, DONE, ADDR 15:8, DATA 31:16
 *   MDIC     PHY address 1 only (others: ERROR), read/write, READY at once,
 *            MDAC interrupt on request
 *   ICR      read clears (INT_ASSERTED 31 while ICR & IMS), write 1s clear;
 *            ICS sets, IMS sets / IMC clears the mask; level-triggered INTA
 *            re-raised at every poll while ICR & IMS
 *   RCTL     EN, SBP, UPE, MPE, MO, BAM, BSIZE/BSEX, SECRC (else the FCS is
 *            stored after the frame, as on the wire), RDMTS
 *   RX ring  RDBAL/H, RDLEN, RDH (device), RDT (driver); legacy 16-byte
 *            descriptors: length, status DD|EOP|IXSM, frames spanning
 *            descriptors; RXT0 per frame batch, RXDMT0 at the threshold,
 *            RXO + MPC/RNBC when a frame is lost (SM_WIRE_DROP)
 *   TCTL     EN, PSP (pad to 60);  TX ring TDBAL/H, TDLEN, TDH, TDT:
 *            legacy descriptors (EOP, IFCS, IC with CSS/CSO, RS, RPS, VLE),
 *            context descriptors (IP/TCP checksum offsets) and extended data
 *            descriptors (POPTS IXSM/TXSM, VLE, RS); DD written back where
 *            RS/RPS asks; TXDW, TXQE.  TSO is not modelled (logged).
 *   RAL/RAH  16 exact filters (AV);  MTA 4096-bit hash by RCTL.MO
 *   stats    GPRC/BPRC/MPRC/GORC/TOR/TPR, GPTC/GOTC/TOT/TPT, MPC/RNBC,
 *            clear on read (the rest read 0)
 *   PHY      ID 0x0141/0x0c22 (M88E1011), control (reset and restart
 *            autonegotiation clear themselves), status with link and AN
 *            complete (link latched low), advertisement and link partner
 *            ability, 1000BASE-T control/status, M88 specific status
 *            (1000 Mb/s full duplex, resolved, link); others plain storage.
 * VLAN filtering (VFE/VFTA) and stripping, interrupt moderation timers and
 * flow-control frames are not modelled: registers store, nothing happens. */
#include "sm_internal.h"

#include <stdlib.h>
#include <string.h>

#define E_BAR0 0x20000u

enum {
	CTRL = 0x0000,
	STATUS = 0x0008,
	EECD = 0x0010,
	EERD = 0x0014,
	MDIC = 0x0020,
	VET = 0x0038,
	ICR = 0x00c0,
	ICS = 0x00c8,
	IMS = 0x00d0,
	IMC = 0x00d8,
	RCTL = 0x0100,
	TCTL = 0x0400,
	PBA = 0x1000,
	RDBAL = 0x2800,
	RDBAH = 0x2804,
	RDLEN = 0x2808,
	RDH = 0x2810,
	RDT = 0x2818,
	TDBAL = 0x3800,
	TDBAH = 0x3804,
	TDLEN = 0x3808,
	TDH = 0x3810,
	TDT = 0x3818,
	STATS = 0x4000,
	STATS_END = 0x4100,
	MPC = 0x4010,
	GPRC = 0x4074,
	BPRC = 0x4078,
	MPRC = 0x407c,
	GPTC = 0x4080,
	GORCL = 0x4088,
	GOTCL = 0x4090,
	RNBC = 0x40a0,
	TORL = 0x40c0,
	TOTL = 0x40c8,
	TPR = 0x40d0,
	TPT = 0x40d4,
	MTA = 0x5200,
	RAL = 0x5400,
};

enum {
	CTRL_RST = 0x04000000u,
	CTRL_PHY_RST = 0x80000000u,
	ST_FD = 0x1,
	ST_LU = 0x2,
	ST_SPEED_1000 = 0x80,
	EECD_SK = 0x1,
	EECD_CS = 0x2,
	EECD_DI = 0x4,
	EECD_DO = 0x8,
	EECD_FWE = 0x30,
	EECD_REQ = 0x40,
	EECD_GNT = 0x80,
	EECD_PRES = 0x100,
	EERD_START = 0x1,
	EERD_DONE = 0x10,
	MDIC_OP_WRITE = 0x04000000u,
	MDIC_OP_READ = 0x08000000u,
	MDIC_READY = 0x10000000u,
	MDIC_INT_EN = 0x20000000u,
	MDIC_ERROR = 0x40000000u,
	I_TXDW = 0x01,
	I_TXQE = 0x02,
	I_LSC = 0x04,
	I_RXDMT0 = 0x10,
	I_RXO = 0x40,
	I_RXT0 = 0x80,
	I_MDAC = 0x200,
	I_ASSERTED = 0x80000000u,
	RCTL_EN = 0x2,
	RCTL_SBP = 0x4,
	RCTL_UPE = 0x8,
	RCTL_MPE = 0x10,
	RCTL_BAM = 0x8000,
	RCTL_BSEX = 0x02000000u,
	RCTL_SECRC = 0x04000000u,
	TCTL_EN = 0x2,
	TCTL_PSP = 0x8,
	RXD_DD = 0x1,
	RXD_EOP = 0x2,
	RXD_IXSM = 0x4,
	TXD_EOP = 0x01,
	TXD_IFCS = 0x02,
	TXD_IC = 0x04, /* legacy; TSE in extended descriptors */
	TXD_RS = 0x08,
	TXD_RPS = 0x10,
	TXD_DEXT = 0x20,
	TXD_VLE = 0x40,
	POPTS_IXSM = 0x01,
	POPTS_TXSM = 0x02,
};

/* PHY registers */
enum {
	PHY_CTRL = 0,
	PHY_STATUS = 1,
	PHY_ID1 = 2,
	PHY_ID2 = 3,
	PHY_ADV = 4,
	PHY_LPA = 5,
	PHY_EXP = 6,
	PHY_1000T_CTRL = 9,
	PHY_1000T_STATUS = 10,
	PHY_EXT_STATUS = 15,
	PHY_SPEC_CTRL = 16,
	PHY_SPEC_STATUS = 17,
	PHY_EXT_SPEC_CTRL = 20,
};

#define TXBUF_MAX 16384

struct e1k {
	struct sm_nic nic;
	uint32_t reg[E_BAR0 / 4];
	uint32_t ioaddr;
	uint16_t phy[32];
	int phy_low; /* link went down since PHY_STATUS was read */
	struct sm_ee93 ee;
	/* the frame being gathered from TX descriptors */
	uint8_t txbuf[TXBUF_MAX];
	size_t txlen;
	int tx_dropping;
	/* from the last context descriptor */
	unsigned ipcss, ipcso, ipcse, tucss, tucso, tucse;
};

#define R(e, off) ((e)->reg[(off) / 4])

/* ---- PHY --------------------------------------------------------------------- */

static int link_up(const struct e1k *e)
{
	return e->nic.link && !(R(e, CTRL) & CTRL_PHY_RST);
}

static void phy_defaults(struct e1k *e)
{
	memset(e->phy, 0, sizeof(e->phy));
	e->phy[PHY_CTRL] = 0x1140; /* AN enable, full duplex, 1000 Mb/s */
	e->phy[PHY_ID1] = 0x0141;  /* Marvell OUI */
	e->phy[PHY_ID2] = 0x0c22;  /* 88E1011, revision 2 */
	e->phy[PHY_ADV] = 0x0de1;  /* 10/100 HD/FD, pause, asymmetric pause */
	e->phy[PHY_1000T_CTRL] = 0x0300;
	e->phy[PHY_EXT_STATUS] = 0x3000; /* 1000BASE-T FD/HD capable */
	e->phy[PHY_SPEC_CTRL] = 0x0068;
	e->phy[PHY_EXT_SPEC_CTRL] = 0x0d60;
}

static uint16_t phy_read(struct e1k *e, unsigned r)
{
	int up = link_up(e);
	e->nic.st.phy_reads++;
	switch (r) {
	case PHY_STATUS: {
		int l = up && !e->phy_low;
		e->phy_low = 0;
		return 0x7949 | (l ? 0x0024 : 0); /* 10/100 abilities, ext status, preamble suppr., AN able */
	}
	case PHY_LPA:
		return up ? 0x45e1 : 0; /* ack, pause, 10/100 HD/FD */
	case PHY_EXP:
		return up ? 0x0001 : 0;
	case PHY_1000T_STATUS:
		return up ? 0x3c00 : 0; /* local/remote receiver OK, partner 1000 HD/FD */
	case PHY_SPEC_STATUS:
		return up ? 0xac00 : 0; /* 1000 Mb/s, full duplex, resolved, link */
	default:
		return e->phy[r];
	}
}

static void phy_write(struct e1k *e, unsigned r, uint16_t v)
{
	switch (r) {
	case PHY_CTRL:
		if (v & 0x8000) { /* reset: registers to defaults, bit clears itself */
			phy_defaults(e);
			e->phy[PHY_CTRL] = v & 0x7dff;
			return;
		}
		e->phy[PHY_CTRL] = v & 0x7dff; /* restart AN (bit 9) completes at once */
		return;
	case PHY_STATUS:
	case PHY_ID1:
	case PHY_ID2:
	case PHY_LPA:
	case PHY_EXP:
	case PHY_1000T_STATUS:
	case PHY_EXT_STATUS:
	case PHY_SPEC_STATUS:
		return;
	default:
		e->phy[r] = v;
	}
}

/* ---- interrupts, reset ---------------------------------------------------------- */

static void update_irq(struct e1k *e)
{
	if (R(e, ICR) & R(e, IMS)) {
		sim_irq_raise(e->nic.dev, 0);
		e->nic.st.irq_raised++;
	}
}

static void set_icr(struct e1k *e, uint32_t bits)
{
	R(e, ICR) |= bits;
	update_irq(e);
}

static void load_rar0(struct e1k *e)
{
	R(e, RAL) = e->ee.word[0] | (uint32_t)e->ee.word[1] << 16;
	R(e, RAL + 4) = e->ee.word[2] | 0x80000000u; /* AV */
}

/* CTRL.RST: the MAC's registers to their defaults (the filter tables keep
 * theirs, the PHY is reset separately), RAR0 from the EEPROM. */
static void mac_reset(struct e1k *e)
{
	memset(e->reg, 0, 0x5000);
	R(e, PBA) = 0x30;  /* 48 KiB receive, 16 KiB transmit */
	R(e, VET) = 0x8100;
	R(e, EECD) = 0x10; /* FWE: flash writes disabled */
	load_rar0(e);
	e->txlen = 0;
	e->tx_dropping = 0;
	e->nic.st.resets++;
}

/* ---- registers ---------------------------------------------------------------------- */

static uint32_t status_reg(const struct e1k *e)
{
	return link_up(e) ? ST_FD | ST_LU | ST_SPEED_1000 : 0;
}

static uint32_t reg_read(struct e1k *e, uint32_t off)
{
	off &= ~3u;
	if (off >= E_BAR0)
		return 0;
	switch (off) {
	case CTRL:
		return R(e, CTRL) & ~CTRL_RST;
	case STATUS:
		return status_reg(e);
	case EECD: {
		uint32_t v = R(e, EECD) & (EECD_SK | EECD_CS | EECD_DI | EECD_FWE | EECD_REQ);
		return v | (e->ee.dout ? EECD_DO : 0) | (v & EECD_REQ ? EECD_GNT : 0) | EECD_PRES; /* 64 words */
	}
	case ICR: {
		uint32_t v = R(e, ICR);
		if (v & R(e, IMS))
			v |= I_ASSERTED;
		R(e, ICR) = 0;
		return v;
	}
	case ICS:
	case IMC:
		return 0; /* write-only */
	}
	if (off >= STATS && off < STATS_END) {
		uint32_t v = R(e, off);
		R(e, off) = 0;
		return v;
	}
	return R(e, off);
}

static void mdic_write(struct e1k *e, uint32_t v)
{
	unsigned phy = v >> 21 & 0x1f, r = v >> 16 & 0x1f;
	if (phy != 1) {
		v |= MDIC_ERROR;
	} else if (v & MDIC_OP_READ) {
		v = (v & ~0xffffu) | phy_read(e, r);
	} else if (v & MDIC_OP_WRITE) {
		phy_write(e, r, (uint16_t)v);
	}
	R(e, MDIC) = v | MDIC_READY;
	if (v & MDIC_INT_EN)
		set_icr(e, I_MDAC);
}

static void reg_write(struct e1k *e, uint32_t off, uint32_t v)
{
	off &= ~3u;
	if (off >= E_BAR0)
		return;
	switch (off) {
	case CTRL: {
		uint32_t old = R(e, CTRL);
		if (v & CTRL_RST) {
			mac_reset(e);
			R(e, CTRL) = v & ~(CTRL_RST | CTRL_PHY_RST);
			return;
		}
		R(e, CTRL) = v;
		if (old & CTRL_PHY_RST && !(v & CTRL_PHY_RST))
			phy_defaults(e); /* the PHY comes out of reset */
		if (!(old & CTRL_PHY_RST) && v & CTRL_PHY_RST)
			e->phy_low = 1;
		return;
	}
	case STATUS:
		return;
	case EECD:
		R(e, EECD) = v & (EECD_SK | EECD_CS | EECD_DI | EECD_FWE | EECD_REQ);
		sm_ee93_pins(&e->ee, v & EECD_CS, v & EECD_SK, v & EECD_DI);
		return;
	case EERD:
		if (v & EERD_START) {
			unsigned a = v >> 8 & 0xff;
			uint16_t w = a < 64 ? e->ee.word[a] : 0xffff;
			e->nic.st.ee_reads++;
			R(e, EERD) = (uint32_t)w << 16 | a << 8 | EERD_DONE;
		}
		return;
	case MDIC:
		mdic_write(e, v);
		return;
	case ICR:
		R(e, ICR) &= ~v;
		return;
	case ICS:
		set_icr(e, v);
		return;
	case IMS:
		R(e, IMS) |= v;
		update_irq(e);
		return;
	case IMC:
		R(e, IMS) &= ~v;
		return;
	case RDLEN:
	case TDLEN:
		R(e, off) = v & 0xfff80;
		return;
	case RDH:
	case RDT:
	case TDH:
	case TDT:
		R(e, off) = v & 0xffff;
		return;
	}
	if (off >= STATS && off < STATS_END)
		return; /* read-only counters */
	R(e, off) = v;
}

static kpi_u64 mmio_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	struct e1k *e = sim_dev_priv(dev);
	uint32_t v = reg_read(e, (uint32_t)off);
	if (width < 4)
		v = v >> (8 * (off & 3)) & ((1u << (8 * width)) - 1);
	sm_trace_access(&e->nic, 'r', bar, off, width, v);
	return v;
}

static void mmio_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	struct e1k *e = sim_dev_priv(dev);
	uint32_t v = (uint32_t)value;
	sm_trace_access(&e->nic, 'w', bar, off, width, value);
	if (width < 4) { /* merge into the stored dword */
		unsigned sh = 8 * (unsigned)(off & 3);
		uint32_t mask = ((1u << (8 * width)) - 1) << sh;
		uint32_t cur = off < E_BAR0 ? e->reg[(off & ~3ull) / 4] : 0;
		v = (cur & ~mask) | ((v << sh) & mask);
	}
	reg_write(e, (uint32_t)off, v);
	if (e->nic.dev)
		update_irq(e);
}

static kpi_u64 io_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	struct e1k *e = sim_dev_priv(dev);
	uint32_t v = off == 0 ? e->ioaddr : off == 4 ? reg_read(e, e->ioaddr) : 0;
	sm_trace_access(&e->nic, 'r', bar, off, width, v);
	return v;
}

static void io_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	struct e1k *e = sim_dev_priv(dev);
	sm_trace_access(&e->nic, 'w', bar, off, width, value);
	if (off == 0)
		e->ioaddr = (uint32_t)value & (E_BAR0 - 4);
	else if (off == 4)
		reg_write(e, e->ioaddr, (uint32_t)value);
	update_irq(e);
}

/* ---- transmit ----------------------------------------------------------------------- */

static uint16_t csum_add(const uint8_t *p, size_t from, size_t to, uint32_t sum)
{
	for (size_t i = from; i < to; i += 2)
		sum += (uint32_t)p[i] << 8 | (i + 1 < to ? p[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum of [start, end] (end 0: to the frame's end) stored at off,
 * over whatever the field already holds (the stack's pseudo-header sum). */
static void csum_insert(uint8_t *p, size_t len, unsigned start, unsigned end, unsigned off)
{
	size_t to = end ? (size_t)end + 1 : len;
	if (to > len || start >= to || off + 2 > len)
		return;
	uint16_t c = (uint16_t)~csum_add(p, start, to, 0);
	p[off] = (uint8_t)(c >> 8);
	p[off + 1] = (uint8_t)c;
}

static void tx_frame_done(struct e1k *e, int vle, uint16_t special)
{
	uint8_t *p = e->txbuf;
	size_t len = e->txlen;
	e->txlen = 0;
	if (e->tx_dropping || len < 14) {
		e->tx_dropping = 0;
		return;
	}
	if (vle && len + 4 <= TXBUF_MAX) { /* insert the 802.1Q tag after the addresses */
		memmove(p + 16, p + 12, len - 12);
		p[12] = (uint8_t)(R(e, VET) >> 8), p[13] = (uint8_t)R(e, VET);
		p[14] = (uint8_t)(special >> 8), p[15] = (uint8_t)special;
		len += 4;
	}
	if (R(e, TCTL) & TCTL_PSP && len < 60) {
		memset(p + len, 0, 60 - len);
		len = 60;
	}
	if (len > SM_FRAME_MAX) {
		sm_log(&e->nic, "TX: a %zu-byte frame (TSO is not modelled) dropped", len);
		return;
	}
	sm_wire_put(&e->nic, p, len);
	R(e, GPTC)++, R(e, TPT)++;
	R(e, GOTCL) += (uint32_t)len + 4, R(e, TOTL) += (uint32_t)len + 4;
}

static void tx_gather(struct e1k *e, uint64_t addr, size_t len)
{
	if (!len)
		return;
	const uint8_t *src = sm_dma(&e->nic, addr, len, "TX buffer");
	if (!src || e->txlen + len > TXBUF_MAX) {
		e->tx_dropping = 1;
		return;
	}
	memcpy(e->txbuf + e->txlen, src, len);
	e->txlen += len;
}

/* One descriptor; returns 1 if its status was written back. */
static int tx_desc(struct e1k *e, uint8_t *d)
{
	uint64_t addr;
	uint32_t lower, upper;
	memcpy(&addr, d, 8);
	memcpy(&lower, d + 8, 4);
	memcpy(&upper, d + 12, 4);
	unsigned cmd = lower >> 24;
	int wb = 0;
	if (cmd & TXD_DEXT) {
		unsigned dtyp = lower >> 20 & 0xf;
		if (dtyp == 0) { /* context: checksum offsets for the next frames */
			e->ipcss = d[0], e->ipcso = d[1], e->ipcse = (unsigned)(d[2] | d[3] << 8);
			e->tucss = d[4], e->tucso = d[5], e->tucse = (unsigned)(d[6] | d[7] << 8);
			wb = (cmd & TXD_RS) != 0;
		} else if (dtyp == 1) { /* data */
			if (cmd & TXD_IC) /* TSE */
				sm_log(&e->nic, "TX: TCP segmentation requested (not modelled)");
			tx_gather(e, addr, lower & 0xfffff);
			if (cmd & TXD_EOP) {
				unsigned popts = upper >> 8 & 0xff;
				if (popts & POPTS_IXSM && !e->tx_dropping)
					csum_insert(e->txbuf, e->txlen, e->ipcss, e->ipcse, e->ipcso);
				if (popts & POPTS_TXSM && !e->tx_dropping)
					csum_insert(e->txbuf, e->txlen, e->tucss, e->tucse, e->tucso);
				tx_frame_done(e, cmd & TXD_VLE, (uint16_t)(upper >> 16));
			}
			wb = (cmd & TXD_RS) != 0;
		} else {
			sm_log(&e->nic, "TX: descriptor type %u ignored", dtyp);
		}
	} else { /* legacy */
		tx_gather(e, addr, lower & 0xffff);
		if (cmd & TXD_EOP) {
			if (cmd & TXD_IC && !e->tx_dropping)
				csum_insert(e->txbuf, e->txlen, upper >> 8 & 0xff, 0, lower >> 16 & 0xff);
			tx_frame_done(e, cmd & TXD_VLE, (uint16_t)(upper >> 16));
		}
		wb = (cmd & (TXD_RS | TXD_RPS)) != 0;
	}
	if (wb)
		d[12] |= 0x01; /* DD */
	return wb;
}

static void transmit(struct e1k *e)
{
	uint32_t n = R(e, TDLEN) / 16, icr = 0;
	if (!(R(e, TCTL) & TCTL_EN) || e->nic.tx_paused || !n || R(e, TDH) == R(e, TDT))
		return;
	uint64_t base = (uint64_t)R(e, TDBAH) << 32 | R(e, TDBAL);
	uint8_t *ring = sm_dma(&e->nic, base, (size_t)n * 16, "TX ring");
	if (!ring)
		return;
	while (R(e, TDH) != R(e, TDT)) {
		if (R(e, TDH) >= n || R(e, TDT) >= n) {
			sm_log(&e->nic, "TX: head %u / tail %u outside a ring of %u", R(e, TDH), R(e, TDT), n);
			return;
		}
		if (tx_desc(e, ring + 16 * R(e, TDH)))
			icr |= I_TXDW;
		R(e, TDH) = (R(e, TDH) + 1) % n;
	}
	set_icr(e, icr | I_TXQE);
}

/* ---- receive ---------------------------------------------------------------------------- */

static int accept(const struct e1k *e, const uint8_t *dst, uint32_t rctl)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	if (!memcmp(dst, bcast, 6))
		return (rctl & (RCTL_BAM | RCTL_MPE)) != 0;
	if (rctl & (dst[0] & 1 ? RCTL_MPE : RCTL_UPE))
		return 1;
	for (int i = 0; i < 16; i++) { /* exact filters */
		uint32_t lo = R(e, RAL + 8 * i), hi = R(e, RAL + 8 * i + 4);
		uint8_t a[6] = {(uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(lo >> 16), (uint8_t)(lo >> 24), (uint8_t)hi,
				(uint8_t)(hi >> 8)};
		if (hi & 0x80000000u && !memcmp(a, dst, 6))
			return 1;
	}
	if (dst[0] & 1) { /* the 12 hash bits MO selects from the last two bytes */
		unsigned mo = rctl >> 12 & 3, shift[4] = {4, 3, 2, 0};
		unsigned h = (unsigned)(dst[4] | dst[5] << 8) >> shift[mo] & 0xfff;
		return R(e, MTA + 4 * (h >> 5)) >> (h & 31) & 1;
	}
	return 0;
}

static void receive(struct e1k *e)
{
	uint32_t rctl = R(e, RCTL), n = R(e, RDLEN) / 16, icr = 0;
	struct sm_frame *f;
	uint8_t *ring = NULL;
	if (n) {
		uint64_t base = (uint64_t)R(e, RDBAH) << 32 | R(e, RDBAL);
		ring = sim_dma_to_virt(base, (size_t)n * 16);
	}
	static const uint32_t bsizes[2][4] = {{2048, 1024, 512, 256}, {0, 16384, 8192, 4096}};
	uint32_t bsize = bsizes[rctl & RCTL_BSEX ? 1 : 0][rctl >> 16 & 3];
	while ((f = sm_fq_peek(&e->nic.rx))) {
		if (!(rctl & RCTL_EN) || !link_up(e) || !ring || !bsize) {
			if (rctl & RCTL_EN && link_up(e))
				sm_log(&e->nic, "RX: the ring (%u descriptors) is not DMA memory", n);
			e->nic.st.rx_disabled++;
			sm_fq_drop(&e->nic.rx);
			continue;
		}
		if ((f->len < 60 && !(rctl & RCTL_SBP)) || !accept(e, f->data, rctl)) {
			e->nic.st.rx_filtered++;
			sm_fq_drop(&e->nic.rx);
			continue;
		}
		uint8_t buf[SM_FRAME_MAX + 4];
		size_t total = f->len;
		uint32_t crc = sm_fcs(f->data, f->len);
		memcpy(buf, f->data, f->len);
		if (!(rctl & RCTL_SECRC)) {
			for (int i = 0; i < 4; i++)
				buf[total++] = (uint8_t)(crc >> (8 * i));
		}
		uint32_t head = R(e, RDH), tail = R(e, RDT);
		uint32_t need = (uint32_t)((total + bsize - 1) / bsize);
		uint32_t avail = head < n && tail < n ? (tail + n - head) % n : 0;
		if (avail < need) {
			if (e->nic.mode == SM_WIRE_FLOW)
				break; /* the link partner waits */
			e->nic.st.rx_overrun++;
			R(e, MPC)++, R(e, RNBC)++;
			icr |= I_RXO;
			sm_fq_drop(&e->nic.rx);
			continue;
		}
		size_t done = 0;
		for (uint32_t k = 0; k < need; k++) {
			uint8_t *d = ring + 16 * head;
			uint64_t addr;
			size_t piece = total - done < bsize ? total - done : bsize;
			memcpy(&addr, d, 8);
			uint8_t *dst = sm_dma(&e->nic, addr, piece, "RX buffer");
			if (dst)
				memcpy(dst, buf + done, piece);
			done += piece;
			d[8] = (uint8_t)piece, d[9] = (uint8_t)(piece >> 8);
			d[10] = d[11] = 0; /* checksum */
			d[12] = RXD_DD | RXD_IXSM | (k == need - 1 ? RXD_EOP : 0);
			d[13] = 0; /* errors */
			d[14] = d[15] = 0;
			head = (head + 1) % n;
		}
		R(e, RDH) = head;
		e->nic.st.rx_frames++;
		R(e, GPRC)++, R(e, TPR)++;
		R(e, GORCL) += (uint32_t)f->len + 4, R(e, TORL) += (uint32_t)f->len + 4;
		if (!memcmp(f->data, "\xff\xff\xff\xff\xff\xff", 6))
			R(e, BPRC)++;
		else if (f->data[0] & 1)
			R(e, MPRC)++;
		icr |= I_RXT0;
		uint32_t left = (tail + n - head) % n;
		if (left <= n >> ((rctl >> 8 & 3) + 1)) /* RDMTS: 1/2, 1/4, 1/8 */
			icr |= I_RXDMT0;
		sm_fq_drop(&e->nic.rx);
	}
	if (icr)
		set_icr(e, icr);
}

static void e1k_poll(struct sim_dev *dev)
{
	struct e1k *e = sim_dev_priv(dev);
	transmit(e);
	receive(e);
	update_irq(e);
}

static void e1k_link_changed(struct sm_nic *nic)
{
	struct e1k *e = (struct e1k *)nic;
	if (!nic->link)
		e->phy_low = 1;
	set_icr(e, I_LSC);
}

static int e1k_running(const struct sm_nic *nic)
{
	const struct e1k *e = (const struct e1k *)nic;
	return R(e, RCTL) & RCTL_EN && R(e, TCTL) & TCTL_EN && R(e, IMS) != 0;
}

static const struct sim_bar_ops mmio_ops = {mmio_read, mmio_write};
static const struct sim_bar_ops io_ops = {io_read, io_write};

struct sm_nic *sm_e1000_create(const kpi_u8 mac[6])
{
	struct sim_pci_id id = {0x8086, 0x100e, 0x8086, 0x001e, 0x020000, 0x02, 1};
	struct e1k *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	sm_nic_init(&e->nic, "e1000", mac);
	e->nic.running = e1k_running;
	e->nic.link_changed = e1k_link_changed;
	/* 93C46 image: MAC (words 0-2), ID LED default (4), init control 1
	 * (0x0a, signature 01b), subsystem/vendor/device ids (0x0b-0x0e), init
	 * control 2 (0x0f: both pause bits), checksum word 0x3f so that words
	 * 0-0x3f add up to 0xbaba */
	sm_ee93_init(&e->ee, 6, &e->nic.st.ee_reads);
	memset(e->ee.word, 0, 64 * sizeof(uint16_t));
	for (int i = 0; i < 3; i++)
		e->ee.word[i] = (uint16_t)(mac[2 * i] | mac[2 * i + 1] << 8);
	e->ee.word[0x04] = 0xffff;
	e->ee.word[0x0a] = 0x4000;
	e->ee.word[0x0b] = id.subdevice, e->ee.word[0x0c] = id.subvendor;
	e->ee.word[0x0d] = id.device, e->ee.word[0x0e] = id.vendor;
	e->ee.word[0x0f] = 0x3000;
	uint16_t sum = 0;
	for (int i = 0; i < 0x3f; i++)
		sum = (uint16_t)(sum + e->ee.word[i]);
	e->ee.word[0x3f] = (uint16_t)(0xbaba - sum);
	phy_defaults(e);
	mac_reset(e);
	e->nic.st.resets = 0;
	e->nic.dev = sim_dev_create(&id);
	if (!e->nic.dev) {
		free(e);
		return NULL;
	}
	sim_dev_set_priv(e->nic.dev, e);
	if (sim_dev_add_mem_bar(e->nic.dev, 0, E_BAR0, 0, &mmio_ops) < 0 ||
	    sim_dev_add_io_bar(e->nic.dev, 1, 64, &io_ops) < 0)
		return NULL;
	sim_dev_set_poll(e->nic.dev, e1k_poll);
	return &e->nic;
}
