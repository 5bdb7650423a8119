/* lx_pci_lookup.c: finding other PCI functions - pci_get_device() and the
 * rest of the pci_get_* family, pci_dev_present(), pci_match_id(), and
 * config access by bus and devfn (pci_bus_read_config_*).
 *
 * What a daemon can see of the bus is what the host lists
 * (kpi_host_pci_count/info): on Linux and the sim every function it was
 * given or found, on Redox only its own (pcid hands a daemon one channel).
 * A lookup answers with the function this daemon drives when it is the
 * one, and otherwise with a read-only "sibling": a pci_dev built from the
 * host's description (ids, class, address, legacy line; no BARs, no
 * interrupts), whose config space reads as that description (the standard
 * header's identity fields) and whose other registers read all-ones with
 * PCIBIOS_DEVICE_NOT_FOUND - the host interface opens a function only to
 * claim it, and a lookup must not take a device from its own driver.
 * Writes to a sibling are refused.  A lookup that finds nothing returns
 * NULL like Linux, and says so once on the log, because on Redox NULL may
 * only mean "not visible from here".
 *
 * References are Linux's (each returned pci_dev is held; from is put), but
 * siblings live until exit, as Linux's bus keeps its devices. */
#include "lx_pci.h"
#include LX_INC_UNALIGNED

#ifdef CONFIG_PCI

static LIST_HEAD(lx_pci_siblings);

static struct lx_pci *lx_pci_sibling(int index, const struct kpi_pci_info *info)
{
	struct lx_pci *p;
	list_for_each_entry(p, &lx_pci_siblings, node)
		if (p->index == index)
			return p;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	lx_pci_fill(p, index, info);
	p->sibling = 1;
	list_add_tail(&p->node, &lx_pci_siblings);
	return p;
}

/* The pci_dev of host function index: the one a driver here bound, or a sibling. */
static struct pci_dev *lx_pci_dev_at(int index, const struct kpi_pci_info *info)
{
	struct lx_pci *p = lx_pci_by_index(index);
	if (!p)
		p = lx_pci_sibling(index, info);
	return p ? &p->pdev : NULL;
}

int lx_pci_sibling_cfg_read(struct lx_pci *p, int where, int width, u32 *val)
{
	const struct kpi_pci_info *in = &p->info;
	u8 cfg[PCI_STD_HEADER_SIZEOF] = {0};
	int i;
	*val = width == 4 ? ~0u : (1u << (8 * width)) - 1;
	if (where < 0 || where % width)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	if (where + width > PCI_STD_HEADER_SIZEOF) {
		if (!p->sibling_said++)
			lx_log(KPI_LOG_WARNING, "%s: config offset %#x of another function cannot be read "
			       "through the host (only its identity): all-ones", pci_name(&p->pdev), where);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	put_unaligned_le16(in->vendor, cfg + PCI_VENDOR_ID);
	put_unaligned_le16(in->device, cfg + PCI_DEVICE_ID);
	cfg[PCI_REVISION_ID] = in->revision;
	cfg[PCI_CLASS_PROG] = in->class_code & 0xff;
	put_unaligned_le16(in->class_code >> 8, cfg + PCI_CLASS_DEVICE);
	put_unaligned_le16(in->subvendor, cfg + PCI_SUBSYSTEM_VENDOR_ID);
	put_unaligned_le16(in->subdevice, cfg + PCI_SUBSYSTEM_ID);
	cfg[PCI_INTERRUPT_LINE] = in->irq_line;
	cfg[PCI_INTERRUPT_PIN] = in->irq_pin;
	*val = 0;
	for (i = 0; i < width; i++)
		*val |= (u32)cfg[where + i] << (8 * i);
	return PCIBIOS_SUCCESSFUL;
}

/* ---- lookups ----------------------------------------------------------------------------------- */

struct lx_pci_query {
	unsigned int vendor, device, ss_vendor, ss_device, class;
	int by_class, domain, bus, devfn; /* domain < 0: not by address */
};

static bool lx_pci_query_match(const struct lx_pci_query *q, const struct kpi_pci_info *in)
{
	if (q->domain >= 0)
		return in->segment == q->domain && in->bus == q->bus &&
		       PCI_DEVFN(in->slot, in->function) == (unsigned int)q->devfn;
	if (q->by_class)
		return in->class_code == q->class;
	return (q->vendor == PCI_ANY_ID || q->vendor == in->vendor) &&
	       (q->device == PCI_ANY_ID || q->device == in->device) &&
	       (q->ss_vendor == PCI_ANY_ID || q->ss_vendor == in->subvendor) &&
	       (q->ss_device == PCI_ANY_ID || q->ss_device == in->subdevice);
}

/* Say once per distinct query that nothing was found. */
static void lx_pci_not_found(const char *what, const struct lx_pci_query *q)
{
	static u64 said[16];
	static int nsaid;
	u64 key = (u64)q->vendor << 48 ^ (u64)q->device << 32 ^ (u64)q->class << 8 ^ (u64)q->devfn ^
		  (u64)q->bus << 40 ^ (u64)q->ss_vendor << 16 ^ q->ss_device ^ (u64)q->by_class << 63;
	int i;
	for (i = 0; i < nsaid; i++)
		if (said[i] == key)
			return;
	if (nsaid < (int)ARRAY_SIZE(said))
		said[nsaid++] = key;
	if (q->domain >= 0)
		lx_log(KPI_LOG_INFO, "%s(%04x:%02x:%02x.%d): no such function among the %d the host lists "
		       "(a Redox daemon sees only its own)", what, q->domain, q->bus, PCI_SLOT(q->devfn),
		       PCI_FUNC(q->devfn), kpi_host_pci_count());
	else if (q->by_class)
		lx_log(KPI_LOG_INFO, "%s(class %06x): no such function among the %d the host lists "
		       "(a Redox daemon sees only its own)", what, q->class, kpi_host_pci_count());
	else
		lx_log(KPI_LOG_INFO, "%s(%04x:%04x): no such function among the %d the host lists "
		       "(a Redox daemon sees only its own)", what, q->vendor & 0xffff, q->device & 0xffff,
		       kpi_host_pci_count());
}

static struct pci_dev *lx_pci_find(const char *what, const struct lx_pci_query *q, struct pci_dev *from)
{
	int i = from ? lx_pci_of(from)->index + 1 : 0, n = kpi_host_pci_count();
	struct pci_dev *found = NULL;
	for (; i < n && !found; i++) {
		struct kpi_pci_info info;
		if (kpi_host_pci_info(i, &info) == 0 && lx_pci_query_match(q, &info))
			found = lx_pci_dev_at(i, &info);
	}
	if (!found && !from)
		lx_pci_not_found(what, q);
	pci_dev_get(found);
	pci_dev_put(from);
	return found;
}

struct pci_dev *pci_get_subsys(unsigned int vendor, unsigned int device, unsigned int ss_vendor,
			       unsigned int ss_device, struct pci_dev *from)
{
	struct lx_pci_query q = {vendor, device, ss_vendor, ss_device, 0, 0, -1, 0, 0};
	return lx_pci_find("pci_get_subsys", &q, from);
}

struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from)
{
	struct lx_pci_query q = {vendor, device, PCI_ANY_ID, PCI_ANY_ID, 0, 0, -1, 0, 0};
	return lx_pci_find("pci_get_device", &q, from);
}

