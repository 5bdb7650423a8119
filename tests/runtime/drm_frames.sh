# drm_frames.sh: sourced by the bochs DRM tests (drm_test_ported.sh on the
# sim, drm_scheme_test.sh on the emulated Redox): the check both make of
# the two frames a DRM test client drew, against the sim model's
# screendumps.  drm_check_frames LOG PREFIX appends to the caller's `why`
# array what is wrong: after frame N the model's dispi registers must say
# 1024x768x32 and PREFIX<N>.ppm must equal the pattern pixel for pixel
# (drm_pattern.py), and the page flip must have moved the scanout.
drm_check_frames() {
  local log=$1 prefix=$2 f line o1 o2
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  for f in 1 2; do
    line=$(grep "sm bochs: screendump .* -> $prefix$f.ppm" "$log" || true)
    [[ "$line" == *"screendump 1024x768x32 virt_width=1024 "* ]] ||
      why+=("frame $f: the dispi registers do not say 1024x768x32 (${line:-no screendump})")
    python3 "$here/drm_pattern.py" "$prefix$f.ppm" $f 1024 768 || why+=("frame $f: the screen is not the pattern")
  done
  o1=$(sed -n "s|.*offset=\([0-9,]*\) -> ${prefix}1.ppm|\1|p" "$log")
  o2=$(sed -n "s|.*offset=\([0-9,]*\) -> ${prefix}2.ppm|\1|p" "$log")
  [ -n "$o1" ] && [ "$o1" != "$o2" ] || why+=("the page flip did not move the scanout (offsets ${o1:-?} and ${o2:-?})")
}
