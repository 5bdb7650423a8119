# tests/translator.cmake: unit tests of the translator's own plumbing, and the
# end-to-end tests of `kpiport port` on real drivers of the default tree
# (label real: they need tools/setup.sh's tree) and on bad input (label errors).
set(KP_TR ${PROJECT_SOURCE_DIR}/translator)
add_executable(test_util ${KP_TESTS_DIR}/unit/test_util.c ${KP_TR}/kp_util.c ${KP_TR}/kp_config.c ${KP_TR}/kp_config_seed.c ${KP_TR}/kp_ccmemo.c
  ${KP_TR}/kp_hash.c ${KP_TR}/kp_proc.c ${KP_TR}/kp_tree.c ${KP_TR}/kp_paths.c)
target_include_directories(test_util PRIVATE ${KP_TR} ${KP_TESTS_DIR}/unit)
target_link_libraries(test_util PRIVATE OpenSSL::Crypto)
target_compile_definitions(test_util PRIVATE KPIPORT_VERSION="test")
add_test(NAME unit.util COMMAND test_util)
set_tests_properties(unit.util PROPERTIES LABELS unit)

# The back half without a kernel tree or spatch (label unit, seconds): the
# rewrite stage's own text edits (kp_edit); inventory, dispositions, the
# resolve fix-point with fake earlier stages, stubs and emit on the fixture
# inventories of unit/data/backhalf (test_backhalf writes the report.json
# that unit.report_schema then checks against translator/report.schema.json);
# and no include or call cycle between translator modules (unit.layering,
# over the sources and kpiport_core's objects).
add_executable(test_edit ${KP_TESTS_DIR}/unit/test_edit.c ${KP_TR}/kp_edit.c ${KP_TR}/kp_util.c)
target_include_directories(test_edit PRIVATE ${KP_TR} ${KP_TESTS_DIR}/unit)
add_test(NAME unit.edit COMMAND test_edit)
set_tests_properties(unit.edit PROPERTIES LABELS unit)

add_executable(test_backhalf ${KP_TESTS_DIR}/unit/test_backhalf.c)
target_include_directories(test_backhalf PRIVATE ${KP_TESTS_DIR}/unit)
target_link_libraries(test_backhalf PRIVATE kpiport_core)
set_target_properties(test_backhalf PROPERTIES BUILD_RPATH ${KPIPORT_LLVM_DIR}/lib)
add_test(NAME unit.backhalf COMMAND test_backhalf ${KP_TESTS_DIR}/unit/data/backhalf
  ${CMAKE_CURRENT_BINARY_DIR}/backhalf-report.json)
set_tests_properties(unit.backhalf PROPERTIES LABELS unit TIMEOUT 60 FIXTURES_SETUP backhalf_report)
add_test(NAME unit.report_schema COMMAND ${Python3_EXECUTABLE} ${KP_TESTS_DIR}/unit/check_report_schema.py
  ${KP_TR}/report.schema.json ${KP_TR}/kp_report.h ${CMAKE_CURRENT_BINARY_DIR}/backhalf-report.json)
set_tests_properties(unit.report_schema PROPERTIES LABELS unit FIXTURES_REQUIRED backhalf_report)

add_test(NAME unit.layering COMMAND ${Python3_EXECUTABLE} ${KP_TESTS_DIR}/unit/check_layering.py ${KP_TR}
  $<TARGET_FILE:kpiport_core>)
set_tests_properties(unit.layering PROPERTIES LABELS unit)

