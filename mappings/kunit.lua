-- kunit.lua: the KUnit framework (lib/kunit/) for Linux's KUnit test
-- modules.  lib/kunit/test.c and assert.c come in by the symbol closure
-- (they EXPORT_SYMBOL what a test module calls); the framework's files
-- that only its own objects call (kunit-objs in lib/kunit/Makefile, no
-- EXPORT_SYMBOL) are named here so the closure finds them.

import "KUnit's internal string buffers (lib/kunit/string-stream.h)" {
  alloc_string_stream = "lib/kunit/string-stream.c",
  string_stream_add = "lib/kunit/string-stream.c",
  string_stream_vadd = "lib/kunit/string-stream.c",
  string_stream_destroy = "lib/kunit/string-stream.c",
  string_stream_get_string = "lib/kunit/string-stream.c",
  string_stream_is_empty = "lib/kunit/string-stream.c",
  string_stream_append = "lib/kunit/string-stream.c",
  string_stream_clear = "lib/kunit/string-stream.c",
}

-- The runtime loads the one module itself and hands a KUnit module's
-- suites to KUnit directly (runtime/lx/lx_main.c), so the module notifier
-- KUnit registers is kept and never called.
runtime "runtime/lx/lx_main.c: no module loading events: the runtime runs KUnit suites itself" {
  "register_module_notifier",
  "unregister_module_notifier",
}

-- Task references: lx's task structs live until kthread_stop or the
-- runtime's reset, so the last put frees nothing.
runtime "runtime/lx/lx_sched.c: task structs are the runtime's; the last reference frees nothing" {
  "__put_task_struct",
  "__put_task_struct_rcu_cb",
}
