/* lx_mem.c: memory - the kmalloc family, kmem_cache, vmalloc/kvmalloc,
 * per-CPU memory (one CPU), and devres (devm_*) on struct device.  Pages (alloc_pages,
 * __get_free_pages, struct page) are lx_page.c's.
 *
 * Everything sits on kpi_host_malloc.  Each block carries a small header in
 * front of it (its size, for ksize() and krealloc(), and a magic that
 * catches frees of foreign pointers); alignment is ARCH_KMALLOC_MINALIGN, or
 * a page for kmalloc_large and vmalloc, as drivers may rely on.
 * GFP flags do not matter (nothing sleeps in an allocation); __GFP_ZERO
 * does.  GFP_DMA/GFP_DMA32 memory is still plain heap: device-visible memory
 * comes only from the DMA API (lx_dma.c), which bounces when needed. */
#include "lx_internal.h"
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>

#define LX_MEM_MAGIC 0x6b6d656dU /* "kmem" */

struct lx_mem_hdr {
	size_t size;
	unsigned int pad; /* bytes from the host block start to the user pointer */
	unsigned int magic;
};

void *lx_alloc(size_t size, size_t align, gfp_t gfp)
{
	size_t pad;
	char *raw;
	struct lx_mem_hdr *h;
	if (align < 16)
		align = 16;
	pad = align; /* header sits in the last 16 bytes of the pad */
	if (size > (size_t)-1 / 2)
		return NULL;
	raw = kpi_host_malloc(size + pad, align);
	if (!raw)
		return NULL;
	h = (struct lx_mem_hdr *)(raw + pad) - 1;
	h->size = size;
	h->pad = (unsigned int)pad;
	h->magic = LX_MEM_MAGIC;
	if (gfp & __GFP_ZERO)
		memset(raw + pad, 0, size);
	return raw + pad;
}

static struct lx_mem_hdr *lx_hdr(const void *p)
{
	struct lx_mem_hdr *h = (struct lx_mem_hdr *)p - 1;
	if (h->magic != LX_MEM_MAGIC)
		panic("kfree/ksize of %px: not from kmalloc (or freed twice)", p);
	return h;
}

void lx_free(const void *p)
{
	struct lx_mem_hdr *h;
	if (ZERO_OR_NULL_PTR(p))
		return;
	h = lx_hdr(p);
	h->magic = 0;
	kpi_host_free((char *)p - h->pad);
}

/* ---- kmalloc ---------------------------------------------------------------------------- */

/* Read by the inline kmalloc() fast path; its kmalloc_trace() call passes the
 * size as well, so the entries can stay empty. */
struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/* The kernel's kmalloc objects sit in size classes whose slots are aligned
 * by construction: a power-of-two size up to a page is aligned to itself
 * (a documented guarantee), the small classes (8..64) to their size, and
 * every class above 64 bytes at least to a cache line.  Structs with
 * ____cacheline_aligned members that live in kzalloc'd memory (6.12's
 * page_pool, drivers' private structs) rely on it. */
static size_t lx_kmalloc_align(size_t size)
{
	if (size <= L1_CACHE_BYTES)
		return max_t(size_t, ARCH_KMALLOC_MINALIGN, roundup_pow_of_two(size));
	if (is_power_of_2(size))
		return min_t(size_t, size, PAGE_SIZE);
	return L1_CACHE_BYTES;
}

static void *lx_kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	return lx_alloc(size, lx_kmalloc_align(size), flags);
}

void *LX_FN_ALLOC(__kmalloc)(size_t size, gfp_t flags)
{
	return lx_kmalloc(size, flags);
}

void *LX_FN_ALLOC(__kmalloc_node)(LX_SIZE_PARAMS(size, b), gfp_t flags, int node)
{
	(void)node;
	return lx_kmalloc(size, flags);
}

