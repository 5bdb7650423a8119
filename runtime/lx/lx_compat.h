/* lx_compat.h: the ONE place where runtime/lx adapts to the kernel version
 * of the tree it is built against.
 *
 * lx is compiled with the real headers of the port's kernel build dir, and
 * the kernel's internal API changes every release.  Where lx's code must
 * differ between versions it says so through this file only:
 *   LX_FN_<name>      the name lx defines for an API whose out-of-line
 *                     function was renamed (the old name became a macro or
 *                     an inline over the new one)
 *   LX_WANT_<name>    1 when lx must define <name> (the tree declares it
 *                     out of line), 0 when the tree's headers provide it
 *   LX_CONST_<what>   `const` where the tree constified a parameter
 *   LX_<what>_T       a type that was renamed
 *   LX_INC_<what>     a header that moved (#include LX_INC_<what>)
 *   LX_DEFINE_/lx_*   a definition or small helper whose body differs
 * Each adaptation keys on a probe (LX_HAVE_<name>), not on a version
 * number, and names the kernel change that made it necessary.  Where no
 * probe can see a change (a meaning, not a declaration) LINUX_VERSION_CODE
 * decides, and the comment says why.
 *
 * Probes: the section under `#ifdef LX_PROBE` at the end, one block per
 * probe, each introduced by a comment line
 *     probe <name> v<release>[,<stable>][ if CONFIG_X]: <what changed>
 * and compiling only when the tree has the newer API, in the manner of
 * Linux backports' compat checks.  A no_<name> block tests for the OLD API
 * instead, so its LX_HAVE_ becomes 1 once that is gone (C accepts a plain
 * redeclaration of a static inline function, so "now out of line" is
 * probed by redeclaring it static in a no_ block, or through the function
 * it used to wrap).  `,<stable>` names a stable release of an older series
 * that got the change by backport (v6.17,6.12.117: 6.17 and later, and
 * 6.12.117 and later 6.12.y); `if CONFIG_X` marks a declaration the tree
 * has only with that option (without it nothing is adapted or checked).
 *
 * cmake/KpiLxCompat.cmake compiles the probes against the port's kernel
 * build dir with lx's own flags and writes lx_compat_probed.h
 * (LX_HAVE_<name> 0|1) into the build dir; `kpiport port` runs the same
 * step and lists the applied adaptations in report.md and report.json.
 * The release in a probe's line is checked on every tree the step runs on
 * (a v6.2 probe must fail on 6.1 and compile on 6.12), so a probe that
 * tests the wrong thing fails the build instead of choosing silently.  The
 * tests use 6.1 and 6.12, which checks every release against those two
 * trees; a release in between may need a probe split.
 * Adding a Linux version: runtime/lx/README.md, "Another Linux version".
 *
 * Kernel-header world (included by lx_internal.h, after the kernel headers
 * it includes; by the lx tests that check version-dependent internals);
 * never libc.  No Linux code is copied here: the probes name the kernel's
 * declarations, they do not repeat them. */
#ifndef LX_COMPAT_H
#define LX_COMPAT_H

#ifndef LX_PROBE
#include <linux/version.h>
#include "lx_compat_probed.h" /* generated: LX_HAVE_<name> for every probe below */

/* ---- x86 `current` and the preempt count -------------------------------------------------------
 * v6.2 (x86 call-depth tracking: "x86/percpu: Move current_task to percpu
 * hot section", then preempt_count next to it): both live in struct
 * pcpu_hot instead of the per-CPU variables current_task and
 * __preempt_count.  lx keeps `current` by writing it (lx_internal.h); with
 * CONFIG_SMP off a per-CPU variable is a plain global either way. */
#if LX_HAVE_pcpu_hot
#define lx_current_task (pcpu_hot.current_task)
#define LX_DEFINE_CPU_STATE(task)                                                                        \
	DEFINE_PER_CPU_ALIGNED(struct pcpu_hot, pcpu_hot) = {.current_task = (task),                       \
							     .preempt_count = INIT_PREEMPT_COUNT}
#else
#define lx_current_task (current_task)
#define LX_DEFINE_CPU_STATE(task)                                                                        \
	DEFINE_PER_CPU(struct task_struct *, current_task) = (task);                                       \
	DEFINE_PER_CPU(int, __preempt_count) = INIT_PREEMPT_COUNT
#endif

/* ---- x86 CPU identification (lx_cpu.c) ------------------------------------------------------------
 * v6.7 ("x86/cpu: Encapsulate topology information in cpuinfo_x86"): the
 * APIC ids moved into cpuinfo_x86.topo.  v6.9 (the topology rework that
 * gave __num_cores_per_package): cpuinfo_x86.x86_max_cores is gone. */
