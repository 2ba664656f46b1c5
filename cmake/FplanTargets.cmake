# SPDX-License-Identifier: EUPL-1.2
# Settings every project target shares; applied per target, never per directory.
function(fplan_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
    if(FPLAN_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# One GoogleTest executable per library: links the library, never recompiles its sources.
function(fplan_add_test_suite name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  fplan_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} fplan_test_support GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS ${ARG_LABEL} ENVIRONMENT "FPLAN_SOURCE_DIR=${PROJECT_SOURCE_DIR};FPLAN_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()
