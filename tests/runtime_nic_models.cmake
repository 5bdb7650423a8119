# tests/runtime_nic_models.cmake: sim device models of two real NICs
# (tests/runtime/sm_*.c: RTL8139C, 82540EM) and the NIC scenario run by REAL
# ported drivers on them, on the sim and on the emulated Redox backed by the
# sim (issue 9: "the same NIC semantic tests on sim and redox-emu, for
# 8139too and e1000").
#  - runtime_sm_models: the models and the sim's MMIO trap driven register
#    by register (no driver; label runtime, sanitizer build too).
#  - nic_test_host_check_*: the test host compiled with this build's
#    warnings (-Werror) and sanitizer flags; it only runs inside the daemons.
#  - runtime_nic_port_<driver> (fixture): `kpiport port` once per driver;
#    runtime_nic_<driver>_<host>: build that port for sim / redox-emu with
#    the models and the test host linked in (cmake/KpiPort.cmake's
#    KPI_PORT_EXTRA_SOURCES and KPI_PORT_BACKEND), run the scenario
#    (tests/runtime/nic_test_ported.sh).  8139too runs twice per host: MMIO
#    and use_io=1 (ports).  Labels runtime;redox;build; they need the Linux
#    tree (kbuild fixture; skip 77 without it).  Under KPIPORT_SANITIZE
#    (clang-19) the ports are built with ASan+UBSan (KPI_SANITIZE).
#    Cost: two ports (~30 s warm) and four daemon builds (1-3 min each
#    cold, seconds with ccache); each scenario runs in well under a second.
set(KP_NIC_DIR ${KP_TESTS_DIR}/runtime)
set(KP_NIC_MODELS ${KP_NIC_DIR}/sm_common.c ${KP_NIC_DIR}/sm_model_rtl8139.c ${KP_NIC_DIR}/sm_model_e1000.c)

add_executable(sm_model_test ${KP_NIC_DIR}/sm_model_test.c ${KP_NIC_MODELS})
target_include_directories(sm_model_test PRIVATE ${KP_NIC_DIR} ${KP_TESTS_DIR}/unit)
target_link_libraries(sm_model_test PRIVATE kpi_kit kpi_host_sim)
add_test(NAME runtime_sm_models COMMAND sm_model_test)
set_tests_properties(runtime_sm_models PROPERTIES LABELS runtime TIMEOUT 60)

add_library(nic_test_host_check_sim OBJECT ${KP_NIC_DIR}/nic_test_host.c ${KP_NIC_DIR}/nic_test_os_sim.c)
target_link_libraries(nic_test_host_check_sim PRIVATE kpi_kit kpi_host_sim)
if(TARGET kpi_host_redox-emu-sim)
  add_library(nic_test_host_check_redox OBJECT ${KP_NIC_DIR}/nic_test_os_redox.c)
  target_link_libraries(nic_test_host_check_redox PRIVATE kpi_host_redox-emu-sim)
endif()

set(kp_nic_sanitize OFF)
if(KPIPORT_SANITIZE)
  if(NOT (CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION MATCHES "^19\\."))
    return() # ported code is clang-19 only; a sanitized port needs the same compiler's runtime
  endif()
  set(kp_nic_sanitize ON)
endif()
set(KP_NIC_OUT ${CMAKE_CURRENT_BINARY_DIR}/nic-ported)
# DRIVER:MODEL:daemon runs ("-" = no module parameters)
set(KP_NIC_CASES "8139too:rtl8139:-,use_io=1" "e1000:e1000:-")
foreach(case IN LISTS KP_NIC_CASES)
  string(REPLACE ":" ";" c "${case}")
  list(GET c 0 drv)
  list(GET c 1 model)
  list(GET c 2 runs)
  string(REPLACE "," ";" runs "${runs}")
  add_test(NAME runtime_nic_port_${drv}
           COMMAND bash ${KP_NIC_DIR}/nic_test_ported.sh port ${KP_NIC_OUT} ${drv})
  set_tests_properties(runtime_nic_port_${drv} PROPERTIES LABELS "runtime;redox;build" FIXTURES_REQUIRED kbuild
    FIXTURES_SETUP nic_port_${drv} ENVIRONMENT "KPIPORT=$<TARGET_FILE:kpiport>" SKIP_RETURN_CODE 77 TIMEOUT 600
    RESOURCE_LOCK kpiport_cache_${drv})
  foreach(host sim redox-emu)
    add_test(NAME runtime_nic_${drv}_${host}
             COMMAND bash ${KP_NIC_DIR}/nic_test_ported.sh run ${KP_NIC_OUT} ${drv} ${host} ${model} ${kp_nic_sanitize}
                     ${runs})
    # The timeout is for a hang, not for a slow machine: a cold daemon build
    # takes 1-3 min here, twice that on a machine twice as busy.
    set_tests_properties(runtime_nic_${drv}_${host} PROPERTIES LABELS "runtime;redox;build"
      FIXTURES_REQUIRED "kbuild;nic_port_${drv}" SKIP_RETURN_CODE 77 TIMEOUT 900)
  endforeach()
endforeach()
