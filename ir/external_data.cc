#include "ir/external_data.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "ir/mapped_file.h"

namespace onnxkit {
namespace {

Result<uint64_t> ParseUnsigned(const std::string& tensor_name, const std::string& key, const std::string& text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    return Status::Error("tensor '{}': external data {} '{}' is not a non-negative integer", tensor_name, key, text);
  return value;
}

}  // namespace

ExternalDataReader::ExternalDataReader(std::filesystem::path model_folder) : folder_(std::move(model_folder)) {
  if (folder_.empty()) folder_ = ".";
  std::error_code error;
  canonical_folder_ = std::filesystem::canonical(folder_, error);
}

Result<std::filesystem::path> ExternalDataReader::resolve(const std::string& tensor_name, const std::string& location) {
  if (location.empty()) return Status::Error("tensor '{}': external data has no location", tensor_name);
  if (location.find('\0') != std::string::npos)
    return Status::Error("tensor '{}': external data location contains a NUL byte", tensor_name);
  std::filesystem::path relative(location);
  if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
    return Status::Error("tensor '{}': external data location '{}' is an absolute path; it must be inside the model's folder",
                         tensor_name, location);
  for (const auto& part : relative)
    if (part == "..")
      return Status::Error("tensor '{}': external data location '{}' leaves the model's folder", tensor_name, location);
  if (canonical_folder_.empty())
    return Status::Error("tensor '{}': cannot resolve the model's folder '{}'", tensor_name, folder_.string());
  std::error_code error;
  std::filesystem::path resolved = std::filesystem::canonical(canonical_folder_ / relative, error);
  if (error)
    return Status::Error("tensor '{}': external data file '{}' not found next to the model", tensor_name, location);
  // Symbolic links are followed by canonical(): the target must still be inside the folder.
  auto [folder_end, resolved_it] = std::mismatch(canonical_folder_.begin(), canonical_folder_.end(), resolved.begin(), resolved.end());
  if (folder_end != canonical_folder_.end())
    return Status::Error("tensor '{}': external data location '{}' links outside the model's folder", tensor_name, location);
  if (!std::filesystem::is_regular_file(resolved, error))
    return Status::Error("tensor '{}': external data location '{}' is not a regular file", tensor_name, location);
  return resolved;
}

Result<SharedBytes> ExternalDataReader::read(const onnx::TensorProto& tensor) {
  const std::string& name = tensor.name();
  std::string location;
  std::optional<uint64_t> offset, length;
  for (const auto& entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      ONNXKIT_ASSIGN_OR_RETURN(offset, ParseUnsigned(name, "offset", entry.value()));
    } else if (entry.key() == "length") {
      ONNXKIT_ASSIGN_OR_RETURN(length, ParseUnsigned(name, "length", entry.value()));
    }
  }
  ONNXKIT_ASSIGN_OR_RETURN(std::filesystem::path path, resolve(name, location));
  auto cached = files_.find(path);
  if (cached == files_.end()) {
    auto mapped = MapFile(path);
    if (!mapped.ok()) return mapped.status().WithContext(fmt::format("tensor '{}'", name));
    cached = files_.emplace(path, std::move(mapped).value()).first;
  }
  const SharedBytes& file = cached->second;
  uint64_t begin = offset.value_or(0);
  if (begin > file.size())
    return Status::Error("tensor '{}': external data offset {} is beyond the end of '{}' ({} bytes)", name, begin,
                         location, file.size());
  uint64_t size = length.value_or(file.size() - begin);
  if (size > file.size() - begin)
    return Status::Error("tensor '{}': external data offset {} + length {} is beyond the end of '{}' ({} bytes)",
                         name, begin, size, location, file.size());
  return file.Slice(static_cast<size_t>(begin), static_cast<size_t>(size));
}

}  // namespace onnxkit
