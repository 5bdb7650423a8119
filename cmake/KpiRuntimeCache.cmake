# cmake/KpiRuntimeCache.cmake: the runtime of a port (lx + kit + host
# backend) built once and shared by every port whose runtime compilation
# would be the same, in a cache outside the port dir.
#
#   kpi_runtime_cached(ARGS_FILE <f> [NO_NET])
#       defines the imported targets lx, kpi_kit, kpi_host_* (the port links
#       them as if they had been built here), building them first when no
#       cached runtime fits.  Prints one line "kpiport-runtime: reused <dir>"
#       or "kpiport-runtime: built <dir>" (tools/corpus.py counts them).
#
# Where: KPI_RUNTIME_CACHE (a dir, or OFF: kpi_port_runtime builds the
# runtime inside the port build as before), else $KPIPORT_RUNTIME_CACHE (a
# dir, or OFF likewise),
# else <kpiport cache>/runtime ($KPIPORT_CACHE, $XDG_CACHE_HOME/kpiport or
# ~/.cache/kpiport, as kpiport itself: translator/kp_tree.c).
#
# The key.  runtime/lx is compiled with the driver's kbuild flags minus
# everything of the driver (kpi_add_lx: no KBUILD_MODNAME of its own, no
# driver directory), so what its compilation depends on is:
#   1. <cache>/<key>/: a hash of those flags with the kernel build dir's
#      path taken out, the host, sanitizer, build type, compiler and its
#      version, toolchain, the content of every file under runtime/,
#      headers/ and cmake/, and the tree's top Makefile (the tree's own
#      files are never written after extraction; its path is in the flags);
#   2. <cache>/<key>/<variant>/manifest.cmake: what the kernel build dir
#      gave one build: the hash of every file of that dir the compilation
#      read (lx's depfiles; the version probes' input is the same headers),
#      except autoconf.h, and of the autoconf.h lines of the CONFIG_ symbols
#      that the files it read mention (with their _MODULE twins:
#      IS_MODULE() pastes the suffix; no header pastes CONFIG_ itself).
#      A driver whose kernel build dir gives the same answers preprocesses
#      every runtime source to the same text (the same conditionals, the
#      same files), so it uses that variant.  The driver's own symbols
#      (CONFIG_8139TOO, its vendor menu) are mentioned by no file lx reads.
# (Not covered: a __has_include() that finds a build-dir file the first
# build did not have; the kernel build dir has no optional headers lx asks
# for that way.)
#
# Concurrency: lookups read manifests only, and a manifest is written to a
# temp name and renamed once its variant is complete; a build holds
# <cache>/<key>.lock (file(LOCK): released when the process dies), looks
# again once it has the lock (another port may have just built the same
# runtime), and removes variant dirs without a manifest (a build that was
# killed) before building.  The lock file's mtime is the entry's last use
# (`kpiport cache prune`).
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/KpiKernelFlags.cmake)