#if LX_HAVE_cpu_topo
#define LX_CPU_APICID(c) ((c)->topo.apicid)
#define LX_CPU_INITIAL_APICID(c) ((c)->topo.initial_apicid)
#else
#define LX_CPU_APICID(c) ((c)->apicid)
#define LX_CPU_INITIAL_APICID(c) ((c)->initial_apicid)
#endif
#define LX_WANT_x86_max_cores (!LX_HAVE_no_x86_max_cores)
/* v6.7 (the same topology rework, as far as can be told from 6.1 and 6.12):
 * cpu_info is a per-CPU variable on uniprocessor kernels too, where it
 * used to be a macro for boot_cpu_data. */
#define LX_WANT_cpu_info LX_HAVE_cpu_info_percpu

/* ---- workqueues (lx_workqueue.c) -------------------------------------------------------------------
 * v6.9 ("workqueue: Implement BH workqueues ..."): system_bh_wq and
 * system_bh_highpri_wq.  v6.17, and 6.12.y stable by backport ("workqueue:
 * Add system_percpu_wq and system_dfl_wq"): the inline schedule_work()
 * queues on system_percpu_wq. */
#define LX_WANT_system_bh_wq LX_HAVE_system_bh_wq
#define LX_WANT_system_percpu_wq LX_HAVE_system_percpu_wq

/* ---- strings (lx_string.c) -----------------------------------------------------------------------
 * v6.8 ("string: Allow 2-argument strscpy()"): strscpy() and strscpy_pad()
 * are macros; the out-of-line function is sized_strscpy(), and the _pad
 * variant is all macro. */
#if LX_HAVE_sized_strscpy
#define LX_FN_strscpy sized_strscpy
#define LX_WANT_strscpy_pad 0
#else
#define LX_FN_strscpy strscpy
#define LX_WANT_strscpy_pad 1
#endif
/* ---- device classes (lx_fs.c) ----------------------------------------------------------------------
 * v6.4 ("driver core: class: remove module * from class_create()"):
 * class_create(name) is the function, __class_create() is gone; the
 * driver-core constification of the same series made the struct class
 * arguments of class_destroy() and the class file helpers const. */
#if LX_HAVE_class_const
#define LX_CONST_class const
#else
#define LX_CONST_class
#endif

/* v6.11 (the driver core's constification of drivers): driver_attach()
 * takes a const struct device_driver (lx_device.c). */
#if LX_HAVE_driver_attach_const
#define LX_CONST_DRIVER const
#else
#define LX_CONST_DRIVER
#endif

/* v6.4 (the driver core's constification of bus types): platform_bus_type
 * is const (lx_platform.c defines it). */
#if LX_HAVE_platform_bus_const
#define LX_CONST_PLATFORM_BUS const
#else
#define LX_CONST_PLATFORM_BUS
#endif

/* v6.11 ("seq_file: Optimize seq_puts()"): seq_puts() is an inline that
 * ends in __seq_puts() (lx_seq.c defines whichever is out of line). */
#if LX_HAVE_seq_puts_inline
#define LX_FN_seq_puts __seq_puts
#else
#define LX_FN_seq_puts seq_puts
#endif

/* v6.8 ("string: Remove strlcpy()"): strlcpy() is gone. */
#define LX_WANT_strlcpy (!LX_HAVE_no_strlcpy)

/* v6.12 (5f60d5f6bbc1 "move asm/unaligned.h to linux/unaligned.h"). */
#if LX_HAVE_linux_unaligned
#define LX_INC_UNALIGNED "linux/unaligned.h" /* quoted: gnu11 predefines `linux` */
#else
#define LX_INC_UNALIGNED "asm/unaligned.h"
#endif

/* ---- page_pool (lx_page_pool.c) ------------------------------------------------------------------
 * v6.6 ("page_pool: split types and declarations from page_pool.h"). */
#if LX_HAVE_page_pool_split
#define LX_INC_PAGE_POOL "net/page_pool/helpers.h"
#else
#define LX_INC_PAGE_POOL "net/page_pool.h"
#endif
/* v6.12 (page_pool on netmem, with devmem TCP): pages are also netmem_ref
 * handles (page_pool_put_unrefed_netmem, page_pool_alloc_netmems,
 * init_callback and napi_pp_put_page take one).  Between 6.1 and it: v6.5
 * hid page_pool_release_page(); v6.6 split the parameters into a fast
 * half (pool->p) and a slow one (flags, init_callback); v6.7 dropped
 * PP_FLAG_PAGE_FRAG (every pool may fragment); v6.8 gave every pool page a
 * count of the pool's own (pp_frag_count became pp_ref_count, 1 for one
 * user) and renamed page_pool_put_defragged_page() to _put_unrefed_page().
 * lx_page_pool.c implements 6.1's API and 6.12's; a tree in between has
 * parts of each and is refused until probes for those steps exist. */
