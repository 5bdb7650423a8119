/* Synthetic test driver: a built-in PCI bridge helper that never unloads. */
#include <linux/pci.h>

static struct pci_driver span_driver = {
	.name = "span",
};
builtin_pci_driver(span_driver);
