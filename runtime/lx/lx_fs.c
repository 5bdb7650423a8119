/* lx_fs.c: the little of the VFS a subsystem core needs for its private
 * objects, without a VFS.  The DRM core and dma-buf keep their anonymous
 * inodes (an address_space for mmap offsets) on an internal pseudo
 * filesystem: kern_mount() and simple_pin_fs() give a mount whose
 * super_block only carries the type, alloc_anon_inode() a refcounted inode
 * on it, iput() frees it with the last reference.  Nothing is mounted
 * anywhere, the file_system_type's callbacks are never called.
 *
 * A daemon registers no character device: __register_chrdev() accepts the
 * registration (a dynamic major counts down from 254, as Linux's dynamic
 * range does) and says so on the log; clients reach the driver through the
 * host's front end (a Redox scheme), not through a device node.  Device
 * classes are name holders (struct class, its attribute files accepted and
 * not shown anywhere).  Kernel-header world: never libc. */
#include "lx_internal.h"
#include <linux/device/class.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/rwsem.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/kernfs.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

struct lx_mount {
	struct vfsmount mnt;
	struct super_block sb;
};

struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct lx_mount *m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->sb.s_type = type;
	m->sb.s_flags = SB_KERNMOUNT | SB_NOUSER;
	m->mnt.mnt_sb = &m->sb;
	return &m->mnt;
}

void kern_unmount(struct vfsmount *mnt)
{
	if (!IS_ERR_OR_NULL(mnt))
		kfree(container_of(mnt, struct lx_mount, mnt));
}

int simple_pin_fs(struct file_system_type *type, struct vfsmount **mount, int *count)
{
	if (!*mount) {
		struct vfsmount *m = kern_mount(type);
		if (IS_ERR(m))
			return PTR_ERR(m);
		*mount = m;
	}
	++*count;
	return 0;
}

void simple_release_fs(struct vfsmount **mount, int *count)
{
	if (--*count == 0) {
		kern_unmount(*mount);
		*mount = NULL;
	}
}

struct inode *alloc_anon_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_sb = sb;
	inode->i_mode = S_IFREG | S_IRUSR | S_IWUSR;
	atomic_set(&inode->i_count, 1);
	inode->i_data.host = inode;
	xa_init_flags(&inode->i_data.i_pages, XA_FLAGS_LOCK_IRQ);
	init_rwsem(&inode->i_data.i_mmap_rwsem);
	inode->i_data.i_mmap = RB_ROOT_CACHED;
	inode->i_mapping = &inode->i_data;
	return inode;
}

void iput(struct inode *inode)
{
	if (inode && atomic_dec_and_test(&inode->i_count))
		kfree(inode);
}

/* The registered ranges, for lx_chrdev_open (an in-process client's open). */
static struct lx_chrdev {
	unsigned int major, baseminor, count;
	const struct file_operations *fops;
} lx_chrdevs[8];

int __register_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name,
		      const struct file_operations *fops)
{
	int ret = 0;
	size_t i;
	if (!major)
		ret = (int)(major = lx_chrdev_dynamic_major());
	for (i = 0; i < ARRAY_SIZE(lx_chrdevs); i++)
		if (!lx_chrdevs[i].fops) {
			lx_chrdevs[i] = (struct lx_chrdev){major, baseminor, count, fops};
			break;
		}
	pr_info("lx: character device %s (major %u, minors %u-%u) kept in the daemon: no device node\n", name,
		major, baseminor, baseminor + count - 1);
	return ret;
}

void __unregister_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name)
{
	size_t i;
	(void)name;
	for (i = 0; i < ARRAY_SIZE(lx_chrdevs); i++)
		if (lx_chrdevs[i].fops && lx_chrdevs[i].major == major && lx_chrdevs[i].baseminor == baseminor &&
		    lx_chrdevs[i].count == count)
			lx_chrdevs[i].fops = NULL;
}

/* open(2) of a device node (major, minor) with no VFS: a char inode and a
 * struct file as chrdev_open() would hand them to the registered fops'
 * open (which may replace f_op, as drm_stub_open does). */
