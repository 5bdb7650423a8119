# cmake/KpiKernelFlags.cmake: the ONE place where kbuild's compiler flags for
# a driver are adapted to build userspace code (a ported driver, imported
# Linux files, runtime/lx).  Used by runtime/lx (cmake/KpiLx.cmake), its
# tests, and the port build.
#
#   kpi_userspace_kflags(<out-var> <args-file> [RUNTIME])
#   kpi_sanitize_kflags(<out-var>)
#
# <args-file>: kbuild's clang arguments, one per line (what
# tests/fixture_kbuild.sh writes: no compiler, no -c/-o/source).  <out-var>
# gets a CMake list ready for target_compile_options(): pairs such as
# "-include FILE" are joined as "SHELL:-include FILE" (CMake would otherwise
# de-duplicate the repeated "-include"), "-I DIR" becomes "-IDIR", and
# headers/shadow plus headers/ come first in the include path.
#
# What is dropped or changed, and why (everything else is kept verbatim, so
# the headers see exactly the kernel configuration kbuild used):
#   -mcmodel=kernel            code must live in the top 2 GiB: userspace uses the default small model
#   -mno-sse* -mno-mmx -mno-3dnow -mno-avx* -mno-80387 -mno-fp-ret-in-387 -msoft-float -mgeneral-regs-only
#                              the kernel avoids FPU state; in userspace the ABI (and libc we call
#                              through kit/host) assumes SSE, e.g. varargs and 16-byte stack moves
#   -mstack-alignment=8 -mpreferred-stack-boundary=3
#                              the SysV ABI needs 16-byte stack alignment at calls into libc-side code
#   -mskip-rax-setup           varargs callers must set %al for the SysV ABI
#   -mindirect-branch* -mfunction-return* -mretpoline* -mharden-sls* -mindirect-branch-register
#                              retpoline/return thunks (__x86_indirect_thunk_*) exist only in the kernel
#   -fomit-frame-pointer       replaced by -fno-omit-frame-pointer: kpi_host_backtrace walks frame pointers
#   -fno-asynchronous-unwind-tables
#                              dropped: unwind tables let glibc/ASan backtraces cross lx frames
#   -pg -mfentry -mrecord-mcount -mnop-mcount -fpatchable-function-entry=* -fsanitize=kernel-*
#   -fsanitize-coverage* -fprofile-*  (ftrace, KASAN/KCSAN, kcov: kernel instrumentation with kernel-only runtimes)
#   -mstack-protector-guard*   %gs-based canary of the kernel (not used by -fno-stack-protector builds anyway)
#   -DKBUILD_BASENAME= -DKBUILD_MODNAME= -D__KBUILD_MODNAME=
#                              per-file; kpi_add_lx and the port build add their own
#   -I of the driver's own directory (the -I after the shared ones and the first other flag)
#                              kept for the driver and its imports; dropped with RUNTIME (runtime/lx must
#                              not depend on which driver's args file it was built from: one build is
#                              shared by every driver with the same infrastructure, KpiRuntimeCache.cmake)
# Kept on purpose: -mno-red-zone (kernel headers call out of inline asm: __get_user_N, __put_user_N,
# copy_user_generic's alternative_call, __sw_hweight*; the compiler does not know the asm calls, so a
# function it thinks is a leaf keeps locals below %rsp, where that `call` pushes its return address),
# -nostdinc (no libc header may meet a kernel header), -fno-PIE (the x86 per-cpu and
# `current` asm uses absolute symbol addresses, so executables link with -no-pie; kpi_add_lx adds that
# as an INTERFACE link option), -fcf-protection=none (no CET in our processes either), -ffreestanding-like
# -fno-builtin-* and the warning flags, -O2, -ftrivial-auto-var-init=zero (kernel semantics),
# -fno-stack-protector, -fno-strict-aliasing/-overflow, -fno-delete-null-pointer-checks, -DMODULE.

