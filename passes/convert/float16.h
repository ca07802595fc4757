// Converting a float32 model to float16: onnx-opt --fp16 [--keep-io-types] [--fp16-keep-ops A,B].
// Not part of any optimization level: it changes the numbers a model computes (by about 1e-3
// relative), so it is only ever asked for.
//
// Before:  graph (float[1,8] x) => (float[1,8] y) <float[8,8] w, float[8] b> {
//            t = MatMul(x, w)  u = Add(t, b)  y = Softmax(u) }
// After:   graph (float16[1,8] x) => (float16[1,8] y) <float16[8,8] w, float16[8] b> {
//            t = MatMul(x, w)  u = Add(t, b)  u32 = Cast<to=1>(u)  y32 = Softmax(u32)  y = Cast<to=10>(y32) }
// With --keep-io-types, x and y stay float and Casts sit right after the input and before the output.
//
// Which nodes compute in float16 (the others "stay float32"):
//   1. Main-graph nodes whose operator schema (libonnx, at the model's opset) accepts float16 for
//      a float32 input or output: per type constraint, a float32 tensor moves to float16 when the
//      constraint allows tensor(float16); inputs fixed to tensor(float) (Resize scales, ...) stay.
//      Nodes of domains libonnx has no schemas for (com.microsoft, ...) stay float32.
//   2. Not numerically sensitive: Softmax, LogSoftmax, the normalizations (LayerNormalization,
//      InstanceNormalization, GroupNormalization, MeanVarianceNormalization, LpNormalization), the
//      summing reductions (ReduceMean, ReduceSum, ReduceSumSquare, ReduceL1, ReduceL2,
//      ReduceLogSum, ReduceLogSumExp, ReduceProd), CumSum, and the op types of --fp16-keep-ops stay
//      float32. Exp, Log, Pow, Sqrt and Reciprocal stay float32 in normalization patterns: when
//      a producer of an input or a consumer of the output is one of those (directly or through one
//      Add/Sub/Mul/Div), as in a decomposed LayerNorm (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div)
//      or softmax (Exp, ReduceSum).
//   3. A cheap node (elementwise arithmetic, data movement) whose float inputs all come from
//      float32 nodes or constants and whose float outputs only feed float32 nodes stays float32 too
//      (the eps Add between ReduceMean and Sqrt): converting it would only add a Cast pair.
//      Compute-heavy nodes (Conv, MatMul, ...) are converted even there, for their weights.
//   4. Nodes with subgraphs (If, Loop, Scan) stay float32 with their bodies; a value of the main
//      graph that a body reads is cast back to float for it.
//   5. The element types of every value a node reads and writes must be known (after ONNX shape
//      inference); a node with an unknown one stays as it is.
// Values: float32 initializers and Constant tensors used only in float16 become float16 (values
// beyond ±65504 are clamped to it); one used by both kinds is kept and a float16 copy added. Graph
// inputs and outputs become float16 unless --keep-io-types. Cast(to=float) and ConstantOfShape of a
// float value that are converted produce float16 directly. Where a float16 value meets a float32
// consumer or the other way round, one Cast per value and type is inserted; a cast back to the
// type a value was cast from reuses the original (no Cast pairs that cancel).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

struct Float16Options {
  bool keep_io_types = false;
  std::set<std::string> keep_ops;  // op types that stay float32 besides the defaults
};

struct Float16Report {
  size_t nodes_converted = 0;        // nodes computing in float16 now
  size_t nodes_kept = 0;             // nodes with float32 tensors that stay float32
  size_t casts_inserted = 0;
  size_t constants_converted = 0;    // initializers and Constant tensors now float16
  uint64_t float_bytes_before = 0;   // bytes of float32 initializers before
  uint64_t float_bytes_after = 0;    // bytes of those initializers (float16 or kept float32) after
};

// The op types that stay float32 by default (rule 2, without the pattern-dependent ones).
const std::set<std::string>& DefaultFloat16KeepOps();

// Errors: none for ordinary models; an internal inconsistency is reported rather than written.
Result<Float16Report> ConvertToFloat16(Model& model, const Float16Options& options = {});

}  // namespace onnxkit
