// Calibration samples from a folder, read one at a time so that a calibration run never holds
// more than one sample in memory, whatever the size of the data set.
//
// DIR holds one sample per entry (entries in name order):
//   - a subfolder: NAME.npy per input, or input_<i>.pb (the ONNX test-data layout, read by
//     runtime::ReadSampleFolder);
//   - NAME.npz: the sample's inputs keyed by input name;
//   - NAME.npy (models with one input to feed): one sample, or several when its leading dim N is
//     larger than the declared batch dim B (B fixed, or 1 when symbolic): N / B samples, split
//     along axis 0 and read slice by slice from the mapped file. An array without the batch dim
//     (rank one less than declared) is one sample of batch 1.
// DIR itself is one sample when it holds input_<i>.pb files. Other files are ignored.
// Every sample is checked against the model's inputs; errors name the file (or folder) and say
// what is wrong: unknown input name, wrong shape, wrong element type, missing input, unreadable file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ir/status.h"
#include "runtime/session.h"

namespace onnxkit::quant {

struct CalibrationDataOptions {
  uint64_t max_samples = 0;  // 0: all samples
};

class CalibrationData {
 public:
  // Lists the entries and counts the samples (reading only .npy headers); errors for an empty or
  // missing folder and for unreadable .npy headers.
  static Result<CalibrationData> Open(const std::filesystem::path& folder, std::vector<runtime::ValueSpec> inputs,
                                      CalibrationDataOptions options = {});

  // Samples that forEach() will visit (max_samples applied).
  uint64_t sampleCount() const { return sample_count_; }

  // `source` names the file or folder the sample came from (with "[i]" for a slice of a batch).
  using SampleVisitor =
      std::function<Status(const std::vector<runtime::NamedTensor>& sample, const std::string& source)>;
  // Reads, checks and visits each sample in turn; stops at the first error (reading or visiting).
  Status forEach(const SampleVisitor& visit) const;

  enum class EntryKind { kFolder, kNpz, kNpy };
  struct Entry {
    std::filesystem::path path;
    EntryKind kind;
    uint64_t samples = 1;
  };

 private:
  std::filesystem::path folder_;
  std::vector<runtime::ValueSpec> inputs_;
  std::vector<Entry> entries_;
  uint64_t sample_count_ = 0;
};

// Checks a fed tensor against the model's inputs: known name, element type, rank and fixed dims.
// `source` (a file) starts the message.
Status CheckFeed(const std::vector<runtime::ValueSpec>& inputs, const std::string& name, const runtime::Tensor& tensor,
                 const std::string& source);

}  // namespace onnxkit::quant
