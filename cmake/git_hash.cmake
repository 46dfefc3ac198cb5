# SPDX-License-Identifier: MIT
# Writes OUTPUT, a header with the checkout's commit (k_git_hash), at every build: read at
# configure time only, it went stale with the first commit after (results named the wrong
# source). The hash gets "-dirty" when tracked files differ from that commit. The file is
# rewritten only when its text changes, so a build with no new commit recompiles nothing.
#
#   cmake -DSOURCE_DIR=<source tree> -DOUTPUT=<header> -P git_hash.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE hash OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR NOT hash)
  set(hash "unknown")
else()
  execute_process(COMMAND git diff --quiet HEAD --
    WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty)
    string(APPEND hash "-dirty")
  endif()
endif()
set(text "// SPDX-License-Identifier: MIT
// Generated at build time by cmake/git_hash.cmake.
#pragma once

namespace citsim {

/// The commit the binary was built from (\"-dirty\": with changes not committed), or \"unknown\"
/// outside a git checkout.
inline constexpr const char* k_git_hash = \"${hash}\";

}  // namespace citsim
")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUTPUT} "${text}")
endif()
