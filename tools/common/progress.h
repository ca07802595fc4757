// A one-line progress bar on stderr ("calibrating 37/100  12.3 samples/s  ETA 5s"), drawn only
// when stderr is a terminal and CI is not set: never in CI logs or pipes, and never under a
// tool's --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace onnxkit::tools {

class ProgressBar {
 public:
  enum class Unit { kCount, kBytes };  // kBytes: "12.0 MiB/416.0 MiB", rates in MiB/s

  explicit ProgressBar(std::string label, Unit unit = Unit::kCount);
  ~ProgressBar();  // ends the line if one was drawn
  // `total` 0 when unknown. Redraws at most 10 times a second.
  void update(uint64_t done, uint64_t total);
  static bool Enabled();
  // No bar is drawn while suppressed (set by --quiet).
  static void Suppress(bool suppressed);

 private:
  std::string amount(uint64_t value) const;

  std::string label_;
  Unit unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace onnxkit::tools
