#include "tests/quant/quant_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace onnxkit::quant {

std::map<std::string, int> OpCounts(const Model& model) {
  std::map<std::string, int> counts;
  for (const Node* node : model.graph().nodes()) ++counts[node->opType()];
  return counts;
}

runtime::Tensor Uniform(runtime::Shape shape, float lo, float hi, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> values(static_cast<size_t>(n));
  for (float& v : values) v = dist(random);
  return runtime::Tensor::FromVector(DataType::kFloat, std::move(shape), values);
}

std::vector<runtime::Tensor> RunModel(const Model& model, const std::vector<runtime::NamedTensor>& feeds,
                                      runtime::NodeObserver observer) {
  auto session = runtime::Session::Create(model);
  EXPECT_TRUE(session.ok()) << session.message();
  if (!session.ok()) return {};
  auto outputs = (*session)->run(feeds, runtime::RunOptions{std::move(observer)});
  EXPECT_TRUE(outputs.ok()) << outputs.message();
  return outputs.ok() ? std::move(outputs).value() : std::vector<runtime::Tensor>{};
}

RangeTable CollectRanges(const Model& model, const std::vector<std::vector<runtime::NamedTensor>>& feed_sets) {
  RangeTable table;
  auto merge = [&](const std::string& name, const runtime::Tensor& t) {
    if (t.dtype() != DataType::kFloat || t.elementCount() == 0) return;
    const float* data = t.data<float>();
    auto [it, inserted] = table.try_emplace(name, TensorRange{data[0], data[0]});
    for (int64_t i = 0; i < t.elementCount(); ++i) {
      it->second.min = std::min<double>(it->second.min, data[i]);
      it->second.max = std::max<double>(it->second.max, data[i]);
    }
  };
  for (const auto& feeds : feed_sets) {
    for (const auto& [name, tensor] : feeds) merge(name, tensor);
    RunModel(model, feeds, [&](const Node& node, std::span<const runtime::Tensor> outputs) {
      for (size_t i = 0; i < outputs.size(); ++i)
        if (node.output(i) && outputs[i].defined()) merge(node.output(i)->name(), outputs[i]);
    });
  }
  return table;
}

}  // namespace onnxkit::quant