#define LX_PAGE_POOL_NETMEM LX_HAVE_page_pool_netmem
#if LX_PAGE_POOL_NETMEM /* the skb side: napi_pp_put_page() */
#define LX_INC_PAGE_POOL_SKB "linux/skbuff_ref.h"
#else
#define LX_INC_PAGE_POOL_SKB "linux/skbuff.h"
#endif
#if defined(CONFIG_PAGE_POOL) && LX_HAVE_page_pool_split && !LX_HAVE_page_pool_netmem
#error "page_pool between Linux 6.1 and 6.12 is not adapted yet: add its probes to lx_compat.h"
#endif
#if LX_PAGE_POOL_NETMEM
#define LX_PP_FLAGS(pool) ((pool)->slow.flags)
#define LX_PP_CAN_FRAG(pool) true
#define lx_pp_count(page) (&(page)->pp_ref_count)
#define lx_pp_set_dma_addr(page, dma) ((page)->dma_addr = (dma)) /* 64-bit: stored unshifted */
#define lx_pp_frag_page(pool) ((pool)->frag_page ? netmem_to_page((pool)->frag_page) : NULL)
#define lx_pp_set_frag_page(pool, page) ((pool)->frag_page = (page) ? page_to_netmem(page) : 0)
#define lx_pp_unref_last(page) (page_pool_unref_page(page, 1) == 0)
#define lx_pp_bulk_last(pool, page) lx_pp_unref_last(page)
#define LX_FN_pp_put_last page_pool_put_unrefed_page
#define LX_FN_pp_release lx_pp_release /* internal since 6.5 */
#define LX_FN_pp_release_storage static
#else
#define LX_PP_FLAGS(pool) ((pool)->p.flags)
#define LX_PP_CAN_FRAG(pool) (LX_PP_FLAGS(pool) & PP_FLAG_PAGE_FRAG)
#define lx_pp_count(page) (&(page)->pp_frag_count)
#define lx_pp_set_dma_addr page_pool_set_dma_addr
#define lx_pp_frag_page(pool) ((pool)->frag_page)
#define lx_pp_set_frag_page(pool, page) ((pool)->frag_page = (page))
#define lx_pp_unref_last(page) (page_pool_defrag_page(page, 1) == 0)
#define lx_pp_bulk_last(pool, page) page_pool_is_last_frag(pool, page)
#define LX_FN_pp_put_last page_pool_put_defragged_page
#define LX_FN_pp_release page_pool_release_page
#define LX_FN_pp_release_storage
#endif

/* ---- slab, vmalloc, pages, per-CPU memory (lx_mem.c, lx_page.c) ----------------------------------
 * v6.10 (memory allocation profiling, "mm/slab: enable slab allocation
 * tagging for kmalloc and friends" and its siblings for pages, vmalloc,
 * per-CPU memory and kmemdup): each allocator entry point is a macro
 * (alloc_hooks) over a *_noprof function, which is what lx defines. */
#if LX_HAVE_alloc_noprof
#define LX_FN_ALLOC(name) name##_noprof
#define LX_FN___get_free_pages get_free_pages_noprof
#else
#define LX_FN_ALLOC(name) name
#define LX_FN___get_free_pages __get_free_pages
#endif
/* v6.11 ("mm, slab: don't wrap internal functions with alloc_hooks()"):
 * kmalloc_trace/kmalloc_node_trace/kmalloc_large* became __kmalloc_cache*
 * and __kmalloc_large*. */
#if LX_HAVE_kmalloc_cache
#define LX_FN_kmalloc_trace __kmalloc_cache_noprof
#define LX_FN_kmalloc_node_trace __kmalloc_cache_node_noprof
#define LX_FN_kmalloc_large __kmalloc_large_noprof
#define LX_FN_kmalloc_large_node __kmalloc_large_node_noprof
#else
#define LX_FN_kmalloc_trace LX_FN_ALLOC(kmalloc_trace)
#define LX_FN_kmalloc_node_trace LX_FN_ALLOC(kmalloc_node_trace)
#define LX_FN_kmalloc_large LX_FN_ALLOC(kmalloc_large)
#define LX_FN_kmalloc_large_node LX_FN_ALLOC(kmalloc_large_node)
#endif
/* v6.11 ("slab: Introduce kmem_buckets typedef" and the kmem_buckets
 * plumbing): the size-only entry points take a bucket set too (only with
 * CONFIG_SLAB_BUCKETS; DECL_BUCKET_PARAMS says which), and kvmalloc_node()
 * is a macro over __kvmalloc_node_noprof(). */
