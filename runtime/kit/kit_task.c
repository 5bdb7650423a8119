/* kit_task.c: cooperative tasks - creation on guarded host stacks, the run
 * queue, block/wake/yield/sleep, atomic regions and the AddressSanitizer
 * fiber annotations.  Every switch goes task -> loop or loop -> task; the
 * loop (kit_run, on the caller's stack) decides who runs next. */
#include "kit_internal.h"

#if KIT_ASAN
/* Declared here rather than via <sanitizer/...> headers, which not every
 * compiler installation ships; the ASan runtime defines them. */
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif

#define KIT_STACK_DEFAULT (64u * 1024u)

static struct {
	void *loop_sp;		    /* loop context's saved stack pointer */
	kit_task *current;	    /* running task, 0 in the loop context */
	kit_task *rq_head, *rq_tail;
	kit_task *all;		    /* every live task, for kit_reset */
	int loop_depth;		    /* > 0 while kit_run is active */
	int outside_atomic;	    /* kit_atomic_begin depth outside tasks */
	const void *loop_stack_lo;  /* ASan: the loop stack's bounds */
	size_t loop_stack_size;
	void *loop_fake_stack;
} ks;

static void kit_fatal(const char *what)
{
	char msg[160];
	size_t n = kit_strlcat(msg, "kit: ", sizeof(msg), 0);
	n = kit_strlcat(msg, what, sizeof(msg), n);
	n = kit_strlcat(msg, " (task ", sizeof(msg), n);
	n = kit_strlcat(msg, ks.current ? ks.current->name : "<loop>", sizeof(msg), n);
	kit_strlcat(msg, ")", sizeof(msg), n);
	kpi_host_abort(msg);
}

static void rq_push(kit_task *t)
{
	t->state = KIT_RUNNABLE;
	t->rq_next = 0;
	if (ks.rq_tail)
		ks.rq_tail->rq_next = t;
	else
		ks.rq_head = t;
	ks.rq_tail = t;
}

static kit_task *rq_pop(void)
{
	kit_task *t = ks.rq_head;
	if (t) {
		ks.rq_head = t->rq_next;
		if (!ks.rq_head)
			ks.rq_tail = 0;
		t->rq_next = 0;
	}
	return t;
}

static void rq_remove(kit_task *t)
{
	kit_task **pp = &ks.rq_head, *prev = 0;
	for (; *pp; prev = *pp, pp = &(*pp)->rq_next) {
		if (*pp == t) {
			*pp = t->rq_next;
			if (ks.rq_tail == t)
				ks.rq_tail = prev;
			return;
		}
	}
}

/* ---- switching ---------------------------------------------------------- */

/* Task side: give the CPU back to the loop.  A dead task never resumes, so
 * ASan may drop its fake stack (NULL save slot). */
static void switch_to_loop(kit_task *t)
{
#if KIT_ASAN
	__sanitizer_start_switch_fiber(t->state == KIT_DEAD ? NULL : &t->asan_fake_stack,
				       ks.loop_stack_lo, ks.loop_stack_size);
#endif
	kit_ctx_switch(&t->sp, ks.loop_sp);
#if KIT_ASAN
	__sanitizer_finish_switch_fiber(t->asan_fake_stack, NULL, NULL);
#endif
}

static void task_free(kit_task *t)
{
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		ks.all = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	kit_timer_cancel(&t->block_timer);
#if KIT_ASAN
	/* Frames left on the dead stack keep their redzones poisoned. */
	__asan_unpoison_memory_region(t->map, t->map_size);
#endif
	kpi_host_stack_free(t->map, t->map_size);
}

/* Loop side: run t until it switches back. */
static void switch_to_task(kit_task *t)
{
	ks.current = t;
	t->state = KIT_RUNNING;
#if KIT_ASAN
	__sanitizer_start_switch_fiber(&ks.loop_fake_stack, t->stack_lo, t->stack_size);
#endif
	kit_ctx_switch(&ks.loop_sp, t->sp);
#if KIT_ASAN
	/* The "old stack" reported here is the task's: not wanted. */
	__sanitizer_finish_switch_fiber(ks.loop_fake_stack, NULL, NULL);
#endif
	ks.current = 0;
	if (t->state == KIT_DEAD)
		task_free(t);
}

static void task_entry(void *arg)
{
	kit_task *t = arg;
#if KIT_ASAN
	__sanitizer_finish_switch_fiber(NULL, &ks.loop_stack_lo, &ks.loop_stack_size);
#endif
	t->fn(t->arg);
	kit_task_exit();
}

static void block_timeout(struct kit_timer *timer)
{
	kit_task *t = KIT_CONTAINER_OF(timer, kit_task, block_timer);
	if (t->state == KIT_BLOCKED) {
		t->wake_result = 0;
		rq_push(t);
	}
}

/* ---- public: tasks ------------------------------------------------------ */