void *LX_FN_ALLOC(__kmalloc_node_track_caller)(LX_SIZE_PARAMS(size, b), gfp_t flags, int node,
						 unsigned long caller)
{
	(void)node;
	(void)caller;
	return lx_kmalloc(size, flags);
}

void *LX_FN_kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size)
{
	(void)s;
	return lx_kmalloc(size, flags);
}

void *LX_FN_kmalloc_node_trace(struct kmem_cache *s, gfp_t flags, int node, size_t size)
{
	(void)s;
	(void)node;
	return lx_kmalloc(size, flags);
}

void *LX_FN_kmalloc_large(size_t size, gfp_t flags)
{
	return lx_alloc(size, PAGE_SIZE, flags);
}

void *LX_FN_kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	(void)node;
	return lx_alloc(size, PAGE_SIZE, flags);
}

void kfree(const void *objp)
{
	lx_free(objp);
}

void kfree_sensitive(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	memzero_explicit((void *)objp, lx_hdr(objp)->size);
	lx_free(objp);
}

size_t ksize(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	return lx_hdr(objp)->size;
}

void *LX_FN_ALLOC(krealloc)(const void *p, size_t new_size, gfp_t flags)
{
	void *n;
	size_t old;
	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	old = ZERO_OR_NULL_PTR(p) ? 0 : lx_hdr(p)->size;
	if (new_size <= old)
		return (void *)p;
	n = lx_kmalloc(new_size, flags & ~__GFP_ZERO);
	if (!n)
		return NULL;
	if (old)
		memcpy(n, p, old);
	if (flags & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	kfree(p);
	return n;
}

void *LX_FN_ALLOC(kmemdup)(const void *src, size_t len, gfp_t gfp)
{
	void *p = lx_kmalloc(len, gfp);
	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? kmemdup(s, strlen(s) + 1, gfp) : NULL;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *p;
	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = lx_kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

/* Always a copy: the runtime cannot tell .rodata from heap, so kfree_const
 * must always free. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return kstrdup(s, gfp);
}

void kfree_const(const void *x)
{
	kfree(x);
}

/* ---- kmem_cache --------------------------------------------------------------------------- */

struct kmem_cache {
	const char *name;
	unsigned int size, align;
	void (*ctor)(void *);
	long live;
};

static struct kmem_cache *lx_cache_new(const char *name, unsigned int size, unsigned int align,
				       void (*ctor)(void *))
{
	struct kmem_cache *s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->name = name;
	s->size = size;
	s->align = align < ARCH_KMALLOC_MINALIGN ? ARCH_KMALLOC_MINALIGN : align;
	s->ctor = ctor;
	return s;
}

/* The entry point depends on the version (lx_compat.h). */
#if LX_WANT_kmem_cache_create
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	(void)flags;
	return lx_cache_new(name, size, align, ctor);
}
#else
struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	(void)flags;
	return lx_cache_new(name, object_size, args ? args->align : 0, args ? args->ctor : NULL);
}
#endif

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	if (s->live)
		pr_err("kmem_cache_destroy %s: %ld objects still allocated\n", s->name, s->live);
	kfree(s);
}

void *LX_FN_ALLOC(kmem_cache_alloc)(struct kmem_cache *s, gfp_t flags)
{
	void *p = lx_alloc(s->size, s->align, flags);
	if (p) {
		s->live++;
		if (s->ctor)
			s->ctor(p);
	}
	return p;
}

void *LX_FN_ALLOC(kmem_cache_alloc_lru)(struct kmem_cache *s, struct list_lru *lru, gfp_t flags)
{
	(void)lru; /* no shrinkers: nothing reclaims objects */
	return kmem_cache_alloc(s, flags);
}

void *LX_FN_ALLOC(kmem_cache_alloc_node)(struct kmem_cache *s, gfp_t flags, int node)
{
	(void)node;
	return kmem_cache_alloc(s, flags);
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	if (!objp)
		return;
	s->live--;
	lx_free(objp);
}

/* ---- vmalloc, kvmalloc: the same heap --------------------------------------------------------- */