# Real drivers: one port each (fixture: the kernel build dirs get cached).
set(KP_REAL_ENV "KPIPORT=$<TARGET_FILE:kpiport>;KPIPORT_SRC=${PROJECT_SOURCE_DIR}")
foreach(drv 8139too e1000 i6300esb pvpanic-pci)
  add_test(NAME real.port.${drv} COMMAND bash ${KP_TESTS_DIR}/real/port_real.sh ${drv})
  set_tests_properties(real.port.${drv} PROPERTIES LABELS real ENVIRONMENT "${KP_REAL_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_${drv})
endforeach()
add_test(NAME real.flags_vs_make COMMAND bash ${KP_TESTS_DIR}/real/flags_vs_make.sh)
set_tests_properties(real.flags_vs_make PROPERTIES LABELS real ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_8139too)
add_test(NAME real.errors COMMAND bash ${KP_TESTS_DIR}/real/errors.sh)
set_tests_properties(real.errors PROPERTIES LABELS "real;errors" ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_8139too)
# Nothing lost (issue 8): output paths, --force, interruption, SIGKILL at
# random points.
add_test(NAME real.outdir COMMAND bash ${KP_TESTS_DIR}/real/outdir.sh)
set_tests_properties(real.outdir PROPERTIES LABELS "real;errors" ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_i6300esb)
add_test(NAME real.kill_port COMMAND bash ${KP_TESTS_DIR}/real/kill_port.sh)
set_tests_properties(real.kill_port PROPERTIES LABELS "real;errors" ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_8139too)
# Redox packaging against pcid-spawner's rules; the recipe's script in a
# fake cookbook (compile-check mode).
add_test(NAME real.redox_pkg COMMAND ${Python3_EXECUTABLE} ${KP_TESTS_DIR}/real/redox_pkg.py --build e1000 8139too i6300esb)
set_tests_properties(real.redox_pkg PROPERTIES LABELS "real;redox" ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_i6300esb)
add_test(NAME real.stubs_compile COMMAND bash ${KP_TESTS_DIR}/real/stubs_compile.sh pcnet32)
set_tests_properties(real.stubs_compile PROPERTIES LABELS real ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900)

# Ported drivers build into static daemons (issue 4's six), label build.
foreach(pair "8139too:multicast_filter_limit" "e1000:TxDescriptors" "i6300esb:heartbeat"
             "pvpanic-pci:" "pcnet32:debug" "ne2k-pci:msg_enable")
  string(REPLACE ":" ";" parts "${pair}")
  list(GET parts 0 drv)
  list(LENGTH parts n)
  set(param "")
  if(n GREATER 1)
    list(GET parts 1 param)
  endif()
  add_test(NAME build.${drv} COMMAND bash ${KP_TESTS_DIR}/real/build_real.sh ${drv} ${param})
  set_tests_properties(build.${drv} PROPERTIES LABELS "real;build" ENVIRONMENT "${KP_REAL_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_${drv})
endforeach()
# The same daemons on the Redox backend over the emulated Redox (label redox).
foreach(drv e1000 i6300esb)
  add_test(NAME build.redox-emu.${drv} COMMAND bash ${KP_TESTS_DIR}/real/build_real.sh ${drv})
  set_tests_properties(build.redox-emu.${drv} PROPERTIES LABELS "real;build;redox"
    ENVIRONMENT "${KP_REAL_ENV};KPI_BUILD_TARGET=redox-emu" SKIP_RETURN_CODE 77 TIMEOUT 900
    RESOURCE_LOCK kpiport_cache_${drv})
endforeach()
# One runtime build per infrastructure config, shared by concurrent builds (cmake/KpiRuntimeCache.cmake).
add_test(NAME build.runtime_cache COMMAND bash ${KP_TESTS_DIR}/real/runtime_cache.sh)
set_tests_properties(build.runtime_cache PROPERTIES LABELS "real;build" ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 3600 RESOURCE_LOCK "kpiport_cache_8139too;kpiport_cache_e1000;kpiport_cache_i6300esb")
add_test(NAME real.concurrent COMMAND bash ${KP_TESTS_DIR}/real/concurrent.sh)
set_tests_properties(real.concurrent PROPERTIES LABELS real ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900)
add_test(NAME build.synth_pci COMMAND bash ${KP_TESTS_DIR}/real/build_real.sh
  ${PROJECT_SOURCE_DIR}/corpus/synthetic/synth_pci debug)
set_tests_properties(build.synth_pci PROPERTIES LABELS "real;build" ENVIRONMENT "${KP_REAL_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 900)

# kpiport-ccmemo, the memo of kbuild's compiler probes, against a fake
# compiler that logs its calls (label unit, no tree).
add_test(NAME unit.ccmemo COMMAND bash ${KP_TESTS_DIR}/unit/test_ccmemo.sh $<TARGET_FILE:kpiport-ccmemo>)
set_tests_properties(unit.ccmemo PROPERTIES LABELS unit)
