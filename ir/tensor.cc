#include "ir/tensor.h"

#include <bit>
#include <cmath>
#include <limits>

namespace onnxkit {
namespace {

// Typed fields in the order and element type ONNX documents for each data type.
template <typename Field, typename Stored>
SharedBytes PackTypedField(const Field& field, size_t element_size) {
  // Each stored value becomes element_size little-endian bytes (narrowing for int8/16 and the
  // float16/bfloat16 bit patterns held in int32_data).
  std::vector<std::byte> bytes(static_cast<size_t>(field.size()) * element_size);
  for (int i = 0; i < field.size(); ++i) {
    Stored value = field.Get(i);
    std::memcpy(bytes.data() + static_cast<size_t>(i) * element_size, &value, element_size);
  }
  return SharedBytes::FromVector(std::move(bytes));
}

bool HasTypedData(const onnx::TensorProto& p) {
  return p.float_data_size() || p.int32_data_size() || p.int64_data_size() || p.double_data_size() ||
         p.uint64_data_size();
}

// Decodes the typed field that ONNX assigns to `type` into raw bytes.
Result<SharedBytes> DecodeTypedFields(const onnx::TensorProto& p, DataType type) {
  size_t element_size = ElementSize(type);
  switch (type) {
    case DataType::kFloat:
    case DataType::kComplex64:
      return PackTypedField<decltype(p.float_data()), float>(p.float_data(), 4);
    case DataType::kDouble:
    case DataType::kComplex128:
      return PackTypedField<decltype(p.double_data()), double>(p.double_data(), 8);
    case DataType::kInt64:
      return PackTypedField<decltype(p.int64_data()), int64_t>(p.int64_data(), 8);
    case DataType::kUint32:
    case DataType::kUint64:
      return PackTypedField<decltype(p.uint64_data()), uint64_t>(p.uint64_data(), element_size);
    case DataType::kInt32:
    case DataType::kInt16:
    case DataType::kInt8:
    case DataType::kUint16:
    case DataType::kUint8:
    case DataType::kBool:
    case DataType::kFloat16:
    case DataType::kBfloat16:
      return PackTypedField<decltype(p.int32_data()), int32_t>(p.int32_data(), element_size);
    default:
      return Status::Error("tensor '{}': data type {} cannot be stored in typed fields", p.name(),
                           static_cast<int>(type));
  }
}

}  // namespace

Result<int64_t> CheckedElementCount(std::span<const int64_t> dims) {
  int64_t count = 1;
  for (int64_t dim : dims) {
    if (dim < 0) return Status::Error("negative dimension {}", dim);
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim)
      return Status::Error("dimension product overflows int64");
    count *= dim;
  }
  return count;
}

Result<TensorPtr> Tensor::Finish(std::unique_ptr<Tensor> tensor) {
  const onnx::TensorProto& meta = tensor->metadata_;
  std::string name = meta.name().empty() ? std::string("<unnamed>") : meta.name();
  auto count = CheckedElementCount(tensor->dims());
  if (!count.ok()) return Status::Error("tensor '{}': {}", name, count.message());
  tensor->element_count_ = *count;

  DataType type = tensor->dtype();
  if (type == DataType::kString) {
    if (meta.string_data_size() != *count)
      return Status::Error("tensor '{}': {} strings for {} elements", name, meta.string_data_size(), *count);
    return TensorPtr(std::move(tensor));
  }
  size_t element_size = ElementSize(type);
  if (element_size == 0) {
    // A data type this build does not know (from a newer ONNX): carried through unchecked.
    return TensorPtr(std::move(tensor));
  }
  // Compare in unsigned 128-bit-safe form: count * element_size may exceed size_t for hostile dims.
  uint64_t needed = static_cast<uint64_t>(*count);
  if (needed > std::numeric_limits<uint64_t>::max() / element_size)
    return Status::Error("tensor '{}': byte size overflows", name);
  needed *= element_size;
  if (tensor->bytes_.size() != needed)
    return Status::Error("tensor '{}': has {} bytes of data but dims and type {} need {}", name,
                         tensor->bytes_.size(), DataTypeName(type), needed);
  return TensorPtr(std::move(tensor));
}

