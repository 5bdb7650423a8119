# tests/e2e.cmake: QEMU end-to-end tests (label e2e).  Small static test
# programs (tests/e2e/*.c, written from scratch, not Linux drivers) drive
# QEMU's emulated pvpanic-pci, i6300esb and rtl8139 through kpi_host.h on the
# Linux backend (runtime/host/linux) inside a TCG guest built from Debian
# packages (tools/qemu).  Each test skips (77) when QEMU or the guest's
# kernel/busybox cannot be had; they share one cached image (built
# atomically: parallel builders race safely) and each boots its own guest
# with its own QMP socket and free host ports, so two run at once under
# `ctest -j2`, one TCG guest a core.  Scenarios that measure time in the
# guest (the watchdogs' keep-alive windows: KP_E2E_TIMED) ask for every
# processor ctest has (PROCESSORS 2), so nothing runs beside them.
#
# e2e.ported.*: REAL drivers ported and built by the kpiport under test
# (fixtures e2e.ported.build.DRIVER: tests/e2e/build_ported.sh into
# e2e-ported/bin) run as daemons in the guest (tests/e2e/e2e_ported.sh).
# The scenarios are the lines of tests/e2e/matrix.tsv (one line a driver:
# adding a NIC is one line there); e2e.matrix checks that the e2e README's
# table lists every one.
set(KP_E2E_DIR ${KP_TESTS_DIR}/e2e)
set(KP_E2E_LH ${PROJECT_SOURCE_DIR}/runtime/host/linux)
set(KP_E2E_LH_SRC ${KP_E2E_LH}/lh_host.c ${KP_E2E_LH}/lh_pci.c ${KP_E2E_LH}/lh_vfio.c ${KP_E2E_LH}/lh_irq.c ${KP_E2E_LH}/lh_dma.c
    ${KP_E2E_LH}/lh_net.c ${PROJECT_SOURCE_DIR}/runtime/host/posix/kpi_posix_stack.c
    ${PROJECT_SOURCE_DIR}/runtime/host/posix/kpi_posix_signal.c)
set(KP_E2E_SCENARIOS pvpanic esb rtl8139)

# tests/e2e/matrix.tsv -> KP_E2E_PORTED (scenario names: NAME, NAME-redox
# for a redox-emu target), KP_E2E_PORTED_DRIVERS (each driver once) and, per
# driver D, kp_e2e_specs_D (D[:TARGET] for its fixture: linux first, so the
# port is made once) and per scenario S, kp_e2e_drv_S.  Columns: kind name
# driver targets ... (tests/e2e/e2e_matrix.py reads the same file).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KP_E2E_DIR}/matrix.tsv)
file(STRINGS ${KP_E2E_DIR}/matrix.tsv kp_e2e_lines REGEX "^(nic|script)[ \t]")
set(KP_E2E_PORTED "")
set(KP_E2E_PORTED_DRIVERS "")
foreach(l IN LISTS kp_e2e_lines)
  string(REGEX MATCHALL "[^ \t]+" cols "${l}")
  list(GET cols 1 name)
  list(GET cols 2 drv)
  list(GET cols 3 targets)
  string(REPLACE "," ";" targets "${targets}")
  list(APPEND KP_E2E_PORTED_DRIVERS ${drv})
  foreach(t IN LISTS targets)
    if(t STREQUAL "linux")
      list(APPEND KP_E2E_PORTED ${name})
      set(kp_e2e_drv_${name} ${drv})
      list(PREPEND kp_e2e_specs_${drv} ${drv})
    else()
      list(APPEND KP_E2E_PORTED ${name}-redox)
      set(kp_e2e_drv_${name}-redox ${drv})
      list(APPEND kp_e2e_specs_${drv} ${drv}:${t})
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES KP_E2E_PORTED_DRIVERS)
foreach(d IN LISTS KP_E2E_PORTED_DRIVERS)
  list(REMOVE_DUPLICATES kp_e2e_specs_${d})
endforeach()

if(KPIPORT_SANITIZE)
  # Guest programs must be static; ASan/UBSan runtimes are not.
  set(kp_e2e_names)
  foreach(s ${KP_E2E_SCENARIOS})
    list(APPEND kp_e2e_names e2e_${s})
  endforeach()
  foreach(s matrix ${KP_E2E_PORTED})
    list(APPEND kp_e2e_names e2e.ported.${s})
  endforeach()
  foreach(d ${KP_E2E_PORTED_DRIVERS})
    list(APPEND kp_e2e_names e2e.ported.build.${d})
  endforeach()
  list(APPEND kp_e2e_names e2e.drm.bochs)
  foreach(t ${kp_e2e_names})
    add_test(NAME ${t} COMMAND sh -c "echo 'SKIP: e2e programs are static, not built with KPIPORT_SANITIZE'; exit 77")
    set_tests_properties(${t} PROPERTIES LABELS e2e SKIP_RETURN_CODE 77)
  endforeach()
  return()
