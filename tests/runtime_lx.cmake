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
set(KP_LX_TESTS lx_test_sched lx_test_pci lx_test_removed lx_test_params lx_test_signals lx_test_device
    lx_test_subsys)
# Also built on the linux backend (NAME_linux, a fake sysfs via KPI_SYSFS_ROOT).
set(KP_LX_LINUX_TESTS lx_test_params)

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
         COMMAND ${CMAKE_COMMAND} -E env KPI_LINUX_LIB=$<TARGET_FILE:kpi_host_linux> KPI_LX_LINUX_TESTS=${KP_LX_LINUX_TESTS}
                 bash ${KP_TESTS_DIR}/runtime/lx_build.sh ${KP_KBUILD_FIXTURE} ${KP_LX_DIR}
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
# What imported subsystems need (driver model, rt_mutex, built-in initcalls) and
# port I/O by number after request_region (issue 14: i2c-i801, pcnet32, ne2k-pci).
kp_lx_run(lx_test_device ARGS lx_test_device REGEX "PASSED")
# What an imported subsystem core needs (the Comedi core): class devices, chrdev
# regions and cdevs, fasync, seq_file and /proc entries, generic devres, vmap.
kp_lx_run(lx_test_subsys ARGS lx_test_subsys REGEX "PASSED")
# The command line (issue 8): module parameters as Linux has them, lx's options.
kp_lx_run(lx_test_params_default ARGS lx_test_params)
kp_lx_run(lx_test_params_set ARGS lx_test_params debug=3 name=eth9 fast=1 heartbeat=10 tx_ring=32 expect)
# the last duplicate wins; a bool alone is true; - and _ are alike in names
kp_lx_run(lx_test_params_last_wins ARGS lx_test_params debug=5 name=eth0 debug=3 name=eth9 fast heartbeat=1
          heartbeat=10 tx-ring=32 expect)
kp_lx_run(lx_test_params_help ARGS lx_test_params --help
          REGEX "debug \\(int, default 1\\): Debug level \\(0-7\\).*name \\(charp, default eth0\\): Interface name.*options:.*--strict: .*--wdt-stop-after=SECONDS: .*PASSED")
# an unknown parameter is reported with the nearest real name, and ignored (as Linux does)
kp_lx_run(lx_test_params_unknown ARGS lx_test_params heartbaet=10
          REGEX "unknown parameter 'heartbaet' ignored \\(did you mean 'heartbeat'\\?\\).*PASSED")

# A bad command line: exit status exactly 2 (KPI_EXIT_USAGE) before init, and
# the message naming the argument (lx_expect_exit.sh: a crash cannot pass).
function(kp_lx_expect name rc regex)
  add_test(NAME runtime_${name} COMMAND bash ${KP_TESTS_DIR}/runtime/lx_expect_exit.sh ${rc} ${KP_LX_DIR}/${ARGN})
  set_tests_properties(runtime_${name} PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild" TIMEOUT 60
                       PASS_REGULAR_EXPRESSION "${regex}.*init did not run.*exit status ${rc} as expected")
endfunction()
kp_lx_expect(lx_test_params_strict 2 "unknown parameter 'heartbaet' \\(did you mean 'heartbeat'\\?\\) \\(--strict\\)"
             lx_test_params --strict heartbaet=10)
kp_lx_expect(lx_test_params_bogus_flag 2
             "unknown option '--bogus-flag'.*valid options: --help, --list-ids, --strict, --wdt-stop-after=SECONDS, --wdt-no-start"
             lx_test_params --bogus-flag)
kp_lx_expect(lx_test_params_option_typo 2 "unknown option '--list-id' \\(did you mean '--list-ids'\\?\\)"
             lx_test_params --list-id)
kp_lx_expect(lx_test_params_bad 2 "invalid value 'notanumber' for parameter 'debug'" lx_test_params debug=notanumber)
kp_lx_expect(lx_test_params_bad_bool 2 "invalid value 'maybe' for parameter 'fast'" lx_test_params fast=maybe)
kp_lx_expect(lx_test_params_no_value 2 "parameter 'debug' needs a value: debug=VALUE" lx_test_params debug)
kp_lx_expect(lx_test_params_bad_option_value 2 "invalid value 'soon' for option '--wdt-stop-after' \\(want SECONDS\\)"
             lx_test_params --wdt-stop-after=soon)
