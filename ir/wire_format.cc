#include "ir/wire_format.h"

namespace onnxkit::wire {
namespace {

bool ReadVarint(std::string_view& bytes, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (bytes.empty()) return false;
    uint8_t byte = static_cast<uint8_t>(bytes.front());
    bytes.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;  // more than 10 bytes
}

}  // namespace

bool FieldReader::next(Field& field) {
  if (rest_.empty() || !status_.ok()) return false;
  const char* start = rest_.data();
  uint64_t tag;
  if (!ReadVarint(rest_, tag)) {
    status_ = Status::Error("truncated or corrupt protobuf data (bad field tag)");
    return false;
  }
  uint64_t number = tag >> 3;
  if (number == 0 || number > 536870911) {
    status_ = Status::Error("corrupt protobuf data (field number {})", number);
    return false;
  }
  field.number = static_cast<uint32_t>(number);
  switch (tag & 7) {
    case 0:
      field.type = WireType::kVarint;
      if (!ReadVarint(rest_, field.varint)) {
        status_ = Status::Error("truncated or corrupt protobuf data (bad varint)");
        return false;
      }
      break;
    case 1:
    case 5: {
      size_t size = (tag & 7) == 1 ? 8 : 4;
      field.type = (tag & 7) == 1 ? WireType::kFixed64 : WireType::kFixed32;
      if (rest_.size() < size) {
        status_ = Status::Error("truncated protobuf data");
        return false;
      }
      rest_.remove_prefix(size);
      break;
    }
    case 2: {
      field.type = WireType::kLengthDelimited;
      uint64_t length;
      if (!ReadVarint(rest_, length) || length > rest_.size()) {
        status_ = Status::Error("truncated or corrupt protobuf data (length beyond the end)");
        return false;
      }
      field.payload = rest_.substr(0, static_cast<size_t>(length));
      rest_.remove_prefix(static_cast<size_t>(length));
      break;
    }
    default:
      status_ = Status::Error("corrupt protobuf data (wire type {})", tag & 7);
      return false;
  }
  field.encoded = std::string_view(start, static_cast<size_t>(rest_.data() - start));
  return true;
}

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

Message ChildMessage(Message parent, uint32_t field_number) {
  switch (parent) {
    case Message::kModel:
      return field_number == 7 ? Message::kGraph : Message::kNone;  // graph
    case Message::kGraph:
      if (field_number == 1) return Message::kNode;    // node
      if (field_number == 5) return Message::kTensor;  // initializer
      return Message::kNone;
    case Message::kNode:
      return field_number == 5 ? Message::kAttribute : Message::kNone;  // attribute
    case Message::kAttribute:
      if (field_number == 5 || field_number == 10) return Message::kTensor;  // t, tensors
      if (field_number == 6 || field_number == 11) return Message::kGraph;   // g, graphs
      return Message::kNone;
    default:
      return Message::kNone;
  }
}

}  // namespace onnxkit::wire
