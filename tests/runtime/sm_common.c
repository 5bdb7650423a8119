/* sm_common.c: the parts of the NIC models (sm_models.h) that are not
 * about one chip - the wire queues and their test API, link and pause
 * switches, counters, Ethernet CRCs, checked DMA access, and the Microwire
 * serial EEPROM (93C46/93C66 datasheet behaviour: start bit, 2-bit opcode,
 * address, a dummy 0 before the data, sequential reads, EWEN/EWDS/WRITE/
 * ERASE/ERAL/WRAL), which both chips expose pin by pin. */
#include "sm_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SM_WIRE_QMAX 4096

static int sm_tracing;

void sm_trace(int on)
{
	sm_tracing = on;
}

void sm_trace_access(const struct sm_nic *nic, char dir, int bar, uint64_t off, unsigned width, uint64_t value)
{
	if (sm_tracing)
		fprintf(stderr, "sm %s: %c%u bar%d+0x%llx = 0x%llx\n", nic->name, dir, width * 8, bar,
			(unsigned long long)off, (unsigned long long)value);
}

void sm_nic_init(struct sm_nic *nic, const char *name, const uint8_t mac[6])
{
	memset(nic, 0, sizeof(*nic));
	nic->name = name;
	memcpy(nic->mac, mac, 6);
	nic->link = 1;
	nic->mode = SM_WIRE_FLOW;
}

void sm_log(const struct sm_nic *nic, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sm %s: %s\n", nic->name, buf);
}

int sm_fq_push(struct sm_fq *q, const void *data, size_t len)
{
	if (q->n >= SM_WIRE_QMAX)
		return -KPI_ENOSPC;
	struct sm_frame *f = malloc(sizeof(*f) + len);
	if (!f)
		return -KPI_ENOMEM;
	f->next = NULL;
	f->len = len;
	memcpy(f->data, data, len);
	if (q->tail)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->n++;
	return 0;
}

struct sm_frame *sm_fq_peek(struct sm_fq *q)
{
	return q->head;
}

void sm_fq_drop(struct sm_fq *q)
{
	struct sm_frame *f = q->head;
	if (!f)
		return;
	q->head = f->next;
	if (!q->head)
		q->tail = NULL;
	q->n--;
	free(f);
}

void sm_wire_put(struct sm_nic *nic, const void *data, size_t len)
{
	if (!nic->link)
		return; /* no carrier: the frame goes nowhere */
	if (sm_fq_push(&nic->tx, data, len) < 0)
		sm_log(nic, "wire: transmitted frame lost (the test does not pop them)");
	nic->st.tx_frames++;
}

/* ---- test API ------------------------------------------------------------ */

struct sim_dev *sm_nic_dev(const struct sm_nic *nic)
{
	return nic->dev;
}

const char *sm_nic_name(const struct sm_nic *nic)
{
	return nic->name;
}

const kpi_u8 *sm_nic_mac(const struct sm_nic *nic)
{
	return nic->mac;
}

int sm_wire_inject(struct sm_nic *nic, const void *frame, kpi_size len)
{
	if (len < 14 || len > SM_FRAME_MAX - 4)
		return -KPI_EINVAL;
	return sm_fq_push(&nic->rx, frame, len);
}

int sm_wire_pop(struct sm_nic *nic, void *buf, kpi_size cap)
{
	struct sm_frame *f = sm_fq_peek(&nic->tx);
	if (!f)
		return 0;
	if (f->len > cap)
		return -KPI_ENOSPC;
	size_t len = f->len;
	memcpy(buf, f->data, len);
	sm_fq_drop(&nic->tx);
	return (int)len;
}

int sm_wire_rx_waiting(const struct sm_nic *nic)
{
	return nic->rx.n;
}

void sm_wire_mode(struct sm_nic *nic, int mode)
{
	nic->mode = mode;
}

void sm_link(struct sm_nic *nic, int up)
{
	up = !!up;
	if (nic->link == up)
		return;
	nic->link = up;
	if (nic->link_changed)
		nic->link_changed(nic);
}

void sm_tx_pause(struct sm_nic *nic, int paused)
{
	nic->tx_paused = paused;
}

void sm_nic_stats(const struct sm_nic *nic, struct sm_stats *out)
{
	*out = nic->st;
}

int sm_nic_running(const struct sm_nic *nic)
{
	return nic->running ? nic->running(nic) : 0;
}

/* ---- CRCs and DMA --------------------------------------------------------- */

