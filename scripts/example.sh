#!/usr/bin/env bash
# Sets up, builds, and runs the main job on a bundled model: optimize the small CNN from
# fixtures/ and print node counts per op type before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
"$build_dir"/tools/onnx-opt --verify --stats fixtures/cnn_bn_residual.onnx "$build_dir"/cnn_bn_residual.opt.onnx
echo "optimized model: $build_dir/cnn_bn_residual.opt.onnx"
calibration=$(mktemp -d)
trap 'rm -rf "$calibration"' EXIT
cp fixtures/digits/calib_x.npy "$calibration"/  # 100 images of the digits data set: 100 samples
"$build_dir"/tools/onnx-quant --calib "$calibration" fixtures/digits_cnn.onnx "$build_dir"/digits_cnn.int8.onnx
echo "quantized model: $build_dir/digits_cnn.int8.onnx"
