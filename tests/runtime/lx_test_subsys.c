/* lx_test_subsys.c: a PCI test "driver" (written for kpiport, compiled with
 * the kernel flags like a port) for the kernel services a subsystem core
 * imported from the tree calls (the Comedi core: drivers/comedi/), checked
 * without QEMU:
 *  - class devices (device_create/device_destroy), kobjects without sysfs
 *    (lx_device.c);
 *  - character-device regions with Linux's overlap and dynamic-major rules,
 *    cdevs, fasync lists (lx_chardev.c);
 *  - seq_file printing with overflow, /proc entries kept and shown,
 *    single_open files read and seeked, a page of output or more (lx_seq.c);
 *  - the generic devres API: find, get, remove, release, and the release
 *    order with devm actions when the device goes; devm_kasprintf (lx_mem.c);
 *  - memory pools: the reserve, refilled first, resized (lx_mempool.c);
 *    a DMA pool released with its device (lx_dma.c);
 *  - vmap of consecutive pages and its failure on others, the page
 *    protections, remap_pfn_range refused (lx_page.c, lx_fs.c);
 *  - the platform bus: a device made from the PCI probe bound by a
 *    platform driver (by ID table and by name), resources and platform
 *    data copied, unbound ones kept, remove and release (lx_platform.c);
 *  - a software node's properties read through the device (lx_device.c);
 *  - file positions and buffer copies, the console lock, module requests,
 *    interrupt numbers without descriptors. */
#include <linux/cdev.h>
#include <linux/dmapool.h>
#include <linux/mempool.h>
#include <asm/msr.h>
#include <asm/set_memory.h>
#include <linux/console.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/kmod.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/sched.h>
#include <linux/string_helpers.h>
#include <linux/sysfs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/vgaarb.h>
#include <linux/vmalloc.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

int lx_proc_show(const char *name, char *buf, size_t size); /* lx_seq.c */

/* ---- class devices ---------------------------------------------------------------------------- */

static void check_class_devices(struct device *parent)
{
	static int drvdata = 5;
	struct class *cls;
	struct device *d0, *d1;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	cls = class_create("lxtclass");
#else
	cls = class_create(THIS_MODULE, "lxtclass");
#endif
	LXT_CHECK(!IS_ERR_OR_NULL(cls));
	d0 = device_create(cls, parent, MKDEV(98, 0), &drvdata, "lxt%d", 0);
	LXT_CHECK(!IS_ERR_OR_NULL(d0));
	LXT_CHECK(!strcmp(dev_name(d0), "lxt0"));
	LXT_CHECK(dev_get_drvdata(d0) == &drvdata);
	LXT_CHECK(d0->parent == parent);
	LXT_CHECK(d0->devt == MKDEV(98, 0));
	d1 = device_create(cls, d0, MKDEV(98, 1), NULL, "lxt0_sub%d", 1);
	LXT_CHECK(!IS_ERR_OR_NULL(d1));
	LXT_CHECK(d1->parent == d0);
	LXT_CHECK(IS_ERR(device_create(NULL, parent, MKDEV(98, 2), NULL, "nocls")));
	device_destroy(cls, MKDEV(98, 1));
	device_destroy(cls, MKDEV(98, 1)); /* gone: nothing happens */
	device_destroy(cls, MKDEV(98, 0));
	class_destroy(cls);
}

static struct bus_type lxt_subsys = {.name = "lxtsub", .dev_name = "lxtsub"};