void *LX_FN_ALLOC(vmalloc)(unsigned long size)
{
	return lx_alloc(size, PAGE_SIZE, GFP_KERNEL);
}

void *LX_FN_ALLOC(vzalloc)(unsigned long size)
{
	return lx_alloc(size, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
}

/* lib/overflow_kunit.c checks that a size that overflowed fails here too. */
void *LX_FN_ALLOC(__vmalloc)(unsigned long size, gfp_t gfp_mask)
{
	return lx_alloc(size, PAGE_SIZE, gfp_mask);
}

void vfree(const void *addr)
{
	lx_free(addr);
}

void *LX_FN_kvmalloc_node(LX_SIZE_PARAMS(size, b), gfp_t flags, int node)
{
	(void)node;
	return lx_kmalloc(size, flags);
}

void kvfree(const void *addr)
{
	lx_free(addr);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (addr)
		memzero_explicit((void *)addr, len);
	lx_free(addr);
}

/* vmalloc and kmalloc memory are the same here; kvfree() frees both. */
bool is_vmalloc_addr(const void *x)
{
	(void)x;
	return false;
}

/* ---- per-CPU memory: one CPU, so one zeroed copy --------------------------------------------
 * Uniprocessor kernels address per-CPU data without a segment prefix
 * (this_cpu_*() are plain accesses, per_cpu_ptr() is the pointer itself),
 * so a per-CPU allocation is an ordinary zeroed block. */

#if LX_WANT___alloc_percpu
void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	return (void __percpu *)lx_alloc(size, align, gfp | __GFP_ZERO);
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu_gfp(size, align, GFP_KERNEL);
}
#else /* the two are macros over this (lx_compat.h) */
void __percpu *pcpu_alloc_noprof(size_t size, size_t align, bool reserved, gfp_t gfp)
{
	(void)reserved;
	return (void __percpu *)lx_alloc(size, align, gfp | __GFP_ZERO);
}
#endif

void free_percpu(void __percpu *ptr)
{
	lx_free((void __force *)ptr);
}

/* ---- devres --------------------------------------------------------------------------------- */

struct lx_devres {
	struct list_head node;
	void (*action)(void *data);
	void *data;
};

static void lx_devres_init(struct device *dev)
{
	if (!dev->devres_head.next)
		INIT_LIST_HEAD(&dev->devres_head);
}

int lx_devres_add(struct device *dev, void (*action)(void *data), void *data)
{
	struct lx_devres *r = lx_alloc(sizeof(*r), 16, 0);
	if (!r)
		return -ENOMEM;
	lx_devres_init(dev);
	r->action = action;
	r->data = data;
	list_add_tail(&r->node, &dev->devres_head);
	return 0;
}

int lx_devres_remove(struct device *dev, void (*action)(void *data), void *data, int run)
{
	struct lx_devres *r;
	lx_devres_init(dev);
	list_for_each_entry_reverse(r, &dev->devres_head, node) {
		if (r->action == action && r->data == data) {
			list_del(&r->node);
			if (run)
				action(data);
			lx_free(r);
			return 0;
		}
	}
	return -ENOENT;
}

void lx_devres_release_all(struct device *dev)
{
	lx_devres_init(dev);
	while (!list_empty(&dev->devres_head)) {
		struct lx_devres *r = list_last_entry(&dev->devres_head, struct lx_devres, node);
		list_del(&r->node);
		r->action(r->data);
		lx_free(r);
	}
}

/* devres groups: an opening and a closing marker in the device's list (an
 * action that is never run); releasing a group runs the actions after its
 * opening marker (up to its closing one) in reverse, as Linux does. */
static void lx_devres_group_open(void *id) { (void)id; }
static void lx_devres_group_close(void *id) { (void)id; }

void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{
	static unsigned long seq;
	(void)gfp;
	if (!id) /* a token no object address can equal */
		id = (void *)++seq;
	if (lx_devres_add(dev, lx_devres_group_open, id))
		return NULL;
	return id;
}

