#include "ir/model_io.h"

#include <vector>

#include "ir/atomic_file.h"
#include "ir/external_data.h"
#include "ir/mapped_file.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "ir/raw_data_splice.h"

namespace onnxkit {

Result<std::unique_ptr<Model>> LoadModelFromBytes(const SharedBytes& bytes, const std::filesystem::path& folder) {
  if (bytes.empty()) return Status::Error("empty file, not an ONNX model");
  std::vector<SharedBytes> slices;
  auto skeleton = CutRawData(bytes, slices);
  if (!skeleton.ok()) return Status::Error("not an ONNX model: {}", skeleton.message());
  onnx::ModelProto proto;
  if (skeleton->size() > kProtobufLimitBytes || !proto.ParseFromString(*skeleton))
    return Status::Error("not an ONNX model: the protobuf data is corrupt or truncated");
  skeleton->clear();
  skeleton->shrink_to_fit();

  std::optional<ExternalDataReader> external;
  if (!folder.empty()) external.emplace(folder);
  ImportSources sources;
  sources.raw_data_slices = slices;
  if (external)
    sources.external_data = [&](const onnx::TensorProto& tensor) { return external->read(tensor); };
  return ImportModel(std::move(proto), sources);
}

Result<std::unique_ptr<Model>> LoadModel(const std::filesystem::path& path) {
  auto bytes = MapFile(path);
  if (!bytes.ok()) return bytes.status();
  std::filesystem::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  auto model = LoadModelFromBytes(*bytes, folder);
  if (!model.ok()) return model.status().WithContext(path.string());
  return model;
}

namespace {

constexpr uint64_t kExternalAlignment = 64;
constexpr uint64_t kForcedExternalThreshold = 1024;

// Assigns offsets in the external data file while the model is exported, then writes the file.
class ExternalDataLayout {
 public:
  explicit ExternalDataLayout(std::string file_name) : file_name_(std::move(file_name)) {}

  ExternalPlacement place(const Tensor& tensor) {
    uint64_t offset = (end_ + kExternalAlignment - 1) / kExternalAlignment * kExternalAlignment;
    end_ = offset + tensor.byteSize();
    entries_.push_back({offset, tensor.bytes()});
    return ExternalPlacement{file_name_, offset, tensor.byteSize()};
  }
  bool empty() const { return entries_.empty(); }
  uint64_t size() const { return end_; }

  Status write(AtomicFile& file, const std::function<void(uint64_t)>& written) const {
    static const char kZeros[kExternalAlignment] = {};
    for (const auto& [offset, bytes] : entries_) {
      ONNXKIT_RETURN_IF_ERROR(file.write(kZeros, offset - file.bytesWritten()));
      ONNXKIT_RETURN_IF_ERROR(file.write(bytes.data(), bytes.size()));
      if (written) written(file.bytesWritten());
    }
    return Status::Ok();
  }

 private:
  std::string file_name_;
  uint64_t end_ = 0;
  std::vector<std::pair<uint64_t, SharedBytes>> entries_;
};

class AtomicFileSink : public ByteSink {
 public:
  AtomicFileSink(AtomicFile& file, std::function<void(uint64_t)> written) : file_(file), written_(std::move(written)) {}
  Status write(const void* data, size_t size) override {
    ONNXKIT_RETURN_IF_ERROR(file_.write(data, size));
    if (written_) written_(file_.bytesWritten());
    return Status::Ok();
  }

 private:
  AtomicFile& file_;
  std::function<void(uint64_t)> written_;
};

struct PreparedModel {
  std::string skeleton;
  std::vector<SharedBytes> slices;
  uint64_t size = 0;
  ExternalDataLayout layout;
};

Result<PreparedModel> Prepare(const Model& model, const std::string& data_file_name, std::optional<uint64_t> threshold) {
  PreparedModel prepared{{}, {}, 0, ExternalDataLayout(data_file_name)};
  ExportOptions options;
  options.place_externally = [&](const Tensor& tensor) -> std::optional<ExternalPlacement> {
    bool external = tensor.wasExternal() || (threshold && tensor.byteSize() >= *threshold);
    if (!external) return std::nullopt;
    return prepared.layout.place(tensor);
  };
  ExportedModel exported = ExportModel(model, options);
  if (!exported.proto.SerializeToString(&prepared.skeleton))
    return Status::Error("cannot serialize the model (its metadata alone exceeds 2 GiB)");
  prepared.slices = std::move(exported.slices);
  ONNXKIT_ASSIGN_OR_RETURN(prepared.size, SplicedSize(prepared.skeleton, prepared.slices));
  return prepared;
}

}  // namespace

Result<SaveReport> SaveModel(const Model& model, const std::filesystem::path& path, const SaveOptions& options) {
  std::string data_file_name = path.filename().string() + ".data";
  SaveReport report;
  auto prepared = Prepare(model, data_file_name, options.external_data_threshold);
  if (!prepared.ok()) return prepared.status().WithContext(path.string());
  if (prepared->size > options.size_limit_bytes && !options.external_data_threshold) {
    prepared = Prepare(model, data_file_name, kForcedExternalThreshold);
    if (!prepared.ok()) return prepared.status().WithContext(path.string());
    report.external_data_forced_by_size = true;
  }
  if (prepared->size > options.size_limit_bytes)
    return Status::Error("{}: the model is {} bytes even with external data, above protobuf's 2 GiB limit",
                         path.string(), prepared->size);

  // Progress over both files: the data file's bytes, then the model's.
  uint64_t total = prepared->layout.size() + prepared->size;
  uint64_t data_bytes = 0;
  std::function<void(uint64_t)> data_written, model_written;
  if (options.progress) {
    data_written = [&](uint64_t written) { options.progress(written, total); };
    model_written = [&](uint64_t written) { options.progress(data_bytes + written, total); };
  }
  // The data file first: a model is never visible before the data it points to.
  std::unique_ptr<AtomicFile> data_file;
  if (!prepared->layout.empty()) {
    std::filesystem::path data_path = path.parent_path() / data_file_name;
    ONNXKIT_ASSIGN_OR_RETURN(data_file, AtomicFile::Create(data_path));
    ONNXKIT_RETURN_IF_ERROR(prepared->layout.write(*data_file, data_written));
    data_bytes = data_file->bytesWritten();
    report.external_data_file = data_path;
    report.external_data_bytes = prepared->layout.size();
  }
  ONNXKIT_ASSIGN_OR_RETURN(auto model_file, AtomicFile::Create(path));
  AtomicFileSink sink(*model_file, model_written);
  ONNXKIT_RETURN_IF_ERROR(WriteSpliced(prepared->skeleton, prepared->slices, sink));
  if (data_file) ONNXKIT_RETURN_IF_ERROR(data_file->commit());
  ONNXKIT_RETURN_IF_ERROR(model_file->commit());
  report.model_bytes = prepared->size;
  return report;
}

Result<std::string> SerializeModel(const Model& model) {
  ExportedModel exported = ExportModel(model);
  std::string skeleton;
  if (!exported.proto.SerializeToString(&skeleton)) return Status::Error("cannot serialize the model");
  ONNXKIT_ASSIGN_OR_RETURN(uint64_t size, SplicedSize(skeleton, exported.slices));
  if (size > kProtobufLimitBytes) return Status::Error("the model is {} bytes, above protobuf's 2 GiB limit", size);
  std::string out;
  out.reserve(size);
  StringSink sink(out);
  ONNXKIT_RETURN_IF_ERROR(WriteSpliced(skeleton, exported.slices, sink));
  return out;
}

}  // namespace onnxkit
