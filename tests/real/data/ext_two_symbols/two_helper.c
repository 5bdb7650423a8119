// SPDX-License-Identifier: MIT
/* two_helper.c: kpiport test module; built only when CONFIG_KPI_TWO_HELPER
 * reaches kbuild. */
int two_helper(void);

int two_helper(void)
{
	return 2;
}
