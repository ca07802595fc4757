// Helpers shared by the quantization tests: op counts, seeded random inputs, running a model on
// the bundled runtime, and min/max ranges of every float tensor (a stand-in for calibration).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/model.h"
#include "passes/quant/ranges.h"
#include "runtime/session.h"

namespace onnxkit::quant {

// Nodes per op type in the main graph.
std::map<std::string, int> OpCounts(const Model& model);

// A float tensor of values uniform in [lo, hi), seeded.
runtime::Tensor Uniform(runtime::Shape shape, float lo, float hi, uint64_t seed);

// The model's outputs on the bundled runtime (failures reported through gtest; empty then).
std::vector<runtime::Tensor> RunModel(const Model& model, const std::vector<runtime::NamedTensor>& feeds,
                                      runtime::NodeObserver observer = {});

// Min/max of every float tensor (graph inputs and node outputs) over the feed sets.
RangeTable CollectRanges(const Model& model, const std::vector<std::vector<runtime::NamedTensor>>& feed_sets);
inline RangeTable CollectRanges(const Model& model, const std::vector<runtime::NamedTensor>& feeds) {
  return CollectRanges(model, std::vector<std::vector<runtime::NamedTensor>>{feeds});
}

}  // namespace onnxkit::quant
