// SPDX-License-Identifier: MIT
#include "citsim/numerics/ode_bdf.hpp"

#include <cstdlib>
#include <memory>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <fmt/format.h>

#include "citsim/core/error.hpp"

namespace citsim::numerics {

struct OdeBdf::Impl {
  SUNContext context = nullptr;
  N_Vector y = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver solver = nullptr;
  void* cvode = nullptr;
  OdeRhs rhs;
  std::size_t size = 0;
  std::string last_message;  ///< CVODE's own words for the latest error

  ~Impl() {
    if (cvode != nullptr) CVodeFree(&cvode);
    if (solver != nullptr) SUNLinSolFree(solver);
    if (matrix != nullptr) SUNMatDestroy(matrix);
    if (y != nullptr) N_VDestroy(y);
    if (context != nullptr) SUNContext_Free(&context);
  }

  static int rhs_adapter(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
    auto* self = static_cast<Impl*>(user_data);
    const std::span<const double> in(N_VGetArrayPointer(y), self->size);
    const std::span<double> out(N_VGetArrayPointer(ydot), self->size);
    try {
      return self->rhs(t, in, out);
    } catch (...) {
      // Exceptions must not cross the C library; stop the integration instead.
      self->last_message = "the right-hand side threw an exception";
      return -1;
    }
  }

  // CVODE prints errors to stderr by default; keep them for the exception instead.
  static void error_adapter(int /*code*/, const char* /*module*/, const char* function, char* msg,
                            void* user_data) {
    auto* self = static_cast<Impl*>(user_data);
    self->last_message = fmt::format("{}: {}", function, msg);
  }

  void check(int flag, const char* what) const {
    if (flag < 0) {
      // CVodeGetReturnFlagName returns a malloc'ed string that the caller frees.
      const std::unique_ptr<char, decltype(&std::free)> name(CVodeGetReturnFlagName(flag),
                                                             &std::free);
      throw core::InternalError(fmt::format("CVODE {} failed ({}){}{}", what,
                                            name ? name.get() : "unknown flag",
                                            last_message.empty() ? "" : ": ", last_message));
    }
  }
};

OdeBdf::OdeBdf(std::size_t size, OdeRhs rhs, const OdeTolerances& tolerances)
    : m_impl(std::make_unique<Impl>()), m_size(size) {
  if (size == 0) throw core::InternalError("OdeBdf: empty system");
  auto& impl = *m_impl;
  impl.rhs = std::move(rhs);
  impl.size = size;
  const auto n = static_cast<sunindextype>(size);
  if (SUNContext_Create(nullptr, &impl.context) != 0)
    throw core::InternalError("SUNDIALS: cannot create a context");
  impl.y = N_VNew_Serial(n, impl.context);
  impl.matrix = SUNDenseMatrix(n, n, impl.context);
  impl.solver = SUNLinSol_Dense(impl.y, impl.matrix, impl.context);
  impl.cvode = CVodeCreate(CV_BDF, impl.context);
  if (impl.y == nullptr || impl.matrix == nullptr || impl.solver == nullptr ||
      impl.cvode == nullptr)
    throw core::InternalError("SUNDIALS: out of memory creating the BDF integrator");
  N_VConst(0.0, impl.y);
  impl.check(CVodeSetErrHandlerFn(impl.cvode, Impl::error_adapter, &impl), "error handler");
  impl.check(CVodeInit(impl.cvode, Impl::rhs_adapter, 0.0, impl.y), "init");
  impl.check(CVodeSetUserData(impl.cvode, &impl), "user data");
  impl.check(CVodeSStolerances(impl.cvode, tolerances.relative, tolerances.absolute), "tolerances");
  impl.check(CVodeSetLinearSolver(impl.cvode, impl.solver, impl.matrix), "linear solver");
  impl.check(CVodeSetMaxNumSteps(impl.cvode, tolerances.max_steps), "max steps");
}

OdeBdf::~OdeBdf() = default;

void OdeBdf::reset(double t0, std::span<const double> y0) {
  if (y0.size() != m_size) throw core::InternalError("OdeBdf::reset: wrong state size");
  std::copy(y0.begin(), y0.end(), N_VGetArrayPointer(m_impl->y));
  m_impl->last_message.clear();
  m_impl->check(CVodeReInit(m_impl->cvode, t0, m_impl->y), "re-init");
  m_t = t0;
  m_t_stop = -1;
  m_started = true;
}

void OdeBdf::advance(double t_out, std::span<double> y, double t_stop) {
  if (!m_started) throw core::InternalError("OdeBdf::advance before reset");
  if (y.size() != m_size) throw core::InternalError("OdeBdf::advance: wrong state size");
  if (t_stop < t_out) throw core::InternalError("OdeBdf::advance: t_stop before t_out");
  if (t_out <= m_t) {
    std::copy_n(N_VGetArrayPointer(m_impl->y), m_size, y.begin());
    return;
  }
  if (t_stop != m_t_stop) {
    m_impl->check(CVodeSetStopTime(m_impl->cvode, t_stop), "stop time");
    m_t_stop = t_stop;
  }
  // CVODE returns the interpolated state at t_out in its own vector; the integrator's internal
  // state runs ahead (up to t_stop) and is not disturbed.
  double t_reached = m_t;
  const int flag = CVode(m_impl->cvode, t_out, m_impl->y, &t_reached, CV_NORMAL);
  if (flag < 0) {
    m_impl->check(flag, fmt::format("integration from t = {:g} to {:g}", m_t, t_out).c_str());
  }
  m_t = t_reached;
  std::copy_n(N_VGetArrayPointer(m_impl->y), m_size, y.begin());
}

long OdeBdf::steps() const {
  long n = 0;
  CVodeGetNumSteps(m_impl->cvode, &n);
  return n;
}

}  // namespace citsim::numerics
