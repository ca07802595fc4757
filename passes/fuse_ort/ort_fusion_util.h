// Small helpers shared by the fuse-ort passes (fusions into ONNX Runtime's contrib ops): matching
// single-use chains inside one graph, reading one-element constants, comparing shapes, and
// replacing a pattern's result by the fused node's output while keeping its type.
//
// Header-only so that the fuse-ort passes can share it without a library of their own.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ir/model.h"
#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit::ort_fusion {

// ONNX Runtime's contrib domain. Every contrib op the passes emit is version 1 of that domain.
inline constexpr std::string_view kMicrosoftDomain = "com.microsoft";

// The model either does not import com.microsoft yet or imports version 1 (ONNX Runtime's only one).
inline bool CanUseMicrosoftDomain(const Model& model) {
  std::optional<int64_t> version = model.opsetVersion(kMicrosoftDomain);
  return !version || *version == 1;
}

inline void ImportMicrosoftDomain(Model& model) {
  if (!model.opsetVersion(kMicrosoftDomain)) model.setOpsetVersion(kMicrosoftDomain, 1);
}

inline bool IsMicrosoftOp(const Node& node, std::string_view op_type) {
  return node.opType() == op_type && node.domain() == kMicrosoftDomain;
}

// The node producing `value` when it is `op_type` of the default domain and belongs to `graph`
// (a value of an enclosing graph is never part of a subgraph's pattern).
inline Node* ProducerIn(const Graph& graph, const Value* value, std::string_view op_type) {
  if (!value) return nullptr;
  Node* producer = value->producer();
  if (!producer || producer->owner() != &graph || !producer->is(op_type)) return nullptr;
  return producer;
}

// Exactly one use, by one input of one node, and not a graph output: the producer can go once
// that use is rewired.
inline bool HasSingleUse(const Value* value) {
  return value && !value->isGraphOutput() && value->uses().size() == 1;
}

// Every use of `value` is by one of `users` (any number of uses), and it is not a graph output.
inline bool UsedOnlyByNodes(const Value* value, std::initializer_list<const Node*> users) {
  if (!value || value->isGraphOutput()) return false;
  for (const Use& use : value->uses()) {
    bool listed = false;
    for (const Node* user : users) listed = listed || use.user == user;
    if (!listed) return false;
  }
  return true;
}

// Some of `values` (inputs and outputs of one node, which its type constraint makes one type)
// are known to be float, and none is known to be of another type.
inline bool KnownFloat(std::initializer_list<const Value*> values) {
  bool known = false;
  for (const Value* value : values) {
    if (!value || value->elemType() == DataType::kUndefined) continue;
    if (value->elemType() != DataType::kFloat) return false;
    known = true;
  }
  return known;
}

// The other input of a binary node (inputs 0 and 1), given one of them.
inline Value* OtherInput(const Node& node, const Value* one) {
  return node.input(0) == one ? node.input(1) : node.input(0);
}

// The value of a one-element floating-point constant (of the given element type, when `type` is
// not kUndefined) that broadcasting against an operand of rank `operand_rank` leaves that
// operand's shape alone: rank 0, or rank at most operand_rank (unknown: rank 0 only).
// With `allow_integer`, integer constants count too (Pow's exponent may be an integer).
inline std::optional<double> ScalarConstant(const Value* value, std::optional<int64_t> operand_rank,
                                            DataType type = DataType::kUndefined, bool allow_integer = false) {
  TensorPtr tensor = ConstantTensor(value);
  if (!tensor || tensor->elementCount() != 1) return std::nullopt;
  DataType dtype = tensor->dtype();
  bool floating = dtype == DataType::kFloat || dtype == DataType::kDouble || dtype == DataType::kFloat16 ||
                  dtype == DataType::kBfloat16;
  bool integer = dtype == DataType::kInt8 || dtype == DataType::kUint8 || dtype == DataType::kInt16 ||
                 dtype == DataType::kUint16 || dtype == DataType::kInt32 || dtype == DataType::kUint32 ||
                 dtype == DataType::kInt64 || dtype == DataType::kUint64;
  if (!floating && !(allow_integer && integer)) return std::nullopt;
  if (type != DataType::kUndefined && dtype != type) return std::nullopt;
  if (tensor->rank() > 0 && (!operand_rank || static_cast<int64_t>(tensor->rank()) > *operand_rank))
    return std::nullopt;
  return tensor->ElementAsDouble(0);
}