kp_lx_expect(lx_test_params_option_no_value 2 "option '--wdt-stop-after' needs a value: --wdt-stop-after=SECONDS"
             lx_test_params --wdt-stop-after)
kp_lx_expect(lx_test_params_option_extra_value 2 "option '--list-ids' takes no value" lx_test_params --list-ids=yes)
# On the linux backend: --pci= naming a function that does not exist is
# KPI_EXIT_NO_DEVICE (3), a malformed option of the backend is 2.
kp_lx_expect(lx_test_params_linux_no_bdf 3 "no PCI function 0000:00:1f.7 here"
             lx_test_params_linux --pci=0000:00:1f.7)
kp_lx_expect(lx_test_params_linux_bad_host_option 2 "--ready-fd=x: want a file descriptor number"
             lx_test_params_linux --ready-fd=x debug=3)
set_tests_properties(runtime_lx_test_params_linux_no_bdf runtime_lx_test_params_linux_bad_host_option
                     PROPERTIES ENVIRONMENT "KPI_SYSFS_ROOT=${CMAKE_CURRENT_BINARY_DIR}/lx-empty-sysfs")

# Fatal signals (issue 8): every catchable terminating signal runs the
# driver's exit path once; a second one during a stuck exit forces the exit
# (128+N) after bus mastering is turned off; faults and panics stop DMA too.
foreach(case each stuck spin init pipe panic fault)
  add_test(NAME runtime_lx_signals_${case}
           COMMAND bash ${KP_TESTS_DIR}/runtime/lx_signal_test.sh ${KP_LX_DIR}/lx_test_signals ${case})
  set_tests_properties(runtime_lx_signals_${case} PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild"
                       TIMEOUT 120 PASS_REGULAR_EXPRESSION "PASS: ${case}")
endforeach()
add_test(NAME runtime_lx_signals_linux
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_signal_test.sh ${KP_LX_DIR}/lx_test_params_linux plain)
set_tests_properties(runtime_lx_signals_linux PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild"
                     TIMEOUT 120 PASS_REGULAR_EXPRESSION "PASS: plain"
                     ENVIRONMENT "KPI_SYSFS_ROOT=${CMAKE_CURRENT_BINARY_DIR}/lx-empty-sysfs")

# The mapping tables agree with the runtime: runtime/rename entries are defined by lx
# (built under this config and those of runtime_lx_configs.cmake, which adds its fixtures).
set(kp_lx_config_libs "")
foreach(cfg nopci nonet full)
  string(APPEND kp_lx_config_libs ":${CMAKE_CURRENT_BINARY_DIR}/lx-config-${cfg}/liblx.a")
endforeach()
add_test(NAME runtime_lx_mappings
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_check_mappings.sh ${KP_LX_DIR}/liblx.a${kp_lx_config_libs}
                 ${PROJECT_SOURCE_DIR}/mappings)
set_tests_properties(runtime_lx_mappings PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild")

# Benchmark (not a test): cmake --build B --target bench_lx, then run B/tests/lx-testproj/bench_lx.
add_custom_target(bench_lx
  COMMAND ${CMAKE_COMMAND} -E env KPIPORT=$<TARGET_FILE:kpiport>
          bash ${KP_TESTS_DIR}/fixture_kbuild.sh ${KP_KBUILD_FIXTURE}
  COMMAND ${CMAKE_COMMAND} -E env KPI_LINUX_LIB=$<TARGET_FILE:kpi_host_linux> KPI_LX_LINUX_TESTS=${KP_LX_LINUX_TESTS}
          bash ${KP_TESTS_DIR}/runtime/lx_build.sh ${KP_KBUILD_FIXTURE} ${KP_LX_DIR}
          $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lx_link_flags}"
          ${kp_lx_sanitize} ${KP_LX_TESTS}
  DEPENDS kpi_kit kpi_host_sim kpi_host_linux kpiport
  COMMENT "bench_lx: ${KP_LX_DIR}/bench_lx"
  VERBATIM)
