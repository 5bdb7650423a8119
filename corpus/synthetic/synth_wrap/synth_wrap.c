// SPDX-License-Identifier: MIT
/* synth_wrap.c: a tiny PCI driver written from scratch for kpiport's
 * generic entry rule.  Its entry is a wrapper macro of its own over
 * module_driver() - the way subsystems wrap it (the DRM core's
 * drm_module_pci_driver) - that no entry rule names, and the call is
 * written without its trailing `;` (legal: the expansion ends in a
 * function definition and module_init/module_exit declarations).
 * kpiport must add the `;` and main() after the call. */
#include <linux/module.h>
#include <linux/pci.h>

#define synth_wrap_register_driver(__pci_drv) \
	module_driver(__pci_drv, pci_register_driver, pci_unregister_driver)

static const struct pci_device_id synth_wrap_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5678) },
	{ }
};
MODULE_DEVICE_TABLE(pci, synth_wrap_ids);

static int synth_wrap_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return pci_enable_device(pdev);
}

static void synth_wrap_remove(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

static struct pci_driver synth_wrap_driver = {
	.name = "synth-wrap",
	.id_table = synth_wrap_ids,
	.probe = synth_wrap_probe,
	.remove = synth_wrap_remove,
};

synth_wrap_register_driver(synth_wrap_driver)

MODULE_LICENSE("Dual MIT/GPL");