function(_kpi_rt_root out)
  if(DEFINED KPI_RUNTIME_CACHE AND NOT KPI_RUNTIME_CACHE STREQUAL "")
    set(r "${KPI_RUNTIME_CACHE}")
  elseif(NOT "$ENV{KPIPORT_RUNTIME_CACHE}" STREQUAL "")
    set(r "$ENV{KPIPORT_RUNTIME_CACHE}")
  elseif(NOT "$ENV{KPIPORT_CACHE}" STREQUAL "")
    set(r "$ENV{KPIPORT_CACHE}/runtime")
  elseif(NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
    set(r "$ENV{XDG_CACHE_HOME}/kpiport/runtime")
  elseif(NOT "$ENV{HOME}" STREQUAL "")
    set(r "$ENV{HOME}/.cache/kpiport/runtime")
  else()
    set(r "/tmp/.cache/kpiport/runtime")
  endif()
  set(${out} "${r}" PARENT_SCOPE)
endfunction()

# Set environment variable NAME to VALUE (unset when VALUE is empty) for
# the programs started next; OUT gets its value before.
function(_kpi_rt_env_swap name value out)
  set(${out} "$ENV{${name}}" PARENT_SCOPE)
  if(value STREQUAL "")
    unset(ENV{${name}})
  else()
    set(ENV{${name}} "${value}")
  endif()
endfunction()

# The kernel build dir and the tree an args file names.
function(_kpi_rt_dirs kbuild_out tree_out args_file)
  file(STRINGS "${args_file}" args)
  set(kb "")
  set(tree "")
  foreach(a IN LISTS args)
    string(REGEX REPLACE "^-I" "" d "${a}")
    if(NOT kb AND IS_ABSOLUTE "${d}" AND EXISTS "${d}/generated/autoconf.h")
      get_filename_component(kb "${d}" DIRECTORY)
    endif()
    if(NOT tree AND a MATCHES "^(/.*)/include/linux/kconfig\\.h$")
      set(tree "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(NOT kb OR NOT tree)
    message(FATAL_ERROR "kpiport-runtime: ${args_file} names no kernel build dir (an -I<dir>/include "
                        "with generated/autoconf.h) or no tree (-include <tree>/include/linux/kconfig.h)")
  endif()
  set(${kbuild_out} "${kb}" PARENT_SCOPE)
  set(${tree_out} "${tree}" PARENT_SCOPE)
endfunction()

# The runtime's own files: part of the key, and what re-runs the port's configure.
function(_kpi_rt_sources out)
  file(GLOB_RECURSE files LIST_DIRECTORIES false
       ${KPI_SOURCE_ROOT}/runtime/* ${KPI_SOURCE_ROOT}/headers/* ${KPI_SOURCE_ROOT}/cmake/*)
  list(FILTER files EXCLUDE REGEX "\\.md$")
  list(SORT files)
  set(${out} ${files} PARENT_SCOPE)
endfunction()

# sha256 of the autoconf.h lines whose symbol is in syms ("|CONFIG_A|CONFIG_B|").
function(_kpi_rt_config_sha out autoconf syms)
  file(READ "${autoconf}" text)
  string(REPLACE ";" "," text "${text}")
  string(REGEX MATCHALL "#define CONFIG_[A-Za-z0-9_]+[^\n]*" lines "${text}")
  set(kept "")
  foreach(l IN LISTS lines)
    string(REGEX MATCH "^#define (CONFIG_[A-Za-z0-9_]+)" _ "${l}")
    set(sym ${CMAKE_MATCH_1})
    string(FIND "${syms}" "|${sym}|" at)
    if(at EQUAL -1 AND sym MATCHES "^(.*)_MODULE$")
      string(FIND "${syms}" "|${CMAKE_MATCH_1}|" at)
    endif()
    if(NOT at EQUAL -1)
      string(APPEND kept "${l}\n")
    endif()
  endforeach()
  string(SHA256 sha "${kept}")
  set(${out} ${sha} PARENT_SCOPE)
endfunction()

# TRUE when the variant's manifest holds for this kernel build dir.
function(_kpi_rt_fits out manifest kbuild)
  set(KPI_RT_GEN "")
  set(KPI_RT_SYMS "")
  set(KPI_RT_CONFIG_SHA "")
  include("${manifest}")
  set(${out} FALSE PARENT_SCOPE)
  foreach(e IN LISTS KPI_RT_GEN)
    string(REGEX MATCH "^(.*)=([0-9a-f]+)$" _ "${e}")
    set(f "${kbuild}/${CMAKE_MATCH_1}")
    if(NOT EXISTS "${f}")
      return()
    endif()
    file(SHA256 "${f}" sha)
    if(NOT sha STREQUAL CMAKE_MATCH_2)
      return()
    endif()
  endforeach()
  _kpi_rt_config_sha(sha "${kbuild}/include/generated/autoconf.h" "${KPI_RT_SYMS}")
  if(sha STREQUAL KPI_RT_CONFIG_SHA)
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()

# The first complete variant under dir that fits, or "".
function(_kpi_rt_lookup out dir kbuild)
  set(${out} "" PARENT_SCOPE)
  file(GLOB manifests "${dir}/*/manifest.cmake")
  list(SORT manifests)
  foreach(m IN LISTS manifests)
    _kpi_rt_fits(ok "${m}" "${kbuild}")
    if(ok)
      get_filename_component(v "${m}" DIRECTORY)
      set(${out} "${v}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

# After a build: what it read from the kernel build dir -> <variant>/manifest.cmake.
function(_kpi_rt_write_manifest variant kbuild for)
  file(GLOB_RECURSE depfiles "${variant}/build/CMakeFiles/lx.dir/*.d")
  if(NOT depfiles)
    message(FATAL_ERROR "kpiport-runtime: no dependency files under ${variant}/build/CMakeFiles/lx.dir: "
                        "cannot tell what the runtime depends on")
  endif()
  set(deps "")
  foreach(d IN LISTS depfiles)
    file(READ "${d}" text)
    string(REGEX REPLACE "\\\\\n" " " text "${text}")
    string(REGEX MATCHALL "[^ \t\n]+" toks "${text}")
    list(FILTER toks EXCLUDE REGEX ":$")
    list(APPEND deps ${toks})
  endforeach()
  list(REMOVE_DUPLICATES deps)
  list(SORT deps)
  set(gen "")
  set(scan "")
  foreach(f IN LISTS deps)
    if(f STREQUAL "${kbuild}/include/generated/autoconf.h")
      continue()
    endif()
    if(NOT IS_ABSOLUTE "${f}")
      set(f "${variant}/build/${f}")
    endif()
    string(FIND "${f}" "${kbuild}/" at)
    if(at EQUAL 0)
      file(SHA256 "${f}" sha)
      string(LENGTH "${kbuild}/" n)
      string(SUBSTRING "${f}" ${n} -1 rel)
      list(APPEND gen "${rel}=${sha}")
    endif()
    list(APPEND scan "${f}")
  endforeach()
  execute_process(COMMAND grep -ohE "CONFIG_[A-Za-z0-9_]+" ${scan} COMMAND sort -u
                  OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  string(REGEX REPLACE "[\n]+" "|" syms "|${syms}")
  if(NOT syms MATCHES "\\|$")
    string(APPEND syms "|")
  endif()
  _kpi_rt_config_sha(csha "${kbuild}/include/generated/autoconf.h" "${syms}")
  list(LENGTH deps ndeps)
  string(REGEX MATCHALL "\\|" bars "${syms}")
  list(LENGTH bars nsyms)
  math(EXPR nsyms "${nsyms} - 1")
  string(CONCAT m "# manifest of a cached runtime (cmake/KpiRuntimeCache.cmake): built for ${for}\n"
         "# from ${kbuild}: its compilation read ${ndeps} files, which mention ${nsyms} CONFIG_ symbols\n"
         "set(KPI_RT_GEN \"${gen}\")\nset(KPI_RT_CONFIG_SHA ${csha})\nset(KPI_RT_SYMS \"${syms}\")\n")
  string(RANDOM LENGTH 8 ALPHABET 0123456789abcdef tmp)
  file(WRITE "${variant}/manifest.cmake.${tmp}" "${m}")
  file(RENAME "${variant}/manifest.cmake.${tmp}" "${variant}/manifest.cmake")
endfunction()

function(kpi_runtime_cached)
  cmake_parse_arguments(A "NO_NET" "ARGS_FILE" "" ${ARGN})
  get_filename_component(args "${A_ARGS_FILE}" ABSOLUTE)
  _kpi_rt_root(root)
  _kpi_rt_dirs(kbuild tree "${args}")
  _kpi_rt_sources(srcs)

  # 1. The key: everything but the kernel build dir's content.
  kpi_userspace_kflags(kflags "${args}" RUNTIME)
  string(REPLACE "${kbuild}" "<kbuild>" kflags "${kflags}")
  set(k "kpiport-runtime 1\n${kflags}\n")
  foreach(v KPI_HOST KPI_SANITIZE A_NO_NET CMAKE_BUILD_TYPE CMAKE_C_COMPILER CMAKE_C_COMPILER_VERSION
            CMAKE_C_COMPILER_TARGET CMAKE_TOOLCHAIN_FILE KPI_REDOX_COMPILE_ONLY KPI_REDOX_GCC KPI_REDOX_C_FLAGS CMAKE_C_FLAGS
            CMAKE_SYSROOT)
    string(APPEND k "${v}=${${v}}\n")
  endforeach()
  if(CMAKE_BUILD_TYPE)
    string(TOUPPER "${CMAKE_BUILD_TYPE}" bt)
    string(APPEND k "flags_${bt}=${CMAKE_C_FLAGS_${bt}}\n")
  endif()
  file(SHA256 "${tree}/Makefile" sha)
  string(APPEND k "tree ${tree} ${sha}\n")
  foreach(f IN LISTS srcs)
    file(SHA256 "${f}" sha)
    file(RELATIVE_PATH rel "${KPI_SOURCE_ROOT}" "${f}")
    string(APPEND k "${rel} ${sha}\n")
  endforeach()
  string(SHA256 key "${k}")
  string(SUBSTRING "${key}" 0 16 key)
  set(dir "${root}/${key}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${srcs} "${args}"
               "${kbuild}/include/generated/autoconf.h")

  # 2. A variant whose manifest holds here, or a new one.
  _kpi_rt_lookup(variant "${dir}" "${kbuild}")
  set(how reused)
  if(NOT variant)
    file(MAKE_DIRECTORY "${dir}")
    file(LOCK "${dir}.lock" GUARD FUNCTION TIMEOUT 7200 RESULT_VARIABLE lk)
    if(NOT lk STREQUAL "0")
      message(FATAL_ERROR "kpiport-runtime: cannot lock ${dir}.lock: ${lk}")
    endif()
    _kpi_rt_lookup(variant "${dir}" "${kbuild}")
  endif()
  if(NOT variant)
    set(how built)
    file(GLOB olds LIST_DIRECTORIES true "${dir}/*")
    foreach(o IN LISTS olds)
      if(IS_DIRECTORY "${o}" AND NOT EXISTS "${o}/manifest.cmake")
        file(REMOVE_RECURSE "${o}") # a build that was killed; we hold the lock
      endif()
    endforeach()
    string(RANDOM LENGTH 12 ALPHABET 0123456789abcdef id)
    set(variant "${dir}/${id}")
    file(MAKE_DIRECTORY "${variant}")
    configure_file("${args}" "${variant}/lx.args" COPYONLY)
    get_filename_component(for "${args}" NAME_WE)
    message(STATUS "kpiport-runtime: building the runtime for ${for}'s infrastructure in ${variant}")
    set(conf -DKPI_ROOT=${KPI_SOURCE_ROOT} -DKPI_HOST=${KPI_HOST} -DKPI_ARGS_FILE=${variant}/lx.args
        -DKPI_NO_NET=${A_NO_NET} -DKPI_SANITIZE=${KPI_SANITIZE} -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE})
    foreach(v CMAKE_C_COMPILER_LAUNCHER CMAKE_TOOLCHAIN_FILE KPI_REDOX_TOOLCHAIN CMAKE_C_FLAGS)
      if(${v})
        list(APPEND conf "-D${v}=${${v}}")
      endif()
    endforeach()
    # Unix Makefiles: its compiler depfiles stay on disk for the manifest.
    execute_process(COMMAND ${CMAKE_COMMAND} -G "Unix Makefiles" -S ${KPI_SOURCE_ROOT}/cmake/runtime-build
                            -B ${variant}/build ${conf} RESULT_VARIABLE rc)
    if(rc EQUAL 0)
      set(jobs ${KPI_RUNTIME_JOBS})
      if(NOT jobs)
        cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
      endif()
      # ccache: the build dir is the only path that differs between the
      # runtimes of two hosts or two keys (lx's generated lx-compat/ is in
      # it); relative, and with the dir left out of the key, lx compiled
      # for one host is a hit for the next (lx is most of a runtime).
      _kpi_rt_env_swap(CCACHE_BASEDIR "${variant}/build" old_basedir)
      _kpi_rt_env_swap(CCACHE_NOHASHDIR 1 old_nohashdir)
      execute_process(COMMAND ${CMAKE_COMMAND} --build ${variant}/build --parallel ${jobs} RESULT_VARIABLE rc)
      _kpi_rt_env_swap(CCACHE_BASEDIR "${old_basedir}" ignored)
      _kpi_rt_env_swap(CCACHE_NOHASHDIR "${old_nohashdir}" ignored)
    endif()
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "kpiport-runtime: building the runtime in ${variant}/build failed (${rc}); "
                          "the output is above")
    endif()
    _kpi_rt_write_manifest("${variant}" "${kbuild}" "${for}")
  endif()
  file(TOUCH "${dir}.lock")
  include("${variant}/build/kpi-runtime-targets.cmake")
  message(STATUS "kpiport-runtime: ${how} ${variant}")
endfunction()
