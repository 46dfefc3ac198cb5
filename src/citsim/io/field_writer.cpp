// SPDX-License-Identifier: MIT
#include "citsim/io/field_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "citsim/io/atomic_file.hpp"

namespace citsim::io {

static_assert(std::is_same_v<hid_t, std::int64_t>, "FieldWriter keeps an hid_t as int64_t");

namespace {

/// An HDF5 identifier closed by `Close` when it goes out of scope.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  explicit Handle(hid_t id) : m_id(id) {}
  ~Handle() {
    if (m_id >= 0) Close(m_id);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return m_id; }
  bool ok() const { return m_id >= 0; }

 private:
  hid_t m_id;
};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error(path.string() + ": cannot " + what + " (HDF5)");
}

/// Creation properties of class `list_class` (dataset or group) without the modification time
/// HDF5 stores by default, so that the same run writes the same bytes.
hid_t untimed(hid_t list_class) {
  const hid_t list = H5Pcreate(list_class);
  if (list >= 0 && H5Pset_obj_track_times(list, false) < 0) {
    H5Pclose(list);
    return -1;
  }
  return list;
}

/// Writes a 1D or 3D dataset of doubles or floats at `path` (its group must exist).
void write_dataset(const std::filesystem::path& file_path, hid_t file, const std::string& path,
                   std::span<const hsize_t> dims, const void* data, bool single) {
  Handle<H5Sclose> space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  if (!space.ok()) fail(file_path, "describe dataset " + path);
  const hid_t type = single ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
  Handle<H5Pclose> creation(untimed(H5P_DATASET_CREATE));
  if (!creation.ok()) fail(file_path, "describe dataset " + path);
  Handle<H5Dclose> set(
      H5Dcreate2(file, path.c_str(), type, space.get(), H5P_DEFAULT, creation.get(), H5P_DEFAULT));
  if (!set.ok()) fail(file_path, "create dataset " + path);
  if (H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    fail(file_path, "write dataset " + path);
  }
}

void ensure_group(const std::filesystem::path& file_path, hid_t file, const std::string& name) {
  if (H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0) return;
  Handle<H5Pclose> creation(untimed(H5P_GROUP_CREATE));
  if (!creation.ok()) fail(file_path, "describe group " + name);
  Handle<H5Gclose> group(H5Gcreate2(file, name.c_str(), H5P_DEFAULT, creation.get(), H5P_DEFAULT));
  if (!group.ok()) fail(file_path, "create group " + name);
}

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

/// Shortest text that reads back as the same double.
std::string exact(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace

FieldGeometry field_geometry(const numerics::Grid3d& grid) {
  FieldGeometry geometry;
  geometry.nx = grid.nx();
  geometry.ny = grid.ny();
  geometry.dx_m = grid.dx_m();
  for (std::size_t k = 0; k <= grid.nz(); ++k) geometry.z_faces_m.push_back(grid.z_face_m(k));
  return geometry;
}

FieldWriter::FieldWriter(std::filesystem::path h5_path, FieldGeometry geometry)
    : m_h5_path(std::move(h5_path)), m_geometry(std::move(geometry)) {
  bool increasing = m_geometry.z_faces_m.size() >= 2;
  for (std::size_t k = 1; k < m_geometry.z_faces_m.size(); ++k) {
    increasing = increasing && m_geometry.z_faces_m[k] > m_geometry.z_faces_m[k - 1];
  }
  if (m_geometry.nx == 0 || m_geometry.ny == 0 || !(m_geometry.dx_m > 0) || !increasing) {
    throw std::invalid_argument(m_h5_path.string() +
                                ": a field grid needs cells, dx > 0 and increasing z faces");
  }
  m_file = H5Fcreate(m_h5_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (m_file < 0) fail(m_h5_path, "create the file");
  try {
    ensure_group(m_h5_path, m_file, "/geometry");
    const auto faces = [&](std::size_t n) {
      std::vector<double> x(n + 1);
      for (std::size_t i = 0; i <= n; ++i) x[i] = m_geometry.dx_m * static_cast<double>(i);
      return x;
    };
    const std::vector<double> x = faces(m_geometry.nx);
    const std::vector<double> y = faces(m_geometry.ny);
    const hsize_t nx1[] = {x.size()};
    const hsize_t ny1[] = {y.size()};
    const hsize_t nz1[] = {m_geometry.z_faces_m.size()};
    write_dataset(m_h5_path, m_file, "/geometry/x", nx1, x.data(), false);
    write_dataset(m_h5_path, m_file, "/geometry/y", ny1, y.data(), false);
    write_dataset(m_h5_path, m_file, "/geometry/z", nz1, m_geometry.z_faces_m.data(), false);
  } catch (...) {
    H5Fclose(m_file);
    m_file = -1;
    throw;
  }
}

FieldWriter::~FieldWriter() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; close() reports the same failure to callers who ask.
  }
}

std::filesystem::path FieldWriter::xdmf_path() const {
  std::filesystem::path path = m_h5_path;
  return path.replace_extension(".xdmf");
}

