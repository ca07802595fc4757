// Converting a model to another version of the default-domain opset with libonnx's version
// converter (onnx/version_converter/convert.h, ONNX 1.12): onnx-opt --target-opset N.
//
// The converter works on a ModelProto through ONNX's own in-memory IR, one opset step at a time,
// applying the adapter registered for each node whose schema changes at that step. This wrapper:
//
//   1. refuses what the converter cannot handle before calling it (nodes of other domains, which
//      libonnx 1.12 looks up as default-domain ops; sparse initializers; unknown default-domain
//      ops; the Split 13->12 cases its adapter crashes on), with a message naming the node;
//   2. hands it the model with large initializers' bytes left out (the converter copies every
//      tensor twice; adapters only read small constants such as axes, shapes and scales) and
//      puts them back afterwards, so the converted model still points at the input file's pages;
//      for down-conversions, initializers that an adapter turns into an attribute (axes, split
//      sizes, Reshape's shape) go in as Constant nodes: libonnx 1.12 reads them correctly only from
//      those (from a raw_data initializer it silently writes an empty list: Squeeze 13->12 would
//      squeeze every dim of size 1);
//   3. runs it in a child process and turns any exception, or a crash, into
//      "cannot convert from opset A to B: <reason>";
//   4. gives back the types libonnx 1.12 drops (of sequence/optional inputs and outputs; untyped
//      value_info entries go), raises ir_version to what the target opset needs, checks that
//      the graph's inputs and outputs are what they were (an adapter may restructure the graph,
//      never its interface), and checks the result with the ONNX checker and the IR verifier:
//      a model the converter silently broke is an error, never an output.
// Before converting it also runs ONNX shape inference on the exported model: several adapters
// (Softmax 12->13, the opset 6->7 broadcasting adapters) need the shapes of their inputs.
#pragma once

#include <cstdint>

#include <onnx/onnx_pb.h>

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

struct OpsetConversion {
  int64_t from = 0;
  int64_t to = 0;
  bool changed = false;  // false when the model already had the target opset
};

// The opsets libonnx's converter knows (1 to 17 for ONNX 1.12).
int64_t MinimumConvertibleOpset();
int64_t MaximumConvertibleOpset();

// Converts `model` in place. On error the model is unchanged and the message reads
// "cannot convert from opset A to B: <reason>".
Result<OpsetConversion> ConvertOpset(Model& model, int64_t target);

// libonnx's ConvertVersion on `proto`, run in a child process: its adapters can crash (libonnx
// 1.12's Split 13->12 adapter dereferences a missing input), and a crash must become an error, not
// the end of the tool. Errors carry the converter's reason (or "... crashed (Segmentation fault)").
Result<onnx::ModelProto> RunVersionConverter(const onnx::ModelProto& proto, int64_t target);

// The lowest IR version a model of this default-domain opset needs (onnx.helper.VERSION_TABLE).
int64_t MinimumIrVersionForOpset(int64_t opset);

}  // namespace onnxkit
