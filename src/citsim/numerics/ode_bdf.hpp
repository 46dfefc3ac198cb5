// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace citsim::numerics {

/// Right-hand side dy/dt = f(t, y) of an ODE system. Return 0 on success, a positive value for a
/// recoverable failure (the integrator retries with a smaller step), a negative one to stop.
using OdeRhs = std::function<int(double t, std::span<const double> y, std::span<double> dydt)>;

struct OdeTolerances {
  double relative = 1e-6;
  double absolute = 1e-9;
  long max_steps = 20000;  ///< per call of advance()
};

/// A stiff ODE integrator: SUNDIALS CVODE with variable-order BDF and a dense direct linear
/// solver (finite-difference Jacobian). Suited to small stiff systems (tens of unknowns) such as
/// kinetic models whose rates span many orders of magnitude. Not copyable; one per thread.
class OdeBdf {
 public:
  OdeBdf(std::size_t size, OdeRhs rhs, const OdeTolerances& tolerances = {});
  ~OdeBdf();
  OdeBdf(const OdeBdf&) = delete;
  OdeBdf& operator=(const OdeBdf&) = delete;

  /// Starts (or restarts, after a jump in the state) the integration at t0 with the state y0.
  void reset(double t0, std::span<const double> y0);
  /// Integrates to t_out (> current time) and writes the state there into y (interpolated
  /// between internal steps). Never steps past t_stop >= t_out, so a discontinuity there (a new
  /// session) is not smeared. Throws core::InternalError with CVODE's flag name and message when
  /// the integration fails.
  void advance(double t_out, std::span<double> y, double t_stop);
  /// Steps taken since the latest reset (for tests and benchmarks).

  [[nodiscard]] double time() const { return m_t; }
  [[nodiscard]] std::size_t size() const { return m_size; }
  [[nodiscard]] long steps() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::size_t m_size;
  double m_t = 0;
  double m_t_stop = -1;
  bool m_started = false;
};

}  // namespace citsim::numerics