std::string FieldWriter::dataset_path(std::string_view name, std::size_t index) {
  char step[24];
  std::snprintf(step, sizeof step, "/t%06zu", index);
  std::string path = "/";
  path.append(name);
  path.append(step);
  return path;
}

void FieldWriter::append(std::string_view name, double time_s, std::span<const double> values) {
  append_raw(name, time_s, values.size(), values.data(), false);
}

void FieldWriter::append(std::string_view name, double time_s, std::span<const float> values) {
  append_raw(name, time_s, values.size(), values.data(), true);
}

void FieldWriter::append_raw(std::string_view name, double time_s, std::size_t count,
                             const void* data, bool single) {
  if (m_file < 0) throw std::invalid_argument(m_h5_path.string() + ": the writer is closed");
  if (!valid_name(name)) {
    throw std::invalid_argument("field name '" + std::string(name) +
                                "': use letters, digits and '_'");
  }
  if (count != m_geometry.cells()) {
    throw std::invalid_argument("field '" + std::string(name) + "' has " + std::to_string(count) +
                                " values for " + std::to_string(m_geometry.cells()) + " cells");
  }
  if (!std::isfinite(time_s) || (!m_steps.empty() && time_s < m_steps.back().time_s)) {
    throw std::invalid_argument("field '" + std::string(name) + "': time " + exact(time_s) +
                                " s is before the last step written");
  }
  if (m_steps.empty() || time_s > m_steps.back().time_s) m_steps.push_back({time_s, {}});
  Step& step = m_steps.back();
  for (const StepField& field : step.fields) {
    if (field.name == name) {
      throw std::invalid_argument("field '" + std::string(name) + "' is already written at " +
                                  exact(time_s) + " s");
    }
  }
  std::string group = "/";
  group.append(name);
  ensure_group(m_h5_path, m_file, group);
  const hsize_t dims[] = {m_geometry.nz(), m_geometry.ny, m_geometry.nx};
  write_dataset(m_h5_path, m_file, dataset_path(name, m_steps.size() - 1), dims, data, single);
  step.fields.push_back({std::string(name), single ? sizeof(float) : sizeof(double)});
}

std::string FieldWriter::xdmf() const {
  const std::string h5 = m_h5_path.filename().string();
  const std::string nodes = std::to_string(m_geometry.nz() + 1) + " " +
                            std::to_string(m_geometry.ny + 1) + " " +
                            std::to_string(m_geometry.nx + 1);
  const std::string cells = std::to_string(m_geometry.nz()) + " " + std::to_string(m_geometry.ny) +
                            " " + std::to_string(m_geometry.nx);
  const auto item = [&](const std::string& dims, std::size_t precision, const std::string& path) {
    return "<DataItem Dimensions=\"" + dims + "\" NumberType=\"Float\" Precision=\"" +
           std::to_string(precision) + "\" Format=\"HDF\">" + h5 + ":" + path + "</DataItem>";
  };
  std::string out =
      "<?xml version=\"1.0\" ?>\n"
      "<Xdmf Version=\"3.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
      " <Domain>\n"
      "  <Grid Name=\"fields\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  for (std::size_t s = 0; s < m_steps.size(); ++s) {
    char name[24];
    std::snprintf(name, sizeof name, "t%06zu", s);
    out += "   <Grid Name=\"" + std::string(name) + "\" GridType=\"Uniform\">\n";
    out += "    <Time Value=\"" + exact(m_steps[s].time_s) + "\"/>\n";
    out += "    <Topology TopologyType=\"3DRectMesh\" Dimensions=\"" + nodes + "\"/>\n";
    out += "    <Geometry GeometryType=\"VXVYVZ\">\n";
    out += "     " + item(std::to_string(m_geometry.nx + 1), 8, "/geometry/x") + "\n";
    out += "     " + item(std::to_string(m_geometry.ny + 1), 8, "/geometry/y") + "\n";
    out += "     " + item(std::to_string(m_geometry.nz() + 1), 8, "/geometry/z") + "\n";
    out += "    </Geometry>\n";
    for (const StepField& field : m_steps[s].fields) {
      out +=
          "    <Attribute Name=\"" + field.name + "\" AttributeType=\"Scalar\" Center=\"Cell\">\n";
      out += "     " + item(cells, field.precision, dataset_path(field.name, s)) + "\n";
      out += "    </Attribute>\n";
    }
    out += "   </Grid>\n";
  }
  out += "  </Grid>\n </Domain>\n</Xdmf>\n";
  return out;
}

void FieldWriter::close() {
  if (m_file < 0) return;
  const hid_t file = m_file;
  m_file = -1;
  const bool flushed = H5Fflush(file, H5F_SCOPE_LOCAL) >= 0;
  const bool closed = H5Fclose(file) >= 0;
  if (!flushed || !closed) fail(m_h5_path, "flush and close the file");
  write_file_atomically(xdmf_path(), xdmf());
}

}  // namespace citsim::io
