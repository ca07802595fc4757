// Fuzz target: what `onnx-opt -O2` does with a model file: load, verify, run the -O2 pipeline
// (fold, fuse, cleanup, the whole sequence up to 3 times), verify the result, save it (to memory),
// and load what was saved. A model that loads and verifies must optimize without a crash; the pass
// manager may return an error, but a model it accepts must come out valid, exportable and loadable.
//
// Meant for small models (run with -max_len=16384 or so): constant folding runs kernels on the
// model's constants, and the time a kernel takes grows with its input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "ir/model_io.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"

using namespace onnxkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto loaded = LoadModelFromBytes(SharedBytes::Copy(data, size));
  if (!loaded.ok()) return 0;
  Model& model = **loaded;
  if (!VerifyModel(model).ok()) return 0;

  PassManagerOptions options;
  options.pipeline_rounds = 3;  // as onnx-opt
  PassManager manager(options);
  for (const auto& group : PipelineForLevel(2)) {
    Status added = manager.addGroup(group);
    FUZZ_CHECK(added.ok(), "%s", added.message().c_str());
  }
  auto rewrites = manager.run(model);
  if (!rewrites.ok()) return 0;
  Status valid = VerifyModel(model);
  FUZZ_CHECK(valid.ok(), "the optimized model is invalid: %s", valid.message().c_str());

  auto saved = SerializeModel(model);
  FUZZ_CHECK(saved.ok(), "%s", saved.message().c_str());
  auto reloaded = LoadModelFromBytes(SharedBytes::FromString(std::move(saved).value()));
  FUZZ_CHECK(reloaded.ok(), "the optimized model does not load: %s", reloaded.message().c_str());
  valid = VerifyModel(**reloaded);
  FUZZ_CHECK(valid.ok(), "the optimized model does not verify after loading: %s", valid.message().c_str());
  return 0;
}
