#include "passes/fuse/fuse_log_softmax.h"

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {

Result<size_t> FuseLogSoftmax::run(Model& model) {
  static const NodePattern pattern =
      NodePattern("Log").as("log").withInput(0, NodePattern("Softmax").as("softmax").withOneUse());
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Log")) continue;
      Match match = pattern.match(*node, model);
      if (!match) {
        Explain(name(), *node, match.reason());
        continue;
      }
      Node* softmax = match["softmax"];
      if (softmax->outputCount() != 1 || node->outputCount() != 1 ||
          !CanReplaceValue(node->output(0), softmax->output(0))) {
        Explain(name(), *node, "its output cannot be replaced");
        continue;
      }
      softmax->setOpType("LogSoftmax");
      ReplaceFusedValue(node->output(0), softmax->output(0));
      graph.removeNode(node);
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
