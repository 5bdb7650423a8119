// SPDX-License-Identifier: MIT
/* lx_resource.c: the I/O-port and memory resource trees, as far as a daemon
 * has them.  The daemon owns exactly the PCI functions the host gave it, so
 * there is nobody to conflict with: request_region()/request_mem_region()
 * record the claim (so release and a double claim behave as in Linux) and
 * succeed; which ranges a process may touch is the host's business
 * (pcid's channel on Redox, the sysfs resource files on Linux), so a claim
 * of ports inside one of our I/O BARs asks the host to open that BAR for
 * raw port I/O (lx_pio_claim). */
#include "lx_internal.h"
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/slab.h>

struct resource ioport_resource = {
	.name = "PCI IO", .start = 0, .end = IO_SPACE_LIMIT, .flags = IORESOURCE_IO,
};
struct resource iomem_resource = {
	.name = "PCI mem", .start = 0, .end = -1, .flags = IORESOURCE_MEM,
};

static int lx_overlaps(const struct resource *a, resource_size_t start, resource_size_t end)
{
	return a->start <= end && start <= a->end;
}

struct resource *__request_region(struct resource *parent, resource_size_t start, resource_size_t n,
				  const char *name, int flags)
{
	struct resource *r, *c;
	if (!n || start + n - 1 < start)
		return NULL;
	for (c = parent->child; c; c = c->sibling)
		if (lx_overlaps(c, start, start + n - 1)) {
			lx_log(KPI_LOG_WARNING, "%s: region %llx-%llx busy (claimed by %s)", name ? name : "?",
			       (unsigned long long)start, (unsigned long long)(start + n - 1),
			       c->name ? c->name : "?");
			return NULL;
		}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return NULL;
	r->name = name;
	r->start = start;
	r->end = start + n - 1;
	r->flags = (parent->flags & IORESOURCE_TYPE_BITS) | IORESOURCE_BUSY | flags;
	r->parent = parent;
	r->sibling = parent->child;
	parent->child = r;
	if (parent == &ioport_resource)
		lx_pio_claim(start, n);
	return r;
}

void __release_region(struct resource *parent, resource_size_t start, resource_size_t n)
{
	struct resource **p;
	for (p = &parent->child; *p; p = &(*p)->sibling) {
		struct resource *r = *p;
		if (r->start == start && r->end == start + n - 1) {
			*p = r->sibling;
			kfree(r);
			return;
		}
	}
	lx_log(KPI_LOG_WARNING, "trying to free nonexistent resource <%llx-%llx>",
	       (unsigned long long)start, (unsigned long long)(start + n - 1));
}