static void check_kobjects(void)
{
	struct kobject k = {0};
	static const struct attribute a = {.name = "x", .mode = 0444};
	struct device *root;
	LXT_CHECK_INT(sysfs_create_dir_ns(&k, NULL), 0);
	LXT_CHECK(k.sd == NULL); /* no sysfs: no node */
	LXT_CHECK_INT(sysfs_create_file_ns(&k, &a, NULL), 0);
	LXT_CHECK_INT(sysfs_create_file_ns(&k, NULL, NULL), -EINVAL);
	LXT_CHECK_INT(sysfs_create_groups(&k, NULL), 0);
	kernfs_get(k.sd);
	kernfs_put(k.sd);
	LXT_CHECK_INT(kobject_uevent(&k, KOBJ_ADD), 0);
	LXT_CHECK_INT(get_cmdline(current, NULL, 0), 0);
	LXT_CHECK(IS_ERR(file_path(NULL, NULL, 0)));
	sysfs_remove_dir(&k);
	LXT_CHECK_INT(subsys_system_register(&lxt_subsys, NULL), 0);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	root = bus_get_dev_root(&lxt_subsys);
	LXT_CHECK(root && !strcmp(dev_name(root), "lxtsub"));
	put_device(root);
#else
	root = lxt_subsys.dev_root;
	LXT_CHECK(root && !strcmp(dev_name(root), "lxtsub"));
#endif
	bus_unregister(&lxt_subsys);
	{ /* a class defined by its user; resources of the caller's own */
		static struct class lxt_cls = {.name = "lxtcls"};
		struct resource r1 = DEFINE_RES_IO(0x3f0, 8), r2 = DEFINE_RES_IO(0x3f4, 8);
		LXT_CHECK_INT(class_register(&lxt_cls), 0);
		class_unregister(&lxt_cls);
		LXT_CHECK_INT(request_resource(&ioport_resource, &r1), 0);
		LXT_CHECK_INT(request_resource(&ioport_resource, &r2), -EBUSY);
		LXT_CHECK_INT(release_resource(&r1), 0);
		LXT_CHECK_INT(release_resource(&r1), -EINVAL);
		LXT_CHECK_INT(request_resource(&ioport_resource, &r2), 0);
		LXT_CHECK_INT(release_resource(&r2), 0);
	}
}

/* ---- chrdev regions, cdevs, fasync ---------------------------------------------------------- */

static const struct file_operations lxt_fops = {.owner = THIS_MODULE};

static void check_chrdev(void)
{
	struct cdev cdev;
	struct file f1 = {0}, f2 = {0};
	struct fasync_struct *list = NULL;
	dev_t dyn1, dyn2;
	LXT_CHECK_INT(register_chrdev_region(MKDEV(98, 0), 16, "lxt"), 0);
	LXT_CHECK_INT(register_chrdev_region(MKDEV(98, 8), 16, "overlap"), -EBUSY);
	LXT_CHECK_INT(register_chrdev_region(MKDEV(98, 16), 16, "next"), 0);
	LXT_CHECK_INT(alloc_chrdev_region(&dyn1, 0, 4, "dyn1"), 0);
	LXT_CHECK_INT(alloc_chrdev_region(&dyn2, 0, 4, "dyn2"), 0);
	LXT_CHECK(MAJOR(dyn1) >= 234 && MAJOR(dyn1) <= 254);
	LXT_CHECK(MAJOR(dyn2) != MAJOR(dyn1));
	LXT_CHECK(MINOR(dyn1) == 0);
	cdev_init(&cdev, &lxt_fops);
	LXT_CHECK(cdev.ops == &lxt_fops);
	cdev.kobj.name = "lxt";
	LXT_CHECK_INT(cdev_add(&cdev, MKDEV(98, 0), 16), 0);
	LXT_CHECK(cdev.dev == MKDEV(98, 0) && cdev.count == 16);
	cdev_del(&cdev);
	unregister_chrdev_region(MKDEV(98, 0), 16);
	LXT_CHECK_INT(register_chrdev_region(MKDEV(98, 8), 8, "again"), 0); /* free again */
	unregister_chrdev_region(MKDEV(98, 8), 8);
	unregister_chrdev_region(MKDEV(98, 16), 16);
	unregister_chrdev_region(dyn1, 4);
	unregister_chrdev_region(dyn2, 4);
	/* fasync: one entry per file, FASYNC on the file while listed */
	LXT_CHECK_INT(fasync_helper(3, &f1, 1, &list), 1);
	LXT_CHECK_INT(fasync_helper(4, &f2, 1, &list), 1);
	LXT_CHECK_INT(fasync_helper(5, &f1, 1, &list), 0); /* already there: fd updated */
	LXT_CHECK(f1.f_flags & FASYNC);
	kill_fasync(&list, SIGIO, POLL_IN); /* no process to signal: logged once */
	LXT_CHECK_INT(fasync_helper(5, &f1, 0, &list), 1);
	LXT_CHECK(!(f1.f_flags & FASYNC));
	LXT_CHECK_INT(fasync_helper(5, &f1, 0, &list), 0);
	LXT_CHECK(list != NULL && list->fa_file == &f2 && list->fa_fd == 4 && !list->fa_next);
	LXT_CHECK_INT(fasync_helper(4, &f2, 0, &list), 1);
	LXT_CHECK(list == NULL);
}

