-- libc.lua: kernel functions whose names libc also defines.
--
-- A ported daemon links statically against libc.  Where the kernel meaning
-- differs, the driver's references are renamed to lx_* and the runtime
-- implements those with kernel semantics: the kernel's printf family knows
-- %pM, %pI4, %*ph, ... and its sscanf differs in corner cases.

rename {
  sprintf   = "lx_sprintf",
  snprintf  = "lx_snprintf",
  vsprintf  = "lx_vsprintf",
  vsnprintf = "lx_vsnprintf",
  sscanf    = "lx_sscanf",
  vsscanf   = "lx_vsscanf",
}

-- Where the meaning is the same, libc's definition serves the driver and
-- the runtime links it: nothing to rename, nothing to generate.
runtime "libc's function has the kernel meaning; resolved by libc at link time" {
  "memcpy", "memmove", "memset", "memcmp", "memchr",
  "strlen", "strnlen", "strcmp", "strncmp", "strcpy", "strncpy", "strcat", "strncat",
  "strchr", "strrchr", "strstr", "strsep", "strcasecmp", "strncasecmp",
  "bsearch",
}
