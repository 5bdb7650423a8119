/* sm_internal.h: what the NIC models of sm_models.h share - the common part
 * of a NIC (wire queues, link, counters), Ethernet CRCs, DMA access with
 * bounds reporting, and a 93C46/93C66 Microwire serial EEPROM driven pin by
 * pin (both the RTL8139's 9346CR and the 82540's EECD expose its pins).
 * Private to tests/runtime/sm_*.c. */
#ifndef SM_INTERNAL_H
#define SM_INTERNAL_H

#include "sm_models.h"

#include <stddef.h>
#include <stdint.h>

struct sm_frame {
	struct sm_frame *next;
	size_t len;
	uint8_t data[];
};

struct sm_fq {
	struct sm_frame *head, *tail;
	int n;
};

/* The common part of a model: first member of each model's state. */
struct sm_nic {
	const char *name;
	struct sim_dev *dev;
	uint8_t mac[6];
	struct sm_fq rx; /* wire -> device */
	struct sm_fq tx; /* device -> wire */
	int mode, link, tx_paused;
	struct sm_stats st;
	/* model hooks */
	int (*running)(const struct sm_nic *nic);
	void (*link_changed)(struct sm_nic *nic);
};

void sm_nic_init(struct sm_nic *nic, const char *name, const uint8_t mac[6]);
/* One line per register access on stderr when tracing is on (sm_trace). */
void sm_trace_access(const struct sm_nic *nic, char dir, int bar, uint64_t off, unsigned width, uint64_t value);
void sm_log(const struct sm_nic *nic, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int sm_fq_push(struct sm_fq *q, const void *data, size_t len);
struct sm_frame *sm_fq_peek(struct sm_fq *q);
void sm_fq_drop(struct sm_fq *q);

/* A frame the device transmitted (already without the hardware FCS). */
void sm_wire_put(struct sm_nic *nic, const void *data, size_t len);

/* The FCS as it goes on the wire (CRC-32, reflected, inverted; stored
 * least significant byte first). */
uint32_t sm_fcs(const void *data, size_t len);
/* The CRC-32 of a MAC address computed most significant bit first, as the
 * RTL8139's multicast hash uses it (its top 6 bits index MAR0-7). */
uint32_t sm_crc32_msb(const uint8_t *data, size_t len);

/* len bytes of DMA memory at bus, or NULL (counted in bad_dma, logged). */
void *sm_dma(struct sm_nic *nic, uint64_t bus, size_t len, const char *what);

/* ---- 93C46 (6 address bits, 64 words) / 93C66 (8 bits, 256 words) ------ */
struct sm_ee93 {
	uint16_t word[256];
	int abits;
	/* pins as last driven, and the data output */
	int cs, sk, dout;
	/* serial state */
	int state;  /* idle, opcode, address, data in, reading */
	int nbits;  /* bits collected in this state */
	uint32_t shift;
	int op;
	int addr;
	int bit;    /* next data bit to shift out (reading) */
	int wen;    /* EWEN given: writes allowed */
	unsigned *reads;
};
void sm_ee93_init(struct sm_ee93 *ee, int abits, unsigned *read_counter);
/* Drive CS, SK and DI; returns DO. */
int sm_ee93_pins(struct sm_ee93 *ee, int cs, int sk, int di);

#endif