/* ---- seq_file and /proc --------------------------------------------------------------------- */

static int lxt_show(struct seq_file *m, void *v)
{
	(void)v;
	seq_printf(m, "value %d\n", *(int *)m->private);
	seq_puts(m, "end");
	seq_putc(m, '\n');
	return 0;
}

static int lxt_show_big(struct seq_file *m, void *v)
{
	int i;
	(void)v;
	for (i = 0; i < (int)PAGE_SIZE * 2; i++)
		seq_putc(m, 'x');
	seq_putc(m, '!');
	return 0;
}

static void check_seq_proc(void)
{
	static int value = 42;
	char buf[64], small[8];
	struct seq_file m = {.buf = small, .size = sizeof(small)};
	struct proc_dir_entry *dir, *e;
	seq_printf(&m, "%d", 1234);
	LXT_CHECK_INT((int)m.count, 4);
	LXT_CHECK(!seq_has_overflowed(&m));
	seq_printf(&m, "%s", "toolong");
	LXT_CHECK(seq_has_overflowed(&m));
	dir = proc_mkdir("lxtdir", NULL);
	LXT_CHECK(dir != NULL);
	e = proc_create_single_data("lxtval", 0444, dir, lxt_show, &value);
	LXT_CHECK(e != NULL);
	LXT_CHECK_INT(lx_proc_show("lxtval", buf, sizeof(buf)), 13);
	LXT_CHECK(!strncmp(buf, "value 42\nend\n", 13));
	LXT_CHECK_INT(lx_proc_show("lxtval", small, sizeof(small)), -EOVERFLOW);
	remove_proc_entry("lxtdir", NULL); /* the directory and its entry */
	LXT_CHECK_INT(lx_proc_show("lxtval", buf, sizeof(buf)), -ENOENT);
	LXT_CHECK(proc_create_single_data("", 0444, NULL, lxt_show, NULL) == NULL);
	/* a debugfs-style file: single_open, then reads from the position, a seek, release */
	{
		static char big_out[PAGE_SIZE * 3];
		struct file f = {0};
		loff_t pos = 0;
		memset(buf, 0, sizeof(buf));
		LXT_CHECK_INT(single_open(&f, lxt_show, &value), 0);
		LXT_CHECK_INT(seq_read(&f, (char __user *)buf, 6, &pos), 6);
		LXT_CHECK_INT(seq_read(&f, (char __user *)buf + 6, sizeof(buf) - 6, &pos), 7);
		LXT_CHECK(!strcmp(buf, "value 42\nend\n"));
		LXT_CHECK_INT(seq_read(&f, (char __user *)buf, sizeof(buf), &pos), 0); /* at the end */
		LXT_CHECK_INT(seq_lseek(&f, 6, SEEK_SET), 6);
		pos = f.f_pos;
		LXT_CHECK_INT(seq_read(&f, (char __user *)buf, 2, &pos), 2);
		LXT_CHECK(!strncmp(buf, "42", 2));
		LXT_CHECK_INT(seq_lseek(&f, -1, SEEK_SET), -EINVAL);
		LXT_CHECK_INT(single_release(NULL, &f), 0);
		/* output larger than a page: the buffer grows */
		LXT_CHECK_INT(single_open(&f, lxt_show_big, NULL), 0);
		pos = 0;
		LXT_CHECK_INT(seq_read(&f, (char __user *)big_out, sizeof(big_out), &pos), PAGE_SIZE * 2 + 1);
		LXT_CHECK(big_out[0] == 'x' && big_out[PAGE_SIZE * 2] == '!');
		LXT_CHECK_INT(single_release(NULL, &f), 0);
	}
}

/* ---- devres ----------------------------------------------------------------------------------- */

static int release_order[4], releases;

static void lxt_dr_release(struct device *dev, void *res)
{
	(void)dev;
	release_order[releases++ & 3] = *(int *)res;
}

static void lxt_action(void *data)
{
	release_order[releases++ & 3] = (int)(long)data;
}

