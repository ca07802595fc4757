#!/usr/bin/env bash
# Renders the tools' HTML pages in headless Chromium and checks what a browser makes of them:
# onnx-info --html and onnx-opt --report on the committed CNN fixture.
#
#   scripts/check-html.sh [BUILD_DIR]     default: build (the tools must be built there)
#
# For each page: a screenshot (--screenshot) that must exist, have the window's size and not be
# blank (many distinct colors, a fair share of non-white pixels), and the DOM after parsing
# (--dump-dom) that must hold the expected <svg> elements and text. On the report the two graphs
# must sit side by side: an <svg> in each column, ink in both halves of the screenshot's bottom.
# Installs Debian's chromium when it is missing (the same package as `scripts/setup.sh --browser`);
# Graphviz must be installed (scripts/setup.sh) so that the graphs are SVG. Keeps the pages,
# screenshots and DOMs in $CHECK_HTML_OUT (default: a temporary folder, printed at the end).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
width=1280
height=1600

if ! command -v chromium >/dev/null; then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "check-html: installing chromium"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium
fi
command -v dot >/dev/null || { echo "check-html: Graphviz (dot) is missing: run scripts/setup.sh" >&2; exit 1; }
for tool in onnx-info onnx-opt; do
  [[ -x "$build/tools/$tool" ]] || { echo "check-html: $build/tools/$tool is not built" >&2; exit 1; }
done

out=${CHECK_HTML_OUT:-$(mktemp -d /tmp/check-html.XXXXXX)}
mkdir -p "$out"
model="$root/fixtures/cnn_bn_residual.onnx"

"$build/tools/onnx-info" -q "$model" --html "$out/info.html"
"$build/tools/onnx-opt" -q --report "$out/report.html" "$model" "$out/optimized.onnx"

chrome() {
  # --no-sandbox: containers and root; the profile folder keeps runs apart.
  chromium --headless --disable-gpu --no-sandbox --disable-dev-shm-usage --hide-scrollbars \
    --user-data-dir="$out/profile" "$@" 2>>"$out/chromium.log"
}

for page in info report; do
  chrome --window-size="$width,$height" --screenshot="$out/$page.png" "file://$out/$page.html" >/dev/null
  chrome --dump-dom "file://$out/$page.html" >"$out/$page.dom.html"
done

python3 - "$out" "$width" "$height" <<'EOF'
import struct, sys, zlib

out, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def decode_png(path):
    """(width, height, rows of RGB(A) tuples) of an 8-bit RGB or RGBA PNG, without libraries."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    w, h, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, color type {color}, interlace {interlace})")
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), w * channels
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(h):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        previous = line
    return w, h, rows

expected = {
    # page: (minimum <svg> elements, texts the DOM must hold)
    "info": (1, ["Op types", "Parameters per dtype", "BatchNormalization", "float[1,3,32,32]"]),
    "report": (2, ["Passes (", "fuse-conv-batchnorm", "Op types", "Before:", "After:", "BatchNormalization",
                   "file bytes"]),
}
failures = []
for page, (svgs, texts) in expected.items():
    w, h, rows = decode_png(f"{out}/{page}.png")
    colors = {pixel for row in rows for pixel in row}
    inked = sum(1 for row in rows for pixel in row if pixel != (255, 255, 255))
    share = inked / (w * h)
    dom = open(f"{out}/{page}.dom.html", encoding="utf-8").read()
    svg_count = dom.count("<svg")
    print(f"{page}.png: {w}x{h}, {len(colors)} distinct colors, {100 * share:.1f}% non-white; "
          f"{page}.dom.html: {len(dom)} bytes, {svg_count} <svg>, {dom.count('<g id=')} <g> with ids")
    if (w, h) != (width, height): failures.append(f"{page}.png is {w}x{h}, not {width}x{height}")
    if len(colors) < 16: failures.append(f"{page}.png looks blank: {len(colors)} distinct colors")
    if share < 0.02: failures.append(f"{page}.png looks blank: {100 * share:.2f}% non-white pixels")
    if svg_count < svgs: failures.append(f"{page}.dom.html has {svg_count} <svg> elements, expected {svgs}")
    for text in texts:
        if text not in dom: failures.append(f"{page}.dom.html lacks '{text}'")
    if page == "report":
        # The graphs side by side: an <svg> in each of the before and after columns, and ink in both
        # halves of the screenshot's bottom quarter (where the graphs are).
        before, after = dom.find('<div id="before">'), dom.find('<div id="after">')
        if not (0 <= before < dom.find("<svg", before) < after < dom.find("<svg", after)):
            failures.append("report.dom.html: the before and after columns do not each hold an <svg>")
        bottom = rows[3 * h // 4:]
        shares = []
        for name, columns in (("left", range(0, w // 2)), ("right", range(w // 2, w))):
            ink = sum(1 for row in bottom for x in columns if row[x] != (255, 255, 255))
            shares.append(f"{name} {100 * ink / (len(bottom) * len(columns)):.1f}%")
            if ink < 0.01 * len(bottom) * len(columns):
                failures.append(f"report.png: the {name} half of the bottom quarter is blank (no graph drawn there)")
        print(f"report.png: bottom quarter non-white: {', '.join(shares)} (the two graphs side by side)")
for failure in failures:
    print(f"check-html: FAIL: {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)
EOF
echo "check-html: ok (pages, screenshots and DOMs in $out)"
