// SPDX-License-Identifier: MIT
#include <hdf5.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "citsim/io/field_writer.hpp"

namespace citsim::io {
namespace {

std::vector<double> read_dataset(const std::filesystem::path& file, const std::string& path,
                                 std::vector<hsize_t>& dims) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0);
  const hid_t set = H5Dopen2(f, path.c_str(), H5P_DEFAULT);
  EXPECT_GE(set, 0) << path;
  const hid_t space = H5Dget_space(set);
  dims.assign(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)), 0);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  std::size_t count = 1;
  for (const hsize_t d : dims) count *= d;
  std::vector<double> values(count);
  // Read as double whatever was stored: HDF5 converts float datasets on the way.
  EXPECT_GE(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(f);
  return values;
}

class FieldWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("citsim_fields_" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(FieldWriterTest, WritesStepsThatReadBackAndAnXdmfThatNamesThem) {
  const numerics::Grid3d grid(3, 2, 1e-5, {1e-6, 4e-6});
  std::vector<double> first(grid.size());
  std::vector<float> second(grid.size());
  for (std::size_t c = 0; c < grid.size(); ++c) {
    first[c] = 0.5 * static_cast<double>(c);
    second[c] = static_cast<float>(c) + 0.25f;
  }
  {
    FieldWriter writer(dir / "fields.h5", field_geometry(grid));
    writer.append("concentration", 0.0, first);
    writer.append("damage", 0.0, first);
    writer.append("concentration", 12.5, second);
    EXPECT_THROW(writer.append("concentration", 12.5, second), std::invalid_argument);
    EXPECT_THROW(writer.append("concentration", 1.0, second), std::invalid_argument);
    EXPECT_THROW(writer.append("bad name", 20.0, second), std::invalid_argument);
    EXPECT_THROW(writer.append("concentration", 20.0, std::span(first).first(3)),
                 std::invalid_argument);
    EXPECT_FALSE(std::filesystem::exists(writer.xdmf_path()));
    writer.close();
    EXPECT_EQ(writer.steps(), 2u);
  }
  std::vector<hsize_t> dims;
  EXPECT_EQ(read_dataset(dir / "fields.h5", "/concentration/t000000", dims), first);
  EXPECT_EQ(dims, (std::vector<hsize_t>{2, 2, 3}));  // nz, ny, nx: x fastest
  const auto back = read_dataset(dir / "fields.h5", "/concentration/t000001", dims);
  for (std::size_t c = 0; c < grid.size(); ++c) EXPECT_EQ(back[c], static_cast<double>(second[c]));
  EXPECT_EQ(read_dataset(dir / "fields.h5", "/geometry/z", dims),
            (std::vector<double>{0.0, grid.z_face_m(1), grid.z_face_m(2)}));
  EXPECT_EQ(read_dataset(dir / "fields.h5", "/geometry/x", dims),
            (std::vector<double>{0.0, 1e-5, 2.0 * 1e-5, 3.0 * 1e-5}));

  std::ifstream in(dir / "fields.xdmf");
  std::stringstream text;
  text << in.rdbuf();
  const std::string xdmf = text.str();
  EXPECT_NE(xdmf.find("CollectionType=\"Temporal\""), std::string::npos);
  EXPECT_NE(xdmf.find("fields.h5:/concentration/t000000"), std::string::npos);
  EXPECT_NE(xdmf.find("fields.h5:/concentration/t000001"), std::string::npos);
  EXPECT_NE(xdmf.find("fields.h5:/damage/t000000"), std::string::npos);
  EXPECT_NE(xdmf.find("<Time Value=\"12.5\"/>"), std::string::npos);
  EXPECT_NE(xdmf.find("Center=\"Cell\""), std::string::npos);
  EXPECT_NE(xdmf.find("Dimensions=\"3 3 4\""), std::string::npos);  // nodes: nz+1 ny+1 nx+1
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 2u);  // no temporary left beside them
}

/// The times HDF5 keeps for the object at `path` (all zero when they are not tracked).
std::vector<std::int64_t> object_times(const std::filesystem::path& file, const std::string& path) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0);
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info{};
  EXPECT_GE(H5Oget_info_by_name3(f, path.c_str(), &info, H5O_INFO_TIME, H5P_DEFAULT), 0) << path;
#else
  H5O_info_t info{};
  EXPECT_GE(H5Oget_info_by_name(f, path.c_str(), &info, H5P_DEFAULT), 0) << path;
#endif
  H5Fclose(f);
  return {info.atime, info.mtime, info.ctime, info.btime};
}

TEST_F(FieldWriterTest, WritesNoTimesSoTheSameFieldsGiveTheSameBytes) {
  const numerics::Grid3d grid(3, 2, 1e-5, {1e-6, 4e-6});
  const std::vector<double> field(grid.size(), 0.5);
  const auto write = [&](const std::string& name) {
    FieldWriter writer(dir / name, field_geometry(grid));
    writer.append("concentration", 0.0, field);
    writer.close();
  };
  write("a.h5");
  for (const char* path :
       {"/geometry", "/geometry/x", "/concentration", "/concentration/t000000"}) {
    EXPECT_EQ(object_times(dir / "a.h5", path), (std::vector<std::int64_t>{0, 0, 0, 0})) << path;
  }
  // HDF5 times have one-second resolution: write the same again in a later second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write("b.h5");
  const auto bytes = [&](const std::string& name) {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string a_bytes = bytes("a.h5");
  const std::string b_bytes = bytes("b.h5");
  EXPECT_FALSE(a_bytes.empty());
  EXPECT_TRUE(a_bytes == b_bytes) << "fields written a second apart differ";
}

TEST_F(FieldWriterTest, RejectsAGridWithoutCellsAndAnUnwritablePath) {
  EXPECT_THROW(FieldWriter(dir / "a.h5", FieldGeometry{0, 1, 1e-5, {0.0, 1e-6}}),
               std::invalid_argument);
  EXPECT_THROW(FieldWriter(dir / "a.h5", FieldGeometry{1, 1, 1e-5, {0.0, 0.0}}),
               std::invalid_argument);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // the failure below is expected: keep it quiet
  EXPECT_THROW(FieldWriter(dir / "missing" / "a.h5", FieldGeometry{1, 1, 1e-5, {0.0, 1e-6}}),
               std::runtime_error);
}

}  // namespace
}  // namespace citsim::io
