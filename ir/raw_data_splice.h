// Keeps tensor bytes out of protobuf messages. On load, large raw_data fields are cut out of the
// serialized model and replaced by placeholders (wire::kRawDataPlaceholderField holding an index);
// the bytes stay where they are, as slices of the mapped file. On save, the model is serialized
// with placeholders and the splice writer streams it out with each placeholder replaced by the
// real raw_data field, in the position protobuf itself would have written it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/shared_bytes.h"
#include "ir/status.h"

namespace onnxkit {

// Raw data smaller than this stays inline in the protobuf message.
constexpr size_t kMinimumCutRawDataBytes = 256;

// `file` holds a serialized ModelProto. Returns it with large raw_data fields replaced by
// placeholders; `slices` receives the cut bytes, indexed by the placeholders.
Result<std::string> CutRawData(const SharedBytes& file, std::vector<SharedBytes>& slices);

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(const void* data, size_t size) = 0;
};

class StringSink : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  Status write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
    return Status::Ok();
  }

 private:
  std::string& out_;
};

// Size of the model once placeholders in `skeleton` (a serialized ModelProto) are replaced.
Result<uint64_t> SplicedSize(std::string_view skeleton, std::span<const SharedBytes> slices);
// Writes the model with placeholders replaced by the slices' bytes.
Status WriteSpliced(std::string_view skeleton, std::span<const SharedBytes> slices, ByteSink& sink);

}  // namespace onnxkit