#if LX_HAVE_kmalloc_buckets
#define LX_SIZE_PARAMS(size, b) DECL_BUCKET_PARAMS(size, b)
#define LX_FN_kvmalloc_node __kvmalloc_node_noprof
#else
#define LX_SIZE_PARAMS(size, b) size_t size
#define LX_FN_kvmalloc_node LX_FN_ALLOC(kvmalloc_node)
#endif
/* v6.10 (per-CPU allocation tagging): __alloc_percpu{,_gfp}() are macros
 * over pcpu_alloc_noprof(size, align, reserved, gfp). */
#define LX_WANT___alloc_percpu (!LX_HAVE_alloc_noprof)
/* v6.12 ("slab: create kmem_cache_create() compatibility layer"):
 * kmem_cache_create() is a macro over __kmem_cache_create_args(), which
 * takes the less common arguments in a struct kmem_cache_args. */
#define LX_WANT_kmem_cache_create (!LX_HAVE_kmem_cache_args)

/* Orders of the page allocator.  v6.8 ("mm, treewide: introduce
 * NR_PAGE_ORDERS"): the count has a name.  Before it, MAX_ORDER was the
 * count until v6.4 ("mm, treewide: redefine MAX_ORDER sanely") made it the
 * largest order: a change of meaning no declaration shows, so the version
 * decides there. */
#if LX_HAVE_nr_page_orders
#define LX_NR_PAGE_ORDERS NR_PAGE_ORDERS
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define LX_NR_PAGE_ORDERS (MAX_ORDER + 1)
#else
#define LX_NR_PAGE_ORDERS MAX_ORDER
#endif

/* A compound page: head and tails linked, order and mapcounts as Linux's
 * allocator leaves them.  v6.11 ("mm: track mapcount of large folios in
 * single value") completes the folio fields the headers' inlines read
 * (order in _flags_1, _folio_nr_pages, _large_mapcount, _entire_mapcount,
 * _nr_pages_mapped, _pincount; no compound destructor any more); before,
 * the page-based setters of 6.1 did it (set_compound_order,
 * set_compound_page_dtor, compound_mapcount_ptr, compound_pincount_ptr). */
#if LX_HAVE_folio_large_mapcount
#define lx_prep_compound_fields(head, order)                                                             \
	do {                                                                                               \
		struct folio *lx_f = (struct folio *)(head);                                               \
		lx_f->_flags_1 = (lx_f->_flags_1 & ~0xffUL) | (order);                                     \
		LX_FOLIO_NR_PAGES(lx_f, order);                                                            \
		atomic_set(&lx_f->_large_mapcount, -1);                                                    \
		atomic_set(&lx_f->_entire_mapcount, -1);                                                   \
		atomic_set(&lx_f->_nr_pages_mapped, 0);                                                    \
		atomic_set(&lx_f->_pincount, 0);                                                           \
	} while (0)
#ifdef CONFIG_64BIT
#define LX_FOLIO_NR_PAGES(f, order) ((f)->_folio_nr_pages = 1U << (order))
#else
#define LX_FOLIO_NR_PAGES(f, order) ((void)0)
#endif
#else
#define lx_prep_compound_fields(head, order)                                                             \
	do {                                                                                               \
		set_compound_page_dtor(head, COMPOUND_PAGE_DTOR);                                          \
		set_compound_order(head, order);                                                           \
		atomic_set(compound_mapcount_ptr(head), -1);                                               \
		atomic_set(compound_pincount_ptr(head), 0);                                                \
	} while (0)
#endif
/* (a macro: not every lx file includes linux/mm.h) */
#define lx_prep_compound(head, order)                                                                    \
	do {                                                                                               \
		unsigned long lx_i;                                                                        \
		__SetPageHead(head);                                                                       \
		lx_prep_compound_fields(head, order);                                                      \
		for (lx_i = 1; lx_i < (1UL << (order)); lx_i++)                                            \
			set_compound_head((head) + lx_i, head);                                            \
	} while (0)

