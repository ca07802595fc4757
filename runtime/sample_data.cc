#include "runtime/sample_data.h"

#include <algorithm>
#include <cstring>

#include "runtime/dispatch.h"
#include "runtime/tensor_io.h"

namespace onnxkit::runtime {

Result<std::vector<NamedTensor>> ReadSampleFolder(const std::filesystem::path& folder, const std::vector<ValueSpec>& inputs) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) return Status::Error("{}: not a folder", folder.string());
  std::vector<std::pair<int, std::filesystem::path>> numbered;
  std::vector<std::filesystem::path> named;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::string file = entry.path().filename().string();
    if (file.starts_with("input_") && file.ends_with(".pb")) {
      int index = std::atoi(file.c_str() + 6);
      numbered.emplace_back(index, entry.path());
    } else if (file.ends_with(".npy")) {
      named.push_back(entry.path());
    }
  }
  std::sort(numbered.begin(), numbered.end());
  std::sort(named.begin(), named.end());
  auto is_input = [&](const std::string& name) {
    return std::any_of(inputs.begin(), inputs.end(), [&](const ValueSpec& s) { return s.name == name; });
  };
  std::vector<std::string> required;
  for (const ValueSpec& spec : inputs)
    if (!spec.has_default) required.push_back(spec.name);

  std::vector<NamedTensor> sample;
  for (size_t i = 0; i < numbered.size(); ++i) {
    auto tensor = ReadTensorProtoFile(numbered[i].second);
    if (!tensor.ok()) return tensor.status();
    std::string name = tensor->first;
    if (!is_input(name)) {
      if (i >= required.size())
        return Status::Error("{}: there is no graph input number {}", numbered[i].second.string(), i);
      name = required[i];
    }
    sample.emplace_back(name, std::move(tensor->second));
  }
  for (const auto& path : named) {
    std::string name = path.stem().string();
    if (!is_input(name)) {
      std::string known;
      for (const ValueSpec& s : inputs) known += (known.empty() ? "" : ", ") + s.name;
      return Status::Error("{}: the model has no input '{}' (its inputs: {})", path.string(), name, known);
    }
    auto tensor = ReadNpy(path);
    if (!tensor.ok()) return tensor.status();
    sample.emplace_back(name, std::move(tensor).value());
  }
  if (sample.empty()) return Status::Error("{}: no input_<i>.pb or NAME.npy files", folder.string());
  return sample;
}

Result<std::vector<std::filesystem::path>> ListSampleFolders(const std::filesystem::path& folder) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) return Status::Error("{}: not a folder", folder.string());
  std::vector<std::filesystem::path> sets;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_directory() && entry.path().filename().string().starts_with("test_data_set_")) sets.push_back(entry.path());
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) sets.push_back(folder);
  return sets;
}

Shape ConcreteShape(const ValueSpec& spec, const std::map<std::string, int64_t>& dim_values) {
  Shape shape;
  for (size_t d = 0; d < spec.dims.size(); ++d) {
    if (spec.dims[d] >= 0) {
      shape.push_back(spec.dims[d]);
      continue;
    }
    auto it = dim_values.find(spec.dim_names[d]);
    shape.push_back(it != dim_values.end() && !spec.dim_names[d].empty() ? it->second : 1);
  }
  return shape;
}

Result<Tensor> RandomTensor(DataType type, const Shape& shape, std::mt19937_64& random) {
  ONNXKIT_ASSIGN_OR_RETURN(Tensor tensor, Tensor::Allocate(type, shape));
  int64_t count = tensor.elementCount();
  if (type == DataType::kString) {
    for (auto& s : tensor.mutableStrings()) s = std::to_string(random() % 10);
    return tensor;
  }
  Status status = DispatchNumericOrBool(type, "random input", [&]<typename T>() -> Status {
    T* data = tensor.mutableData<T>();
    std::uniform_real_distribution<float> unit(0.f, 1.f);
    for (int64_t i = 0; i < count; ++i) {
      if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T>)
        data[i] = static_cast<T>(random() & 1);
      else
        data[i] = FromCompute<T>(static_cast<ComputeType<T>>(unit(random)));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return tensor;
}

Result<std::vector<NamedTensor>> CompleteWithRandomInputs(const std::vector<ValueSpec>& inputs,
                                                           std::vector<NamedTensor> given,
                                                           const std::map<std::string, Shape>& shapes, uint64_t seed) {
  // Symbolic dims take the value the given inputs already fixed for the same dim name.
  std::map<std::string, int64_t> dim_values;
  for (const auto& [name, tensor] : given) {
    for (const ValueSpec& spec : inputs) {
      if (spec.name != name || spec.dims.size() != tensor.rank()) continue;
      for (size_t d = 0; d < spec.dims.size(); ++d)
        if (!spec.dim_names[d].empty()) dim_values.emplace(spec.dim_names[d], tensor.dim(d));
    }
  }
  std::mt19937_64 random(seed);
  for (const ValueSpec& spec : inputs) {
    bool present = std::any_of(given.begin(), given.end(), [&](const NamedTensor& t) { return t.first == spec.name; });
    if (present || spec.has_default) continue;
    if (spec.type == DataType::kUndefined)
      return Status::Error("input '{}' has no declared tensor type; give it with --input", spec.name);
    auto explicit_shape = shapes.find(spec.name);
    Shape shape = explicit_shape != shapes.end() ? explicit_shape->second : ConcreteShape(spec, dim_values);
    auto tensor = RandomTensor(spec.type, shape, random);
    if (!tensor.ok()) return tensor.status().WithContext(fmt::format("input '{}'", spec.name));
    given.emplace_back(spec.name, std::move(tensor).value());
  }
  return given;
}

}  // namespace onnxkit::runtime
