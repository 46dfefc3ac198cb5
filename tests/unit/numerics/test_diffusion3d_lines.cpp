// SPDX-License-Identifier: MIT
// The factors kept for lines that are not of one material (OddLineTables): they solve a line as
// the full elimination does, follow the step, and give the same bits whatever they held before.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/numerics/diffusion3d_sweeps.hpp"
#include "diffusion3d_cases.hpp"

namespace citsim::numerics {
namespace {

constexpr std::size_t k_nx = 40;
constexpr std::size_t k_rows = 8;  // one block of the x sweep in double

/// Coefficients for a step of dt seconds on a 10 µm grid with the stiff test materials.
detail::MaterialCoefficients<double> coefficients_for(double dt) {
  detail::MaterialCoefficients<double> coefficients;
  coefficients.assign(testing::stiff_materials(), Diffusion3dBoundary{});
  const std::vector<double> half_dz(1, 1e-6);
  coefficients.set_step(dt, dt / 1e-10, half_dz, 0.0);
  coefficients.set_uniform_lines(k_nx, k_rows, k_rows);
  return coefficients;
}

/// A block of rows of bulk tissue in which row 3 crosses two channels and a barrier cell: it
/// is odd, and the x sweep solves it with OddLineTables' factors.
std::vector<std::uint8_t> block_with_an_odd_row() {
  std::vector<std::uint8_t> ids(k_nx * k_rows, testing::k_bulk);
  ids[3 * k_nx + 5] = testing::k_channel;
  ids[3 * k_nx + 6] = testing::k_channel;
  ids[3 * k_nx + 21] = testing::k_barrier;
  ids[3 * k_nx + 39] = testing::k_channel;  // beside the wrap-around face
  return ids;
}

std::vector<double> bumpy_rows() {
  std::vector<double> u(k_nx * k_rows);
  for (std::size_t c = 0; c < u.size(); ++c) u[c] = 0.2 + 0.1 * std::sin(0.37 * double(c));
  return u;
}

std::vector<double> swept(std::vector<double> u, const std::vector<std::uint8_t>& ids,
                          const detail::MaterialCoefficients<double>& coefficients, double dt,
                          detail::SweepScratch<double>& scratch) {
  detail::sweep_x_rows(k_nx, k_rows, 0, k_rows, u.data(), ids.data(), coefficients, dt / 1e-10,
                       scratch);
  return u;
}

detail::SweepScratch<double> fresh_scratch() {
  return detail::SweepScratch<double>(detail::scratch_sizes(k_nx, k_rows, 1, sizeof(double)));
}

TEST(OddLineTables, SolveALineAsTheFullEliminationDoes) {
  const double dt = 40;
  const auto coefficients = coefficients_for(dt);
  const auto ids = block_with_an_odd_row();
  auto scratch = fresh_scratch();
  const std::vector<double> start = bumpy_rows();
  const std::vector<double> result = swept(start, ids, coefficients, dt, scratch);
  // Row 3 alone through the full elimination (a division and look-ups per cell).
  std::vector<double> row(start.begin() + 3 * k_nx, start.begin() + 4 * k_nx);
  auto full_scratch = fresh_scratch();
  detail::solve_lines_in_full(k_nx, 1, row.data(), 1, ids.data() + 3 * k_nx, 1, coefficients,
                              full_scratch);
  double largest = 0;
  for (std::size_t i = 0; i < k_nx; ++i) {
    largest = std::max(largest, std::abs(result[3 * k_nx + i] - row[i]) / std::abs(row[i]));
  }
  EXPECT_LT(largest, 1e-13);
  EXPECT_GT(std::abs(row[6] - start[3 * k_nx + 6]), 1e-3);  // the step did move the channel
}

TEST(OddLineTables, FollowTheStep) {
  const auto ids = block_with_an_odd_row();
  auto kept = fresh_scratch();
  // Factored for a step of 40 s, then used after a step of 5 s: they must be factored again.
  (void)swept(bumpy_rows(), ids, coefficients_for(40), 40, kept);
  const auto short_step = coefficients_for(5);
  auto fresh = fresh_scratch();
  const auto with_kept = swept(bumpy_rows(), ids, short_step, 5, kept);
  const auto with_fresh = swept(bumpy_rows(), ids, short_step, 5, fresh);
  EXPECT_EQ(std::memcmp(with_kept.data(), with_fresh.data(), with_kept.size() * sizeof(double)), 0);
}

TEST(OddLineTables, MoreLinesThanTheyKeepGiveTheSameFactors) {
  const auto coefficients = coefficients_for(40);
  std::mt19937 random(7);
  std::uniform_int_distribution<int> material(0, 3);
  const std::size_t lines = 2 * detail::OddLineTables<double>::k_capacity + 3;
  std::vector<std::vector<std::uint8_t>> ids(lines, std::vector<std::uint8_t>(k_nx));
  for (auto& line : ids) {
    for (auto& id : line) id = static_cast<std::uint8_t>(material(random));
  }
  detail::OddLineTables<double> kept;
  for (const auto& line : ids) (void)kept.find(coefficients, k_nx, line.data(), 1);
  // Every line again, in reverse: found or factored anew, the same factors as a fresh table's.
  for (std::size_t l = lines; l-- > 0;) {
    const auto a = kept.find(coefficients, k_nx, ids[l].data(), 1);
    detail::OddLineTables<double> fresh;
    const auto b = fresh.find(coefficients, k_nx, ids[l].data(), 1);
    for (const auto& [x, y] :
         {std::pair{a.alpha, b.alpha}, std::pair{a.beta, b.beta}, std::pair{a.weight, b.weight},
          std::pair{a.upper, b.upper}, std::pair{a.correction, b.correction}}) {
      EXPECT_EQ(std::memcmp(x, y, k_nx * sizeof(double)), 0) << "line " << l;
    }
    EXPECT_EQ(a.ratio, b.ratio);
    EXPECT_EQ(a.scale, b.scale);
  }
  EXPECT_LE(kept.bytes(), detail::k_odd_line_tables * k_nx * (5 * sizeof(double) + 2) + k_nx);
}

/// Lines side by side along y (lane l's cell p at p·w + l), as a plane sets them aside.
TEST(OddLineTables, LinesSetApartAlikeAgreeWithTheFullSolve) {
  const std::size_t n = 24;
  const std::size_t w = 5;
  const auto coefficients = coefficients_for(40);
  std::vector<std::uint8_t> ids(n * w, testing::k_bulk);
  for (std::size_t l = 0; l < w; ++l) {
    ids[7 * w + l] = testing::k_channel;  // every line crosses the same channel
    ids[8 * w + l] = testing::k_channel;
  }
  std::vector<double> start(n * w);
  for (std::size_t c = 0; c < start.size(); ++c) start[c] = 0.3 + 0.2 * std::cos(0.51 * double(c));
  const auto solve = [&](bool apart, const std::vector<std::uint8_t>& line_ids) {
    auto scratch = fresh_scratch();
    std::vector<double> u = start;
    if (apart) {
      detail::solve_lines_apart(n, w, u.data(), w, line_ids.data(), w, coefficients, scratch);
    } else {
      detail::solve_lines_in_full(n, w, u.data(), w, line_ids.data(), w, coefficients, scratch);
    }
    return u;
  };
  const auto alike = solve(true, ids);
  const auto full = solve(false, ids);
  double largest = 0;
  for (std::size_t c = 0; c < full.size(); ++c) {
    largest = std::max(largest, std::abs(alike[c] - full[c]) / std::abs(full[c]));
  }
  EXPECT_LT(largest, 1e-13);
  EXPECT_GT(largest, 0.0);  // the factors' arithmetic differs in rounding: that path ran
  EXPECT_GT(std::abs(full[7 * w] - start[7 * w]), 1e-3);
  // One line unlike the others: all solved in full, the same bits as solve_lines_in_full.
  ids[3 * w + 2] = testing::k_barrier;
  const auto unlike = solve(true, ids);
  const auto unlike_full = solve(false, ids);
  EXPECT_EQ(std::memcmp(unlike.data(), unlike_full.data(), unlike.size() * sizeof(double)), 0);
}

}  // namespace
}  // namespace citsim::numerics
