/* lx_test_device.c: a PCI test "driver" (written for kpiport, compiled with
 * the kernel flags like a port) for what imported kernel subsystems need of
 * the runtime, found while porting i2c-i801 with the I2C core and the
 * port-I/O NICs (pcnet32, ne2k-pci) - checked here without QEMU:
 *  - a built-in initcall (as an imported obj-y file has) runs once, before
 *    the module's init (lx_initcall.c);
 *  - the driver model (lx_device.c): bus/driver/device registration with
 *    match + probe in both orders, rescan and reprobe, bus notifiers, children iterated while a
 *    callback unregisters them, remove then release on unregister, the
 *    last put_device() calling the release (the I2C core waits for it);
 *  - rt_mutex handed to a waiting task on unlock (lx_sync.c);
 *  - CPU hotplug states on one CPU, uevent variables;
 *  - raw inl()/outl() on the ports of an I/O BAR after request_region(),
 *    without pci_iomap (lx_pio_claim);
 *  - devres groups, managed regions, the misc registry and the hwmon core
 *    (a chip's visible input channels read once at registration);
 *  - ktime_mono_to_any (every clock is the monotonic one) and
 *    add_input_randomness, which the HID and input cores call. */
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/hwmon.h>
#include <linux/miscdevice.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/rtmutex.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

/* ---- a built-in initcall (the test is compiled with -DMODULE, so spelled
 * out as the kernel emits it: a 32-bit offset in .initcall6.init) ---------- */

static int initcall_runs, initcall_before_probe = -1;
int lxt_builtin_initcall(void);
int lxt_builtin_initcall(void)
{
	initcall_runs++;
	return 0;
}
__ADDRESSABLE(lxt_builtin_initcall)
asm(".section \".initcall6.init\", \"a\"\n\t.long lxt_builtin_initcall - .\n\t.previous");

/* ---- a bus, a driver, devices --------------------------------------------------------- */

struct lxt_dev {
	struct device dev;
	int id;
};

static int probed, removed, released, notified_add, notified_del, children_seen;

static int lxt_match(struct device *dev, struct device_driver *drv)
{
	(void)drv;
	return container_of(dev, struct lxt_dev, dev)->id != 99; /* 99: nobody's */
}

static int lxt_bus_probe(struct device *dev)
{
	probed++;
	return container_of(dev, struct lxt_dev, dev)->id == 7 ? -ENODEV : 0;
}

static void lxt_bus_remove(struct device *dev)
{
	(void)dev;
	removed++;
}

static struct bus_type lxt_bus = {
	.name = "lxtbus",
	/* the driver argument is const since v6.11: whatever this tree declares */
	.match = (__typeof__(((struct bus_type *)0)->match))lxt_match,
	.probe = lxt_bus_probe,
	.remove = lxt_bus_remove,
};

static struct device_driver lxt_drv = {.name = "lxtdrv", .bus = &lxt_bus};

static void lxt_release(struct device *dev)
{
	released++;
	kfree(container_of(dev, struct lxt_dev, dev));
}

static int lxt_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb, (void)data;
	notified_add += action == BUS_NOTIFY_ADD_DEVICE;
	notified_del += action == BUS_NOTIFY_DEL_DEVICE;
	return NOTIFY_DONE;
}
static struct notifier_block lxt_nb = {.notifier_call = lxt_notify};

static struct lxt_dev *lxt_new(struct device *parent, int id)
{
	struct lxt_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	d->id = id;
	d->dev.parent = parent;
	d->dev.bus = &lxt_bus;
	d->dev.release = lxt_release;
	dev_set_name(&d->dev, "lxt%d", id);
	LXT_CHECK_INT(device_register(&d->dev), 0);
	return d;
}

static int lxt_unregister_child(struct device *dev, void *data)
{
	(void)data;
	children_seen++;
	device_unregister(dev);
	return 0;
}

static int lxt_is_name(struct device *dev, const void *name)
{
	return !strcmp(dev_name(dev), name);
}

