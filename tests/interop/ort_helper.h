// Runs a model in ONNX Runtime through tools/ort-run/ort_run.js (npm onnxruntime-node), for tests
// that compare the bundled runtime, or a rewritten model, with the runtime users deploy to.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/session.h"

namespace onnxkit::testing {

struct OrtOptions {
  std::string optimization = "all";  // disabled | basic | extended | all
  int threads = 1;
};

// The outputs of `model` in ONNX Runtime for these inputs, in graph-output order.
Result<std::vector<runtime::Tensor>> RunInOnnxRuntime(const std::filesystem::path& model,
                                                      const std::vector<runtime::NamedTensor>& inputs,
                                                      const OrtOptions& options = {});

}  // namespace onnxkit::testing
