// Fuzz target: a serialized ONNX TensorProto (ParseTensorProto, behind the .pb files of test data
// sets and --input x=x.pb): raw_data and the typed fields (float_data, int32_data for 16-bit
// types, string_data, ...). Bad bytes must give an error Status. A tensor that parses must convert
// back (ToTensorProto) and parse again with the same type, shape and data.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "runtime/tensor_io.h"

using namespace onnxkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto named = runtime::ParseTensorProto(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pb");
  if (!named.ok()) return 0;
  const runtime::Tensor& tensor = named->second;
  std::string bytes = runtime::ToTensorProto(tensor, named->first).SerializeAsString();
  auto again = runtime::ParseTensorProto(bytes, "again.pb");
  FUZZ_CHECK(again.ok(), "%s", again.message().c_str());
  const runtime::Tensor& back = again->second;
  FUZZ_CHECK(back.dtype() == tensor.dtype() && back.shape() == tensor.shape(), "type or shape changed");
  if (tensor.dtype() == DataType::kString)
    FUZZ_CHECK(back.strings() == tensor.strings(), "strings changed");
  else
    FUZZ_CHECK(tensor.byteSize() == 0 || std::memcmp(back.raw(), tensor.raw(), tensor.byteSize()) == 0, "data changed");
  return 0;
}
