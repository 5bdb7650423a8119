/* sim_dma.c: DMA memory for the sim backend - zeroed, page-aligned heap
 * blocks with fake bus addresses (above 4 GiB unless KPI_DMA_32BIT, so
 * truncated addresses show up), translation both ways for drivers and
 * device models, and allocation-failure injection. */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

#define SIM_PAGE 4096u
#define SIM_BUS_HIGH 0x100000000ull /* 4 GiB */
#define SIM_BUS_LOW 0x10000000ull   /* 256 MiB */

struct sim_dma_region {
	struct sim_dma_region *next;
	void *virt;
	kpi_u64 bus;
	kpi_size size;
};

static struct sim_dma_region *regions;
static kpi_u64 next_high = SIM_BUS_HIGH, next_low = SIM_BUS_LOW;
static int fail_count, live;

void sim_fault_dma_fail(int count)
{
	fail_count = count;
}

int sim_dma_live(void)
{
	return live;
}

int kpi_host_dma_alloc(kpi_size size, kpi_u32 flags, struct kpi_dma *out)
{
	if (!size)
		return -KPI_EINVAL;
	if (fail_count > 0) {
		fail_count--;
		sim_logf(KPI_LOG_DEBUG, "sim: injected DMA allocation failure (%zu bytes)", (size_t)size);
		return -KPI_ENOMEM;
	}
	kpi_size rounded = (size + SIM_PAGE - 1) & ~(kpi_size)(SIM_PAGE - 1);
	kpi_u64 *next = (flags & KPI_DMA_32BIT) ? &next_low : &next_high;
	if ((flags & KPI_DMA_32BIT) && *next + rounded > SIM_BUS_HIGH)
		return -KPI_ENOMEM;
	struct sim_dma_region *r = malloc(sizeof(*r));
	void *mem = 0;
	if (!r || posix_memalign(&mem, SIM_PAGE, rounded) != 0) {
		free(r);
		return -KPI_ENOMEM;
	}
	memset(mem, 0, rounded);
	r->virt = mem;
	r->size = rounded;
	r->bus = *next;
	*next += rounded + SIM_PAGE; /* a hole between regions catches overruns */
	r->next = regions;
	regions = r;
	live++;
	out->virt = mem;
	out->bus = r->bus;
	out->size = rounded;
	out->priv = (kpi_uptr)r;
	return 0;
}

void kpi_host_dma_free(struct kpi_dma *dma)
{
	for (struct sim_dma_region **pp = &regions; *pp; pp = &(*pp)->next) {
		struct sim_dma_region *r = *pp;
		if (r->virt == dma->virt && (kpi_uptr)r == dma->priv) {
			*pp = r->next;
			free(r->virt);
			free(r);
			live--;
			dma->virt = 0;
			return;
		}
	}
	kpi_host_abort("sim: kpi_host_dma_free of memory that is not a live DMA allocation");
}

int kpi_host_dma_translate(const void *virt, kpi_u64 *bus)
{
	const char *p = virt;
	for (struct sim_dma_region *r = regions; r; r = r->next) {
		if (p >= (char *)r->virt && p < (char *)r->virt + r->size) {
			*bus = r->bus + (kpi_u64)(p - (char *)r->virt);
			return 0;
		}
	}
	return -KPI_EFAULT;
}

void *sim_dma_to_virt(kpi_u64 bus, kpi_size len)
{
	for (struct sim_dma_region *r = regions; r; r = r->next) {
		if (bus >= r->bus && bus - r->bus <= r->size && len <= r->size - (bus - r->bus))
			return (char *)r->virt + (bus - r->bus);
	}
	return 0;
}

void sim_dma_reset(void)
{
	while (regions) {
		struct sim_dma_region *r = regions;
		regions = r->next;
		free(r->virt);
		free(r);
	}
	live = 0;
	fail_count = 0;
	next_high = SIM_BUS_HIGH;
	next_low = SIM_BUS_LOW;
}
