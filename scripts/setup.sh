#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine lacks to build and test the project.
# Idempotent: packages already present are skipped, so running it twice is cheap.
#   scripts/setup.sh            build + test dependencies
#   scripts/setup.sh --fixtures also the Python packages that fixtures/make_models.py needs
#   scripts/setup.sh --browser  also Chromium, for scripts/check-html.sh (headless checks of the HTML pages)
# (the options combine)
set -euo pipefail

packages=(
  cmake g++ make ninja-build pkg-config
  protobuf-compiler libprotobuf-dev libonnx-dev
  libcli11-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libonnx-testdata zlib1g-dev
  libdnnl-dev ocl-icd-opencl-dev  # oneDNN; its CMake package asks for OpenCL (its GPU runtime)
  graphviz  # onnx-info --html draws the graph with dot
  clang-14 libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer, ASan and UBSan runtimes
)
for option in "$@"; do
  case "$option" in
    --fixtures) packages+=(python3-onnx python3-torch python3-torchvision python3-sklearn python3-numpy) ;;
    --browser) packages+=(chromium) ;;
    *) echo "setup: unknown option $option (see the comment at the top)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# ONNX Runtime from the npm registry, for interop tests and benchmarks (tools/ort-run/ort_run.js).
# --ignore-scripts: the package already holds libonnxruntime for linux x64; its install script
# would try a download from elsewhere.
cd "$(dirname "$0")/.."
if [[ ! -f node_modules/onnxruntime-node/package.json ]]; then
  if ! command -v npm >/dev/null; then
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  echo "setup: installing onnxruntime-node"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
else
  echo "setup: onnxruntime-node present"
fi
