# tests/corpus.cmake: the corpus of real PCI drivers (corpus/manifest.tsv),
# label corpus-full.  corpus.stages ports and builds every driver with
# tools/corpus.py --check and fails when one falls below the stage the
# manifest records (the manifest's `#! target=` line says for which build
# target).  Results go to the build dir, not corpus/: regenerate the
# committed table with `python3 tools/corpus.py` from the source tree.
# The whole corpus is a batch job (tens of minutes on 2 cores): it is a
# ctest test only when configured with -DKP_CORPUS_FULL=ON (label
# corpus-full); CI runs the fixed subset corpus.subset (tests/versions.cmake).
# Skips (77) when the default Linux tree is missing.
# corpus.random-ci: the fixed CI subset of the random part (the lines of
# corpus/random.tsv whose note is `ci`), checked the same way; a few drivers.
# The whole random part is a batch job:
# `python3 tools/corpus.py --manifest corpus/random.tsv`.
# unit.corpus (label unit): tests/unit/test_corpus.py, tools/corpus.py's
# timings, time totals and tree comparison, with no tree and no kpiport.
set(KP_CORPUS_JOBS 2 CACHE STRING "drivers tools/corpus.py ports in parallel in ctest")
set(KP_CORPUS_TARGET "" CACHE STRING "kpiport build target for corpus.stages (empty: the manifest's)")
find_package(Python3 COMPONENTS Interpreter)
option(KP_CORPUS_FULL "register the whole corpus as ctest corpus.stages" OFF)
if(Python3_Interpreter_FOUND AND KP_CORPUS_FULL)
  set(kp_corpus_args --check -j ${KP_CORPUS_JOBS} --kpiport $<TARGET_FILE:kpiport>
    --results-dir ${CMAKE_CURRENT_BINARY_DIR}/corpus)
  if(KP_CORPUS_TARGET)
    list(APPEND kp_corpus_args --target ${KP_CORPUS_TARGET})
  endif()
  add_test(NAME corpus.stages COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/corpus.py ${kp_corpus_args})
  set_tests_properties(corpus.stages PROPERTIES LABELS corpus-full SKIP_RETURN_CODE 77 TIMEOUT 3600
    PROCESSORS ${KP_CORPUS_JOBS})
endif()
if(Python3_Interpreter_FOUND)
  add_test(NAME corpus.random-ci COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/corpus.py
    --manifest ${PROJECT_SOURCE_DIR}/corpus/random.tsv --ci --check --no-write -j ${KP_CORPUS_JOBS}
    --kpiport $<TARGET_FILE:kpiport>)
  set_tests_properties(corpus.random-ci PROPERTIES LABELS "real;corpus" SKIP_RETURN_CODE 77 TIMEOUT 1800
    PROCESSORS ${KP_CORPUS_JOBS})
endif()
if(Python3_Interpreter_FOUND)
  # tools/corpus.py's logic that needs neither a tree nor kpiport
  add_test(NAME unit.corpus COMMAND ${Python3_EXECUTABLE} ${KP_TESTS_DIR}/unit/test_corpus.py)
  set_tests_properties(unit.corpus PROPERTIES LABELS unit TIMEOUT 60)
endif()
