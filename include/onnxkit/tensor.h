// A tensor handed to or returned by the API: element type, shape, and contiguous row-major data.
//
// Tensors are immutable values that share their storage: copying a Tensor copies a pointer. A
// tensor returned by Session::run() points at the runtime's result without a copy; one made from a
// std::vector takes the vector over. String tensors are not supported by the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "onnxkit/export.h"

namespace onnxkit::api {

// The values are those of onnx.TensorProto.DataType.
enum class ElementType : int32_t {
  kUndefined = 0,
  kFloat32 = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kFloat64 = 11,
  kUint32 = 12,
  kUint64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBfloat16 = 16,
};

// "float", "int64", ... as in the ONNX textual syntax; "unknown" for other values.
ONNXKIT_API std::string_view elementTypeName(ElementType type);
// Bytes per element; 0 for kUndefined and kString.
ONNXKIT_API size_t elementSize(ElementType type);

class ONNXKIT_API Tensor {
 public:
  // An undefined tensor (defined() is false).
  Tensor();
  // Copies `bytes` bytes from `data`; throws Error unless bytes == elements * elementSize(type),
  // for a negative dim, or for kString/kUndefined.
  Tensor(ElementType type, std::vector<int64_t> shape, const void* data, size_t bytes);
  // Take the vector over (no copy); throws Error when its size is not the shape's element count.
  static Tensor fromFloats(std::vector<int64_t> shape, std::vector<float> values);
  static Tensor fromInt64s(std::vector<int64_t> shape, std::vector<int64_t> values);
  // Reads a .npy file or a serialized onnx.TensorProto (.pb).
  static Tensor load(const std::filesystem::path& path);
  // Writes a .npy file.
  void saveNpy(const std::filesystem::path& path) const;

  bool defined() const { return type_ != ElementType::kUndefined; }
  ElementType type() const { return type_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  int64_t elementCount() const { return element_count_; }
  size_t byteSize() const { return static_cast<size_t>(element_count_) * elementSize(type_); }
  const void* data() const { return data_; }
  // The elements of a float32 tensor; throws Error for any other type.
  std::span<const float> floats() const;
  // Element i (row-major) of any numeric type, as a double; throws Error when out of range.
  double at(int64_t i) const;

 private:
  Tensor(ElementType type, std::vector<int64_t> shape, std::shared_ptr<const void> storage, const void* data);
  friend struct TensorAccess;  // the library's conversions (api/internal.h)

  ElementType type_ = ElementType::kUndefined;
  std::vector<int64_t> shape_;
  int64_t element_count_ = 0;
  std::shared_ptr<const void> storage_;  // keeps data_ alive
  const void* data_ = nullptr;
};

}  // namespace onnxkit::api
