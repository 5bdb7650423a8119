# tests/versions.cmake: the tests that run once more for every Linux tree of
# tools/linux-versions after the first (the default tree, which the other
# areas' tests use): today Debian's linux-source-6.12 beside 6.1.  Each tree
# is the one tools/setup.sh extracts into the cache; a missing tree skips
# (77).  Test names end in .v<version>; for each tree:
#   fixture.kbuild*.v<V>      the kernel build dirs and kbuild flags (8139too's
#                             config and the nopci/nonet/full configurations)
#   runtime_lx_*.v<V>         runtime/lx built against that tree (its probes:
#                             runtime/lx/lx_compat.h) and its tests run;
#                             runtime_lx_compat_report*: report.json lists the
#                             adaptations the build applies
#   runtime_lx_mappings.v<V>  the tables agree with that lx, both ways, with
#   runtime_lx_net_*.v<V>     the entries for that version (since/before); the
#                             net core and net.lua likewise
#   build.<drv>.v<V>          the first drivers port and build into daemons
#   golden.real.<drv>.v<V>    edit summaries: golden/real-<V>/<drv>.txt where
#                             that tree's differ, else golden/real/<drv>.txt
#   corpus.subset.v<V>        a CI subset of the corpus (KP_CORPUS_SUBSET),
#                             each driver at least at its manifest stage
# Labels as the default tree's counterparts.  Adding a version: one line in
# tools/linux-versions (runtime/lx/README.md, "Another Linux version").
file(STRINGS ${PROJECT_SOURCE_DIR}/tools/linux-versions kp_versions REGEX "^[0-9]")
list(REMOVE_AT kp_versions 0) # the default tree: the other areas' tests
if(DEFINED ENV{KPIPORT_CACHE})
  set(kp_cache $ENV{KPIPORT_CACHE})
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(kp_cache $ENV{XDG_CACHE_HOME}/kpiport)
else()
  set(kp_cache $ENV{HOME}/.cache/kpiport)
endif()
set(KP_CORPUS_SUBSET "realtek/8139|intel/e1000/|intel/e100\\.c|i6300esb|pvpanic-pci|i2c-i801|ne2k-pci|tulip_core"
    CACHE STRING "regex (tools/corpus.py --only) of the corpus drivers the corpus.subset* tests run")