/* The opening marker of group id (the latest when NULL), or NULL. */
static struct lx_devres *lx_devres_group(struct device *dev, void *id)
{
	struct lx_devres *r;
	lx_devres_init(dev);
	list_for_each_entry_reverse(r, &dev->devres_head, node)
		if (r->action == lx_devres_group_open && (!id || r->data == id))
			return r;
	return NULL;
}

void devres_close_group(struct device *dev, void *id)
{
	struct lx_devres *g = lx_devres_group(dev, id);
	if (g)
		lx_devres_add(dev, lx_devres_group_close, g->data);
}

/* Drops the markers of group g (and, with run, runs and frees what lies
 * between them, last first); returns how many resources it released. */
static int lx_devres_group_end(struct device *dev, struct lx_devres *g, int run)
{
	struct lx_devres *r, *end = NULL;
	int count = 0;
	list_for_each_entry(r, &g->node, node) {
		if (&r->node == &dev->devres_head)
			break;
		if (r->action == lx_devres_group_close && r->data == g->data) {
			end = r;
			break;
		}
	}
	if (run) {
		struct list_head *stop = &g->node;
		struct list_head *pos = end ? end->node.prev : dev->devres_head.prev;
		while (pos != stop) {
			r = list_entry(pos, struct lx_devres, node);
			pos = pos->prev;
			list_del(&r->node);
			if (r->action != lx_devres_group_open && r->action != lx_devres_group_close)
				r->action(r->data), count++;
			lx_free(r);
		}
	}
	if (end) {
		list_del(&end->node);
		lx_free(end);
	}
	list_del(&g->node);
	lx_free(g);
	return count;
}

void devres_remove_group(struct device *dev, void *id)
{
	struct lx_devres *g = lx_devres_group(dev, id);
	if (g)
		lx_devres_group_end(dev, g, 0);
}

int devres_release_group(struct device *dev, void *id)
{
	struct lx_devres *g = lx_devres_group(dev, id);
	return g ? lx_devres_group_end(dev, g, 1) : 0;
}

/* Resources of the generic devres API (devres_alloc() + devres_add()): a
 * header before the caller's data, kept in the device's list as an action
 * that calls the release with the device and frees the block - released
 * last first with the device's other resources, as Linux does. */
struct lx_dr {
	dr_release_t release;
	struct device *dev;
	unsigned long long data[]; /* aligned for any scalar */
};

static struct lx_dr *lx_dr_of(void *res)
{
	return container_of((unsigned long long *)res, struct lx_dr, data[0]);
}

static void lx_dr_release(void *p)
{
	struct lx_dr *dr = p;
	if (dr->release)
		dr->release(dr->dev, dr->data);
	kfree(dr);
}

void *__devres_alloc_node(dr_release_t release, size_t size, gfp_t gfp, int nid, const char *name)
{
	struct lx_dr *dr;
	(void)nid, (void)name;
	if (size > SIZE_MAX - sizeof(*dr))
		return NULL;
	dr = kzalloc(sizeof(*dr) + size, gfp);
	if (!dr)
		return NULL;
	dr->release = release;
	return dr->data;
}

void devres_free(void *res)
{
	if (res)
		kfree(lx_dr_of(res));
}

void devres_add(struct device *dev, void *res)
{
	struct lx_dr *dr = lx_dr_of(res);
	dr->dev = dev;
	if (lx_devres_add(dev, lx_dr_release, dr)) /* Linux's devres_add cannot fail: the node is the block */
		WARN(1, "devres_add: out of memory: %ps not managed", dr->release);
}

/* The latest resource of dev released by release that match accepts. */
static struct lx_devres *lx_dr_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct lx_devres *r;
	lx_devres_init(dev);
	list_for_each_entry_reverse(r, &dev->devres_head, node) {
		struct lx_dr *dr = r->data;
		if (r->action != lx_dr_release || dr->release != release)
			continue;
		if (match && !match(dev, dr->data, match_data))
			continue;
		return r;
	}
	return NULL;
}

