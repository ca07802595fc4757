// merge-duplicate-initializers: makes the users of initializers with the same type, shape and
// contents use the first of them; the others are dropped.
//
// Before:  graph (float[2] x) => (float[2] y) <float[2] a = {1, 2}, float[2] b = {1, 2}>
//          { t = Mul(x, a)  y = Add(t, b) }
// After:   graph (float[2] x) => (float[2] y) <float[2] a = {1, 2}> { t = Mul(x, a)  y = Add(t, a) }
//
// Conditions, in every graph and subgraph (initializers are compared within one graph):
//  1. both are initializers that are not graph inputs (an input's initializer is only a default
//     that the caller may replace, so it is no constant);
//  2. the same element type, the same dims and the same contents (bytes, or strings): tensors are
//     grouped by type and dims, then by a hash of their first and last bytes, and tensors with
//     equal hashes are compared byte for byte (so distinct large weights are not read in full);
//  3. the later one (in initializer order) can hand over its place: when it is a graph output, the
//     first takes its name (ReplaceValue), which is impossible when the first is a graph output
//     too (then both stay). Otherwise the first keeps its name.
// The later initializer is erased at once (so a second run finds nothing to do).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class MergeDuplicateInitializers : public Pass {
 public:
  std::string_view name() const override { return "merge-duplicate-initializers"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