foreach(v IN LISTS kp_versions)
  set(tree ${kp_cache}/linux-source-${v})
  set(env "KPIPORT=$<TARGET_FILE:kpiport>;KPIPORT_SRC=${PROJECT_SOURCE_DIR};KPIPORT_LINUX=${tree}")
  set(fx ${CMAKE_CURRENT_BINARY_DIR}/fixture-kbuild-v${v})
  set(lxdir ${CMAKE_CURRENT_BINARY_DIR}/lx-testproj-v${v})

  # runtime/lx under 8139too's configuration, and its tests
  add_test(NAME fixture.kbuild.v${v} COMMAND bash ${KP_TESTS_DIR}/fixture_kbuild.sh ${fx})
  set_tests_properties(fixture.kbuild.v${v} PROPERTIES LABELS "unit;real;runtime" FIXTURES_SETUP kbuild_v${v}
    ENVIRONMENT "${env}" SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK kpiport_cache_8139too)
  add_test(NAME runtime_lx_build.v${v}
           COMMAND ${CMAKE_COMMAND} -E env KPI_LINUX_LIB=$<TARGET_FILE:kpi_host_linux> KPI_LX_LINUX_TESTS=${KP_LX_LINUX_TESTS}
                   bash ${KP_TESTS_DIR}/runtime/lx_build.sh ${fx} ${lxdir}
                   $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lx_link_flags}"
                   ${kp_lx_sanitize} ${KP_LX_TESTS})
  set_tests_properties(runtime_lx_build.v${v} PROPERTIES LABELS runtime FIXTURES_REQUIRED kbuild_v${v}
    FIXTURES_SETUP lxbuild_v${v} SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK kpiport_lx_testproj_v${v})
  foreach(t lx_test_sched lx_test_pci lx_test_removed lx_test_params)
    add_test(NAME runtime_${t}.v${v} COMMAND ${lxdir}/${t})
    set_tests_properties(runtime_${t}.v${v} PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild_v${v};lxbuild_v${v}"
      TIMEOUT 60 FAIL_REGULAR_EXPRESSION "ERROR: [A-Za-z]+Sanitizer;runtime error:")
  endforeach()
  add_test(NAME runtime_lx_signals_each.v${v}
           COMMAND bash ${KP_TESTS_DIR}/runtime/lx_signal_test.sh ${lxdir}/lx_test_signals each)
  set_tests_properties(runtime_lx_signals_each.v${v} PROPERTIES LABELS runtime
    FIXTURES_REQUIRED "kbuild_v${v};lxbuild_v${v}" TIMEOUT 120 PASS_REGULAR_EXPRESSION "PASS: each")

  # kpiport's report and this build agree on the version adaptations
  add_test(NAME runtime_lx_compat_report.v${v} COMMAND bash ${KP_TESTS_DIR}/runtime/lx_compat_report.sh ${fx} ${lxdir})
  set_tests_properties(runtime_lx_compat_report.v${v} PROPERTIES LABELS runtime
    FIXTURES_REQUIRED "kbuild_v${v};lxbuild_v${v}" SKIP_RETURN_CODE 77)

  # ... under the other configurations (runtime_lx_configs.cmake's), and their tests.
  # Not in the sanitizer pass: there the default tree's configurations run
  # lx's code under ASan+UBSan, and this tree's default and net builds run
  # its version adaptations; this tree's other configurations add compile
  # coverage (and the mapping check, static), which the first pass has, at
  # a third of the sanitizer pass's compile time.
  set(libs ${lxdir}/liblx.a)
  set(cfg_fixtures "")
  set(kp_version_configs nopci nonet full)
  if(KPIPORT_SANITIZE)
    set(kp_version_configs "")
  endif()
  foreach(cfg IN LISTS kp_version_configs)
    set(cfx ${CMAKE_CURRENT_BINARY_DIR}/fixture-kbuild-${cfg}-v${v})
    set(cdir ${CMAKE_CURRENT_BINARY_DIR}/lx-config-${cfg}-v${v})
    add_test(NAME fixture.kbuild_${cfg}.v${v} COMMAND bash ${KP_TESTS_DIR}/fixture_kbuild_config.sh kpi_fx_${cfg} ${cfx})
    set_tests_properties(fixture.kbuild_${cfg}.v${v} PROPERTIES LABELS runtime FIXTURES_SETUP kbuild_${cfg}_v${v}
      ENVIRONMENT "${env}" SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK kpiport_cache_kpi_fx_${cfg})
    add_test(NAME runtime_lx_config_${cfg}_build.v${v}
             COMMAND bash ${KP_TESTS_DIR}/runtime/lx_config_build.sh ${cfx} ${cdir}
                     $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lx_link_flags}"
                     ${kp_lx_sanitize} ${KP_LXCFG_TESTS_${cfg}})
    set_tests_properties(runtime_lx_config_${cfg}_build.v${v} PROPERTIES LABELS runtime
      FIXTURES_REQUIRED kbuild_${cfg}_v${v} FIXTURES_SETUP lxconfig_${cfg}_v${v} SKIP_RETURN_CODE 77 TIMEOUT 600
      RESOURCE_LOCK kpiport_lx_config_${cfg}_v${v})
    foreach(t IN LISTS KP_LXCFG_TESTS_${cfg})
      add_test(NAME runtime_${t}_${cfg}.v${v} COMMAND ${cdir}/${t})
      set_tests_properties(runtime_${t}_${cfg}.v${v} PROPERTIES LABELS runtime
        FIXTURES_REQUIRED "kbuild_${cfg}_v${v};lxconfig_${cfg}_v${v}" TIMEOUT 60
        FAIL_REGULAR_EXPRESSION "ERROR: [A-Za-z]+Sanitizer;runtime error:")
    endforeach()
    string(APPEND libs ":${cdir}/liblx.a")
    list(APPEND cfg_fixtures kbuild_${cfg}_v${v} lxconfig_${cfg}_v${v})
  endforeach()
  # The tables agree with this tree's lx (lx_version.sh reads its version).
  if(NOT KPIPORT_SANITIZE)
    add_test(NAME runtime_lx_mappings.v${v}
             COMMAND bash ${KP_TESTS_DIR}/runtime/lx_check_mappings.sh ${libs} ${PROJECT_SOURCE_DIR}/mappings)
    set_tests_properties(runtime_lx_mappings.v${v} PROPERTIES LABELS runtime
      FIXTURES_REQUIRED "kbuild_v${v};lxbuild_v${v};${cfg_fixtures}")
  endif()

  # runtime/lx's net core (runtime_lx_net.cmake's), its tests and net.lua against it
  set(netdir ${CMAKE_CURRENT_BINARY_DIR}/lx-net-proj-v${v})
  add_test(NAME runtime_lx_net_build.v${v}
           COMMAND bash ${KP_TESTS_DIR}/runtime/lx_net_build.sh ${fx} ${netdir}
                   $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lxnet_link_flags}"
                   ${kp_lxnet_sanitize} ${KP_LXNET_TESTS})
  set_tests_properties(runtime_lx_net_build.v${v} PROPERTIES LABELS runtime FIXTURES_REQUIRED kbuild_v${v}
    FIXTURES_SETUP lxnetbuild_v${v} SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK kpiport_lx_net_proj_v${v})
  foreach(t IN LISTS KP_LXNET_TESTS)
    add_test(NAME runtime_${t}.v${v} COMMAND ${netdir}/${t})
    set_tests_properties(runtime_${t}.v${v} PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild_v${v};lxnetbuild_v${v}"
      TIMEOUT 60)
  endforeach()
  add_test(NAME runtime_lx_net_mappings.v${v}
           COMMAND bash ${KP_TESTS_DIR}/runtime/lx_net_check_mappings.sh ${netdir}/liblxnet.a ${PROJECT_SOURCE_DIR}/mappings)
  set_tests_properties(runtime_lx_net_mappings.v${v} PROPERTIES LABELS runtime
    FIXTURES_REQUIRED "kbuild_v${v};lxnetbuild_v${v}")

  # Ported drivers build into static daemons (label build), as build.* do for the default tree.
  foreach(pair "8139too:multicast_filter_limit" "e1000:TxDescriptors" "i6300esb:heartbeat" "pvpanic-pci:"
               "8139cp:debug")
    string(REPLACE ":" ";" parts "${pair}")
    list(GET parts 0 drv)
    list(LENGTH parts n)
    set(param "")
    if(n GREATER 1)
      list(GET parts 1 param)
    endif()
    add_test(NAME build.${drv}.v${v} COMMAND bash ${KP_TESTS_DIR}/real/build_real.sh ${drv} ${param})
    set_tests_properties(build.${drv}.v${v} PROPERTIES LABELS "real;build" ENVIRONMENT "${env}"
      SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_${drv})
  endforeach()

  # Edit summaries: this tree's own golden file where it differs from the default tree's.
  foreach(drv 8139too e1000 i6300esb pvpanic-pci)
    set(kind real)
    if(EXISTS ${PROJECT_SOURCE_DIR}/golden/real-${v}/${drv}.txt)
      set(kind real-${v})
    endif()
    add_test(NAME golden.real.${drv}.v${v} COMMAND bash ${KP_TESTS_DIR}/golden/run_golden.sh ${kind} ${drv})
    set_tests_properties(golden.real.${drv}.v${v} PROPERTIES LABELS "golden;real" ENVIRONMENT "${env}"
      SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_${drv})
  endforeach()

  # A CI subset of the corpus on this tree: each driver at least at its manifest stage.
  if(Python3_Interpreter_FOUND)
    add_test(NAME corpus.subset.v${v}
             COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/corpus.py --check -j ${KP_CORPUS_JOBS}
                     --kpiport $<TARGET_FILE:kpiport> --linux ${tree} --only ${KP_CORPUS_SUBSET}
                     --results-dir ${CMAKE_CURRENT_BINARY_DIR}/corpus-subset-v${v})
    set_tests_properties(corpus.subset.v${v} PROPERTIES LABELS corpus SKIP_RETURN_CODE 77 TIMEOUT 3600
      PROCESSORS ${KP_CORPUS_JOBS})
    # After the tests that port the same drivers on this tree (when they run
    # too): their ports leave kpiport's cache warm, so the subset's ports of
    # those drivers cost a second each instead of a cold port.  DEPENDS only
    # orders; `ctest -L corpus` alone still runs just the subset.
    set_property(TEST corpus.subset.v${v} APPEND PROPERTY DEPENDS ${KP_E2E_BUILDS}
      build.8139too.v${v} build.e1000.v${v} build.i6300esb.v${v} build.pvpanic-pci.v${v} build.8139cp.v${v})
  endif()
