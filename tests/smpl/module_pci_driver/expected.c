/* Synthetic test driver: a PCI timer card registered with module_pci_driver. */
#include <linux/module.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>

static const struct pci_device_id tick_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5678) },
	{ 0 }
};
MODULE_DEVICE_TABLE(pci, tick_ids);

static int tick_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return pci_enable_device(pdev);
}

static struct pci_driver tick_driver = {
	.name = "tick",
	.id_table = tick_ids,
	.probe = tick_probe,
};

int main(int argc, char **argv)
{
	return kpi_pci_driver_main(argc, argv, &tick_driver);
}

MODULE_LICENSE("GPL");
