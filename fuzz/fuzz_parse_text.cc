// Fuzz target: the ONNX textual syntax (ParseModelText: libonnx's parser, then the importer), as
// tests and `onnx-opt --print` use it. Bad text must give an error Status.
//
// A parsed model that verifies must print (PrintModelText) and export (SerializeModel).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "ir/model_io.h"
#include "ir/text_format.h"
#include "ir/verifier.h"

using namespace onnxkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = ParseModelText(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!model.ok()) return 0;
  if (!VerifyModel(**model).ok()) return 0;
  (void)PrintModelText(**model);
  auto saved = SerializeModel(**model);
  FUZZ_CHECK(saved.ok(), "%s", saved.message().c_str());
  return 0;
}
