# tests/runtime_lx_net.cmake: tests of runtime/lx's net core (lx_net*.c:
# net_device, skb, NAPI, host network export).  Like tests/runtime_lx.cmake,
# lx needs a port's kernel flags, which exist only at test time (kbuild
# fixture): runtime_lx_net_build configures and builds tests/runtime/lx_net_proj
# (lx with its net files + the test drivers) in a sub-build, linking kit and
# sim from this build with this project's compiler.  Under KPIPORT_SANITIZE
# with clang-19, lx and the drivers are instrumented as in runtime_lx.cmake.
# Label: runtime.
set(KP_LXNET_DIR ${CMAKE_CURRENT_BINARY_DIR}/lx-net-proj)
set(KP_LXNET_TESTS lx_net_test_skb lx_net_test_nic)

set(kp_lxnet_link_flags "")
set(kp_lxnet_sanitize OFF)
if(KPIPORT_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION MATCHES "^19\\.")
  set(kp_lxnet_sanitize ON)
elseif(KPIPORT_SANITIZE)
  set(kp_lxnet_link_flags "-fsanitize=address,undefined")
endif()
add_test(NAME runtime_lx_net_build
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_net_build.sh ${KP_KBUILD_FIXTURE} ${KP_LXNET_DIR}
                 $<TARGET_FILE:kpi_kit> $<TARGET_FILE:kpi_host_sim> ${CMAKE_C_COMPILER} "${kp_lxnet_link_flags}"
                 ${kp_lxnet_sanitize}
                 ${KP_LXNET_TESTS})
set_tests_properties(runtime_lx_net_build PROPERTIES LABELS runtime FIXTURES_REQUIRED kbuild
                     FIXTURES_SETUP lxnetbuild SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK kpiport_lx_net_proj)

foreach(t IN LISTS KP_LXNET_TESTS)
  add_test(NAME runtime_${t} COMMAND ${KP_LXNET_DIR}/${t})
  set_tests_properties(runtime_${t} PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxnetbuild" TIMEOUT 60)
endforeach()

# mappings/net.lua agrees with the runtime: runtime entries defined, stubs not.
add_test(NAME runtime_lx_net_mappings
         COMMAND bash ${KP_TESTS_DIR}/runtime/lx_net_check_mappings.sh ${KP_LXNET_DIR}/liblxnet.a
                 ${PROJECT_SOURCE_DIR}/mappings)
set_tests_properties(runtime_lx_net_mappings PROPERTIES LABELS runtime FIXTURES_REQUIRED "kbuild;lxnetbuild")
