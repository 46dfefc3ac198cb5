#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages citsim needs, only when some are missing: quiet and idempotent.
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libeigen3-dev libsundials-dev libhdf5-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  chromium  # the report's browser test (headless)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm build the HTML report template; a node/npm already on the PATH (e.g. from
# NodeSource, whose nodejs bundles npm and conflicts with Debian's npm package) will do.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "citsim: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "citsim: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
