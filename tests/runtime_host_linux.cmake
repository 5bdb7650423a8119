# tests/runtime_host_linux.cmake: unit tests of runtime/host/linux (the Linux
# userspace backend of kpi_host.h) against a fake sysfs tree; no device
# needed.  Label: runtime.  The QEMU end-to-end tests are in e2e.cmake.
set(KP_RT_LH ${PROJECT_SOURCE_DIR}/runtime/host/linux)
set(KP_RT_LH_SRC ${KP_RT_LH}/lh_host.c ${KP_RT_LH}/lh_pci.c ${KP_RT_LH}/lh_vfio.c ${KP_RT_LH}/lh_irq.c ${KP_RT_LH}/lh_dma.c
    ${KP_RT_LH}/lh_net.c ${PROJECT_SOURCE_DIR}/runtime/host/posix/kpi_posix_stack.c
    ${PROJECT_SOURCE_DIR}/runtime/host/posix/kpi_posix_signal.c)
add_executable(host_linux_test ${KP_TESTS_DIR}/runtime/host_linux_test.c ${KP_RT_LH_SRC})
target_include_directories(host_linux_test PRIVATE ${PROJECT_SOURCE_DIR}/headers/kpi ${KP_RT_LH}
                           ${KP_TESTS_DIR}/unit)
add_test(NAME runtime_host_linux_test COMMAND host_linux_test)
set_tests_properties(runtime_host_linux_test PROPERTIES LABELS runtime TIMEOUT 60)
