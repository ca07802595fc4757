#include "passes/fuse/fuse_relu_clip.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsRelu(const Node& node) { return node.is("Relu") && node.input(0) && node.outputCount() == 1; }
bool IsClip(const Node& node) { return node.is("Clip") && node.input(0) && node.outputCount() == 1; }

bool IsSupportedType(DataType type) {
  return IsFloatingPoint(type) || type == DataType::kInt8 || type == DataType::kInt16 ||
         type == DataType::kInt32 || type == DataType::kInt64;
}

// One bound of a Clip: absent, or a value (double for floats; integers kept exactly).
struct Bound {
  bool present = false;
  double real = 0;
  int64_t integer = 0;
  bool isNegative(DataType type) const { return IsFloatingPoint(type) ? real < 0 : integer < 0; }
};

// A scalar of `type` holding max(0, bound) (the bound is present and negative, or absent).
TensorPtr Zero(DataType type) {
  if (IsFloatingPoint(type)) {
    double zero = 0;
    return MakeFloatTensor(type, {}, std::span<const double>(&zero, 1));
  }
  std::vector<std::byte> bytes(ElementSize(type), std::byte{0});
  return Tensor::Create(type, {}, SharedBytes::FromVector(std::move(bytes)));
}

struct ClipBounds {
  Bound lo, hi;
  DataType type = DataType::kUndefined;  // for input bounds (opset >= 11)
};

// `data_type`: the element type of the data the pair clips (Relu and Clip keep it).
std::optional<ClipBounds> ReadBounds(const Node& clip, int64_t opset, DataType data_type) {
  ClipBounds bounds;
  if (opset < 11) {
    for (auto [name, bound] : {std::pair{"min", &bounds.lo}, std::pair{"max", &bounds.hi}}) {
      if (const Attribute* attribute = clip.attribute(name)) {
        bound->present = true;
        bound->real = attribute->f();
        if (std::isnan(bound->real)) return std::nullopt;
      }
    }
    bounds.type = DataType::kFloat;  // attributes are floats whatever the data type
    return bounds;
  }
  if (clip.inputCount() > 3) return std::nullopt;
  bounds.type = data_type;
  for (auto [index, bound] : {std::pair{size_t{1}, &bounds.lo}, std::pair{size_t{2}, &bounds.hi}}) {
    const Value* input = clip.input(index);
    if (!input) continue;
    TensorPtr tensor = ConstantTensor(input);
    if (!tensor || tensor->elementCount() != 1 || !IsSupportedType(tensor->dtype())) return std::nullopt;
    bounds.type = tensor->dtype();
    bound->present = true;
    if (IsFloatingPoint(tensor->dtype())) {
      bound->real = tensor->ElementAsDouble(0);
      if (std::isnan(bound->real)) return std::nullopt;
    } else {
      bound->integer = tensor->ElementAsInt64(0);
    }
  }
  if (!IsSupportedType(bounds.type)) return std::nullopt;
  return bounds;
}

// Raises a bound to max(0, bound): nothing to do when it is present and >= 0.
bool NeedsZero(const Bound& bound, DataType type) { return !bound.present || bound.isNegative(type); }

void SetBoundToZero(Node& clip, int64_t opset, DataType type, size_t index, const char* attribute) {
  if (opset < 11) {
    clip.setAttribute(Attribute::Float(attribute, 0.0f));
    return;
  }
  Value* zero = clip.owner()->addInitializer(clip.output(0)->name() + "_" + attribute, Zero(type));
  while (clip.inputCount() <= index) clip.addInput(nullptr);
  clip.setInput(index, zero);
}

}  // namespace

Result<size_t> FuseReluClip::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node)) continue;
      Value* middle = node->input(0);
      Node* first = middle ? middle->producer() : nullptr;
      if (!first || middle->owner() != &graph) continue;
      bool relu_then_clip = IsClip(*node) && IsRelu(*first);
      bool clip_then_relu = IsRelu(*node) && IsClip(*first);
      if (!relu_then_clip && !clip_then_relu) continue;
      if (middle->uses().size() != 1 || middle->isGraphOutput()) {
        Explain(name(), *first, "its output has other uses");
        continue;
      }
      Node& clip = relu_then_clip ? *node : *first;
      auto bounds = ReadBounds(clip, opset, KnownElemType(first->input(0)));
      if (!bounds) {
        Explain(name(), clip, "its bounds are not constant scalars of a supported type");
        continue;
      }
      if (relu_then_clip) {
        if (NeedsZero(bounds->lo, bounds->type)) SetBoundToZero(clip, opset, bounds->type, 1, "min");
        clip.setInput(0, first->input(0));
        graph.removeNode(first);
        removed.insert(first);
      } else {
        if (!CanReplaceValue(node->output(0), middle)) {
          Explain(name(), *node, "its output cannot be replaced");
          continue;
        }
        if (NeedsZero(bounds->lo, bounds->type)) SetBoundToZero(clip, opset, bounds->type, 1, "min");
        if (bounds->hi.present && bounds->hi.isNegative(bounds->type))
          SetBoundToZero(clip, opset, bounds->type, 2, "max");
        ReplaceFusedValue(node->output(0), middle);
        graph.removeNode(node);
      }
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
