-- ptp.lua: the PTP hardware clock core (runtime/lx/lx_ptp.c).  A network
-- driver registers its clock and reports its index; a daemon has no
-- /dev/ptpN, so the clock is read once at registration and logged, its
-- auxiliary worker runs on the system workqueue, events are counted.
runtime "runtime/lx/lx_ptp.c: registration, index, pins, aux worker; events have no reader" {
  "ptp_clock_register", "ptp_clock_unregister", "ptp_clock_event", "ptp_clock_index",
  "ptp_find_pin", "ptp_find_pin_unlocked", "ptp_schedule_worker", "ptp_cancel_worker_sync",
}
