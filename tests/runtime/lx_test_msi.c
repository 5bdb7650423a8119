/* lx_test_msi.c: a PCI test "driver" (written for kpiport, kernel flags,
 * a config with CONFIG_PCI_MSI) for lx's MSI/MSI-X (runtime/lx/lx_msi.c)
 * on sim devices (runtime/host/sim models both capabilities):
 *   "full"     MSI-X (4 entries) and MSI (4): pci_alloc_irq_vectors takes
 *              MSI-X, each vector's interrupt reaches its own handler, a
 *              disabled vector is held until enable_irq, the legacy line
 *              comes back after freeing; pci_enable_msi; MSI-X with chosen
 *              table entries; MSI through the flags; MSI refused while the
 *              legacy line has a handler
 *   "msi"      MSI only (2): falls back from MSI-X to MSI
 *   "legacy"   neither: falls back to the legacy line, -ENOSPC for more
 *   "nohost"   an MSI capability the host cannot deliver (like a UIO host):
 *              falls back to the legacy line
 *   "managed"  pcim_enable_device: the vectors go when the driver does
 * and at the end no vector is left enabled on any device. */
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

#define DEV_FULL 0x0001
#define DEV_MSI 0x0002
#define DEV_LEGACY 0x0003
#define DEV_NOHOST 0x0004
#define DEV_MANAGED 0x0005

static struct sim_dev *sdev[6];
static int probed[6];

/* which handler saw which interrupt */
struct lxt_vec {
	int irq, hits;
	struct completion done;
};
static struct lxt_vec vecs[4];

static irqreturn_t lxt_vec_handler(int irq, void *data)
{
	struct lxt_vec *v = data;
	v->hits++;
	v->irq = irq;
	complete(&v->done);
	return IRQ_HANDLED;
}

static void lxt_vecs_reset(void)
{
	int i;
	for (i = 0; i < 4; i++) {
		vecs[i].irq = 0;
		vecs[i].hits = 0;
		init_completion(&vecs[i].done);
	}
}

static int lxt_type(struct sim_dev *d)
{
	struct sim_irq_stats st;
	sim_irq_stats(d, 0, &st);
	return st.type;
}

static int lxt_nvec(struct sim_dev *d)
{
	struct sim_irq_stats st;
	sim_irq_stats(d, 0, &st);
	return st.nvec;
}

