/* lx_pci_pm.c: PCI power management as the daemon can do it - the
 * function's own PM capability (PMCSR) through config space:
 * pci_set_power_state() moves the function between D0 and D3hot (D1/D2
 * when it supports them) with the settle delays the spec asks for,
 * pci_save_state()/pci_restore_state() keep and write back the standard
 * header (the first 64 bytes, as Linux's saved_config_space), and
 * pci_enable_wake()/pci_wake_from_d3()/pci_pme_active() set PME_En and clear
 * PME_Status.  What Linux adds on a machine is not the daemon's: no ACPI or
 * platform power methods (D3cold is D3hot here), no bridge or link power
 * management, no runtime PM (pci_dev_run_wake() is false), and system sleep
 * never happens (pci_prepare_to_sleep() puts the function in D3hot, as a
 * driver's suspend path asks).  Also the rest of what Linux's PCI core does
 * for a function's power and link: exclusive BAR claims (the host gave the
 * function alone) and ASPM (the host kernel's: -EPERM, as Linux without
 * ASPM control). */
#include "lx_pci.h"
#include <linux/delay.h>

#ifdef CONFIG_PCI

/* The PM capability, found once (Linux fills pm_cap at enumeration). */
static int lx_pm_cap(struct pci_dev *dev)
{
	if (!dev->pm_cap)
		dev->pm_cap = pci_find_capability(dev, PCI_CAP_ID_PM);
	return dev->pm_cap;
}

int pci_set_power_state(struct pci_dev *dev, pci_power_t state)
{
	u16 pmcsr, pmc;
	pci_power_t cur;
	int pm;
	if (state > PCI_D3cold)
		state = PCI_D3cold;
	else if (state < PCI_D0)
		state = PCI_D0;
	if (state == PCI_D3cold)
		state = PCI_D3hot; /* no platform power control: the deepest state is D3hot */
	pm = lx_pm_cap(dev);
	if (!pm) { /* no PM capability: the function is always in D0 */
		dev->current_state = PCI_D0;
		return state == PCI_D0 ? 0 : -EIO;
	}
	pci_read_config_word(dev, pm + PCI_PM_PMC, &pmc);
	if ((state == PCI_D1 && !(pmc & PCI_PM_CAP_D1)) || (state == PCI_D2 && !(pmc & PCI_PM_CAP_D2)))
		return -EIO;
	if (pci_read_config_word(dev, pm + PCI_PM_CTRL, &pmcsr) || PCI_POSSIBLE_ERROR(pmcsr))
		return -EIO;
	cur = (pci_power_t)(pmcsr & PCI_PM_CTRL_STATE_MASK);
	if (cur == state) {
		dev->current_state = state;
		return 0;
	}
	pmcsr &= ~(PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_STATUS); /* writing 1 would clear it */
	pmcsr |= (u16)state;
	pci_write_config_word(dev, pm + PCI_PM_CTRL, pmcsr);
	/* settle times (PCI PM 1.2, 5.6.1): 10 ms to or from D3hot, 200 us for D2 */
	if (state == PCI_D3hot || cur == PCI_D3hot)
		msleep(10);
	else if (state == PCI_D2 || cur == PCI_D2)
		udelay(200);
	pci_read_config_word(dev, pm + PCI_PM_CTRL, &pmcsr);
	dev->current_state = (pci_power_t)(pmcsr & PCI_PM_CTRL_STATE_MASK);
	return dev->current_state == state ? 0 : -EIO;
}

int pci_save_state(struct pci_dev *dev)
{
	int i;
	for (i = 0; i < 16; i++)
		pci_read_config_dword(dev, i * 4, &dev->saved_config_space[i]);
	dev->state_saved = true;
	return 0;
}

void pci_restore_state(struct pci_dev *dev)
{
	int i;
	u32 now;
	if (!dev->state_saved)
		return;
	/* back to front, as Linux does: the command register (BAR decoding) last */
	for (i = 15; i >= 0; i--) {
		pci_read_config_dword(dev, i * 4, &now);
		if (now != dev->saved_config_space[i])
			pci_write_config_dword(dev, i * 4, dev->saved_config_space[i]);
	}
	dev->state_saved = false;
}

void pci_pme_active(struct pci_dev *dev, bool enable)
{
	u16 pmcsr;
	int pm = lx_pm_cap(dev);
	if (!pm)
		return;
	pci_read_config_word(dev, pm + PCI_PM_CTRL, &pmcsr);
	pmcsr |= PCI_PM_CTRL_PME_STATUS; /* write 1 to clear */
	if (enable)
		pmcsr |= PCI_PM_CTRL_PME_ENABLE;
	else
		pmcsr &= ~PCI_PM_CTRL_PME_ENABLE;
	pci_write_config_word(dev, pm + PCI_PM_CTRL, pmcsr);
}

/* Can the function signal PME from this state (PMC's PME_Support bits)? */
static bool lx_pme_capable(struct pci_dev *dev, pci_power_t state)
{
	u16 pmc;
	int pm = lx_pm_cap(dev);
	if (!pm || state > PCI_D3cold || state < PCI_D0)
		return false;
	pci_read_config_word(dev, pm + PCI_PM_PMC, &pmc);
	return !!(((pmc & PCI_PM_CAP_PME_MASK) >> 11) & (1 << state));
}

int pci_enable_wake(struct pci_dev *dev, pci_power_t state, bool enable)
{
	if (enable && !lx_pme_capable(dev, state))
		return -EINVAL;
	pci_pme_active(dev, enable);
	return 0;
}

int pci_wake_from_d3(struct pci_dev *dev, bool enable)
{
	return lx_pme_capable(dev, PCI_D3cold) ? pci_enable_wake(dev, PCI_D3cold, enable)
					       : pci_enable_wake(dev, PCI_D3hot, enable);
}

int pci_prepare_to_sleep(struct pci_dev *dev)
{
	pci_enable_wake(dev, PCI_D3hot, false);
	return pci_set_power_state(dev, PCI_D3hot);
}

int pci_back_from_sleep(struct pci_dev *dev)
{
	int rc = pci_set_power_state(dev, PCI_D0);
	pci_enable_wake(dev, PCI_D0, false);
	return rc;
}

bool pci_dev_run_wake(struct pci_dev *dev)
{
	(void)dev;
	return false; /* no runtime power management in a daemon */
}

int pci_request_selected_regions_exclusive(struct pci_dev *pdev, int bars, const char *res_name)
{
	return pci_request_selected_regions(pdev, bars, res_name); /* the host gave the function alone */
}

#ifdef CONFIG_PCIEASPM
/* Linux's answer when the OS has no ASPM control (aspm_disabled): the link
 * is the host kernel's. */
int pci_disable_link_state(struct pci_dev *pdev, int state)
{
	(void)state;
	pci_info(pdev, "can't disable ASPM; OS doesn't have ASPM control\n");
	return -EPERM;
}

int pci_disable_link_state_locked(struct pci_dev *pdev, int state)
{
	return pci_disable_link_state(pdev, state);
}
#endif

#endif /* CONFIG_PCI */
