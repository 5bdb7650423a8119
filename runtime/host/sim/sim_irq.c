/* sim_irq.c: interrupts of sim PCI functions - legacy/MSI/MSI-X vector
 * setup, injection, report-masks-until-ack (the Redox and UIO protocol),
 * interrupt-storm faults, and the MSI/MSI-X capability structures. */
#include "sim_internal.h"

#include <string.h>

#define SIM_CAP_MSI 0x50
#define SIM_CAP_MSIX 0x70

int sim_dev_set_irq_caps(struct sim_dev *dev, int msi_vectors, int msix_vectors)
{
	if (msi_vectors < 0 || msi_vectors > SIM_MAX_VEC || msix_vectors < 0 || msix_vectors > SIM_MAX_VEC)
		return -KPI_EINVAL;
	dev->msi_max = msi_vectors;
	dev->msix_max = msix_vectors;
	kpi_u8 *cfg = dev->cfg;
	memset(cfg + SIM_CAP_MSI, 0, 0x40);
	kpi_u8 first = 0;
	if (msix_vectors) {
		cfg[SIM_CAP_MSIX] = 0x11;
		cfg[SIM_CAP_MSIX + 1] = 0;
		cfg[SIM_CAP_MSIX + 2] = (kpi_u8)(msix_vectors - 1); /* table size - 1 */
		first = SIM_CAP_MSIX;
	}
	if (msi_vectors) {
		int log2 = 0;
		while ((1 << log2) < msi_vectors && log2 < 5)
			log2++;
		cfg[SIM_CAP_MSI] = 0x05;
		cfg[SIM_CAP_MSI + 1] = first;
		cfg[SIM_CAP_MSI + 2] = (kpi_u8)(0x80 | (log2 << 1)); /* 64-bit, multiple message capable */
		first = SIM_CAP_MSI;
	}
	cfg[0x34] = first;
	if (first)
		cfg[0x06] |= 0x10;
	else
		cfg[0x06] &= (kpi_u8)~0x10;
	return 0;
}

void sim_irq_raise(struct sim_dev *dev, int index)
{
	if (index < 0 || index >= SIM_MAX_VEC)
		return;
	dev->vec[index].raised++;
	dev->vec[index].pending = 1;
}

void sim_irq_stats(const struct sim_dev *dev, int index, struct sim_irq_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (index < 0 || index >= SIM_MAX_VEC)
		return;
	const struct sim_vec *v = &dev->vec[index];
	out->raised = v->raised;
	out->reported = v->reported;
	out->acked = v->acked;
	out->pending = v->pending;
	out->masked = v->masked;
	out->type = dev->irq_type;
	out->nvec = dev->nvec;
}

void sim_fault_irq_storm(struct sim_dev *dev, int index, int count)
{
	if (index >= 0 && index < SIM_MAX_VEC)
		dev->vec[index].storm = count;
}

int sim_irq_collect(struct kpi_host_event *evs, int max)
{
	int n = 0;
	for (int i = 0; i < sim_ndevs && n < max; i++) {
		struct sim_dev *d = sim_devs[i];
		if (!d->irq_type || d->removed)
			continue;
		for (int v = 0; v < d->nvec && n < max; v++) {
			struct sim_vec *vec = &d->vec[v];
			if (!vec->cookie || !vec->pending || vec->masked)
				continue;
			vec->pending = 0;
			vec->masked = 1;
			vec->reported++;
			evs[n++] = (struct kpi_host_event){KPI_EV_IRQ, d->index, (kpi_u32)v, 0, vec->cookie};
		}
	}
	return n;
}

/* ---- kpi_host.h ------------------------------------------------------------ */

int kpi_host_irq_enable(int handle, int type, int nvec)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (nvec < 1)
		return -KPI_EINVAL;
	if (d->irq_type)
		return -KPI_EBUSY;
	int max;
	switch (type) {
	case KPI_IRQ_LEGACY: max = d->id.irq_pin ? 1 : 0; break;
	case KPI_IRQ_MSI: max = d->msi_max; break;
	case KPI_IRQ_MSIX: max = d->msix_max; break;
	default: return -KPI_EINVAL;
	}
	if (!max)
		return -KPI_ENOTSUP;
	d->irq_type = type;
	d->nvec = nvec < max ? nvec : max;
	if (type == KPI_IRQ_MSI)
		d->cfg[SIM_CAP_MSI + 2] |= 0x01;
	else if (type == KPI_IRQ_MSIX)
		d->cfg[SIM_CAP_MSIX + 3] |= 0x80;
	return d->nvec;
}

void kpi_host_irq_disable(int handle)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d || !d->irq_type)
		return;
	if (d->irq_type == KPI_IRQ_MSI)
		d->cfg[SIM_CAP_MSI + 2] &= (kpi_u8)~0x01;
	else if (d->irq_type == KPI_IRQ_MSIX)
		d->cfg[SIM_CAP_MSIX + 3] &= (kpi_u8)~0x80;
	for (int v = 0; v < SIM_MAX_VEC; v++) {
		d->vec[v].cookie = 0;
		d->vec[v].masked = 0;
	}
	d->irq_type = 0;
	d->nvec = 0;
}

int kpi_host_irq_watch(int handle, int index, void *cookie)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (!d->irq_type || index < 0 || index >= d->nvec)
		return -KPI_EINVAL;
	d->vec[index].cookie = cookie;
	return 0;
}

int kpi_host_irq_ack(int handle, int index)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (!d->irq_type || index < 0 || index >= d->nvec || !d->vec[index].masked)
		return -KPI_EINVAL;
	struct sim_vec *v = &d->vec[index];
	v->masked = 0;
	v->acked++;
	if (v->storm) {
		if (v->storm > 0)
			v->storm--;
		v->raised++;
		v->pending = 1;
	}
	return 0;
}
