#include "tests/interop/ort_helper.h"

#include <fmt/format.h>

#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::testing {

Result<std::vector<runtime::Tensor>> RunInOnnxRuntime(const std::filesystem::path& model,
                                                      const std::vector<runtime::NamedTensor>& inputs,
                                                      const OrtOptions& options) {
  TempDir temp;
  std::filesystem::create_directory(temp / "in");
  for (const auto& [name, tensor] : inputs) ONNXKIT_RETURN_IF_ERROR(runtime::WriteNpy(temp / "in" / (name + ".npy"), tensor));
  std::string command = fmt::format("node '{}' '{}' --data '{}' --out '{}' --opt {} --threads {}",
                                    (SourceDir() / "tools" / "ort-run" / "ort_run.js").string(), model.string(),
                                    (temp / "in").string(), (temp / "out").string(), options.optimization, options.threads);
  CommandResult result = RunCommand(command);
  if (result.exit_code != 0) return Status::Error("ONNX Runtime failed on {}: {}", model.string(), result.err);
  std::vector<runtime::Tensor> outputs;
  for (size_t i = 0;; ++i) {
    auto path = temp / "out" / fmt::format("output_{}.npy", i);
    if (!std::filesystem::exists(path)) break;
    ONNXKIT_ASSIGN_OR_RETURN(runtime::Tensor tensor, runtime::ReadNpy(path));
    outputs.push_back(std::move(tensor));
  }
  return outputs;
}

}  // namespace onnxkit::testing
