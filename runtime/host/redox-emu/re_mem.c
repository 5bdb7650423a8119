/* re_mem.c: the emulated kernel memory scheme (kernel src/scheme/memory.rs
 * at 663e664): scheme-root, physical@<type> mapped at offset = physical
 * address (backed by the backing's BAR mappings and DMA blocks),
 * zeroed@<type>[?phys_contiguous] (the backing's DMA allocator; MAP_SHARED
 * with phys_contiguous is EOPNOTSUPP) and translation (SYS_CALL, flags READ,
 * usize in/out: the page frame address; ENOENT when not present). */
#define _GNU_SOURCE
#include "re_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct re_dma {
	struct re_dma *next;
	struct kpi_dma dma;
};
static struct re_dma *dmas;

struct re_view { /* a physical@ mapping: a window onto a BAR or DMA block */
	struct re_view *next;
	void *addr;
	size_t len;
	rx_u64 phys;
};
static struct re_view *views;
static int alt_toggle;

long re_mem_open(const char *name, rx_u32 flags)
{
	if (strlen(name) > 64)
		return -RX_ENOENT;
	while (*name == '/')
		name++;
	char buf[72];
	snprintf(buf, sizeof(buf), "%s", name);
	char *memty = strchr(buf, '@');
	if (memty)
		*memty++ = 0;
	char *opts = memty ? strchr(memty, '?') : 0;
	if (opts)
		*opts++ = 0;
	int ty;
	if (!strcmp(buf, "") || !strcmp(buf, "zeroed"))
		ty = RE_MEM_ZEROED;
	else if (!strcmp(buf, "physical"))
		ty = RE_MEM_PHYS;
	else if (!strcmp(buf, "translation"))
		ty = RE_MEM_TRANSLATION;
	else if (!strcmp(buf, "scheme-root")) {
		struct re_handle *h = re_handle_new(RE_K_MEM_ROOT, flags);
		return h ? h->fd : -RX_ENOMEM;
	} else
		return -RX_ENOENT;
	int cache;
	const char *m = memty ? memty : "";
	if (!strcmp(m, "") || !strcmp(m, "wb"))
		cache = 0;
	else if (!strcmp(m, "uc"))
		cache = 1;
	else if (!strcmp(m, "wc"))
		cache = 2;
	else if (!strcmp(m, "dev"))
		cache = 3;
	else
		return -RX_ENOENT;
	int contiguous = 0;
	for (char *o = opts, *next; o; o = next) {
		next = strchr(o, ',');
		if (next)
			*next++ = 0;
		if (!strcmp(o, "phys_contiguous"))
			contiguous = 1;
		else if (*o)
			return -RX_ENOENT;
	}
	struct re_handle *h = re_handle_new(RE_K_MEM, flags);
	if (!h)
		return -RX_ENOMEM;
	h->memty = ty;
	h->cachety = cache;
	h->contiguous = contiguous;
	return h->fd;
}

void *re_phys_to_virt(rx_u64 phys, size_t len)
{
	for (int i = 0; i < re_ndevs; i++) {
		struct re_dev *d = &re_devs[i];
		if (d->handle < 0)
			continue;
		for (int b = 0; b < 6; b++) {
			const struct kpi_pci_bar *k = &d->bars[b];
			if (!k->size || (k->flags & KPI_BAR_IO))
				continue;
			/* a page-granular window around the BAR */
			rx_u64 base = k->addr & ~(rx_u64)(RE_PAGE - 1);
			rx_u64 end = (k->addr + k->size + RE_PAGE - 1) & ~(rx_u64)(RE_PAGE - 1);
			if (phys < base || phys + len > end)
				continue;
			if (!d->mapped[b]) {
				if (kpb_host_pci_map_bar(d->handle, b, KPI_MAP_UC, &d->map[b]) < 0)
					return 0;
				d->mapped[b] = 1;
			}
			return (char *)d->map[b].addr - (k->addr - base) + (phys - base);
		}
	}
	for (struct re_dma *r = dmas; r; r = r->next)
		if (phys >= r->dma.bus && phys + len <= r->dma.bus + r->dma.size)
			return (char *)r->dma.virt + (phys - r->dma.bus);
	return 0;
}

