/* lx_param.c: the daemon's command line - module parameters as Linux
 * has them, and lx's own options.
 *
 * With -DMODULE, module_param() emits a struct kernel_param into section
 * __param (the linker provides __start___param/__stop___param) and
 * MODULE_PARM_DESC()/MODULE_DESCRIPTION() emit "parm=name:text" strings
 * into .modinfo (bounded by lx_sections.ld).
 *
 * The host backend took its own options out of argv (kpi_host_init);
 * everything left is lx's.  lx_args.c classifies each argument (pure code,
 * fuzzed on its own); this file applies the result the way modprobe and
 * the kernel treat module parameters: name=value is set through the
 * parameter's kernel_param_ops in argv order, so a later duplicate wins;
 * `name` alone sets a bool; a parameter nobody declared is reported
 * ("unknown parameter 'x' ignored", with the nearest real name) and is an
 * error under --strict; a malformed value, an unknown --option and an
 * option without its value are errors naming the argument.  Errors end the
 * daemon with KPI_EXIT_USAGE before init.  lx_opts below is the one table
 * of lx's options; --help prints it with the parameters' descriptions,
 * types and current (default) values. */
#include "lx_internal.h"
#include <linux/fb.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <redox/kpi_main.h>
#include "lx_args.h"

extern const struct kernel_param __start___param[] __attribute__((weak));
extern const struct kernel_param __stop___param[] __attribute__((weak));
extern const char __kpi_modinfo_start[] __attribute__((weak));
extern const char __kpi_modinfo_end[] __attribute__((weak));

/* ---- the standard types --------------------------------------------------------------------------- */

#define LX_PARAM_NUM(name, type, parse, fmt)                                        \
	int param_set_##name(const char *val, const struct kernel_param *kp)        \
	{                                                                           \
		return parse(val, 0, (type *)kp->arg);                              \
	}                                                                           \
	int param_get_##name(char *buffer, const struct kernel_param *kp)           \
	{                                                                           \
		return scnprintf(buffer, 4096, fmt "\n", *((type *)kp->arg));      \
	}                                                                           \
	const struct kernel_param_ops param_ops_##name = {                          \
		.set = param_set_##name,                                            \
		.get = param_get_##name,                                            \
	};

LX_PARAM_NUM(byte, unsigned char, kstrtou8, "%hhu")
LX_PARAM_NUM(short, short, kstrtos16, "%hi")
LX_PARAM_NUM(ushort, unsigned short, kstrtou16, "%hu")
LX_PARAM_NUM(int, int, kstrtoint, "%i")
LX_PARAM_NUM(uint, unsigned int, kstrtouint, "%u")
LX_PARAM_NUM(long, long, kstrtol, "%li")
LX_PARAM_NUM(ulong, unsigned long, kstrtoul, "%lu")
LX_PARAM_NUM(ullong, unsigned long long, kstrtoull, "%llu")

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	if (!val) /* "name" alone means true, as on the kernel command line */
		val = "1";
	return kstrtobool(val, kp->arg);
}

int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_bool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool,
	.get = param_get_bool,
};

/* charp values lx allocated (Linux keeps the same list, kmalloced_params):
 * a later value of the same parameter (a duplicate on the command line)
 * frees the one it replaces; a static default is never freed. */
static char *lx_charp_owned[32];

int param_set_charp(const char *val, const struct kernel_param *kp)
{
	char *copy = kstrdup(val, GFP_KERNEL), *old = *(char **)kp->arg;
	int i, slot = -1;
	if (!copy)
		return -ENOMEM;
	for (i = 0; i < (int)ARRAY_SIZE(lx_charp_owned); i++) {
		if (old && lx_charp_owned[i] == old) {
			kfree(old);
			lx_charp_owned[i] = NULL;
		}
		if (!lx_charp_owned[i] && slot < 0)
			slot = i;
	}
	if (slot >= 0) /* else: never freed, like the first value of every parameter once was */
		lx_charp_owned[slot] = copy;
	*(char **)kp->arg = copy;
	return 0;
}

int param_get_charp(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%s\n", *((char **)kp->arg) ? *((char **)kp->arg) : "(null)");
}

const struct kernel_param_ops param_ops_charp = {
	.set = param_set_charp,
	.get = param_get_charp,
};

int param_set_copystring(const char *val, const struct kernel_param *kp)
{
	const struct kparam_string *kps = kp->str;
	if (strlen(val) + 1 > kps->maxlen)
		return -ENOSPC;
	strcpy(kps->string, val);
	return 0;
}

