/* lx_test_subsys.c: a PCI test "driver" (written for kpiport, compiled with
 * the kernel flags like a port) for the kernel services a subsystem core
 * imported from the tree calls (the Comedi core: drivers/comedi/), checked
 * without QEMU:
 *  - class devices (device_create/device_destroy) and kobject names
 *    (lx_device.c);
 *  - character-device regions with Linux's overlap and dynamic-major rules,
 *    cdevs, fasync lists (lx_chardev.c);
 *  - seq_file printing with overflow, /proc entries kept and shown
 *    (lx_seq.c);
 *  - the generic devres API: find, remove, release, and the release order
 *    with devm actions when the device goes (lx_mem.c);
 *  - vmap of consecutive pages and its failure on others, the page
 *    protections, remap_pfn_range refused (lx_page.c, lx_fs.c). */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/version.h>
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

static void check_kobject_name(void)
{
	struct kobject k = {0};
	LXT_CHECK_INT(kobject_set_name(&k, "lxt%s%d", "name", 3), 0);
	LXT_CHECK(!strcmp(k.name, "lxtname3"));
	LXT_CHECK_INT(kobject_set_name(&k, "%s", "other"), 0);
	LXT_CHECK(!strcmp(k.name, "other"));
	kfree_const(k.name);
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
	LXT_CHECK_INT(kobject_set_name(&cdev.kobj, "lxt"), 0);
	LXT_CHECK_INT(cdev_add(&cdev, MKDEV(98, 0), 16), 0);
	LXT_CHECK(cdev.dev == MKDEV(98, 0) && cdev.count == 16);
	cdev_del(&cdev);
	kfree_const(cdev.kobj.name);
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
	/* a and the action stay for the device's release: action first, then a */
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
	__free_pages(block, 2);
	LXT_CHECK(cachemode2protval(_PAGE_CACHE_MODE_WB) == 0);
	LXT_CHECK(cachemode2protval(_PAGE_CACHE_MODE_UC) == (_PAGE_PCD | _PAGE_PWT));
	LXT_CHECK(pgprot_val(pgprot_noncached(PAGE_SHARED)) & _PAGE_PCD);
	LXT_CHECK_INT(remap_pfn_range(NULL, 0, 0, PAGE_SIZE, PAGE_SHARED), -ENXIO);
}

/* ---- the PCI driver ---------------------------------------------------------------------------- */

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	(void)id;
	LXT_CHECK_INT(pci_enable_device(pdev), 0);
	check_class_devices(&pdev->dev);
	check_kobject_name();
	check_chrdev();
	check_seq_proc();
	check_devres(&pdev->dev);
	check_vmap();
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
