# tests/runtime_redox_emu.cmake: the pcid channel codec (runtime/host/redox/
# rx_pcid_wire.c, label unit) and the emulated Redox (runtime/host/redox-emu,
# label runtime) tested through rx_sys.h directly on the sim backing.
set(KP_RX_DIR ${PROJECT_SOURCE_DIR}/runtime/host/redox)
set(KP_RX_VECTORS ${CMAKE_SOURCE_DIR}/../shared/redox/pcid-bincode-vectors.txt)

add_executable(rx_wire_test ${KP_TESTS_DIR}/runtime/rx_wire_test.c ${KP_RX_DIR}/rx_pcid_wire.c)
target_include_directories(rx_wire_test PRIVATE ${KP_RX_DIR} ${KP_TESTS_DIR}/unit)
add_test(NAME unit_rx_wire COMMAND rx_wire_test ${KP_RX_VECTORS})
set_tests_properties(unit_rx_wire PROPERTIES LABELS unit SKIP_RETURN_CODE 77 TIMEOUT 60)

# The codec is shared with the relibc build: it must compile freestanding for
# Redox with no libc header at all (skipped when clang-19 is not installed).
find_program(KP_CLANG19 clang-19)
if(KP_CLANG19)
  add_test(NAME unit_rx_wire_freestanding_redox
           COMMAND ${KP_CLANG19} --target=x86_64-unknown-redox -D__redox__ -std=c11 -ffreestanding -nostdinc
                   -Wall -Wextra -Werror -O2 -c ${KP_RX_DIR}/rx_pcid_wire.c -o rx_pcid_wire.redox.o)
  set_tests_properties(unit_rx_wire_freestanding_redox PROPERTIES LABELS unit)
endif()

# The emulator's semantics through rx_sys.h on the sim backing (no backend).
if(TARGET kpi_host_redox-emu-sim)
  add_executable(redox_emu_test ${KP_TESTS_DIR}/runtime/redox_emu_test.c)
  target_include_directories(redox_emu_test PRIVATE ${KP_TESTS_DIR}/unit)
  target_link_libraries(redox_emu_test PRIVATE kpi_host_redox-emu-sim)
  add_test(NAME runtime_redox_emu COMMAND redox_emu_test)
  set_tests_properties(runtime_redox_emu PROPERTIES LABELS runtime TIMEOUT 120)
endif()