// `value` is within a relative 1e-6 of `expected` (a constant written with float precision, or
// with a few more digits than float has, still matches; 1.414 for sqrt(2) does not).
inline bool Near(double value, double expected) {
  return std::fabs(value - expected) <= 1e-6 * std::fabs(expected);
}

// Both shapes are known and equal dimension by dimension: the same value, or the same symbolic
// name (which ONNX defines to be the same size).
inline bool SameShape(const Value* a, const Value* b) {
  if (!a || !b || !a->rank() || !b->rank() || *a->rank() != *b->rank()) return false;
  const auto& da = a->type().tensor_type().shape().dim();
  const auto& db = b->type().tensor_type().shape().dim();
  for (int i = 0; i < da.size(); ++i) {
    if (da[i].has_dim_value() && db[i].has_dim_value()) {
      if (da[i].dim_value() != db[i].dim_value()) return false;
    } else if (da[i].has_dim_param() && db[i].has_dim_param()) {
      if (da[i].dim_param().empty() || da[i].dim_param() != db[i].dim_param()) return false;
    } else {
      return false;
    }
  }
  return true;
}

// The last dimension when the rank is at least 1 and that dimension has a known value.
inline std::optional<int64_t> LastDim(const Value* value) {
  if (!value || !value->rank() || *value->rank() < 1) return std::nullopt;
  const auto& dims = value->type().tensor_type().shape().dim();
  const auto& last = dims[dims.size() - 1];
  if (!last.has_dim_value()) return std::nullopt;
  return last.dim_value();
}

// A 1-D value of exactly `length` elements (its type says so).
inline bool IsVectorOf(const Value* value, int64_t length) {
  if (!value) return false;
  std::optional<std::vector<int64_t>> shape = value->staticShape();
  return shape && shape->size() == 1 && (*shape)[0] == length;
}

// ReplaceValue (ir/rewrite.h) that also hands the replaced value's type to the replacement when it
// has none (the fused node computes the same tensor), and keeps it listed in value_info, so that
// later passes and shape inference still see it.
inline bool ReplaceKeepingType(Value* old_value, Value* new_value) {
  if (!CanReplaceValue(old_value, new_value)) return false;
  bool listed = old_value->inValueInfo();
  if (old_value->hasType() && !new_value->hasType()) *new_value->mutableType() = old_value->type();
  ReplaceValue(old_value, new_value);
  if (listed && !new_value->isGraphOutput() && !new_value->inValueInfo())
    new_value->owner()->setInValueInfo(new_value, true);
  return true;
}

// Removes the nodes of a fused pattern, each once nothing uses its outputs any more (so the
// order of `nodes` does not matter, and a node still used stays). Removed nodes are recorded in
// `removed`, which the caller's loop over a snapshot of the node list checks before looking at an
// entry. Use one set per snapshot: a node created later may get the address of a removed one.
inline void RemoveUnusedNodes(Graph& graph, std::vector<Node*> nodes, std::unordered_set<const Node*>& removed) {
  for (size_t i = 0; i < nodes.size(); ++i)
    for (size_t k = 0; k < i; ++k)
      if (nodes[k] == nodes[i]) nodes[i] = nullptr;
  for (bool progress = true; progress;) {
    progress = false;
    for (Node*& node : nodes) {
      if (!node) continue;
      bool unused = true;
      for (const Value* output : node->outputs())
        if (output && (output->hasUses() || output->isGraphOutput())) unused = false;
      if (!unused) continue;
      removed.insert(node);
      graph.removeNode(node);
      node = nullptr;
      progress = true;
    }
  }
}

}  // namespace onnxkit::ort_fusion
