-- test_map.c (test_versions): x86's `current` moved into struct pcpu_hot in 6.2.
runtime { current_task = { before = "6.2" }, pcpu_hot = { since = "6.2" } }
