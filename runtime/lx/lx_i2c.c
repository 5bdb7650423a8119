/* lx_i2c.c: the daemon's I2C/SMBus clients - what i2c-dev is to Linux.
 * A bus driver (i2c-i801, ...) registers adapters with the I2C core the
 * port imports from the tree; clients reach a device on one of them by a
 * path ADAPTER/ADDR (adapter number in decimal, 7-bit address in hex:
 * "0/50"), read and write bytes at an offset (the command byte: an EEPROM's
 * address pointer, a sensor's register), and the runtime turns that into
 * SMBus transactions through i2c_smbus_xfer(), so every adapter's own
 * locking, retries and I2C emulation apply.
 *
 * Why this shape: on Redox the daemon will serve these paths as a scheme,
 * i2c.<pci name> (e.g. /scheme/i2c.pci-0000-00-1f.3/0/50): open() is
 * lx_i2c_path(), read()/write() at the file position are lx_i2c_read()/
 * lx_i2c_write(), which is how Linux's at24/ee1004 drivers and i2cdump
 * present an EEPROM.  Until the host interface carries such requests, the
 * command line queues them:
 *   --i2c-set=ADAPTER/ADDR:OFFSET=HEXBYTES  write bytes (e.g. 0/57:40=6b7069)
 *   --i2c-dump=ADAPTER/ADDR[:block][,...]    read 256 bytes, logged as hex
 *                                           (SMBus byte reads, or I2C block
 *                                           reads of 32 bytes: at24's way)
 * in the order given, each as soon as its adapter registers (Linux's
 * i2c-dev also serves an adapter from the moment the core announces it:
 * a bus notifier on i2c_bus_type, subscribed by a late initcall here, after
 * the core's own).  The output lines are "i2c i2c-N: 0xAA OO: b0 b1 ..."
 * (16 bytes a line), what tests compare with Linux's i2cdump.
 *
 * The core's functions are referenced weakly: the option parser links this
 * file into every daemon whose config has CONFIG_I2C, and a port that
 * imports no core (none registers adapters) must still link. */
#include "lx_internal.h"
#include <linux/delay.h>
#include <linux/i2c.h>
#include <linux/init.h>
#include <linux/slab.h>

#if IS_ENABLED(CONFIG_I2C)

#pragma weak i2c_bus_type
#pragma weak i2c_get_adapter
#pragma weak i2c_put_adapter
#pragma weak i2c_smbus_xfer
#pragma weak i2c_verify_adapter

#define LX_I2C_WRITE_CYCLE_MS 25 /* EEPROMs NACK while they commit a write (at24: up to 25 ms) */

struct lx_i2c_req {
	struct list_head node;
	int nr;
	u16 addr;
	bool write;
	bool block; /* read with I2C block reads */
	u8 offset;
	int len;
	u8 data[256];
};

static LIST_HEAD(lx_i2c_reqs);
static unsigned long lx_i2c_started[4]; /* adapters whose requests ran (numbers < 256) */

int lx_i2c_path(const char *path, int *nr, u16 *addr)
{
	char num[8];
	const char *slash = strchr(path, '/');
	unsigned int n, a;
	if (!slash || slash == path || slash - path >= (long)sizeof(num))
		return -EINVAL;
	memcpy(num, path, slash - path);
	num[slash - path] = 0;
	if (kstrtouint(num, 10, &n) || kstrtouint(slash + 1, 16, &a) || n > 255 || a > 0x7f)
		return -EINVAL;
	*nr = (int)n;
	*addr = (u16)a;
	return 0;
}

static int lx_i2c_hex(u8 *dst, const char *hex, int n)
{
	int i;
	for (i = 0; i < 2 * n; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return -EINVAL;
		dst[i / 2] = (u8)(i % 2 ? dst[i / 2] << 4 | v : v);
	}
	return 0;
}

/* One SMBus transaction; a write leaves the device busy for its write
 * cycle, during which it NACKs (-ENXIO): retry that for a while. */
