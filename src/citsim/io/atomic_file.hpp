// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string_view>

namespace citsim::io {

/// Writes `content` to `path` so that readers see either the old file or the whole new one:
/// the bytes go to a temporary file beside it, which is flushed and then renamed over `path`.
/// Throws std::runtime_error (with the path and the system's reason) when it cannot.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace citsim::io
