// SPDX-License-Identifier: MIT
/* synth_pci_main.c: a tiny PCI driver written from scratch to exercise
 * kpiport's analyzer: ID table forms, module_init/exit, module params, a
 * local variable named like a kernel function, driver macros wrapping
 * kernel calls and a global whose name is libc's. */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/interrupt.h>
#include "synth_pci.h"

static int debug = 2;
module_param(debug, int, 0644);
MODULE_PARM_DESC(debug, "debug level " "(0-3)");

static bool use_msi;
module_param_named(msi, use_msi, bool, 0444);
MODULE_PARM_DESC(msi, "use MSI");

static int speeds[4];
static int nspeeds;
module_param_array(speeds, int, &nspeeds, 0);

int optind;

static const struct pci_device_id synth_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5678) },
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT, 0x0011), .driver_data = SP_BOARD_B },
	{ PCI_DEVICE_CLASS(PCI_CLASS_NETWORK_ETHERNET << 8, 0xffff00) },
	{ PCI_VDEVICE(INTEL, 0x100e), SP_BOARD_A },
	{ 0x10ec, 0x8139, PCI_ANY_ID, PCI_ANY_ID, 0, 0, SP_BOARD_B },
	{ .vendor = 0xabcd, .device = 0x0001, .subvendor = 0x1, .subdevice = 0x2 },
	{ }
};
MODULE_DEVICE_TABLE(pci, synth_pci_ids);

static irqreturn_t synth_irq(int irq, void *data)
{
	struct synth_pci *sp = data;

	sp->irq_count++;
	return synth_hw_status(sp) ? IRQ_HANDLED : IRQ_NONE;
}

static int synth_count(int n)
{
	int pci_set_master = n * 2;

	return pci_set_master + debug;
}

static int synth_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct synth_pci *sp;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	pci_set_master(pdev);
	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	if (!sp)
		return -ENOMEM;
	sp->regs = pci_iomap(pdev, 0, 0);
	synth_hw_reset(sp);
	err = request_irq(pdev->irq, synth_irq, IRQF_SHARED, "synth_pci", sp);
	if (err) {
		kfree(sp);
		return err;
	}
	pci_set_drvdata(pdev, sp);
	dev_info(&pdev->dev, "board %lu, count %d\n", id->driver_data, synth_count(1));
	return 0;
}

static void synth_remove(struct pci_dev *pdev)
{
	struct synth_pci *sp = pci_get_drvdata(pdev);

	free_irq(pdev->irq, sp);
	pci_iounmap(pdev, sp->regs);
	kfree(sp);
	pci_disable_device(pdev);
}

static struct pci_driver synth_pci_driver = {
	.name = "synth_pci",
	.id_table = synth_pci_ids,
	.probe = synth_probe,
	.remove = synth_remove,
};

static int __init synth_init(void)
{
	return pci_register_driver(&synth_pci_driver);
}

static void __exit synth_exit(void)
{
	pci_unregister_driver(&synth_pci_driver);
}

module_init(synth_init);
module_exit(synth_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("kpiport synthetic PCI driver");

#ifdef CONFIG_PCI
MODULE_INFO(bus, "pci");
#endif