/* ---- uaccess (lx_uaccess.c) -----------------------------------------------------------------------
 * v6.4 (x86's copy_user_generic()/clear_user() rewrite): copy_user_generic()
 * and __clear_user() are an inline rep movsb/stosb whose alternatives call
 * rep_movs_alternative/rep_stos_alternative (length in %rcx, bytes left out
 * in %rcx); the copy_user_*()/clear_user_*() variants are gone.  Unpatched,
 * the inline rep runs: a bad pointer in __copy_from_user() & co. now
 * crashes the daemon instead of failing (README.md, "uaccess").
 * After v6.8, v6.12 here: __copy_user_nocache() is copy_to_nontemporal().
 * v6.12: access_ok() compares with USER_PTR_MAX, a variable the kernel sets
 * at boot (a module reads it instead of a patched constant). */
#define LX_WANT_copy_user_variants (!LX_HAVE_rep_movs_alternative)
#define LX_WANT_rep_movs_alternative LX_HAVE_rep_movs_alternative
#define LX_WANT___copy_user_nocache (!LX_HAVE_copy_to_nontemporal)
#define LX_WANT_USER_PTR_MAX LX_HAVE_user_ptr_max

/* ---- DMA (lx_dma.c) -----------------------------------------------------------------------------------
 * v6.11 ("dma: avoid redundant calls for sync operations"): the
 * dma_sync_{single,sg}_for_{cpu,device}() are inlines that skip devices
 * marked dma_skip_sync and call __dma_sync_*(), which lx defines.  Without
 * CONFIG_DMA_NEED_SYNC they are empty inlines, and lx's bounce buffers
 * would never be copied back: x86 always has it (SWIOTLB), refuse if not. */
#if LX_HAVE_dma_dev_need_sync
#if defined(CONFIG_HAS_DMA) && !defined(CONFIG_DMA_NEED_SYNC)
#error "lx bounces streaming DMA and needs dma_sync_*(), which CONFIG_DMA_NEED_SYNC=n makes empty"
#endif
#define LX_FN_DMA_SYNC(name) __##name
#else
#define LX_FN_DMA_SYNC(name) name
#endif

/* ---- the driver model (lx_device.c, lx_core.c, lx_pci.c) ---------------------------------------------
 * v6.4 (the driver core's "constify struct bus_type" series): the bus_*()
 * functions take a const struct bus_type; v6.9 for pci_bus_type itself
 * ("PCI: Make pci_bus_type const").  v6.2 ("device property: constify
 * device_property_*() device arguments"): the property readers take a
 * const struct device. */
/* v6.8 (PCI's "legacy" interrupt renamed INTx): pci_alloc_irq_vectors()
 * calls the line PCI_IRQ_INTX; the old PCI_IRQ_LEGACY is gone by 6.12. */
#if LX_HAVE_pci_irq_intx
#define LX_PCI_IRQ_INTX PCI_IRQ_INTX
#else
#define LX_PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif
/* v6.8 (the same PCI/MSI cleanup): pci_alloc_irq_vectors() is a function
 * (with CONFIG_PCI_MSI), no longer an inline over the _affinity variant. */
#define LX_WANT_pci_alloc_irq_vectors LX_HAVE_no_pci_alloc_irq_vectors_inline
#if LX_HAVE_bus_const
#define LX_CONST_BUS const
#else
#define LX_CONST_BUS
#endif
#if LX_HAVE_pci_bus_const
#define LX_CONST_PCI_BUS const
#else
#define LX_CONST_PCI_BUS
#endif
#if LX_HAVE_property_const_dev
#define LX_CONST_PROPERTY_DEV const
#else
#define LX_CONST_PROPERTY_DEV
#endif

/* v6.7 ("devres: Provide a name for devm_add_action()"): devm_add_action()
 * is a macro over __devm_add_action(), which also takes the action's name. */
#if LX_HAVE_devm_action_name
#define LX_DEFINE_DEVM_ADD_ACTION(dev, action, data)                                                     \
	int __devm_add_action(struct device *dev, void (*action)(void *), void *data, const char *lx_name)
#else
#define LX_DEFINE_DEVM_ADD_ACTION(dev, action, data)                                                     \
	int devm_add_action(struct device *dev, void (*action)(void *), void *data)
#endif

/* ---- IRQ domains (lx_irqdomain.c) ---------------------------------------------------------------------
 * v6.3 ("irqdomain: Switch to per-domain locking"): revmap_mutex became
 * `mutex`, taken through domain->root.  v6.11 ("irqdomain: Introduce
 * irq_domain_instantiate()"): domains are made from a struct
 * irq_domain_info; v6.12 removed __irq_domain_add(), which the inline
 * irq_domain_add_*() called before. */