int param_get_string(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%s\n", kp->str->string);
}

const struct kernel_param_ops param_ops_string = {
	.set = param_set_copystring,
	.get = param_get_string,
};

/* name=a,b,c: each element through the element ops */
static int lx_param_array_set(const char *val, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	struct kernel_param elem = *kp;
	char tmp[64];
	unsigned int n = 0;
	while (*val && n < arr->max) {
		size_t len = strcspn(val, ",");
		int rc;
		if (len >= sizeof(tmp))
			return -ENOSPC;
		memcpy(tmp, val, len);
		tmp[len] = 0;
		elem.arg = (char *)arr->elem + arr->elemsize * n;
		rc = arr->ops->set(tmp, &elem);
		if (rc)
			return rc;
		n++;
		val += len;
		if (*val == ',')
			val++;
	}
	if (*val)
		return -EINVAL;
	if (arr->num)
		*arr->num = n;
	return 0;
}

static int lx_param_array_get(char *buffer, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	struct kernel_param elem = *kp;
	unsigned int i, n = arr->num ? *arr->num : arr->max;
	int off = 0;
	for (i = 0; i < n && off < 4000; i++) {
		int len;
		elem.arg = (char *)arr->elem + arr->elemsize * i;
		if (i)
			buffer[off++] = ',';
		len = arr->ops->get(buffer + off, &elem);
		if (len < 0)
			return len;
		off += len;
		if (off && buffer[off - 1] == '\n')
			off--;
	}
	buffer[off++] = '\n';
	buffer[off] = 0;
	return off;
}

const struct kernel_param_ops param_array_ops = {
	.set = lx_param_array_set,
	.get = lx_param_array_get,
};

/* ---- .modinfo ------------------------------------------------------------------------------------ */

/* The text of "<key>=<name>:<text>" for name, or NULL. */
static const char *lx_modinfo(const char *key, const char *name)
{
	const char *p = __kpi_modinfo_start, *end = __kpi_modinfo_end;
	size_t klen = strlen(key), nlen = name ? strlen(name) : 0;
	if (!p || !end)
		return NULL;
	while (p < end) {
		size_t len = strnlen(p, end - p);
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			if (!name)
				return v;
			if (!strncmp(v, name, nlen) && v[nlen] == ':')
				return v + nlen + 1;
		}
		p += len + 1;
	}
	return NULL;
}

/* ---- the command line -------------------------------------------------------------------------- */

enum { LX_OPT_HELP, LX_OPT_LIST_IDS, LX_OPT_STRICT, LX_OPT_WDT_STOP_AFTER, LX_OPT_WDT_NO_START, LX_OPT_I2C_DUMP,
       LX_OPT_I2C_SET, LX_OPT_ONCE };

/* Every option of lx (the host backend's own, e.g. --pci=, are gone by now). */
static const struct lx_opt lx_opts[] = {
	{"--help", NULL, "list the module parameters and these options, then exit", LX_OPT_HELP},
	{"-h", NULL, NULL, LX_OPT_HELP},
	{"--list-ids", NULL, "print the driver's PCI ID tables instead of probing, then exit", LX_OPT_LIST_IDS},
	{"--strict", NULL, "an unknown module parameter is an error (exit 2), not a warning", LX_OPT_STRICT},
	{"--wdt-stop-after", "SECONDS", "watchdog: stop the keep-alive pings SECONDS after the start",
	 LX_OPT_WDT_STOP_AFTER},
	{"--wdt-no-start", NULL, "watchdog: register it only, do not start it", LX_OPT_WDT_NO_START},
	{"--once", NULL, "run init, then exit, then stop (test modules); exit 1 if init failed or a WARN fired",
	 LX_OPT_ONCE},
#if IS_ENABLED(CONFIG_I2C) /* lx_i2c.c: the daemon's I2C clients */
	{"--i2c-dump", "ADAPTER/ADDR[:block][,...]",
	 "i2c: read 256 bytes of each device once its adapter registers (hex log; byte or I2C block reads)",
	 LX_OPT_I2C_DUMP},
	{"--i2c-set", "ADAPTER/ADDR:OFFSET=HEX", "i2c: write the bytes at OFFSET once the adapter registers",
	 LX_OPT_I2C_SET},
#endif
};

static const char *lx_kp_name(const void *ctx, int i)
{
	(void)ctx;
	return __start___param[i].name;
}

