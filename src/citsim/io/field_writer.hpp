// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "citsim/numerics/grid3d.hpp"

namespace citsim::io {

/// Where the cells of a field are: nx × ny × nz cells, uniform spacing dx in x and y from 0,
/// and the nz + 1 face depths in z (m, growing downwards from the surface at 0). Values are
/// stored x fastest (index i + nx·(j + ny·k)), as numerics::Grid3d numbers them.
struct FieldGeometry {
  std::size_t nx = 0;
  std::size_t ny = 0;
  double dx_m = 0;
  std::vector<double> z_faces_m;

  std::size_t nz() const { return z_faces_m.empty() ? 0 : z_faces_m.size() - 1; }
  std::size_t cells() const { return nx * ny * nz(); }
};

/// The geometry of a simulation grid.
FieldGeometry field_geometry(const numerics::Grid3d& grid);

/// Writes cell-centred fields over time as HDF5 + XDMF, which ParaView and VisIt open: one
/// HDF5 dataset per field and time (/NAME/t000012, the step's index), the face coordinates
/// under /geometry, and at close() a .xdmf beside the .h5 describing a temporal collection of
/// rectilinear grids. The .xdmf is written last and atomically, so one that exists names only
/// datasets that are complete. Not thread-safe; one writer per file.
class FieldWriter {
 public:
  /// Creates (or truncates) `h5_path` and writes the geometry; the XDMF will be
  /// `h5_path` with the extension .xdmf. Throws std::invalid_argument for a geometry without
  /// cells or with non-increasing faces, std::runtime_error when the file cannot be written.
  FieldWriter(std::filesystem::path h5_path, FieldGeometry geometry);
  /// Closes the file if close() was not called, ignoring errors (call close() to see them).
  ~FieldWriter();
  FieldWriter(const FieldWriter&) = delete;
  FieldWriter& operator=(const FieldWriter&) = delete;

  /// Appends field `name` ([A-Za-z0-9_]+) at `time_s` (s). A time equal to the last one adds
  /// the field to that step; a later time starts a new step; an earlier one, a name already
  /// written at this step, or a size other than geometry().cells() is std::invalid_argument.
  void append(std::string_view name, double time_s, std::span<const double> values);
  void append(std::string_view name, double time_s, std::span<const float> values);

  /// Flushes and closes the HDF5 file, then writes the .xdmf atomically. Idempotent.
  void close();

  const FieldGeometry& geometry() const { return m_geometry; }
  const std::filesystem::path& h5_path() const { return m_h5_path; }
  std::filesystem::path xdmf_path() const;
  /// Time steps written so far.
  std::size_t steps() const { return m_steps.size(); }

  /// The dataset path of field `name` at step `index`, e.g. "/concentration/t000012".
  static std::string dataset_path(std::string_view name, std::size_t index);

 private:
  struct StepField {
    std::string name;
    std::size_t precision = 8;  ///< bytes per value
  };
  struct Step {
    double time_s = 0;
    std::vector<StepField> fields;
  };

  void append_raw(std::string_view name, double time_s, std::size_t count, const void* data,
                  bool single);
  std::string xdmf() const;

  std::filesystem::path m_h5_path;
  FieldGeometry m_geometry;
  std::int64_t m_file = -1;  ///< hid_t of the open file (-1 once closed)
  std::vector<Step> m_steps;
};

}  // namespace citsim::io