void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct lx_devres *r = lx_dr_find(dev, release, match, match_data);
	return r ? ((struct lx_dr *)r->data)->data : NULL;
}

void *devres_remove(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct lx_devres *r = lx_dr_find(dev, release, match, match_data);
	void *res;
	if (!r)
		return NULL;
	res = ((struct lx_dr *)r->data)->data;
	list_del(&r->node);
	lx_free(r);
	return res;
}

int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);
	if (!res)
		return -ENOENT;
	devres_free(res);
	return 0;
}

int devres_release(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);
	if (!res)
		return -ENOENT;
	release(dev, res);
	devres_free(res);
	return 0;
}

/* new_res added unless a resource of its release that match accepts is
 * there already; then new_res is freed and the old one returned. */
void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data)
{
	struct lx_dr *dr = lx_dr_of(new_res);
	void *old = devres_find(dev, dr->release, match, match_data);
	if (old) {
		devres_free(new_res);
		return old;
	}
	devres_add(dev, new_res);
	return new_res;
}

static void lx_devres_kfree(void *p)
{
	kfree(p);
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	void *p = lx_kmalloc(size, gfp);
	if (!p || p == ZERO_SIZE_PTR)
		return p;
	if (lx_devres_add(dev, lx_devres_kfree, p)) {
		kfree(p);
		return NULL;
	}
	return p;
}

void devm_kfree(struct device *dev, const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	WARN_ON(lx_devres_remove(dev, lx_devres_kfree, (void *)p, 1));
}

void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp)
{
	void *p = devm_kmalloc(dev, len, gfp);
	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp)
{
	return s ? devm_kmemdup(dev, s, strlen(s) + 1, gfp) : NULL;
}

char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
{
	char *p = kvasprintf(gfp, fmt, ap);
	if (p && lx_devres_add(dev, lx_devres_kfree, p)) {
		kfree(p);
		return NULL;
	}
	return p;
}

char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	p = devm_kvasprintf(dev, gfp, fmt, ap);
	va_end(ap);
	return p;
}

LX_DEFINE_DEVM_ADD_ACTION(dev, action, data) /* the name depends on the version: lx_compat.h */
{
	return lx_devres_add(dev, action, data);
}

void devm_remove_action(struct device *dev, void (*action)(void *), void *data)
{
	WARN_ON(lx_devres_remove(dev, action, data, 0));
}

void devm_release_action(struct device *dev, void (*action)(void *), void *data)
{
	WARN_ON(lx_devres_remove(dev, action, data, 1));
}

static void lx_devres_free_percpu(void *p)
{
	free_percpu((void __percpu *)p);
}

void __percpu *__devm_alloc_percpu(struct device *dev, size_t size, size_t align)
{
	void __percpu *p = __alloc_percpu(size, align);
	if (p && lx_devres_add(dev, lx_devres_free_percpu, (void __force *)p)) {
		free_percpu(p);
		return NULL;
	}
	return p;
}

void devm_free_percpu(struct device *dev, void __percpu *pdata)
{
	WARN_ON(lx_devres_remove(dev, lx_devres_free_percpu, (void __force *)pdata, 1));
}

/* ---- memory statistics --------------------------------------------------------------------- */

/* A daemon has no view of the system's RAM and no say over it: si_meminfo
 * reports a fixed 1 GiB, all of it free and low memory, which is what
 * sizes caches after it (TTM caps its page pools at half). */
#define LX_MEMINFO_BYTES (1ul << 30)

void si_meminfo(struct sysinfo *val)
{
	memset(val, 0, sizeof(*val));
	val->totalram = LX_MEMINFO_BYTES >> PAGE_SHIFT;
	val->freeram = val->totalram;
	val->mem_unit = PAGE_SIZE;
}
