/* lx_firmware.c: request_firmware & co. on kpi_host_firmware_load (Redox:
 * /scheme/firmware or /lib/firmware; Linux: /lib/firmware; sim: blobs the
 * test added), plus the sysfs entry points drivers call at probe, which a
 * daemon has no sysfs for (they succeed and do nothing). */
#include "lx_internal.h"
#include <linux/firmware.h>
#include <linux/sysfs.h>

/* Linux warns (not errs) when a file is missing, and the _direct/_nowarn
 * forms stay quiet: drivers ask for optional files (e100's CPUSaver
 * microcode) and go on without them. */
static int lx_request_firmware(const struct firmware **fw, const char *name, struct device *device,
			       bool warn)
{
	struct firmware *f = kzalloc(sizeof(*f), GFP_KERNEL);
	void *data;
	kpi_size size;
	int rc;
	*fw = NULL;
	if (!f)
		return -ENOMEM;
	rc = kpi_host_firmware_load(name, &data, &size);
	if (rc < 0) {
		if (device && warn)
			dev_warn(device, "Direct firmware load for %s failed with error %d\n", name, rc);
		kfree(f);
		return rc;
	}
	f->data = data;
	f->size = size;
	*fw = f;
	return 0;
}

int request_firmware(const struct firmware **fw, const char *name, struct device *device)
{
	return lx_request_firmware(fw, name, device, true);
}

int firmware_request_nowarn(const struct firmware **fw, const char *name, struct device *device)
{
	return lx_request_firmware(fw, name, device, false);
}

int request_firmware_direct(const struct firmware **fw, const char *name, struct device *device)
{
	return lx_request_firmware(fw, name, device, false);
}

void release_firmware(const struct firmware *fw)
{
	if (!fw)
		return;
	kpi_host_firmware_release((void *)fw->data, fw->size);
	kfree(fw);
}

struct lx_fw_async {
	char *name;
	struct device *device;
	void *context;
	void (*cont)(const struct firmware *fw, void *context);
};

static void lx_fw_async_task(void *arg)
{
	struct lx_fw_async *a = arg;
	const struct firmware *fw;
	if (request_firmware(&fw, a->name, a->device))
		fw = NULL;
	a->cont(fw, a->context);
	kfree(a->name);
	kfree(a);
}

int request_firmware_nowait(struct module *module, bool uevent, const char *name, struct device *device, gfp_t gfp,
			    void *context, void (*cont)(const struct firmware *fw, void *context))
{
	struct lx_fw_async *a = kzalloc(sizeof(*a), gfp);
	(void)module;
	(void)uevent;
	if (!a)
		return -ENOMEM;
	a->name = kstrdup(name, gfp);
	a->device = device;
	a->context = context;
	a->cont = cont;
	if (!a->name || !lx_task_spawn("firmware", lx_fw_async_task, a)) {
		kfree(a->name);
		kfree(a);
		return -ENOMEM;
	}
	return 0;
}

/* ---- sysfs: no sysfs in a daemon --------------------------------------------------------------------- */

int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp)
{
	(void)kobj;
	(void)grp;
	return 0;
}

void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp)
{
	(void)kobj;
	(void)grp;
}

int sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name)
{
	(void)kobj, (void)target, (void)name;
	return 0;
}

void sysfs_remove_link(struct kobject *kobj, const char *name)
{
	(void)kobj, (void)name;
}

int device_create_file(struct device *device, const struct device_attribute *entry)
{
	(void)device;
	(void)entry;
	return 0;
}

void device_remove_file(struct device *dev, const struct device_attribute *attr)
{
	(void)dev;
	(void)attr;
}
