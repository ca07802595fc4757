// Calls a generic lambda with the C++ type of a runtime DataType:
//
//   return DispatchNumeric(x.dtype(), "Relu", [&]<typename T>() { return Relu<T>(x, y); });
//
// The lambda returns Status. An element type outside the chosen set is an error naming the op.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "ir/dtype.h"
#include "ir/status.h"
#include "runtime/half.h"

namespace onnxkit::runtime {

// The C++ storage type of each DataType (bool is stored as one byte: bool).
template <DataType> struct TypeOf;
template <> struct TypeOf<DataType::kFloat> { using type = float; };
template <> struct TypeOf<DataType::kDouble> { using type = double; };
template <> struct TypeOf<DataType::kFloat16> { using type = Float16; };
template <> struct TypeOf<DataType::kBfloat16> { using type = BFloat16; };
template <> struct TypeOf<DataType::kInt8> { using type = int8_t; };
template <> struct TypeOf<DataType::kUint8> { using type = uint8_t; };
template <> struct TypeOf<DataType::kInt16> { using type = int16_t; };
template <> struct TypeOf<DataType::kUint16> { using type = uint16_t; };
template <> struct TypeOf<DataType::kInt32> { using type = int32_t; };
template <> struct TypeOf<DataType::kUint32> { using type = uint32_t; };
template <> struct TypeOf<DataType::kInt64> { using type = int64_t; };
template <> struct TypeOf<DataType::kUint64> { using type = uint64_t; };
template <> struct TypeOf<DataType::kBool> { using type = bool; };
template <> struct TypeOf<DataType::kString> { using type = std::string; };

template <typename T> constexpr DataType DataTypeOf();
template <> constexpr DataType DataTypeOf<float>() { return DataType::kFloat; }
template <> constexpr DataType DataTypeOf<double>() { return DataType::kDouble; }
template <> constexpr DataType DataTypeOf<Float16>() { return DataType::kFloat16; }
template <> constexpr DataType DataTypeOf<BFloat16>() { return DataType::kBfloat16; }
template <> constexpr DataType DataTypeOf<int8_t>() { return DataType::kInt8; }
template <> constexpr DataType DataTypeOf<uint8_t>() { return DataType::kUint8; }
template <> constexpr DataType DataTypeOf<int16_t>() { return DataType::kInt16; }
template <> constexpr DataType DataTypeOf<uint16_t>() { return DataType::kUint16; }
template <> constexpr DataType DataTypeOf<int32_t>() { return DataType::kInt32; }
template <> constexpr DataType DataTypeOf<uint32_t>() { return DataType::kUint32; }
template <> constexpr DataType DataTypeOf<int64_t>() { return DataType::kInt64; }
template <> constexpr DataType DataTypeOf<uint64_t>() { return DataType::kUint64; }
template <> constexpr DataType DataTypeOf<bool>() { return DataType::kBool; }
template <> constexpr DataType DataTypeOf<std::string>() { return DataType::kString; }

template <DataType... Types, typename F>
Status DispatchAmong(DataType type, std::string_view op, F&& f) {
  Status result = Status::Error("{} does not support element type {}", op, DataTypeName(type));
  bool found = ((type == Types ? (result = f.template operator()<typename TypeOf<Types>::type>(), true) : false) || ...);
  (void)found;
  return result;
}

// float, double, float16, bfloat16
template <typename F>
Status DispatchFloat(DataType type, std::string_view op, F&& f) {
  return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16>(type, op, f);
}

// Signed and unsigned integers of every width.
template <typename F>
Status DispatchInteger(DataType type, std::string_view op, F&& f) {
  return DispatchAmong<DataType::kInt8, DataType::kUint8, DataType::kInt16, DataType::kUint16, DataType::kInt32,
                       DataType::kUint32, DataType::kInt64, DataType::kUint64>(type, op, f);
}

// Every float and integer type (not bool, not string).
template <typename F>
Status DispatchNumeric(DataType type, std::string_view op, F&& f) {
  return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16, DataType::kInt8,
                       DataType::kUint8, DataType::kInt16, DataType::kUint16, DataType::kInt32, DataType::kUint32,
                       DataType::kInt64, DataType::kUint64>(type, op, f);
}

// Numeric types and bool.
template <typename F>
Status DispatchNumericOrBool(DataType type, std::string_view op, F&& f) {
  return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16, DataType::kInt8,
                       DataType::kUint8, DataType::kInt16, DataType::kUint16, DataType::kInt32, DataType::kUint32,
                       DataType::kInt64, DataType::kUint64, DataType::kBool>(type, op, f);
}

// Every type including string (for data movement ops: the lambda sees std::string).
template <typename F>
Status DispatchAny(DataType type, std::string_view op, F&& f) {
  return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16, DataType::kInt8,
                       DataType::kUint8, DataType::kInt16, DataType::kUint16, DataType::kInt32, DataType::kUint32,
                       DataType::kInt64, DataType::kUint64, DataType::kBool, DataType::kString>(type, op, f);
}

}  // namespace onnxkit::runtime
