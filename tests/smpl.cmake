# tests/smpl.cmake: the Coccinelle rule tests (label smpl).  One ctest per case
# directory tests/smpl/<case>/ (run by tests/smpl/run_triple.sh: spatch on
# input.c, diff -u with expected.c, and matched.json for rename cases), plus a
# check of the rules.cocci manifest.  Needs spatch (Coccinelle 1.1.1) and python3.
find_program(KP_SPATCH spatch)
if(NOT KP_SPATCH)
  message(WARNING "spatch not found: the smpl tests will fail until Coccinelle is installed")
  set(KP_SPATCH spatch)
endif()

add_test(NAME smpl_manifest
  COMMAND bash ${KP_TESTS_DIR}/smpl/check_manifest.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(smpl_manifest PROPERTIES LABELS smpl ENVIRONMENT "SPATCH=${KP_SPATCH}")

file(GLOB KP_SMPL_CASES CONFIGURE_DEPENDS ${KP_TESTS_DIR}/smpl/*/case.txt)
foreach(case_file ${KP_SMPL_CASES})
  get_filename_component(case_dir ${case_file} DIRECTORY)
  get_filename_component(case_name ${case_dir} NAME)
  add_test(NAME smpl_${case_name}
    COMMAND bash ${KP_TESTS_DIR}/smpl/run_triple.sh ${case_dir} ${PROJECT_SOURCE_DIR})
  set_tests_properties(smpl_${case_name} PROPERTIES LABELS smpl ENVIRONMENT "SPATCH=${KP_SPATCH}")
endforeach()
