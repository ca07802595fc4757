#!/usr/bin/env bash
# Builds the Debian package (CPack: tools, libonnxkit, include/onnxkit/, the CMake package) and
# checks it.
#
#   scripts/package.sh                    build in build/ (or $BUILD_DIR), cpack there, check
#   scripts/package.sh --no-install-test  only build and inspect the .deb
#
# Checks: dpkg-deb --info and --contents list the tools, the library, the headers and the CMake
# package, and the Depends line names the Debian runtime libraries. Then, when running as root or
# with sudo and no onnxkit package is installed yet: installs the .deb with apt-get, runs
# `onnx-opt --version` and builds and runs the consumer project (tests/consumer) against /usr,
# and removes the package again (also when a step fails).
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
build_dir=${BUILD_DIR:-build}
install_test=1
[[ "${1:-}" == "--no-install-test" ]] && install_test=0

BUILD_DIR=$build_dir scripts/build.sh
rm -f "$build_dir"/onnxkit_*.deb
(cd "$build_dir" && cpack -G DEB)
debs=("$build_dir"/onnxkit_*.deb)
deb=$(realpath "${debs[0]}")
echo "package: $deb"

fail() { echo "package: error: $*" >&2; exit 1; }

info=$(dpkg-deb --info "$deb")
echo "$info"
contents=$(dpkg-deb --contents "$deb")
echo "$contents"
for tool in onnx-opt onnx-run onnx-check onnx-quant onnx-info; do
  grep -q " ./usr/bin/$tool\$" <<<"$contents" || fail "the package lacks /usr/bin/$tool"
done
for header in onnxkit.h model.h passes.h runtime.h quantize.h tensor.h error.h export.h version.h; do
  grep -q " ./usr/include/onnxkit/$header\$" <<<"$contents" || fail "the package lacks /usr/include/onnxkit/$header"
done
for file in onnxkitConfig.cmake onnxkitConfigVersion.cmake onnxkitTargets.cmake; do
  grep -Eq " ./usr/lib/([^/]+/)?cmake/onnxkit/$file\$" <<<"$contents" || fail "the package lacks the CMake package's $file"
done
grep -Eq " ./usr/lib/([^/]+/)?libonnxkit\.so\.[0-9.]+\$" <<<"$contents" || fail "the package lacks libonnxkit.so"
# Only the public headers: nothing of ir/, runtime/, passes/ is installed.
if grep -E " ./usr/include/" <<<"$contents" | grep -Ev " ./usr/include/(onnxkit/([a-z_]+\.h)?)?\$"; then
  fail "the package installs headers outside include/onnxkit/"
fi
depends=$(dpkg-deb --field "$deb" Depends)
for library in libonnx1 libprotobuf32 libfmt9 zlib1g libdnnl2; do
  grep -q "$library" <<<"$depends" || fail "Depends lacks $library: $depends"
done
echo "package: contents and Depends checked"

if ((!install_test)); then exit 0; fi
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n); else
    echo "package: not root and no sudo: skipping the install test"; exit 0
  fi
fi
if dpkg-query -W -f='${Status}' onnxkit 2>/dev/null | grep -q "install ok installed"; then
  echo "package: an onnxkit package is already installed: skipping the install test (it would remove it)"
  exit 0
fi

work=$(mktemp -d)
cleanup() {
  echo "package: removing the package again"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq onnxkit >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"
dpkg -L onnxkit | grep -E "bin/|\.so|onnxkitConfig.cmake"
/usr/bin/onnx-opt --version
# The consumer project against /usr: no prefix given, CMake finds /usr/lib/.../cmake/onnxkit.
cmake -S "$source_dir/tests/consumer" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF | tee "$work/configure.log"
grep -Eq "onnxkit [0-9.]+ from /usr/lib/" "$work/configure.log" || fail "the consumer did not use the package in /usr"
cmake --build "$work/build"
"$work/build/consumer" "$source_dir/fixtures" "$work/run"
echo "package: installed package works (onnx-opt --version, consumer project)"
