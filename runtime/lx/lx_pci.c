/* lx_pci.c: the PCI core - driver registration and matching, probe/remove,
 * struct pci_dev from what the host reports, enable/master/regions,
 * configuration space and capabilities, kpi_pci_driver_main.
 *
 * Functions come from kpi_host_pci_count/info (on Redox exactly the one
 * pcid spawned us for).  A function is opened (claimed) only when a driver's
 * id_table (or an ID pci_add_dynid gave it) matches it and no driver holds it; probe runs in the registering task, as in Linux.
 * Interrupt numbers are virtual: LX_IRQ_BASE + LX_IRQ_PER_DEV * index +
 * vector (lx_irq.c maps them back).
 *
 * Without CONFIG_PCI linux/pci.h defines the driver API inline (nothing to
 * bind): only what lx_main.c, lx_iomap.c and lx_irq.c ask of this file is
 * left, answering "no PCI function". */
#include "lx_pci.h"
#include <linux/module.h>
#include <redox/kpi_main.h>

LIST_HEAD(lx_pci_devs);
int lx_pci_list_ids; /* --list-ids: print each ID table instead of probing */

#ifndef CONFIG_PCI
int lx_pci_nothing_bound(void)
{
	return 0;
}

struct lx_pci *lx_pci_by_irq(unsigned int irq, int *index)
{
	(void)irq, (void)index;
	return NULL;
}

int lx_pci_irq_ensure(struct lx_pci *p)
{
	(void)p;
	return -ENODEV;
}

int lx_pci_handle(struct pci_dev *pdev)
{
	(void)pdev;
	return -1;
}
#else /* CONFIG_PCI */

LX_CONST_PCI_BUS struct bus_type pci_bus_type = {.name = "pci"};

/* ---- matching ------------------------------------------------------------------------------ */

static int lx_pci_id_matches(const struct pci_device_id *id, const struct kpi_pci_info *in)
{
	return (id->vendor == PCI_ANY_ID || id->vendor == in->vendor) &&
	       (id->device == PCI_ANY_ID || id->device == in->device) &&
	       (id->subvendor == PCI_ANY_ID || id->subvendor == in->subvendor) &&
	       (id->subdevice == PCI_ANY_ID || id->subdevice == in->subdevice) &&
	       !((id->class ^ in->class_code) & id->class_mask);
}

const struct pci_device_id *lx_pci_match(const struct pci_device_id *ids, const struct kpi_pci_info *in)
{
	for (; ids && (ids->vendor || ids->subvendor || ids->class_mask); ids++)
		if (lx_pci_id_matches(ids, in))
			return ids;
	return NULL;
}

/* ---- pci_dev lifetime ------------------------------------------------------------------------ */

/* The pci_dev of function index as the host describes it: ids, class,
 * bus address; no BARs, no host handle yet (a sibling keeps it so). */
void lx_pci_fill(struct lx_pci *p, int index, const struct kpi_pci_info *info)
{
	struct pci_dev *pdev = &p->pdev;
	p->index = index;
	p->handle = -1;
	p->info = *info;
	p->bus.number = info->bus;
	p->bus.ops = NULL;
	p->sysdata.domain = info->segment;
	p->bus.sysdata = &p->sysdata;
	pdev->bus = &p->bus;
	pdev->devfn = PCI_DEVFN(info->slot, info->function);
	pdev->vendor = info->vendor;
	pdev->device = info->device;
	pdev->subsystem_vendor = info->subvendor;
	pdev->subsystem_device = info->subdevice;
	pdev->class = info->class_code;
	pdev->revision = info->revision;
	pdev->pin = info->irq_pin;
	pdev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	pdev->current_state = PCI_D0;
	pdev->dma_mask = DMA_BIT_MASK(32);
	pdev->dev.dma_mask = &pdev->dma_mask;
	pdev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	pdev->dev.bus = &pci_bus_type;
	INIT_LIST_HEAD(&pdev->dev.devres_head);
	kref_init(&pdev->dev.kobj.kref);
	dev_set_name(&pdev->dev, "%s", info->name);
}

