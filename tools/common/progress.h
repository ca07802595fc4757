// A one-line progress bar on stderr ("calibrating 37/100  12.3 samples/s  ETA 5s"), drawn only
// when stderr is a terminal and CI is not set: never in CI logs or pipes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace onnxkit::tools {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();  // ends the line if one was drawn
  // `total` 0 when unknown. Redraws at most 10 times a second.
  void update(uint64_t done, uint64_t total);
  static bool Enabled();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace onnxkit::tools