static int lx_kp_noarg(const void *ctx, int i)
{
	(void)ctx;
	return !!(__start___param[i].ops->flags & KERNEL_PARAM_OPS_FL_NOARG);
}

static void lx_params_help(void)
{
	const struct kernel_param *kp;
	const char *desc = lx_modinfo("description", NULL);
	static char val[4096];
	int i;
	lx_log(KPI_LOG_INFO, "%s%s%s", THIS_MODULE->name[0] ? THIS_MODULE->name : "driver", desc ? ": " : "",
	       desc ? desc : "");
	lx_log(KPI_LOG_INFO, "parameters (name=value; a bool also as name alone):");
	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		const char *text = lx_modinfo("parm", kp->name);
		const char *type = lx_modinfo("parmtype", kp->name);
		int n = kp->ops->get ? kp->ops->get(val, kp) : 0;
		if (n > 0 && val[n - 1] == '\n')
			val[n - 1] = 0;
		else if (n <= 0)
			val[0] = 0;
		lx_log(KPI_LOG_INFO, "  %s (%s, default %s): %s", kp->name, type ? type : "?", val,
		       text ? text : "(no description)");
	}
	lx_log(KPI_LOG_INFO, "options:");
	for (i = 0; i < (int)ARRAY_SIZE(lx_opts); i++)
		if (lx_opts[i].help)
			lx_log(KPI_LOG_INFO, "  %s%s%s: %s", lx_opts[i].name, lx_opts[i].value ? "=" : "",
			       lx_opts[i].value ? lx_opts[i].value : "", lx_opts[i].help);
}

/* "did you mean" text for a suggestion (or ""), in buf. */
static const char *lx_suggestion(char *buf, size_t size, const char *name)
{
	if (!name)
		return "";
	lx_snprintf(buf, size, " (did you mean '%s'?)", name);
	return buf;
}

static void lx_list_options(void)
{
	char list[256];
	int i, off = 0;
	for (i = 0; i < (int)ARRAY_SIZE(lx_opts); i++)
		if (lx_opts[i].help)
			off += scnprintf(list + off, sizeof(list) - off, "%s%s%s%s", off ? ", " : "", lx_opts[i].name,
					 lx_opts[i].value ? "=" : "", lx_opts[i].value ? lx_opts[i].value : "");
	lx_log(KPI_LOG_ERR, "valid options: %s; module parameters are name=value (--help lists them)", list);
}

/* One option of lx: 0, or -1 after logging why its value is wrong. */
static int lx_option(const struct lx_opt *o, const char *value, int *help, int *strict, unsigned int *stop_after,
		     int *no_start)
{
	switch (o->id) {
	case LX_OPT_HELP:
		*help = 1;
		break;
	case LX_OPT_LIST_IDS:
		lx_pci_list_ids = 1;
		break;
	case LX_OPT_STRICT:
		*strict = 1;
		break;
	case LX_OPT_WDT_STOP_AFTER:
		if (kstrtouint(value, 10, stop_after)) {
			lx_log(KPI_LOG_ERR, "invalid value '%s' for option '%s' (want %s)", value, o->name, o->value);
			return -1;
		}
		break;
	case LX_OPT_WDT_NO_START:
		*no_start = 1;
		break;
	case LX_OPT_ONCE:
		lx_once = 1;
		break;
#if IS_ENABLED(CONFIG_I2C)
	case LX_OPT_I2C_DUMP:
	case LX_OPT_I2C_SET:
		if (lx_i2c_option(o->id == LX_OPT_I2C_SET, value)) {
			lx_log(KPI_LOG_ERR, "invalid value '%s' for option '%s' (want %s)", value, o->name, o->value);
			return -1;
		}
		break;
#endif
	}
	return 0;
}

