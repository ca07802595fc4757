#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-14 with ASan + UBSan, in build-fuzz/) and runs each one
# in turn for a fixed time on its seed corpus (fuzz/make_seeds.py) plus what earlier runs found
# (build-fuzz/corpus/<target>/). Prints the executions per target; exits non-zero when any target
# crashed, hit a sanitizer report, a timeout or the memory limit. Inputs that did are kept in
# build-fuzz/artifacts/ (reproduce: build-fuzz/fuzz/fuzz_<target> build-fuzz/artifacts/<file>).
#
#   scripts/fuzz.sh                      every target, 60 s each
#   scripts/fuzz.sh --seconds 600        every target, 10 minutes each
#   scripts/fuzz.sh --smoke              every target, 10 s each (CI, from scripts/test.sh)
#   scripts/fuzz.sh --target npy --seconds 300    one target (repeat --target for several)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
all_targets=(load_model parse_text npy npz tensor_proto calibration_table optimize_model)
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --smoke) seconds=10; shift ;;
    --target) targets+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")

build_dir=build-fuzz
if ! command -v clang++-14 >/dev/null; then
  echo "fuzz.sh: clang++-14 not found; scripts/setup.sh installs clang-14 and libclang-rt-14-dev" >&2
  exit 2
fi
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  # -O1 with line tables only, as OSS-Fuzz builds: stack traces keep file:line, and the
  # instrumented build takes half the time of -O2 -g (it runs in CI).
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DONNXKIT_FUZZ=ON -DONNXKIT_BUILD_TESTS=OFF >/dev/null
fi
# Only the fuzz targets and the libraries they link: no tools, tests or benchmarks.
cmake --build "$build_dir" --target fuzz --parallel "$(nproc)"
python3 fuzz/make_seeds.py "$build_dir"

# Per target: dictionary and largest input. Models for -O2 stay small: folding runs kernels.
declare -A dictionary=([load_model]=onnx_model [optimize_model]=onnx_model [parse_text]=onnx_text [npy]=npy [npz]=npz)
declare -A max_len=([load_model]=65536 [optimize_model]=16384 [parse_text]=8192 [npy]=8192 [npz]=8192
                    [tensor_proto]=16384 [calibration_table]=16384)

mkdir -p "$build_dir/artifacts" "$build_dir/logs"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
printf '%-20s %12s %10s %8s  %s\n' target executions "exec/s" "rss MB" result
for target in "${targets[@]}"; do
  binary="$build_dir/fuzz/fuzz_$target"
  [[ -x "$binary" ]] || { echo "fuzz.sh: no target '$target' (${all_targets[*]})" >&2; exit 2; }
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  log="$build_dir/logs/$target.log"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$target]}"
           -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-")
  [[ -n "${dictionary[$target]:-}" ]] && options+=(-dict="fuzz/dictionaries/${dictionary[$target]}.dict")
  status=0
  # The outer timeout only guards against a hang of libFuzzer itself (loading a large corpus).
  timeout $((seconds * 2 + 300)) "$binary" "${options[@]}" "$corpus" "$build_dir/seeds/$target" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  result=ok
  if ((status != 0)); then
    result="FAILED (exit $status): $(grep -m1 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|fuzz check failed|deadly signal|timeout after|out-of-memory' "$log" || true)"
    failed+=("$target")
  fi
  printf '%-20s %12s %10s %8s  %s\n' "$target" "${executions:-?}" "$(( ${executions:-0} / (seconds > 0 ? seconds : 1) ))" \
    "${rss:-?}" "$result"
done

if ((${#failed[@]})); then
  echo "fuzz.sh: findings in ${failed[*]}; logs in $build_dir/logs/, inputs in $build_dir/artifacts/:" >&2
  for target in "${failed[@]}"; do
    grep -h 'Test unit written to' "$build_dir/logs/$target.log" | sed 's/^/  /' >&2 || true
  done
  exit 1
fi
