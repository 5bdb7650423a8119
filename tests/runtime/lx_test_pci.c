/* lx_test_pci.c: a PCI test "driver" (written for kpiport, compiled with
 * the kernel flags like a port) run by kpi_pci_driver_main against sim
 * devices: matching by id and by class, probe/remove, enable/master,
 * redox_* MMIO and port I/O, coherent and streaming DMA as the device model
 * sees it, and a threaded interrupt (hard part with interrupts "disabled",
 * thread after IRQ_WAKE_THREAD, host ack only after a ONESHOT thread), and
 * power management through the PM capability (D-states, saved header, PME). */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"
#include "kpi_kit.h" /* kit_task_current: are we in a task or in the loop? */

static struct sim_dev *dev_match, *dev_other, *dev_class;
static int probes[4], removes;
static int hard_ran, hard_irqs_off, hard_in_irq, thread_ran, thread_irqs_on, thread_after_hard;
static unsigned acked_in_thread = 99;
static DECLARE_COMPLETION(thread_done);

struct lxt_priv {
	void __iomem *regs;
	void *coh;
	dma_addr_t coh_bus;
};

/* A PM capability (D1 and D3hot; PME from D0 and D3hot) at 0xc0. */
static void lxt_add_pm_cap(struct sim_dev *d)
{
	kpi_u8 *c = sim_dev_config(d);
	c[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	c[0xc0] = PCI_CAP_ID_PM;
	c[0xc1] = c[PCI_CAPABILITY_LIST];
	c[PCI_CAPABILITY_LIST] = 0xc0;
	c[0xc2] = 0x03; /* PMC: version 3, */
	c[0xc3] = 0x48 | 0x02; /* PME from D0 (bit 11) and D3hot (bit 14), D1 (bit 9) */
	c[0xc4] = c[0xc5] = 0;
}

static void check_pm(struct pci_dev *pdev)
{
	u16 pmcsr;
	u8 line;
	LXT_CHECK_INT(pci_set_power_state(pdev, PCI_D3hot), 0);
	LXT_CHECK_INT(pdev->current_state, PCI_D3hot);
	LXT_CHECK_INT(pdev->pm_cap, 0xc0);
	pci_read_config_word(pdev, 0xc4, &pmcsr);
	LXT_CHECK_INT(pmcsr & PCI_PM_CTRL_STATE_MASK, 3);
	LXT_CHECK_INT(pci_set_power_state(pdev, PCI_D2), -EIO); /* no D2 support */
	LXT_CHECK_INT(pci_set_power_state(pdev, PCI_D1), 0);
	LXT_CHECK_INT(pci_set_power_state(pdev, PCI_D3cold), 0); /* D3hot: no platform power */
	LXT_CHECK_INT(pdev->current_state, PCI_D3hot);
	LXT_CHECK_INT(pci_set_power_state(pdev, PCI_D0), 0);
	LXT_CHECK_INT(pdev->current_state, PCI_D0);
	/* the saved header comes back */
	pci_read_config_byte(pdev, PCI_INTERRUPT_LINE, &line);
	LXT_CHECK_INT(pci_save_state(pdev), 0);
	pci_write_config_byte(pdev, PCI_INTERRUPT_LINE, (u8)(line ^ 0x5a));
	pci_restore_state(pdev);
	pci_read_config_byte(pdev, PCI_INTERRUPT_LINE, &line);
	LXT_CHECK_INT(line, pdev->saved_config_space[PCI_INTERRUPT_LINE / 4] & 0xff);
	/* PME enable follows the PME_Support bits */
	LXT_CHECK_INT(pci_enable_wake(pdev, PCI_D3hot, true), 0);
	pci_read_config_word(pdev, 0xc4, &pmcsr);
	LXT_CHECK(pmcsr & PCI_PM_CTRL_PME_ENABLE);
	LXT_CHECK_INT(pci_enable_wake(pdev, PCI_D1, true), -EINVAL);
	LXT_CHECK_INT(pci_wake_from_d3(pdev, false), 0);
	pci_read_config_word(pdev, 0xc4, &pmcsr);
	LXT_CHECK(!(pmcsr & PCI_PM_CTRL_PME_ENABLE));
	LXT_CHECK(!pci_dev_run_wake(pdev));
}

static irqreturn_t lxt_hard(int irq, void *data)
{
	(void)irq, (void)data;
	hard_ran++;
	hard_irqs_off = irqs_disabled();
	hard_in_irq = in_irq() && !kit_task_current();
	return IRQ_WAKE_THREAD;
}

static irqreturn_t lxt_thread(int irq, void *data)
{
	struct sim_irq_stats st;
	(void)irq, (void)data;
	thread_ran++;
	thread_irqs_on = !irqs_disabled() && kit_task_current() != NULL;
	thread_after_hard = hard_ran == 1;
	sim_irq_stats(dev_match, 0, &st);
	acked_in_thread = st.acked;
	complete(&thread_done);
	return IRQ_HANDLED;
}

static void check_dma(struct pci_dev *pdev, struct lxt_priv *p)
{
	u8 *buf, *in;
	dma_addr_t h;
	int i, ok = 1;
	u32 sum = 0;
	/* coherent: the model writes through the bus address lx handed out */
	p->coh = dma_alloc_coherent(&pdev->dev, 256, &p->coh_bus, GFP_KERNEL);
	LXT_CHECK(p->coh != NULL);
	LXT_CHECK(p->coh_bus < (1ull << 32)); /* default 32-bit coherent mask */
	LXT_CHECK(sim_dma_to_virt(p->coh_bus, 256) == p->coh);
	redox_iowrite32(lower_32_bits(p->coh_bus), p->regs + 0x08);
	redox_iowrite32(upper_32_bits(p->coh_bus), p->regs + 0x0c);
	redox_iowrite32(64, p->regs + 0x14);
	redox_iowrite32(1, p->regs + 0x10);
	for (i = 0; i < 64; i++)
		ok &= ((u8 *)p->coh)[i] == (u8)(0xa5 + i);
	LXT_CHECK(ok);
	/* streaming to the device from kmalloc memory (bounced) */
	buf = kmalloc(64, GFP_KERNEL);
	for (i = 0; i < 64; i++) {
		buf[i] = (u8)i;
		sum += i;
	}
	h = dma_map_single(&pdev->dev, buf, 64, DMA_TO_DEVICE);
	LXT_CHECK(!dma_mapping_error(&pdev->dev, h));
	redox_iowrite32(lower_32_bits(h), p->regs + 0x08);
	redox_iowrite32(upper_32_bits(h), p->regs + 0x0c);
	redox_iowrite32(2, p->regs + 0x10);
	LXT_CHECK_INT(redox_ioread32(p->regs + 0x18), sum);
	dma_unmap_single(&pdev->dev, h, 64, DMA_TO_DEVICE);
	/* and from the device */
	in = kzalloc(64, GFP_KERNEL);
	h = dma_map_single(&pdev->dev, in, 64, DMA_FROM_DEVICE);
	redox_iowrite32(lower_32_bits(h), p->regs + 0x08);
	redox_iowrite32(upper_32_bits(h), p->regs + 0x0c);
	redox_iowrite32(1, p->regs + 0x10);
	dma_unmap_single(&pdev->dev, h, 64, DMA_FROM_DEVICE);
	LXT_CHECK_INT(in[0], 0xa5);
	LXT_CHECK_INT(in[63], (u8)(0xa5 + 63));
	kfree(buf);
	kfree(in);
}

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct lxt_priv *p;
	void __iomem *io;
	u16 cmd;
	int rc;
	if (id->driver_data == 1) { /* matched by class */
		probes[2]++;
		return 0;
	}
	probes[pdev->device == LXM_DEVICE ? 0 : 1]++;
	LXT_CHECK_INT(pdev->vendor, LXM_VENDOR);
	LXT_CHECK_INT(pdev->subsystem_vendor, 0x1af4);
	LXT_CHECK(pdev->irq != 0);
	LXT_CHECK(pci_resource_flags(pdev, 0) & IORESOURCE_MEM);
	LXT_CHECK(pci_resource_flags(pdev, 1) & IORESOURCE_IO);
	LXT_CHECK_INT(pci_resource_len(pdev, 0), 4096);
	rc = pcim_enable_device(pdev);
	LXT_CHECK_INT(rc, 0);
	pci_set_master(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	LXT_CHECK(cmd & PCI_COMMAND_MASTER);
	LXT_CHECK_INT(pci_request_regions(pdev, "lxt"), 0);
	p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	p->regs = redox_pci_iomap(pdev, 0, 0);
	LXT_CHECK(p->regs != NULL);
	LXT_CHECK_INT(redox_ioread32(p->regs), LXM_ID);
	/* port I/O through a cookie and through inb/outb */
	io = redox_pci_iomap(pdev, 1, 0);
	LXT_CHECK(io != NULL);
	redox_iowrite8(0x5a, io + 3);
	LXT_CHECK_INT(redox_ioread8(io + 3), 0x5a);
	outb(0x6b, pci_resource_start(pdev, 1) + 4);
	LXT_CHECK_INT(inb(pci_resource_start(pdev, 1) + 4), 0x6b);
	pci_set_drvdata(pdev, p);
	check_pm(pdev);
	check_dma(pdev, p);
	rc = request_threaded_irq(pdev->irq, lxt_hard, lxt_thread, IRQF_ONESHOT, "lxt", p);
	LXT_CHECK_INT(rc, 0);
	redox_iowrite32(1, p->regs + 0x04);
	LXT_CHECK(wait_for_completion_timeout(&thread_done, HZ) > 0);
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	struct lxt_priv *p = pci_get_drvdata(pdev);
	if (!p)
		return;
	removes++;
	free_irq(pdev->irq, p);
	dma_free_coherent(&pdev->dev, 256, p->coh, p->coh_bus);
}

static const struct pci_device_id lxt_ids[] = {
	{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)},
	{PCI_DEVICE_CLASS(0x0c0300, 0xffffff), .driver_data = 1},
	{0}};

