/* sm_model_test.c: the NIC models of sm_models.h and the sim's MMIO trap,
 * driven register by register through kpi_host.h the way the datasheets
 * describe the chips - no driver involved (the real drivers run on the
 * models in nic_test_ported.sh).  Checks:
 *   trap     loads and stores to a callback BAR's mapping made by ordinary
 *            instructions (mov of each width, movzx/movsx, immediates,
 *            AH-style and REX registers, SIB and displacements) reach the
 *            callbacks with the right offset, width and value
 *   rtl8139  93C46 read by bit-banging 9346CR, IDR auto-load, RX ring
 *            records (status, length, FCS), BUFE/CAPR, address filter,
 *            overflow (drop mode) and flow control, four TX descriptors in
 *            turn, ISR/IMR and the interrupt line, software reset, link
 *            change (ISR, MSR, BMSR latched low, CSCR)
 *   e1000    EERD and EECD (Microwire) reads, checksum 0xBABA, MDIC and the
 *            PHY, STATUS.LU and LSC, ICR read-clear, IMS/IMC, IOADDR/IODATA
 *            and CTRL.RST, RX descriptors (FCS or SECRC, frames spanning
 *            buffers, filters, RXO/MPC), TX legacy/context/data descriptors
 *            (PSP padding, TCP/UDP checksum insertion, VLAN tag, DD/TXDW)
 * Label runtime; runs under ASan+UBSan in the sanitizer build. */
#define _GNU_SOURCE
#include "kpi_host.h"
#include "sim.h"
#include "sm_models.h"

#include "ktest.h"

#include <stdint.h>
#include <stdlib.h>

static const kpi_u8 mac[6] = {0x02, 0x4b, 0x50, 0x00, 0x81, 0x39};
static const kpi_u8 peer[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};

/* Run the models' poll hooks (kpi_host_wait calls them first). */
static void poll_models(void)
{
	struct kpi_host_event ev[8];
	kpi_host_wait(0, ev, 8);
}

static void frame(kpi_u8 *f, size_t len, const kpi_u8 *dst, kpi_u8 seed)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, peer, 6);
	f[12] = 0x88, f[13] = 0xb5;
	for (size_t i = 14; i < len; i++)
		f[i] = (kpi_u8)(seed + i * 3);
}

/* CRC-32 as IEEE 802.3 defines the FCS, written out independently of the
 * models' helper: bytewise table-free, reflected polynomial. */
static uint32_t crc32_ref(const kpi_u8 *p, size_t n)
{
	uint32_t c = ~0u;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static uint32_t le32(const kpi_u8 *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int open_dev(struct sim_dev *dev)
{
	int h = kpi_host_pci_open(sim_dev_index(dev));
	CHECK(h >= 0);
	CHECK_INT(kpi_host_pci_enable(h), 0);
	return h;
}

/* ---- the MMIO trap ------------------------------------------------------------------------------ */

static struct {
	kpi_u8 r[256];
	kpi_u64 last_off;
	kpi_u32 last_width, reads, writes;
} toy;

static kpi_u64 toy_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	kpi_u64 v = 0;
	(void)dev, (void)bar;
	for (kpi_u32 i = 0; i < width; i++)
		v |= (kpi_u64)toy.r[(off + i) & 0xff] << (8 * i);
	toy.last_off = off, toy.last_width = width, toy.reads++;
	return v;
}

static void toy_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	(void)dev, (void)bar;
	for (kpi_u32 i = 0; i < width; i++)
		toy.r[(off + i) & 0xff] = (kpi_u8)(value >> (8 * i));
	toy.last_off = off, toy.last_width = width, toy.writes++;
}

static const struct sim_bar_ops toy_ops = {toy_read, toy_write};

