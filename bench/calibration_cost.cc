// Calibration cost against plain inference on the same samples (issue 6, target 4).
//
//   build/bench/calibration_cost MODEL [SAMPLES=16]
//
// Runs SAMPLES seeded random samples through a plain Session, then through the Calibrator (which
// observes every float tensor and keeps min/max, moving averages and a histogram per tensor:
// what MinMax and the histogram methods both read), and prints the two times and their ratio.
// Both use the default thread count (the machine's physical cores).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "ir/model_io.h"
#include "passes/quant/calibration/calibrator.h"
#include "runtime/sample_data.h"
#include "runtime/session.h"

using namespace onnxkit;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Fail(const std::string& message) {
  fmt::print(stderr, "calibration_cost: {}\n", message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Fail("usage: calibration_cost MODEL [SAMPLES]");
  int samples = argc > 2 ? std::atoi(argv[2]) : 16;
  auto model = LoadModel(argv[1]);
  if (!model.ok()) return Fail(model.message());
  auto session = runtime::Session::Create(**model);
  if (!session.ok()) return Fail(session.message());
  std::vector<std::vector<runtime::NamedTensor>> feeds;
  for (int i = 0; i < samples; ++i) {
    auto sample = runtime::CompleteWithRandomInputs((*session)->inputs(), {}, {}, static_cast<uint64_t>(i));
    if (!sample.ok()) return Fail(sample.message());
    feeds.push_back(std::move(sample).value());
  }
  if (auto warm = (*session)->run(feeds[0]); !warm.ok()) return Fail(warm.message());
  auto start = std::chrono::steady_clock::now();
  for (const auto& feed : feeds)
    if (auto run = (*session)->run(feed); !run.ok()) return Fail(run.message());
  double inference = Seconds(start);

  auto calibrator = quant::Calibrator::Create(**model);
  if (!calibrator.ok()) return Fail(calibrator.message());
  if (Status warm = (*calibrator)->addSample(feeds[0]); !warm.ok()) return Fail(warm.message());
  start = std::chrono::steady_clock::now();
  for (const auto& feed : feeds)
    if (Status added = (*calibrator)->addSample(feed); !added.ok()) return Fail(added.message());
  double calibration = Seconds(start);
  fmt::print("{} samples: inference {:.3f} s, calibration {:.3f} s, calibration / inference {:.2f}\n", samples,
             inference, calibration, calibration / inference);
  return 0;
}
