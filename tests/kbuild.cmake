# tests/kbuild.cmake: the Makefile/Kbuild reader and DRIVER resolution
# (translator/kp_kbuild*.c) and the Kconfig reader (translator/kp_kconfig*.c).
# Unit tests run on the hand-written trees in tests/unit/data/{kbuild,kconfig};
# the real test reads the Linux tree and skips (77) when it is absent.
set(KB_TREE "$ENV{HOME}/.cache/kpiport/linux-source-6.1" CACHE PATH "Linux tree for the kbuild/kconfig real test")

set(KB_UTIL ${PROJECT_SOURCE_DIR}/translator/kp_util.c ${PROJECT_SOURCE_DIR}/translator/kp_stamp.c)
set(KB_KBUILD ${PROJECT_SOURCE_DIR}/translator/kp_kbuild.c ${PROJECT_SOURCE_DIR}/translator/kp_kbuild_mk.c
  ${PROJECT_SOURCE_DIR}/translator/kp_kbuild_resolve.c)
set(KB_KCONFIG ${PROJECT_SOURCE_DIR}/translator/kp_kconfig.c ${PROJECT_SOURCE_DIR}/translator/kp_kconfig_lex.c
  ${PROJECT_SOURCE_DIR}/translator/kp_kconfig_parse.c ${PROJECT_SOURCE_DIR}/translator/kp_kconfig_expr.c
  ${PROJECT_SOURCE_DIR}/translator/kp_kconfig_solve.c)

function(kb_test_target name)
  add_executable(${name} ${ARGN} ${KB_UTIL})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/translator ${KP_TESTS_DIR}/unit)
endfunction()

kb_test_target(test_kbuild ${KP_TESTS_DIR}/unit/test_kbuild.c ${KB_KBUILD})
kb_test_target(test_kconfig ${KP_TESTS_DIR}/unit/test_kconfig.c ${KB_KCONFIG})
set(KB_CACHE ${PROJECT_SOURCE_DIR}/translator/kp_kbuild_cache.c ${PROJECT_SOURCE_DIR}/translator/kp_kconfig_cache.c)
kb_test_target(test_tree_cache ${KP_TESTS_DIR}/unit/test_tree_cache.c ${KB_KBUILD} ${KB_KCONFIG} ${KB_CACHE})
kb_test_target(test_kbuild_real ${KP_TESTS_DIR}/unit/test_kbuild_real.c ${KB_KBUILD} ${KB_KCONFIG})

add_test(NAME kbuild_unit COMMAND test_kbuild ${KP_TESTS_DIR}/unit/data/kbuild)
add_test(NAME kconfig_unit COMMAND test_kconfig ${KP_TESTS_DIR}/unit/data/kconfig)
add_test(NAME tree_cache COMMAND test_tree_cache ${KP_TESTS_DIR}/unit/data/kbuild ${KP_TESTS_DIR}/unit/data/kconfig)
set_tests_properties(kbuild_unit kconfig_unit tree_cache PROPERTIES LABELS unit TIMEOUT 60)
add_test(NAME kbuild_real COMMAND test_kbuild_real ${KB_TREE})
add_test(NAME tree_cache_real COMMAND test_tree_cache ${KP_TESTS_DIR}/unit/data/kbuild
  ${KP_TESTS_DIR}/unit/data/kconfig ${KB_TREE})
set_tests_properties(tree_cache_real PROPERTIES LABELS real SKIP_RETURN_CODE 77 TIMEOUT 120)
set_tests_properties(kbuild_real PROPERTIES LABELS real SKIP_RETURN_CODE 77 TIMEOUT 120)
