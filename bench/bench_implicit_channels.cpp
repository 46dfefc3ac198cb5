// SPDX-License-Identifier: MIT
// The implicit voxel3d kernel's conjugate-gradient iterations and wall time on the channel
// problem of the cross-fidelity study (docs/model.md §4): one 30 um-radius, 500 um-deep channel
// per mm² (a 1 mm periodic patch), infinite 1 % niacinamide, occluded, the channel kept open,
// cheek skin. The lateral scale between channels over the voxel is what the preconditioner's
// coarse level has to reach.
//
// Usage: bench_implicit_channels [voxel_um=10] [end_s=60] [threads=2] [data_dir]. Prints the steps,
// the CG iterations, the wall time and the uptake at end_s.
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/data_table.hpp"
#include "citsim/core/units.hpp"
#include "citsim/transport/molecule_catalog.hpp"
#include "citsim/transport/voxel3d.hpp"

int main(int argc, char** argv) {
  using namespace citsim;
  const double voxel_um = argc > 1 ? std::atof(argv[1]) : 10.0;
  const double end_s = argc > 2 ? std::atof(argv[2]) : 60.0;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const anatomy::RegionCatalog regions(CITSIM_BENCH_DATA_DIR);
  const transport::MoleculeCatalog molecules(CITSIM_BENCH_DATA_DIR);
  const auto parameters = transport::TransportParameters::read(
      core::DataFile(std::filesystem::path(CITSIM_BENCH_DATA_DIR) / "transport.toml", "model"));
  core::Topical topical;
  topical.product = "niacinamide";
  const auto& skin = regions.reference("cheek");
  transport::Voxel3dInput in;
  in.base.skin = skin;
  in.base.molecule = transport::molecule_in_skin(parameters, molecules.resolve(topical), skin);
  in.base.infinite_dose = true;
  in.base.occluded = true;
  in.base.active_concentration_kg_m3 = 0.01 * parameters.vehicle_density_kg_m3;
  const double dose = 2 * units::mg / units::cm2;
  in.base.applications = {{0.0, 0.01 * dose, dose / parameters.vehicle_density_kg_m3}};
  in.base.exposure_s = 48 * units::hour;
  in.base.sample_times_s = {0.0, end_s};
  in.radius_m = [](double, double) { return 30e-6; };
  in.patch_side_m = 1e-3;
  in.voxel_m = voxel_um * units::um;
  in.channels = {{0.5e-3, 0.5e-3, 0.0, 500e-6, 1e12}};
  omp_set_num_threads(threads);
  const auto start = std::chrono::steady_clock::now();
  const auto result = transport::simulate_voxel3d(in, parameters);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double voxels = static_cast<double>(result.nx * result.nx * result.nz);
  std::printf(
      "%g um voxels, %zux%zux%zu (%.0f voxels), %d threads, to %g s: %llu steps, %llu CG "
      "iterations (%.1f a step), %.2f s wall (%.1f ns per voxel-iteration), absorbed %.6g "
      "ug/cm2\n",
      voxel_um, result.nx, result.nx, result.nz, voxels, threads, end_s,
      static_cast<unsigned long long>(result.kernel_steps),
      static_cast<unsigned long long>(result.kernel_iterations),
      static_cast<double>(result.kernel_iterations) / static_cast<double>(result.kernel_steps),
      wall_s, 1e9 * wall_s / (voxels * static_cast<double>(result.kernel_iterations)),
      result.absorption.samples.back().absorbed() / (units::ug / units::cm2));
  return 0;
}
