// Tensors stored outside the model file (TensorProto.data_location = EXTERNAL, with
// external_data entries "location", "offset", "length"). A model file is untrusted input: the
// location is resolved only inside the model's folder. Absolute paths, ".." components and
// symbolic links that lead out of the folder are rejected, and offset/length must lie inside the
// file, so a hostile model cannot make the tools read anything else on the machine.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <onnx/onnx_pb.h>

#include "ir/shared_bytes.h"
#include "ir/status.h"

namespace onnxkit {

class ExternalDataReader {
 public:
  explicit ExternalDataReader(std::filesystem::path model_folder);
  // The bytes of an EXTERNAL tensor, as a slice of the mapped data file (no copy).
  Result<SharedBytes> read(const onnx::TensorProto& tensor);

 private:
  Result<std::filesystem::path> resolve(const std::string& tensor_name, const std::string& location);

  std::filesystem::path folder_;
  std::filesystem::path canonical_folder_;
  std::map<std::filesystem::path, SharedBytes> files_;  // mapped once, shared by all tensors
};

}  // namespace onnxkit
