// Small helpers shared by the fusion passes: reading constant parameters and building new weights.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
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

// ----- Added for the fuse-A passes -----

// The elements of an int32 or int64 tensor as int64 (nullopt for any other type).
std::optional<std::vector<int64_t>> ReadInts(const TensorPtr& tensor);

// A 1-D int64 tensor.
TensorPtr MakeInt64Vector(std::span<const int64_t> values);

// A float, double, float16 or bfloat16 tensor of these values (rounded once from double);
// nullptr for any other type.
TensorPtr MakeFloatTensor(DataType type, std::vector<int64_t> dims, std::span<const double> values);

// `weight` with element i multiplied by factor_of(i), computed in double and rounded once to the
// weight's type (float or double weights only).
TensorPtr ScaleElements(const Tensor& weight, const std::function<double(int64_t)>& factor_of);

// True when every element of a float/double/float16/bfloat16 tensor is finite.
bool AllFinite(const Tensor& tensor);

// Axes made non-negative with `rank` (needed only when some axis is negative) and checked to lie
// in [0, rank) when the rank is known; nullopt when an axis is negative without a known rank,
// out of range, or repeated.
std::optional<std::vector<int64_t>> NormalizeAxes(std::span<const int64_t> axes, std::optional<int64_t> rank);

// The rank of a value when known: from its constant tensor or its declared tensor type.
std::optional<int64_t> KnownRank(const Value* value);

// The dims of a value when all are known: from its constant tensor or its declared type.
std::optional<std::vector<int64_t>> KnownShape(const Value* value);

// Dim `axis` (>= 0) of a value when known: from its constant tensor or its declared type.
std::optional<int64_t> KnownDim(const Value* value, int64_t axis);

// The element type of a value: its constant tensor's, or its declared type's (kUndefined when
// not known).
DataType KnownElemType(const Value* value);

// A BatchNormalization node that normalizes with its mean/var inputs (inference), at `opset`:
// exactly one output is produced (extra outputs, even unused, mean training mode for opsets
// 7..13 and are invalid with training_mode = 0 from 14 on), training_mode absent or 0 (>= 14),
// is_test = 1 (< 7: is_test = 0 normalizes with batch statistics), spatial = 1 (<= 8).
bool IsInferenceBatchNorm(const Node& bn, int64_t opset);

// The per-output-channel values of a constant `c` that an elementwise op broadcasts into a tensor
// of rank `rank` with `channels` channels on axis 1 ([N, M, d1, ...], as a Conv produces) without
// changing that tensor's shape: c has rank <= `rank`, and after right-aligning its dims every dim
// is 1 except the one on the channel axis, which is 1 or `channels`. Returns one value per channel
// (as doubles; float or double tensors only), nullopt when c does not have that form.
std::optional<std::vector<double>> PerChannelValues(const Tensor& c, int64_t rank, int64_t channels);

// The `axes` of a node that takes them as an attribute (from_input false) or as the constant
// input `input_index` (from_input true), as Squeeze, Unsqueeze and the reductions do at different
// opsets. The inner nullopt: no axes given; the outer nullopt: the input is not a constant
// int32/int64 tensor.
std::optional<std::optional<std::vector<int64_t>>> ReadAxesArgument(const Node& node, bool from_input,
                                                                   size_t input_index);

// Gives `node` these axes: the attribute `axes`, or a new int64 initializer (named from
// `name_hint`) as input `input_index`.
void SetAxesArgument(Node& node, bool from_input, size_t input_index, std::span<const int64_t> axes,
                     std::string_view name_hint);

// Replaces `old_value` by `new_value` (ReplaceValue: users, graph output position and name), and
// when `new_value` has no declared type gives it old_value's (the caller guarantees they have the
// same type and shape). Returns false, changing nothing, when ReplaceValue would fail.
bool ReplaceFusedValue(Value* old_value, Value* new_value);

}  // namespace onnxkit
