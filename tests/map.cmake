# tests/map.cmake: unit tests of the mapping-table loader (translator/kp_map.c)
# and a load of the real mappings/ directory.  Builds only the sources it needs.
find_package(PkgConfig REQUIRED)
pkg_check_modules(KP_MAP_LUA REQUIRED IMPORTED_TARGET lua5.4)

add_executable(test_map ${KP_TESTS_DIR}/unit/test_map.c
  ${PROJECT_SOURCE_DIR}/translator/kp_map.c ${PROJECT_SOURCE_DIR}/translator/kp_util.c)
target_include_directories(test_map PRIVATE ${PROJECT_SOURCE_DIR}/translator ${KP_TESTS_DIR}/unit)
target_compile_definitions(test_map PRIVATE
  KP_MAP_DATA="${KP_TESTS_DIR}/unit/data/map"
  KP_MAPPINGS_DIR="${PROJECT_SOURCE_DIR}/mappings"
  KP_REDOX_HEADERS="${PROJECT_SOURCE_DIR}/headers/redox")
target_link_libraries(test_map PRIVATE PkgConfig::KP_MAP_LUA)
add_test(NAME map COMMAND test_map)
set_tests_properties(map PROPERTIES LABELS unit)