static void test_trap(void)
{
	struct sim_pci_id id = {0x1234, 0x0001, 0, 0, 0xff0000, 0, 0};
	struct sim_dev *dev = sim_dev_create(&id);
	struct kpi_pci_map m;
	CHECK_INT(sim_dev_add_mem_bar(dev, 0, 4096, 0, &toy_ops), 0);
	int h = open_dev(dev);
	CHECK_INT(kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &m), 0);
	CHECK(m.flags & KPI_MAP_TRAPPED);
	CHECK(m.addr != sim_dev_bar_mem(dev, 0)); /* the driver's view is not the model's scratch */
	for (int i = 0; i < 256; i++)
		toy.r[i] = (kpi_u8)(0xa0 + i);
	volatile kpi_u8 *b = m.addr;

	/* what compilers emit for plain volatile accesses */
	CHECK_INT(*(volatile kpi_u32 *)(b + 4), 0xa7a6a5a4u);
	CHECK_INT(toy.last_off, 4);
	CHECK_INT(toy.last_width, 4);
	CHECK_INT(b[1], 0xa1);
	CHECK_INT(toy.last_width, 1);
	CHECK_INT(*(volatile kpi_u16 *)(b + 2), 0xa3a2);
	CHECK_INT(*(volatile kpi_u64 *)(b + 8), 0xafaeadacabaaa9a8ull);
	CHECK_INT(toy.last_width, 8);
	*(volatile kpi_u32 *)(b + 16) = 0xdeadbeef;
	CHECK_INT(le32(toy.r + 16), 0xdeadbeef);
	b[20] = 0x5a;
	CHECK_INT(toy.r[20], 0x5a);
	CHECK_INT(toy.last_width, 1);
	*(volatile kpi_u16 *)(b + 22) = 0x1234;
	CHECK_INT(toy.r[22] | toy.r[23] << 8, 0x1234);
	*(volatile kpi_u64 *)(b + 24) = 0x0102030405060708ull;
	CHECK_INT(toy.r[24], 8);
	CHECK_INT(toy.r[31], 1);
	CHECK_INT(kpi_host_mmio_read((void *)(b + 16), 4), 0xdeadbeef); /* the host call reaches the callbacks too */

#if defined(__x86_64__)
	kpi_u64 r;
	toy.r[0x30] = 0x80, toy.r[0x31] = 0xff, toy.r[0x32] = 0x34, toy.r[0x33] = 0x92;
	/* a load into AH keeps the rest of RAX */
	__asm__ volatile("movq $-1, %%rax\n\tmovb (%1), %%ah\n\tmovq %%rax, %0"
			 : "=r"(r)
			 : "c"(b + 0x32) /* a base register without REX, which AH cannot go with */
			 : "rax", "memory");
	CHECK_INT(r, 0xffffffffffff34ffull);
	/* 8- and 16-bit loads merge, 32-bit loads clear the upper half */
	__asm__ volatile("movq $-1, %0\n\tmovw (%1), %w0" : "=&r"(r) : "r"(b + 0x32) : "memory");
	CHECK_INT(r, 0xffffffffffff9234ull);
	__asm__ volatile("movq $-1, %0\n\tmovl (%1), %k0" : "=&r"(r) : "r"(b + 0x30) : "memory");
	CHECK_INT(r, 0x9234ff80ull);
	/* sign and zero extension */
	__asm__ volatile("movsbq (%1), %0" : "=r"(r) : "r"(b + 0x30) : "memory");
	CHECK_INT(r, (kpi_u64)-128);
	__asm__ volatile("movswl (%1), %k0" : "=r"(r) : "r"(b + 0x32) : "memory");
	CHECK_INT(r, 0xffff9234ull);
	__asm__ volatile("movzwq (%1), %0" : "=r"(r) : "r"(b + 0x32) : "memory");
	CHECK_INT(r, 0x9234);
	/* REX registers, SIB with index and scale, 8- and 32-bit displacements */
	__asm__ volatile("movl $0x77665544, %%r9d\n\tmovl %%r9d, 8(%0,%1,4)"
			 :
			 : "r"(b), "r"((kpi_u64)0x10)
			 : "r9", "memory");
	CHECK_INT(le32(toy.r + 0x48), 0x77665544);
	__asm__ volatile("movq (%1,%2,8), %%r12\n\tmovq %%r12, %0" : "=r"(r) : "r"(b), "r"((kpi_u64)1) : "r12", "memory");
	CHECK_INT(r, 0xafaeadacabaaa9a8ull);
	__asm__ volatile("movl $0x01020304, 0x80(%0)" : : "r"(b) : "memory");
	CHECK_INT(le32(toy.r + 0x80), 0x01020304);
	__asm__ volatile("movw $0x5678, 0x90(%0)" : : "r"(b) : "memory");
	CHECK_INT(toy.r[0x90] | toy.r[0x91] << 8, 0x5678);
	__asm__ volatile("movq $-2, 0xa0(%0)" : : "r"(b) : "memory"); /* imm32 sign-extended to 64 bits */
	CHECK_INT(toy.r[0xa0], 0xfe);
	CHECK_INT(toy.r[0xa7], 0xff);
	CHECK_INT(toy.last_width, 8);
	__asm__ volatile("movb $0x42, 0xb0(%0)" : : "r"(b) : "memory");
	CHECK_INT(toy.r[0xb0], 0x42);
