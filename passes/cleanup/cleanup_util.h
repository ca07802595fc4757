// Small helpers shared by the no-op elimination passes of the cleanup group (header-only, so the
// build lists need no entry): reading declared shapes and constant index lists, normalizing axes,
// and bypassing a node that passes its input through.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit::cleanup {

// A value's declared dims: nullopt when its rank is unknown; an entry is nullopt when that
// dimension is symbolic or unknown.
using Dims = std::vector<std::optional<int64_t>>;
inline std::optional<Dims> DeclaredDims(const Value* value) {
  if (!value || !value->rank()) return std::nullopt;
  Dims dims;
  for (const auto& dim : value->type().tensor_type().shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() >= 0) dims.emplace_back(dim.dim_value());
    else dims.emplace_back(std::nullopt);
  }
  return dims;
}

// The elements of a constant int32 or int64 tensor of rank 0 or 1; nullopt when `value` is
// absent, not a constant, or of another type or rank.
inline std::optional<std::vector<int64_t>> ConstantInts(const Value* value) {
  TensorPtr tensor = ConstantTensor(value);
  if (!tensor || tensor->rank() > 1) return std::nullopt;
  if (tensor->dtype() != DataType::kInt64 && tensor->dtype() != DataType::kInt32) return std::nullopt;
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(tensor->elementCount()));
  for (int64_t i = 0; i < tensor->elementCount(); ++i) out.push_back(tensor->ElementAsInt64(i));
  return out;
}

// `axis` in [-rank, rank) as a non-negative axis; nullopt when out of range.
inline std::optional<int64_t> NormalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

// True when outputs 1.. of `node` are absent or unused (so only output 0 matters).
inline bool OnlyFirstOutputUsed(const Node& node) {
  for (size_t i = 1; i < node.outputCount(); ++i) {
    const Value* output = node.output(i);
    if (output && (output->hasUses() || output->isGraphOutput())) return false;
  }
  return true;
}

// Same element type, dims and contents (bytes, or strings for string tensors). Metadata such as
// the tensor's name or doc_string does not count.
inline bool SameTensorContents(const Tensor& a, const Tensor& b) {
  if (&a == &b) return true;
  if (a.dtype() != b.dtype() || !std::equal(a.dims().begin(), a.dims().end(), b.dims().begin(), b.dims().end()))
    return false;
  if (a.dtype() == DataType::kString) {
    return a.strings().size() == b.strings().size() &&
           std::equal(a.strings().begin(), a.strings().end(), b.strings().begin());
  }
  return a.bytes().view() == b.bytes().view();
}

// Makes every user of the node's output 0 use `replacement` (which keeps the output's name when the
// output is a graph output) and removes the node. Returns a reason and changes nothing when that is
// impossible; "" on success.
inline std::string BypassNode(Graph& graph, Node& node, Value* replacement) {
  Value* output = node.output(0);
  if (!output || !replacement) return "its input or output is missing";
  if (!OnlyFirstOutputUsed(node)) return "another output is used";
  if (!ReplaceValue(output, replacement))
    return "its output is a graph output and its input is a graph input or output or a value of an enclosing graph";
  graph.removeNode(&node);
  return "";
}

}  // namespace onnxkit::cleanup
