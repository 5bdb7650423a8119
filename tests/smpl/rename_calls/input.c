/* Synthetic test driver: a register window mapped and poked with Linux I/O calls. */
#include <linux/io.h>
#include <linux/delay.h>

#define WIN_MAP(base) ioremap((base), 0x100)
#define WIN_POKE(w, v) do { iowrite32((v), (w)); udelay(1); } while (0)

struct win_ops {
	void __iomem *(*map)(phys_addr_t, size_t);
	void (*unmap)(volatile void __iomem *);
};

static const struct win_ops linux_ops = {
	.map = ioremap,
	.unmap = &iounmap,
};

static void (*const waits[])(unsigned long) = { udelay, ndelay };

static void __iomem *win;

static int win_open(phys_addr_t base)
{
	win = WIN_MAP(base);
	if (!win)
		return -ENOMEM;
	WIN_POKE(win, 1);
	iowrite32(ioread32(win) | 2, win);	udelay(sizeof(ioread32(win)));
	waits[0](5);
	return 0;
}

static void win_close(void)
{
	linux_ops.unmap(win);
	iounmap(win);
}