static void check_driver_model(struct device *parent)
{
	struct lxt_dev *early, *late, *dead, *orphan;
	struct device *found;
	LXT_CHECK_INT(bus_register(&lxt_bus), 0);
	LXT_CHECK_INT(bus_register_notifier(&lxt_bus, &lxt_nb), 0);
	early = lxt_new(parent, 1); /* before the driver: probed by driver_register */
	LXT_CHECK_INT(probed, 0);
	LXT_CHECK_INT(driver_register(&lxt_drv), 0);
	LXT_CHECK_INT(probed, 1);
	LXT_CHECK(early->dev.driver == &lxt_drv);
	late = lxt_new(parent, 2); /* after it: probed by device_add */
	LXT_CHECK_INT(probed, 2);
	LXT_CHECK(late->dev.driver == &lxt_drv);
	dead = lxt_new(parent, 7); /* its probe fails: stays unbound */
	LXT_CHECK_INT(probed, 3);
	LXT_CHECK(dead->dev.driver == NULL);
	orphan = lxt_new(NULL, 99); /* matches no driver, not a child */
	LXT_CHECK_INT(probed, 3);
	LXT_CHECK_INT(notified_add, 4);
	/* a rescan offers the unbound ones again (dead fails again, orphan
	 * matches nothing); a reprobe unbinds and binds again */
	LXT_CHECK_INT(bus_rescan_devices(&lxt_bus), 0);
	LXT_CHECK_INT(probed, 4);
	LXT_CHECK(dead->dev.driver == NULL && orphan->dev.driver == NULL);
	LXT_CHECK_INT(device_reprobe(&early->dev), 0);
	LXT_CHECK_INT(removed, 1);
	LXT_CHECK_INT(probed, 5);
	LXT_CHECK(early->dev.driver == &lxt_drv);
	found = bus_find_device(&lxt_bus, NULL, "lxt2", lxt_is_name);
	LXT_CHECK(found == &late->dev);
	put_device(found);
	/* a reference outlives the unregistration: release waits for it */
	get_device(&late->dev);
	LXT_CHECK_INT(device_for_each_child(parent, NULL, lxt_unregister_child), 0);
	LXT_CHECK_INT(children_seen, 3);
	LXT_CHECK_INT(removed, 3); /* the two bound ones, early twice */
	LXT_CHECK_INT(notified_del, 3);
	LXT_CHECK_INT(released, 2);
	put_device(&late->dev);
	LXT_CHECK_INT(released, 3);
	device_unregister(&orphan->dev);
	LXT_CHECK_INT(released, 4);
	driver_unregister(&lxt_drv);
	bus_unregister_notifier(&lxt_bus, &lxt_nb);
	bus_unregister(&lxt_bus);
}

/* ---- rt_mutex: a waiter gets the lock at unlock ---------------------------------------- */

static DEFINE_RT_MUTEX(lxt_rt);
static int rt_order[3], rt_step;
static DECLARE_COMPLETION(rt_done);

static int lxt_rt_waiter(void *data)
{
	(void)data;
	rt_mutex_lock(&lxt_rt);
	rt_order[rt_step++] = 2;
	rt_mutex_unlock(&lxt_rt);
	complete(&rt_done);
	return 0;
}

static void check_rt_mutex(void)
{
	rt_mutex_lock(&lxt_rt);
	LXT_CHECK(!rt_mutex_trylock(&lxt_rt));
	LXT_CHECK(!IS_ERR(kthread_run(lxt_rt_waiter, NULL, "lxt-rt")));
	msleep(5); /* the waiter blocks on the lock */
	rt_order[rt_step++] = 1;
	rt_mutex_unlock(&lxt_rt);
	wait_for_completion(&rt_done);
	LXT_CHECK_INT(rt_order[0], 1);
	LXT_CHECK_INT(rt_order[1], 2);
	LXT_CHECK(rt_mutex_trylock(&lxt_rt));
	rt_mutex_unlock(&lxt_rt);
}

/* ---- CPU hotplug, uevents ------------------------------------------------------------------ */

static int cpu_up_calls, cpu_up_cpu = -1;
static int lxt_cpu_up(unsigned int cpu)
{
	cpu_up_calls++;
	cpu_up_cpu = (int)cpu;
	return 0;
}

static void check_misc(void)
{
	struct kobj_uevent_env *env = kzalloc(sizeof(*env), GFP_KERNEL);
	int st = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "lxt:online", lxt_cpu_up, NULL);
	LXT_CHECK(st >= CPUHP_AP_ONLINE_DYN && st < CPUHP_AP_ONLINE_DYN_END);
	LXT_CHECK_INT(cpu_up_calls, 1);
	LXT_CHECK_INT(cpu_up_cpu, 0);
	LXT_CHECK_INT(cpuhp_setup_state_nocalls(CPUHP_RADIX_DEAD, "lxt:dead", NULL, NULL), 0);
	LXT_CHECK_INT(cpu_up_calls, 1);
	LXT_CHECK_INT(add_uevent_var(env, "MODALIAS=lxt:%s", "x1"), 0);
	LXT_CHECK_INT(env->envp_idx, 1);
	LXT_CHECK(!strcmp(env->envp[0], "MODALIAS=lxt:x1"));
	kfree(env);
}

static int group_calls, outside_calls, hwmon_reads;

static void lxt_in_group(void *data)
{
	(void)data;
	group_calls++;
}

static void lxt_outside(void *data)
{
	(void)data;
	outside_calls++;
}

static int lxt_hwmon_read(struct device *dev, enum hwmon_sensor_types type, u32 attr, int channel, long *val)
{
	LXT_CHECK_INT(*(int *)dev_get_drvdata(dev), 7);
	LXT_CHECK_INT(type, hwmon_temp);
	LXT_CHECK_INT(attr, hwmon_temp_input);
	hwmon_reads++;
	*val = 42000 + channel;
	return 0;
}

static umode_t lxt_hwmon_visible(const void *data, enum hwmon_sensor_types type, u32 attr, int channel)
{
	(void)data, (void)type, (void)attr;
	return channel == 0 ? 0444 : 0; /* the second channel is hidden */
}

