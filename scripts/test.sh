#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test; then a short run of every fuzz
# target (scripts/fuzz.sh --smoke: 10 s each, clang-14 + ASan + UBSan in build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)"
scripts/fuzz.sh --smoke
