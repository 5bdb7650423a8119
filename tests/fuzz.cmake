# tests/fuzz.cmake: the libFuzzer harnesses of tests/fuzz/ (label fuzz).
# Built only in the sanitizer build with clang-19 (what tools/test.sh
# configures as build-asan): -fsanitize=fuzzer on top of the project's
# ASan+UBSan.  Each test runs its harness for a short fixed budget
# (KPIPORT_FUZZ_SECONDS, default 5) from the committed seed corpus
# tests/fuzz/corpus/<name>/, which also replays every regression input
# kept there; a crash, leak, timeout or sanitizer report fails the test.
# Long runs: tools/fuzz.sh.  Each harness compiles only the sources it
# tests.
if(NOT (KPIPORT_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION MATCHES "^19\\."))
  return()
endif()

set(KPIPORT_FUZZ_SECONDS 5 CACHE STRING "budget of each ctest fuzz run (seconds)")
set(KP_FUZZ_DIR ${KP_TESTS_DIR}/fuzz)
set(KP_FUZZ_TR ${PROJECT_SOURCE_DIR}/translator)

function(kp_fuzz name)
  cmake_parse_arguments(A "" "" "SOURCES;INCLUDES;LIBS" ${ARGN})
  add_executable(fuzz_${name} ${KP_FUZZ_DIR}/fuzz_${name}.c ${A_SOURCES})
  target_include_directories(fuzz_${name} PRIVATE ${KP_FUZZ_DIR} ${A_INCLUDES})
  target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_compile_definitions(fuzz_${name} PRIVATE FUZZ_SOURCE_DIR="${KP_FUZZ_DIR}")
  if(A_LIBS)
    target_link_libraries(fuzz_${name} PRIVATE ${A_LIBS})
  endif()
  add_test(NAME fuzz_${name}
           COMMAND bash ${KP_FUZZ_DIR}/run_fuzz.sh $<TARGET_FILE:fuzz_${name}> ${KP_FUZZ_DIR}/corpus/${name}
                   ${KPIPORT_FUZZ_SECONDS})
  set_tests_properties(fuzz_${name} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()

kp_fuzz(kbuild SOURCES ${KP_FUZZ_TR}/kp_kbuild.c ${KP_FUZZ_TR}/kp_kbuild_mk.c ${KP_FUZZ_TR}/kp_kbuild_resolve.c
        ${KP_FUZZ_TR}/kp_util.c ${KP_FUZZ_TR}/kp_stamp.c INCLUDES ${KP_FUZZ_TR})
kp_fuzz(kconfig SOURCES ${KP_FUZZ_TR}/kp_kconfig.c ${KP_FUZZ_TR}/kp_kconfig_lex.c ${KP_FUZZ_TR}/kp_kconfig_parse.c
        ${KP_FUZZ_TR}/kp_kconfig_expr.c ${KP_FUZZ_TR}/kp_kconfig_solve.c ${KP_FUZZ_TR}/kp_util.c
        ${KP_FUZZ_TR}/kp_stamp.c INCLUDES ${KP_FUZZ_TR})
kp_fuzz(map SOURCES ${KP_FUZZ_TR}/kp_map.c ${KP_FUZZ_TR}/kp_util.c INCLUDES ${KP_FUZZ_TR} LIBS PkgConfig::LUA)
kp_fuzz(idtable
        SOURCES ${KP_FUZZ_TR}/kp_analyze.c ${KP_FUZZ_TR}/kp_analyze_refs.c ${KP_FUZZ_TR}/kp_analyze_module.c
                ${KP_FUZZ_TR}/kp_libcnames.c ${KP_FUZZ_TR}/kp_util.c
        INCLUDES ${KP_FUZZ_TR} ${KPIPORT_LLVM_DIR}/include
        LIBS ${KPIPORT_LLVM_DIR}/lib/libclang.so PkgConfig::JANSSON)
set_target_properties(fuzz_idtable PROPERTIES BUILD_RPATH ${KPIPORT_LLVM_DIR}/lib)
kp_fuzz(lx_args SOURCES ${PROJECT_SOURCE_DIR}/runtime/lx/lx_args.c INCLUDES ${PROJECT_SOURCE_DIR}/runtime/lx)
kp_fuzz(pcid_wire SOURCES ${PROJECT_SOURCE_DIR}/runtime/host/redox/rx_pcid_wire.c
        INCLUDES ${PROJECT_SOURCE_DIR}/runtime/host/redox)
kp_fuzz(scheme SOURCES ${PROJECT_SOURCE_DIR}/runtime/host/redox/rx_scheme.c ${PROJECT_SOURCE_DIR}/runtime/host/redox/rx_util.c
        INCLUDES ${PROJECT_SOURCE_DIR}/runtime/host/redox ${PROJECT_SOURCE_DIR}/headers/kpi)
