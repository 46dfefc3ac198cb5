// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string_view>

namespace citsim::io {

/// Writes `content` to `path` so that readers see either the old file or the whole new one:
/// the bytes go to a temporary file beside it, which is flushed and then renamed over `path`.
/// Throws std::runtime_error (with the path and the system's reason) when it cannot.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Creates the output folder and removes a previous run's result.json and report.html first:
/// result.json is written last, so its presence says that the whole run completed.
/// Throws std::runtime_error (with the folder and the system's reason) when it cannot.
void prepare_output_dir(const std::filesystem::path& dir);

}  // namespace citsim::io
