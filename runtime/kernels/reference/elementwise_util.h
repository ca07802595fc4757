// Helpers shared by the elementwise reference kernels (elementwise.cc, elementwise_binary.cc,
// cast.cc): the element-type lists of the ONNX schemas, dispatch over such a list, integer
// arithmetic that wraps instead of overflowing, and the one numeric conversion used by Cast.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "runtime/dispatch.h"
#include "runtime/half.h"

namespace onnxkit::runtime::reference {

// ---- Type lists of the ONNX schemas (for KernelRegistration::types) ----

inline std::vector<DataType> FloatTypes() {  // float16, float, double
  return {DataType::kFloat16, DataType::kFloat, DataType::kDouble};
}
inline std::vector<DataType> FloatTypesBf16() {  // ... and bfloat16
  return {DataType::kFloat16, DataType::kFloat, DataType::kDouble, DataType::kBfloat16};
}
inline std::vector<DataType> NumericTypes() {  // every integer, float16, float, double
  return {DataType::kUint8,  DataType::kUint16, DataType::kUint32,  DataType::kUint64,
          DataType::kInt8,   DataType::kInt16,  DataType::kInt32,   DataType::kInt64,
          DataType::kFloat16, DataType::kFloat, DataType::kDouble};
}
inline std::vector<DataType> NumericTypesBf16() {  // ... and bfloat16
  auto types = NumericTypes();
  types.push_back(DataType::kBfloat16);
  return types;
}
inline std::vector<DataType> SignedTypes() {  // signed integers, float16, float, double
  return {DataType::kInt8, DataType::kInt16, DataType::kInt32, DataType::kInt64,
          DataType::kFloat16, DataType::kFloat, DataType::kDouble};
}
inline std::vector<DataType> SignedTypesBf16() {
  auto types = SignedTypes();
  types.push_back(DataType::kBfloat16);
  return types;
}
inline std::vector<DataType> IntegerTypes() {
  return {DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64,
          DataType::kInt8,  DataType::kInt16,  DataType::kInt32,  DataType::kInt64};
}
inline std::vector<DataType> UnsignedTypes() {
  return {DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64};
}
inline std::vector<DataType> BoolTypes() { return {DataType::kBool}; }
inline std::vector<DataType> AllTypes() {  // numeric, bool, string
  auto types = NumericTypesBf16();
  types.push_back(DataType::kBool);
  types.push_back(DataType::kString);
  return types;
}

// ---- Dispatch over a set of C++ types ----

enum class TypeSet {
  kFloat,          // float, double, float16, bfloat16
  kSigned,         // kFloat + signed integers
  kNumeric,        // kFloat + all integers
  kInteger,        // all integers
  kUnsigned,       // unsigned integers
  kBool,           // bool
  kNumericOrBool,  // kNumeric + bool
  kAny,            // kNumericOrBool + string
};

template <TypeSet kSet, typename F>
Status DispatchSet(DataType type, std::string_view op, F&& f) {
  using enum DataType;
  if constexpr (kSet == TypeSet::kFloat) {
    return DispatchFloat(type, op, f);
  } else if constexpr (kSet == TypeSet::kSigned) {
    return DispatchAmong<kFloat, kDouble, kFloat16, kBfloat16, kInt8, kInt16, kInt32, kInt64>(type, op, f);
  } else if constexpr (kSet == TypeSet::kNumeric) {
    return DispatchNumeric(type, op, f);
  } else if constexpr (kSet == TypeSet::kInteger) {
    return DispatchInteger(type, op, f);
  } else if constexpr (kSet == TypeSet::kUnsigned) {
    return DispatchAmong<kUint8, kUint16, kUint32, kUint64>(type, op, f);
  } else if constexpr (kSet == TypeSet::kBool) {
    return DispatchAmong<kBool>(type, op, f);
  } else if constexpr (kSet == TypeSet::kNumericOrBool) {
    return DispatchNumericOrBool(type, op, f);
  } else {
    return DispatchAny(type, op, f);
  }
}

// ---- Integer arithmetic modulo 2^bits (signed overflow is undefined behaviour in C++) ----

template <typename T>
inline constexpr bool kIsInteger = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// An unsigned type at least as wide as T and at least as wide as unsigned int (so that no
// promotion to signed int happens in its arithmetic).
template <typename T>
using WideUnsigned = std::conditional_t<(sizeof(T) <= 4), uint32_t, uint64_t>;

template <typename T>
T WrapAdd(T a, T b) {
  using U = WideUnsigned<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename T>
T WrapSub(T a, T b) {
  using U = WideUnsigned<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <typename T>
T WrapMul(T a, T b) {
  using U = WideUnsigned<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}
template <typename T>
T WrapNeg(T a) {
  using U = WideUnsigned<T>;
  return static_cast<T>(U(0) - static_cast<U>(a));
}

// ---- Numeric conversion (Cast and every op that converts a computed double back to T) ----
//
// To bool: value != 0 (NaN is true). From bool: 0 or 1. Float to integer: truncation toward
// zero, NaN gives 0; the truncated value, if it fits int64, wraps modulo 2^bits into the target
// (as C++ integer conversion does, e.g. -1.0 -> uint8 255), else it saturates. Integers and
// doubles to float16/bfloat16 go through float (round to nearest even).
template <typename To, typename From>
To ConvertValue(From value) {
  if constexpr (std::is_same_v<To, From>) {
    return value;
  } else if constexpr (kIsHalf<From>) {
    return ConvertValue<To>(static_cast<float>(value));
  } else if constexpr (std::is_same_v<To, bool>) {
    return value != From(0);
  } else if constexpr (std::is_same_v<From, bool>) {
    return ConvertValue<To>(static_cast<uint8_t>(value ? 1 : 0));
  } else if constexpr (kIsHalf<To>) {
    return To(static_cast<float>(value));
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(value);
  } else if constexpr (std::is_integral_v<From>) {
    return static_cast<To>(value);  // integer to integer: modulo 2^bits
  } else {
    // Floating point to integer.
    if (std::isnan(value)) return To(0);
    double truncated = std::trunc(static_cast<double>(value));
    constexpr double kTwo63 = 9223372036854775808.0;
    if (truncated >= -kTwo63 && truncated < kTwo63) return static_cast<To>(static_cast<int64_t>(truncated));
    if constexpr (std::is_same_v<To, uint64_t>) {
      if (truncated >= 0 && truncated < 2 * kTwo63) return static_cast<uint64_t>(truncated);
    }
    return truncated < 0 ? std::numeric_limits<To>::lowest() : std::numeric_limits<To>::max();
  }
}

}  // namespace onnxkit::runtime::reference