#if LX_HAVE_irq_domain_root
#define lx_irq_domain_init_lock(d)                                                                       \
	do {                                                                                               \
		mutex_init(&(d)->mutex);                                                                   \
		(d)->root = (d);                                                                           \
	} while (0)
#else
#define lx_irq_domain_init_lock(d) mutex_init(&(d)->revmap_mutex)
#endif
#define LX_WANT_irq_domain_instantiate LX_HAVE_irq_domain_instantiate
#define LX_WANT___irq_domain_add (!LX_HAVE_no___irq_domain_add)

/* ---- networking (lx_net*.c) ----------------------------------------------------------------------------
 * v6.3 ("net: add dev_kfree_skb_irq_reason() and dev_kfree_skb_any_reason()",
 * which removed enum skb_free_reason): the out-of-line frees take an
 * enum skb_drop_reason.  v6.11 ("net: introduce sk_skb_reason_drop
 * function"): kfree_skb_reason() is an inline over sk_skb_reason_drop().
 * v6.11 ("net: Make ethtool get_ts_info take kernel_ethtool_ts_info"). */
#if LX_HAVE_dev_kfree_skb_reason
#define LX_FN_dev_kfree_skb_irq dev_kfree_skb_irq_reason
#define LX_FN_dev_kfree_skb_any dev_kfree_skb_any_reason
#define LX_SKB_FREE_REASON_T enum skb_drop_reason
#else
#define LX_FN_dev_kfree_skb_irq __dev_kfree_skb_irq
#define LX_FN_dev_kfree_skb_any __dev_kfree_skb_any
#define LX_SKB_FREE_REASON_T enum skb_free_reason
#endif
#if LX_HAVE_sk_skb_reason_drop
#define LX_DEFINE_KFREE_SKB_REASON(skb, reason)                                                          \
	void sk_skb_reason_drop(struct sock *lx_sk, struct sk_buff *skb, enum skb_drop_reason reason)
#else
#define LX_DEFINE_KFREE_SKB_REASON(skb, reason) void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
#endif
/* v6.9 ("net: remove gfp_mask from napi_alloc_skb()"): napi_alloc_skb() is
 * the out-of-line function (GFP_ATOMIC), no longer an inline over
 * __napi_alloc_skb(). */
#if LX_HAVE_no___napi_alloc_skb
#define LX_DEFINE_NAPI_ALLOC_SKB(napi, len, gfp)                                                         \
	struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int len)
#define LX_NAPI_ALLOC_GFP(gfp) GFP_ATOMIC
#else
#define LX_DEFINE_NAPI_ALLOC_SKB(napi, len, gfp)                                                         \
	struct sk_buff *__napi_alloc_skb(struct napi_struct *napi, unsigned int len, gfp_t gfp)
#define LX_NAPI_ALLOC_GFP(gfp) (gfp)
#endif
#if LX_HAVE_kernel_ethtool_ts_info
#define LX_ETHTOOL_TS_INFO_T struct kernel_ethtool_ts_info
#else
#define LX_ETHTOOL_TS_INFO_T struct ethtool_ts_info
#endif
/* v6.8 ("ethtool: Implement ethtool_puts()"): drivers fill their string
 * tables with ethtool_puts() where they used ethtool_sprintf(buf, "%s"). */
#define LX_WANT_ethtool_puts LX_HAVE_ethtool_puts

#endif /* !LX_PROBE */
#endif /* LX_COMPAT_H */

/* ==== probes ============================================================================================
 * Compiled only by cmake/KpiLxCompat.cmake, all in one translation unit with
 * -DLX_PROBE: a block compiles exactly when the tree has the newer API (a
 * no_ block: the older one).  Keep each block self-contained (its own
 * includes; headers that may be missing through __has_include), its names
 * prefixed lx_probe_, its errors on its own lines, and the probe lines in
 * the parsed format. */
#ifdef LX_PROBE
#include <linux/kernel.h>

/* probe pcpu_hot v6.2: x86 keeps `current` and the preempt count in struct pcpu_hot */
#include <asm/current.h>
static int lx_probe_pcpu_hot = sizeof(pcpu_hot.current_task) + sizeof(pcpu_hot.preempt_count);

/* probe cpu_topo v6.7: x86 APIC ids are in cpuinfo_x86.topo */
#include <asm/processor.h>
static int lx_probe_cpu_topo = sizeof(boot_cpu_data.topo.apicid);

/* probe no_x86_max_cores v6.9: cpuinfo_x86.x86_max_cores is gone */
static int lx_probe_no_x86_max_cores = sizeof(boot_cpu_data.x86_max_cores);

