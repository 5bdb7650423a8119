/* lx_dmi.c: DMI/SMBIOS as a driver daemon sees it - absent.  The firmware
 * tables describe the machine, not the device a daemon owns; Redox gives
 * drivers no view of them.  Linux answers the same on a machine without
 * SMBIOS (dmi_available == 0): nothing matches, nothing is found, a walk
 * fails with -ENXIO.  Drivers use DMI for board quirks (i2c-i801: Fujitsu
 * panels, onboard devices) and skip them.  With CONFIG_DMI off linux/dmi.h
 * has the same answers inline. */
#include "lx_internal.h"
#include <linux/dmi.h>

#ifdef CONFIG_DMI
int dmi_available;

int dmi_check_system(const struct dmi_system_id *list)
{
	(void)list;
	return 0;
}

const struct dmi_system_id *dmi_first_match(const struct dmi_system_id *list)
{
	(void)list;
	return NULL;
}

const char *dmi_get_system_info(int field)
{
	(void)field;
	return NULL;
}

const struct dmi_device *dmi_find_device(int type, const char *name, const struct dmi_device *from)
{
	(void)type, (void)name, (void)from;
	return NULL;
}

bool dmi_get_date(int field, int *yearp, int *monthp, int *dayp)
{
	(void)field;
	if (yearp)
		*yearp = 0;
	if (monthp)
		*monthp = 0;
	if (dayp)
		*dayp = 0;
	return false;
}

int dmi_get_bios_year(void)
{
	return -ENXIO;
}

int dmi_name_in_vendors(const char *str)
{
	(void)str;
	return 0;
}

int dmi_name_in_serial(const char *str)
{
	(void)str;
	return 0;
}

int dmi_walk(void (*decode)(const struct dmi_header *, void *), void *private_data)
{
	(void)decode, (void)private_data;
	return -ENXIO;
}

bool dmi_match(enum dmi_field f, const char *str)
{
	(void)f, (void)str;
	return false;
}
#endif /* CONFIG_DMI */