static struct lx_pci *lx_pci_open(int index, const struct kpi_pci_info *info, struct pci_driver *drv)
{
	struct lx_pci *p;
	struct pci_dev *pdev;
	int bar, handle = kpi_host_pci_open(index);
	u32 hdr = 0;
	if (handle < 0) {
		lx_log(KPI_LOG_ERR, "%s: cannot claim %s: %pe", drv->name, info->name, ERR_PTR(handle));
		return NULL;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		kpi_host_pci_close(handle);
		return NULL;
	}
	lx_pci_fill(p, index, info);
	p->handle = handle;
	pdev = &p->pdev;
	kpi_host_pci_cfg_read(handle, PCI_HEADER_TYPE, 1, &hdr);
	pdev->hdr_type = hdr & 0x7f;
	for (bar = 0; bar < LX_PCI_BARS; bar++) {
		struct kpi_pci_bar b;
		struct resource *r = &pdev->resource[bar];
		if (kpi_host_pci_bar(handle, bar, &b) < 0 || !b.size)
			continue;
		r->name = pci_name(pdev);
		r->start = b.addr;
		r->end = b.addr + b.size - 1;
		r->flags = (b.flags & KPI_BAR_IO) ? IORESOURCE_IO : IORESOURCE_MEM;
		if (b.flags & KPI_BAR_PREFETCH)
			r->flags |= IORESOURCE_PREFETCH;
		if (b.flags & KPI_BAR_64)
			r->flags |= IORESOURCE_MEM_64;
	}
	/* the legacy line: valid once enabled, as in Linux */
	pdev->irq = info->irq_pin ? LX_IRQ_BASE + LX_IRQ_PER_DEV * index : 0;
	p->legacy_irq = pdev->irq;
	/* found at enumeration in Linux; drivers read them */
	pdev->msi_cap = pci_find_capability(pdev, PCI_CAP_ID_MSI);
	pdev->msix_cap = pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	pdev->pcie_cap = pci_find_capability(pdev, PCI_CAP_ID_EXP);
	list_add_tail(&p->node, &lx_pci_devs);
	return p;
}

static void lx_pci_close(struct lx_pci *p)
{
	int bar;
	lx_devres_release_all(&p->pdev.dev);
	lx_irq_release_dev(&p->pdev);
	if (p->irq_type)
		kpi_host_irq_disable(p->handle);
	for (bar = 0; bar < LX_PCI_BARS; bar++)
		if (p->mapped[bar])
			kpi_host_pci_unmap_bar(p->handle, bar);
	kpi_host_pci_close(p->handle);
	list_del(&p->node);
	kfree_const(p->pdev.dev.kobj.name);
	kfree(p);
}

int lx_pci_handle(struct pci_dev *pdev)
{
	return pdev ? lx_pci_of(pdev)->handle : -1;
}

struct lx_pci *lx_pci_by_index(int index)
{
	struct lx_pci *p;
	list_for_each_entry(p, &lx_pci_devs, node)
		if (p->index == index)
			return p;
	return NULL;
}

struct lx_pci *lx_pci_by_irq(unsigned int irq, int *index)
{
	struct lx_pci *p;
	list_for_each_entry(p, &lx_pci_devs, node) {
		unsigned int base = LX_IRQ_BASE + LX_IRQ_PER_DEV * p->index;
		if (irq >= base && irq < base + LX_IRQ_PER_DEV) {
			*index = irq - base;
			return p;
		}
	}
	return NULL;
}

int lx_pci_irq_ensure(struct lx_pci *p)
{
	int rc;
	if (p->irq_type)
		return 0;
	rc = kpi_host_irq_enable(p->handle, KPI_IRQ_LEGACY, 1);
	if (rc < 0)
		return rc;
	p->irq_type = KPI_IRQ_LEGACY;
	p->nvec = 1;
	return 0;
}

/* ---- registration ------------------------------------------------------------------------------ */

/* The PCI drivers init registered: after init, a daemon with a registered
 * driver and no bound device has nothing to drive (lx_main.c says so and
 * exits KPI_EXIT_NO_DEVICE). */
#define LX_PCI_MAX_DRIVERS 8
static struct pci_driver *lx_pci_drivers[LX_PCI_MAX_DRIVERS];
static int lx_pci_ndrivers;

static void lx_pci_print_ids(const struct pci_driver *drv)
{
	const struct pci_device_id *id;
	lx_log(KPI_LOG_INFO, "%s: PCI device IDs (vendor:device subvendor:subdevice class/mask)", drv->name);
	for (id = drv->id_table; id && (id->vendor || id->subvendor || id->class_mask); id++)
		lx_log(KPI_LOG_INFO, "  %04x:%04x %04x:%04x %06x/%06x", id->vendor & 0xffff,
		       id->device & 0xffff, id->subvendor & 0xffff, id->subdevice & 0xffff, id->class,
		       id->class_mask);
}