/* probe cpu_info_percpu v6.7: cpu_info is a per-CPU variable without SMP too, not a macro */
#ifdef cpu_info
#error "cpu_info is a macro"
#endif
static void *lx_probe_cpu_info_percpu = &cpu_info;

/* probe system_bh_wq v6.9: the BH workqueues system_bh_wq and system_bh_highpri_wq */
#include <linux/workqueue.h>
static void *lx_probe_system_bh_wq = &system_bh_wq;

/* probe system_percpu_wq v6.17,6.12.117: schedule_work() queues on system_percpu_wq */
static void *lx_probe_system_percpu_wq = &system_percpu_wq;

/* probe class_create_name v6.4: class_create() is a function of the name alone */
#include <linux/device/class.h>
static struct class *(*lx_probe_class_create_name)(const char *) = class_create;

/* probe class_const v6.4: class_destroy() takes a const struct class */
void class_destroy(const struct class *cls);

/* probe no_strlcpy v6.8: strlcpy() is gone */
#include <linux/string.h>
static void *lx_probe_no_strlcpy = (void *)strlcpy;

/* probe sized_strscpy v6.8: strscpy() is a macro over sized_strscpy() */
#include <linux/string.h>
static void *lx_probe_sized_strscpy = (void *)sized_strscpy;

/* probe linux_unaligned v6.12: the unaligned access helpers are <linux/unaligned.h> */
#if !__has_include(<linux/unaligned.h>)
#error "no linux/unaligned.h"
#endif

/* probe page_pool_split v6.6: page_pool's header is net/page_pool/{types,helpers}.h */
#if !__has_include(<net/page_pool/helpers.h>)
#error "no net/page_pool/helpers.h"
#endif

/* probe page_pool_netmem v6.12: page_pool pages are also netmem handles (page_pool_put_unrefed_netmem) */
#if __has_include(<net/page_pool/types.h>)
#include <net/page_pool/types.h>
#endif
static void *lx_probe_page_pool_netmem = (void *)page_pool_put_unrefed_netmem;

/* probe alloc_noprof v6.10: allocator entry points are alloc_hooks() macros over *_noprof functions */
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/vmalloc.h>
#include <linux/percpu.h>
static void *lx_probe_alloc_noprof[] = {(void *)kmem_cache_alloc_noprof, (void *)vmalloc_noprof,
					(void *)get_free_pages_noprof, (void *)pcpu_alloc_noprof,
					(void *)kmemdup_noprof};

/* probe kmalloc_cache v6.11: kmalloc_trace and kmalloc_large are __kmalloc_cache_noprof and __kmalloc_large_noprof */
static void *lx_probe_kmalloc_cache = (void *)__kmalloc_cache_noprof;

/* probe kmalloc_buckets v6.11: kmalloc's size-only entry points take a kmem_buckets set (DECL_BUCKET_PARAMS) */
#ifndef DECL_BUCKET_PARAMS
#error "no kmem_buckets"
#endif
static void *lx_probe_kmalloc_buckets = (void *)__kvmalloc_node_noprof;

/* probe kmem_cache_args v6.12: kmem_cache_create() is a macro over __kmem_cache_create_args() */
static int lx_probe_kmem_cache_args = sizeof(struct kmem_cache_args);

/* probe nr_page_orders v6.8: the page allocator's order count is NR_PAGE_ORDERS */
#include <linux/mmzone.h>
static int lx_probe_nr_page_orders = NR_PAGE_ORDERS;

/* probe folio_large_mapcount v6.11: compound pages are set up through the folio's fields */
#include <linux/mm.h>
static int lx_probe_folio_large_mapcount = sizeof(((struct folio *)0)->_large_mapcount);

/* probe rep_movs_alternative v6.4: copy_user_generic() is an inline rep movsb that may call rep_movs_alternative */
#include <linux/uaccess.h>
static void *lx_probe_rep_movs_alternative = (void *)rep_movs_alternative;

/* probe copy_to_nontemporal v6.12: __copy_user_nocache() is copy_to_nontemporal() */
static void *lx_probe_copy_to_nontemporal = (void *)copy_to_nontemporal;

/* probe user_ptr_max v6.12: access_ok() reads the variable USER_PTR_MAX */
static void *lx_probe_user_ptr_max = &USER_PTR_MAX;

/* probe dma_dev_need_sync v6.11: dma_sync_*() are inlines over __dma_sync_*() */
#include <linux/dma-mapping.h>
static void *lx_probe_dma_dev_need_sync = (void *)dma_dev_need_sync;

