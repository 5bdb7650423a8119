/* kpi_posix_stack.c: kpi_host_stack_alloc/free for the backends that run on
 * a POSIX libc (linux, sim): an anonymous mapping with an inaccessible
 * guard page below the stack, so an overflow faults at once instead of
 * corrupting the neighbouring allocation.  Compiled into each of those
 * backends' libraries (runtime/host/posix/README.md). */
#define _GNU_SOURCE
#include "kpi_host_core.h"

#include <sys/mman.h>
#include <unistd.h>

void *kpi_host_stack_alloc(kpi_size size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
			 -1, 0);
	if (map == MAP_FAILED)
		return 0;
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, size + page);
		return 0;
	}
	return map + page;
}

void kpi_host_stack_free(void *stack, kpi_size size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (stack)
		munmap((char *)stack - page, size + page);
}
