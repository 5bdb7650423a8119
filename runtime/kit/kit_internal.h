/* kit_internal.h: state shared by the kit modules (task, timer, loop, wait).
 * Not installed; only the .c files of runtime/kit include it. */
#ifndef KIT_INTERNAL_H
#define KIT_INTERNAL_H

#include "kpi_kit.h"

#include <stddef.h>

/* kit runs on every host, Redox included, so it uses no libc: only the
 * compiler's freestanding headers and kpi_host_core.h. */
#define KIT_PAGE_SIZE 4096u

/* Append src to dst (capacity cap, dst[0..at) already written); returns the
 * new length.  Always NUL-terminates; truncates silently (names, messages). */
static inline size_t kit_strlcat(char *dst, const char *src, size_t cap, size_t at)
{
	while (*src && at + 1 < cap)
		dst[at++] = *src++;
	if (at < cap)
		dst[at] = 0;
	return at;
}

#if defined(__SANITIZE_ADDRESS__)
#define KIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIT_ASAN 1
#endif
#endif
#ifndef KIT_ASAN
#define KIT_ASAN 0
#endif

enum kit_state { KIT_RUNNABLE, KIT_RUNNING, KIT_BLOCKED, KIT_DEAD };

struct kit_task {
	void *sp; /* saved stack pointer while switched out */
	struct kit_task *rq_next;
	struct kit_task *all_next, *all_prev;
	kit_task_fn fn;
	void *arg;
	void *map;	  /* kpi_host_stack_alloc'd region: stack, then this struct */
	size_t map_size;
	void *stack_lo;
	size_t stack_size;
	enum kit_state state;
	int wake_pending; /* woken while not blocked */
	int wake_result;  /* 1 woken, 0 timeout */
	int atomic;	  /* kit_atomic_begin depth */
	struct kit_timer block_timer;
	void *asan_fake_stack;
	char name[32];
};

struct kit_waiter {
	struct kit_waiter *next, *prev;
	kit_task *task;
	int queued;
};

/* kit_switch.c */
void kit_ctx_switch(void **save_sp, void *new_sp);
void *kit_ctx_init(void *stack_lo, size_t stack_size, void (*entry)(void *), void *arg);

/* kit_task.c */
int kit_sched_run_batch(void);	 /* run the tasks runnable now; returns how many ran */
int kit_sched_has_runnable(void);
void kit_sched_reset(void);
void kit_sched_enter_loop(void); /* kit_run starts/ends: loop context bookkeeping */
void kit_sched_leave_loop(void);
int kit_sched_in_loop(void);

/* kit_timer.c */
void kit_timers_run(kpi_u64 now);
kpi_u64 kit_timers_next(void); /* KPI_FOREVER if none */
void kit_timers_reset(void);

#define KIT_CONTAINER_OF(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