kit_task *kit_task_create(const char *name, kit_task_fn fn, void *arg, kpi_size stack_size)
{
	const size_t page = KIT_PAGE_SIZE;
	if (!stack_size)
		stack_size = KIT_STACK_DEFAULT;
	stack_size = (stack_size + page - 1) & ~(page - 1);
	/* One host stack (guard page below it): the stack, then the task struct
	 * at the top. */
	size_t tsize = (sizeof(kit_task) + 63) & ~(size_t)63;
	size_t map_size = stack_size + ((tsize + page - 1) & ~(page - 1));
	char *map = kpi_host_stack_alloc(map_size);
	if (!map)
		return 0;
	kit_task *t = (kit_task *)(map + map_size - tsize);
	__builtin_memset(t, 0, sizeof(*t));
	t->map = map;
	t->map_size = map_size;
	t->stack_lo = map;
	t->stack_size = (size_t)((char *)t - (char *)t->stack_lo) & ~(size_t)15;
	t->fn = fn;
	t->arg = arg;
	kit_strlcat(t->name, name ? name : "task", sizeof(t->name), 0);
	kit_timer_init(&t->block_timer, block_timeout);
	t->sp = kit_ctx_init(t->stack_lo, t->stack_size, task_entry, t);
	t->all_next = ks.all;
	if (ks.all)
		ks.all->all_prev = t;
	ks.all = t;
	rq_push(t);
	return t;
}

void kit_task_exit(void)
{
	kit_task *t = ks.current;
	if (!t)
		kit_fatal("kit_task_exit outside a task");
	t->state = KIT_DEAD;
	switch_to_loop(t);
	kit_fatal("dead task resumed");
	for (;;) {
	}
}

kit_task *kit_task_current(void)
{
	return ks.current;
}

const char *kit_task_name(const kit_task *task)
{
	return task ? task->name : "<loop>";
}

void kit_yield(void)
{
	kit_task *t = ks.current;
	if (!t || t->atomic)
		return; /* cannot switch here; documented as a no-op */
	rq_push(t);
	switch_to_loop(t);
}

int kit_task_block(kpi_u64 deadline_ns)
{
	kit_task *t = ks.current;
	if (!t)
		kit_fatal("blocking call outside a task (loop context or before kit_run)");
	if (t->atomic)
		kit_fatal("scheduling while atomic");
	if (t->wake_pending) {
		t->wake_pending = 0;
		return 1;
	}
	if (deadline_ns != KPI_FOREVER) {
		if (deadline_ns <= kpi_host_now_ns())
			return 0;
		kit_timer_arm(&t->block_timer, deadline_ns);
	}
	t->state = KIT_BLOCKED;
	t->wake_result = 0;
	switch_to_loop(t);
	kit_timer_cancel(&t->block_timer);
	return t->wake_result;
}

void kit_task_clear_wake(void)
{
	if (ks.current)
		ks.current->wake_pending = 0;
}

int kit_task_wake(kit_task *task)
{
	if (!task || task->state == KIT_DEAD)
		return 0;
	if (task->state == KIT_BLOCKED) {
		task->wake_result = 1;
		rq_push(task);
		return 1;
	}
	task->wake_pending = 1;
	return 0;
}

void kit_sleep_until(kpi_u64 deadline_ns)
{
	if (!ks.current)
		kit_fatal("sleep outside a task");
	/* Uninterruptible (msleep): wakes only end it early if time is up. */
	int pending = ks.current->wake_pending;
	ks.current->wake_pending = 0;
	while (kpi_host_now_ns() < deadline_ns)
		kit_task_block(deadline_ns);
	ks.current->wake_pending = pending;
}

void kit_sleep_ns(kpi_u64 ns)
{
	kit_sleep_until(kpi_host_now_ns() + ns);
}

void kit_atomic_begin(void)
{
	if (ks.current)
		ks.current->atomic++;
	else
		ks.outside_atomic++;
}

void kit_atomic_end(void)
{
	int *depth = ks.current ? &ks.current->atomic : &ks.outside_atomic;
	if (*depth <= 0)
		kit_fatal("kit_atomic_end without kit_atomic_begin");
	(*depth)--;
}

int kit_in_atomic(void)
{
	return !ks.current || ks.current->atomic > 0;
}

/* ---- loop side ----------------------------------------------------------- */

int kit_sched_has_runnable(void)
{
	return ks.rq_head != 0;
}

int kit_sched_run_batch(void)
{
	/* Only the tasks queued now: a task that yields goes to the back and
	 * waits for the next batch, so timers and events interleave. */
	int n = 0;
	kit_task *last = ks.rq_tail;
	while (last) {
		kit_task *t = rq_pop();
		switch_to_task(t);
		n++;
		if (t == last)
			break;
	}
	return n;
}

void kit_sched_enter_loop(void)
{
	if (ks.current)
		kit_fatal("kit_run called from a task");
	ks.loop_depth++;
}

void kit_sched_leave_loop(void)
{
	ks.loop_depth--;
}

int kit_sched_in_loop(void)
{
	return ks.loop_depth > 0;
}

void kit_sched_reset(void)
{
	if (ks.current || ks.loop_depth)
		kit_fatal("kit_reset inside kit_run");
	while (ks.all) {
		kit_task *t = ks.all;
		rq_remove(t);
		task_free(t);
	}
	ks.rq_head = ks.rq_tail = 0;
	ks.outside_atomic = 0;
}
