#include "passes/fuse/fuse_mish.h"

#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit {
namespace {

// The producer of `value` when it is a `op_type` node of `user`'s graph whose single output is
// used only by `user` (and is not a graph output).
Node* SoleProducer(const Value* value, const Node& user, std::string_view op_type) {
  if (!value || value->isGraphOutput() || value->uses().size() != 1 || value->uses()[0].user != &user) return nullptr;
  Node* producer = value->producer();
  if (!producer || producer->owner() != user.owner() || !producer->is(op_type) || producer->outputCount() != 1 ||
      producer->inputCount() != 1)
    return nullptr;
  return producer;
}

}  // namespace

Result<size_t> FuseMish::run(Model& model) {
  if (model.opsetVersion("").value_or(0) < 18) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* mul : graph.nodes()) {
      if (removed.count(mul) || !mul->is("Mul") || mul->inputCount() != 2 || mul->outputCount() != 1) continue;
      for (size_t i = 0; i < 2; ++i) {
        Value* x = mul->input(1 - i);
        Node* tanh = SoleProducer(mul->input(i), *mul, "Tanh");
        if (!tanh) continue;
        Node* softplus = SoleProducer(tanh->input(0), *tanh, "Softplus");
        if (!softplus) {
          Explain(name(), *mul, "the Tanh's input is not a Softplus used only by it");
          continue;
        }
        if (softplus->input(0) != x) {
          Explain(name(), *mul, "the Softplus does not read the multiplied value");
          continue;
        }
        Value* old_output = mul->output(0);
        Node* mish = graph.createNode("Mish", {x}, 1, old_output->name(), mul);
        mish->mutableMetadata()->set_domain("");  // written as the parser and exporters write it
        ONNXKIT_CHECK(ReplaceValue(old_output, mish->output(0)), "fuse-mish: output replacement");
        for (Node* n : {mul, tanh, softplus}) {
          removed.insert(n);
          graph.removeNode(n);
        }
        ++fused;
        break;
      }
    }
  });
  return fused;
}

}  // namespace onnxkit
