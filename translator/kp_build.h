/* kp_build.h (prefix kbd_): `kpiport build PORTDIR --target T`: configure
 * and build the port dir's CMakeLists.txt (cmake/KpiPort.cmake says how
 * each target is built) into PORTDIR/build-<target>. */
#ifndef KP_BUILD_H
#define KP_BUILD_H

/* T: linux, sim, redox-emu or redox.  -1 with ku_err() naming the
 * undefined symbols of a failed link once each. */
int kbd_build(const char *portdir, const char *target, int jobs);
/* For T = redox: whether a Redox toolchain linked the daemon (1), or the
 * objects were only compile-checked with clang's redox target (0). */
int kbd_redox_linked(const char *portdir);

#endif
