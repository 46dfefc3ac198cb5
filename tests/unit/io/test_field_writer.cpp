// SPDX-License-Identifier: MIT
#include <hdf5.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
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
