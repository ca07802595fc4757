#include "ir/raw_data_splice.h"

#include "ir/wire_format.h"

namespace onnxkit {
namespace {

using wire::Field;
using wire::FieldReader;
using wire::Message;
using wire::WireType;

constexpr int kMaximumNesting = 64;

Status NestingError() { return Status::Error("model nests subgraphs more than {} deep", kMaximumNesting); }

Result<std::string> Cut(std::string_view message, Message kind, const SharedBytes& file,
                        std::vector<SharedBytes>& slices, int depth) {
  if (depth > kMaximumNesting) return NestingError();
  std::string out;
  out.reserve(message.size() < 4096 ? message.size() : 4096);
  FieldReader reader(message);
  Field field;
  while (reader.next(field)) {
    bool length_delimited = field.type == WireType::kLengthDelimited;
    if (kind == Message::kTensor && field.number == wire::kTensorRawDataField && length_delimited &&
        field.payload.size() >= kMinimumCutRawDataBytes) {
      size_t offset = static_cast<size_t>(reinterpret_cast<const std::byte*>(field.payload.data()) - file.data());
      wire::AppendVarint(out, wire::Tag(wire::kRawDataPlaceholderField, WireType::kVarint));
      wire::AppendVarint(out, slices.size());
      slices.push_back(file.Slice(offset, field.payload.size()));
      continue;
    }
    Message child = wire::ChildMessage(kind, field.number);
    if (child != Message::kNone && length_delimited) {
      auto inner = Cut(field.payload, child, file, slices, depth + 1);
      if (!inner.ok()) return inner.status();
      wire::AppendVarint(out, wire::Tag(field.number, WireType::kLengthDelimited));
      wire::AppendVarint(out, inner->size());
      out += *inner;
      continue;
    }
    out.append(field.encoded);
  }
  if (!reader.status().ok()) return reader.status();
  return out;
}

// The placeholder's slice index in a tensor message, or -1.
Result<int64_t> PlaceholderIndex(std::string_view tensor, size_t slice_count) {
  FieldReader reader(tensor);
  Field field;
  while (reader.next(field)) {
    if (field.number == wire::kRawDataPlaceholderField && field.type == WireType::kVarint) {
      if (field.varint >= slice_count) return Status::Error("raw data placeholder {} out of range", field.varint);
      return static_cast<int64_t>(field.varint);
    }
  }
  if (!reader.status().ok()) return reader.status();
  return int64_t{-1};
}

uint64_t RawDataFieldSize(uint64_t bytes) {
  return wire::VarintSize(wire::Tag(wire::kTensorRawDataField, WireType::kLengthDelimited)) +
         wire::VarintSize(bytes) + bytes;
}

Result<uint64_t> Size(std::string_view message, Message kind, std::span<const SharedBytes> slices, int depth) {
  if (depth > kMaximumNesting) return NestingError();
  uint64_t size = 0;
  FieldReader reader(message);
  Field field;
  while (reader.next(field)) {
    if (kind == Message::kTensor && field.number == wire::kRawDataPlaceholderField &&
        field.type == WireType::kVarint) {
      if (field.varint >= slices.size()) return Status::Error("raw data placeholder {} out of range", field.varint);
      size += RawDataFieldSize(slices[field.varint].size());
      continue;
    }
    Message child = wire::ChildMessage(kind, field.number);
    if (child != Message::kNone && field.type == WireType::kLengthDelimited) {
      auto inner = Size(field.payload, child, slices, depth + 1);
      if (!inner.ok()) return inner;
      size += wire::VarintSize(wire::Tag(field.number, WireType::kLengthDelimited)) + wire::VarintSize(*inner) + *inner;
      continue;
    }
    size += field.encoded.size();
  }
  if (!reader.status().ok()) return reader.status();
  return size;
}

Status WriteVarint(ByteSink& sink, uint64_t value) {
  std::string bytes;
  wire::AppendVarint(bytes, value);
  return sink.write(bytes.data(), bytes.size());
}

Status Write(std::string_view message, Message kind, std::span<const SharedBytes> slices, ByteSink& sink,
             int depth) {
  if (depth > kMaximumNesting) return NestingError();
  int64_t placeholder = -1;
  bool raw_data_written = true;
  if (kind == Message::kTensor) {
    auto index = PlaceholderIndex(message, slices.size());
    if (!index.ok()) return index.status();
    placeholder = *index;
    raw_data_written = placeholder < 0;
  }
  auto write_raw_data = [&]() -> Status {
    const SharedBytes& bytes = slices[static_cast<size_t>(placeholder)];
    ONNXKIT_RETURN_IF_ERROR(WriteVarint(sink, wire::Tag(wire::kTensorRawDataField, WireType::kLengthDelimited)));
    ONNXKIT_RETURN_IF_ERROR(WriteVarint(sink, bytes.size()));
    raw_data_written = true;
    return sink.write(bytes.data(), bytes.size());
  };

  FieldReader reader(message);
  Field field;
  while (reader.next(field)) {
    // raw_data goes where protobuf puts field 9: before the first field with a higher number.
    if (!raw_data_written && field.number > wire::kTensorRawDataField) ONNXKIT_RETURN_IF_ERROR(write_raw_data());
    if (kind == Message::kTensor && field.number == wire::kRawDataPlaceholderField) continue;
    Message child = wire::ChildMessage(kind, field.number);
    if (child != Message::kNone && field.type == WireType::kLengthDelimited) {
      auto inner_size = Size(field.payload, child, slices, depth + 1);
      if (!inner_size.ok()) return inner_size.status();
      ONNXKIT_RETURN_IF_ERROR(WriteVarint(sink, wire::Tag(field.number, WireType::kLengthDelimited)));
      ONNXKIT_RETURN_IF_ERROR(WriteVarint(sink, *inner_size));
      ONNXKIT_RETURN_IF_ERROR(Write(field.payload, child, slices, sink, depth + 1));
      continue;
    }
    ONNXKIT_RETURN_IF_ERROR(sink.write(field.encoded.data(), field.encoded.size()));
  }
  if (!reader.status().ok()) return reader.status();
  if (!raw_data_written) ONNXKIT_RETURN_IF_ERROR(write_raw_data());
  return Status::Ok();
}

}  // namespace

Result<std::string> CutRawData(const SharedBytes& file, std::vector<SharedBytes>& slices) {
  return Cut(file.view(), Message::kModel, file, slices, 0);
}

Result<uint64_t> SplicedSize(std::string_view skeleton, std::span<const SharedBytes> slices) {
  return Size(skeleton, Message::kModel, slices, 0);
}

Status WriteSpliced(std::string_view skeleton, std::span<const SharedBytes> slices, ByteSink& sink) {
  return Write(skeleton, Message::kModel, slices, sink, 0);
}

}  // namespace onnxkit