static s32 lx_i2c_xfer(struct i2c_adapter *adap, u16 addr, char rw, u8 cmd, int size, union i2c_smbus_data *d)
{
	unsigned long until = jiffies + msecs_to_jiffies(LX_I2C_WRITE_CYCLE_MS);
	s32 rc;
	for (;;) {
		rc = i2c_smbus_xfer(adap, addr, 0, rw, cmd, size, d);
		if (rc != -ENXIO || time_after(jiffies, until))
			return rc;
		usleep_range(1000, 2000);
	}
}

int lx_i2c_read(struct i2c_adapter *adap, u16 addr, u8 offset, u8 *buf, int len, bool block)
{
	int done = 0;
	if (!i2c_check_functionality(adap, block ? I2C_FUNC_SMBUS_READ_I2C_BLOCK : I2C_FUNC_SMBUS_READ_BYTE_DATA))
		return -EOPNOTSUPP;
	while (done < len && offset + done <= 0xff) {
		union i2c_smbus_data d = {}; /* a byte the adapter does not deliver reads 0 */
		int n = min(len - done, I2C_SMBUS_BLOCK_MAX);
		s32 rc;
		n = min(n, 0x100 - (offset + done));
		if (block) {
			d.block[0] = (u8)n;
			rc = lx_i2c_xfer(adap, addr, I2C_SMBUS_READ, (u8)(offset + done), I2C_SMBUS_I2C_BLOCK_DATA, &d);
			if (rc < 0)
				return done ? done : rc;
			memcpy(buf + done, &d.block[1], min_t(int, d.block[0], n));
			done += min_t(int, d.block[0], n);
			if (!d.block[0])
				return done ? done : -EIO;
		} else {
			rc = lx_i2c_xfer(adap, addr, I2C_SMBUS_READ, (u8)(offset + done), I2C_SMBUS_BYTE_DATA, &d);
			if (rc < 0)
				return done ? done : rc;
			buf[done++] = d.byte;
		}
	}
	return done;
}

int lx_i2c_write(struct i2c_adapter *adap, u16 addr, u8 offset, const u8 *buf, int len)
{
	int done;
	if (!i2c_check_functionality(adap, I2C_FUNC_SMBUS_WRITE_BYTE_DATA))
		return -EOPNOTSUPP;
	for (done = 0; done < len && offset + done <= 0xff; done++) {
		union i2c_smbus_data d = {.byte = buf[done]};
		s32 rc = lx_i2c_xfer(adap, addr, I2C_SMBUS_WRITE, (u8)(offset + done), I2C_SMBUS_BYTE_DATA, &d);
		if (rc < 0)
			return done ? done : rc;
	}
	return done;
}

/* ---- the command line's requests ------------------------------------------------------------- */

static int lx_i2c_queue(char *path, bool write, u8 offset, const u8 *data, int len)
{
	struct lx_i2c_req *r = kzalloc(sizeof(*r), GFP_KERNEL);
	char *mode = strchr(path, ':');
	if (!r)
		return -ENOMEM;
	if (mode && !write) {
		*mode++ = 0;
		r->block = !strcmp(mode, "block");
		if (!r->block && strcmp(mode, "byte")) {
			kfree(r);
			return -EINVAL;
		}
	}
	if (lx_i2c_path(path, &r->nr, &r->addr)) {
		kfree(r);
		return -EINVAL;
	}
	r->write = write;
	r->offset = offset;
	r->len = len;
	if (data)
		memcpy(r->data, data, len);
	list_add_tail(&r->node, &lx_i2c_reqs);
	return 0;
}

int lx_i2c_option(bool set, const char *value)
{
	char buf[600], *tok = buf;
	if (strscpy(buf, value, sizeof(buf)) < 0)
		return -EINVAL;
	if (!set) {
		for (;;) {
			char *comma = strchr(tok, ',');
			if (comma)
				*comma = 0;
			if (lx_i2c_queue(tok, false, 0, NULL, 256))
				return -EINVAL;
			if (!comma)
				return 0;
			tok = comma + 1;
		}
	} else {
		char *off = strchr(buf, ':'), *hex;
		unsigned int o;
		u8 data[256];
		int n;
		if (!off || !(hex = strchr(off, '=')))
			return -EINVAL;
		*off++ = 0;
		*hex++ = 0;
		n = (int)strlen(hex) / 2;
		if (kstrtouint(off, 16, &o) || o > 0xff || !n || n > 256 || strlen(hex) % 2 || lx_i2c_hex(data, hex, n))
			return -EINVAL;
		return lx_i2c_queue(buf, true, (u8)o, data, n);
	}
}