get_filename_component(KPI_SOURCE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

function(kpi_userspace_kflags out args_file)
  set(runtime FALSE)
  if(ARGN STREQUAL "RUNTIME")
    set(runtime TRUE)
  endif()
  if(NOT EXISTS "${args_file}")
    message(FATAL_ERROR "kpi_userspace_kflags: no args file ${args_file}")
  endif()
  file(STRINGS "${args_file}" raw)
  set(result "")
  set(shadow_done FALSE)
  set(pending "")
  set(seen_other FALSE) # past the shared include block: later -I are the driver's directory
  foreach(a IN LISTS raw)
    if(pending)
      if(pending STREQUAL "-I")
        if(NOT (runtime AND seen_other))
          list(APPEND result "-I${a}")
        endif()
      else()
        list(APPEND result "SHELL:${pending} ${a}")
      endif()
      set(pending "")
      continue()
    endif()
    if(a MATCHES "^(-mcmodel=kernel|-mno-sse.*|-mno-mmx|-mno-3dnow|-mno-avx.*|-mno-80387|-mno-fp-ret-in-387|-msoft-float|-mgeneral-regs-only|-mstack-alignment=.*|-mpreferred-stack-boundary=.*|-mskip-rax-setup|-mindirect-branch.*|-mfunction-return.*|-mretpoline.*|-mharden-sls.*|-fno-asynchronous-unwind-tables|-pg|-mfentry|-mrecord-mcount|-mnop-mcount|-fpatchable-function-entry=.*|-fsanitize=kernel-.*|-fsanitize-coverage.*|-fprofile-.*|-mstack-protector-guard.*)$")
      continue()
    endif()
    if(a MATCHES "^-D(KBUILD_BASENAME|KBUILD_MODNAME|__KBUILD_MODNAME)=")
      continue()
    endif()
    if(runtime AND seen_other AND a MATCHES "^-I.")
      continue()
    endif()
    if(NOT a MATCHES "^(-I.*|-include|-isystem|-imacros|-nostdinc)$")
      set(seen_other TRUE)
    endif()
    if(a STREQUAL "-fomit-frame-pointer")
      list(APPEND result "-fno-omit-frame-pointer")
      continue()
    endif()
    if(a MATCHES "^-I" AND NOT shadow_done)
      # The shadows must win over every kernel directory (they #include_next).
      list(APPEND result "-I${KPI_SOURCE_ROOT}/headers/shadow")
      set(shadow_done TRUE)
    endif()
    if(a STREQUAL "-I" OR a STREQUAL "-include" OR a STREQUAL "-isystem" OR a STREQUAL "-imacros")
      if(NOT shadow_done AND a STREQUAL "-I")
        list(APPEND result "-I${KPI_SOURCE_ROOT}/headers/shadow")
        set(shadow_done TRUE)
      endif()
      set(pending "${a}")
      continue()
    endif()
    list(APPEND result "${a}")
  endforeach()
  if(pending)
    message(FATAL_ERROR "kpi_userspace_kflags: ${args_file} ends with a lone ${pending}")
  endif()
  if(NOT shadow_done)
    list(PREPEND result "-I${KPI_SOURCE_ROOT}/headers/shadow")
  endif()
  # <redox/kpi_main.h> and <kpi/kpi_host.h>: after the kernel's own directories.
  list(APPEND result "-I${KPI_SOURCE_ROOT}/headers")
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# kpi_sanitize_kflags(<out-var>): what an ASan+UBSan build (KPIPORT_SANITIZE,
# clang-19 for the whole build, so one sanitizer runtime) adds on top of
# kpi_userspace_kflags for kernel-flag code.  The same checks as the main
# build's; only checks that kernel idioms trip although the kernel's own
# rules (the flags kbuild uses) make them correct are turned off, each with
# its reason, in cmake/kpi_kernel_sanitize.ignorelist (by global, source file
# or function, so lx's own code keeps every check).  Link with
# -fsanitize=address,undefined (kpi_add_lx does).
function(kpi_sanitize_kflags out)
  set(result -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
      "-fsanitize-ignorelist=${KPI_SOURCE_ROOT}/cmake/kpi_kernel_sanitize.ignorelist")
  set(${out} "${result}" PARENT_SCOPE)
endfunction()
