// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace citsim::core {

/// Edit distance (insertions, deletions, substitutions) between two short strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word`, or "" if none is close enough to be a likely typo.
std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates);

/// "a, b, c" — for listing the allowed values in an error message.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// " (did you mean 'x'?)" or "" when nothing is near.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace citsim::core