static int lxt_dr_match(struct device *dev, void *res, void *data)
{
	(void)dev;
	return *(int *)res == *(int *)data;
}

static void check_devres(struct device *dev)
{
	int *a = devres_alloc(lxt_dr_release, sizeof(int), GFP_KERNEL);
	int *b = devres_alloc(lxt_dr_release, sizeof(int), GFP_KERNEL);
	int *c = devres_alloc(lxt_dr_release, sizeof(int), GFP_KERNEL);
	int *unused = devres_alloc(lxt_dr_release, 64, GFP_KERNEL);
	int two = 2, nine = 9;
	LXT_CHECK(a && b && c && unused);
	LXT_CHECK(unused[15] == 0);
	devres_free(unused); /* never added: only freed */
	*a = 1, *b = 2, *c = 3;
	devres_add(dev, a);
	LXT_CHECK_INT(devm_add_action(dev, lxt_action, (void *)10L), 0);
	devres_add(dev, b);
	devres_add(dev, c);
	LXT_CHECK(devres_find(dev, lxt_dr_release, NULL, NULL) == c); /* the latest */
	LXT_CHECK(devres_find(dev, lxt_dr_release, lxt_dr_match, &two) == b);
	LXT_CHECK(devres_find(dev, lxt_dr_release, lxt_dr_match, &nine) == NULL);
	LXT_CHECK_INT(devres_release(dev, lxt_dr_release, lxt_dr_match, &two), 0); /* b released now */
	LXT_CHECK_INT(releases, 1);
	LXT_CHECK_INT(release_order[0], 2);
	LXT_CHECK(devres_remove(dev, lxt_dr_release, NULL, NULL) == c); /* c no longer managed */
	devres_free(c);
	LXT_CHECK_INT(devres_destroy(dev, lxt_dr_release, lxt_dr_match, &nine), -ENOENT);
	/* devres_get: the one there (a) is returned and the new one freed */
	{
		int *d = devres_alloc(lxt_dr_release, sizeof(int), GFP_KERNEL), one = 1;
		char *name = devm_kasprintf(dev, GFP_KERNEL, "lxt-%d", 42);
		*d = 1;
		LXT_CHECK(devres_get(dev, d, lxt_dr_match, &one) == a);
		LXT_CHECK(name && !strcmp(name, "lxt-42"));
		devm_kfree(dev, name); /* a managed string, freed by hand */
	}
	/* a and the action stay for the device's release: action first, then a */
}

/* ---- memory pools ------------------------------------------------------------------------------ */

static int pool_allocs, pool_fail;

static void *lxt_pool_alloc(gfp_t gfp, void *data)
{
	(void)gfp;
	if (pool_fail)
		return NULL;
	pool_allocs++;
	return kmalloc((size_t)data, GFP_KERNEL);
}

static void lxt_pool_free(void *element, void *data)
{
	(void)data;
	pool_allocs--;
	kfree(element);
}

static void check_mempool(struct device *dev)
{
	mempool_t *pool = mempool_create(2, lxt_pool_alloc, lxt_pool_free, (void *)32);
	mempool_t *km = mempool_create_kmalloc_pool(1, 16);
	void *x, *y, *z;
	struct dma_pool *dp = dmam_pool_create("lxt", dev, 64, 64, 0);
	dma_addr_t bus = 0;
	LXT_CHECK(pool && km && dp);
	if (!pool || !km)
		return;
	LXT_CHECK_INT(pool_allocs, 2); /* the reserve, up front */
	pool_fail = 1; /* the allocator fails: the reserve serves, then nothing (no sleeping) */
	x = mempool_alloc(pool, GFP_ATOMIC);
	y = mempool_alloc(pool, GFP_ATOMIC);
	z = mempool_alloc(pool, GFP_ATOMIC);
	LXT_CHECK(x && y && x != y && z == NULL);
	LXT_CHECK_INT(pool->curr_nr, 0);
	mempool_free(x, pool); /* refills the reserve first */
	LXT_CHECK_INT(pool->curr_nr, 1);
	pool_fail = 0;
	z = mempool_alloc(pool, GFP_KERNEL); /* from the allocator again */
	LXT_CHECK(z != NULL && pool->curr_nr == 1);
	mempool_free(y, pool);
	mempool_free(z, pool); /* the reserve is full: freed */
	LXT_CHECK_INT(pool->curr_nr, 2);
	LXT_CHECK_INT(mempool_resize(pool, 1), 0);
	LXT_CHECK_INT(pool_allocs, 1);
	mempool_destroy(pool);
	LXT_CHECK_INT(pool_allocs, 0);
	x = mempool_alloc(km, GFP_KERNEL);
	LXT_CHECK(x != NULL);
	mempool_free(x, km);
	mempool_destroy(km);
	if (dp) { /* released with the device */
		x = dma_pool_alloc(dp, GFP_KERNEL, &bus);
		LXT_CHECK(x && bus && !(bus & 63));
		dma_pool_free(dp, x, bus);
	}
}

