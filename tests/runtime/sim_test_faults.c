/* sim_test_faults.c: the sim backend's fault injection seen through
 * kpi_host.h and kit - surprise removal (all-ones reads, dropped writes, no
 * interrupts), DMA allocation failure, an interrupt storm that re-raises on
 * every ack, and the abort on freeing memory that is not DMA memory. */
#define _GNU_SOURCE
#include "kpi_kit.h"
#include "ktest.h"
#include "sim.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static kpi_u32 reg_value = 0x11223344;
static int reg_writes;

static kpi_u64 reg_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	(void)dev;
	(void)bar;
	(void)off;
	(void)width;
	return reg_value;
}

static void reg_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	(void)dev;
	(void)bar;
	(void)off;
	(void)width;
	reg_value = (kpi_u32)value;
	reg_writes++;
}

static const struct sim_bar_ops reg_ops = {reg_read, reg_write};

static struct sim_dev *make_dev(void)
{
	struct sim_pci_id id = {0x1af4, 0x1000, 0, 0, 0x020000, 0, 1};
	struct sim_dev *dev = sim_dev_create(&id);
	CHECK_INT(sim_dev_add_mem_bar(dev, 0, 4096, 0, &reg_ops), 0);
	CHECK_INT(sim_dev_add_mem_bar(dev, 1, 8192, 0, NULL), 0);
	CHECK_INT(sim_dev_add_io_bar(dev, 2, 32, NULL), 0);
	return dev;
}

static void test_removed(void)
{
	kit_reset();
	sim_reset();
	struct sim_dev *dev = make_dev();
	int h = kpi_host_pci_open(0);
	struct kpi_pci_map trapped, plain;
	struct kpi_pci_bar io;
	CHECK_INT(kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &trapped), 0);
	CHECK_INT(kpi_host_pci_map_bar(h, 1, KPI_MAP_UC, &plain), 0);
	CHECK_INT(kpi_host_pci_bar(h, 2, &io), 0);
	CHECK_INT(kpi_host_pci_pio_enable(h, 2), 0);
	kpi_host_pio_out((kpi_u32)io.addr, 2, 0x55aa);
	CHECK_INT(kpi_host_pio_in((kpi_u32)io.addr, 2), 0x55aa);
	CHECK_INT(kpi_host_mmio_read(trapped.addr, 4), 0x11223344);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_LEGACY, 1), 1);
	struct kit_event ev;
	kit_event_init(&ev);
	CHECK_INT(kpi_host_irq_watch(h, 0, &ev.evh), 0);

	sim_fault_removed(dev, 1);
	kpi_u32 v = 0;
	CHECK_INT(kpi_host_pci_cfg_read(h, 0, 4, &v), 0);
	CHECK_INT(v, 0xffffffff);
	CHECK_INT(kpi_host_pci_cfg_read(h, 0x3d, 1, &v), 0);
	CHECK_INT(v, 0xff);
	CHECK_INT(kpi_host_mmio_read(trapped.addr, 4), 0xffffffff);
	CHECK_INT(kpi_host_mmio_read(trapped.addr, 2), 0xffff);
	kpi_host_mmio_write(trapped.addr, 4, 0);
	CHECK_INT(reg_writes, 0); /* dropped */
	CHECK_INT(*(volatile kpi_u32 *)plain.addr, 0xffffffff);
	CHECK_INT(kpi_host_pio_in((kpi_u32)io.addr, 1), 0xff);
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(ev.count, 0); /* a removed device interrupts nobody */

	/* Re-inserted: the raise pending from before comes through. */
	sim_fault_removed(dev, 0);
	CHECK_INT(kpi_host_pci_cfg_read(h, 0, 2, &v), 0);
	CHECK_INT(v, 0x1af4);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(ev.count, 1);
	kpi_host_pci_close(h);
}

static void test_dma_failure(void)
{
	sim_reset();
	struct kpi_dma d[3];
	sim_fault_dma_fail(2);
	CHECK_INT(kpi_host_dma_alloc(4096, 0, &d[0]), -KPI_ENOMEM);
	CHECK_INT(kpi_host_dma_alloc(4096, KPI_DMA_32BIT, &d[0]), -KPI_ENOMEM);
	CHECK_INT(kpi_host_dma_alloc(4096, 0, &d[0]), 0);
	CHECK_INT(sim_dma_live(), 1);
	kpi_host_dma_free(&d[0]);
	/* More than the 32-bit window holds fails without touching memory. */
	struct kpi_dma big;
	CHECK_INT(kpi_host_dma_alloc((kpi_size)4 << 30, KPI_DMA_32BIT, &big), -KPI_ENOMEM);
	CHECK_INT(sim_dma_live(), 0);
	sim_reset();
}

/* The IRQ thread of a driver: handle and ack, forever. */
static struct {
	int h;
	struct kit_event ev;
	int handled;
	int stop;
} st;

static void storm_thread(void *arg)
{
	(void)arg;
	while (!st.stop) {
		if (!kit_event_wait(&st.ev, KPI_FOREVER))
			continue;
		st.handled++;
		CHECK_INT(kpi_host_irq_ack(st.h, 0), 0);
		if (st.handled == 1000) { /* what Linux's "nobody cared" does: give up */
			kpi_host_irq_watch(st.h, 0, NULL);
			st.stop = 1;
		}
	}
}

static void test_irq_storm(void)
{
	kit_reset();
	sim_reset();
	sim_clock_virtual(1);
	memset(&st, 0, sizeof(st));
	struct sim_dev *dev = make_dev();
	st.h = kpi_host_pci_open(0);
	CHECK_INT(kpi_host_irq_enable(st.h, KPI_IRQ_LEGACY, 1), 1);
	kit_event_init(&st.ev);
	CHECK_INT(kpi_host_irq_watch(st.h, 0, &st.ev.evh), 0);
	kit_task_create("irq", storm_thread, NULL, 0);

	/* A bounded storm: one raise plus 5 re-raises on ack = 6 handled. */
	sim_fault_irq_storm(dev, 0, 5);
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(st.handled, 6);
	struct sim_irq_stats s;
	sim_irq_stats(dev, 0, &s);
	CHECK_INT(s.raised, 6);
	CHECK_INT(s.acked, 6);

	/* An endless storm: the loop keeps delivering (one per ack) and keeps
	 * running until the driver gives up on the line. */
	sim_fault_irq_storm(dev, 0, -1);
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(st.handled, 1000);
	sim_irq_stats(dev, 0, &s);
	CHECK_INT(s.pending, 1); /* still screaming, but unwatched */
	kpi_host_pci_close(st.h);
	kit_reset();
}

static int dma_free_bogus_aborts(void)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		struct kpi_dma bogus = {&bogus, 0x1000, 4096, 0};
		kpi_host_dma_free(&bogus);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int main(void)
{
	test_removed();
	test_dma_failure();
	test_irq_storm();
	CHECK(dma_free_bogus_aborts());
	sim_reset();
	return KTEST_DONE();
}
