#!/usr/bin/env bash
# Configures and builds the project into build/ (or $BUILD_DIR). Warnings are errors under CI.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DONNXKIT_WERROR=$werror
fi
cmake --build "$build_dir" --parallel "$(nproc)"