/* ---- vmap, page protections, mmap ------------------------------------------------------------ */

static void check_vmap(void)
{
	struct page *block = alloc_pages(GFP_KERNEL, 2), *pages[4];
	char *v;
	int i;
	LXT_CHECK(block != NULL);
	for (i = 0; i < 4; i++)
		pages[i] = block + i;
	v = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	LXT_CHECK(v == page_address(block));
	v[3 * PAGE_SIZE] = 7;
	LXT_CHECK(((char *)page_address(block + 3))[0] == 7);
	vunmap(v);
	pages[0] = block + 1, pages[1] = block; /* out of order: no consecutive range */
	LXT_CHECK(vmap(pages, 2, VM_MAP, PAGE_KERNEL) == NULL);
	LXT_CHECK_INT(set_pages_uc(block, 4), -EINVAL); /* refused, logged */
	LXT_CHECK_INT(set_memory_wc((unsigned long)page_address(block), 4), -EINVAL);
	__free_pages(block, 2);
	LXT_CHECK(cachemode2protval(_PAGE_CACHE_MODE_WB) == 0);
	LXT_CHECK(cachemode2protval(_PAGE_CACHE_MODE_UC) == (_PAGE_PCD | _PAGE_PWT));
	LXT_CHECK(pgprot_val(pgprot_noncached(PAGE_SHARED)) & _PAGE_PCD);
	LXT_CHECK_INT(remap_pfn_range(NULL, 0, 0, PAGE_SIZE, PAGE_SHARED), -ENXIO);
}

/* ---- the platform bus ---------------------------------------------------------------------------- */

struct lxt_pdata {
	int magic;
};

static int pf_probed, pf_removed, pf_port, pf_magic;

static int lxt_pf_probe(struct platform_device *pdev)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_IO, 0);
	const struct lxt_pdata *pd = dev_get_platdata(&pdev->dev);
	pf_probed++;
	pf_port = r ? (int)r->start : -1;
	pf_magic = pd ? pd->magic : -1;
	return 0;
}

static int lxt_pf_remove(struct platform_device *pdev)
{
	(void)pdev;
	pf_removed++;
	return 0;
}

static const struct platform_device_id lxt_pf_ids[] = {{"lxt-sub"}, {"lxt-alt"}, {""}};

static struct platform_driver lxt_pf_by_table = {
	.driver = {.name = "lxt-table"},
	.id_table = lxt_pf_ids,
	.probe = lxt_pf_probe,
	/* int until v6.11, void since (then one union with remove_new) */
	.remove = (__typeof__(((struct platform_driver *)0)->remove))lxt_pf_remove,
};

static struct platform_driver lxt_pf_by_name = {
	.driver = {.name = "lxt-named"},
	.probe = lxt_pf_probe,
};

static struct platform_device *first_child;

static int lxt_first_child(struct device *dev, void *data)
{
	(void)data;
	first_child = to_platform_device(dev);
	return 1; /* stop at the first */
}