static long map_zeroed(struct re_handle *h, size_t len, rx_u32 flags)
{
	if (!len || len % RE_PAGE)
		return -RX_EINVAL; /* PageSpan::validate_nonempty */
	if (h->contiguous && (flags & RX_MAP_SHARED))
		return -RX_EOPNOTSUPP; /* fmap_anonymous */
	struct re_dma *r = calloc(1, sizeof(*r));
	if (!r)
		return -RX_ENOMEM;
	kpi_u32 f = 0;
	switch (re_w.opt.dma_mode) {
	case RE_DMA_LOW: f = KPI_DMA_32BIT; break;
	case RE_DMA_ALTERNATE: f = (alt_toggle++ & 1) ? KPI_DMA_32BIT : 0; break;
	default: break;
	}
	int rc = kpb_host_dma_alloc(len, f, &r->dma);
	if (rc < 0) {
		free(r);
		return -RX_ENOMEM;
	}
	r->next = dmas;
	dmas = r;
	if (re_w.opt.verbose)
		re_log("memory: zeroed %zu bytes at phys 0x%llx", len, (unsigned long long)r->dma.bus);
	return (long)r->dma.virt;
}

long re_mem_mmap(struct re_handle *h, size_t len, rx_u32 prot, rx_u32 flags, rx_u64 offset)
{
	(void)prot;
	switch (h->memty) {
	case RE_MEM_ZEROED:
		return map_zeroed(h, len, flags);
	case RE_MEM_PHYS: {
		if (offset % RE_PAGE || len % RE_PAGE || !len || offset + len > (1ull << 52))
			return -RX_EINVAL; /* physmap */
		void *v = re_phys_to_virt(offset, len);
		if (!v) {
			re_log("memory: physical@ 0x%llx+0x%zx is neither a BAR nor DMA memory of the backing",
			       (unsigned long long)offset, len);
			return -RX_EINVAL;
		}
		struct re_view *w = calloc(1, sizeof(*w));
		if (!w)
			return -RX_ENOMEM;
		*w = (struct re_view){views, v, len, offset};
		views = w;
		return (long)v;
	}
	default:
		return -RX_EOPNOTSUPP;
	}
}

int re_mem_munmap(void *addr, size_t len)
{
	(void)len;
	for (struct re_view **pp = &views; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr == addr) {
			struct re_view *w = *pp;
			*pp = w->next;
			free(w);
			return 1;
		}
	}
	for (struct re_dma **pp = &dmas; *pp; pp = &(*pp)->next) {
		struct re_dma *r = *pp;
		if (r->dma.virt == addr) {
			*pp = r->next;
			kpb_host_dma_free(&r->dma);
			free(r);
			return 1;
		}
	}
	return 0;
}

long re_mem_call(struct re_handle *h, void *payload, size_t len, rx_size flags)
{
	if (h->memty != RE_MEM_TRANSLATION)
		return -RX_EOPNOTSUPP;
	if (!(flags & (RX_CALL_READ | RX_CALL_WRITE)) || len < 8)
		return -RX_EINVAL; /* relibc sends no payload without READ/WRITE: read_usize fails */
	rx_u64 virt;
	memcpy(&virt, payload, 8);
	virt &= ~(rx_u64)(RE_PAGE - 1);
	kpi_u64 bus;
	rx_u64 frame = 0;
	int found = 0;
	if (kpb_host_dma_translate((const void *)(uintptr_t)virt, &bus) == 0) {
		frame = bus & ~(rx_u64)(RE_PAGE - 1);
		found = 1;
	}
	for (struct re_view *w = views; w && !found; w = w->next)
		if (virt >= (rx_u64)(uintptr_t)w->addr && virt < (rx_u64)(uintptr_t)w->addr + w->len) {
			frame = w->phys + (virt - (rx_u64)(uintptr_t)w->addr);
			found = 1;
		}
	for (int i = 0; i < re_ndevs && !found; i++)
		for (int b = 0; b < 6 && !found; b++) {
			struct re_dev *d = &re_devs[i];
			rx_u64 a = (rx_u64)(uintptr_t)d->map[b].addr;
			if (d->mapped[b] && virt + RE_PAGE > a && virt < a + d->map[b].size) {
				frame = (d->bars[b].addr + (virt - a)) & ~(rx_u64)(RE_PAGE - 1);
				found = 1;
			}
		}
	if (!found)
		return -RX_ENOENT; /* utable.translate: not present */
	memcpy(payload, &frame, 8);
	return 0;
}