/* probe bus_const v6.4: the bus_*() functions take a const struct bus_type */
#include <linux/device.h>
int bus_register(const struct bus_type *bus);

/* probe pci_irq_intx v6.8: pci_alloc_irq_vectors() calls the legacy line PCI_IRQ_INTX */
#include <linux/pci.h>
static int lx_probe_pci_irq_intx = PCI_IRQ_INTX;

/* probe no_pci_alloc_irq_vectors_inline v6.8 if CONFIG_PCI_MSI: pci_alloc_irq_vectors() is out of line */
static int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs, unsigned int flags);

/* probe pci_bus_const v6.9 if CONFIG_PCI: pci_bus_type is const */
#include <linux/pci.h>
extern const struct bus_type pci_bus_type;
static const void *lx_probe_pci_bus_const = &pci_bus_type;

/* probe property_const_dev v6.2: the device_property_*() readers take a const struct device */
#include <linux/property.h>
int device_property_read_u32_array(const struct device *dev, const char *propname, u32 *val, size_t nval);

/* probe devm_action_name v6.7: devm_add_action() is a macro over __devm_add_action(), which takes a name */
static void *lx_probe_devm_action_name = (void *)__devm_add_action;

/* probe irq_domain_root v6.3: an irq_domain has its own `mutex` and a `root` */
#include <linux/irqdomain.h>
static int lx_probe_irq_domain_root = sizeof(((struct irq_domain *)0)->root);

/* probe irq_domain_instantiate v6.11 if CONFIG_IRQ_DOMAIN: domains are made by irq_domain_instantiate() */
static void *lx_probe_irq_domain_instantiate = (void *)irq_domain_instantiate;

/* probe no___irq_domain_add v6.12 if CONFIG_IRQ_DOMAIN: __irq_domain_add() is gone */
static void *lx_probe_no___irq_domain_add = (void *)__irq_domain_add;

/* probe dev_kfree_skb_reason v6.3: dev_kfree_skb_{irq,any}_reason() replace __dev_kfree_skb_* */
#include <linux/netdevice.h>
static void *lx_probe_dev_kfree_skb_reason = (void *)dev_kfree_skb_irq_reason;

/* probe no___napi_alloc_skb v6.9: napi_alloc_skb() is out of line, without a gfp argument; __napi_alloc_skb() is gone */
static void *lx_probe_no___napi_alloc_skb = (void *)__napi_alloc_skb;

/* probe sk_skb_reason_drop v6.11: kfree_skb_reason() is an inline over sk_skb_reason_drop() */
#include <linux/skbuff.h>
static void *lx_probe_sk_skb_reason_drop = (void *)sk_skb_reason_drop;

/* probe kernel_ethtool_ts_info v6.11: get_ts_info takes a struct kernel_ethtool_ts_info */
#include <linux/ethtool.h>
static int lx_probe_kernel_ethtool_ts_info = sizeof(struct kernel_ethtool_ts_info);

/* probe ethtool_puts v6.8: ethtool_puts() copies one string into an ethtool string table */
static void *lx_probe_ethtool_puts = (void *)ethtool_puts;

/* probe platform_bus_const v6.4: platform_bus_type is a const struct bus_type */
#include <linux/platform_device.h>
extern const struct bus_type platform_bus_type;

/* probe no_bus_dev_root v6.4: struct bus_type has no dev_root (bus_get_dev_root() instead) */
#include <linux/device/bus.h>
static int lx_probe_no_bus_dev_root = sizeof(((struct bus_type *)0)->dev_root);

/* probe skb_add_rx_frag_netmem v6.10: skb_add_rx_frag() is an inline over skb_add_rx_frag_netmem() */
#include <linux/skbuff.h>
static void *lx_probe_skb_add_rx_frag_netmem = (void *)skb_add_rx_frag_netmem;

/* probe no___class_register v6.4: class_register() is a function; __class_register() is gone */
#include <linux/device/class.h>
static void *lx_probe_no___class_register = (void *)__class_register;

/* probe driver_attach_const v6.11: driver_attach() takes a const struct device_driver */
#include <linux/device.h>
int driver_attach(const struct device_driver *drv);

/* probe skb_queue_purge_reason v6.7: skb_queue_purge() is an inline over skb_queue_purge_reason() */
#include <linux/skbuff.h>
static void *lx_probe_skb_queue_purge_reason = (void *)skb_queue_purge_reason;

/* probe seq_puts_inline v6.11: seq_puts() is an inline over __seq_puts() */
#include <linux/seq_file.h>
static void *lx_probe_seq_puts_inline = (void *)__seq_puts;

#endif /* LX_PROBE */
