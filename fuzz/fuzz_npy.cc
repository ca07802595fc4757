// Fuzz target: NumPy .npy bytes (ParseNpy, behind ReadNpy and every --input/--data .npy file).
// Bad bytes must give an error Status. A tensor that parses must serialize and parse back the same.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "runtime/tensor_io.h"

using namespace onnxkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto tensor = runtime::ParseNpy(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npy");
  if (!tensor.ok()) return 0;
  std::string bytes = runtime::SerializeNpy(*tensor);
  auto again = runtime::ParseNpy(bytes, "again.npy");
  FUZZ_CHECK(again.ok(), "%s", again.message().c_str());
  FUZZ_CHECK(again->dtype() == tensor->dtype() && again->shape() == tensor->shape(), "type or shape changed");
  FUZZ_CHECK(tensor->byteSize() == 0 || std::memcmp(again->raw(), tensor->raw(), tensor->byteSize()) == 0, "data changed");
  return 0;
}
