// An immutable tensor: element type, dims and data. Used for initializers and tensor attributes.
//
// Storage is shared, never copied: the bytes live in a SharedBytes (a memory-mapped file, a moved
// protobuf string, a pass's vector). To change a tensor, a pass builds a new one.
//
// For a lossless round trip the tensor keeps its TensorProto without the raw bytes ("metadata":
// dims, data_type, name, doc_string, external_data, unknown fields, and the typed data fields
// float_data/int32_data/... when the file used those instead of raw_data).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/dtype.h"
#include "ir/shared_bytes.h"
#include "ir/status.h"

namespace onnxkit {

class Tensor;
using TensorPtr = std::shared_ptr<const Tensor>;

// Element count of a shape, or an error for negative dims or an int64 overflow.
Result<int64_t> CheckedElementCount(std::span<const int64_t> dims);

class Tensor {
 public:
  // From a TensorProto whose data is inline (raw_data, or typed fields such as float_data). The
  // raw_data string is moved out of the proto, not copied. Errors name the tensor.
  static Result<TensorPtr> FromProto(onnx::TensorProto proto);
  // From metadata plus bytes stored elsewhere (a mapped file, external data).
  static Result<TensorPtr> FromProtoAndBytes(onnx::TensorProto metadata, SharedBytes bytes);
  // Built by passes and tests. The byte count must match dims and type.
  static TensorPtr Create(DataType type, std::vector<int64_t> dims, SharedBytes bytes);
  template <typename T>
  static TensorPtr FromValues(DataType type, std::vector<int64_t> dims, std::span<const T> values) {
    return Create(type, std::move(dims), SharedBytes::Copy(values.data(), values.size_bytes()));
  }
  static TensorPtr FromStrings(std::vector<int64_t> dims, const std::vector<std::string>& values);

  DataType dtype() const { return static_cast<DataType>(metadata_.data_type()); }
  std::span<const int64_t> dims() const { return {metadata_.dims().data(), static_cast<size_t>(metadata_.dims_size())}; }
  size_t rank() const { return static_cast<size_t>(metadata_.dims_size()); }
  int64_t elementCount() const { return element_count_; }
  const std::string& name() const { return metadata_.name(); }

  // The data as little-endian bytes (empty for string tensors).
  const SharedBytes& bytes() const { return bytes_; }
  size_t byteSize() const { return bytes_.size(); }
  // String tensors only.
  const google::protobuf::RepeatedPtrField<std::string>& strings() const { return metadata_.string_data(); }

  // Copies the data out as T (sizeof(T) must equal the element size). Safe for unaligned data.
  template <typename T>
  std::vector<T> ToVector() const {
    ONNXKIT_CHECK(sizeof(T) == ElementSize(dtype()), "ToVector: element size mismatch for {}",
                  DataTypeName(dtype()));
    std::vector<T> out(static_cast<size_t>(element_count_));
    if (!out.empty()) std::memcpy(out.data(), bytes_.data(), out.size() * sizeof(T));
    return out;
  }
  // Element i converted to double / int64 for any numeric type (float16 and bfloat16 included).
  double ElementAsDouble(int64_t index) const;
  int64_t ElementAsInt64(int64_t index) const;

  // The TensorProto without raw_data: what the file had besides the bytes.
  const onnx::TensorProto& metadata() const { return metadata_; }
  // True when the data came from typed fields (float_data, ...), which export writes back as they were.
  bool usesTypedFields() const { return uses_typed_fields_; }
  // True when the file stored the data in an external file (data_location = EXTERNAL).
  bool wasExternal() const { return metadata_.data_location() == onnx::TensorProto::EXTERNAL; }
  // Whether the raw_data field was present (it may be present and empty for a zero-size tensor).
  bool hasRawDataField() const { return has_raw_data_field_; }

 private:
  Tensor() = default;
  static Result<TensorPtr> Finish(std::unique_ptr<Tensor> tensor);

  onnx::TensorProto metadata_;
  SharedBytes bytes_;
  int64_t element_count_ = 0;
  bool uses_typed_fields_ = false;
  bool has_raw_data_field_ = true;
};

// Half-precision conversions, shared by tensors and kernels.
float HalfToFloat(uint16_t bits);
uint16_t FloatToHalf(float value);
float BfloatToFloat(uint16_t bits);
uint16_t FloatToBfloat(float value);

}  // namespace onnxkit
