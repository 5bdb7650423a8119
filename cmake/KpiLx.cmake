# cmake/KpiLx.cmake: build runtime/lx (and code like it) with a port's kernel
# flags.  Included by runtime/lx/CMakeLists.txt, runtime/lx/testproj and the
# port build; see runtime/lx/README.md for the design.
#
#   kpi_kernel_target(<target> ARGS_FILE <file> [MODNAME <name>] [RUNTIME])
#       compile every C source of <target> as kernel code: the adapted kbuild
#       flags (kpi_userspace_kflags; RUNTIME: without the driver directory's
#       -I), -DKBUILD_MODNAME, and per source -DKBUILD_BASENAME.  Use it for
#       test drivers and ported drivers.
#   kpi_add_lx(<target> ARGS_FILE <file> [NO_NET])
#       static library of runtime/lx/*.c (NO_NET: without lx_net*.c) built
#       that way, with nothing of the driver the args file was made for: no
#       driver directory, KBUILD_MODNAME "lx" (the module's name comes from
#       argv[0], its parameters and ID table from the driver's objects), so
#       one lx serves every driver with the same infrastructure config
#       (cmake/KpiRuntimeCache.cmake).  Linking it brings -no-pie (kernel flags keep -fno-PIE) and
#       the .modinfo linker-script fragment (runtime/lx/lx_sections.ld).
#       Link it before runtime/kit and one runtime/host backend.
#       Configuring it runs the probes of lx's version adaptations
#       (runtime/lx/lx_compat.h, cmake/KpiLxCompat.cmake) against the
#       kernel build dir the args file names: <target>-compat/ in the
#       current binary dir holds lx_compat_probed.h and lx_compat.txt.
#
# KPI_SANITIZE (a variable, e.g. -DKPI_SANITIZE=ON): both functions compile
# with kpi_sanitize_kflags (ASan+UBSan) and linking lx brings
# -fsanitize=address,undefined, so the executable gets clang's runtime once.
# Kit and host must then be built with the same compiler's sanitizer.
include(${CMAKE_CURRENT_LIST_DIR}/KpiKernelFlags.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/KpiLxCompat.cmake)

function(kpi_kernel_target target)
  cmake_parse_arguments(A "RUNTIME" "ARGS_FILE;MODNAME" "" ${ARGN})
  if(NOT A_ARGS_FILE)
    message(FATAL_ERROR "kpi_kernel_target(${target}): ARGS_FILE is required")
  endif()
  if(NOT A_MODNAME)
    set(A_MODNAME ${target})
  endif()
  if(A_RUNTIME)
    kpi_userspace_kflags(kflags "${A_ARGS_FILE}" RUNTIME)
  else()
    kpi_userspace_kflags(kflags "${A_ARGS_FILE}")
  endif()
  target_compile_options(${target} PRIVATE ${kflags})
  if(KPI_SANITIZE)
    kpi_sanitize_kflags(sflags)
    target_compile_options(${target} PRIVATE ${sflags})
  endif()
  string(MAKE_C_IDENTIFIER "${A_MODNAME}" modid)
  target_compile_definitions(${target} PRIVATE "KBUILD_MODNAME=\"${modid}\"" "__KBUILD_MODNAME=kmod_${modid}")
  get_target_property(srcs ${target} SOURCES)
  foreach(s IN LISTS srcs)
    get_filename_component(base "${s}" NAME_WE)
    string(MAKE_C_IDENTIFIER "${base}" base)
    set_property(SOURCE "${s}" TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_DEFINITIONS "KBUILD_BASENAME=\"${base}\"")
  endforeach()
  # The args file is an input of every object: a new kernel config rebuilds.
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${A_ARGS_FILE}")
endfunction()

function(kpi_add_lx target)
  cmake_parse_arguments(A "NO_NET" "ARGS_FILE" "" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${KPI_SOURCE_ROOT}/runtime/lx/*.c)
  if(A_NO_NET)
    list(FILTER srcs EXCLUDE REGEX "/lx_net[^/]*\\.c$")
  endif()
  add_library(${target} STATIC ${srcs})
  kpi_kernel_target(${target} ARGS_FILE "${A_ARGS_FILE}" MODNAME lx RUNTIME)
  target_include_directories(${target} PRIVATE ${KPI_SOURCE_ROOT}/headers/kpi ${KPI_SOURCE_ROOT}/runtime/lx)
  # The tree's kernel API: probed now, again when the header, the probe step or the flags change.
  set(compat ${CMAKE_CURRENT_BINARY_DIR}/${target}-compat)
  kpi_lx_compat_probe(${compat} "${A_ARGS_FILE}")
  target_include_directories(${target} PRIVATE ${compat})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KPI_SOURCE_ROOT}/runtime/lx/lx_compat.h
               ${KPI_SOURCE_ROOT}/cmake/KpiLxCompat.cmake "${A_ARGS_FILE}")
  target_link_options(${target} INTERFACE -no-pie "LINKER:-T,${KPI_SOURCE_ROOT}/runtime/lx/lx_sections.ld")
  if(KPI_SANITIZE)
    target_link_options(${target} INTERFACE -fsanitize=address,undefined)
  endif()
endfunction()
