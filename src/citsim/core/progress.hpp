// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace citsim::core {

/// A one-line progress display on stderr ("label [####    ] 12/40 3.1 s"), drawn only when
/// stderr is a terminal so logs and CI output stay clean. Debian packages no C++ progress-bar
/// library, and this needs about forty lines, so it is written here.
class Progress {
 public:
  Progress(std::string label, std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::size_t steps = 1);
  void finish();

 private:
  void draw();

  std::string m_label;
  std::size_t m_total;
  std::size_t m_done = 0;
  bool m_enabled;
  bool m_finished = false;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last_draw;
};

}  // namespace citsim::core
