// Just enough of the protobuf wire format to walk ONNX messages without parsing them, so that
// the large raw_data fields of tensors can be cut out on load (kept as slices of the memory-mapped
// file) and spliced back on save (streamed from wherever they live). See ir/model_io.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ir/status.h"

namespace onnxkit::wire {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

struct Field {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t varint = 0;        // kVarint
  std::string_view payload;   // kLengthDelimited: the bytes after the length
  std::string_view encoded;   // the whole field: tag, length and payload
};

// Iterates the fields of one serialized message; every read is bounds-checked.
class FieldReader {
 public:
  explicit FieldReader(std::string_view message) : rest_(message) {}
  // False at the end or on malformed input (then status() says why).
  bool next(Field& field);
  const Status& status() const { return status_; }

 private:
  std::string_view rest_;
  Status status_;
};

size_t VarintSize(uint64_t value);
void AppendVarint(std::string& out, uint64_t value);
inline uint64_t Tag(uint32_t number, WireType type) {
  return (static_cast<uint64_t>(number) << 3) | static_cast<uint64_t>(type);
}

// The ONNX message types the raw-data walk descends into, and which field holds which.
enum class Message { kNone, kModel, kGraph, kNode, kAttribute, kTensor };
Message ChildMessage(Message parent, uint32_t field_number);
constexpr uint32_t kTensorRawDataField = 9;

// A field number no ONNX message uses, holding a varint index into a side table of raw data.
// It stands in for a tensor's raw_data inside protobuf messages while the bytes live elsewhere.
constexpr uint32_t kRawDataPlaceholderField = 536870000;

}  // namespace onnxkit::wire
