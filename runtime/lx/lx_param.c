/* lx_param.c: module parameters as daemon options.
 *
 * With -DMODULE, module_param() emits a struct kernel_param into section
 * __param (the linker provides __start___param/__stop___param) and
 * MODULE_PARM_DESC()/MODULE_DESCRIPTION() emit "parm=name:text" strings
 * into .modinfo (bounded by lx_sections.ld).  At start-up every parameter
 * is looked up among the name=value arguments the host left in argv and
 * set through its kernel_param_ops; --help lists them with descriptions,
 * types and current (default) values. */
#include "lx_internal.h"
#include <linux/moduleparam.h>
#include <linux/string.h>

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

int param_set_charp(const char *val, const struct kernel_param *kp)
{
	char *copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	/* the previous value may be static; the runtime never frees it */
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

static void lx_params_help(void)
{
	const struct kernel_param *kp;
	const char *desc = lx_modinfo("description", NULL);
	static char val[4096];
	lx_log(KPI_LOG_INFO, "%s%s%s", THIS_MODULE->name[0] ? THIS_MODULE->name : "driver", desc ? ": " : "",
	       desc ? desc : "");
	lx_log(KPI_LOG_INFO, "parameters (name=value):");
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
}

/* The value of name=value in argv (the last one: a later duplicate wins,
 * as on the kernel command line), or NULL. */
static const char *lx_param_arg(int argc, char **argv, const char *name)
{
	size_t len = strlen(name);
	const char *val = NULL;
	int i;
	for (i = 1; i < argc; i++)
		if (argv[i][0] != '-' && !strncmp(argv[i], name, len) && argv[i][len] == '=')
			val = argv[i] + len + 1;
	return val;
}

int lx_params_apply(int argc, char **argv)
{
	const struct kernel_param *kp;
	int i, bad = 0;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			lx_params_help();
			return 1;
		}
	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		const char *val = lx_param_arg(argc, argv, kp->name);
		int rc;
		if (!val)
			continue;
		rc = kp->ops->set(val, kp);
		if (rc) {
			lx_log(KPI_LOG_ERR, "invalid value '%s' for parameter '%s' (%pe)", val, kp->name,
			       ERR_PTR(rc));
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}
