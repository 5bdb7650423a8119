/* lx_seq.c: seq_file output (fs/seq_file.c's printing half) and /proc
 * entries without a procfs.
 *
 * A driver's show() callbacks (its /proc or debugfs files) print into a
 * struct seq_file with seq_printf()/seq_puts()/seq_putc()/seq_write(); these
 * behave as Linux's: they append to m->buf while it has room, and an
 * output that does not fit marks the file overflowed (m->count = m->size,
 * seq_has_overflowed() true), the signal seq_read() uses to retry with a
 * bigger buffer.  seq_puts() is out of line before v6.11 and an inline over
 * __seq_puts() since (lx_compat.h: LX_FN_seq_puts).
 *
 * A daemon has no procfs: proc_mkdir(), proc_create_data() and
 * proc_create_single_data(), proc_create_seq_private() keep the entry (name, parent, show callback or
 * proc_ops, data) in the daemon's registry and return it, as Linux returns
 * its proc_dir_entry; remove_proc_entry() and proc_remove() drop it and its
 * children.  Nobody reads the files until a host front end serves them.
 * The reading half (seq_open, single_open, seq_read, seq_lseek and the
 * releases) serves the file operations drivers give such files; see below.
 * Kernel-header world: never libc. */
#include "lx_internal.h"
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

void seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	int len;
	if (m->count < m->size) {
		len = lx_vsnprintf(m->buf + m->count, m->size - m->count, fmt, args);
		if (len >= 0 && m->count + (size_t)len < m->size) {
			m->count += (size_t)len;
			return;
		}
	}
	m->count = m->size; /* seq_set_overflow() */
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

int seq_write(struct seq_file *seq, const void *data, size_t len)
{
	if (seq->count + len < seq->size) {
		memcpy(seq->buf + seq->count, data, len);
		seq->count += len;
		return 0;
	}
	seq->count = seq->size;
	return -1;
}

void LX_FN_seq_puts(struct seq_file *m, const char *s) /* __seq_puts since v6.11: lx_compat.h */
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	if (m->count >= m->size)
		return;
	m->buf[m->count++] = c;
}

/* ---- reading: seq_open/single_open, seq_read, seq_lseek (fs/seq_file.c's other half) ----------
 * The file operations a driver gives its debugfs or /proc files.  No VFS
 * calls them in a daemon yet; when something does (a test, a front end), a
 * read runs the whole start/show/next/stop walk into a buffer (doubled
 * until the output fits) and copies out from the file position, so the
 * output is the same as Linux's for a reader that reads it in one go. */

int seq_open(struct file *file, const struct seq_operations *op)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	mutex_init(&m->lock);
	m->op = op;
	m->file = file;
	file->private_data = m;
	return 0;
}

int seq_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	(void)inode;
	if (m) {
		kvfree(m->buf);
		kfree(m);
	}
	file->private_data = NULL;
	return 0;
}

static void *lx_single_start(struct seq_file *m, loff_t *pos)
{
	(void)m;
	return *pos ? NULL : SEQ_START_TOKEN;
}

static void *lx_single_next(struct seq_file *m, void *v, loff_t *pos)
{
	(void)m, (void)v;
	++*pos;
	return NULL;
}

static void lx_single_stop(struct seq_file *m, void *v)
{
	(void)m, (void)v;
}

int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data)
{
	struct seq_operations *op = kmalloc(sizeof(*op), GFP_KERNEL);
	int rc;
	if (!op)
		return -ENOMEM;
	op->start = lx_single_start;
	op->next = lx_single_next;
	op->stop = lx_single_stop;
	op->show = show;
	rc = seq_open(file, op);
	if (rc) {
		kfree(op);
		return rc;
	}
	((struct seq_file *)file->private_data)->private = data;
	return 0;
}

int single_release(struct inode *inode, struct file *file)
{
	const struct seq_operations *op = ((struct seq_file *)file->private_data)->op;
	int rc = seq_release(inode, file);
	kfree(op);
	return rc;
}

/* The whole output of m's walk into m->buf (m->count bytes); an errno. */
static int lx_seq_fill(struct seq_file *m)
{
	size_t size = m->size ? m->size : PAGE_SIZE;
	for (;;) {
		loff_t pos = 0;
		void *v;
		int rc = 0;
		if (!m->buf || m->size != size) {
			kvfree(m->buf);
			m->buf = kvmalloc(size, GFP_KERNEL);
			if (!m->buf) {
				m->size = 0;
				return -ENOMEM;
			}
			m->size = size;
		}
		m->count = 0;
		m->index = 0;
		v = m->op->start(m, &pos);
		while (v && !IS_ERR(v)) {
			rc = m->op->show(m, v);
			if (rc < 0 || seq_has_overflowed(m))
				break;
			v = m->op->next(m, v, &pos);
		}
		m->op->stop(m, v);
		if (IS_ERR(v))
			return PTR_ERR(v);
		if (rc < 0)
			return rc;
		if (!seq_has_overflowed(m))
			return 0;
		if (size >= (1u << 24)) /* 16 MiB of output: something loops */
			return -EFBIG;
		size *= 2;
	}
}

ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	size_t n;
	int rc;
	mutex_lock(&m->lock);
	rc = lx_seq_fill(m);
	if (rc) {
		mutex_unlock(&m->lock);
		return rc;
	}
	n = *ppos >= (loff_t)m->count ? 0 : min_t(size_t, size, m->count - (size_t)*ppos);
	if (n && copy_to_user(buf, m->buf + *ppos, n)) {
		mutex_unlock(&m->lock);
		return -EFAULT;
	}
	*ppos += n;
	m->read_pos = *ppos;
	mutex_unlock(&m->lock);
	return n;
}

