#include "passes/cleanup/eliminate_noop_arithmetic.h"

#include <cmath>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

bool IsNumeric(DataType type) { return IsFloatingPoint(type) || IsInteger(type); }

// Why `constant` is not the identity operand of `op` for x of type `x_type` ("" when it is).
std::string WhyNotIdentity(const std::string& op, const Tensor& constant, DataType x_type, int64_t opset) {
  DataType c_type = constant.dtype();
  if (!IsNumeric(x_type)) return "x is not of a real numeric type";
  if (op == "Pow") {
    if (opset < 12 && c_type != x_type) return "the exponent has another type";
    if (IsFloatingPoint(x_type) ? !IsNumeric(c_type) : !(IsInteger(x_type) && IsInteger(c_type)))
      return "the exponent's type does not keep x exactly";
  } else if (c_type != x_type) {
    return "the constant has another element type";
  }
  bool one = op == "Mul" || op == "Div" || op == "Pow";
  for (int64_t i = 0; i < constant.elementCount(); ++i) {
    if (IsInteger(c_type)) {
      if (constant.ElementAsInt64(i) != (one ? 1 : 0)) return "the constant is not the identity";
      continue;
    }
    double value = constant.ElementAsDouble(i);
    if (one) {
      if (value != 1.0) return "the constant is not 1";
    } else if (value != 0.0) {
      return "the constant is not 0";
    } else if (op == "Add" && !std::signbit(value)) {
      return "x + (+0.0) turns -0.0 into +0.0 (only -0.0 is removed)";
    } else if (op == "Sub" && std::signbit(value)) {
      return "x - (-0.0) turns -0.0 into +0.0 (only +0.0 is removed)";
    }
  }
  return "";
}

// Why broadcasting the constant (dims `c`) against x leaves x's shape as is ("" when it does).
std::string WhyShapeChanges(const Node& node, std::span<const int64_t> c, const cleanup::Dims& x, int64_t opset) {
  if (c.size() > x.size()) return "the constant has a higher rank than x";
  if (opset < 7) {
    if (node.getInt("broadcast", 0) != 0) {
      for (int64_t d : c)
        if (d != 1) return "legacy broadcasting of a constant that is not all size 1";
      return "";
    }
    if (c.size() != x.size()) return "legacy shapes differ";
  }
  size_t offset = x.size() - c.size();
  for (size_t j = 0; j < c.size(); ++j) {
    if (c[j] == 1 && opset >= 7) continue;
    const std::optional<int64_t>& d = x[offset + j];
    if (!d || *d != c[j]) return fmt::format("broadcasting may change dimension {} of x", offset + j);
  }
  return "";
}

// Finds x (the input that passes through) or says why the node is not a no-op.
std::string WhyNotNoop(const Node& node, int64_t opset, Value*& x) {
  if (node.inputCount() != 2 || !node.input(0) || !node.input(1) || node.outputCount() != 1)
    return "unexpected inputs or outputs";
  const std::string& op = node.opType();
  bool commutative = (op == "Add" || op == "Mul") && opset >= 7;
  std::string why;
  for (size_t c_index : {size_t{1}, size_t{0}}) {
    if (c_index == 0 && !commutative) break;
    Value* candidate = node.input(1 - c_index);
    TensorPtr constant = ConstantTensor(node.input(c_index));
    if (!constant) {
      if (why.empty()) why = fmt::format("input {} is not a constant", c_index);
      continue;
    }
    DataType x_type = candidate->elemType();
    auto dims = cleanup::DeclaredDims(candidate);
    if (x_type == DataType::kUndefined || !dims) {
      why = "x's element type or rank is unknown";
      continue;
    }
    why = WhyNotIdentity(op, *constant, x_type, opset);
    if (why.empty()) why = WhyShapeChanges(node, constant->dims(), *dims, opset);
    if (why.empty()) {
      x = candidate;
      return "";
    }
  }
  return why;
}

}  // namespace

Result<size_t> EliminateNoopArithmetic::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Add") && !node->is("Sub") && !node->is("Mul") && !node->is("Div") && !node->is("Pow")) continue;
      Value* x = nullptr;
      std::string why = WhyNotNoop(*node, opset, x);
      if (why.empty()) why = cleanup::BypassNode(graph, *node, x);
      if (!why.empty()) {
        Explain(name(), *node, why);
        continue;
      }
      ++removed;
    }
  });
  return removed;
}

}  // namespace onnxkit
