-- time.lua: jiffies, delays, sleeps and timers.
--
-- Timers run as cooperative tasks in the runtime's event loop.  Busy-wait
-- delays really wait (drivers rely on them for hardware timing); sleeps
-- yield to other tasks (IRQ handler, timers, work items).

runtime {
  "jiffies",               -- data: advanced by the runtime from CLOCK_MONOTONIC
  "jiffies_64",
  "__udelay",
  "__const_udelay",
  "__ndelay",
  "__delay",
  "msleep",
  "msleep_interruptible",
  "usleep_range_state",
  "schedule_timeout",
  "schedule_timeout_interruptible",
  "schedule_timeout_uninterruptible",
  "schedule_timeout_killable",
  "__msecs_to_jiffies",
  "__usecs_to_jiffies",
  "jiffies_to_msecs",
  "jiffies_to_usecs",
  "round_jiffies",
  "round_jiffies_relative",
  "ktime_get",
  "ktime_get_real_ts64",
  -- seconds: monotonic both (no wall clock, as ktime_get_real_ts64)
  "ktime_get_seconds",
  "ktime_get_real_seconds",
  "ktime_get_mono_fast_ns",
  "ktime_get_with_offset",
  "ktime_mono_to_any",  -- every offset is 0: the time unchanged
  -- timers
  "init_timer_key",
  "mod_timer",
  "mod_timer_pending",
  "add_timer",
  "timer_delete",
  "timer_delete_sync",
  "try_to_del_timer_sync",
  "timer_shutdown_sync",
}

header "inline/macro in linux/delay.h, linux/jiffies.h or linux/timer.h" {
  "udelay", "ndelay", "mdelay", "usleep_range", "msecs_to_jiffies", "usecs_to_jiffies",
  "time_after", "time_before", "time_after_eq", "time_before_eq", "time_is_before_jiffies",
  "timer_setup", "del_timer", "del_timer_sync", "from_timer", "timer_pending",
}

runtime "runtime/lx: hrtimers and time conversions (found by the reverse check)" {
  "hrtimer_active", "hrtimer_cancel", "hrtimer_forward", "hrtimer_init", "hrtimer_start_range_ns",
  "hrtimer_try_to_cancel", "ktime_add_safe", "ktime_get_ts64", "ns_to_timespec64",
  "nsecs_to_jiffies", "nsecs_to_jiffies64", "timer_reduce", "timer_shutdown",
}
