// fuse-consecutive-transposes: composes consecutive Transposes, and drops them when they cancel.
//
// Before:  t = Transpose<perm = [0, 2, 3, 1]>(x)   y = Transpose<perm = [0, 3, 1, 2]>(t)
// After:   y = x                                   (the composition is the identity)
// Before:  t = Transpose<perm = [1, 0, 2]>(x)      y = Transpose<perm = [0, 2, 1]>(t)
// After:   y = Transpose<perm = [1, 2, 0]>(x)
//
// Algebra: Transpose(t, p)[i...] moves input axis p[k] to output axis k, so
// Transpose(Transpose(x, p1), p2) = Transpose(x, p) with p[k] = p1[p2[k]]. An absent perm
// reverses the axes: two absent perms compose to the identity at any rank; one absent perm takes
// its length from the other.
//
// Conditions:
//  1. both are Transposes of the default domain, the second reading the first's output;
//  2. every use of the first's output is by a Transpose (each is rewritten, so the first goes
//     away) and it is not a graph output;
//  3. both perms (after filling in an absent one) are permutations of the same length.
// When the composition is the identity, the second's output is replaced by x (keeping a graph
// output's name); when that is impossible (x is a graph input or output, or belongs to an
// enclosing graph, and y is a graph output) the second becomes Transpose(x) with the identity perm.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveTransposes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-transposes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
