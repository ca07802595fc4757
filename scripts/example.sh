#!/usr/bin/env bash
# Sets up, builds, and runs the main job on a bundled model: optimize the small CNN from
# fixtures/ and print node counts per op type before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
"$build_dir"/tools/onnx-opt --stats fixtures/cnn_bn_residual.onnx "$build_dir"/cnn_bn_residual.opt.onnx
echo "optimized model: $build_dir/cnn_bn_residual.opt.onnx"
