# cmake/KpiPort.cmake: the build of a port dir.  The CMakeLists.txt that
# `kpiport port` writes is a short list of what the port holds; how it is
# built for each host lives here, in one place, so ports made by an older
# kpiport build the way the current one does.
#
#   include(KpiPort.cmake)          BEFORE project(): picks the compiler
#                                   (clang-19: the kernel flags are clang's)
#                                   and, for KPI_HOST=redox, the Redox
#                                   toolchain file
#   kpi_port_runtime(ARGS_FILE <f> [MODNAME <m>] [NO_NET])
#                                   runtime/kit, the host backend, runtime/lx:
#                                   from the runtime cache, built there once
#                                   for every driver with the same
#                                   infrastructure (cmake/KpiRuntimeCache.cmake;
#                                   -DKPI_RUNTIME_CACHE=OFF or the environment's
#                                   KPIPORT_RUNTIME_CACHE=OFF builds them here);
#                                   MODNAME is accepted and ignored
#   kpi_port_daemon(<name> ARGS_FILE <f> SOURCES <src>... [DEFINES <d>...])
#                                   the ported sources as one daemon
#   kpi_port_import(<daemon> <target> ARGS_FILE <f> SOURCE <src>)
#                                   an imported tree file, with its own flags
#   kpi_port_finish(<name>)         link it (or, compile-only, stop at the
#                                   objects); install rules for Redox
#
# KPI_HOST: linux (sysfs + UIO), sim (in-process device models), redox-emu
# (the Redox backend on the emulated Redox, running here), redox (the Redox
# backend on relibc: linked when cmake/KpiRedoxToolchain.cmake finds a
# Redox toolchain, else every object is compile-checked with clang's redox
# target and linking is left to Redox's build system: redox/recipe.toml).
#
# Test hooks (tests/runtime_nic_models.cmake passes them with -D; a port
# build never needs them): KPI_PORT_BACKEND links that backend library
# instead of kpi_host_${KPI_HOST} (another flavour the host's directory
# builds: kpi_host_redox-emu-sim, the emulated Redox on the sim), and
# KPI_PORT_EXTRA_SOURCES are libc-side C files (device models, a test host)
# compiled against the backend's headers and linked into the daemon as
# objects, so their constructors run; KPI_PORT_EXTRA_INCLUDES adds include
# dirs for them only (a test client's UAPI headers).
set(KPI_HOST linux CACHE STRING "host backend: linux | sim | redox-emu | redox")
set_property(CACHE KPI_HOST PROPERTY STRINGS linux sim redox-emu redox)
if(NOT KPI_HOST MATCHES "^(linux|sim|redox-emu|redox)$")
  message(FATAL_ERROR "KPI_HOST=${KPI_HOST}: want linux, sim, redox-emu or redox")
endif()
if(KPI_HOST STREQUAL "redox")
  if(NOT CMAKE_TOOLCHAIN_FILE)
    set(CMAKE_TOOLCHAIN_FILE ${CMAKE_CURRENT_LIST_DIR}/KpiRedoxToolchain.cmake)
  endif()
else()
  set(CMAKE_C_COMPILER clang-19)
endif()

function(kpi_port_runtime)
  cmake_parse_arguments(A "NO_NET" "ARGS_FILE;MODNAME" "" ${ARGN}) # MODNAME: ignored, lx is the same for every driver
  include(${KPI_ROOT}/cmake/KpiLx.cmake)
  if(NOT (DEFINED KPI_RUNTIME_CACHE AND NOT KPI_RUNTIME_CACHE) AND NOT "$ENV{KPIPORT_RUNTIME_CACHE}" STREQUAL "OFF")
    include(${KPI_ROOT}/cmake/KpiRuntimeCache.cmake)
    if(A_NO_NET)
      kpi_runtime_cached(ARGS_FILE ${A_ARGS_FILE} NO_NET)
    else()
      kpi_runtime_cached(ARGS_FILE ${A_ARGS_FILE})
    endif()
    return()
  endif()
  add_subdirectory(${KPI_ROOT}/runtime/kit ${CMAKE_BINARY_DIR}/kit)
  add_subdirectory(${KPI_ROOT}/runtime/host/${KPI_HOST} ${CMAKE_BINARY_DIR}/host)
  if(A_NO_NET)
    kpi_add_lx(lx ARGS_FILE ${A_ARGS_FILE} NO_NET)
  else()
    kpi_add_lx(lx ARGS_FILE ${A_ARGS_FILE})
  endif()
endfunction()

