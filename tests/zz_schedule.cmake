# tests/zz_schedule.cmake: the order `ctest -j` starts tests in on a machine
# that has never run them (included last, after every area has added its
# tests; it only sets COST, never labels, fixtures or locks).
#
# With cost data (Testing/Temporary/CTestCostData.txt, written by every
# run) ctest starts the longest tests first by itself.  A fresh checkout has
# none - CI's case - and then ctest goes by COST, then by the order the
# areas were included.  The suite's wall time is set by its long serial
# chains, which must start at once so that the ~150 short tests fill the
# other core around them instead of leaving one core idle at the end:
#   - linux-tests.*: 20 ports+builds that share one lock (one at a time);
#   - runtime_drm_bochs_sim: one cold port+build of ~90 imported DRM files,
#     then e2e.drm.bochs, which needs it;
#   - e2e.ported.build.*: a driver's port and builds, then its guests.
# Higher COST starts first.
foreach(t IN ITEMS runtime_drm_bochs_sim)
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES COST 60)
  endif()
endforeach()
get_property(kp_sched_tests DIRECTORY PROPERTY TESTS)
foreach(t IN LISTS kp_sched_tests)
  if(t MATCHES "^linux-tests\\.")
    set_tests_properties(${t} PROPERTIES COST 50)
  elseif(t MATCHES "^e2e\\.ported\\.build\\.")
    set_tests_properties(${t} PROPERTIES COST 40)
  endif()
endforeach()
