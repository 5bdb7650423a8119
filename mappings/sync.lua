-- sync.lua: locks, waiting, work items and RCU.
--
-- The kernel config is uniprocessor and non-preemptive and the runtime runs
-- every driver context as a cooperative task on one thread, so Linux's UP
-- locking rules hold exactly: spinlocks compile away in the headers, a mutex
-- only has to make a task wait for another task.

runtime {
  "__mutex_init",
  "mutex_lock",
  "mutex_unlock",
  "mutex_trylock",
  "mutex_lock_interruptible",
  "mutex_lock_killable",
  "mutex_is_locked",
  -- ww_mutex (DRM modeset locks, dma-buf reservations): wait-die over the plain mutex (runtime/lx/lx_sync.c)
  "ww_mutex_lock",
  "ww_mutex_lock_interruptible",
  "ww_mutex_trylock",
  "ww_mutex_unlock",
  -- rt_mutex (the I2C core's bus lock): a plain sleeping lock, nothing to inherit on one CPU
  "__rt_mutex_init",
  "rt_mutex_lock",
  "rt_mutex_lock_interruptible",
  "rt_mutex_trylock",
  "rt_mutex_unlock",
  -- wait queues and completions
  "__init_waitqueue_head",
  "__wake_up",
  "init_wait_entry",
  "prepare_to_wait_event",
  "finish_wait",
  "__init_swait_queue_head",
  "complete",
  "complete_all",
  "wait_for_completion",
  "wait_for_completion_timeout",
  "wait_for_completion_interruptible",
  "wait_for_completion_interruptible_timeout",
  -- scheduling points
  "schedule",
  "__cond_resched",
  __preempt_count = { before = "6.2", note = "data: read by inline preempt_count()/in_interrupt()" },
  current_task = { before = "6.2", note = "data: `current`; the runtime points it at the running task" },
  -- 6.2 put both into x86's struct pcpu_hot (runtime/lx/lx_compat.h: pcpu_hot)
  pcpu_hot = { since = "6.2", note = "data: `current` and the preempt count; the runtime keeps `current` right" },
  "system_state",          -- data: SYSTEM_RUNNING for the daemon's whole life
  -- work items (the runtime's workqueues are task queues)
  "queue_work_on",
  "queue_delayed_work_on",
  "mod_delayed_work_on",
  "delayed_work_timer_fn", -- timer callback the INIT_DELAYED_WORK macro stores
  "cancel_work_sync",
  "cancel_delayed_work",
  "cancel_delayed_work_sync",
  "flush_work",
  "flush_delayed_work",
  "__flush_workqueue",
  "alloc_workqueue",
  "destroy_workqueue",
  "system_wq",             -- data: the default queue schedule_work() uses
  -- kernel threads become tasks
  "kthread_create_on_node",
  "kthread_exit",
  "kthread_complete_and_exit",
  "kthread_stop",
  "kthread_should_stop",
  "wake_up_process",
  -- tasks have no struct pid (task_pid() is NULL): put_pid() frees one
  -- only if something made it (a DRM file keeps its opener's)
  "put_pid",
  -- RCU: with one thread and no preemption, a grace period has passed
  -- whenever the caller runs again
  "synchronize_rcu",
  -- Tiny SRCU: readers may sleep; a grace period waits for them (runtime/lx/lx_sched.c)
  "__srcu_read_unlock",
  "synchronize_srcu",
  "srcu_drive_gp",
  "call_rcu",
  "rcu_barrier",
}

-- kfree_rcu(): with CONFIG_TINY_RCU (uniprocessor) linux/rcutiny.h defines
-- it inline on call_rcu() / synchronize_rcu() + kvfree(), which the runtime has.
header "inline in linux/rcutiny.h (TINY_RCU): call_rcu or synchronize_rcu + kvfree" { "kvfree_call_rcu" }

header "UP + !PREEMPT: compiles to preempt_disable()/barriers in linux/spinlock_api_up.h" {
  "spin_lock", "spin_unlock", "spin_lock_irq", "spin_unlock_irq",
  "spin_lock_irqsave", "spin_unlock_irqrestore", "spin_lock_bh", "spin_unlock_bh",
  "spin_lock_init", "spin_trylock",
}

header "inline/macro in linux/workqueue.h, linux/completion.h, linux/wait.h or linux/mutex.h" {
  "mutex_init", "init_completion", "reinit_completion", "init_waitqueue_head",
  "wake_up", "wake_up_interruptible", "wait_event", "wait_event_timeout",
  "wait_event_interruptible", "INIT_WORK", "INIT_DELAYED_WORK", "schedule_work",
  "schedule_delayed_work", "queue_work", "queue_delayed_work", "cond_resched",
}

-- Implemented by runtime/lx too (found by the reverse check: every global
-- runtime/lx defines is named by a table).
runtime "runtime/lx: wait queues, semaphores, rwsems, completions, notifiers" {
  "__init_rwsem", "__wake_up_locked", "__wake_up_locked_key", "__wake_up_sync",
  "__wake_up_sync_key", "add_wait_queue", "add_wait_queue_exclusive",
  "autoremove_wake_function", "blocking_notifier_call_chain", "completion_done",
  "default_wake_function", "down", "down_interruptible", "down_killable", "down_read",
  "down_read_trylock", "down_timeout", "down_trylock", "down_write", "down_write_trylock",
  "downgrade_write", "prepare_to_wait", "prepare_to_wait_exclusive", "refcount_warn_saturate",
  "remove_wait_queue", "try_wait_for_completion", "up", "up_read", "up_write",
  "wait_for_completion_killable", "wait_woken", "woken_wake_function",
  "cancel_work", "drain_workqueue", "system_freezable_power_efficient_wq",
  "system_freezable_wq", "system_highpri_wq", "system_long_wq", "system_power_efficient_wq",
  "system_unbound_wq",
}

-- Queues newer trees name (runtime/lx/lx_compat.h): 6.9's BH workqueues, and
-- system_percpu_wq/system_dfl_wq, which 6.17 added and 6.12.y stable got by
-- backport (schedule_work() queues on system_percpu_wq there).  One queue.
runtime "runtime/lx/lx_workqueue.c: every system queue is the runtime's one queue" { since = "6.9",
  "system_bh_wq", "system_bh_highpri_wq",
}
runtime "runtime/lx/lx_workqueue.c: every system queue is the runtime's one queue" { since = "6.17",
  "system_percpu_wq", "system_dfl_wq",
}
runtime "runtime/lx/lx_workqueue.c: every system queue is the runtime's one queue (6.12.y backport)" {
  since = "6.12.117", before = "6.13", "system_percpu_wq", "system_dfl_wq",
}
