/* fuzz_idtable_prelude.h: force-included before every input of
 * fuzz_idtable.c (-include).  Written for kpiport, not taken from Linux: just
 * enough declarations for the shapes translator/kp_analyze_module.c reads
 * out of a -DMODULE compile - *_device_id structs (integer, enum and char
 * array fields), the MODULE_DEVICE_TABLE alias, kernel_param records,
 * modinfo strings and the module_init/module_exit test functions - so the
 * seeds and their mutations stay short. */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long kernel_ulong_t;
typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

struct pci_device_id {
	__u32 vendor, device;
	__u32 subvendor, subdevice;
	__u32 class, class_mask;
	kernel_ulong_t driver_data;
	__u32 override_only;
};

enum fuzz_kind { FUZZ_A = -1, FUZZ_B = 7, FUZZ_C = 0x7fffffff };
struct fz_device_id {
	char name[8];
	signed char level;
	short s;
	enum fuzz_kind kind;
	unsigned long long wide;
	const void *data;
};

#define PCI_ANY_ID (~0)
#define PCI_DEVICE(v, d) .vendor = (v), .device = (d), .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_DEVICE_CLASS(c, m) .vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, \
	.subdevice = PCI_ANY_ID, .class = (c), .class_mask = (m)
#define MODULE_DEVICE_TABLE(bus, tab) \
	extern __typeof__(tab) __mod_##bus##__##tab##_device_table __attribute__((unused, alias(#tab)))

struct kernel_param_ops {
	int (*set)(const char *val, const void *kp);
};
struct kparam_array {
	unsigned int max, elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};
struct kernel_param {
	const char *name;
	void *mod;
	const struct kernel_param_ops *ops;
	unsigned short perm;
	signed char level;
	unsigned char flags;
	union {
		void *arg;
		const struct kparam_array *arr;
	};
};
extern const struct kernel_param_ops param_ops_int, param_ops_bool, param_ops_charp;
#define module_param(n, type, perm) \
	static const struct kernel_param __param_##n = {#n, 0, &param_ops_##type, perm, -1, 0, {&n}}
#define module_param_array(n, type, nump, perm)                                                   \
	static const struct kparam_array __param_arr_##n = {.max = sizeof(n) / sizeof((n)[0]),       \
		.elemsize = sizeof((n)[0]), .num = nump, .ops = &param_ops_##type, .elem = n};       \
	static const struct kernel_param __param_##n = {#n, 0, 0, perm, -1, 0, {.arr = &__param_arr_##n}}
#define FUZZ_CAT2(a, b) a##b
#define FUZZ_CAT(a, b) FUZZ_CAT2(a, b)
#define MODULE_INFO(tag, text) \
	static const char FUZZ_CAT(__UNIQUE_ID_##tag, __COUNTER__)[] __attribute__((used)) = #tag "=" text
#define MODULE_PARM_DESC(p, d) MODULE_INFO(parm, #p ":" d)
#define MODULE_LICENSE(l) MODULE_INFO(license, l)
#define module_init(fn) \
	static inline initcall_t __inittest(void) { return fn; } int init_module(void) __attribute__((alias(#fn)))
#define module_exit(fn) \
	static inline exitcall_t __exittest(void) { return fn; } void cleanup_module(void) __attribute__((alias(#fn)))
