#include "tools/common/model_inputs.h"

#include <algorithm>
#include <charconv>

#include "runtime/sample_data.h"
#include "runtime/tensor_io.h"

namespace onnxkit::tools {

Result<std::map<std::string, runtime::Shape>> ParseShapes(const std::vector<std::string>& specs) {
  std::map<std::string, runtime::Shape> shapes;
  for (const std::string& spec : specs) {
    size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0)
      return Status::Error("--shape '{}': expected NAME=DIM,DIM,...", spec);
    runtime::Shape shape;
    std::string_view dims(spec);
    dims.remove_prefix(equals + 1);
    while (!dims.empty()) {
      int64_t dim = 0;
      auto [end, error] = std::from_chars(dims.data(), dims.data() + dims.size(), dim);
      if (error != std::errc() || dim < 0) return Status::Error("--shape '{}': dims must be non-negative integers", spec);
      shape.push_back(dim);
      dims.remove_prefix(static_cast<size_t>(end - dims.data()));
      if (!dims.empty()) {
        if (dims.front() != ',') return Status::Error("--shape '{}': dims must be separated by commas", spec);
        dims.remove_prefix(1);
      }
    }
    shapes[spec.substr(0, equals)] = std::move(shape);
  }
  return shapes;
}

Result<std::vector<runtime::NamedTensor>> GatherInputs(const std::vector<runtime::ValueSpec>& specs,
                                                       const InputOptions& options) {
  auto known = [&](const std::string& name) {
    return std::any_of(specs.begin(), specs.end(), [&](const runtime::ValueSpec& s) { return s.name == name; });
  };
  auto names = [&]() {
    std::string list;
    for (const auto& s : specs) list += (list.empty() ? "" : ", ") + s.name;
    return list;
  };
  std::vector<runtime::NamedTensor> given;
  for (const std::string& spec : options.inputs) {
    size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0) return Status::Error("--input '{}': expected NAME=FILE", spec);
    std::string name = spec.substr(0, equals);
    if (!known(name)) return Status::Error("--input '{}': the model has no input '{}' (its inputs: {})", spec, name, names());
    auto tensor = runtime::ReadTensorFile(spec.substr(equals + 1));
    if (!tensor.ok()) return tensor.status();
    given.emplace_back(name, std::move(tensor).value());
  }
  if (!options.data_folder.empty()) {
    ONNXKIT_ASSIGN_OR_RETURN(auto folders, runtime::ListSampleFolders(options.data_folder));
    ONNXKIT_ASSIGN_OR_RETURN(auto sample, runtime::ReadSampleFolder(folders.front(), specs));
    for (auto& [name, tensor] : sample) {
      bool already = std::any_of(given.begin(), given.end(), [&](const auto& g) { return g.first == name; });
      if (!already) given.emplace_back(name, std::move(tensor));
    }
  }
  ONNXKIT_ASSIGN_OR_RETURN(auto shapes, ParseShapes(options.shapes));
  for (const auto& [name, shape] : shapes)
    if (!known(name)) return Status::Error("--shape: the model has no input '{}' (its inputs: {})", name, names());
  return runtime::CompleteWithRandomInputs(specs, std::move(given), shapes, options.seed);
}

}  // namespace onnxkit::tools
