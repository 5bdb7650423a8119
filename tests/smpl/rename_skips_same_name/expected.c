/* Synthetic test driver: driver names that equal renamed Linux API names. */
#include <linux/io.h>

struct chip {
	void __iomem *ioremap;	/* a member named like the API */
	unsigned int iowrite32;
};

/*
 * The driver's own helper: no Linux header here declares udelay, so every
 * udelay below resolves to this function and is not a rename site, even
 * though the port's table renames the Linux udelay.
 */
static void udelay(unsigned long loops)
{
	while (loops--)
		;
}

static unsigned int chip_read(struct chip *c, phys_addr_t base)
{
	c->ioremap = redox_ioremap(base, 4);
	c->iowrite32 = 0;
	udelay(10);
	return redox_ioread32(c->ioremap);
}

static unsigned int chip_count(struct chip *c)
{
	unsigned int ioread32 = c->iowrite32;	/* a local named like the API */

	ioread32 += 1;
	return ioread32;
}

static void chip_set(struct chip *c, void (*iounmap)(volatile void *))
{
	iounmap(c->ioremap);
	udelay(1);
}