static void lx_i2c_log_dump(struct i2c_adapter *adap, u16 addr, const u8 *b, int n)
{
	int i;
	for (i = 0; i < n; i += 16)
		dev_info(&adap->dev, "0x%02x %02x: %*ph\n", addr, i, min(16, n - i), b + i);
}

static void lx_i2c_task(void *arg)
{
	int nr = (int)(long)arg;
	struct i2c_adapter *adap = i2c_get_adapter(nr);
	struct lx_i2c_req *r;
	if (!adap)
		return;
	list_for_each_entry(r, &lx_i2c_reqs, node) {
		int rc;
		if (r->nr != nr)
			continue;
		if (r->write) {
			rc = lx_i2c_write(adap, r->addr, r->offset, r->data, r->len);
			if (rc == r->len)
				dev_info(&adap->dev, "0x%02x: wrote %d bytes at 0x%02x\n", r->addr, rc, r->offset);
			else
				dev_err(&adap->dev, "0x%02x: write at 0x%02x failed after %d bytes: %pe\n", r->addr,
					r->offset, rc < 0 ? 0 : rc, ERR_PTR(rc < 0 ? rc : -EIO));
			continue;
		}
		dev_info(&adap->dev, "0x%02x: reading %d bytes (%s)\n", r->addr, r->len,
			 r->block ? "I2C block reads" : "SMBus byte reads");
		rc = lx_i2c_read(adap, r->addr, r->offset, r->data, r->len, r->block);
		if (rc > 0)
			lx_i2c_log_dump(adap, r->addr, r->data, rc);
		if (rc == r->len)
			dev_info(&adap->dev, "0x%02x: %d bytes read\n", r->addr, rc);
		else
			dev_err(&adap->dev, "0x%02x: read failed after %d bytes: %pe\n", r->addr, rc < 0 ? 0 : rc,
				ERR_PTR(rc < 0 ? rc : -EIO));
	}
	i2c_put_adapter(adap);
}

static int lx_i2c_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct i2c_adapter *adap = i2c_verify_adapter(data);
	struct lx_i2c_req *r;
	(void)nb;
	if (action != BUS_NOTIFY_ADD_DEVICE || !adap || adap->nr < 0 || adap->nr > 255 ||
	    test_and_set_bit(adap->nr, lx_i2c_started))
		return NOTIFY_DONE;
	list_for_each_entry(r, &lx_i2c_reqs, node)
		if (r->nr == adap->nr) {
			/* its own task: the transfers sleep, the registering probe goes on */
			if (!lx_task_spawn("i2c-client", lx_i2c_task, (void *)(long)adap->nr))
				dev_err(&adap->dev, "no task for the client requests\n");
			break;
		}
	return NOTIFY_DONE;
}

static struct notifier_block lx_i2c_nb = {.notifier_call = lx_i2c_notify};

int lx_i2c_late_init(void);
int lx_i2c_late_init(void)
{
	if (list_empty(&lx_i2c_reqs))
		return 0;
	if (!&i2c_bus_type || !i2c_get_adapter || !i2c_smbus_xfer || !i2c_verify_adapter) {
		lx_log(KPI_LOG_ERR, "i2c: this daemon has no I2C core: the --i2c-* requests cannot run");
		return -ENODEV;
	}
	return bus_register_notifier(&i2c_bus_type, &lx_i2c_nb);
}
/* late_initcall(lx_i2c_late_init), spelled out: lx is compiled with
 * -DMODULE, where late_initcall() would make it a module's init_module.
 * The entry is what the kernel emits (a 32-bit offset, lx_initcall.c). */
__ADDRESSABLE(lx_i2c_late_init)
asm(".section \".initcall7.init\", \"a\"\n\t.long lx_i2c_late_init - .\n\t.previous");

#endif /* CONFIG_I2C */
