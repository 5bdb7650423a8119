-- uaccess.lua: "user" memory (runtime/lx/lx_uaccess.c).
--
-- A daemon's user memory is its own address space: a request from the host
-- (later: a Redox scheme call carrying an ioctl) is copied into the daemon
-- and the driver gets a pointer to the copy.  Copies are memory copies;
-- NULL and the pages after it, or a range past TASK_SIZE_MAX, fail as a
-- fault would in Linux (-EFAULT / bytes not copied).  The model is in
-- runtime/lx/README.md, "uaccess".

-- lib/usercopy.c's three functions, all from the runtime (none imported,
-- so the file is never split); mm/util.c and lib/strn*_user.c helpers.
runtime "runtime/lx: user memory is the daemon's own; copies are memory copies" {
  "_copy_from_user", "_copy_to_user", "check_zeroed_user",
  "strncpy_from_user", "strnlen_user",
  "memdup_user", "memdup_user_nul", "vmemdup_user", "strndup_user",
  -- check_copy_size's report of a copy larger than its object (said, the copy refused)
  "__copy_overflow",
  __copy_user_nocache = { before = "6.12" },
  copy_to_nontemporal = { since = "6.12", note = "was __copy_user_nocache" },
  USER_PTR_MAX = { since = "6.12", note = "data: the user-address bound access_ok() reads" },
}

-- Anonymous mappings made by kernel code for a user buffer (mm/util.c's
-- vm_mmap; lib/test_user_copy.c): page-aligned zeroed daemon memory.
runtime "runtime/lx/lx_uaccess.c: an anonymous mapping is zeroed daemon memory; no file mappings" {
  "vm_mmap", "vm_munmap",
}

-- get_user()/put_user() call these from inline asm with their own calling
-- convention (address in %rax, or value in %rax and address in %rcx; error
-- in %eax/%ecx): asm in lx_uaccess.c.
runtime "runtime/lx: get_user/put_user helpers, asm with the kernel's register convention" {
  "__get_user_1", "__get_user_2", "__get_user_4", "__get_user_8",
  "__get_user_nocheck_1", "__get_user_nocheck_2", "__get_user_nocheck_4", "__get_user_nocheck_8",
  "__put_user_1", "__put_user_2", "__put_user_4", "__put_user_8",
  "__put_user_nocheck_1", "__put_user_nocheck_2", "__put_user_nocheck_4", "__put_user_nocheck_8",
}

-- Alternatives: the kernel patches the call at boot by CPU feature; in a
-- daemon the original runs (copy_user_generic_unrolled, the inline rep
-- stosb of __clear_user, clear_page_orig), but every replacement is
-- referenced from .altinstr_replacement and must link.
runtime "runtime/lx: named by the headers' alternatives; a daemon runs the original, all must link" {
  "clear_page_orig", "clear_page_rep", "clear_page_erms",
  "copy_page",
}
-- 6.4 rewrote x86's user copies: copy_user_generic() and __clear_user() are
-- an inline rep movsb/stosb with one replacement each (runtime/lx/lx_compat.h:
-- rep_movs_alternative).
runtime "runtime/lx: named by the headers' alternatives; a daemon runs the original, all must link" {
  before = "6.4",
  "copy_user_generic_unrolled", "copy_user_generic_string", "copy_user_enhanced_fast_string",
  "clear_user_original", "clear_user_rep_good", "clear_user_erms",
}
runtime "runtime/lx: named by the headers' alternatives; a daemon runs the inline rep movsb/stosb" {
  since = "6.4", "rep_movs_alternative", "rep_stos_alternative",
}

header "inline or macro in linux/uaccess.h and asm/uaccess*.h over the functions above" {
  "copy_from_user", "copy_to_user", "get_user", "put_user", "__get_user", "__put_user",
  "access_ok", "clear_user", "__clear_user", "raw_copy_from_user", "raw_copy_to_user",
  "copy_user_generic", "clear_page",
}
