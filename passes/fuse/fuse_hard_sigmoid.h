// fuse-hard-sigmoid: turns Clip(x + 3, 0, 6) / 6 style subgraphs (and other exact affine-then-clamp
// forms) into HardSigmoid (opset >= 6).
//
// Before (shift, clamp, scale: Relu6(x + 3) / 6 of MobileNetV3 and friends):
//   v = Add(x, b)                         (either operand order; absent: b = 0)
//   c = Clip(v, lo, hi)                   (lo = 0, hi > 0; see "clamps" below)
//   y = Div(c, s)                         (s = hi)        or  y = Mul(c, m)  (m = 1/hi, either order)
// After:
//   y = HardSigmoid<alpha = 1/hi, beta = b/hi>(x)        (Mul: alpha = m, beta = b m)
//
// Before (scale, shift, clamp to [0, 1]):
//   w = Mul(x, a)  (either order; or Div(x, d): a = 1/d)
//   v = Add(w, b)  (either order)
//   y = Clip(v, 0, 1)
// also v = Mul(Add(x, b), a) (beta = a b) or Div(Add(x, b), d), and a missing Mul or Add
// (alpha = 1 or beta = 0; at least one of them present)
// After:
//   y = HardSigmoid<alpha = a, beta = b>(x)
//
// Clamps: Clip (min/max attributes at opsets 6..10, constant min/max inputs from 11),
// Min(Max(v, lo), hi), Max(Min(v, hi), lo), Min(Relu(v), hi) (lo = 0); Min/Max with two inputs.
//
// Algebra: HardSigmoid(x) = max(0, min(1, alpha x + beta)).
//   clamp(x + b, 0, hi) / hi = clamp(x / hi + b / hi, 0, 1)   (hi > 0)
//   clamp(a x + b, 0, 1) is the definition itself.
// alpha and beta are computed in double and rounded once to float (the attribute type).
//
// Conditions:
//  1. the model imports the default domain at opset >= 6 and every node is in the default domain;
//  2. every intermediate value is used only by the next node of the pattern and is not a graph
//     output; all nodes are in one graph;
//  3. every constant has one element, all of one element type among float16, float and double
//     (x's type when declared), with rank 0 or rank <= the declared rank of x (no widening);
//  4. first form: the clamp's lower bound is exactly 0 and its upper bound hi > 0; the scale is
//     exact: Div by exactly hi, or Mul by m with |m hi - 1| <= the element type's epsilon (m is
//     1/hi rounded to the type);
//  5. second form: the clamp's bounds are exactly 0 and 1;
//  6. for double models, alpha and beta are exactly representable as float (HardSigmoid's
//     attributes are float: 1/6 is not, so Clip(x + 3, 0, 6) / 6 in double stays as it is).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "passes/pass.h"

namespace onnxkit {

class FuseHardSigmoid : public Pass {
 public:
  std::string_view name() const override { return "fuse-hard-sigmoid"; }
  Result<size_t> run(Model& model) override;
};

// Matchers shared with fuse-hard-swish.
namespace hard_sigmoid {

// A clamp of `input` to [low, high] ending at a node (see "Clamps" above). `nodes` are the clamp's
// nodes, last node first; inner nodes are used only by the next one.
struct Clamp {
  Value* input = nullptr;
  double low = 0;
  double high = 0;
  std::vector<Node*> nodes;
  std::vector<TensorPtr> constants;
};
std::optional<Clamp> MatchClamp(Node& last, int64_t opset);

// max(0, min(1, alpha x + beta)) computed by the decomposed subgraph ending at `root` (either form
// above), conditions 1 to 5. `nodes`: root first, consumers before producers. `type`: the
// constants' element type. alpha and beta are exact (double); condition 6 is the caller's.
struct Affine {
  Value* input = nullptr;
  double alpha = 0;
  double beta = 0;
  DataType type = DataType::kUndefined;
  std::vector<Node*> nodes;
  std::vector<TensorPtr> constants;
};
// On failure, `why` says why when the subgraph was a candidate (had a clamp), else stays empty.
std::optional<Affine> MatchDecomposed(Node& root, int64_t opset, std::string& why);

// The one-element floating constant behind `value`, with its value.
std::optional<std::pair<TensorPtr, double>> ScalarConstant(const Value* value);

// The relative epsilon of a float type (2^-10 for float16, 2^-23 for float, 2^-52 for double).
double TypeEpsilon(DataType type);

// Condition 3: the constants share one float16/float/double type (x's when declared) and none
// widens the rank of x. Returns the type, or kUndefined with `why` set.
DataType CheckConstants(const std::vector<TensorPtr>& constants, const Value* x, std::string& why);

}  // namespace hard_sigmoid
}  // namespace onnxkit
