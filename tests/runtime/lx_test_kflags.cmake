# lx_test_kflags.cmake: unit test of kpi_userspace_kflags (cmake/KpiKernelFlags.cmake).
# Run: cmake -DROOT=<repo> -DWORK=<scratch dir> -P lx_test_kflags.cmake
include(${ROOT}/cmake/KpiKernelFlags.cmake)
file(MAKE_DIRECTORY ${WORK})
set(args "-nostdinc;-I/k/arch/x86/include;-I/k/include;-include;/k/include/linux/kconfig.h;-include;/k/include/linux/compiler_types.h;-D__KERNEL__;-mno-sse;-mno-mmx;-mno-sse2;-mno-3dnow;-mno-avx;-fcf-protection=none;-mno-80387;-mno-fp-ret-in-387;-mstack-alignment=8;-mskip-rax-setup;-mno-red-zone;-mcmodel=kernel;-mindirect-branch=thunk-extern;-mfunction-return=thunk-extern;-fno-asynchronous-unwind-tables;-fomit-frame-pointer;-pg;-mfentry;-fno-PIE;-O2;-std=gnu11;-I;/k/drivers/net;-DMODULE;-DKBUILD_BASENAME=\"8139too\";-DKBUILD_MODNAME=\"8139too\";-D__KBUILD_MODNAME=kmod_8139too")
string(REPLACE ";" "\n" text "${args}")
file(WRITE ${WORK}/sample.args "${text}\n")
kpi_userspace_kflags(out ${WORK}/sample.args)
set(fail 0)
macro(expect_in x)
  list(FIND out "${x}" i)
  if(i EQUAL -1)
    message(SEND_ERROR "missing: ${x}")
  endif()
endmacro()
macro(expect_not_in x)
  list(FIND out "${x}" i)
  if(NOT i EQUAL -1)
    message(SEND_ERROR "should be dropped: ${x}")
  endif()
endmacro()
foreach(f -nostdinc -D__KERNEL__ -mno-red-zone -fcf-protection=none -fno-PIE -O2 -std=gnu11 -DMODULE -fno-omit-frame-pointer
        -I/k/arch/x86/include -I/k/include -I/k/drivers/net "-I${KPI_SOURCE_ROOT}/headers"
        "SHELL:-include /k/include/linux/kconfig.h" "SHELL:-include /k/include/linux/compiler_types.h")
  expect_in("${f}")
endforeach()
foreach(f -mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -mno-80387 -mno-fp-ret-in-387 -mstack-alignment=8
        -mskip-rax-setup -mcmodel=kernel -mindirect-branch=thunk-extern -mfunction-return=thunk-extern
        -fno-asynchronous-unwind-tables -fomit-frame-pointer -pg -mfentry -include -I
        "-DKBUILD_BASENAME=\"8139too\"" "-DKBUILD_MODNAME=\"8139too\"" -D__KBUILD_MODNAME=kmod_8139too)
  expect_not_in("${f}")
endforeach()
# headers/shadow first among the include directories, right after -nostdinc
list(FIND out "-I${KPI_SOURCE_ROOT}/headers/shadow" ishadow)
list(FIND out "-I/k/arch/x86/include" ikernel)
if(ishadow EQUAL -1 OR NOT ishadow LESS ikernel)
  message(SEND_ERROR "headers/shadow must come before the kernel includes: ${out}")
endif()
# include order kept
list(FIND out "SHELL:-include /k/include/linux/kconfig.h" ia)
list(FIND out "SHELL:-include /k/include/linux/compiler_types.h" ib)
if(NOT ia LESS ib)
  message(SEND_ERROR "-include order changed")
endif()
message(STATUS "kflags: ${out}")
