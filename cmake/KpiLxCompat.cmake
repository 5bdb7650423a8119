# cmake/KpiLxCompat.cmake: the probe step of runtime/lx's version
# adaptations.  runtime/lx/lx_compat.h is the one place where lx adapts to
# the kernel API of the tree it is built against; its probe section holds
# one small probe per adaptation (a few lines of C that compile only when
# the tree has the newer API), in the manner of Linux backports' compat
# checks.  This step compiles them against the port's kernel build dir,
# with the very flags lx is compiled with, and writes what it found:
#
#   <out>/lx_compat_probed.h   #define LX_HAVE_<name> 0|1 for every probe,
#                              LX_COMPAT_APPLIED (the names found, a string)
#   <out>/lx_compat.txt        one line per probe, for people and for
#                              kpiport's report: name, 0|1, the Linux version
#                              that brought the change, what changed
#
#   kpi_lx_compat_probe(<out-dir> <args-file>)   from a CMake project
#       (kpi_add_lx calls it at configure time; re-runs when lx_compat.h,
#       this file or the args file change)
#   cmake -DKPI_ARGS_FILE=<f> -DKPI_OUT=<dir> -P cmake/KpiLxCompat.cmake
#       the same from a script (kpiport port runs this for report.md/json)
#
# A probe is a block in lx_compat.h's probe section that starts with a line
#   /* probe <name> v<version>[,<stable>...][ if CONFIG_X]: <what changed> */
# and runs to the next such line (<stable>: a stable release of an older
# series that got the change by backport, e.g. v6.17,6.12.117).  All probes compile as ONE translation
# unit (about a second, not one compile each): an error whose line falls in
# a probe's block means the tree lacks that probe's API (LX_HAVE_<name> 0).
# Errors anywhere else, or a fatal one (a missing header: probes test
# headers with __has_include), mean a broken probe, and the step fails
# rather than guess.  It also fails when a probe's result disagrees with its
# version on a tree of a released version (e.g. a "v6.2" probe absent from a
# 6.12 tree): then the probe or its version is wrong (KPI_COMPAT_LENIENT=ON
# turns that into a warning, for trees with backported API changes).
if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  cmake_minimum_required(VERSION 3.25) # the policies of the projects that include this file
endif()
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/KpiKernelFlags.cmake)
set(KPI_LX_COMPAT_SELF ${CMAKE_CURRENT_LIST_FILE})

# Does a probe's version spec cover Linux `tree`?  The spec is the release
# that brought the change, then any stable releases of older series that
# got it by backport: "6.17,6.12.117" covers 6.17 and later, and 6.12.117
# and later 6.12.y.
function(_kpi_version_covers out tree spec)
  string(REPLACE "," ";" parts "${spec}")
  list(GET parts 0 main)
  list(REMOVE_AT parts 0)
  set(r FALSE)
  if(tree VERSION_GREATER_EQUAL main)
    set(r TRUE)
  endif()
  foreach(s IN LISTS parts)
    string(REGEX MATCH "^[0-9]+\\.[0-9]+" series "${s}")
    string(REGEX MATCH "^[0-9]+\\.[0-9]+" tree_series "${tree}")
    if(series STREQUAL tree_series AND tree VERSION_GREATER_EQUAL s)
      set(r TRUE)
    endif()
  endforeach()
  set(${out} ${r} PARENT_SCOPE)
endfunction()

