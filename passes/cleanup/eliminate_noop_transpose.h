// eliminate-noop-transpose: removes Transpose with the identity permutation.
//
// Before:  graph (float[2,3] x) => (float[2,3] y) { t = Transpose<perm = [0, 1]>(x)  y = Relu(t) }
// After:   graph (float[2,3] x) => (float[2,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Transpose in the default domain;
//  2. `perm` is [0, 1, ..., n-1] with n >= 1 (and n is the input's rank when that is declared), or
//     `perm` is absent (which reverses the axes) or empty (read as absent by some runtimes) and the
//     input's rank is declared as 0 or 1;
//  3. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: output[i0, ..., in-1] = input[i_perm[0], ...] = input[i0, ..., in-1].
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopTranspose : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-transpose"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