int lx_args_apply(int argc, char **argv, int *status)
{
	const int nparams = __start___param ? (int)(__stop___param - __start___param) : 0;
	const struct lx_arg_params params = {nparams, lx_kp_name, lx_kp_noarg, NULL};
	int i, errors = 0, bad_option = 0, help = 0, strict = 0, no_start = 0;
	unsigned int stop_after = 0;
	char hint[96];
	struct lx_arg a;
	lx_pci_list_ids = 0;
	lx_once = 0;
	/* lx's options first: --strict decides how unknown parameters count */
	for (i = 1; i < argc; i++) {
		const struct lx_opt *o;
		lx_arg_classify(argv[i], lx_opts, ARRAY_SIZE(lx_opts), &params, &a);
		o = a.index >= 0 && a.kind != LX_ARG_PARAM && a.kind != LX_ARG_PARAM_NO_VALUE ? &lx_opts[a.index] : NULL;
		switch (a.kind) {
		case LX_ARG_OPTION:
			if (lx_option(o, a.value, &help, &strict, &stop_after, &no_start))
				errors++;
			break;
		case LX_ARG_BAD_OPTION:
			lx_log(KPI_LOG_ERR, "unknown option '%.*s'%s", a.name_len, argv[i],
			       lx_suggestion(hint, sizeof(hint), a.suggest >= 0 ? lx_opts[a.suggest].name : NULL));
			errors++, bad_option = 1;
			break;
		case LX_ARG_OPT_NO_VALUE:
			lx_log(KPI_LOG_ERR, "option '%s' needs a value: %s=%s", o->name, o->name, o->value);
			errors++;
			break;
		case LX_ARG_OPT_EXTRA_VALUE:
			lx_log(KPI_LOG_ERR, "option '%s' takes no value (got '%s')", o->name, argv[i]);
			errors++;
			break;
		default:
			break;
		}
	}
	if (bad_option)
		lx_list_options();
	if (help && !errors) {
		lx_params_help();
		*status = 0;
		return 1;
	}
	/* then the parameters, each in turn: a later duplicate wins, as on the kernel command line */
	for (i = 1; i < argc; i++) {
		const struct kernel_param *kp;
		int rc;
		lx_arg_classify(argv[i], lx_opts, ARRAY_SIZE(lx_opts), &params, &a);
		kp = a.index >= 0 ? &__start___param[a.index] : NULL;
		if (a.kind == LX_ARG_PARAM) {
			rc = kp->ops->set(a.value, kp);
			if (rc) {
				lx_log(KPI_LOG_ERR, "invalid value '%s' for parameter '%s' (%pe)", a.value ? a.value : "",
				       kp->name, ERR_PTR(rc));
				errors++;
			}
		} else if (a.kind == LX_ARG_PARAM_NO_VALUE) {
			lx_log(KPI_LOG_ERR, "parameter '%s' needs a value: %s=VALUE", kp->name, kp->name);
			errors++;
		} else if (a.kind == LX_ARG_UNKNOWN) {
			const char *close_name = a.suggest >= 0 ? __start___param[a.suggest].name : NULL;
			if (strict)
				lx_log(KPI_LOG_ERR, "unknown parameter '%.*s'%s (--strict)", a.name_len, argv[i],
				       lx_suggestion(hint, sizeof(hint), close_name));
			else
				lx_log(KPI_LOG_WARNING, "%s: unknown parameter '%.*s' ignored%s", THIS_MODULE->name,
				       a.name_len, argv[i], lx_suggestion(hint, sizeof(hint), close_name));
			errors += strict;
		}
	}
	if (errors) {
		*status = KPI_EXIT_USAGE;
		return 1;
	}
	lx_watchdog_options(stop_after, no_start);
	return 0;
}

#ifdef CONFIG_SYSFS
/* The lock writers of module parameters take (kernel/params.c): one module here. */
static DEFINE_MUTEX(lx_param_lock);

void kernel_param_lock(struct module *mod)
{
	(void)mod;
	mutex_lock(&lx_param_lock);
}

void kernel_param_unlock(struct module *mod)
{
	(void)mod;
	mutex_unlock(&lx_param_lock);
}
#endif


/* The default video mode option of fbdev drivers (the fbdev core's
 * fb_cmdline.c sets it from video=; gone by 6.12): none. */
const char *fb_mode_option;

/* The kernel command line's video=<connector>:<mode> options: a daemon
 * has no kernel command line, so no connector has one (DRM then probes the
 * modes as without the option). */
int fb_get_options(const char *name, char **option)
{
	(void)name;
	if (option)
		*option = NULL;
	return 0;
}

/* The sysfs show() of MODULE_VERSION in built-in code (an import compiled
 * without MODULE: kernel/params.c's); nothing reads it without sysfs. */
ssize_t __modver_version_show(struct module_attribute *mattr, struct module_kobject *mk, char *buf)
{
	struct module_version_attribute *vattr = container_of(mattr, struct module_version_attribute, mattr);
	(void)mk;
	return scnprintf(buf, PAGE_SIZE, "%s\n", vattr->version);
}
