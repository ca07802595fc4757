#!/usr/bin/env bash
# Regenerates docs/passes.md from the pass registry and the pass headers.
# Usage: scripts/pass-reference.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
cmake --build "$build_dir" --target pass_reference >/dev/null
"$build_dir"/tests/pass_reference > docs/passes.md
echo "wrote docs/passes.md"
