// replace-div-by-constant: replaces a division by a constant power of two with a multiplication
// by its reciprocal.
//
// Before:  y = Div(x, c)        with c = <float[2] c = {4, 0.5}>
// After:   y = Mul(x, r)        with r = <float[2] r = {0.25, 2}>
//
// Exactness: for c = +-2^k where c and its reciprocal +-2^-k are both normal numbers of the type
// (so 1/c is exact), x / c and x * (1/c) are the correctly rounded results of the same real number
// and are bit-identical for every x, including infinities, NaN, zeros and subnormal results.
// (Subnormal constants are excluded: a runtime in denormals-are-zero mode would read them as 0.) For
// any other c, x * (1/c) can differ from x / c by one ulp (1/c is rounded first), so such
// constants are deliberately left alone: the pass never changes a result.
//
// Conditions:
//  1. Div is in the default domain with the constant as its divisor (input 1);
//  2. the constant is float, double, float16 or bfloat16 (integer division truncates: never);
//  3. every element is +-2^k, and it and its reciprocal are normal numbers of that type;
//  4. a constant shared with other nodes is not changed: a new initializer holds the reciprocal
//     (the original stays for its other users).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class ReplaceDivByConstant : public Pass {
 public:
  std::string_view name() const override { return "replace-div-by-constant"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
