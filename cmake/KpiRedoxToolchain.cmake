# cmake/KpiRedoxToolchain.cmake: a CMake toolchain file for building a
# port (or the Redox backend) for x86_64 Redox.
#
# Hosted code (runtime/kit, the Redox backend, a port's extra sources) is
# compiled by clang-19 with KPI_REDOX_C_FLAGS: --target=x86_64-unknown-redox
# and __redox__ (clang knows the Redox target).  Kernel code (runtime/lx,
# the driver, its imports) is not: it is -nostdinc, freestanding by
# construction, and its kbuild flags carry their own --target, so its
# compile lines are those of every other target, and a Redox build of a
# driver shares its lx and driver objects with the linux and sim builds
# through ccache (the same objects: the flags that differed did not change
# them).
# Linking needs relibc, which only a Redox toolchain has (the cookbook's
# prefix, or one named here):
#   KPI_REDOX_TOOLCHAIN  dir holding bin/x86_64-unknown-redox-gcc (the
#                        cookbook's prefix/x86_64-unknown-redox); also read
#                        from the environment; else the gcc is looked up
#                        on PATH (the cookbook puts it there).
# With a toolchain: its gcc is the link driver and its sysroot is clang's
# --sysroot, so relibc's crt and libc come in; the daemon links statically.
# Without one: KPI_REDOX_COMPILE_ONLY is set, try-compiles stop at static
# libraries, and the port build compile-checks every object instead of
# linking (cmake/KpiPort.cmake says so at the end of the build).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(KPI_REDOX_TARGET x86_64-unknown-redox)
set(CMAKE_C_COMPILER clang-19)
# clang's redox target does not define __redox__ itself (checked with
# clang-19: `-dM -E` shows __linux__ absent and no __redox__); relibc's
# headers and the backend key on it.
set(kpi_redox_flags --target=${KPI_REDOX_TARGET} -D__redox__)

if(NOT KPI_REDOX_TOOLCHAIN AND DEFINED ENV{KPI_REDOX_TOOLCHAIN})
  set(KPI_REDOX_TOOLCHAIN $ENV{KPI_REDOX_TOOLCHAIN})
endif()
set(_kpi_gcc_hints)
if(KPI_REDOX_TOOLCHAIN)
  list(APPEND _kpi_gcc_hints ${KPI_REDOX_TOOLCHAIN}/bin)
endif()
find_program(KPI_REDOX_GCC ${KPI_REDOX_TARGET}-gcc HINTS ${_kpi_gcc_hints})

if(KPI_REDOX_GCC)
  execute_process(COMMAND ${KPI_REDOX_GCC} -print-sysroot OUTPUT_VARIABLE _kpi_sysroot
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_kpi_sysroot)
    set(CMAKE_SYSROOT ${_kpi_sysroot})
  endif()
  set(KPI_REDOX_COMPILE_ONLY OFF CACHE BOOL "no Redox toolchain: compile-check only" FORCE)
  # clang compiles; the Redox gcc links (it knows relibc's crt objects).
  set(CMAKE_C_LINK_EXECUTABLE
      "${KPI_REDOX_GCC} <FLAGS> <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
else()
  set(KPI_REDOX_COMPILE_ONLY ON CACHE BOOL "no Redox toolchain: compile-check only" FORCE)
  set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
  # No libc headers exist for Redox here: code compiled for it must be
  # freestanding (the kernel code is -nostdinc already; kit and the Redox
  # backend include only the compiler's own headers).
  list(APPEND kpi_redox_flags -ffreestanding)
endif()
set(KPI_REDOX_C_FLAGS "${kpi_redox_flags}" CACHE INTERNAL "compile options of hosted code for Redox" FORCE)
