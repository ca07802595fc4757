// Small helpers shared by the fusion passes: reading constant parameters and building new weights.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "ir/graph.h"
#include "ir/tensor.h"

namespace onnxkit {

// True when every use of `value` is by `node` (and it is not a graph output).
bool UsedOnlyBy(const Value* value, const Node& node);

bool IsFloatOrDouble(const Tensor& tensor);

// The tensor's elements as doubles when it is a float/double tensor with exactly `count`
// elements (count < 0: any number); nullopt otherwise.
std::optional<std::vector<double>> ReadDoubles(const TensorPtr& tensor, int64_t count = -1);

// A 1-D float or double tensor of these values.
TensorPtr MakeVector(DataType type, std::span<const double> values);

// `weight` (dims [M, ...]) with every element of output channel m multiplied by factor[m],
// computed in double and rounded to the weight's type.
TensorPtr ScalePerOutputChannel(const Tensor& weight, std::span<const double> factor);

}  // namespace onnxkit
