# tests/runtime_lx.cmake: tests of runtime/lx (the Linux-side emulation
# layer), headers/shadow and headers/redox.  lx is compiled with a port's
# kernel flags, which exist only at test time (kbuild fixture), so
# runtime_lx_build configures and builds runtime/lx/testproj in a sub-build
# (tests/runtime/lx_build.sh) and the other tests run its executables.
# kit and sim come from this build (kpi_kit, kpi_host_sim: this project's
# compiler and sanitizer flags).  In a KPIPORT_SANITIZE build with clang-19
# (what tools/test.sh configures) lx and the test drivers are instrumented
# too (KPI_SANITIZE, cmake/KpiLx.cmake) and everything shares clang's one
# ASan runtime; with another compiler lx stays uninstrumented and the link
# uses this project's compiler to bring its runtime.  Labels: runtime (and
# unit for the flags test).
set(KP_LX_DIR ${CMAKE_CURRENT_BINARY_DIR}/lx-testproj)
set(KP_LX_TESTS lx_test_sched lx_test_pci lx_test_removed lx_test_params)

add_test(NAME runtime_lx_kflags
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/lx-kflags
                 -P ${KP_TESTS_DIR}/runtime/lx_test_kflags.cmake)
set_tests_properties(runtime_lx_kflags PROPERTIES LABELS "unit;runtime")

set(kp_lx_link_flags "")
set(kp_lx_sanitize OFF)
if(KPIPORT_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION MATCHES "^19\\.")
  set(kp_lx_sanitize ON)
elseif(KPIPORT_SANITIZE)
  set(kp_lx_link_flags "-fsanitize=address,undefined")
endif()
add_test(NAME runtime_lx_build
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_build.sh ${KP_KBUILD_FIXTURE} ${KP_LX_DIR}
                 $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lx_link_flags}"
                 ${kp_lx_sanitize} ${KP_LX_TESTS})
set_tests_properties(runtime_lx_build PROPERTIES LABELS runtime FIXTURES_REQUIRED kbuild FIXTURES_SETUP lxbuild
                     SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK kpiport_lx_testproj)

function(kp_lx_run name)
  cmake_parse_arguments(A "" "REGEX" "ARGS" ${ARGN})
  add_test(NAME runtime_${name} COMMAND ${KP_LX_DIR}/${A_ARGS})
  # A sanitizer report fails the test even where a REGEX decides (exit status ignored).
  set_tests_properties(runtime_${name} PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild" TIMEOUT 60
                       FAIL_REGULAR_EXPRESSION "ERROR: [A-Za-z]+Sanitizer;runtime error:")
  if(A_REGEX)
    set_tests_properties(runtime_${name} PROPERTIES PASS_REGULAR_EXPRESSION "${A_REGEX}")
  endif()
endfunction()
kp_lx_run(lx_test_sched ARGS lx_test_sched)
kp_lx_run(lx_test_pci ARGS lx_test_pci)
kp_lx_run(lx_test_removed ARGS lx_test_removed)
kp_lx_run(lx_test_params_default ARGS lx_test_params)
kp_lx_run(lx_test_params_set ARGS lx_test_params debug=3 name=eth9 fast=1 expect)
kp_lx_run(lx_test_params_help ARGS lx_test_params --help
          REGEX "debug \\(int, default 1\\): Debug level \\(0-7\\).*name \\(charp, default eth0\\): Interface name.*PASSED")
# A bad value: exit status exactly 1, before init (not WILL_FAIL: a crash would pass).
add_test(NAME runtime_lx_test_params_bad
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_expect_exit.sh 1 ${KP_LX_DIR}/lx_test_params debug=notanumber)
set_tests_properties(runtime_lx_test_params_bad PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild"
                     TIMEOUT 60 PASS_REGULAR_EXPRESSION "invalid value 'notanumber' for parameter 'debug'.*exit status 1 as expected")

# The mapping tables agree with the runtime: runtime/rename entries are defined by lx.
add_test(NAME runtime_lx_mappings
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_check_mappings.sh ${KP_LX_DIR}/liblx.a ${PROJECT_SOURCE_DIR}/mappings)
set_tests_properties(runtime_lx_mappings PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild")

# Benchmark (not a test): cmake --build B --target bench_lx, then run B/tests/lx-testproj/bench_lx.
add_custom_target(bench_lx
  COMMAND ${CMAKE_COMMAND} -E env KPIPORT=$<TARGET_FILE:kpiport>
          bash ${KP_TESTS_DIR}/fixture_kbuild.sh ${KP_KBUILD_FIXTURE}
  COMMAND bash ${KP_TESTS_DIR}/runtime/lx_build.sh ${KP_KBUILD_FIXTURE} ${KP_LX_DIR}
          $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lx_link_flags}"
          ${kp_lx_sanitize} ${KP_LX_TESTS}
  DEPENDS kpi_kit kpi_host_sim kpiport
  COMMENT "bench_lx: ${KP_LX_DIR}/bench_lx"
  VERBATIM)