/* IDs added at run time (pci_add_dynid), on drv->dynids.list; matched
 * before the static table, as in Linux. */
struct lx_pci_dynid {
	struct list_head node;
	struct pci_device_id id;
};

static const struct pci_device_id *lx_pci_match_driver(const struct pci_driver *drv, const struct kpi_pci_info *in)
{
	struct lx_pci_dynid *d;
	list_for_each_entry(d, &drv->dynids.list, node)
		if (lx_pci_id_matches(&d->id, in))
			return &d->id;
	return lx_pci_match(drv->id_table, in);
}

/* Probe drv on every host function its IDs match that no driver holds
 * (Linux's driver_attach). */
static void lx_pci_attach(struct pci_driver *drv)
{
	int i, n = kpi_host_pci_count();
	for (i = 0; i < n; i++) {
		struct kpi_pci_info info;
		const struct pci_device_id *id;
		struct lx_pci *p;
		int rc;
		if (lx_pci_by_index(i) || kpi_host_pci_info(i, &info) < 0)
			continue;
		id = lx_pci_match_driver(drv, &info);
		if (!id)
			continue;
		p = lx_pci_open(i, &info, drv);
		if (!p)
			continue;
		p->pdev.driver = drv;
		p->pdev.dev.driver = &drv->driver;
		rc = drv->probe ? drv->probe(&p->pdev, id) : -ENODEV;
		if (rc) {
			lx_log(KPI_LOG_WARNING, "%s %s: probe failed: %pe", drv->name, info.name, ERR_PTR(rc));
			p->pdev.driver = NULL;
			p->pdev.dev.driver = NULL;
			lx_pci_close(p);
		}
	}
}

int __pci_register_driver(struct pci_driver *drv, struct module *owner, const char *mod_name)
{
	(void)mod_name;
	drv->driver.name = drv->name;
	drv->driver.owner = owner;
	drv->driver.bus = &pci_bus_type;
	spin_lock_init(&drv->dynids.lock);
	INIT_LIST_HEAD(&drv->dynids.list);
	if (lx_pci_list_ids) {
		lx_pci_print_ids(drv);
		return 0;
	}
	if (lx_pci_ndrivers < LX_PCI_MAX_DRIVERS)
		lx_pci_drivers[lx_pci_ndrivers++] = drv;
	lx_pci_attach(drv);
	return 0;
}

/* A new ID for a registered driver (pci-stub's ids= parameter, a driver's
 * new_id): kept until the driver is unregistered, matched before its
 * table, and the driver probes at once every function it now matches that
 * no driver holds, as Linux's driver_attach does.  Under --list-ids the ID
 * is printed with the table instead.  0, or -ENOMEM. */
int pci_add_dynid(struct pci_driver *drv, unsigned int vendor, unsigned int device, unsigned int subvendor,
		  unsigned int subdevice, unsigned int class, unsigned int class_mask, unsigned long driver_data)
{
	struct lx_pci_dynid *d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->id.vendor = vendor;
	d->id.device = device;
	d->id.subvendor = subvendor;
	d->id.subdevice = subdevice;
	d->id.class = class;
	d->id.class_mask = class_mask;
	d->id.driver_data = driver_data;
	if (lx_pci_list_ids) {
		lx_log(KPI_LOG_INFO, "  %04x:%04x %04x:%04x %06x/%06x (added at run time)", vendor & 0xffff,
		       device & 0xffff, subvendor & 0xffff, subdevice & 0xffff, class, class_mask);
		kfree(d);
		return 0;
	}
	spin_lock(&drv->dynids.lock);
	list_add_tail(&d->node, &drv->dynids.list);
	spin_unlock(&drv->dynids.lock);
	lx_pci_attach(drv);
	return 0;
}

