# tests/runtime_lx_configs.cmake: runtime/lx under other kernel
# configurations than 8139too's (tests/runtime_lx.cmake), and the lx tests
# that need them.  Each configuration is the kernel build dir kpiport makes
# for an empty external module whose Kconfig `depends on` line says what is
# on (tests/runtime/kconfigs/, fixture_kbuild_config.sh):
#   nopci   no PCI, no networking (a lib/ test module's config): lx builds,
#           the header inlines of a PCI-less kernel never collide with it
#   nonet   PCI with MSI/MSI-X, no networking
#   full    PCI with MSI/MSI-X, networking, page_pool, PTP clocks, ATM
# lx and the test drivers are built per configuration with
# runtime/lx/testproj (tests/runtime/lx_config_build.sh), kit and sim come
# from this build; sanitizer handling as in runtime_lx.cmake.  The mapping
# check (runtime_lx_mappings) counts the libraries of all configurations as
# one: an entry the headers make inline under one config is linked under
# another (the MSI API, page_pool).  Label: runtime.
set(KP_LXCFG_TESTS_nopci lx_test_uaccess)
set(KP_LXCFG_TESTS_nonet lx_test_uaccess lx_test_msi lx_test_lookup lx_test_page lx_test_dynid)
set(KP_LXCFG_TESTS_full lx_test_msi lx_test_page lx_test_ptp lx_test_atm)

foreach(cfg nopci nonet full)
  set(fx ${CMAKE_CURRENT_BINARY_DIR}/fixture-kbuild-${cfg})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/lx-config-${cfg})
  add_test(NAME fixture.kbuild_${cfg}
           COMMAND bash ${KP_TESTS_DIR}/fixture_kbuild_config.sh kpi_fx_${cfg} ${fx})
  set_tests_properties(fixture.kbuild_${cfg} PROPERTIES LABELS runtime FIXTURES_SETUP kbuild_${cfg}
    ENVIRONMENT "KPIPORT=$<TARGET_FILE:kpiport>" SKIP_RETURN_CODE 77 TIMEOUT 600
    RESOURCE_LOCK kpiport_cache_kpi_fx_${cfg})
  add_test(NAME runtime_lx_config_${cfg}_build
           COMMAND bash ${KP_TESTS_DIR}/runtime/lx_config_build.sh ${fx} ${dir}
                   $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lx_link_flags}"
                   ${kp_lx_sanitize} ${KP_LXCFG_TESTS_${cfg}})
  set_tests_properties(runtime_lx_config_${cfg}_build PROPERTIES LABELS runtime
    FIXTURES_REQUIRED kbuild_${cfg} FIXTURES_SETUP lxconfig_${cfg} SKIP_RETURN_CODE 77 TIMEOUT 600
    RESOURCE_LOCK kpiport_lx_config_${cfg})
  foreach(t IN LISTS KP_LXCFG_TESTS_${cfg})
    add_test(NAME runtime_${t}_${cfg} COMMAND ${dir}/${t})
    set_tests_properties(runtime_${t}_${cfg} PROPERTIES LABELS runtime
      FIXTURES_REQUIRED "kbuild_${cfg};lxconfig_${cfg}" TIMEOUT 60
      FAIL_REGULAR_EXPRESSION "ERROR: [A-Za-z]+Sanitizer;runtime error:")
  endforeach()
endforeach()

# runtime_lx_mappings (runtime_lx.cmake) reads these libraries too.
set_property(TEST runtime_lx_mappings APPEND PROPERTY FIXTURES_REQUIRED
             kbuild_nopci lxconfig_nopci kbuild_nonet lxconfig_nonet kbuild_full lxconfig_full)
