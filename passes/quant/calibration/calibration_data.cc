#include "passes/quant/calibration/calibration_data.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "ir/mapped_file.h"
#include "runtime/sample_data.h"
#include "runtime/tensor_io.h"

namespace onnxkit::quant {
namespace {

using runtime::NamedTensor;
using runtime::Tensor;
using runtime::ValueSpec;

std::string DeclaredShape(const ValueSpec& spec) {
  std::string text;
  for (size_t d = 0; d < spec.dims.size(); ++d) {
    if (d) text += ",";
    text += spec.dims[d] >= 0 ? std::to_string(spec.dims[d]) : (spec.dim_names[d].empty() ? "?" : spec.dim_names[d]);
  }
  return "[" + text + "]";
}

std::string InputList(const std::vector<ValueSpec>& inputs) {
  std::string known;
  for (const ValueSpec& s : inputs) known += (known.empty() ? "" : ", ") + s.name;
  return known;
}

std::vector<const ValueSpec*> RequiredInputs(const std::vector<ValueSpec>& inputs) {
  std::vector<const ValueSpec*> required;
  for (const ValueSpec& s : inputs)
    if (!s.has_default) required.push_back(&s);
  return required;
}

// A .npy file split into samples along axis 0: the mapped bytes, the header text and where the
// data starts, and the per-sample batch.
struct NpyBatches {
  SharedBytes bytes;
  std::string header;  // the header dict text
  size_t data_start = 0;
  std::vector<int64_t> shape;
  int64_t batch = 1;       // rows per sample
  bool add_batch_dim = false;  // the array lacks the batch dim: one sample, reshaped to [1, ...]
  uint64_t samples = 1;
  size_t element_size = 0;
};

// A version-1 .npy header for `shape` with the same dtype (header text `header`).
std::string NpyWithShape(const std::string& header, std::span<const int64_t> shape, std::string_view data) {
  std::string tuple = "(";
  for (int64_t d : shape) tuple += std::to_string(d) + ",";
  tuple += ")";
  size_t at = header.find("'shape'");
  size_t open = header.find('(', at);
  size_t close = header.find(')', open);
  std::string text = header.substr(0, open) + tuple + header.substr(close + 1);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  while ((10 + text.size() + 1) % 64 != 0) text += ' ';
  text += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(text.size() & 0xff);
  out += static_cast<char>(text.size() >> 8);
  out += text;
  out.append(data.data(), data.size());
  return out;
}

Result<NpyBatches> PlanNpy(const std::filesystem::path& path, const ValueSpec& spec) {
  std::string what = path.string();
  ONNXKIT_ASSIGN_OR_RETURN(SharedBytes mapped, MapFile(path));
  NpyBatches plan;
  plan.bytes = mapped;
  std::string_view bytes = mapped.view();
  auto bad = [&](std::string_view why) { return Status::Error("{}: not a valid .npy file ({})", what, why); };
  if (bytes.size() < 10 || bytes.substr(0, 6) != "\x93NUMPY") return bad("no NUMPY magic");
  size_t header_start = 10, header_length = 0;
  uint8_t major = static_cast<uint8_t>(bytes[6]);
  if (major == 1) {
    header_length = static_cast<uint8_t>(bytes[8]) | (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return bad("truncated header");
    for (int i = 0; i < 4; ++i) header_length |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
    header_start = 12;
  } else {
    return bad("unknown format version");
  }
  if (header_start + header_length > bytes.size()) return bad("truncated header");
  plan.header = std::string(bytes.substr(header_start, header_length));
  plan.data_start = header_start + header_length;
  size_t at = plan.header.find("'shape'");
  size_t open = at == std::string::npos ? at : plan.header.find('(', at);
  size_t close = open == std::string::npos ? open : plan.header.find(')', open);
  if (close == std::string::npos) return bad("no shape");
  for (size_t i = open + 1; i < close;) {
    while (i < close && (plan.header[i] == ' ' || plan.header[i] == ',' || plan.header[i] == 'L')) ++i;
    if (i >= close) break;
    int64_t dim = 0;
    auto [end, error] = std::from_chars(plan.header.data() + i, plan.header.data() + close, dim);
    if (error != std::errc() || dim < 0) return bad("bad shape");
    plan.shape.push_back(dim);
    i = static_cast<size_t>(end - plan.header.data());
  }
  // The element type (checked by the .npy parser on an empty array of the same dtype).
  std::vector<int64_t> empty_shape{0};
  auto probe = runtime::ParseNpy(NpyWithShape(plan.header, empty_shape, {}), what);
  if (!probe.ok()) return probe.status();
  plan.element_size = ElementSize(probe->dtype());
  if (spec.type != DataType::kUndefined && probe->dtype() != spec.type)
    return Status::Error("{}: input '{}' has element type {}, the model expects {}", what, spec.name,
                         DataTypeName(probe->dtype()), DataTypeName(spec.type));
  uint64_t elements = 1;
  for (int64_t d : plan.shape) elements *= static_cast<uint64_t>(d);
  if (bytes.size() - plan.data_start != elements * plan.element_size)
    return Status::Error("{}: .npy data has {} bytes, shape [{}] needs {} (truncated or corrupt file)", what,
                         bytes.size() - plan.data_start, runtime::ShapeToString(plan.shape), elements * plan.element_size);
  if (!spec.has_shape || spec.dims.empty()) return plan;  // one sample, checked when read
  auto shape_error = [&] {
    return Status::Error("{}: input '{}' has shape [{}], the model expects {} (or several samples stacked along axis 0)",
                         what, spec.name, runtime::ShapeToString(plan.shape), DeclaredShape(spec));
  };
  // Dims after the batch dim must match where the model fixes them.
  auto rest_matches = [&](size_t skip) {
    for (size_t d = 1; d < spec.dims.size(); ++d)
      if (spec.dims[d] >= 0 && spec.dims[d] != plan.shape[d - skip]) return false;
    return true;
  };
  if (plan.shape.size() + 1 == spec.dims.size() && (spec.dims[0] == 1 || spec.dims[0] < 0)) {
    if (!rest_matches(1)) return shape_error();
    plan.add_batch_dim = true;
    return plan;
  }
  if (plan.shape.size() != spec.dims.size() || !rest_matches(0)) return shape_error();
  int64_t declared = spec.dims[0] >= 0 ? spec.dims[0] : 1;
  int64_t n = plan.shape[0];
  if (declared == 0 || n == 0 || n % declared != 0) return shape_error();
  plan.batch = declared;
  plan.samples = static_cast<uint64_t>(n / declared);
  return plan;
}

Result<Tensor> ReadNpySlice(const NpyBatches& plan, uint64_t index, const std::string& what) {
  std::vector<int64_t> shape = plan.shape;
  size_t row_bytes = plan.element_size;
  for (size_t d = 1; d < shape.size(); ++d) row_bytes *= static_cast<size_t>(shape[d]);
  if (plan.add_batch_dim) {
    shape.insert(shape.begin(), 1);
  } else if (!shape.empty()) {
    shape[0] = plan.batch;
  }
  size_t slice_bytes = shape.empty() ? plan.element_size : row_bytes * static_cast<size_t>(shape[0]);
  if (plan.add_batch_dim) slice_bytes = plan.bytes.view().size() - plan.data_start;
  size_t offset = plan.data_start + static_cast<size_t>(index) * slice_bytes;
  return runtime::ParseNpy(NpyWithShape(plan.header, shape, plan.bytes.view().substr(offset, slice_bytes)), what);
}

}  // namespace

Status CheckFeed(const std::vector<ValueSpec>& inputs, const std::string& name, const Tensor& tensor,
                 const std::string& source) {
  auto spec = std::find_if(inputs.begin(), inputs.end(), [&](const ValueSpec& s) { return s.name == name; });
  if (spec == inputs.end())
    return Status::Error("{}: the model has no input '{}' (its inputs: {})", source, name, InputList(inputs));
  if (spec->type != DataType::kUndefined && tensor.dtype() != spec->type)
    return Status::Error("{}: input '{}' has element type {}, the model expects {}", source, name,
                         DataTypeName(tensor.dtype()), DataTypeName(spec->type));
  if (!spec->has_shape) return Status::Ok();
  bool fits = tensor.rank() == spec->dims.size();
  for (size_t d = 0; fits && d < spec->dims.size(); ++d)
    if (spec->dims[d] >= 0 && spec->dims[d] != tensor.dim(d)) fits = false;
  if (!fits)
    return Status::Error("{}: input '{}' has shape [{}], the model expects {}", source, name,
                         runtime::ShapeToString(tensor.shape()), DeclaredShape(*spec));
  return Status::Ok();
}

Result<CalibrationData> CalibrationData::Open(const std::filesystem::path& folder, std::vector<ValueSpec> inputs,
                                              CalibrationDataOptions options) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error))
    return Status::Error("{}: calibration data folder does not exist or is not a folder", folder.string());
  CalibrationData data;
  data.folder_ = folder;
  data.inputs_ = std::move(inputs);
  std::vector<const ValueSpec*> required = RequiredInputs(data.inputs_);
  std::vector<std::filesystem::path> paths;
  bool folder_is_sample = false;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    std::string file = entry.path().filename().string();
    if (file.starts_with(".")) continue;
    if (file.starts_with("input_") && file.ends_with(".pb")) folder_is_sample = true;
    paths.push_back(entry.path());
  }
  if (error) return Status::Error("{}: cannot list the folder ({})", folder.string(), error.message());
  std::sort(paths.begin(), paths.end());
  if (folder_is_sample) {
    data.entries_.push_back({folder, EntryKind::kFolder, 1});
  } else {
    for (const auto& path : paths) {
      std::string extension = path.extension().string();
      if (std::filesystem::is_directory(path, error)) {
        data.entries_.push_back({path, EntryKind::kFolder, 1});
      } else if (extension == ".npz") {
        data.entries_.push_back({path, EntryKind::kNpz, 1});
      } else if (extension == ".npy") {
        if (required.size() != 1)
          return Status::Error(
              "{}: a .npy file per sample needs a model with one input, this one has {} ({}); use a folder or an "
              ".npz per sample",
              path.string(), required.size(), InputList(data.inputs_));
        ONNXKIT_ASSIGN_OR_RETURN(NpyBatches plan, PlanNpy(path, *required[0]));
        data.entries_.push_back({path, EntryKind::kNpy, plan.samples});
      }
    }
  }
  for (const Entry& entry : data.entries_) data.sample_count_ += entry.samples;
  if (data.sample_count_ == 0)
    return Status::Error("{}: no calibration samples (expected a folder, .npz or .npy file per sample)",
                         folder.string());
  if (options.max_samples != 0) data.sample_count_ = std::min(data.sample_count_, options.max_samples);
  return data;
}