static void check_platform(struct device *parent)
{
	struct resource res[] = {DEFINE_RES_IO(0x1230, 8), DEFINE_RES_IRQ(11)};
	struct lxt_pdata pd = {.magic = 77};
	struct platform_device *sub, *named, *orphan;
	struct platform_device_info info = {.parent = parent, .name = "lxt-named", .id = PLATFORM_DEVID_AUTO};
	sub = platform_device_alloc("lxt-sub", 3);
	LXT_CHECK(sub != NULL);
	sub->dev.parent = parent;
	LXT_CHECK_INT(platform_device_add_resources(sub, res, ARRAY_SIZE(res)), 0);
	LXT_CHECK_INT(platform_device_add_data(sub, &pd, sizeof(pd)), 0);
	pd.magic = 0; /* copied: the device keeps 77 */
	LXT_CHECK_INT(platform_device_add(sub), 0);
	LXT_CHECK(!strcmp(dev_name(&sub->dev), "lxt-sub.3"));
	LXT_CHECK_INT(pf_probed, 0); /* no driver yet */
	LXT_CHECK_INT(platform_driver_register(&lxt_pf_by_table), 0);
	LXT_CHECK_INT(pf_probed, 1);
	LXT_CHECK_INT(pf_port, 0x1230);
	LXT_CHECK_INT(pf_magic, 77);
	LXT_CHECK(sub->id_entry == &lxt_pf_ids[0]);
	LXT_CHECK_INT(platform_get_irq(sub, 0), 11);
	LXT_CHECK_INT(platform_get_irq_optional(sub, 1), -ENXIO);
	LXT_CHECK(platform_get_resource(sub, IORESOURCE_MEM, 0) == NULL);
	LXT_CHECK_INT(platform_driver_register(&lxt_pf_by_name), 0);
	named = platform_device_register_full(&info); /* matched by driver name */
	LXT_CHECK(!IS_ERR(named));
	LXT_CHECK_INT(pf_probed, 2);
	LXT_CHECK(strstr(dev_name(&named->dev), "lxt-named.") && strstr(dev_name(&named->dev), ".auto"));
	LXT_CHECK_INT(pf_magic, -1);
	orphan = platform_device_register_simple("nobody", PLATFORM_DEVID_NONE, NULL, 0);
	LXT_CHECK(!IS_ERR(orphan));
	LXT_CHECK_INT(pf_probed, 2);
	LXT_CHECK(orphan->dev.driver == NULL);
	LXT_CHECK_INT(device_for_each_child_reverse(parent, NULL, lxt_first_child), 1);
	LXT_CHECK(first_child == named); /* the last added child of the PCI device comes first */
	/* binding on request: released, then attached again; the driver found by name */
	LXT_CHECK(driver_find("lxt-table", &platform_bus_type) == &lxt_pf_by_table.driver);
	LXT_CHECK(driver_find("nope", &platform_bus_type) == NULL);
	device_release_driver(&sub->dev);
	LXT_CHECK_INT(pf_removed, 1);
	LXT_CHECK(sub->dev.driver == NULL);
	LXT_CHECK_INT(device_attach(&sub->dev), 1);
	LXT_CHECK_INT(pf_probed, 3);
	device_release_driver(&sub->dev);
	LXT_CHECK_INT(driver_attach(&lxt_pf_by_table.driver), 0);
	LXT_CHECK(sub->dev.driver == &lxt_pf_by_table.driver);
	LXT_CHECK_INT(pf_probed, 4);
	LXT_CHECK_INT(pf_removed, 2);
	platform_device_unregister(sub);
	LXT_CHECK_INT(pf_removed, 3);
	platform_device_unregister(named);
	LXT_CHECK_INT(pf_removed, 3); /* the by-name driver has no remove */
	platform_device_unregister(orphan);
	platform_device_unregister(NULL);
	platform_driver_unregister(&lxt_pf_by_name);
	platform_driver_unregister(&lxt_pf_by_table);
}

/* ---- software nodes, file helpers, console lock, modules, interrupt descriptors -------------------- */

static const u32 lxt_u32s[] = {4, 5, 6};
static const struct property_entry lxt_props[] = {
	PROPERTY_ENTRY_U32_ARRAY("lxt,values", lxt_u32s),
	PROPERTY_ENTRY_STRING("lxt,mode", "fast"),
	{}
};
static const struct software_node lxt_node = {.name = "lxt", .properties = lxt_props};

static irqreturn_t lxt_irq_handler(int irq, void *dev_id)
{
	*(int *)dev_id += irq;
	return IRQ_HANDLED;
}

