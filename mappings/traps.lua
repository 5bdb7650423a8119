-- traps.lua: names the kernel declares but never defines, on purpose.
--
-- Macros and inlines reference them only on paths the compiler removes
-- (udelay() of a constant that is too large, a put_user() of a size that
-- does not exist, a copy whose constant size is known to overflow): a reference that
-- survives compilation is a bug in the driver, and Linux itself then fails
-- to link.  So they are header-provided: kpiport generates no stub (which
-- would only hide that bug behind a runtime abort) and the link keeps
-- Linux's behaviour.

header "build-time trap: referenced only on paths the compiler removes" {
  "__bad_udelay", "__bad_ndelay", "__bad_size_call_parameter",
  "__bad_copy_from", "__bad_copy_to",         -- (__copy_overflow is no trap: mm/maccess.c defines it, uaccess.lua)
  "__get_user_bad", "__put_user_bad",
  "__xchg_wrong_size", "__cmpxchg_wrong_size", "__xadd_wrong_size", "__add_wrong_size",
  "__generic_xchg_called_with_bad_pointer",
  "__bad_uid", "__bad_gid",                    -- linux/highuid.h: a uid of an impossible size
  "____wrong_branch_error",                    -- linux/jump_label.h: static_branch on a non-key
  "__scoped_seqlock_invalid_target",           -- linux/seqlock.h: scoped_seqlock_read of a bad target
  "__field_overflow", "__bad_mask",            -- linux/bitfield.h: FIELD_PREP of a constant that does not fit
  "__read_overflow", "__read_overflow2", "__write_overflow", -- linux/fortify-string.h (FORTIFY_SOURCE)
  "__invalid_size_argument_for_IOC",           -- asm-generic/ioctl.h: _IOW() of a type too big for the size field
  "__warn_flushing_systemwide_wq",             -- linux/workqueue.h: flush_scheduled_work() (an `if (0)` call)
}

-- asm/asm.h declares the stack pointer as a global register variable
-- (`register unsigned long current_stack_pointer asm("rsp")`): the compiler
-- reads the register, no symbol is ever referenced.
header { current_stack_pointer = { note = "a global register variable (asm/asm.h): the stack pointer itself" } }

-- How the kernel's other link-time mechanisms resolve in a daemon (the
-- port's config: allnoconfig plus the driver's symbols):
--   static keys: CONFIG_JUMP_LABEL is off, so static_branch_*() read the
--     key's count (correct at every moment, no code patching) and
--     static_key_enable/disable/slow_inc/dec are header inlines;
--   alternatives: the original instruction stays in the text (no boot-time
--     patching), so a daemon runs the baseline (copy_user_generic_unrolled,
--     the inline rep stosb of __clear_user, clear_page_orig); the
--     replacements are still referenced from .altinstr_replacement and
--     must link (uaccess.lua);
--   static calls: a call goes through the __SCT__ trampoline of the key,
--     which jumps to the target its DEFINE_STATIC_CALL set (unpatched:
--     correct until static_call_update(), which cannot patch text here).
--     The headers a PCI driver sees under this config declare none
--     (might_resched/cond_resched ones need PREEMPT_DYNAMIC, tracepoint
--     ones CONFIG_TRACEPOINTS).

-- The header inlines that enable or disable a static key warn unless
-- jump_label_init() ran (Linux: early at boot); lx defines the flag set.
runtime { static_key_initialized = { note = "data: true, as after jump_label_init() (runtime/lx/lx_core.c)" } }
