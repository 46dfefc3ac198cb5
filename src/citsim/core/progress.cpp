// SPDX-License-Identifier: MIT
#include "citsim/core/progress.hpp"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

namespace citsim::core {

Progress::Progress(std::string label, std::size_t total)
    : m_label(std::move(label)),
      m_total(std::max<std::size_t>(total, 1)),
      m_enabled(isatty(fileno(stderr)) != 0),
      m_start(std::chrono::steady_clock::now()),
      m_last_draw(m_start) {}

Progress::~Progress() {
  finish();
}

void Progress::advance(std::size_t steps) {
  m_done = std::min(m_total, m_done + steps);
  const auto now = std::chrono::steady_clock::now();
  // Redraw at most ten times a second: drawing must never cost more than the work.
  if (now - m_last_draw > std::chrono::milliseconds(100) || m_done == m_total) {
    m_last_draw = now;
    draw();
  }
}

void Progress::finish() {
  if (m_finished) return;
  m_finished = true;
  if (!m_enabled) return;
  draw();
  std::fputc('\n', stderr);
}

void Progress::draw() {
  if (!m_enabled) return;
  constexpr std::size_t width = 30;
  const std::size_t filled = width * m_done / m_total;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  const std::string line =
      fmt::format("\r{} [{}{}] {}/{} {:.1f} s", m_label, std::string(filled, '#'),
                  std::string(width - filled, ' '), m_done, m_total, seconds);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace citsim::core