struct pci_dev *pci_get_class(unsigned int class, struct pci_dev *from)
{
	struct lx_pci_query q = {0, 0, 0, 0, class, 1, -1, 0, 0};
	return lx_pci_find("pci_get_class", &q, from);
}

struct pci_dev *pci_get_domain_bus_and_slot(int domain, unsigned int bus, unsigned int devfn)
{
	struct lx_pci_query q = {0, 0, 0, 0, 0, 0, domain, bus, devfn};
	return lx_pci_find("pci_get_domain_bus_and_slot", &q, NULL);
}

static int lx_bus_domain(const struct pci_bus *bus)
{
	const struct pci_sysdata *sd = bus->sysdata;
	return sd ? sd->domain : 0;
}

struct pci_dev *pci_get_slot(struct pci_bus *bus, unsigned int devfn)
{
	struct lx_pci_query q = {0, 0, 0, 0, 0, 0, lx_bus_domain(bus), bus->number, devfn};
	return lx_pci_find("pci_get_slot", &q, NULL);
}

int pci_dev_present(const struct pci_device_id *ids)
{
	int i, n = kpi_host_pci_count();
	for (i = 0; i < n; i++) {
		struct kpi_pci_info info;
		if (kpi_host_pci_info(i, &info) == 0 && lx_pci_match(ids, &info))
			return 1;
	}
	return 0;
}

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids, struct pci_dev *dev)
{
	struct kpi_pci_info in = {
		.vendor = dev->vendor,
		.device = dev->device,
		.subvendor = dev->subsystem_vendor,
		.subdevice = dev->subsystem_device,
		.class_code = dev->class,
	};
	return ids ? lx_pci_match(ids, &in) : NULL;
}

/* ---- config space by bus and devfn --------------------------------------------------------------- */

/* The pci_dev at (bus, devfn) that the host lists, or NULL. */
static struct pci_dev *lx_pci_at(struct pci_bus *bus, unsigned int devfn)
{
	struct lx_pci_query q = {0, 0, 0, 0, 0, 0, lx_bus_domain(bus), bus->number, devfn};
	int i, n = kpi_host_pci_count();
	for (i = 0; i < n; i++) {
		struct kpi_pci_info info;
		if (kpi_host_pci_info(i, &info) == 0 && lx_pci_query_match(&q, &info))
			return lx_pci_dev_at(i, &info);
	}
	return NULL;
}

#define LX_BUS_CFG(op, type)                                                                          \
	int pci_bus_read_config_##op(struct pci_bus *bus, unsigned int devfn, int where, type *val)       \
	{                                                                                             \
		struct pci_dev *dev = lx_pci_at(bus, devfn);                                          \
		if (!dev) {                                                                           \
			*val = (type)~0u;                                                             \
			return PCIBIOS_DEVICE_NOT_FOUND;                                              \
		}                                                                                     \
		return pci_read_config_##op(dev, where, val);                                         \
	}                                                                                             \
	int pci_bus_write_config_##op(struct pci_bus *bus, unsigned int devfn, int where, type val)       \
	{                                                                                             \
		struct pci_dev *dev = lx_pci_at(bus, devfn);                                          \
		return dev ? pci_write_config_##op(dev, where, val) : PCIBIOS_DEVICE_NOT_FOUND;       \
	}
LX_BUS_CFG(byte, u8)
LX_BUS_CFG(word, u16)
LX_BUS_CFG(dword, u32)

#endif /* CONFIG_PCI */