void pci_unregister_driver(struct pci_driver *drv)
{
	struct lx_pci *p, *n;
	struct lx_pci_dynid *d, *dn;
	int i;
	for (i = 0; i < lx_pci_ndrivers; i++)
		if (lx_pci_drivers[i] == drv)
			lx_pci_drivers[i] = lx_pci_drivers[--lx_pci_ndrivers];
	list_for_each_entry_safe(p, n, &lx_pci_devs, node) {
		if (p->pdev.driver != drv)
			continue;
		if (drv->remove)
			drv->remove(&p->pdev);
		p->pdev.driver = NULL;
		p->pdev.dev.driver = NULL;
		lx_pci_close(p);
	}
	if (drv->dynids.list.next) /* NULL: never registered */
		list_for_each_entry_safe(d, dn, &drv->dynids.list, node) {
			list_del(&d->node);
			kfree(d);
		}
}

static int lx_pci_bound(struct pci_driver *drv)
{
	struct lx_pci *p;
	int n = 0;
	list_for_each_entry(p, &lx_pci_devs, node)
		n += p->pdev.driver == drv;
	return n;
}

/* After init: 1 when PCI drivers were registered and none of them bound a
 * device (said on the log), else 0. */
int lx_pci_nothing_bound(void)
{
	int i, bound = 0;
	if (!lx_pci_ndrivers)
		return 0;
	for (i = 0; i < lx_pci_ndrivers; i++)
		bound += lx_pci_bound(lx_pci_drivers[i]);
	if (bound)
		return 0;
	for (i = 0; i < lx_pci_ndrivers; i++)
		lx_log(KPI_LOG_ERR, "%s: no matching device: none of the %d PCI functions the host offers "
		       "matches its ID table, or every probe failed (--list-ids prints the table)",
		       lx_pci_drivers[i]->name, kpi_host_pci_count());
	return 1;
}

static struct pci_driver *lx_main_pci_driver;

static int lx_pci_main_init(void)
{
	return pci_register_driver(lx_main_pci_driver);
}

static void lx_pci_main_exit(void)
{
	pci_unregister_driver(lx_main_pci_driver);
}

int kpi_pci_driver_main(int argc, char **argv, struct pci_driver *drv)
{
	lx_main_pci_driver = drv;
	return kpi_module_main(argc, argv, lx_pci_main_init, lx_pci_main_exit);
}

struct pci_dev *pci_dev_get(struct pci_dev *dev)
{
	if (dev)
		get_device(&dev->dev);
	return dev;
}

void pci_dev_put(struct pci_dev *dev)
{
	if (dev)
		put_device(&dev->dev);
}

/* ---- configuration space ------------------------------------------------------------------------- */

/* A sibling (lx_pci_lookup.c) is read-only and reads only its identity. */
static int lx_cfg_read(const struct pci_dev *dev, int where, int width, u32 *v)
{
	struct lx_pci *p = lx_pci_of(dev);
	if (p->sibling)
		return lx_pci_sibling_cfg_read(p, where, width, v);
	return kpi_host_pci_cfg_read(p->handle, where, width, v) < 0 ? PCIBIOS_DEVICE_NOT_FOUND
								      : PCIBIOS_SUCCESSFUL;
}

static int lx_cfg_write(const struct pci_dev *dev, int where, int width, u32 v)
{
	struct lx_pci *p = lx_pci_of(dev);
	if (p->sibling) {
		if (!p->sibling_said++)
			lx_log(KPI_LOG_WARNING, "%s: config write at %#x refused: another function, read-only here",
			       pci_name(dev), where);
		return PCIBIOS_SET_FAILED;
	}
	return kpi_host_pci_cfg_write(p->handle, where, width, v) < 0 ? PCIBIOS_DEVICE_NOT_FOUND
								       : PCIBIOS_SUCCESSFUL;
}

#define LX_CFG_READ(name, type, width)                                  \
	int name(const struct pci_dev *dev, int where, type *val)       \
	{                                                               \
		u32 v = ~0u;                                            \
		int rc = lx_cfg_read(dev, where, width, &v);            \
		*val = (type)v;                                         \
		return rc;                                              \
	}
#define LX_CFG_WRITE(name, type, width)                                 \
	int name(const struct pci_dev *dev, int where, type val)        \
	{                                                               \
		return lx_cfg_write(dev, where, width, val);            \
	}
LX_CFG_READ(pci_read_config_byte, u8, 1)
LX_CFG_READ(pci_read_config_word, u16, 2)
LX_CFG_READ(pci_read_config_dword, u32, 4)
LX_CFG_WRITE(pci_write_config_byte, u8, 1)
LX_CFG_WRITE(pci_write_config_word, u16, 2)
LX_CFG_WRITE(pci_write_config_dword, u32, 4)