int lx_chrdev_open(unsigned int major, unsigned int minor, unsigned int flags, struct file **out)
{
	const struct file_operations *fops = NULL;
	struct inode *inode;
	struct file *file;
	size_t i;
	int rc;
	for (i = 0; i < ARRAY_SIZE(lx_chrdevs) && !fops; i++)
		if (lx_chrdevs[i].fops && lx_chrdevs[i].major == major && minor >= lx_chrdevs[i].baseminor &&
		    minor - lx_chrdevs[i].baseminor < lx_chrdevs[i].count)
			fops = lx_chrdevs[i].fops;
	if (!fops)
		return -ENXIO;
	inode = alloc_anon_inode(NULL);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file) {
		iput(inode);
		return -ENOMEM;
	}
	inode->i_mode = S_IFCHR | 0600;
	inode->i_rdev = MKDEV(major, minor);
	atomic_long_set(&file->f_count, 1);
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_flags = flags;
	file->f_mode = FMODE_READ | FMODE_WRITE | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE | FMODE_CAN_READ |
		       FMODE_CAN_WRITE;
	file->f_op = fops_get(fops);
	mutex_init(&file->f_pos_lock);
	rc = file->f_op->open ? file->f_op->open(inode, file) : 0;
	if (rc) {
		fops_put(file->f_op);
		kfree(file);
		iput(inode);
		return rc;
	}
	*out = file;
	return 0;
}

/* The last close: the fops' release, then the file and its inode go. */
void lx_chrdev_close(struct file *file)
{
	fput(file);
}

/* Every struct file lx makes (a device open, a shmem file) is one
 * allocation with its own inode reference: the last fput() releases it
 * at once (Linux defers to task work; no caller here depends on that). */
void fput(struct file *file)
{
	if (!file || !atomic_long_dec_and_test(&file->f_count))
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	fops_put(file->f_op);
	iput(file->f_inode);
	kfree(file);
}

/* A shmem file without shmem: an anonymous inode of that size with an
 * empty address_space.  What the DRM core asks of it here is to exist: a
 * GEM object's backing file (drm_gem_object_init), which the VRAM and TTM
 * helpers never read (their memory is VRAM or TTM's own pages).  Pages of
 * a shmem-backed GEM object (shmem_read_mapping_page_gfp: the SHMEM
 * helpers' drivers) are not provided. */
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags)
{
	struct inode *inode;
	struct file *file;
	(void)name, (void)flags;
	if (size < 0)
		return ERR_PTR(-EINVAL);
	inode = alloc_anon_inode(NULL);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_size = size;
	atomic_long_set(&file->f_count, 1);
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_flags = O_RDWR | O_LARGEFILE;
	file->f_mode = FMODE_READ | FMODE_WRITE;
	mutex_init(&file->f_pos_lock);
	return file;
}

#if LX_HAVE_class_create_name
struct class *class_create(const char *name)
#else
struct class *__class_create(struct module *owner, const char *name, struct lock_class_key *key)
#endif
{
	struct class *cls = kzalloc(sizeof(*cls), GFP_KERNEL);
#if !LX_HAVE_class_create_name
	(void)owner, (void)key;
#endif
	if (!cls)
		return ERR_PTR(-ENOMEM);
	cls->name = name;
	return cls;
}

/* A class the caller made (struct class in its own data): registered as a
 * name holder like class_create()'s. v6.4 made class_register() the
 * function (const) and removed __class_register() (lx_compat.h). */
#if LX_HAVE_no___class_register
int class_register(const struct class *cls)
{
	return cls && cls->name ? 0 : -EINVAL;
}
#else
int __class_register(struct class *cls, struct lock_class_key *key)
{
	(void)key;
	return cls && cls->name ? 0 : -EINVAL;
}
#endif

void class_unregister(LX_CONST_class struct class *cls)
{
	(void)cls;
}

void class_destroy(LX_CONST_class struct class *cls)
{
	if (!IS_ERR_OR_NULL(cls))
		kfree(cls);
}

int class_create_file_ns(LX_CONST_class struct class *cls, const struct class_attribute *attr, const void *ns)
{
	(void)cls, (void)attr, (void)ns;
	return 0;
}

void class_remove_file_ns(LX_CONST_class struct class *cls, const struct class_attribute *attr, const void *ns)
{
	(void)cls, (void)attr, (void)ns;
}

