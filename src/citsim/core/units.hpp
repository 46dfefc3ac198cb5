// SPDX-License-Identifier: MIT
#pragma once

/// Unit factors: multiply a value in the named unit to get SI, divide an SI value to get back.
/// Inside the library every quantity is SI in double (design.md §2); these live at the edges.
namespace citsim::units {

inline constexpr double m = 1.0;
inline constexpr double mm = 1e-3;
inline constexpr double um = 1e-6;
inline constexpr double cm = 1e-2;
inline constexpr double cm2 = 1e-4;
inline constexpr double mm2 = 1e-6;
inline constexpr double s = 1.0;
inline constexpr double hour = 3600.0;
inline constexpr double day = 86400.0;
inline constexpr double kg = 1.0;
inline constexpr double mg = 1e-6;
inline constexpr double ug = 1e-9;
inline constexpr double pa = 1.0;
inline constexpr double kpa = 1e3;
inline constexpr double mpa = 1e6;
inline constexpr double newton = 1.0;
inline constexpr double degree = 3.14159265358979323846 / 180.0;

}  // namespace citsim::units