u8 pci_find_capability(struct pci_dev *dev, int cap)
{
	u16 status;
	u8 pos;
	int ttl = 48;
	pci_read_config_word(dev, PCI_STATUS, &status);
	if (status == 0xffff || !(status & PCI_STATUS_CAP_LIST))
		return 0;
	pci_read_config_byte(dev, PCI_CAPABILITY_LIST, &pos);
	while (ttl-- && pos >= 0x40) {
		u8 id;
		pos &= ~3;
		pci_read_config_byte(dev, pos + PCI_CAP_LIST_ID, &id);
		if (id == 0xff)
			break;
		if (id == cap)
			return pos;
		pci_read_config_byte(dev, pos + PCI_CAP_LIST_NEXT, &pos);
	}
	return 0;
}

u16 pci_find_ext_capability(struct pci_dev *dev, int cap)
{
	u32 header;
	int pos = PCI_CFG_SPACE_SIZE, ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	if (!pci_find_capability(dev, PCI_CAP_ID_EXP))
		return 0;
	while (ttl-- > 0) {
		if (pci_read_config_dword(dev, pos, &header) || !header || header == ~0u)
			return 0;
		if (PCI_EXT_CAP_ID(header) == cap)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
	}
	return 0;
}

int pcie_capability_read_word(struct pci_dev *dev, int pos, u16 *val)
{
	u8 cap = pci_find_capability(dev, PCI_CAP_ID_EXP);
	*val = 0;
	if (!cap)
		return PCIBIOS_DEVICE_NOT_FOUND;
	return pci_read_config_word(dev, cap + pos, val);
}

int pcie_capability_write_word(struct pci_dev *dev, int pos, u16 val)
{
	u8 cap = pci_find_capability(dev, PCI_CAP_ID_EXP);
	if (!cap)
		return PCIBIOS_DEVICE_NOT_FOUND;
	return pci_write_config_word(dev, cap + pos, val);
}

int pcie_capability_clear_and_set_word_unlocked(struct pci_dev *dev, int pos, u16 clear, u16 set)
{
	u16 val;
	int rc = pcie_capability_read_word(dev, pos, &val);
	if (rc)
		return rc;
	return pcie_capability_write_word(dev, pos, (val & ~clear) | set);
}

int pcie_capability_clear_and_set_word_locked(struct pci_dev *dev, int pos, u16 clear, u16 set)
{
	return pcie_capability_clear_and_set_word_unlocked(dev, pos, clear, set);
}

int pcie_get_readrq(struct pci_dev *dev)
{
	u16 ctl;
	pcie_capability_read_word(dev, PCI_EXP_DEVCTL, &ctl);
	return 128 << ((ctl & PCI_EXP_DEVCTL_READRQ) >> 12);
}

int pcie_set_readrq(struct pci_dev *dev, int rq)
{
	if (rq < 128 || rq > 4096 || !is_power_of_2(rq))
		return -EINVAL;
	return pcie_capability_clear_and_set_word_unlocked(dev, PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_READRQ,
							   (ffs(rq) - 8) << 12);
}

int pcix_get_mmrbc(struct pci_dev *dev)
{
	u8 cap = pci_find_capability(dev, PCI_CAP_ID_PCIX);
	u32 cmd;
	if (!cap)
		return -EINVAL;
	if (pci_read_config_dword(dev, cap + PCI_X_CMD, &cmd))
		return -EINVAL;
	return 512 << ((cmd & PCI_X_CMD_MAX_READ) >> 2);
}

int pcix_set_mmrbc(struct pci_dev *dev, int mmrbc)
{
	u8 cap = pci_find_capability(dev, PCI_CAP_ID_PCIX);
	u16 cmd;
	int v = ffs(mmrbc) - 10;
	if (!cap || v < 0 || v > 3 || !is_power_of_2(mmrbc))
		return -EINVAL;
	pci_read_config_word(dev, cap + PCI_X_CMD, &cmd);
	cmd = (cmd & ~PCI_X_CMD_MAX_READ) | (v << 2);
	return pci_write_config_word(dev, cap + PCI_X_CMD, cmd);
}

/* ---- enable, master, regions ----------------------------------------------------------------------- */

static void lx_pci_cmd(struct pci_dev *dev, u16 clear, u16 set)
{
	u16 cmd;
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	pci_write_config_word(dev, PCI_COMMAND, (cmd & ~clear) | set);
}

