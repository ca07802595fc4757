// Fuzz target: a serialized ModelProto → LoadModelFromBytes → VerifyModel, what every tool does
// first with a model file. Bad bytes must give an error Status.
//
// A model that loads and verifies must also export (SerializeModel), and what we write must load
// and verify again and export to the same bytes: the IR is lossless by construction
// (docs/design.md), so a second round trip is the identity.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "ir/model_io.h"
#include "ir/model_statistics.h"
#include "ir/verifier.h"

using namespace onnxkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = LoadModelFromBytes(SharedBytes::Copy(data, size));  // no folder: external data is an error
  if (!model.ok()) return 0;
  if (!VerifyModel(**model).ok()) return 0;
  (void)ComputeStatistics(**model);

  auto saved = SerializeModel(**model);
  FUZZ_CHECK(saved.ok(), "%s", saved.message().c_str());
  std::string first = std::move(saved).value();
  auto reloaded = LoadModelFromBytes(SharedBytes::FromString(std::string(first)));
  FUZZ_CHECK(reloaded.ok(), "the exported model does not load: %s", reloaded.message().c_str());
  Status valid = VerifyModel(**reloaded);
  FUZZ_CHECK(valid.ok(), "the exported model does not verify: %s", valid.message().c_str());
  auto again = SerializeModel(**reloaded);
  FUZZ_CHECK(again.ok(), "%s", again.message().c_str());
  FUZZ_CHECK(*again == first, "exporting the exported model changed its bytes");
  return 0;
}
