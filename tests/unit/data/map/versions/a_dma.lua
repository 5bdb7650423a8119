-- test_map.c (test_versions): the same symbol mapped once per Linux version range.
runtime { "kfree" }
runtime { before = "6.11", "dma_sync_single_for_cpu" }
header "an inline over __dma_sync_single_for_cpu" { since = "6.11", "dma_sync_single_for_cpu" }
runtime { since = "6.11", "__dma_sync_single_for_cpu" }
