// Converting tensors to and from the model's tensors and files: ONNX TensorProto (.pb, as in the
// ONNX backend test data), NumPy .npy and .npz.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/tensor.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime {

// A view of an initializer when its bytes are suitably aligned (no copy), else an aligned copy.
Result<Tensor> FromIrTensor(const TensorPtr& tensor);
// A model tensor holding a copy of `tensor`'s data.
TensorPtr ToIrTensor(const Tensor& tensor);

Result<Tensor> FromTensorProto(const onnx::TensorProto& proto);
onnx::TensorProto ToTensorProto(const Tensor& tensor, const std::string& name = "");

// A serialized TensorProto file; returns the tensor and the name stored in it.
Result<std::pair<std::string, Tensor>> ReadTensorProtoFile(const std::filesystem::path& path);
// The same from bytes in memory (`what` names the source in errors).
Result<std::pair<std::string, Tensor>> ParseTensorProto(std::string_view bytes, const std::string& what);

// NumPy .npy (format versions 1-3, little-endian, C order) for every numeric type and bool.
Result<Tensor> ReadNpy(const std::filesystem::path& path);
Result<Tensor> ParseNpy(std::string_view bytes, const std::string& what);
std::string SerializeNpy(const Tensor& tensor);
// Written atomically.
Status WriteNpy(const std::filesystem::path& path, const Tensor& tensor);

// NumPy .npz (zip of .npy, stored or deflated): the arrays keyed by name without ".npy".
Result<std::vector<std::pair<std::string, Tensor>>> ReadNpz(const std::filesystem::path& path);
Result<std::vector<std::pair<std::string, Tensor>>> ParseNpz(std::string_view bytes, const std::string& what);

// Reads .npy, .npz (its only array) or .pb by extension.
Result<Tensor> ReadTensorFile(const std::filesystem::path& path);

}  // namespace onnxkit::runtime
