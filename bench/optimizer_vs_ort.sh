#!/usr/bin/env bash
# Our optimizer against ONNX Runtime's graph optimizer, on the models of a folder (made by
# `fixtures/make_models.py --large DIR`): node counts, and latency in ONNX Runtime.
#
#   bench/optimizer_vs_ort.sh MODELS_DIR [--runs N] [--rounds R] [--threads T] [--out TABLE.md]
#
# For each MODEL.onnx:
#   - ours -O2 (standard ONNX) and -O3 (with ONNX Runtime contrib ops), written by onnx-opt;
#   - ONNX Runtime's basic and extended levels, saved by ONNX Runtime itself (optimizedModelFilePath);
#   - node counts of all four;
#   - latency (p50 of N runs) in ONNX Runtime: the original at its basic / extended level against
#     our output with its optimizer off, R rounds alternating the variants; medians of the rounds.
# Prints a Markdown table (docs/optimizer-benchmark.md holds the last one). Not a test: it takes
# minutes and the machine's noise decides the last digit.
set -euo pipefail
cd "$(dirname "$0")/.."

models_dir=""
runs=20
rounds=5
threads=1
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -*) echo "optimizer_vs_ort: unknown option $1" >&2; exit 2 ;;
    *) models_dir=$1; shift ;;
  esac
done
[[ -d "$models_dir" ]] || { echo "usage: bench/optimizer_vs_ort.sh MODELS_DIR [--runs N] [--rounds R] [--threads T] [--out FILE]" >&2; exit 2; }

build=${BUILD_DIR:-build}
opt="$build/tools/onnx-opt"
run="$build/tools/onnx-run"
ort="node tools/ort-run/ort_run.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

json_field() { node -e 'const o=JSON.parse(require("fs").readFileSync(0,"utf8")); console.log(o[process.argv[1]])' "$1"; }
node_count() { "$opt" -O0 --json "$1" "$work/count.onnx" | json_field nodes_before; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p50() {  # MODEL OPT_LEVEL INPUT_DIR
  $ort "$1" --opt "$2" --data "$3" --threads "$threads" --bench "$runs" --json | json_field p50_ms
}

table="| model | nodes: original | ORT basic | ours -O2 | ORT extended | ours -O3 | ms: ORT basic | ours -O2 | ratio | ORT extended | ours -O3 | ratio |
|---|---|---|---|---|---|---|---|---|---|---|---|"
for model in "$models_dir"/*.onnx; do
  name=$(basename "$model" .onnx)
  echo "== $name" >&2
  inputs="$work/$name.inputs"
  data=()  # the model's own test inputs when make_models.py wrote them, else random ones
  [[ -d "$models_dir/$name/test_data_set_0" ]] && data=(--data "$models_dir/$name/test_data_set_0")
  "$run" "$model" "${data[@]}" --save-inputs "$inputs" >/dev/null
  "$opt" -O2 "$model" "$work/$name.o2.onnx"
  "$opt" -O3 "$model" "$work/$name.o3.onnx"
  $ort "$model" --opt basic --data "$inputs" --save-optimized "$work/$name.ort_basic.onnx" >/dev/null
  $ort "$model" --opt extended --data "$inputs" --save-optimized "$work/$name.ort_extended.onnx" >/dev/null

  declare -A samples=()
  for ((round = 0; round < rounds; ++round)); do
    samples[basic]+="$(p50 "$model" basic "$inputs") "
    samples[o2]+="$(p50 "$work/$name.o2.onnx" disabled "$inputs") "
    samples[extended]+="$(p50 "$model" extended "$inputs") "
    samples[o3]+="$(p50 "$work/$name.o3.onnx" disabled "$inputs") "
  done
  declare -A ms=()
  for variant in basic o2 extended o3; do
    ms[$variant]=$(tr ' ' '\n' <<<"${samples[$variant]}" | grep . | median)
  done
  row=$(printf '| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.3f | %.2f | %.2f | %.3f |' "$name" \
    "$(node_count "$model")" "$(node_count "$work/$name.ort_basic.onnx")" "$(node_count "$work/$name.o2.onnx")" \
    "$(node_count "$work/$name.ort_extended.onnx")" "$(node_count "$work/$name.o3.onnx")" \
    "${ms[basic]}" "${ms[o2]}" "$(awk -v a="${ms[o2]}" -v b="${ms[basic]}" 'BEGIN { print a / b }')" \
    "${ms[extended]}" "${ms[o3]}" "$(awk -v a="${ms[o3]}" -v b="${ms[extended]}" 'BEGIN { print a / b }')")
  echo "$row" >&2
  table+=$'\n'"$row"
  unset samples ms
done
echo "$table"
if [[ -n "$out" ]]; then echo "$table" >"$out"; fi
