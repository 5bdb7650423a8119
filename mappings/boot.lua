-- boot.lua: what start_kernel() and the rest of the kernel provide to
-- library and subsystem code a port imports from the tree (lib/radix-tree.c
-- registers a CPU hotplug state; lib/ratelimit.c prints deferred).  The
-- built-in initcalls themselves are run by runtime/lx/lx_initcall.c.

runtime "runtime/lx/lx_core.c: one CPU, always online: a state's startup runs for CPU 0" {
  "__cpuhp_setup_state",
  "__cpuhp_remove_state",
}

runtime { _printk_deferred = { note = "runtime/lx/lx_print.c: the log is safe from any context" } }
