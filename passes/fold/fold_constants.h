// fold-constants: computes nodes whose inputs are all constant, with the bundled runtime's kernels.
//
// Before:  graph (float[2] x) => (y) <float[2] a = {1, 2}> { t = Mul(a, a)  y = Add(x, t) }
// After:   graph (float[2] x) => (y) <float[2] t = {1, 4}> { y = Add(x, t) }
//
// Applies to a node of the default domain when:
//  1. every present input is a constant: an initializer that is not a graph input (a graph
//     input's initializer is only a default the caller may override), or a Constant node;
//  2. it is deterministic and not a quantization boundary: never RandomNormal/RandomUniform(Like),
//     Multinomial, Bernoulli, Dropout, QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear
//     (Q/DQ units must survive for quantized models), nor nodes with subgraphs;
//  3. its outputs are not larger than what folding frees: the bytes of constant inputs used only
//     by this node, plus 64 bytes for the node itself — so folding never grows the model file
//     (Tile, Expand, ConstantOfShape of constants stay unless --fold-max-bytes allows them);
//  4. the runtime has a kernel for it and the kernel succeeds (otherwise the node stays).
// The outputs become initializers (a graph output keeps its name).
#pragma once

#include <cstdint>
#include <optional>

#include "passes/pass.h"
#include "passes/registry.h"

namespace onnxkit {

class FoldConstants : public Pass {
 public:
  explicit FoldConstants(const PassOptions& options) : max_bytes_(options.fold_max_bytes) {}
  std::string_view name() const override { return "fold-constants"; }
  Result<size_t> run(Model& model) override;

 private:
  std::optional<uint64_t> max_bytes_;
};

// True for ops constant folding must never evaluate (nondeterministic or quantization boundaries).
bool IsNeverFolded(const Node& node);

}  // namespace onnxkit