endforeach()

# The default tree's report and lx build agree on the adaptations too (none apply to 6.1).
add_test(NAME runtime_lx_compat_report COMMAND bash ${KP_TESTS_DIR}/runtime/lx_compat_report.sh
         ${KP_KBUILD_FIXTURE} ${KP_LX_DIR})
set_tests_properties(runtime_lx_compat_report PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxbuild"
  SKIP_RETURN_CODE 77)

# The same CI subset on the default tree, to compare with; each port is also
# compile-checked for x86_64-unknown-redox (`kpiport build --target redox`).
if(Python3_Interpreter_FOUND)
  add_test(NAME corpus.subset
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/corpus.py --check -j ${KP_CORPUS_JOBS}
                   --kpiport $<TARGET_FILE:kpiport> --only ${KP_CORPUS_SUBSET} --redox-check
                   --results-dir ${CMAKE_CURRENT_BINARY_DIR}/corpus-subset)
  set_tests_properties(corpus.subset PROPERTIES LABELS corpus SKIP_RETURN_CODE 77 TIMEOUT 3600
    PROCESSORS ${KP_CORPUS_JOBS})
  # After the e2e fixtures, which port every driver of the subset on this
  # tree (warm ports, as above).
  set_property(TEST corpus.subset APPEND PROPERTY DEPENDS ${KP_E2E_BUILDS})
endif()