# Ported code sees <redox/...> and every renamed call's declaration.
function(kpi_port_kernel_code target args_file modname)
  include(${KPI_ROOT}/cmake/KpiLx.cmake)
  kpi_kernel_target(${target} ARGS_FILE ${args_file} MODNAME ${modname})
  target_include_directories(${target} PRIVATE ${KPI_ROOT}/headers)
  target_compile_options(${target} PRIVATE "SHELL:-include redox/kpi_main.h")
endfunction()

function(kpi_port_daemon name)
  cmake_parse_arguments(A "" "ARGS_FILE" "SOURCES;DEFINES" ${ARGN})
  if(KPI_REDOX_COMPILE_ONLY)
    add_library(${name} STATIC ${A_SOURCES}) # objects only: no relibc to link against here
  else()
    add_executable(${name} ${A_SOURCES})
  endif()
  kpi_port_kernel_code(${name} ${A_ARGS_FILE} ${name})
  if(A_DEFINES)
    target_compile_definitions(${name} PRIVATE ${A_DEFINES})
  endif()
  set_property(GLOBAL PROPERTY KPI_PORT_IMPORTS "")
endfunction()

function(kpi_port_import daemon target)
  cmake_parse_arguments(A "" "ARGS_FILE;SOURCE" "" ${ARGN})
  add_library(${target} OBJECT ${A_SOURCE})
  kpi_port_kernel_code(${target} ${A_ARGS_FILE} ${daemon})
  # Linked into the daemon as built-in code: its module_init is an initcall
  # (lx_initcall.c), never a second init_module.  kbuild gives -DMODULE to
  # an import whose own symbol the driver selects as a module (comedi_8254
  # for cb_pcidas); built in, it names its file as kbuild does for obj-y.
  file(STRINGS "${A_ARGS_FILE}" kpi_import_args)
  if("-DMODULE" IN_LIST kpi_import_args)
    get_filename_component(kpi_modfile "${A_SOURCE}" NAME_WE)
    target_compile_options(${target} PRIVATE -UMODULE "-DKBUILD_MODFILE=\"${kpi_modfile}\"")
  endif()
  set_property(GLOBAL APPEND PROPERTY KPI_PORT_IMPORTS ${target})
endfunction()

function(kpi_port_finish name)
  get_property(imports GLOBAL PROPERTY KPI_PORT_IMPORTS)
  set(backend kpi_host_${KPI_HOST})
  if(KPI_PORT_BACKEND)
    set(backend ${KPI_PORT_BACKEND})
  endif()
  if(KPI_PORT_EXTRA_SOURCES)
    add_library(${name}_extra OBJECT ${KPI_PORT_EXTRA_SOURCES})
    target_link_libraries(${name}_extra PRIVATE kpi_kit ${backend})
    if(KPI_PORT_EXTRA_INCLUDES)
      target_include_directories(${name}_extra PRIVATE ${KPI_PORT_EXTRA_INCLUDES})
    endif()
    target_sources(${name} PRIVATE $<TARGET_OBJECTS:${name}_extra>)
  endif()
  # kit and the host backend are linked, not seen: the driver's objects get
  # no host include dirs, so its compile lines are the same for every
  # target and a second target's build of them is a ccache hit.
  target_link_libraries(${name} PRIVATE ${imports} lx "$<LINK_ONLY:kpi_kit>" "$<LINK_ONLY:${backend}>")
  if(KPI_REDOX_COMPILE_ONLY)
    add_custom_command(TARGET ${name} POST_BUILD VERBATIM
      COMMAND ${CMAKE_COMMAND} -E echo
        "kpiport: every object of ${name} compiled for x86_64-unknown-redox; no Redox toolchain here, so linking happens in Redox's build system (redox/recipe.toml)")
    return()
  endif()
  # One static executable: it runs in a bare initramfs or on Redox alike.
  # Not under KPI_SANITIZE: the sanitizer runtimes cannot be linked
  # statically (a test build, tests/runtime_nic_models.cmake).
  if(NOT KPI_SANITIZE)
    target_link_options(${name} PRIVATE -static)
  endif()
  if(KPI_HOST STREQUAL "redox")
    # What the cookbook recipe stages: the daemon where pcid-spawner looks,
    # and its pcid.d config.
    # Absolute: the cookbook stages with DESTDIR, and Redox's paths are fixed.
    install(PROGRAMS $<TARGET_FILE:${name}> DESTINATION /usr/lib/drivers RENAME kpiport-${name})
    file(GLOB pcid ${CMAKE_SOURCE_DIR}/redox/pcid.d/*.toml)
    install(FILES ${pcid} DESTINATION /usr/lib/pcid.d)
  endif()
endfunction()