# LINUX_VERSION_CODE of the build dir (include/generated/uapi/linux/version.h)
# as "a.b.c"; "" when the args name no such header.
function(_kpi_tree_version out args_file)
  file(STRINGS "${args_file}" args)
  set(v "")
  foreach(a IN LISTS args)
    string(REGEX REPLACE "^-I" "" d "${a}")
    if(EXISTS "${d}/linux/version.h" AND d MATCHES "generated/uapi$")
      file(STRINGS "${d}/linux/version.h" lines REGEX "LINUX_VERSION_(MAJOR|PATCHLEVEL|SUBLEVEL) ")
      foreach(l IN LISTS lines)
        if(l MATCHES "LINUX_VERSION_([A-Z]+) ([0-9]+)")
          set(_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
        endif()
      endforeach()
      if(DEFINED _MAJOR)
        set(v "${_MAJOR}.${_PATCHLEVEL}.${_SUBLEVEL}")
        break()
      endif()
    endif()
  endforeach()
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

# The text of the build dir's include/generated/autoconf.h ("" if not found).
function(_kpi_tree_autoconf out args_file)
  file(STRINGS "${args_file}" args)
  set(text "")
  foreach(a IN LISTS args)
    string(REGEX REPLACE "^-I" "" d "${a}")
    if(EXISTS "${d}/generated/autoconf.h")
      file(READ "${d}/generated/autoconf.h" text)
      break()
    endif()
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(kpi_lx_compat_probe out_dir args_file)
  set(header ${KPI_SOURCE_ROOT}/runtime/lx/lx_compat.h)
  if(NOT EXISTS "${args_file}")
    message(FATAL_ERROR "kpi_lx_compat_probe: no args file ${args_file}")
  endif()
  if(NOT KPI_COMPAT_CC)
    find_program(KPI_COMPAT_CC NAMES clang-19 REQUIRED)
  endif()
  file(READ ${header} text)
  file(READ ${args_file} args_text)
  file(READ ${KPI_LX_COMPAT_SELF} self_text)
  file(READ ${KPI_SOURCE_ROOT}/cmake/KpiKernelFlags.cmake flags_text)
  string(SHA256 key "${text}\n${args_text}\n${self_text}\n${flags_text}\n${KPI_COMPAT_CC}\n${KPI_COMPAT_LENIENT}")
  set(txt ${out_dir}/lx_compat.txt)
  set(hdr ${out_dir}/lx_compat_probed.h)
  if(EXISTS ${txt} AND EXISTS ${hdr})
    file(STRINGS ${txt} first LIMIT_COUNT 1)
    if(first STREQUAL "# key ${key}")
      return() # same header, flags and tree: the same answers
    endif()
  endif()

  # The probes: name, version, what, and the line each block starts at.
  # (Regex matches and offsets, not a list of lines: CMake lists treat the
  # brackets of C code specially.)
  string(FIND "${text}" "\n#ifdef LX_PROBE\n" section)
  if(section EQUAL -1)
    message(FATAL_ERROR "${header}: no `#ifdef LX_PROBE` section")
  endif()
  string(REPLACE ";" "," scan "${text}") # a CMake list must not see the C text's semicolons
  string(REGEX MATCHALL "\n/\\* probe [^\n]*" markers "${scan}")
  set(names "")
  foreach(m IN LISTS markers)
    string(FIND "${scan}" "${m}" pos)
    string(SUBSTRING "${scan}" 0 ${pos} before)
    string(REGEX MATCHALL "\n" nl "${before}")
    list(LENGTH nl n)
    math(EXPR n "${n} + 2") # 1-based, and the marker starts after its newline
    if(NOT m MATCHES "^\n/\\* probe ([a-z0-9_]+) v([0-9.,]+)( if (CONFIG_[A-Z0-9_]+))?: (.*) \\*/$")
      message(FATAL_ERROR "${header}:${n}: want `/* probe <name> v<version>[,<stable>][ if CONFIG_X]: <what changed> */`")
    endif()
    set(name ${CMAKE_MATCH_1})
    set(cfg_${name} "${CMAKE_MATCH_4}")
    if(pos LESS section)
      message(FATAL_ERROR "${header}:${n}: probe '${name}' outside the `#ifdef LX_PROBE` section")
    endif()
    if(name IN_LIST names)
      message(FATAL_ERROR "${header}:${n}: probe '${name}' defined twice")
    endif()
    list(APPEND names ${name})
    set(ver_${name} ${CMAKE_MATCH_2})
    set(what_${name} "${CMAKE_MATCH_5}")
    set(line_${name} ${n})
  endforeach()
  if(NOT names)
    message(FATAL_ERROR "${header}: no `/* probe ... */` lines in the `#ifdef LX_PROBE` section")
  endif()
  list(GET names 0 first_probe)

  # The flags lx is compiled with, as plain arguments.
  kpi_userspace_kflags(kflags "${args_file}" RUNTIME)
  set(argv "")
  foreach(f IN LISTS kflags)
    if(f MATCHES "^SHELL:(-[a-z]+) (.*)$")
      list(APPEND argv "${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
    else()
      list(APPEND argv "${f}")
    endif()
  endforeach()
  execute_process(
    COMMAND ${KPI_COMPAT_CC} ${argv} -DLX_PROBE "-DKBUILD_MODNAME=\"lx\"" "-DKBUILD_BASENAME=\"lx_compat\""
            -ferror-limit=0 -fno-caret-diagnostics -fno-diagnostics-show-option
            -Wno-unused -Wno-missing-prototypes -Wno-missing-declarations
            -fsyntax-only -x c ${header}
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)

  # Map each error to the probe whose block holds its line.
  string(FIND "${err}" "fatal error:" fatal)
  if(NOT fatal EQUAL -1)
    message(FATAL_ERROR "lx_compat.h probes: a fatal error (probes test headers with __has_include):\n${err}")
  endif()
  string(REGEX MATCHALL "error:" all_errors "${err}")
  string(REGEX MATCHALL "lx_compat\\.h:[0-9]+:[0-9]+: error:" own_errors "${err}")
  list(LENGTH all_errors n_all)
  list(LENGTH own_errors n_own)
  if(NOT n_all EQUAL n_own)
    message(FATAL_ERROR "lx_compat.h probes: an error outside the probes' own lines (${n_all} errors, ${n_own} in probes):\n${err}")
  endif()
  if(NOT rc EQUAL 0 AND n_own EQUAL 0)
    message(FATAL_ERROR "lx_compat.h probes: ${KPI_COMPAT_CC} failed (${rc}) without an error:\n${err}")
  endif()
  set(failed "")
  foreach(e IN LISTS own_errors)
    string(REGEX REPLACE "^lx_compat\\.h:([0-9]+):.*" "\\1" eline "${e}")
    if(eline LESS line_${first_probe})
      message(FATAL_ERROR "lx_compat.h probes: an error before the first probe (line ${eline}):\n${err}")
    endif()
    foreach(name IN LISTS names)
      if(NOT eline LESS line_${name})
        set(owner ${name})
      endif()
    endforeach()
    list(APPEND failed ${owner})
  endforeach()

  _kpi_tree_version(tree "${args_file}")
  string(CONCAT h "/* lx_compat_probed.h: written by cmake/KpiLxCompat.cmake (do not edit): which\n"
        " * probes of runtime/lx/lx_compat.h compile against this kernel build dir\n"
        " * (Linux ${tree}). */\n"
        "#ifndef LX_COMPAT_PROBED_H\n#define LX_COMPAT_PROBED_H\n")
  string(CONCAT t "# key ${key}\n# Linux ${tree}: runtime/lx version adaptations (runtime/lx/lx_compat.h)\n"
        "# name<TAB>applied<TAB>since<TAB>what changed\n")
  set(applied "")
  set(mismatch "")
  _kpi_tree_autoconf(autoconf "${args_file}")
  foreach(name IN LISTS names)
    set(cfg_off FALSE)
    if(cfg_${name} AND NOT autoconf MATCHES "#define ${cfg_${name}} 1\n")
      set(cfg_off TRUE) # the declaration exists only with that option: nothing to adapt, nothing to check
    endif()
    # A no_ probe compiles while the old API is there: its change applies once it fails.
    set(block_failed FALSE)
    if(name IN_LIST failed)
      set(block_failed TRUE)
    endif()
    set(inverted FALSE)
    if(name MATCHES "^no_")
      set(inverted TRUE)
    endif()
    if(block_failed STREQUAL inverted AND NOT cfg_off)
      set(have 1)
      list(APPEND applied ${name})
    else()
      set(have 0)
    endif()
    string(APPEND h "#define LX_HAVE_${name} ${have} /* v${ver_${name}}: ${what_${name}} */\n")
    string(APPEND t "${name}\t${have}\tv${ver_${name}}\t${what_${name}}\n")
    if(tree AND NOT cfg_off)
      _kpi_version_covers(newer "${tree}" "${ver_${name}}")
      if((newer AND have EQUAL 0) OR (NOT newer AND have EQUAL 1))
        list(APPEND mismatch "${name} (v${ver_${name}}: LX_HAVE_${name} is ${have} on Linux ${tree})")
      endif()
    endif()
  endforeach()
  string(REPLACE ";" " " applied_str "${applied}")
  string(APPEND h "#define LX_COMPAT_APPLIED \"${applied_str}\"\n#endif\n")
  if(mismatch)
    string(REPLACE ";" "\n  " m "${mismatch}")
    if(KPI_COMPAT_LENIENT)
      message(WARNING "lx_compat.h probes disagree with their versions:\n  ${m}")
    else()
      message(FATAL_ERROR "lx_compat.h probes disagree with their versions (fix the probe or its "
                          "version; KPI_COMPAT_LENIENT=ON for a tree with backported API changes):\n  ${m}\n"
                          "compiler output:\n${err}")
    endif()
  endif()
  file(MAKE_DIRECTORY ${out_dir})
  string(RANDOM LENGTH 12 tmp) # two ports of one driver may probe at once: whole files only
  file(WRITE ${hdr}.${tmp} "${h}")
  file(RENAME ${hdr}.${tmp} ${hdr})
  file(WRITE ${txt}.${tmp} "${t}")
  file(RENAME ${txt}.${tmp} ${txt})
endfunction()

# Script mode: cmake -DKPI_ARGS_FILE=<f> -DKPI_OUT=<dir> -P KpiLxCompat.cmake
if(CMAKE_SCRIPT_MODE_FILE AND CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT KPI_ARGS_FILE OR NOT KPI_OUT)
    message(FATAL_ERROR "usage: cmake -DKPI_ARGS_FILE=<kbuild args> -DKPI_OUT=<dir> -P ${CMAKE_CURRENT_LIST_FILE}")
  endif()
  kpi_lx_compat_probe("${KPI_OUT}" "${KPI_ARGS_FILE}")
endif()