#endif
	/* a removed device: all-ones, writes dropped */
	sim_fault_removed(dev, 1);
	CHECK_INT(*(volatile kpi_u32 *)(b + 4), 0xffffffffu);
	*(volatile kpi_u32 *)(b + 4) = 0;
	CHECK_INT(toy.r[4], 0xa4);
	sim_fault_removed(dev, 0);
	kpi_host_pci_close(h);
}

/* ---- RTL8139 ------------------------------------------------------------------------------------ */

static kpi_u32 rtl_port;
#define RW8(o, v) kpi_host_pio_out(rtl_port + (o), 1, (v))
#define RW16(o, v) kpi_host_pio_out(rtl_port + (o), 2, (v))
#define RW32(o, v) kpi_host_pio_out(rtl_port + (o), 4, (v))
#define RR8(o) kpi_host_pio_in(rtl_port + (o), 1)
#define RR16(o) kpi_host_pio_in(rtl_port + (o), 2)
#define RR32(o) kpi_host_pio_in(rtl_port + (o), 4)

/* A Microwire READ as the 93C46 datasheet draws it: CS up, start bit,
 * opcode 10, six address bits MSB first, then 16 clocks, data valid while
 * the clock is high (the dummy 0 comes with the last address bit). */
static unsigned ee_read_9346(unsigned addr)
{
	const unsigned prog = 0x80, cs = 0x08, sk = 0x04, di = 0x02, dout = 0x01;
	unsigned cmd = 1u << 8 | 2u << 6 | (addr & 63), v = 0;
	RW8(0x50, prog);
	RW8(0x50, prog | cs);
	for (int i = 8; i >= 0; i--) {
		unsigned d = cmd >> i & 1 ? di : 0;
		RW8(0x50, prog | cs | d);
		RW8(0x50, prog | cs | d | sk);
	}
	CHECK_INT(RR8(0x50) & dout, 0); /* the dummy bit */
	RW8(0x50, prog | cs);
	for (int i = 0; i < 16; i++) {
		RW8(0x50, prog | cs | sk);
		v = v << 1 | (RR8(0x50) & dout);
		RW8(0x50, prog | cs);
	}
	RW8(0x50, 0);
	return v;
}