loff_t seq_lseek(struct file *file, loff_t offset, int whence)
{
	struct seq_file *m = file->private_data;
	loff_t pos;
	switch (whence) {
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	case SEEK_SET:
		pos = offset;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	file->f_pos = pos;
	if (m)
		m->read_pos = pos;
	return pos;
}

#ifdef CONFIG_PROC_FS
/* Opaque in the kernel headers (fs/proc/internal.h in Linux); ours. */
struct proc_dir_entry {
	struct list_head node; /* on lx_proc_entries */
	struct proc_dir_entry *parent;
	const char *name;
	umode_t mode;
	int (*show)(struct seq_file *, void *);
	const void *ops;
	void *data;
};

static LIST_HEAD(lx_proc_entries);
static DEFINE_MUTEX(lx_proc_mtx);

static struct proc_dir_entry *lx_proc_add(const char *name, umode_t mode, struct proc_dir_entry *parent,
					  int (*show)(struct seq_file *, void *), const void *ops, void *data)
{
	struct proc_dir_entry *e;
	if (!name || !*name || strchr(name, '/'))
		return NULL; /* Linux refuses an empty name; lx keeps no path walk */
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	e->name = kstrdup(name, GFP_KERNEL);
	if (!e->name) {
		kfree(e);
		return NULL;
	}
	e->parent = parent, e->mode = mode, e->show = show, e->ops = ops, e->data = data;
	mutex_lock(&lx_proc_mtx);
	list_add_tail(&e->node, &lx_proc_entries);
	mutex_unlock(&lx_proc_mtx);
	lx_log(KPI_LOG_DEBUG, "/proc entry %s%s kept: no procfs in a daemon", name, S_ISDIR(mode) ? "/" : "");
	return e;
}

struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent)
{
	return lx_proc_add(name, S_IFDIR | 0555, parent, NULL, NULL, NULL);
}

struct proc_dir_entry *proc_create_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					const struct proc_ops *proc_ops, void *data)
{
	return lx_proc_add(name, S_IFREG | (mode ? mode : 0444), parent, NULL, proc_ops, data);
}

struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data)
{
	return lx_proc_add(name, S_IFREG | (mode ? mode : 0444), parent, show, NULL, data);
}

struct proc_dir_entry *proc_create_seq_private(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       const struct seq_operations *ops, unsigned int state_size, void *data)
{
	(void)state_size;
	return lx_proc_add(name, S_IFREG | (mode ? mode : 0444), parent, NULL, ops, data);
}

/* Drops e and everything below it (Linux's remove_proc_subtree(); a
 * remove_proc_entry() of a directory with children warns there). */
static void lx_proc_drop(struct proc_dir_entry *e)
{
	for (;;) {
		struct proc_dir_entry *c, *child = NULL;
		list_for_each_entry(c, &lx_proc_entries, node)
			if (c->parent == e) {
				child = c;
				break;
			}
		if (!child)
			break;
		lx_proc_drop(child);
	}
	list_del(&e->node);
	kfree(e->name);
	kfree(e);
}

void proc_remove(struct proc_dir_entry *de)
{
	if (!de)
		return;
	mutex_lock(&lx_proc_mtx);
	lx_proc_drop(de);
	mutex_unlock(&lx_proc_mtx);
}

void remove_proc_entry(const char *name, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *e, *found = NULL;
	mutex_lock(&lx_proc_mtx);
	list_for_each_entry(e, &lx_proc_entries, node)
		if (e->parent == parent && !strcmp(e->name, name)) {
			found = e;
			break;
		}
	if (found)
		lx_proc_drop(found);
	mutex_unlock(&lx_proc_mtx);
	if (!found)
		lx_log(KPI_LOG_WARNING, "remove_proc_entry: no such entry '%s'", name);
}

/* What a test (or a future front end) reads: the entry's show() output. */
int lx_proc_show(const char *name, char *buf, size_t size)
{
	struct proc_dir_entry *e;
	struct seq_file m;
	int rc = -ENOENT;
	mutex_lock(&lx_proc_mtx);
	list_for_each_entry(e, &lx_proc_entries, node)
		if (!strcmp(e->name, name) && e->show) {
			memset(&m, 0, sizeof(m));
			m.buf = buf, m.size = size, m.private = e->data;
			rc = e->show(&m, NULL);
			if (!rc)
				rc = seq_has_overflowed(&m) ? -EOVERFLOW : (int)m.count;
			break;
		}
	mutex_unlock(&lx_proc_mtx);
	return rc;
}
#endif
