// Fuzz target: NumPy .npz bytes (ParseNpz: the zip reader, stored and deflated entries, zip64
// sizes, then ParseNpy on each entry), behind ReadNpz and calibration data folders. Bad bytes must
// give an error Status.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/tensor_io.h"

using namespace onnxkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto arrays = runtime::ParseNpz(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npz");
  (void)arrays;
  return 0;
}
