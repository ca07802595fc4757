// Element types of tensors. The numeric values are those of onnx.TensorProto.DataType so that a
// DataType converts to and from the protobuf field without a table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace onnxkit {

enum class DataType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBfloat16 = 16,
};

// Bytes per element; 0 for kUndefined, kString and values this build does not know.
size_t ElementSize(DataType type);

// The ONNX name in lower case as written in the textual syntax: "float", "int64", "bfloat16", ...
// Unknown values give "unknown".
std::string_view DataTypeName(DataType type);

// True for every value this build knows (1..16), false for 0 and anything else.
bool IsKnownDataType(int32_t value);

inline bool IsFloatingPoint(DataType type) {
  return type == DataType::kFloat || type == DataType::kDouble || type == DataType::kFloat16 ||
         type == DataType::kBfloat16;
}

inline bool IsInteger(DataType type) {
  switch (type) {
    case DataType::kUint8: case DataType::kInt8: case DataType::kUint16: case DataType::kInt16:
    case DataType::kInt32: case DataType::kInt64: case DataType::kUint32: case DataType::kUint64:
      return true;
    default:
      return false;
  }
}

}  // namespace onnxkit
