#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer (CMake preset "sanitize",
# build-sanitize/) and runs the whole test suite under them. Any report fails the run.
# Usage: scripts/sanitize.sh [ctest arguments, e.g. -R cli_tests]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize --parallel "$(nproc)"
ctest --preset sanitize --parallel "$(nproc)" "$@"