Result<TensorPtr> Tensor::FromProto(onnx::TensorProto proto) {
  auto tensor = std::unique_ptr<Tensor>(new Tensor());
  DataType type = static_cast<DataType>(proto.data_type());
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return Status::Error("tensor '{}': data is stored externally and was not resolved", proto.name());
  if (proto.has_raw_data()) {
    tensor->bytes_ = SharedBytes::FromString(std::move(*proto.mutable_raw_data()));
    proto.clear_raw_data();
  } else if (HasTypedData(proto)) {
    auto bytes = DecodeTypedFields(proto, type);
    if (!bytes.ok()) return bytes.status();
    tensor->bytes_ = std::move(bytes).value();
    tensor->uses_typed_fields_ = true;
    tensor->has_raw_data_field_ = false;
  } else {
    tensor->has_raw_data_field_ = false;  // no data at all: valid only for zero elements
  }
  tensor->metadata_ = std::move(proto);
  return Finish(std::move(tensor));
}

Result<TensorPtr> Tensor::FromProtoAndBytes(onnx::TensorProto metadata, SharedBytes bytes) {
  auto tensor = std::unique_ptr<Tensor>(new Tensor());
  metadata.clear_raw_data();
  tensor->has_raw_data_field_ = metadata.data_location() != onnx::TensorProto::EXTERNAL;
  tensor->metadata_ = std::move(metadata);
  tensor->bytes_ = std::move(bytes);
  return Finish(std::move(tensor));
}

TensorPtr Tensor::Create(DataType type, std::vector<int64_t> dims, SharedBytes bytes) {
  onnx::TensorProto metadata;
  metadata.set_data_type(static_cast<int32_t>(type));
  for (int64_t d : dims) metadata.add_dims(d);
  auto result = FromProtoAndBytes(std::move(metadata), std::move(bytes));
  ONNXKIT_CHECK(result.ok(), "Tensor::Create: {}", result.message());
  return std::move(result).value();
}

TensorPtr Tensor::FromStrings(std::vector<int64_t> dims, const std::vector<std::string>& values) {
  onnx::TensorProto metadata;
  metadata.set_data_type(static_cast<int32_t>(DataType::kString));
  for (int64_t d : dims) metadata.add_dims(d);
  for (const auto& v : values) metadata.add_string_data(v);
  auto result = FromProto(std::move(metadata));
  ONNXKIT_CHECK(result.ok(), "Tensor::FromStrings: {}", result.message());
  return std::move(result).value();
}

namespace {
template <typename T>
T LoadAt(const std::byte* base, int64_t index) {
  T value;
  std::memcpy(&value, base + static_cast<size_t>(index) * sizeof(T), sizeof(T));
  return value;
}
}  // namespace

double Tensor::ElementAsDouble(int64_t index) const {
  ONNXKIT_CHECK(index >= 0 && index < element_count_, "element index {} out of range", index);
  const std::byte* p = bytes_.data();
  switch (dtype()) {
    case DataType::kFloat: return LoadAt<float>(p, index);
    case DataType::kDouble: return LoadAt<double>(p, index);
    case DataType::kFloat16: return HalfToFloat(LoadAt<uint16_t>(p, index));
    case DataType::kBfloat16: return BfloatToFloat(LoadAt<uint16_t>(p, index));
    case DataType::kInt8: return LoadAt<int8_t>(p, index);
    case DataType::kUint8: return LoadAt<uint8_t>(p, index);
    case DataType::kBool: return LoadAt<uint8_t>(p, index) != 0;
    case DataType::kInt16: return LoadAt<int16_t>(p, index);
    case DataType::kUint16: return LoadAt<uint16_t>(p, index);
    case DataType::kInt32: return LoadAt<int32_t>(p, index);
    case DataType::kUint32: return LoadAt<uint32_t>(p, index);
    case DataType::kInt64: return static_cast<double>(LoadAt<int64_t>(p, index));
    case DataType::kUint64: return static_cast<double>(LoadAt<uint64_t>(p, index));
    default: break;
  }
  ONNXKIT_CHECK(false, "ElementAsDouble on a {} tensor", DataTypeName(dtype()));
  return 0;
}