static void test_rtl8139(void)
{
	struct sm_nic *nic = sm_rtl8139_create(mac);
	struct sim_dev *dev = sm_nic_dev(nic);
	struct kpi_pci_bar bar;
	struct kpi_pci_map m;
	struct kpi_dma ring, tx;
	struct sm_stats st;
	kpi_u8 f[1600], got[2048];
	int h = open_dev(dev);
	CHECK_INT(kpi_host_pci_bar(h, 0, &bar), 0);
	CHECK(bar.flags & KPI_BAR_IO);
	CHECK_INT(bar.size, 256);
	CHECK_INT(kpi_host_pci_pio_enable(h, 0), 0);
	rtl_port = (kpi_u32)bar.addr;
	CHECK_INT(sim_dev_config(dev)[0x08], 0x10); /* revision: not a C+ */

	/* identity: HWVERID of an 8139C, EEPROM and the auto-loaded IDR */
	CHECK_INT(RR32(0x40) & 0x7cc00000u, 0x74000000u);
	CHECK_INT(ee_read_9346(0), 0x8129);
	CHECK_INT(ee_read_9346(7), mac[0] | mac[1] << 8);
	CHECK_INT(ee_read_9346(9), mac[4] | mac[5] << 8);
	CHECK_INT(kpi_host_pci_map_bar(h, 1, KPI_MAP_UC, &m), 0);
	volatile kpi_u8 *mm = m.addr;
	CHECK_INT(mm[0], mac[0]); /* a plain load through the trap, BAR 1 = BAR 0's registers */
	CHECK_INT(*(volatile kpi_u16 *)(mm + 4), mac[4] | mac[5] << 8);
	sm_nic_stats(nic, &st);
	CHECK_INT(st.ee_reads, 3);

	/* reset, then a 8 KiB ring (WRAP off), receiver and transmitter on */
	RW8(0x37, 0x10);
	CHECK_INT(RR8(0x37), 0x01); /* RST cleared itself, buffer empty */
	CHECK_INT(kpi_host_dma_alloc(8192 + 16 + 2048, KPI_DMA_32BIT, &ring), 0);
	RW32(0x30, (kpi_u32)ring.bus);
	RW8(0x37, 0x0c);
	RW32(0x44, 0x02 | 0x08); /* APM, AB; RBLEN 0: 8 KiB */
	RW16(0x3c, 0x0001 | 0x0004 | 0x0010 | 0x0020);
	struct sim_irq_stats i0, i1;
	sim_irq_stats(dev, 0, &i0);

	frame(f, 100, mac, 1);
	CHECK_INT(sm_wire_inject(nic, f, 100), 0);
	poll_models();
	const kpi_u8 *r = ring.virt;
	CHECK_INT(r[0] | r[1] << 8, 0x4001); /* ROK | PAM */
	CHECK_INT(r[2] | r[3] << 8, 104);    /* with the FCS */
	CHECK(!memcmp(r + 4, f, 100));
	CHECK_INT(le32(r + 104), crc32_ref(f, 100));
	CHECK_INT(RR16(0x3a), 108);
	CHECK_INT(RR8(0x37) & 1, 0);
	CHECK(RR16(0x3e) & 0x0001);
	sim_irq_stats(dev, 0, &i1);
	CHECK(i1.raised > i0.raised);
	RW16(0x38, 108 - 16); /* the driver consumed it: CAPR = read pointer - 16 */
	CHECK_INT(RR8(0x37) & 1, 1);
	RW16(0x3e, 0x0001);
	CHECK_INT(RR16(0x3e) & 1, 0);

	/* broadcast accepted, foreign unicast and an unjoined group filtered */
	static const kpi_u8 bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, other[6] = {2, 0, 0, 0, 0, 9};
	static const kpi_u8 group[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	frame(f, 64, other, 2);
	sm_wire_inject(nic, f, 64);
	frame(f, 64, group, 3);
	sm_wire_inject(nic, f, 64);
	frame(f, 64, bc, 4);
	sm_wire_inject(nic, f, 64);
	poll_models();
	CHECK_INT(r[108] | r[109] << 8, 0x2001); /* ROK | BAR */
	sm_nic_stats(nic, &st);
	CHECK_INT(st.rx_filtered, 2);
	RW16(0x38, RR16(0x3a) - 16);

	/* flow control: a full ring keeps frames on the wire; drop mode loses them */
	for (int i = 0; i < 10; i++) {
		frame(f, 1514, mac, (kpi_u8)(10 + i));
		sm_wire_inject(nic, f, 1514);
	}
	poll_models();
	CHECK_INT(sm_wire_rx_waiting(nic), 5); /* 8 KiB hold five 1524-byte records */
	sm_wire_mode(nic, SM_WIRE_DROP);
	poll_models();
	sm_nic_stats(nic, &st);
	CHECK_INT(st.rx_overrun, 5);
	CHECK_INT(RR32(0x4c), 5); /* MPC */
	CHECK(RR16(0x3e) & 0x0010);
	RW32(0x4c, 0);
	CHECK_INT(RR32(0x4c), 0);
	sm_wire_mode(nic, SM_WIRE_FLOW);

	/* transmit: four descriptors in turn, OWN and TOK when done */
	CHECK_INT(kpi_host_dma_alloc(4 * 2048, KPI_DMA_32BIT, &tx), 0);
	for (int i = 0; i < 4; i++)
		RW32(0x20 + 4 * i, (kpi_u32)tx.bus + 2048u * (kpi_u32)i);
	for (int i = 0; i < 3; i++) {
		frame((kpi_u8 *)tx.virt + 2048 * i, (size_t)(60 + i), peer, (kpi_u8)(40 + i));
		RW32(0x10 + 4 * i, (kpi_u32)(60 + i) | 0x80000);
		CHECK_INT(RR32(0x10 + 4 * i) & 0x2000, 0);
	}
	poll_models();
	for (int i = 0; i < 3; i++) {
		frame(f, (size_t)(60 + i), peer, (kpi_u8)(40 + i));
		CHECK_INT(sm_wire_pop(nic, got, sizeof(got)), 60 + i);
		CHECK(!memcmp(got, f, (size_t)(60 + i)));
		CHECK_INT(RR32(0x10 + 4 * i) & 0xa000, 0xa000);
	}
	CHECK_INT(RR16(0x60) & 0x7, 0x7); /* TSAD summary: OWN of 0-2 */
	CHECK(RR16(0x3e) & 0x0004);

	/* link: ISR, MSR, BMSR latched low, CSCR change */
	RW16(0x3e, 0xffff);
	CHECK_INT(RR16(0x64) & 0x4, 0x4);
	sm_link(nic, 0);
	CHECK(RR16(0x3e) & 0x0020);
	CHECK_INT(RR8(0x58) & 0x04, 0x04);
	CHECK_INT(RR16(0x74) & 0x0c00, 0x0800); /* changed, not OK */
	CHECK_INT(RR16(0x74) & 0x0800, 0);      /* read-clear */
	sm_link(nic, 1);
	CHECK_INT(RR16(0x64) & 0x4, 0); /* latched low until read */
	CHECK_INT(RR16(0x64) & 0x4, 0x4);
	CHECK_INT(RR16(0x68), 0x45e1);

	/* reset: interrupts masked, RX and TX off, descriptors the host's */
	RW8(0x37, 0x10);
	CHECK_INT(RR16(0x3c), 0);
	CHECK_INT(RR8(0x37) & 0x0c, 0);
	CHECK(!sm_nic_running(nic));
	CHECK_INT(RR32(0x10) & 0x2000, 0x2000);
	sm_nic_stats(nic, &st);
	CHECK_INT(st.resets, 2);
	CHECK_INT(st.bad_dma, 0);
	kpi_host_dma_free(&ring);
	kpi_host_dma_free(&tx);
	kpi_host_pci_close(h);
}

/* ---- 82540EM ------------------------------------------------------------------------------------- */

static volatile kpi_u8 *e_regs;
static kpi_u32 e_port;
#define ER(o) (*(volatile kpi_u32 *)(e_regs + (o)))

static kpi_u16 eecd_read(unsigned addr)
{
	const kpi_u32 sk = 1, cs = 2, di = 4, dout = 8, req = 0x40, gnt = 0x80;
	kpi_u32 cmd = 6u << 6 | (addr & 63), v = 0; /* 110 + six address bits */
	ER(0x10) = req;
	CHECK(ER(0x10) & gnt);
	ER(0x10) = req | cs;
	for (int i = 8; i >= 0; i--) {
		kpi_u32 d = cmd >> i & 1 ? di : 0;
		ER(0x10) = req | cs | d;
		ER(0x10) = req | cs | d | sk;
	}
	ER(0x10) = req | cs;
	for (int i = 0; i < 16; i++) {
		ER(0x10) = req | cs | sk;
		v = v << 1 | (ER(0x10) & dout ? 1 : 0);
		ER(0x10) = req | cs;
	}
	ER(0x10) = 0;
	return (kpi_u16)v;
}

static kpi_u16 eerd_read(unsigned addr)
{
	ER(0x14) = 1 | addr << 8;
	kpi_u32 v = ER(0x14);
	CHECK(v & 0x10);
	return (kpi_u16)(v >> 16);
}

static kpi_u32 mdic(kpi_u32 v)
{
	ER(0x20) = v;
	return ER(0x20);
}

static uint16_t csum_ref(const kpi_u8 *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void test_e1000(void)
{
	struct sm_nic *nic = sm_e1000_create(mac);
	struct sim_dev *dev = sm_nic_dev(nic);
	struct kpi_pci_map m;
	struct kpi_pci_bar iob;
	struct kpi_dma rxr, rxb, txr, txb;
	struct sm_stats st;
	kpi_u8 f[1600], got[2048];
	int h = open_dev(dev);
	CHECK_INT(kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &m), 0);
	CHECK_INT(m.size, 0x20000);
	e_regs = m.addr;
	CHECK_INT(kpi_host_pci_bar(h, 1, &iob), 0);
	CHECK_INT(kpi_host_pci_pio_enable(h, 1), 0);
	e_port = (kpi_u32)iob.addr;

	/* EEPROM: EERD and bit-banged Microwire agree; checksum; MAC in RAR0 */
	kpi_u16 sum = 0;
	for (unsigned i = 0; i < 64; i++)
		sum = (kpi_u16)(sum + eerd_read(i));
	CHECK_INT(sum, 0xbaba);
	CHECK_INT(eerd_read(0), mac[0] | mac[1] << 8);
	CHECK_INT(eecd_read(1), mac[2] | mac[3] << 8);
	CHECK_INT(eecd_read(0x0f), eerd_read(0x0f));
	CHECK_INT(ER(0x5400), le32(mac));
	CHECK_INT(ER(0x5404), 0x80000000u | mac[4] | mac[5] << 8);

	/* PHY through MDIC: M88E1011 at address 1 only */
	kpi_u32 v = mdic(2u << 26 | 1u << 21 | 2u << 16);
	CHECK(v & 0x10000000u);
	CHECK_INT(v & 0xffff, 0x0141);
	CHECK_INT(mdic(2u << 26 | 1u << 21 | 3u << 16) & 0xfff0, 0x0c20);
	CHECK(mdic(2u << 26 | 2u << 21 | 1u << 16) & 0x40000000u);
	CHECK_INT(mdic(2u << 26 | 1u << 21 | 1u << 16) & 0x24, 0x24); /* link, AN complete */

	/* link status, LSC, ICR read-clear, IMS/IMC and the line */
	CHECK_INT(ER(0x08) & 0xc3, 0x83); /* FD, LU, 1000 Mb/s */
	ER(0xd0) = 0x04;
	struct sim_irq_stats i0, i1;
	sim_irq_stats(dev, 0, &i0);
	sm_link(nic, 0);
	CHECK_INT(ER(0x08) & 2, 0);
	sim_irq_stats(dev, 0, &i1);
	CHECK(i1.raised > i0.raised);
	CHECK_INT(ER(0xc0), 0x80000004u);
	CHECK_INT(ER(0xc0), 0);
	sm_link(nic, 1);
	CHECK_INT(mdic(2u << 26 | 1u << 21 | 1u << 16) & 0x04, 0); /* latched low */
	CHECK_INT(mdic(2u << 26 | 1u << 21 | 1u << 16) & 0x04, 0x04);
	(void)ER(0xc0); /* the LSC of the link coming back */
	ER(0xd8) = ~0u;
	CHECK_INT(ER(0xd0), 0);
	ER(0xc8) = 0x10;	  /* ICS */
	CHECK_INT(ER(0xc0), 0x10); /* masked: no INT_ASSERTED */

	/* IOADDR/IODATA reach the same registers; CTRL.RST through them */
	kpi_host_pio_out(e_port, 4, 0x5400);
	CHECK_INT(kpi_host_pio_in(e_port + 4, 4), le32(mac));
	ER(0x5400) = 0x12345678;
	kpi_host_pio_out(e_port, 4, 0x0000);
	kpi_host_pio_out(e_port + 4, 4, 0x04000000u);
	CHECK_INT(ER(0x0000) & 0x04000000u, 0);
	CHECK_INT(ER(0x5400), le32(mac)); /* reloaded from the EEPROM */
	sm_nic_stats(nic, &st);
	CHECK_INT(st.resets, 1);

	/* receive: 8 descriptors of 2 KiB, BAM; the FCS is stored unless SECRC */
	CHECK_INT(kpi_host_dma_alloc(8 * 16, KPI_DMA_32BIT, &rxr), 0);
	CHECK_INT(kpi_host_dma_alloc(8 * 2048, KPI_DMA_32BIT, &rxb), 0);
	kpi_u8 *rd = rxr.virt;
	for (int i = 0; i < 8; i++) {
		kpi_u64 a = rxb.bus + 2048u * (kpi_u64)i;
		memcpy(rd + 16 * i, &a, 8);
	}
	ER(0x2800) = (kpi_u32)rxr.bus, ER(0x2804) = (kpi_u32)(rxr.bus >> 32), ER(0x2808) = 8 * 16;
	ER(0x2810) = 0, ER(0x2818) = 7;
	ER(0x0100) = 0x2 | 0x8000; /* EN, BAM; BSIZE 2048 */
	ER(0xd0) = 0x80;
	static const kpi_u8 bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, other[6] = {2, 0, 0, 0, 0, 9};
	frame(f, 100, mac, 5);
	sm_wire_inject(nic, f, 100);
	frame(f, 100, other, 6);
	sm_wire_inject(nic, f, 100);
	frame(f, 60, bc, 7);
	sm_wire_inject(nic, f, 60);
	poll_models();
	CHECK_INT(ER(0x2810), 2);
	CHECK_INT(rd[8] | rd[9] << 8, 104);
	CHECK_INT(rd[12], 0x07); /* DD, EOP, IXSM */
	frame(f, 100, mac, 5);
	CHECK(!memcmp(rxb.virt, f, 100));
	CHECK_INT(le32((kpi_u8 *)rxb.virt + 100), crc32_ref(f, 100));
	CHECK_INT(rd[16 + 8] | rd[16 + 9] << 8, 64);
	CHECK(ER(0xc0) & 0x80); /* RXT0 */
	CHECK_INT(ER(0x4074), 2); /* GPRC, then cleared by the read */
	CHECK_INT(ER(0x4074), 0);
	sm_nic_stats(nic, &st);
	CHECK_INT(st.rx_filtered, 1);

	/* SECRC and 256-byte buffers: a 600-byte frame spans three descriptors */
	ER(0x0100) = 0x2 | 0x8000 | 0x30000 | 0x04000000u;
	frame(f, 600, mac, 8);
	sm_wire_inject(nic, f, 600);
	poll_models();
	CHECK_INT(ER(0x2810), 5);
	CHECK_INT(rd[32 + 12], 0x05); /* DD, IXSM: no EOP */
	CHECK_INT(rd[64 + 12], 0x07);
	CHECK_INT(rd[64 + 8] | rd[64 + 9] << 8, 600 - 512);
	CHECK(!memcmp((kpi_u8 *)rxb.virt + 2 * 2048, f, 256));
	CHECK(!memcmp((kpi_u8 *)rxb.virt + 4 * 2048, f + 512, 88));

	/* no descriptors left: flow control waits, drop mode counts RXO/MPC */
	ER(0x0100) = 0x2 | 0x8000;
	ER(0x2818) = 6; /* one descriptor free */
	frame(f, 100, mac, 9);
	sm_wire_inject(nic, f, 100);
	sm_wire_inject(nic, f, 100);
	poll_models();
	CHECK_INT(ER(0x2810), 6);
	CHECK_INT(sm_wire_rx_waiting(nic), 1);
	sm_wire_mode(nic, SM_WIRE_DROP);
	poll_models();
	CHECK(ER(0xc0) & 0x40);
	CHECK_INT(ER(0x4010), 1);
	sm_wire_mode(nic, SM_WIRE_FLOW);

	/* transmit: legacy (PSP padding, VLAN tag), context + data with checksums */
	CHECK_INT(kpi_host_dma_alloc(8 * 16, KPI_DMA_32BIT, &txr), 0);
	CHECK_INT(kpi_host_dma_alloc(4096, KPI_DMA_32BIT, &txb), 0);
	kpi_u8 *td = txr.virt, *tb = txb.virt;
	ER(0x3800) = (kpi_u32)txr.bus, ER(0x3804) = (kpi_u32)(txr.bus >> 32), ER(0x3808) = 8 * 16;
	ER(0x3810) = 0, ER(0x3818) = 0;
	ER(0x0400) = 0x2 | 0x8; /* EN, PSP */
	ER(0xc0) = ~0u;
	frame(tb, 42, peer, 10);
	kpi_u64 a = txb.bus;
	memcpy(td, &a, 8);
	kpi_u32 lower = 42 | (kpi_u32)(0x01 | 0x02 | 0x08) << 24; /* EOP IFCS RS */
	memcpy(td + 8, &lower, 4);
	ER(0x3818) = 1;
	poll_models();
	CHECK_INT(sm_wire_pop(nic, got, sizeof(got)), 60);
	CHECK(!memcmp(got, tb, 42));
	CHECK_INT(got[59], 0);
	CHECK_INT(td[12] & 1, 1);
	CHECK_INT(ER(0xc0) & 3, 3); /* TXDW, TXQE */

	/* VLAN: tag 0x0123 inserted after the addresses */
	frame(tb + 512, 100, peer, 11);
	a = txb.bus + 512;
	memcpy(td + 16, &a, 8);
	lower = 100 | (kpi_u32)(0x01 | 0x02 | 0x08 | 0x40) << 24;
	kpi_u32 upper = 0x0123u << 16;
	memcpy(td + 24, &lower, 4);
	memcpy(td + 28, &upper, 4);
	ER(0x3818) = 2;
	poll_models();
	CHECK_INT(sm_wire_pop(nic, got, sizeof(got)), 104);
	CHECK(got[12] == 0x81 && got[13] == 0x00 && got[14] == 0x01 && got[15] == 0x23);
	CHECK(!memcmp(got + 16, tb + 512 + 12, 88));

	/* UDP/IPv4 with the IP and UDP checksums left to the device */
	kpi_u8 *u = tb + 1024;
	size_t ulen = 14 + 20 + 8 + 30;
	memset(u, 0, ulen);
	memcpy(u, peer, 6), memcpy(u + 6, mac, 6);
	u[12] = 0x08, u[13] = 0x00;
	kpi_u8 *ip = u + 14;
	ip[0] = 0x45, ip[3] = (kpi_u8)(ulen - 14), ip[8] = 64, ip[9] = 17;
	ip[12] = 10, ip[15] = 1, ip[16] = 10, ip[19] = 2;
	kpi_u8 *udp = ip + 20;
	udp[1] = 53, udp[3] = 99, udp[5] = 38;
	for (int i = 0; i < 30; i++)
		udp[8 + i] = (kpi_u8)(i * 7 + 1);
	/* the stack's part: the pseudo-header sum, not inverted, in the field */
	uint32_t ps = (10u << 8) + 1 + (10u << 8) + 2 + 17 + 38;
	ps = (ps & 0xffff) + (ps >> 16);
	udp[6] = (kpi_u8)(ps >> 8), udp[7] = (kpi_u8)ps;
	kpi_u8 *cd = td + 32; /* context descriptor */
	memset(cd, 0, 16);
	cd[0] = 14, cd[1] = 14 + 10, cd[2] = 14 + 19; /* IPCSS, IPCSO, IPCSE */
	cd[4] = 34, cd[5] = 34 + 6;		      /* TUCSS, TUCSO, TUCSE 0: to the end */
	lower = 0x20000000u | 0x08000000u;	      /* DEXT, RS; DTYP 0 */
	memcpy(cd + 8, &lower, 4);
	kpi_u8 *dd = td + 48; /* data descriptor */
	a = txb.bus + 1024;
	memcpy(dd, &a, 8);
	lower = (kpi_u32)ulen | 1u << 20 | (kpi_u32)(0x01 | 0x02 | 0x08 | 0x20) << 24;
	upper = (0x01 | 0x02) << 8; /* IXSM, TXSM */
	memcpy(dd + 8, &lower, 4);
	memcpy(dd + 12, &upper, 4);
	ER(0x3818) = 4;
	poll_models();
	CHECK_INT(sm_wire_pop(nic, got, sizeof(got)), 72);
	CHECK_INT(csum_ref(got + 14, 20, 0), 0); /* a correct IP header sums to 0 */
	{
		kpi_u8 p[12 + 38];
		memcpy(p, got + 26, 8); /* addresses */
		p[8] = 0, p[9] = 17, p[10] = 0, p[11] = 38;
		memcpy(p + 12, got + 34, 38);
		CHECK_INT(csum_ref(p, sizeof(p), 0), 0); /* UDP with its pseudo header */
	}
	CHECK_INT(cd[12] & 1, 1);
	CHECK_INT(dd[12] & 1, 1);
	CHECK_INT(ER(0x3810), 4);
	CHECK_INT(ER(0x4080), 3); /* GPTC */

	sm_tx_pause(nic, 1);
	lower = 42 | (kpi_u32)(0x01 | 0x02 | 0x08) << 24;
	a = txb.bus;
	memcpy(td + 64, &a, 8);
	memcpy(td + 72, &lower, 4);
	ER(0x3818) = 5;
	poll_models();
	CHECK_INT(sm_wire_pop(nic, got, sizeof(got)), 0);
	sm_tx_pause(nic, 0);
	poll_models();
	CHECK_INT(sm_wire_pop(nic, got, sizeof(got)), 60);

	sm_nic_stats(nic, &st);
	CHECK_INT(st.bad_dma, 0);
	CHECK(st.ee_reads >= 66);
	kpi_host_dma_free(&rxr);
	kpi_host_dma_free(&rxb);
	kpi_host_dma_free(&txr);
	kpi_host_dma_free(&txb);
	kpi_host_pci_close(h);
}

int main(int argc, char **argv)
{
	CHECK_INT(crc32_ref((const kpi_u8 *)"123456789", 9), 0xcbf43926u);
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc, argv), 0);
	sim_clock_virtual(1);
	test_trap();
	test_rtl8139();
	test_e1000();
	CHECK_INT(sim_dma_live(), 0);
	return KTEST_DONE();
}
