// 16-bit floating-point element types as used by kernels: storage is the bit pattern, arithmetic
// goes through float (the reference kernels compute half-precision ops in float and round once).
#pragma once

#include <cstdint>
#include <type_traits>

#include "ir/tensor.h"

namespace onnxkit::runtime {

struct Float16 {
  uint16_t bits = 0;
  Float16() = default;
  explicit Float16(float value) : bits(FloatToHalf(value)) {}
  explicit operator float() const { return HalfToFloat(bits); }
};

struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  explicit BFloat16(float value) : bits(FloatToBfloat(value)) {}
  explicit operator float() const { return BfloatToFloat(bits); }
};

template <typename T>
inline constexpr bool kIsHalf = std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>;

// The type arithmetic on T is done in: float for the 16-bit floats, T otherwise.
template <typename T>
using ComputeType = std::conditional_t<kIsHalf<T>, float, T>;

template <typename T>
inline ComputeType<T> ToCompute(T value) {
  if constexpr (kIsHalf<T>) return static_cast<float>(value);
  else return value;
}

template <typename T>
inline T FromCompute(ComputeType<T> value) {
  if constexpr (kIsHalf<T>) return T(value);
  else return static_cast<T>(value);
}

}  // namespace onnxkit::runtime