int64_t Tensor::ElementAsInt64(int64_t index) const {
  ONNXKIT_CHECK(index >= 0 && index < element_count_, "element index {} out of range", index);
  const std::byte* p = bytes_.data();
  switch (dtype()) {
    case DataType::kInt8: return LoadAt<int8_t>(p, index);
    case DataType::kUint8: return LoadAt<uint8_t>(p, index);
    case DataType::kBool: return LoadAt<uint8_t>(p, index) != 0;
    case DataType::kInt16: return LoadAt<int16_t>(p, index);
    case DataType::kUint16: return LoadAt<uint16_t>(p, index);
    case DataType::kInt32: return LoadAt<int32_t>(p, index);
    case DataType::kUint32: return LoadAt<uint32_t>(p, index);
    case DataType::kInt64: return LoadAt<int64_t>(p, index);
    case DataType::kUint64: return static_cast<int64_t>(LoadAt<uint64_t>(p, index));
    default: {
      double value = ElementAsDouble(index);  // saturating truncation; NaN gives 0
      if (std::isnan(value)) return 0;
      if (value >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
      if (value <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
      return static_cast<int64_t>(value);
    }
  }
}

float HalfToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  uint32_t exponent = (bits >> 10) & 0x1Fu;
  uint32_t mantissa = bits & 0x3FFu;
  uint32_t out;
  if (exponent == 0) {
    if (mantissa == 0) {
      out = sign;
    } else {  // subnormal: normalize
      exponent = 127 - 15 + 1;
      while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        --exponent;
      }
      mantissa &= 0x3FFu;
      out = sign | (exponent << 23) | (mantissa << 13);
    }
  } else if (exponent == 0x1F) {
    out = sign | 0x7F800000u | (mantissa << 13);  // inf or nan
  } else {
    out = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(out);
}

uint16_t FloatToHalf(float value) {
  // Round to nearest even, with overflow to infinity and gradual underflow.
  uint32_t bits = std::bit_cast<uint32_t>(value);
  uint32_t sign = (bits >> 16) & 0x8000u;
  uint32_t abs = bits & 0x7FFFFFFFu;
  if (abs >= 0x7F800000u) {  // inf or nan
    return static_cast<uint16_t>(sign | 0x7C00u | (abs > 0x7F800000u ? 0x200u : 0u));
  }
  if (abs >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // rounds to >= 65520
  if (abs < 0x38800000u) {  // below the smallest normal half: subnormal or zero
    if (abs < 0x33000000u) return static_cast<uint16_t>(sign);  // < half of smallest subnormal
    // value = mantissa * 2^(exponent - 150); in units of the smallest subnormal (2^-24) that is
    // mantissa >> (126 - exponent), a shift of 14..24 here, rounded to nearest even.
    uint32_t exponent = abs >> 23;
    uint32_t mantissa = (abs & 0x7FFFFFu) | 0x800000u;
    uint32_t shift = 126 - exponent;
    uint32_t half_mantissa = mantissa >> shift;
    uint32_t remainder = mantissa & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (half_mantissa & 1u))) ++half_mantissa;
    return static_cast<uint16_t>(sign | half_mantissa);
  }
  uint32_t rounded = abs + 0xFFFu + ((abs >> 13) & 1u);  // round to nearest even at bit 13
  return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
}

float BfloatToFloat(uint16_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

uint16_t FloatToBfloat(float value) {
  uint32_t bits = std::bit_cast<uint32_t>(value);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);  // quiet nan
  uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

}  // namespace onnxkit