uint32_t sm_fcs(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

uint32_t sm_crc32_msb(const uint8_t *data, size_t len)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < len; i++) {
		uint8_t byte = data[i];
		for (int b = 0; b < 8; b++, byte >>= 1) {
			int in = (int)(crc >> 31) ^ (byte & 1); /* bits go on the wire LSB first */
			crc <<= 1;
			if (in)
				crc ^= 0x04c11db7u;
		}
	}
	return crc;
}

void *sm_dma(struct sm_nic *nic, uint64_t bus, size_t len, const char *what)
{
	void *p = sim_dma_to_virt(bus, len);
	if (!p) {
		nic->st.bad_dma++;
		sm_log(nic, "%s: %zu bytes at bus 0x%llx are not DMA memory", what, len, (unsigned long long)bus);
	}
	return p;
}

/* ---- Microwire EEPROM ------------------------------------------------------ */

enum { EE_IDLE, EE_OP, EE_ADDR, EE_DIN, EE_READ, EE_DONE };
enum { EE_OP_EXT = 0, EE_OP_WRITE = 1, EE_OP_READ = 2, EE_OP_ERASE = 3 };

void sm_ee93_init(struct sm_ee93 *ee, int abits, unsigned *read_counter)
{
	memset(ee, 0, sizeof(*ee));
	memset(ee->word, 0xff, sizeof(ee->word));
	ee->abits = abits;
	ee->dout = 1;
	ee->reads = read_counter;
}

static void ee_address_done(struct sm_ee93 *ee)
{
	int words = 1 << ee->abits;
	ee->addr = (int)ee->shift & (words - 1);
	ee->nbits = 0;
	ee->shift = 0;
	switch (ee->op) {
	case EE_OP_READ:
		ee->state = EE_READ;
		ee->bit = 16;
		ee->dout = 0; /* the dummy bit before D15 */
		if (ee->reads)
			(*ee->reads)++;
		break;
	case EE_OP_WRITE:
		ee->state = EE_DIN;
		break;
	case EE_OP_ERASE:
		if (ee->wen)
			ee->word[ee->addr] = 0xffff;
		ee->state = EE_DONE;
		ee->dout = 1; /* ready at once */
		break;
	default: /* the two top address bits select EWEN/EWDS/ERAL/WRAL */
		switch (ee->addr >> (ee->abits - 2)) {
		case 3:
			ee->wen = 1;
			break;
		case 0:
			ee->wen = 0;
			break;
		case 2:
			if (ee->wen)
				memset(ee->word, 0xff, sizeof(ee->word));
			break;
		case 1:
			ee->state = EE_DIN;
			return;
		}
		ee->state = EE_DONE;
		ee->dout = 1;
	}
}

static void ee_clock(struct sm_ee93 *ee, int di)
{
	int words = 1 << ee->abits;
	switch (ee->state) {
	case EE_IDLE:
		if (di) { /* start bit; leading zeros are ignored */
			ee->state = EE_OP;
			ee->nbits = 0;
			ee->shift = 0;
		}
		break;
	case EE_OP:
		ee->shift = ee->shift << 1 | (uint32_t)di;
		if (++ee->nbits == 2) {
			ee->op = (int)ee->shift;
			ee->state = EE_ADDR;
			ee->nbits = 0;
			ee->shift = 0;
		}
		break;
	case EE_ADDR:
		ee->shift = ee->shift << 1 | (uint32_t)di;
		if (++ee->nbits == ee->abits)
			ee_address_done(ee);
		break;
	case EE_DIN:
		ee->shift = ee->shift << 1 | (uint32_t)di;
		if (++ee->nbits == 16) {
			if (ee->wen && ee->op == EE_OP_WRITE)
				ee->word[ee->addr] = (uint16_t)ee->shift;
			else if (ee->wen)
				for (int i = 0; i < words; i++)
					ee->word[i] = (uint16_t)ee->shift;
			ee->state = EE_DONE;
			ee->dout = 1;
		}
		break;
	case EE_READ:
		if (ee->bit == 0) { /* sequential read: on to the next word */
			ee->addr = (ee->addr + 1) & (words - 1);
			ee->bit = 16;
			if (ee->reads)
				(*ee->reads)++;
		}
		ee->bit--;
		ee->dout = ee->word[ee->addr] >> ee->bit & 1;
		break;
	default:
		break;
	}
}

int sm_ee93_pins(struct sm_ee93 *ee, int cs, int sk, int di)
{
	cs = !!cs, sk = !!sk, di = !!di;
	if (!cs) {
		/* deselected: the serial state is reset, DO floats (pulled up) */
		ee->state = EE_IDLE;
		ee->dout = 1;
	} else if (sk && !ee->sk && ee->cs) {
		ee_clock(ee, di);
	}
	ee->cs = cs;
	ee->sk = sk;
	return ee->dout;
}