static void check_full(struct pci_dev *pdev, struct sim_dev *sd)
{
	int n, i, irq[4], legacy = pdev->irq;
	struct msix_entry ent[2] = {{.entry = 0}, {.entry = 2}};
	LXT_CHECK(pdev->msi_cap != 0 && pdev->msix_cap != 0);
	LXT_CHECK_INT(pci_msix_vec_count(pdev), 4);
	LXT_CHECK_INT(pci_msi_vec_count(pdev), 4);
	LXT_CHECK(legacy != 0);

	/* MSI-X first; capped by the table size */
	n = pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_ALL_TYPES);
	LXT_CHECK_INT(n, 4);
	LXT_CHECK(pdev->msix_enabled && !pdev->msi_enabled && pci_dev_msi_enabled(pdev));
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_MSIX);
	LXT_CHECK_INT(lxt_nvec(sd), 4);
	LXT_CHECK_INT(pci_irq_vector(pdev, 4), -EINVAL);
	lxt_vecs_reset();
	for (i = 0; i < 4; i++) {
		irq[i] = pci_irq_vector(pdev, i);
		LXT_CHECK(irq[i] > 0);
		LXT_CHECK_INT(request_irq(irq[i], lxt_vec_handler, 0, "lxt-msix", &vecs[i]), 0);
	}
	LXT_CHECK_INT(pdev->irq, irq[0]); /* dev->irq is vector 0 while messages are on */
	LXT_CHECK(irq[1] != irq[0] && irq[3] != irq[2]);
	/* each vector to its own handler */
	sim_irq_raise(sd, 3);
	LXT_CHECK(wait_for_completion_timeout(&vecs[3].done, HZ) > 0);
	sim_irq_raise(sd, 1);
	LXT_CHECK(wait_for_completion_timeout(&vecs[1].done, HZ) > 0);
	LXT_CHECK_INT(vecs[3].irq, irq[3]);
	LXT_CHECK_INT(vecs[1].irq, irq[1]);
	LXT_CHECK_INT(vecs[0].hits + vecs[2].hits, 0);
	/* masking: a disabled vector is held (unacked, so the host keeps it
	 * masked) and replayed by enable_irq; the others still arrive */
	disable_irq(irq[2]);
	sim_irq_raise(sd, 2);
	sim_irq_raise(sd, 0);
	LXT_CHECK(wait_for_completion_timeout(&vecs[0].done, HZ) > 0);
	LXT_CHECK_INT(vecs[2].hits, 0);
	{
		struct sim_irq_stats st;
		sim_irq_stats(sd, 2, &st);
		LXT_CHECK_INT(st.reported, 1);
		LXT_CHECK_INT(st.masked, 1);
	}
	enable_irq(irq[2]);
	LXT_CHECK(wait_for_completion_timeout(&vecs[2].done, HZ) > 0);
	LXT_CHECK_INT(vecs[2].irq, irq[2]);
	for (i = 0; i < 4; i++)
		free_irq(irq[i], &vecs[i]);
	pci_free_irq_vectors(pdev);
	LXT_CHECK(!pdev->msix_enabled);
	LXT_CHECK_INT(lxt_type(sd), 0);
	LXT_CHECK_INT(pdev->irq, legacy);

	/* the older API: one MSI vector, dev->irq follows */
	LXT_CHECK_INT(pci_enable_msi(pdev), 0);
	LXT_CHECK(pdev->msi_enabled);
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_MSI);
	LXT_CHECK_INT(lxt_nvec(sd), 1);
	lxt_vecs_reset();
	LXT_CHECK_INT(request_irq(pdev->irq, lxt_vec_handler, 0, "lxt-msi", &vecs[0]), 0);
	sim_irq_raise(sd, 0);
	LXT_CHECK(wait_for_completion_timeout(&vecs[0].done, HZ) > 0);
	free_irq(pdev->irq, &vecs[0]);
	pci_disable_msi(pdev);
	LXT_CHECK(!pdev->msi_enabled);
	LXT_CHECK_INT(pdev->irq, legacy);

	/* MSI-X table entries the driver picks: IRQ numbers follow the entry */
	LXT_CHECK_INT(pci_enable_msix_range(pdev, ent, 1, 2), 2);
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_MSIX);
	LXT_CHECK_INT(ent[1].vector - ent[0].vector, 2);
	lxt_vecs_reset();
	LXT_CHECK_INT(request_irq(ent[1].vector, lxt_vec_handler, 0, "lxt-entry", &vecs[2]), 0);
	sim_irq_raise(sd, 2);
	LXT_CHECK(wait_for_completion_timeout(&vecs[2].done, HZ) > 0);
	free_irq(ent[1].vector, &vecs[2]);
	LXT_CHECK_INT(pci_enable_msix_range(pdev, ent, 1, 2), -EINVAL); /* already on */
	pci_disable_msix(pdev);
	ent[1].entry = 9;
	LXT_CHECK_INT(pci_enable_msix_exact(pdev, ent, 2), -EINVAL); /* beyond the table */

	/* MSI only through the flags; several vectors */
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSI), 2);
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_MSI);
	{ /* the message as the host programmed it (here: written as a host would) */
		struct msi_msg msg;
		pci_write_config_dword(pdev, pdev->msi_cap + PCI_MSI_ADDRESS_LO, 0xfee01000);
		pci_write_config_dword(pdev, pdev->msi_cap + PCI_MSI_ADDRESS_HI, 0);
		pci_write_config_word(pdev, pdev->msi_cap + PCI_MSI_DATA_64, 0x4040);
		get_cached_msi_msg(pci_irq_vector(pdev, 1), &msg);
		LXT_CHECK(msg.address_lo == 0xfee01000 && msg.address_hi == 0);
		LXT_CHECK_INT(msg.data, 0x4041); /* vector 1 */
		get_cached_msi_msg(pci_irq_vector(pdev, 1) + 5, &msg); /* not an enabled vector */
		LXT_CHECK(msg.address_lo == 0 && msg.data == 0);
	}
	pci_free_irq_vectors(pdev);

	/* messages are refused while the legacy line still has a handler */
	lxt_vecs_reset();
	LXT_CHECK_INT(request_irq(legacy, lxt_vec_handler, IRQF_SHARED, "lxt-intx", &vecs[0]), 0);
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_LEGACY);
	LXT_CHECK_INT(pci_enable_msi(pdev), -EBUSY);
	free_irq(legacy, &vecs[0]);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX), 1); /* the idle line gives way */
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_MSIX);
	pci_free_irq_vectors(pdev);
}

static void check_msi_only(struct pci_dev *pdev, struct sim_dev *sd)
{
	int irq1;
	LXT_CHECK(pdev->msi_cap != 0 && pdev->msix_cap == 0);
	LXT_CHECK_INT(pci_msix_vec_count(pdev), -EINVAL);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX), -EINVAL);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_ALL_TYPES), 2);
	LXT_CHECK(pdev->msi_enabled);
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_MSI);
	lxt_vecs_reset();
	irq1 = pci_irq_vector(pdev, 1);
	LXT_CHECK_INT(pci_request_irq(pdev, 1, lxt_vec_handler, NULL, &vecs[1], "lxt-%d", 1), 0);
	sim_irq_raise(sd, 1);
	LXT_CHECK(wait_for_completion_timeout(&vecs[1].done, HZ) > 0);
	LXT_CHECK_INT(vecs[1].irq, irq1);
	pci_free_irq(pdev, 1, &vecs[1]);
	pci_free_irq_vectors(pdev);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 3, 4, PCI_IRQ_MSI), -ENOSPC);
	LXT_CHECK_INT(lxt_type(sd), 0);
}

