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

/* A caller's own struct resource in a tree (kernel/resource.c): the same
 * flat claims as the regions above; release_resource() unlinks it (the
 * caller frees it, as after a request_region() whose result it releases). */
struct resource *request_resource_conflict(struct resource *root, struct resource *new)
{
	struct resource *c;
	if (new->end < new->start || new->start < root->start || new->end > root->end)
		return root;
	for (c = root->child; c; c = c->sibling)
		if (lx_overlaps(c, new->start, new->end))
			return c;
	new->parent = root;
	new->sibling = root->child;
	root->child = new;
	return NULL;
}

int request_resource(struct resource *root, struct resource *new)
{
	return request_resource_conflict(root, new) ? -EBUSY : 0;
}

int release_resource(struct resource *old)
{
	struct resource **p;
	if (!old->parent)
		return -EINVAL;
	for (p = &old->parent->child; *p; p = &(*p)->sibling)
		if (*p == old) {
			*p = old->sibling;
			old->parent = NULL;
			old->sibling = NULL;
			return 0;
		}
	return -EINVAL;
}

/* A region claimed for the device's lifetime: released with its devres. */
struct lx_devm_region {
	struct list_head node; /* lx_devm_regions */
	struct device *dev;
	struct resource *parent;
	resource_size_t start, n;
};

static LIST_HEAD(lx_devm_regions);

static void lx_devm_region_release(void *data)
{
	struct lx_devm_region *d = data;
	list_del(&d->node);
	__release_region(d->parent, d->start, d->n);
	kfree(d);
}

struct resource *__devm_request_region(struct device *dev, struct resource *parent, resource_size_t start,
				       resource_size_t n, const char *name)
{
	struct lx_devm_region *d = kmalloc(sizeof(*d), GFP_KERNEL);
	struct resource *r;
	if (!d)
		return NULL;
	r = __request_region(parent, start, n, name, 0);
	if (!r) {
		kfree(d);
		return NULL;
	}
	d->dev = dev;
	d->parent = parent;
	d->start = start;
	d->n = n;
	list_add(&d->node, &lx_devm_regions);
	if (lx_devres_add(dev, lx_devm_region_release, d)) {
		lx_devm_region_release(d);
		return NULL;
	}
	return r;
}

void __devm_release_region(struct device *dev, struct resource *parent, resource_size_t start,
			   resource_size_t n)
{
	struct lx_devm_region *d;
	list_for_each_entry(d, &lx_devm_regions, node)
		if (d->dev == dev && d->parent == parent && d->start == start && d->n == n) {
			lx_devres_remove(dev, lx_devm_region_release, d, 1);
			return;
		}
	lx_log(KPI_LOG_WARNING, "%s: no managed region <%llx-%llx> to release", dev_name(dev),
	       (unsigned long long)start, (unsigned long long)(start + n - 1));
}
