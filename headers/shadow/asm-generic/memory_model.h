/* headers/shadow/asm-generic/memory_model.h: pfn_to_page() - and with it
 * virt_to_page(), virt_to_head_page(), nth_page(), sg_set_buf() - answered
 * by the runtime's page model (runtime/lx/lx_page.c, README "Pages").
 *
 * Why: a userspace address passed through __pa() gives a "pfn" beyond the
 * physical range the headers' memory sections describe, and the sparsemem
 * __pfn_to_page() then dereferences a NULL section.  The other direction
 * (page_to_pfn(), page_address()) stays the header's inline: the runtime
 * fills mem_section so that it answers right. */
#ifndef KPI_SHADOW_ASM_GENERIC_MEMORY_MODEL_H
#define KPI_SHADOW_ASM_GENERIC_MEMORY_MODEL_H

#include_next <asm-generic/memory_model.h>

#ifndef __ASSEMBLY__
struct page;
struct page *lx_pfn_to_page(unsigned long pfn);
#undef __pfn_to_page
#define __pfn_to_page(pfn) lx_pfn_to_page(pfn)
#endif

#endif