static void check_swnode_and_helpers(struct device *dev)
{
	u32 v[3] = {0};
	char buf[8] = {0};
	const char src[] = "abcdef";
	loff_t pos = 4;
	struct inode inode = {0};
	struct file f = {0};
	int hits = 0;
	struct irqaction act = {.handler = lxt_irq_handler, .dev_id = &hits};
	struct irq_desc desc = {0};
	LXT_CHECK_INT(device_property_read_u32_array(dev, "lxt,values", v, 3), -EINVAL);
	LXT_CHECK_INT(device_add_software_node(dev, &lxt_node), 0);
	LXT_CHECK_INT(device_add_software_node(dev, &lxt_node), -EBUSY);
	LXT_CHECK_INT(device_property_read_u32_array(dev, "lxt,values", NULL, 0), 3);
	LXT_CHECK_INT(device_property_read_u32_array(dev, "lxt,values", v, 3), 0);
	LXT_CHECK(v[0] == 4 && v[2] == 6);
	LXT_CHECK_INT(device_property_read_u32_array(dev, "lxt,values", v, 4), -EOVERFLOW);
	LXT_CHECK_INT(device_property_read_u32_array(dev, "lxt,mode", v, 1), -EPROTO);
	LXT_CHECK_INT(device_property_match_string(dev, "lxt,mode", "fast"), 0);
	LXT_CHECK_INT(device_property_match_string(dev, "lxt,mode", "slow"), -ENODATA);
	device_remove_software_node(dev);
	LXT_CHECK_INT(fwnode_property_read_u32_array(NULL, "lxt,values", v, 1), -EINVAL);
	LXT_CHECK_INT(device_property_read_u32_array(dev, "lxt,values", v, 3), -EINVAL);
	/* file helpers */
	LXT_CHECK_INT((int)simple_read_from_buffer(buf, 8, &pos, src, 6), 2);
	LXT_CHECK(!strcmp(buf, "ef"));
	LXT_CHECK_INT((int)pos, 6);
	LXT_CHECK_INT((int)simple_read_from_buffer(buf, 8, &pos, src, 6), 0);
	pos = 1;
	LXT_CHECK_INT((int)simple_write_to_buffer(buf, 4, &pos, "xyz", 3), 3);
	LXT_CHECK(!strncmp(buf, "exyz", 4));
	LXT_CHECK_INT((int)fixed_size_llseek(&f, 2, SEEK_END, 10), 12 > 10 ? -EINVAL : 12);
	LXT_CHECK_INT((int)fixed_size_llseek(&f, -3, SEEK_END, 10), 7);
	LXT_CHECK_INT((int)default_llseek(&f, 5, SEEK_CUR), 12);
	LXT_CHECK_INT((int)default_llseek(&f, -20, SEEK_CUR), -EINVAL);
	inode.i_private = &hits;
	LXT_CHECK_INT(simple_open(&inode, &f), 0);
	LXT_CHECK(f.private_data == &hits);
	/* console lock: held, then free again */
	console_lock();
	LXT_CHECK(is_console_locked());
	LXT_CHECK(!console_trylock());
	console_unlock();
	LXT_CHECK(!is_console_locked());
	LXT_CHECK(console_trylock());
	console_unlock();
	LXT_CHECK_INT(request_module("lxt-%s", "none"), -ENOENT);
	LXT_CHECK_INT(vga_remove_vgacon(to_pci_dev(dev)), 0);
	LXT_CHECK(cpumask_test_cpu(0, cpu_online_mask) && cpumask_test_cpu(0, cpu_possible_mask));
	LXT_CHECK_INT(msr_set_bit(0xc0011021, 3), -EIO);
	{ /* seconds of the monotonic clock, "real" ones the same (no wall clock) */
		time64_t s = ktime_get_seconds();
		LXT_CHECK(s == (time64_t)(ktime_get_ns() / NSEC_PER_SEC) || s + 1 == (time64_t)(ktime_get_ns() / NSEC_PER_SEC));
		LXT_CHECK(ktime_get_real_seconds() - s <= 1);
	}
	/* no interrupt descriptors; a flow handler runs a descriptor's actions */
	LXT_CHECK(irq_get_irq_data(5) == NULL);
	LXT_CHECK_INT(generic_handle_irq_safe(5), -EINVAL);
	desc.irq_data.irq = 3;
	desc.action = &act;
	handle_simple_irq(&desc);
	LXT_CHECK_INT(hits, 3);
	LXT_CHECK(!strcmp(dummy_irq_chip.name, "dummy") && dummy_irq_chip.irq_startup(NULL) == 0);
	LXT_CHECK(pgprot_val(vm_get_page_prot(VM_READ | VM_WRITE | VM_SHARED)) == pgprot_val(PAGE_SHARED));
	LXT_CHECK(pgprot_val(vm_get_page_prot(VM_READ)) == pgprot_val(PAGE_READONLY));
}

