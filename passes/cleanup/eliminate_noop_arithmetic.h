// eliminate-noop-arithmetic: removes x + 0, 0 + x, x - 0, x * 1, 1 * x, x / 1 and x ^ 1 where the
// constant changes neither the values, nor the shape, nor the type of x.
//
// Before:  graph (int64[2,3] x) => (int64[2,3] y) <int64[3] z = {0, 0, 0}> { a = Add(x, z)  y = Neg(a) }
// After:   graph (int64[2,3] x) => (int64[2,3] y) { y = Neg(x) }
//
// Before:  graph (float[N,3] x) => (float[N,3] y) <float[1] one = {1}> { m = Mul(one, x)  y = Relu(m) }
// After:   graph (float[N,3] x) => (float[N,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Add, Sub, Mul, Div or Pow in the default domain with two inputs; x is input 0 and the
//     constant C (initializer or Constant node) input 1, or, for Add and Mul, the other way round
//     (at opsets < 7 only C as input 1, since legacy broadcasting goes from input 1 to input 0);
//  2. x's element type and rank are declared;
//  3. C has x's element type; for Pow (whose exponent may have another type from opset 12) C is of
//     any numeric type when x is floating-point, and of an integer type when x is an integer
//     (an integer base with a float exponent goes through double, which rounds large integers);
//  4. every element of C is the identity of the operation, bit for bit where it matters:
//     - Mul, Div, Pow: 1;
//     - integer Add, Sub: 0;
//     - floating-point Add: -0.0 (sign bit set). x + (+0.0) is NOT removed: for x = -0.0 it gives
//       +0.0, and the sign of zero is observable downstream (1/x, Reciprocal, Pow(x, -1), Log of
//       a product...). Only -0.0 is the exact identity of IEEE addition (-0 + -0 = -0, +0 + -0 = +0);
//     - floating-point Sub: +0.0, since x - (+0.0) = x + (-0.0) = x for every x including -0.0;
//       x - (-0.0) is NOT removed, for the same reason as x + (+0.0);
//  5. broadcasting C leaves x's shape unchanged: rank(C) <= rank(x) and, aligned to the right, every
//     dimension of C is 1 or equals x's dimension there, which is known. At opsets < 7 (legacy
//     broadcasting): with broadcast = 1 every dimension of C is 1 and rank(C) <= rank(x); with
//     broadcast = 0 C's dims equal x's dims, all known;
//  6. the output can take x's place (when it is a graph output, x must be a value of the same graph
//     that is neither a graph input nor a graph output).
// Algebra (IEEE 754, round to nearest): x * 1 = x, x / 1 = x, x^1 = x (computed exactly in double
// and rounded once to x's type), x + (-0) = x, x - (+0) = x for every x, infinities included. NaN
// stays NaN (a signaling NaN operand would come out quieted: a payload bit, not a value, changes).
// Integer arithmetic is exact.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopArithmetic : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-arithmetic"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