static const struct hwmon_ops lxt_hwmon_ops = {.is_visible = lxt_hwmon_visible, .read = lxt_hwmon_read};
static const u32 lxt_temp_config[] = {HWMON_T_INPUT, HWMON_T_INPUT, 0};
static const struct hwmon_channel_info lxt_temp = {.type = hwmon_temp, .config = lxt_temp_config};
static const struct hwmon_channel_info *lxt_hwmon_info[] = {&lxt_temp, NULL};
static const struct hwmon_chip_info lxt_chip = {.ops = &lxt_hwmon_ops, .info = lxt_hwmon_info};

static void check_devres_hwmon_misc(struct device *dev, unsigned long port)
{
	static int drvdata = 7;
	static struct miscdevice m1 = {.minor = MISC_DYNAMIC_MINOR, .name = "lxt1"};
	static struct miscdevice m2 = {.minor = 0, .name = "lxt2"};
	struct device *hw;
	void *g = devres_open_group(dev, NULL, GFP_KERNEL);
	LXT_CHECK(g != NULL);
	LXT_CHECK_INT(devm_add_action(dev, lxt_in_group, NULL), 0);
	LXT_CHECK_INT(devm_add_action(dev, lxt_in_group, NULL), 0);
	devres_close_group(dev, g);
	LXT_CHECK_INT(devm_add_action(dev, lxt_outside, NULL), 0);
	LXT_CHECK_INT(devres_release_group(dev, g), 2);
	LXT_CHECK_INT(group_calls, 2);
	LXT_CHECK_INT(outside_calls, 0);
	LXT_CHECK_INT(devres_release_group(dev, g), 0); /* gone */
	/* managed regions: busy while held, free again after the managed release */
	LXT_CHECK(devm_request_region(dev, port, 8, "lxt") != NULL);
	LXT_CHECK(request_region(port, 8, "again") == NULL);
	devm_release_region(dev, port, 8);
	LXT_CHECK(request_region(port, 8, "again") != NULL);
	release_region(port, 8);
	/* hwmon: registered, the visible input read once, drvdata on the class device */
	LXT_CHECK(IS_ERR(hwmon_device_register_with_info(dev, "bad-name", &drvdata, &lxt_chip, NULL)));
	hw = devm_hwmon_device_register_with_info(dev, "lxt", &drvdata, &lxt_chip, NULL);
	LXT_CHECK(!IS_ERR_OR_NULL(hw));
	LXT_CHECK_INT(hwmon_reads, 1);
	/* misc: a dynamic minor from the top, a fixed one taken twice is busy */
	LXT_CHECK_INT(misc_register(&m1), 0);
	LXT_CHECK(m1.minor >= 128 && m1.minor < MISC_DYNAMIC_MINOR);
	m2.minor = m1.minor;
	LXT_CHECK_INT(misc_register(&m2), -EBUSY);
	misc_deregister(&m1);
	LXT_CHECK_INT(misc_register(&m2), 0);
	misc_deregister(&m2);
}

/* ---- the PCI driver: port I/O by number, then the rest from probe ------------------------- */

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	unsigned long port;
	(void)id;
	initcall_before_probe = initcall_runs;
	LXT_CHECK_INT(pci_enable_device(pdev), 0);
	port = pci_resource_start(pdev, 1);
	LXT_CHECK(pci_resource_flags(pdev, 1) & IORESOURCE_IO);
	/* pcnet32 and ne2k-pci do exactly this: claim, then inw()/outb() by number */
	LXT_CHECK(request_region(port, 32, "lxt") != NULL);
	outl(0x12345678, port + 4);
	outb(0x5a, port + 8);
	LXT_CHECK_INT(inl(port + 4), 0x12345678);
	LXT_CHECK_INT(inb(port + 8), 0x5a);
	release_region(port, 32);
	check_devres_hwmon_misc(&pdev->dev, port);
	check_driver_model(&pdev->dev);
	/* what the HID and input cores ask besides: every clock is the
	 * monotonic one; an input event perturbs the generator */
	LXT_CHECK(ktime_mono_to_any(123456789, TK_OFFS_REAL) == 123456789);
	LXT_CHECK(ktime_mono_to_any(42, TK_OFFS_BOOT) == 42);
	add_input_randomness(1, 30, 1);
	LXT_CHECK(get_random_u64() != get_random_u64());
	check_rt_mutex();
	check_misc();
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

static const struct pci_device_id lxt_ids[] = {{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)}, {0}};

static struct pci_driver lxt_driver = {
	.name = "lxt_device",
	.id_table = lxt_ids,
	.probe = lxt_probe,
	.remove = lxt_remove,
};

int main(int argc, char **argv)
{
	int rc;
	lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	rc = kpi_pci_driver_main(argc, argv, &lxt_driver);
	LXT_CHECK_INT(initcall_runs, 1);
	LXT_CHECK_INT(initcall_before_probe, 1);
	LXT_CHECK_INT(released, 4);
	LXT_CHECK_INT(outside_calls, 1); /* released with the device */
	return lxt_result(rc, 0);
}