/* ---- the PCI driver ---------------------------------------------------------------------------- */

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	(void)id;
	LXT_CHECK_INT(pci_enable_device(pdev), 0);
	check_class_devices(&pdev->dev);
	check_kobjects();
	check_chrdev();
	check_seq_proc();
	check_devres(&pdev->dev);
	check_mempool(&pdev->dev);
	check_vmap();
	{ /* write-combining BAR mappings: the memory BAR maps (its ID register reads), the I/O BAR does not */
		void __iomem *wc = pci_iomap_wc(pdev, 0, 0);
		LXT_CHECK(wc != NULL);
		LXT_CHECK(wc && ioread32(wc) == LXM_ID);
		LXT_CHECK(pci_iomap_wc_range(pdev, 0, 4096, 0) == NULL);
		LXT_CHECK(pci_iomap_wc(pdev, 1, 0) == NULL);
		LXT_CHECK_INT(redox_pcim_iomap_regions(pdev, 1, "lxt"), 0);
		LXT_CHECK(redox_pcim_iomap_table(pdev)[0] != NULL);
		redox_pcim_iounmap_regions(pdev, 1);
		LXT_CHECK(redox_pcim_iomap_table(pdev)[0] == NULL);
		{
			size_t romsize = 1;
			LXT_CHECK(pci_map_rom(pdev, &romsize) == NULL && romsize == 0); /* no ROM through the host */
		}
		LXT_CHECK(pci_bus_address(pdev, 0) == pci_resource_start(pdev, 0)); /* no host bridge offset */
		iowrite64_lo_hi(0x1122334455667788ULL, (u8 __iomem *)wc + 0x40);
		LXT_CHECK(ioread32((u8 __iomem *)wc + 0x40) == 0x55667788u && ioread32((u8 __iomem *)wc + 0x44) == 0x11223344u);
		LXT_CHECK(ioread64_hi_lo((u8 __iomem *)wc + 0x40) == 0x1122334455667788ULL);
		iowrite64be_lo_hi(0x1122334455667788ULL, (u8 __iomem *)wc + 0x48);
		LXT_CHECK(ioread32be((u8 __iomem *)wc + 0x48) == 0x11223344u);
		LXT_CHECK(ioread64be_hi_lo((u8 __iomem *)wc + 0x48) == 0x1122334455667788ULL);
		{
			struct resource bar = DEFINE_RES_MEM(pci_resource_start(pdev, 0), 0x100), io = DEFINE_RES_IO(0x10, 4);
			void __iomem *r = devm_ioremap_resource(&pdev->dev, &bar);
			LXT_CHECK(!IS_ERR(r) && ioread32(r) == LXM_ID);
			LXT_CHECK(PTR_ERR(devm_ioremap_resource(&pdev->dev, &bar)) == -EBUSY); /* claimed */
			LXT_CHECK(PTR_ERR(devm_ioremap_resource(&pdev->dev, &io)) == -EINVAL);
			r = devm_ioremap_wc(&pdev->dev, pci_resource_start(pdev, 0), 0x100);
			LXT_CHECK(r && ioread32(r) == LXM_ID);
		}
	}
	check_platform(&pdev->dev);
	check_swnode_and_helpers(&pdev->dev);
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

static const struct pci_device_id lxt_ids[] = {{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)}, {0}};

static struct pci_driver lxt_driver = {
	.name = "lxt_subsys",
	.id_table = lxt_ids,
	.probe = lxt_probe,
	.remove = lxt_remove,
};

int main(int argc, char **argv)
{
	int rc;
	lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	rc = kpi_pci_driver_main(argc, argv, &lxt_driver);
	/* the device went: its action, then a (last first) */
	LXT_CHECK_INT(releases, 3);
	LXT_CHECK_INT(release_order[1], 10);
	LXT_CHECK_INT(release_order[2], 1);
	return lxt_result(rc, 0);
}
