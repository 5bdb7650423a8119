/* Synthetic test driver: a built-in PCI bridge helper that never unloads. */
#include <linux/pci.h>
#include <redox/kpi_main.h>

static struct pci_driver span_driver = {
	.name = "span",
};
int main(int argc, char **argv)
{
	return kpi_pci_driver_main(argc, argv, &span_driver);
}
