#!/usr/bin/env bash
# The pre-deployment pipeline of docs/tutorial.md, end to end, in a work folder:
#   export from PyTorch -> onnx-opt -> onnx-quant -> onnx-check -> run in ONNX Runtime.
# Usage: scripts/tutorial.sh [WORK_DIR]   (default: a temporary folder, removed at the end)
# Needs the fixture tools (scripts/setup.sh --fixtures: python3-torch, python3-torchvision).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --fixtures >/dev/null
scripts/build.sh >/dev/null
bin=${BUILD_DIR:-build}/tools
work=${1:-$(mktemp -d)}
[[ $# -ge 1 ]] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

echo "== 1. export ResNet-18 from PyTorch (dynamic batch); 64 calibration images, a test batch of 16"
/usr/bin/python3 - "$work" <<'PY'
import os, sys, warnings
import numpy as np, torch, torchvision
warnings.filterwarnings('ignore')
work = sys.argv[1]
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None, num_classes=10).eval()
x = torch.randn(1, 3, 224, 224)
torch.onnx.export(model, x, os.path.join(work, 'resnet18.onnx'), input_names=['image'], output_names=['logits'],
                  dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13)
rng = np.random.default_rng(0)
os.makedirs(os.path.join(work, 'calib'), exist_ok=True)
os.makedirs(os.path.join(work, 'test'), exist_ok=True)
# Smooth random images (a real pipeline uses a few hundred images of its own data set).
def images(n):
    base = rng.standard_normal((n, 3, 28, 28)).astype(np.float32)
    return np.kron(base, np.ones((1, 1, 8, 8), dtype=np.float32))
np.save(os.path.join(work, 'calib', 'image.npy'), images(64))
np.save(os.path.join(work, 'test', 'image.npy'), images(16))
PY

echo "== 2. optimize, and verify the result on the bundled runtime"
"$bin"/onnx-opt -O2 --verify --stats "$work"/resnet18.onnx "$work"/resnet18.opt.onnx

echo "== 3. quantize to INT8 (static, QDQ, calibrated on 64 images)"
"$bin"/onnx-quant --calib "$work"/calib --eval "$work"/test --report "$work"/quant_report.json \
  "$work"/resnet18.opt.onnx "$work"/resnet18.int8.onnx

echo "== 4. check: the optimized model to FP32 precision, the INT8 model to INT8 precision"
"$bin"/onnx-check "$work"/resnet18.onnx "$work"/resnet18.opt.onnx --data "$work"/test
"$bin"/onnx-check "$work"/resnet18.onnx "$work"/resnet18.int8.onnx --data "$work"/test --rtol 0.1 --atol 0.1

echo "== 5. deploy: run the three models in ONNX Runtime (batch 16, one thread)"
for m in resnet18.onnx resnet18.opt.onnx resnet18.int8.onnx; do
  printf '%-20s %6s  ' "$m" "$(du -k "$work/$m" | cut -f1)K"
  node tools/ort-run/ort_run.js "$work/$m" --data "$work"/test --bench 10 --threads 1
done
