# tests/00_fixtures.cmake: fixtures several areas share (included first).
#   kbuild: kpiport's own kernel build dir and 8139too's kbuild flags
#           (fixture_kbuild.sh), for tests that parse against the real
#           kernel headers; run commands through with_kbuild.sh.
set(KP_KBUILD_FIXTURE ${CMAKE_CURRENT_BINARY_DIR}/fixture-kbuild)
add_test(NAME fixture.kbuild COMMAND bash ${KP_TESTS_DIR}/fixture_kbuild.sh ${KP_KBUILD_FIXTURE})
set_tests_properties(fixture.kbuild PROPERTIES LABELS "unit;real;runtime" FIXTURES_SETUP kbuild
  ENVIRONMENT "KPIPORT=$<TARGET_FILE:kpiport>" SKIP_RETURN_CODE 77 TIMEOUT 600
  RESOURCE_LOCK kpiport_cache_8139too)
