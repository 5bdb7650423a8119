/* kit_test_freestanding.c: compiled (never run) with -nostdinc
 * -ffreestanding and one kpi header force-included, to prove the headers
 * need nothing from libc. */
int kit_test_freestanding_anchor(void);
int kit_test_freestanding_anchor(void)
{
	return 0;
}
