-- traps.lua: names the kernel declares but never defines, on purpose.
--
-- Macros and inlines reference them only on paths the compiler removes
-- (udelay() of a constant that is too large, a put_user() of a size that
-- does not exist, a copy whose size is known to overflow): a reference that
-- survives compilation is a bug in the driver, and Linux itself then fails
-- to link.  So they are header-provided: kpiport generates no stub (which
-- would only hide that bug behind a runtime abort) and the link keeps
-- Linux's behaviour.

header "build-time trap: referenced only on paths the compiler removes" {
  "__bad_udelay", "__bad_ndelay", "__bad_size_call_parameter",
  "__bad_copy_from", "__bad_copy_to", "__copy_overflow",
  "__get_user_bad", "__put_user_bad",
  "__xchg_wrong_size", "__cmpxchg_wrong_size", "__xadd_wrong_size",
}