Status CalibrationData::forEach(const SampleVisitor& visit) const {
  uint64_t visited = 0;
  auto check_and_visit = [&](const std::vector<NamedTensor>& sample, const std::string& source) -> Status {
    for (const auto& [name, tensor] : sample) ONNXKIT_RETURN_IF_ERROR(CheckFeed(inputs_, name, tensor, source));
    for (const ValueSpec* spec : RequiredInputs(inputs_)) {
      bool present = std::any_of(sample.begin(), sample.end(), [&](const NamedTensor& t) { return t.first == spec->name; });
      if (!present) return Status::Error("{}: input '{}' is missing", source, spec->name);
    }
    ++visited;
    return visit(sample, source);
  };
  for (const Entry& entry : entries_) {
    if (visited >= sample_count_) break;
    std::string source = entry.path.string();
    switch (entry.kind) {
      case EntryKind::kFolder: {
        ONNXKIT_ASSIGN_OR_RETURN(std::vector<NamedTensor> sample, runtime::ReadSampleFolder(entry.path, inputs_));
        // Name the input's own file when it is a NAME.npy.
        for (const auto& [name, tensor] : sample) {
          std::filesystem::path file = entry.path / (name + ".npy");
          std::error_code error;
          ONNXKIT_RETURN_IF_ERROR(
              CheckFeed(inputs_, name, tensor, std::filesystem::exists(file, error) ? file.string() : source));
        }
        ONNXKIT_RETURN_IF_ERROR(check_and_visit(sample, source));
        break;
      }
      case EntryKind::kNpz: {
        ONNXKIT_ASSIGN_OR_RETURN(std::vector<NamedTensor> sample, runtime::ReadNpz(entry.path));
        if (sample.empty()) return Status::Error("{}: the .npz file holds no arrays", source);
        ONNXKIT_RETURN_IF_ERROR(check_and_visit(sample, source));
        break;
      }
      case EntryKind::kNpy: {
        const ValueSpec& spec = *RequiredInputs(inputs_)[0];
        ONNXKIT_ASSIGN_OR_RETURN(NpyBatches plan, PlanNpy(entry.path, spec));
        for (uint64_t i = 0; i < plan.samples && visited < sample_count_; ++i) {
          std::string slice_source = plan.samples > 1 ? fmt::format("{}[{}]", source, i) : source;
          ONNXKIT_ASSIGN_OR_RETURN(Tensor tensor, ReadNpySlice(plan, i, slice_source));
          std::vector<NamedTensor> sample;
          sample.emplace_back(spec.name, std::move(tensor));
          ONNXKIT_RETURN_IF_ERROR(check_and_visit(sample, slice_source));
        }
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace onnxkit::quant
