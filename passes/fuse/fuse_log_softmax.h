// fuse-log-softmax: turns Log(Softmax(x)) into LogSoftmax(x).
//
// Before:  t = Softmax<axis = a>(x)      y = Log(t)
// After:   y = LogSoftmax<axis = a>(x)
//
// Softmax and LogSoftmax share their axis semantics at every opset: below 13 both coerce the
// input to 2-D at `axis` (default 1) and normalize over the flattened trailing block; from 13
// both normalize along `axis` (default -1). So the Softmax's attributes carry over unchanged.
//
// Numerics: LogSoftmax computes x - max - log(sum(exp(x - max))), which is what Log(Softmax(x))
// computes up to rounding — except where Softmax underflows to 0: there Log gives -inf and
// LogSoftmax the (finite, correct) value. That is the one place the fused model differs beyond
// rounding, in the direction of the exact result.
//
// Conditions:
//  1. Softmax and Log are in the default domain, the Softmax's output used only by the Log and
//     not a graph output.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseLogSoftmax : public Pass {
 public:
  std::string_view name() const override { return "fuse-log-softmax"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
