# tests/runtime_kit.cmake: tests of runtime/kit (cooperative tasks, timers,
# event loop), runtime/host/sim (sim device models + fault injection) and the
# kpi headers' self-containment.  Label: runtime.
set(KP_RT_TESTS ${KP_TESTS_DIR}/runtime)
set(KP_RT_KIT ${PROJECT_SOURCE_DIR}/runtime/kit)
set(KP_RT_SIM ${PROJECT_SOURCE_DIR}/runtime/host/sim)
set(KP_RT_KIT_SRC ${KP_RT_KIT}/kit_switch.c ${KP_RT_KIT}/kit_task.c ${KP_RT_KIT}/kit_timer.c ${KP_RT_KIT}/kit_loop.c)
set(KP_RT_SIM_SRC ${KP_RT_SIM}/sim_host.c ${KP_RT_SIM}/sim_pci.c ${KP_RT_SIM}/sim_irq.c ${KP_RT_SIM}/sim_dma.c
    ${KP_RT_SIM}/sim_net.c ${KP_RT_SIM}/sim_signal.c ${KP_RT_SIM}/sim_mmio.c
    ${PROJECT_SOURCE_DIR}/runtime/host/posix/kpi_posix_stack.c
    ${PROJECT_SOURCE_DIR}/runtime/host/posix/kpi_posix_signal.c)

# Each test compiles exactly the sources it needs (no dependency on targets
# other engineers may be editing).
function(kp_runtime_test name)
  add_executable(${name} ${KP_RT_TESTS}/${name}.c ${KP_RT_KIT_SRC} ${KP_RT_SIM_SRC})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/headers/kpi ${KP_RT_SIM} ${KP_RT_KIT}
                             ${KP_TESTS_DIR}/unit)
  target_compile_options(${name} PRIVATE -fno-omit-frame-pointer)
  add_test(NAME runtime_${name} COMMAND ${name})
  set_tests_properties(runtime_${name} PROPERTIES LABELS runtime TIMEOUT 60)
endfunction()

kp_runtime_test(kit_test_tasks)
kp_runtime_test(kit_test_events)
kp_runtime_test(sim_test_pci)
kp_runtime_test(sim_test_faults)

# No Linux header in kit/ or host/; no #include <...> at all in headers/kpi.
add_executable(kit_test_headers ${KP_RT_TESTS}/kit_test_headers.c)
target_include_directories(kit_test_headers PRIVATE ${KP_TESTS_DIR}/unit)
add_test(NAME runtime_kit_test_headers COMMAND kit_test_headers
         ${PROJECT_SOURCE_DIR}/runtime/kit ${PROJECT_SOURCE_DIR}/runtime/host ${PROJECT_SOURCE_DIR}/headers/kpi)
set_tests_properties(runtime_kit_test_headers PROPERTIES LABELS runtime)

# The kpi headers compile freestanding, without any libc header on the path.
foreach(hdr kpi_host.h kpi_kit.h kpi_drm.h sim.h)
  add_test(NAME runtime_kpi_headers_freestanding_${hdr}
           COMMAND ${CMAKE_C_COMPILER} -std=c11 -Wall -Wextra -Werror -nostdinc -ffreestanding -fsyntax-only
                   -I${PROJECT_SOURCE_DIR}/headers/kpi -I${KP_RT_SIM} -include ${hdr}
                   ${KP_RT_TESTS}/kit_test_freestanding.c)
  set_tests_properties(runtime_kpi_headers_freestanding_${hdr} PROPERTIES LABELS runtime)
endforeach()

# ... and in a Linux-kernel-header translation unit, with kbuild's own flags
# from the kbuild fixture (tests/fixture_kbuild.sh; skipped without a tree).
add_test(NAME runtime_kpi_headers_kernel_tu
         COMMAND bash ${KP_TESTS_DIR}/with_kbuild.sh ${KP_KBUILD_FIXTURE}
                 bash ${KP_TESTS_DIR}/compile_kernel_tu.sh @ARGS@ ${KP_RT_TESTS}/kit_test_kernel_tu.c
                 -Werror -I${PROJECT_SOURCE_DIR}/headers/kpi)
set_tests_properties(runtime_kpi_headers_kernel_tu PROPERTIES LABELS runtime SKIP_RETURN_CODE 77
                     FIXTURES_REQUIRED kbuild)

# Benchmarks: built on request, not a test (cmake --build B --target bench_runtime).
add_executable(bench_runtime EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/tools/bench_runtime.c ${KP_RT_KIT_SRC}
               ${KP_RT_SIM_SRC})
target_include_directories(bench_runtime PRIVATE ${PROJECT_SOURCE_DIR}/headers/kpi ${KP_RT_SIM})
find_package(Threads)
if(Threads_FOUND)
  target_link_libraries(bench_runtime PRIVATE Threads::Threads)
endif()