static void check_legacy(struct pci_dev *pdev, struct sim_dev *sd)
{
	LXT_CHECK(pdev->msi_cap == 0 && pdev->msix_cap == 0);
	LXT_CHECK(pci_enable_msi(pdev) < 0);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 2, 4, PCI_IRQ_ALL_TYPES), -EINVAL);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 1, 4, PCI_IRQ_ALL_TYPES), 1);
	LXT_CHECK(!pci_dev_msi_enabled(pdev));
	LXT_CHECK_INT(pci_irq_vector(pdev, 0), pdev->irq);
	lxt_vecs_reset();
	LXT_CHECK_INT(request_irq(pci_irq_vector(pdev, 0), lxt_vec_handler, IRQF_SHARED, "lxt-leg", &vecs[0]), 0);
	sim_irq_raise(sd, 0);
	LXT_CHECK(wait_for_completion_timeout(&vecs[0].done, HZ) > 0);
	LXT_CHECK_INT(lxt_type(sd), KPI_IRQ_LEGACY);
	free_irq(pdev->irq, &vecs[0]);
	pci_free_irq_vectors(pdev);
}

static void check_nohost(struct pci_dev *pdev, struct sim_dev *sd)
{
	/* the capability is there, the host cannot deliver it */
	LXT_CHECK(pdev->msi_cap != 0);
	LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES), 1);
	LXT_CHECK(!pdev->msi_enabled);
	LXT_CHECK(pci_enable_msi(pdev) < 0);
	LXT_CHECK_INT(lxt_type(sd), 0);
}

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int which = pdev->device;
	struct sim_dev *sd = sdev[which];
	(void)id;
	probed[which]++;
	if (which == DEV_MANAGED) {
		LXT_CHECK_INT(pcim_enable_device(pdev), 0);
		LXT_CHECK_INT(pci_alloc_irq_vectors(pdev, 1, 2, PCI_IRQ_MSIX), 2);
		return 0; /* freed with the device */
	}
	LXT_CHECK_INT(pci_enable_device(pdev), 0);
	switch (which) {
	case DEV_FULL:
		check_full(pdev, sd);
		break;
	case DEV_MSI:
		check_msi_only(pdev, sd);
		break;
	case DEV_LEGACY:
		check_legacy(pdev, sd);
		break;
	case DEV_NOHOST:
		check_nohost(pdev, sd);
		break;
	}
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	if (pdev->device == DEV_MANAGED)
		LXT_CHECK_INT(lxt_type(sdev[DEV_MANAGED]), KPI_IRQ_MSIX);
	else
		pci_disable_device(pdev);
}

static const struct pci_device_id lxt_ids[] = {{PCI_DEVICE(LXM_VENDOR, PCI_ANY_ID)}, {0}};

static struct pci_driver lxt_driver = {
	.name = "lxt-msi",
	.id_table = lxt_ids,
	.probe = lxt_probe,
	.remove = lxt_remove,
};

int main(int argc, char **argv)
{
	int rc, i;
	kpi_u8 *cfg;
	sdev[DEV_FULL] = lxm_create(LXM_VENDOR, DEV_FULL, 0x020000);
	sim_dev_set_irq_caps(sdev[DEV_FULL], 4, 4);
	sdev[DEV_MSI] = lxm_create(LXM_VENDOR, DEV_MSI, 0x020000);
	sim_dev_set_irq_caps(sdev[DEV_MSI], 2, 0);
	sdev[DEV_LEGACY] = lxm_create(LXM_VENDOR, DEV_LEGACY, 0x020000);
	sdev[DEV_NOHOST] = lxm_create(LXM_VENDOR, DEV_NOHOST, 0x020000);
	/* an MSI capability in config space only: the sim host has no vectors for it */
	cfg = sim_dev_config(sdev[DEV_NOHOST]);
	cfg[0x34] = 0x50;
	cfg[0x06] |= 0x10;
	cfg[0x50] = 0x05;
	cfg[0x51] = 0;
	cfg[0x52] = 0x80;
	sdev[DEV_MANAGED] = lxm_create(LXM_VENDOR, DEV_MANAGED, 0x020000);
	sim_dev_set_irq_caps(sdev[DEV_MANAGED], 0, 2);
	rc = kpi_pci_driver_main(argc, argv, &lxt_driver);
	for (i = DEV_FULL; i <= DEV_MANAGED; i++) {
		LXT_CHECK_INT(probed[i], 1);
		LXT_CHECK_INT(lxt_type(sdev[i]), 0); /* nothing left enabled */
	}
	return lxt_result(rc, 0);
}
