/* Synthetic test driver: a register window mapped and poked with Linux I/O calls. */
#include <linux/io.h>
#include <linux/delay.h>

#define WIN_MAP(base) redox_ioremap((base), 0x100)
#define WIN_POKE(w, v) do { redox_iowrite32((v), (w)); redox_udelay(1); } while (0)

struct win_ops {
	void __iomem *(*map)(phys_addr_t, size_t);
	void (*unmap)(volatile void __iomem *);
};

static const struct win_ops linux_ops = {
	.map = redox_ioremap,
	.unmap = &redox_iounmap,
};

static void (*const waits[])(unsigned long) = { redox_udelay, redox_ndelay };

static void __iomem *win;

static int win_open(phys_addr_t base)
{
	win = WIN_MAP(base);
	if (!win)
		return -ENOMEM;
	WIN_POKE(win, 1);
	redox_iowrite32(redox_ioread32(win) | 2, win);	redox_udelay(sizeof(redox_ioread32(win)));
	waits[0](5);
	return 0;
}

static void win_close(void)
{
	linux_ops.unmap(win);
	redox_iounmap(win);
}
