/* Synthetic test driver: rename sites that Coccinelle cannot reach. */
#include <linux/io.h>

/* Two statements without braces: Coccinelle cannot parse this #define body. */
#define PAIR_WRITE(a, b) iowrite32((a), reg_a); iowrite32((b), reg_b)

/* An attribute macro inside a declaration list: Coccinelle skips the function. */
#define ALIGNED_TO(n) __attribute__((aligned(n)))

static void __iomem *reg_a, *reg_b;

static void pair_flush(void)
{
	PAIR_WRITE(1, 2);
	iowrite32(0, reg_a);
}

static void odd_flush(int x)
{
	int ALIGNED_TO(8) lo = x, ALIGNED_TO(4) hi = 2;

	iowrite32(lo + hi, reg_b);
}

static unsigned int pair_read(void)
{
	return ioread32(reg_a) + ioread32(reg_b);
}
