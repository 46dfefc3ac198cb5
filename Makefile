# SPDX-License-Identifier: MIT
# The two commands of the README: `make run` and `make test`. Both install what is missing first.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
CITSIM := $(BUILD_DIR)/apps/citsim/citsim
EXAMPLE ?= examples/default.toml
OUT ?= out/default

.PHONY: deps configure build run plan test asan-test bench format clean

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt CMakePresets.json | deps
	@cmake --preset $(PRESET) >/dev/null

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	@cmake --build --preset $(PRESET)

run: build
	@$(CITSIM) run $(EXAMPLE) -o $(OUT)
	@echo "Results are in $(OUT)/ (report.html, result.json, timeline.csv, config.toml)"

# The planner on the bundled patient file (examples/patient.toml) into out/plan/.
PATIENT ?= examples/patient.toml
PLAN_OUT ?= out/plan
plan: build
	@$(CITSIM) plan $(PATIENT) -o $(PLAN_OUT)
	@echo "The plan is in $(PLAN_OUT)/ (report.html, result.json)"

test: build
	@ctest --preset $(PRESET)

asan-test: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	@ctest --preset asan

bench: deps
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf build out