static struct pci_driver lxt_driver = {
	.name = "lxt",
	.id_table = lxt_ids,
	.probe = lxt_probe,
	.remove = lxt_remove,
};

int main(int argc, char **argv)
{
	int rc;
	struct sim_irq_stats st;
	dev_other = lxm_create(LXM_VENDOR, 0x9999, 0x020000);
	dev_match = lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	dev_class = lxm_create(0xabcd, 0x0001, 0x0c0300);
	lxt_add_pm_cap(dev_match);
	rc = kpi_pci_driver_main(argc, argv, &lxt_driver);
	LXT_CHECK_INT(probes[0], 1);
	LXT_CHECK_INT(probes[1], 0); /* 1234:9999 never probed */
	LXT_CHECK_INT(probes[2], 1);
	LXT_CHECK_INT(removes, 1);
	LXT_CHECK_INT(hard_ran, 1);
	LXT_CHECK(hard_irqs_off);
	LXT_CHECK(hard_in_irq);
	LXT_CHECK_INT(thread_ran, 1);
	LXT_CHECK(thread_irqs_on);
	LXT_CHECK(thread_after_hard);
	LXT_CHECK_INT(acked_in_thread, 0); /* ONESHOT: still masked while the thread runs */
	sim_irq_stats(dev_match, 0, &st);
	LXT_CHECK_INT(st.acked, 1);
	LXT_CHECK_INT(sim_ready_count(), 1);
	LXT_CHECK_INT(sim_dma_live(), 0);
	return lxt_result(rc, 0);
}