endif()

foreach(s ${KP_E2E_SCENARIOS})
  add_executable(e2e_${s} ${KP_E2E_DIR}/e2e_${s}.c ${KP_E2E_LH_SRC})
  target_include_directories(e2e_${s} PRIVATE ${PROJECT_SOURCE_DIR}/headers/kpi ${KP_E2E_LH} ${KP_E2E_DIR})
  target_link_options(e2e_${s} PRIVATE -static)
  set_target_properties(e2e_${s} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/e2e-bin)
endforeach()
foreach(s ${KP_E2E_SCENARIOS})
  add_test(NAME e2e_${s} COMMAND bash ${KP_E2E_DIR}/e2e.sh ${s} ${CMAKE_CURRENT_BINARY_DIR}/e2e-bin)
  set_tests_properties(e2e_${s} PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 240)
endforeach()
set(KP_E2E_TIMED e2e_esb e2e.ported.i6300esb e2e.ported.i6300esb-redox)

# The README's table names every scenario of the matrix (no QEMU needed).
add_test(NAME e2e.matrix COMMAND ${Python3_EXECUTABLE} ${KP_E2E_DIR}/e2e_matrix.py check ${KP_E2E_DIR}/README.md)
set_tests_properties(e2e.matrix PROPERTIES LABELS e2e)

# Ported daemons: a fixture per driver ports it once and builds its daemon
# for each target of its lines (e2e.ported.build.DRIVER, fixture
# e2e_ported_DRIVER), and each scenario needs only its own driver's: ctest
# can port two drivers at once and boot a guest for one driver while the
# next is built.  Each fixture locks only its driver's kpiport cache.
set(KP_E2E_PORTED_OUT ${CMAKE_CURRENT_BINARY_DIR}/e2e-ported)
set(KP_E2E_BUILDS "")
foreach(d ${KP_E2E_PORTED_DRIVERS})
  string(REGEX REPLACE "@.*" "" lock "${d}")
  add_test(NAME e2e.ported.build.${d}
           COMMAND bash ${KP_E2E_DIR}/build_ported.sh ${KP_E2E_PORTED_OUT} ${kp_e2e_specs_${d}})
  # The timeout is for a hang, not for a slow machine: a driver's port and
  # two builds take 1-5 min here with cold caches, and twice that on a
  # machine twice as busy.
  set_tests_properties(e2e.ported.build.${d} PROPERTIES LABELS e2e FIXTURES_SETUP e2e_ported_${d}
    ENVIRONMENT "KPIPORT=$<TARGET_FILE:kpiport>" SKIP_RETURN_CODE 77 TIMEOUT 1800
    RESOURCE_LOCK kpiport_cache_${lock})
  list(APPEND KP_E2E_BUILDS e2e.ported.build.${d})
endforeach()
foreach(s ${KP_E2E_PORTED})
  add_test(NAME e2e.ported.${s} COMMAND bash ${KP_E2E_DIR}/e2e_ported.sh ${s} ${KP_E2E_PORTED_OUT})
  set_tests_properties(e2e.ported.${s} PROPERTIES LABELS e2e FIXTURES_REQUIRED e2e_ported_${kp_e2e_drv_${s}}
    SKIP_RETURN_CODE 77 TIMEOUT 240)
endforeach()
foreach(t ${KP_E2E_TIMED})
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES PROCESSORS 2)
  endif()
endforeach()

# The ported bochs DRM daemon on QEMU's bochs-display (issue 15): the DRM
# test client sets 1024x768 and draws two frames (a page flip between),
# QMP screendump must equal each pixel for pixel (tests/e2e/e2e_drm.sh).
# Not a matrix line: a fixture e2e.ported.build.bochs would port bochs again;
# this test builds the linux daemon from the port runtime_drm_bochs_sim made
# (fixture drm_bochs, tests/runtime_drm.cmake), in the same dir and with the
# same ccache settings as its sim build, so bochs is ported once and its
# ~90 imported files compile once.
add_test(NAME e2e.drm.bochs COMMAND bash ${KP_E2E_DIR}/e2e_drm.sh ${CMAKE_CURRENT_BINARY_DIR}/drm-ported)
set_tests_properties(e2e.drm.bochs PROPERTIES LABELS e2e FIXTURES_REQUIRED drm_bochs SKIP_RETURN_CODE 77
  TIMEOUT 1200 RESOURCE_LOCK kpiport_cache_bochs)
