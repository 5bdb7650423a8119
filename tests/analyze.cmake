# tests/analyze.cmake: the libclang inventory (translator/kp_analyze*.c):
# synthetic drivers parsed against the real kernel headers (label unit), and
# 8139too.c checked against `nm -u` of its compiled object (label real).
# Both need the Linux tree and a prepared kernel build dir; they skip (77)
# when those are missing.
#
# The build dir and 8139too's kbuild flags come from the kbuild fixture
# (tests/fixture_kbuild.sh, made by kpiport itself), shared with other areas.
find_package(PkgConfig REQUIRED)
pkg_check_modules(KA_JANSSON REQUIRED IMPORTED_TARGET jansson)

get_filename_component(KA_ROOT ${KP_TESTS_DIR} DIRECTORY)
set(KA_SOURCES
  ${KA_ROOT}/translator/kp_analyze.c
  ${KA_ROOT}/translator/kp_analyze_refs.c
  ${KA_ROOT}/translator/kp_analyze_module.c
  ${KA_ROOT}/translator/kp_libcnames.c
  ${KA_ROOT}/translator/kp_util.c)
set(KA_TREE "$ENV{HOME}/.cache/kpiport/linux-source-6.1" CACHE PATH "Linux tree for the analyze tests")

function(ka_target name)
  add_executable(${name} ${ARGN} ${KA_SOURCES})
  target_include_directories(${name} PRIVATE ${KA_ROOT}/translator ${KP_TESTS_DIR}/unit
    ${KPIPORT_LLVM_DIR}/include)
  target_link_directories(${name} PRIVATE ${KPIPORT_LLVM_DIR}/lib)
  target_link_libraries(${name} PRIVATE clang PkgConfig::KA_JANSSON)
  set_target_properties(${name} PROPERTIES BUILD_RPATH ${KPIPORT_LLVM_DIR}/lib)
endfunction()

ka_target(kp-analyze-dump ${KP_TESTS_DIR}/unit/kp_analyze_dump.c)
# test_analyze also merges and prints inventories (kp_inv, kp_report): the
# whole translator library.
add_executable(test_analyze ${KP_TESTS_DIR}/unit/test_analyze.c)
target_include_directories(test_analyze PRIVATE ${KP_TESTS_DIR}/unit)
target_link_libraries(test_analyze PRIVATE kpiport_core)
set_target_properties(test_analyze PROPERTIES BUILD_RPATH ${KPIPORT_LLVM_DIR}/lib)
ka_target(test_analyze_nm ${KP_TESTS_DIR}/unit/test_analyze_nm.c)

add_test(NAME analyze_unit
  COMMAND bash ${KP_TESTS_DIR}/with_kbuild.sh ${KP_KBUILD_FIXTURE}
    $<TARGET_FILE:test_analyze> ${KA_TREE} @BUILDDIR@ @ARGS@ ${KA_ROOT}/corpus/synthetic)
set_tests_properties(analyze_unit PROPERTIES LABELS unit SKIP_RETURN_CODE 77 TIMEOUT 120
  FIXTURES_REQUIRED kbuild)
add_test(NAME analyze_nm_8139too
  COMMAND bash ${KP_TESTS_DIR}/with_kbuild.sh ${KP_KBUILD_FIXTURE}
    $<TARGET_FILE:test_analyze_nm> ${KA_TREE} @BUILDDIR@ @ARGS@ drivers/net/ethernet/realtek/8139too.c)
set_tests_properties(analyze_nm_8139too PROPERTIES LABELS real SKIP_RETURN_CODE 77 TIMEOUT 300
  FIXTURES_REQUIRED kbuild)
