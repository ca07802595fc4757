#!/usr/bin/env bash
# Pass cost against graph size (issue 6, target 5): onnx-opt -O2 on synthetic CNNs of 1x, 4x, 16x
# and 64x the blocks of a base graph (each block: Conv, BatchNormalization, Relu, Identity, Add
# with the block's input, Mul by a constant, Reshape there and back: what -O2 folds, fuses and
# removes). Prints nodes, the median wall time of R runs, and time per node; linear cost keeps
# the last column flat.
#
#   bench/pass_scaling.sh [--runs R] [--blocks "25 100 400 1600"]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
blocks="25 100 400 1600"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --blocks) blocks=$2; shift 2 ;;
    *) echo "pass_scaling: unknown argument $1" >&2; exit 2 ;;
  esac
done
scripts/build.sh >/dev/null
bin=${BUILD_DIR:-build}/tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work" $blocks <<'PY'
import sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

work, counts = sys.argv[1], [int(c) for c in sys.argv[2:]]
rng = np.random.default_rng(0)
C = 8

def block(i, x, nodes, inits):
    def init(name, array):
        inits.append(numpy_helper.from_array(array.astype(np.float32) if array.dtype.kind == 'f' else array, name))
        return name
    w = init(f'w{i}', rng.standard_normal((C, C, 3, 3)) * 0.1)
    scale, bias = init(f's{i}', rng.random(C) + 0.5), init(f'b{i}', rng.standard_normal(C) * 0.1)
    mean, var = init(f'm{i}', rng.standard_normal(C) * 0.1), init(f'v{i}', rng.random(C) + 0.5)
    k = init(f'k{i}', np.array(1.0))
    flat, back = init(f'f{i}', np.array([1, -1], dtype=np.int64)), init(f'r{i}', np.array([1, C, 16, 16], dtype=np.int64))
    nodes += [
        helper.make_node('Conv', [x, w], [f'c{i}'], pads=[1, 1, 1, 1]),
        helper.make_node('BatchNormalization', [f'c{i}', scale, bias, mean, var], [f'n{i}']),
        helper.make_node('Relu', [f'n{i}'], [f'a{i}']),
        helper.make_node('Identity', [f'a{i}'], [f'i{i}']),
        helper.make_node('Add', [f'i{i}', x], [f'd{i}']),
        helper.make_node('Mul', [f'd{i}', k], [f'u{i}']),
        helper.make_node('Reshape', [f'u{i}', flat], [f'p{i}']),
        helper.make_node('Reshape', [f'p{i}', back], [f'y{i}']),
    ]
    return f'y{i}'

for count in counts:
    nodes, inits, x = [], [], 'x'
    for i in range(count):
        x = block(i, x, nodes, inits)
    nodes.append(helper.make_node('Identity', [x], ['y']))
    graph = helper.make_graph(nodes, 'scaling', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, C, 16, 16])],
                              [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, C, 16, 16])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)]), f'{work}/blocks_{count}.onnx')
PY

echo "| blocks | nodes | -O2 median s | ms per node |"
echo "|---|---|---|---|"
for count in $blocks; do
  model=$work/blocks_$count.onnx
  times=()
  for ((r = 0; r < runs; ++r)); do
    start=$(date +%s.%N)
    "$bin"/onnx-opt -q -O2 "$model" "$work/out.onnx"
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  nodes=$((count * 8 + 1))
  printf '| %s | %s | %.3f | %.4f |\n' "$count" "$nodes" "$median" "$(awk -v t="$median" -v n="$nodes" 'BEGIN {print 1000 * t / n}')"
done