/* No process maps an address_space of the daemon's (clients' mappings,
 * when a front end gives them, are the host's): nothing to zap. */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin, loff_t const holelen, int even_cows)
{
	(void)mapping, (void)holebegin, (void)holelen, (void)even_cows;
}

/* A driver's mmap handler maps pages into the calling process; a daemon's
 * files have no calling process (their clients are the host front end's,
 * which maps nothing of the daemon's yet), so the request fails the way
 * Linux fails a mapping it cannot make, and nothing is ever mapped to zap. */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, unsigned long size,
		    pgprot_t prot)
{
	(void)vma, (void)addr, (void)pfn, (void)prot;
	lx_log(KPI_LOG_WARNING, "remap_pfn_range: no client address space to map %lu bytes into", size);
	return -ENXIO;
}

void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	(void)vma, (void)address, (void)size;
}

#ifdef CONFIG_MMU /* else linux/mm.h has the inline */
/* The page protection of a mapping with these VM_ flags (arch/x86/mm/pgprot.c):
 * what mmap handlers compute before mapping, which they cannot here. */
pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	unsigned long rwx = vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	int shared = !!(vm_flags & VM_SHARED);
	if (!rwx)
		return PAGE_NONE;
	if (rwx & VM_WRITE)
		return rwx & VM_EXEC ? (shared ? PAGE_SHARED_EXEC : PAGE_COPY_EXEC) : (shared ? PAGE_SHARED : PAGE_COPY);
	return rwx & VM_EXEC ? PAGE_READONLY_EXEC : PAGE_READONLY;
}
#endif

int vm_iomap_memory(struct vm_area_struct *vma, phys_addr_t start, unsigned long len)
{
	(void)vma, (void)start;
	lx_log(KPI_LOG_WARNING, "vm_iomap_memory: no client address space to map %lu bytes into", len);
	return -ENXIO;
}

/* ---- sysfs directories and files of kobjects (fs/sysfs): a daemon has no
 * sysfs.  A kobject the tree's lib/kobject.c adds (a subsystem core's
 * private hierarchy: EDAC's controllers) gets no directory and keeps
 * kobj->sd NULL; its attribute files and groups are accepted and shown
 * nowhere, as lx's sysfs_create_group() does; kernfs references on that
 * NULL node do nothing, as in Linux. */
int sysfs_create_dir_ns(struct kobject *kobj, const void *ns)
{
	(void)kobj, (void)ns;
	return 0;
}

void sysfs_remove_dir(struct kobject *kobj)
{
	(void)kobj;
}

int sysfs_rename_dir_ns(struct kobject *kobj, const char *new_name, const void *new_ns)
{
	(void)kobj, (void)new_name, (void)new_ns;
	return 0;
}

int sysfs_move_dir_ns(struct kobject *kobj, struct kobject *new_parent_kobj, const void *new_ns)
{
	(void)kobj, (void)new_parent_kobj, (void)new_ns;
	return 0;
}

int sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns)
{
	(void)ns;
	return kobj && attr ? 0 : -EINVAL;
}

void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns)
{
	(void)kobj, (void)attr, (void)ns;
}

int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups)
{
	int rc = 0;
	for (; groups && *groups && !rc; groups++)
		rc = sysfs_create_group(kobj, *groups);
	return rc;
}

void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups)
{
	for (; groups && *groups; groups++)
		sysfs_remove_group(kobj, *groups);
}

void kernfs_get(struct kernfs_node *kn)
{
	WARN_ONCE(kn, "kernfs_get: lx makes no kernfs nodes");
}

void kernfs_put(struct kernfs_node *kn)
{
	WARN_ONCE(kn, "kernfs_put: lx makes no kernfs nodes");
}

/* The command line of a task (mm/util.c): a daemon's tasks are kernel-
 * thread-like, with no user memory of their own, so Linux's answer for a
 * task without an mm: nothing. */
int get_cmdline(struct task_struct *task, char *buffer, int buflen)
{
	(void)task, (void)buffer, (void)buflen;
	return 0;
}

/* A file's path (fs/d_path.c): a daemon's files are not in a mounted tree. */
char *file_path(struct file *filp, char *buf, int buflen)
{
	(void)filp, (void)buf, (void)buflen;
	return ERR_PTR(-ENOENT);
}
