# tests/golden.cmake: golden tests.  Every corpus/synthetic/<name> with a
# Kbuild file is ported and its full history compared with
# golden/synthetic/<name>.txt; real drivers are compared as edit summaries
# (no Linux code) with golden/real/<driver>.txt.
file(GLOB KP_SYNTH_KBUILDS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/corpus/synthetic/*/Kbuild)
set(KP_GOLDEN_ENV "KPIPORT=$<TARGET_FILE:kpiport>;KPIPORT_SRC=${PROJECT_SOURCE_DIR}")
foreach(kb ${KP_SYNTH_KBUILDS})
  get_filename_component(dir ${kb} DIRECTORY)
  get_filename_component(name ${dir} NAME)
  add_test(NAME golden.synthetic.${name} COMMAND bash ${KP_TESTS_DIR}/golden/run_golden.sh synthetic ${name})
  set_tests_properties(golden.synthetic.${name} PROPERTIES LABELS golden ENVIRONMENT "${KP_GOLDEN_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
foreach(drv 8139too e1000 i6300esb pvpanic-pci)
  add_test(NAME golden.real.${drv} COMMAND bash ${KP_TESTS_DIR}/golden/run_golden.sh real ${drv})
  set_tests_properties(golden.real.${drv} PROPERTIES LABELS "golden;real" ENVIRONMENT "${KP_GOLDEN_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK kpiport_cache_${drv})
endforeach()
# The runtime-compat probe run ahead (-j2) and only at the end (-j1) give
# the same report (golden/compat_ahead.sh): a driver without imports and one
# with them.
foreach(drv i6300esb pvpanic-pci)
  add_test(NAME golden.compat_ahead.${drv} COMMAND bash ${KP_TESTS_DIR}/golden/compat_ahead.sh ${drv})
  set_tests_properties(golden.compat_ahead.${drv} PROPERTIES LABELS "golden;real" ENVIRONMENT "${KP_GOLDEN_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