int pci_enable_device(struct pci_dev *dev)
{
	int rc = kpi_host_pci_enable(lx_pci_of(dev)->handle);
	if (rc < 0)
		return rc;
	atomic_inc(&dev->enable_cnt);
	return 0;
}

int pci_enable_device_mem(struct pci_dev *dev)
{
	return pci_enable_device(dev);
}

int pci_enable_device_io(struct pci_dev *dev)
{
	return pci_enable_device(dev);
}

void pci_disable_device(struct pci_dev *dev)
{
	if (atomic_dec_return(&dev->enable_cnt) > 0)
		return;
	atomic_set(&dev->enable_cnt, 0);
	lx_pci_cmd(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 0;
}

static void lx_pcim_disable(void *data)
{
	pci_disable_device(data);
}

int pcim_enable_device(struct pci_dev *pdev)
{
	int rc = pci_enable_device(pdev);
	if (rc)
		return rc;
	pdev->is_managed = 1;
	return devm_add_action(&pdev->dev, lx_pcim_disable, pdev);
}

/* The function stays enabled when the driver goes (i2c-i801: the SMBus is
 * shared with the firmware): no disable at release. */
void pcim_pin_device(struct pci_dev *pdev)
{
	lx_devres_remove(&pdev->dev, lx_pcim_disable, pdev, 0);
}

void pci_set_master(struct pci_dev *dev)
{
	lx_pci_cmd(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = 1;
}

void pci_clear_master(struct pci_dev *dev)
{
	lx_pci_cmd(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 0;
}

int pci_set_mwi(struct pci_dev *dev)
{
	lx_pci_cmd(dev, 0, PCI_COMMAND_INVALIDATE);
	return 0;
}

int pci_try_set_mwi(struct pci_dev *dev)
{
	return pci_set_mwi(dev);
}

void pci_clear_mwi(struct pci_dev *dev)
{
	lx_pci_cmd(dev, PCI_COMMAND_INVALIDATE, 0);
}

static void lx_pcim_clear_mwi(void *data)
{
	pci_clear_mwi(data);
}

int pcim_set_mwi(struct pci_dev *dev)
{
	int rc = devm_add_action(&dev->dev, lx_pcim_clear_mwi, dev);
	return rc ? rc : pci_set_mwi(dev);
}

/* The error bits of PCI_STATUS (write 1 to clear): read, cleared, returned. */
int pci_status_get_and_clear_errors(struct pci_dev *pdev)
{
	u16 status;
	if (pci_read_config_word(pdev, PCI_STATUS, &status) != PCIBIOS_SUCCESSFUL)
		return -EIO;
	status &= PCI_STATUS_ERROR_BITS;
	if (status)
		pci_write_config_word(pdev, PCI_STATUS, status);
	return status;
}

/* INTx masking (uio_pci_generic's way of sharing a line): when the function
 * signals an interrupt (mask) or no longer does (unmask), flip INTX_DISABLE;
 * true when it did. */
static bool lx_pci_intx_check(struct pci_dev *dev, bool mask)
{
	u32 v;
	u16 cmd, status;
	if (pci_read_config_dword(dev, PCI_COMMAND, &v) != PCIBIOS_SUCCESSFUL)
		return false;
	cmd = v & 0xffff;
	status = v >> 16;
	if (mask != !!(status & PCI_STATUS_INTERRUPT))
		return false;
	if (mask == !!(cmd & PCI_COMMAND_INTX_DISABLE))
		return false;
	pci_write_config_word(dev, PCI_COMMAND, cmd ^ PCI_COMMAND_INTX_DISABLE);
	return true;
}

bool pci_check_and_mask_intx(struct pci_dev *dev)
{
	return lx_pci_intx_check(dev, true);
}

bool pci_check_and_unmask_intx(struct pci_dev *dev)
{
	return lx_pci_intx_check(dev, false);
}

void pci_intx(struct pci_dev *dev, int enable)
{
	if (enable)
		lx_pci_cmd(dev, PCI_COMMAND_INTX_DISABLE, 0);
	else
		lx_pci_cmd(dev, 0, PCI_COMMAND_INTX_DISABLE);
}

/* The daemon owns its function already (pcid / uio claimed it): requesting
 * regions is bookkeeping that always succeeds for BARs that exist - except
 * that a port BAR is opened, as request_region() does (lx_pio_claim): a
 * driver may address its ports by number from pci_resource_start()
 * (e1000's E1000_WRITE_REG_IO), not only through pci_iomap(). */
int pci_request_region(struct pci_dev *pdev, int bar, const char *res_name)
{
	(void)res_name;
	if (!pci_resource_len(pdev, bar))
		return -EINVAL;
	if (pci_resource_flags(pdev, bar) & IORESOURCE_IO)
		lx_pio_claim(pci_resource_start(pdev, bar), pci_resource_len(pdev, bar));
	return 0;
}

void pci_release_region(struct pci_dev *pdev, int bar)
{
	(void)pdev;
	(void)bar;
}

int pci_request_selected_regions(struct pci_dev *pdev, int bars, const char *res_name)
{
	int bar, rc;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!(bars & (1 << bar)) || !pci_resource_len(pdev, bar))
			continue;
		rc = pci_request_region(pdev, bar, res_name);
		if (rc)
			return rc;
	}
	return 0;
}

void pci_release_selected_regions(struct pci_dev *pdev, int bars)
{
	(void)pdev;
	(void)bars;
}

int pci_request_regions(struct pci_dev *pdev, const char *res_name)
{
	return pci_request_selected_regions(pdev, (1 << PCI_STD_NUM_BARS) - 1, res_name);
}

void pci_release_regions(struct pci_dev *pdev)
{
	pci_release_selected_regions(pdev, (1 << PCI_STD_NUM_BARS) - 1);
}

int pci_select_bars(struct pci_dev *dev, unsigned long flags)
{
	int i, bars = 0;
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		if (pci_resource_flags(dev, i) & flags)
			bars |= 1 << i;
	return bars;
}

int pcim_iomap_regions_request_all(struct pci_dev *pdev, int mask, const char *name)
{
	return redox_pcim_iomap_regions(pdev, mask, name);
}

/* ---- capability and presence queries (drivers/pci/pci.c, probe.c) ---- */

/* The Vendor-Specific Extended Capability with this VSEC ID, when the
 * function is the vendor's. */
u16 pci_find_vsec_capability(struct pci_dev *dev, u16 vendor, int cap)
{
	u32 header;
	int pos = PCI_CFG_SPACE_SIZE, ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	if (vendor != dev->vendor || !pci_find_capability(dev, PCI_CAP_ID_EXP))
		return 0;
	while (ttl-- > 0) {
		u32 vsec;
		if (pci_read_config_dword(dev, pos, &header) || !header || header == ~0u)
			return 0;
		if (PCI_EXT_CAP_ID(header) == PCI_EXT_CAP_ID_VNDR &&
		    !pci_read_config_dword(dev, pos + PCI_VNDR_HEADER, &vsec) && PCI_VNDR_HEADER_ID(vsec) == cap)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
	}
	return 0;
}

/* Is the function still there: its vendor ID reads as something else than
 * all ones (a removed device) or zero. */
bool pci_device_is_present(struct pci_dev *pdev)
{
	u32 v;
	if (pci_read_config_dword(pdev, PCI_VENDOR_ID, &v))
		return false;
	return v != ~0u && v != 0 && (v & 0xffff) != 0xffff;
}

#endif /* CONFIG_PCI */

/* Bus addresses and CPU addresses of BARs (drivers/pci/host-bridge.c): the
 * host reports BARs by the addresses the CPU uses, and on x86 host bridges
 * translate with no offset, so the two are the same numbers. */
void pcibios_resource_to_bus(struct pci_bus *bus, struct pci_bus_region *region, struct resource *res)
{
	(void)bus;
	region->start = res->start;
	region->end = res->end;
}

void pcibios_bus_to_resource(struct pci_bus *bus, struct resource *res, struct pci_bus_region *region)
{
	(void)bus;
	res->start = region->start;
	res->end = region->end;
}

/* The expansion ROM (drivers/pci/rom.c): the host hands a daemon its BARs,
 * not the ROM, so there is no ROM to map - Linux's answer for a function
 * without one (NULL, size 0); drivers then take their fallback. */
void __iomem *pci_map_rom(struct pci_dev *pdev, size_t *size)
{
	*size = 0;
	pci_info(pdev, "expansion ROM: not available through the host\n");
	return NULL;
}

void pci_unmap_rom(struct pci_dev *pdev, void __iomem *rom)
{
	(void)pdev, (void)rom; /* pci_map_rom() mapped nothing */
}
