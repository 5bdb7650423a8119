# tests/linux_tests.cmake: Linux's own test modules on the runtime, label
# linux-tests.  One test per line of tests/linux-tests/modules.txt:
# tools/linux_tests.py ports it (kpiport caches the port), builds it for the
# sim target, runs it with --once and judges its KTAP or self-test output
# against tests/linux-tests/expected.txt.  Each port builds the runtime once
# (ccache shares the objects when it is installed).  Skips (77) when the
# default Linux tree is missing.  unit.ktap tests the parser and the verdicts.
# In a KPIPORT_SANITIZE build (clang-19) each module is built with ASan+UBSan
# (`--sanitize`) and a sanitizer report fails it; with another compiler the
# sanitized ports cannot be built, so there are no linux-tests.  The
# modules below modules.txt's `#! batch` line are registered only with
# -DKP_LINUX_TESTS_FULL=ON: CI runs the ones above it.
find_package(Python3 COMPONENTS Interpreter)
set(kp_lt_sanitize "")
set(kp_lt_enabled ON)
if(KPIPORT_SANITIZE)
  if(CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION MATCHES "^19\\.")
    set(kp_lt_sanitize --sanitize)
  else()
    set(kp_lt_enabled OFF)
  endif()
endif()
if(Python3_Interpreter_FOUND)
  add_test(NAME unit.ktap COMMAND ${Python3_EXECUTABLE} ${KP_TESTS_DIR}/linux-tests/test_ktap.py)
  set_tests_properties(unit.ktap PROPERTIES LABELS unit)
endif()
option(KP_LINUX_TESTS_FULL "register every module of tests/linux-tests/modules.txt, not only CI's" OFF)
if(Python3_Interpreter_FOUND AND kp_lt_enabled)
  set(kp_lt_list ${KP_TESTS_DIR}/linux-tests/modules.txt)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${kp_lt_list})
  file(STRINGS ${kp_lt_list} kp_lt_lines)
  set(kp_lt_batch OFF)
  foreach(line IN LISTS kp_lt_lines)
    if(line MATCHES "^#! batch")
      set(kp_lt_batch ON)
    endif()
    if(kp_lt_batch AND NOT KP_LINUX_TESTS_FULL)
      break()
    endif()
    string(REGEX REPLACE "#.*" "" line "${line}")
    string(STRIP "${line}" line)
    if(line STREQUAL "")
      continue()
    endif()
    string(REGEX REPLACE "[ \t].*" "" kp_lt_path "${line}") # the path; parameters follow it
    get_filename_component(kp_lt_name ${kp_lt_path} NAME_WE)
    add_test(NAME linux-tests.${kp_lt_name}
             COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/linux_tests.py ${kp_lt_list}
                     --only ${kp_lt_name} --kpiport $<TARGET_FILE:kpiport> -j 2 ${kp_lt_sanitize}
                     --work ${CMAKE_CURRENT_BINARY_DIR}/linux-tests)
    set_tests_properties(linux-tests.${kp_lt_name} PROPERTIES LABELS linux-tests SKIP_RETURN_CODE 77
                         TIMEOUT 1800 RESOURCE_LOCK kpiport_linux_tests)
  endforeach()
endif()
