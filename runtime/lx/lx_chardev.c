/* lx_chardev.c: what character-device drivers call of the VFS and the misc
 * device registry.  The file helpers act on the struct file they are given
 * as Linux's do (fs/open.c, fs/read_write.c).  misc_register() keeps the
 * device in the daemon's registry with Linux's minor rules (a dynamic minor
 * from the top of the misc range, a fixed one refused when taken) and says
 * on the log that it is registered: opens and ioctls reach a misc device
 * only when a host front end (a Redox scheme) delivers them, which no
 * backend does yet, so the driver's file operations are kept, not called.
 *
 * Character-device regions and cdevs (fs/char_dev.c) follow the same
 * model: a region is registered in the daemon's registry with Linux's
 * rules (a dynamic major from the top of the dynamic range, shared with
 * __register_chrdev; an overlapping region refused with -EBUSY), a cdev is
 * kept with its file operations, and no device node exists.  fasync lists
 * (fs/fcntl.c) are kept per file as Linux keeps them; kill_fasync() has no
 * process to signal (a client is the host front end's, not a process that
 * owns the file here) and says so once. */
#include "lx_internal.h"
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

int nonseekable_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return 0;
}

int stream_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE | FMODE_ATOMIC_POS);
	filp->f_mode |= FMODE_STREAM;
	return 0;
}

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	(void)offset, (void)whence;
	return file->f_pos;
}

static LIST_HEAD(lx_misc_list);
static DEFINE_MUTEX(lx_misc_mtx);
#define LX_DYNAMIC_MINORS 128 /* Linux's misc range: 255 down to 128 for dynamic minors */

int misc_register(struct miscdevice *misc)
{
	struct miscdevice *c;
	int rc = 0;
	INIT_LIST_HEAD(&misc->list);
	mutex_lock(&lx_misc_mtx);
	if (misc->minor == MISC_DYNAMIC_MINOR) {
		int minor;
		for (minor = MISC_DYNAMIC_MINOR - 1; minor >= LX_DYNAMIC_MINORS; minor--) {
			int used = 0;
			list_for_each_entry(c, &lx_misc_list, list)
				used |= c->minor == minor;
			if (!used)
				break;
		}
		if (minor < LX_DYNAMIC_MINORS)
			rc = -EBUSY;
		else
			misc->minor = minor;
	} else {
		list_for_each_entry(c, &lx_misc_list, list)
			if (c->minor == misc->minor)
				rc = -EBUSY;
	}
	if (!rc) {
		list_add(&misc->list, &lx_misc_list);
		lx_log(KPI_LOG_INFO, "misc device %s (minor %d) registered; no host front end delivers its "
		       "opens yet", misc->name ? misc->name : "?", misc->minor);
	}
	mutex_unlock(&lx_misc_mtx);
	return rc;
}

void misc_deregister(struct miscdevice *misc)
{
	if (WARN_ON(list_empty(&misc->list)))
		return;
	mutex_lock(&lx_misc_mtx);
	list_del_init(&misc->list);
	mutex_unlock(&lx_misc_mtx);
}

/* ---- character-device regions and cdevs --------------------------------------------------------- */

struct lx_chrdev_region {
	struct list_head node;
	unsigned int major, baseminor, count;
	const char *name;
};

static LIST_HEAD(lx_chrdev_regions);
static LIST_HEAD(lx_cdevs);
static DEFINE_MUTEX(lx_chrdev_mtx);
static unsigned int lx_next_major = 254; /* Linux's dynamic majors: 254 down to 234 */

unsigned int lx_chrdev_dynamic_major(void)
{
	return lx_next_major > 0 ? lx_next_major-- : 0;
}

static int lx_region_add(unsigned int major, unsigned int baseminor, unsigned int count, const char *name)
{
	struct lx_chrdev_region *r;
	if (!count || baseminor + count - 1 > MINORMASK || baseminor + count < baseminor)
		return -EINVAL;
	list_for_each_entry(r, &lx_chrdev_regions, node)
		if (r->major == major && baseminor < r->baseminor + r->count && r->baseminor < baseminor + count)
			return -EBUSY;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->major = major, r->baseminor = baseminor, r->count = count, r->name = name;
	list_add_tail(&r->node, &lx_chrdev_regions);
	lx_log(KPI_LOG_INFO, "character device region %s (major %u, minors %u-%u) kept in the daemon: no "
	       "device node", name ? name : "?", major, baseminor, baseminor + count - 1);
	return 0;
}

int register_chrdev_region(dev_t from, unsigned count, const char *name)
{
	int rc;
	mutex_lock(&lx_chrdev_mtx);
	rc = lx_region_add(MAJOR(from), MINOR(from), count, name);
	mutex_unlock(&lx_chrdev_mtx);
	return rc;
}

int alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name)
{
	unsigned int major;
	int rc;
	mutex_lock(&lx_chrdev_mtx);
	major = lx_chrdev_dynamic_major();
	rc = major ? lx_region_add(major, baseminor, count, name) : -EBUSY;
	mutex_unlock(&lx_chrdev_mtx);
	if (!rc)
		*dev = MKDEV(major, baseminor);
	return rc;
}

void unregister_chrdev_region(dev_t from, unsigned count)
{
	struct lx_chrdev_region *r, *next;
	mutex_lock(&lx_chrdev_mtx);
	list_for_each_entry_safe(r, next, &lx_chrdev_regions, node)
		if (r->major == MAJOR(from) && r->baseminor == MINOR(from) && r->count == count) {
			list_del(&r->node);
			kfree(r);
			break;
		}
	mutex_unlock(&lx_chrdev_mtx);
}

void cdev_init(struct cdev *cdev, const struct file_operations *fops)
{
	memset(cdev, 0, sizeof(*cdev));
	INIT_LIST_HEAD(&cdev->list);
	kref_init(&cdev->kobj.kref);
	cdev->ops = fops;
}

int cdev_add(struct cdev *p, dev_t dev, unsigned count)
{
	if (!count)
		return -EINVAL;
	p->dev = dev;
	p->count = count;
	mutex_lock(&lx_chrdev_mtx);
	list_add_tail(&p->list, &lx_cdevs);
	mutex_unlock(&lx_chrdev_mtx);
	lx_log(KPI_LOG_INFO, "cdev %s (%u:%u, %u minors) kept; no host front end delivers its opens yet",
	       p->kobj.name ? p->kobj.name : "?", MAJOR(dev), MINOR(dev), count);
	return 0;
}

void cdev_del(struct cdev *p)
{
	mutex_lock(&lx_chrdev_mtx);
	list_del_init(&p->list);
	mutex_unlock(&lx_chrdev_mtx);
	p->ops = NULL;
}

/* ---- fasync lists -------------------------------------------------------------------------------- */

int fasync_helper(int fd, struct file *filp, int on, struct fasync_struct **fapp)
{
	struct fasync_struct *fa, **fp;
	for (fp = fapp; (fa = *fp) != NULL; fp = &fa->fa_next)
		if (fa->fa_file == filp) {
			if (on) {
				fa->fa_fd = fd;
				return 0;
			}
			*fp = fa->fa_next;
			kfree(fa);
			filp->f_flags &= ~FASYNC;
			return 1;
		}
	if (!on)
		return 0;
	fa = kzalloc(sizeof(*fa), GFP_KERNEL);
	if (!fa)
		return -ENOMEM;
	rwlock_init(&fa->fa_lock);
	fa->magic = FASYNC_MAGIC;
	fa->fa_fd = fd;
	fa->fa_file = filp;
	fa->fa_next = *fapp;
	*fapp = fa;
	filp->f_flags |= FASYNC;
	return 1;
}

void kill_fasync(struct fasync_struct **fp, int sig, int band)
{
	static int said;
	(void)band;
	if (*fp && !said++)
		lx_log(KPI_LOG_INFO, "kill_fasync: signal %d not sent: no process owns a file of the daemon", sig);
}

/* ---- file positions and buffers (fs/read_write.c, fs/libfs.c): what
 * debugfs-style file operations are made of; they act on the struct file
 * and the buffers they are given, as Linux's do.  A daemon's "user"
 * memory is its own (lx_uaccess.c), so copy_to_user() is a copy. ---------- */

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size = file->f_inode ? i_size_read(file->f_inode) : 0;
	switch (whence) {
	case SEEK_END:
		offset += size;
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		offset += file->f_pos;
		break;
	case SEEK_SET:
		break;
	default: /* SEEK_DATA/SEEK_HOLE: the whole file is data */
		if (whence == SEEK_DATA && offset < size)
			break;
		if (whence == SEEK_HOLE && offset < size) {
			offset = size;
			break;
		}
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size)
{
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		offset += file->f_pos;
		break;
	case SEEK_END:
		offset += size;
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0 || offset > size)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

int simple_open(struct inode *inode, struct file *file)
{
	if (inode->i_private)
		file->private_data = inode->i_private;
	return 0;
}

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available)
{
	loff_t pos = *ppos;
	size_t ret;
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	ret = copy_to_user(to, (const char *)from + pos, count);
	if (ret == count)
		return -EFAULT;
	count -= ret;
	*ppos = pos + count;
	return count;
}

ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos, const void __user *from, size_t count)
{
	loff_t pos = *ppos;
	size_t res;
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	res = copy_from_user((char *)to + pos, from, count);
	if (res == count)
		return -EFAULT;
	count -= res;
	*ppos = pos + count;
	return count;
}
