# tests/runtime_drm.cmake: issue 15 (graphics).  runtime_drm_bochs_sim ports
# the REAL bochs DRM driver with the DRM core, KMS/GEM helpers, TTM and
# dma-buf imported from the tree (mappings/drm.lua), builds it for the sim
# with the model of QEMU's standard VGA (tests/runtime/sm_model_bochs.c) and
# runs probe, the in-process DRM test client (mode set, two frames checked
# pixel for pixel in the model's VRAM) and remove
# (tests/runtime/drm_test_ported.sh says what it checks).  It is also the
# fixture drm_bochs: its port dir is the one the e2e test builds for the
# linux target (bochs is ported once per test run).  Labels drm;build (not runtime: a cold port and build of ~90
# imported files take several minutes); needs the Linux tree (kbuild
# fixture; skip 77 without it).
add_test(NAME runtime_drm_bochs_sim
         COMMAND bash ${KP_TESTS_DIR}/runtime/drm_test_ported.sh ${CMAKE_CURRENT_BINARY_DIR}/drm-ported)
set_tests_properties(runtime_drm_bochs_sim PROPERTIES LABELS "drm;build" FIXTURES_REQUIRED kbuild FIXTURES_SETUP drm_bochs
  ENVIRONMENT "KPIPORT=$<TARGET_FILE:kpiport>" SKIP_RETURN_CODE 77 TIMEOUT 1800 RESOURCE_LOCK kpiport_cache_bochs)

# runtime_drm_bochs_redox_scheme: the same port (fixture drm_bochs) built for
# the emulated Redox on the sim (kpi_host_redox-emu-sim) serves its
# display.bochs-drm scheme (runtime/host/redox/rx_display.c) to a client
# that speaks Redox's display protocol (tests/runtime/drm_scheme_client.c);
# the model's screen is checked as above (tests/runtime/drm_scheme_test.sh).
# Labels drm;redox;build, not runtime: the sanitizer pass runs the runtime
# label, and this test would pull the fixture's cold port and build of the
# DRM core into it; the daemon build is ~1-3 min cold, seconds with ccache.
add_test(NAME runtime_drm_bochs_redox_scheme
         COMMAND bash ${KP_TESTS_DIR}/runtime/drm_scheme_test.sh ${CMAKE_CURRENT_BINARY_DIR}/drm-ported)
set_tests_properties(runtime_drm_bochs_redox_scheme PROPERTIES LABELS "drm;redox;build"
  FIXTURES_REQUIRED "kbuild;drm_bochs" SKIP_RETURN_CODE 77 TIMEOUT 900)
