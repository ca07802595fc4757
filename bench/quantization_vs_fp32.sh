#!/usr/bin/env bash
# INT8 against FP32 latency: ResNet-50 quantized statically (QDQ) and BERT-base dynamically by
# onnx-quant, run in ONNX Runtime (all its optimizations, as deployed) and on the bundled runtime.
#
#   bench/quantization_vs_fp32.sh MODELS_DIR [--runs N] [--rounds R] [--threads T]
#
# MODELS_DIR is what `fixtures/make_models.py --large DIR` writes (resnet50.onnx, bert_base.onnx
# and their test_data_set_0 folders; calibration uses those samples). Prints a Markdown table;
# docs/quantization.md holds the last one. Not a test: minutes, and the machine's noise.
set -euo pipefail
cd "$(dirname "$0")/.."

models_dir=""
runs=20
rounds=3
threads=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -*) echo "quantization_vs_fp32: unknown option $1" >&2; exit 2 ;;
    *) models_dir=$1; shift ;;
  esac
done
[[ -d "$models_dir" ]] || { echo "usage: bench/quantization_vs_fp32.sh MODELS_DIR [--runs N] [--rounds R] [--threads T]" >&2; exit 2; }

build=${BUILD_DIR:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
json_field() { node -e 'const o=JSON.parse(require("fs").readFileSync(0,"utf8")); console.log(o[process.argv[1]])' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ort_p50() { node tools/ort-run/ort_run.js "$1" --opt all --data "$2" --threads "$threads" --bench "$runs" --json | json_field p50_ms; }
ours_p50() { "$build/tools/onnx-run" "$1" --data "$2" --threads "$threads" --bench "$3" --json | json_field p50_ms; }

echo "| model | quantization | ORT FP32 ms | ORT INT8 ms | ORT speed-up | onnx-run FP32 ms | onnx-run INT8 ms | onnx-run speed-up | size |"
echo "|---|---|---|---|---|---|---|---|---|"
for spec in "resnet50:static QDQ:--calib $models_dir/resnet50" "bert_base:dynamic:--mode dynamic"; do
  IFS=: read -r name kind quant_args <<<"$spec"
  model="$models_dir/$name.onnx"
  [[ -f "$model" ]] || { echo "missing $model" >&2; continue; }
  # shellcheck disable=SC2086
  "$build/tools/onnx-quant" -q $quant_args "$model" "$work/$name.int8.onnx"
  inputs="$work/$name.inputs"
  "$build/tools/onnx-run" "$model" --data "$models_dir/$name/test_data_set_0" --save-inputs "$inputs" >/dev/null
  fp32="" int8=""
  for ((round = 0; round < rounds; ++round)); do
    fp32+="$(ort_p50 "$model" "$inputs") "
    int8+="$(ort_p50 "$work/$name.int8.onnx" "$inputs") "
  done
  ort_fp32=$(tr ' ' '\n' <<<"$fp32" | grep . | median)
  ort_int8=$(tr ' ' '\n' <<<"$int8" | grep . | median)
  ours_fp32=$(ours_p50 "$model" "$inputs" 3)
  ours_int8=$(ours_p50 "$work/$name.int8.onnx" "$inputs" 3)
  size=$(awk -v a="$(stat -L -c %s "$work/$name.int8.onnx")" -v b="$(stat -L -c %s "$model")" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  printf '| %s | %s | %.2f | %.2f | %.2fx | %.0f | %.0f | %.2fx | %s |\n' "$name" "$kind" "$ort_fp32" "$ort_int8" \
    "$(awk -v a="$ort_fp32" -v b="$ort_int8" 'BEGIN { print a / b }')" "$ours_fp32" "$ours_int8" \
    "$(awk -v a="$ours_fp32" -v b="$ours_int8" 'BEGIN { print a / b }')" "$size"
done
