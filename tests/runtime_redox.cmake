# tests/runtime_redox.cmake: unit tests of runtime/host/redox (the Redox
# backend) that need no emulated Redox.  Label: unit.
#  - rx_compile_check: every file of the backend (relibc flavour included)
#    and of runtime/kit compiled for x86_64-unknown-redox with clang-19,
#    freestanding; their undefined symbols checked against relibc's exports
#    (tests/runtime/rx_compile_check.sh; also the kpi_host_redox_check target).
#  - rx_util_test: the pure helpers.
#  - rx_chan_test, rx_scheme_test: the backend's protocol logic over a
#    scripted rx_sys (tests/runtime/rx_fake_sys.c): pcid channel, config
#    space, interrupts, the network scheme, the sandbox.
# End-to-end tests on the emulated Redox live with runtime/host/redox-emu.
set(KP_RX_DIR ${PROJECT_SOURCE_DIR}/runtime/host/redox)
set(KP_RX_CORE ${KP_RX_DIR}/rx_host.c ${KP_RX_DIR}/rx_chan.c ${KP_RX_DIR}/rx_pci.c ${KP_RX_DIR}/rx_bar.c
    ${KP_RX_DIR}/rx_irq.c ${KP_RX_DIR}/rx_msi.c ${KP_RX_DIR}/rx_dma.c ${KP_RX_DIR}/rx_signal.c
    ${KP_RX_DIR}/rx_event.c ${KP_RX_DIR}/rx_scheme.c ${KP_RX_DIR}/rx_net.c ${KP_RX_DIR}/rx_display.c ${KP_RX_DIR}/rx_util.c
    ${KP_RX_DIR}/rx_pcid_wire.c)

find_program(KP_RX_CLANG NAMES clang-19)
find_program(KP_RX_AR NAMES llvm-ar-19 llvm-ar)
if(KP_RX_CLANG AND KP_RX_AR)
  add_test(NAME rx_compile_check
           COMMAND bash ${KP_TESTS_DIR}/runtime/rx_compile_check.sh ${KP_RX_CLANG} ${KP_RX_AR} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/rx-compile-check)
  set_tests_properties(rx_compile_check PROPERTIES LABELS unit SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

add_executable(rx_util_test ${KP_TESTS_DIR}/runtime/rx_util_test.c ${KP_RX_DIR}/rx_util.c)
target_include_directories(rx_util_test PRIVATE ${KP_RX_DIR} ${PROJECT_SOURCE_DIR}/headers/kpi ${KP_TESTS_DIR}/unit)
add_test(NAME rx_util_test COMMAND rx_util_test)
set_tests_properties(rx_util_test PROPERTIES LABELS unit TIMEOUT 60)

foreach(t rx_chan_test rx_scheme_test)
  add_executable(${t} ${KP_TESTS_DIR}/runtime/${t}.c ${KP_TESTS_DIR}/runtime/rx_fake_sys.c ${KP_RX_CORE})
  target_include_directories(${t} PRIVATE ${KP_RX_DIR} ${PROJECT_SOURCE_DIR}/headers/kpi ${KP_TESTS_DIR}/unit
                             ${KP_TESTS_DIR}/runtime)
  target_compile_options(${t} PRIVATE -fno-omit-frame-pointer)
  add_test(NAME ${t} COMMAND ${t})
  set_tests_properties(${t} PROPERTIES LABELS unit TIMEOUT 60)
endforeach()

# The backend unmodified on the emulated Redox (sim backing): a smoke test of
# the integration through kpi_host.h.  Label runtime (it needs the emulator).
if(TARGET kpi_host_redox-emu-sim)
  add_executable(rx_emu_smoke_test ${KP_TESTS_DIR}/runtime/rx_emu_smoke_test.c)
  target_include_directories(rx_emu_smoke_test PRIVATE ${KP_TESTS_DIR}/unit)
  target_link_libraries(rx_emu_smoke_test PRIVATE kpi_host_redox-emu-sim)
  add_test(NAME rx_emu_smoke_test COMMAND rx_emu_smoke_test)
  set_tests_properties(rx_emu_smoke_test PROPERTIES LABELS runtime TIMEOUT 120)
endif()
