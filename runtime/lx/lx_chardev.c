/* lx_chardev.c: what character-device drivers call of the VFS and the misc
 * device registry.  The file helpers act on the struct file they are given
 * as Linux's do (fs/open.c, fs/read_write.c).  misc_register() keeps the
 * device in the daemon's registry with Linux's minor rules (a dynamic minor
 * from the top of the misc range, a fixed one refused when taken) and says
 * on the log that it is registered: opens and ioctls reach a misc device
 * only when a host front end (a Redox scheme) delivers them, which no
 * backend does yet, so the driver's file operations are kept, not called. */
#include "lx_internal.h"
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>

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
