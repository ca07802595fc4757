#include "passes/fuse/fuse_pad_into_conv.h"

#include <cmath>
#include <limits>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

struct PadSpec {
  std::vector<int64_t> begin, end;  // per axis of the padded tensor
  double value = 0;
};

// The Pad's constant amounts over all `rank` axes and its value; nullopt when not constant-mode
// with constant, known parameters.
std::optional<PadSpec> ReadPad(const Node& pad, int64_t opset, std::optional<int64_t> rank) {
  if (pad.getString("mode", "constant") != "constant") return std::nullopt;
  std::vector<int64_t> amounts;
  std::optional<std::vector<int64_t>> axes;
  PadSpec spec;
  if (opset < 11) {
    auto attribute = pad.getInts(opset < 2 ? "paddings" : "pads");
    if (!attribute || pad.inputCount() != 1) return std::nullopt;
    amounts = *attribute;
    spec.value = pad.getFloat("value", 0.0f);
  } else {
    auto values = ReadInts(ConstantTensor(pad.input(1)));
    if (!values) return std::nullopt;
    amounts = *values;
    if (Value* constant_value = pad.input(2)) {
      TensorPtr tensor = ConstantTensor(constant_value);
      if (!tensor || tensor->elementCount() != 1 || !IsFloatingPoint(tensor->dtype())) return std::nullopt;
      spec.value = tensor->ElementAsDouble(0);
    }
    if (Value* axes_value = pad.input(3)) {
      if (opset < 18) return std::nullopt;
      axes = ReadInts(ConstantTensor(axes_value));
      if (!axes) return std::nullopt;
    }
    if (pad.inputCount() > 4) return std::nullopt;
  }
  if (amounts.size() % 2 != 0) return std::nullopt;
  size_t listed = amounts.size() / 2;
  if (!axes) {
    if (rank && *rank != static_cast<int64_t>(listed)) return std::nullopt;
    rank = static_cast<int64_t>(listed);
    axes.emplace();
    for (int64_t a = 0; a < *rank; ++a) axes->push_back(a);
  }
  if (!rank || axes->size() != listed) return std::nullopt;
  auto normalized = NormalizeAxes(*axes, rank);
  if (!normalized) return std::nullopt;
  spec.begin.assign(static_cast<size_t>(*rank), 0);
  spec.end.assign(static_cast<size_t>(*rank), 0);
  for (size_t i = 0; i < listed; ++i) {
    spec.begin[static_cast<size_t>((*normalized)[i])] = amounts[i];
    spec.end[static_cast<size_t>((*normalized)[i])] = amounts[i + listed];
  }
  return spec;
}

bool IsPositiveZero(double value) { return value == 0 && !std::signbit(value); }

bool Fuse(Node& consumer, int64_t opset, std::string_view pass) {
  Value* padded = consumer.input(0);
  Node* pad = padded ? padded->producer() : nullptr;
  if (!pad || !pad->is("Pad") || padded->owner() != consumer.owner()) return false;
  if (!UsedOnlyBy(padded, consumer) || padded->uses().size() != 1 || pad->outputCount() != 1) {
    Explain(pass, *pad, "its output has other uses");
    return false;
  }
  if (consumer.getString("auto_pad", "NOTSET") != "NOTSET") {
    Explain(pass, consumer, "auto_pad is set");
    return false;
  }
  bool is_conv = consumer.is("Conv");
  bool is_max = consumer.is("MaxPool");
  std::optional<int64_t> rank;
  std::vector<int64_t> kernel;
  if (is_conv) {
    rank = KnownRank(consumer.input(1));
  } else {
    auto kernel_shape = consumer.getInts("kernel_shape");
    if (!kernel_shape) return false;
    kernel = *kernel_shape;
    rank = static_cast<int64_t>(kernel.size()) + 2;
    if (consumer.getInt("ceil_mode", 0) != 0) {
      Explain(pass, consumer, "ceil_mode is set");
      return false;
    }
    if (auto dilations = consumer.getInts("dilations"))
      for (int64_t d : *dilations)
        if (d != 1) {
          Explain(pass, consumer, "it has dilations");
          return false;
        }
    if (is_max) {
      if (consumer.output(1)) {
        Explain(pass, consumer, "its Indices output is produced");
        return false;
      }
    } else if (opset < 7 || consumer.getInt("count_include_pad", 0) != 1) {
      Explain(pass, consumer, "it does not count padded positions (count_include_pad = 0)");
      return false;
    }
  }
  if (!rank) rank = KnownRank(pad->input(0));
  auto spec = ReadPad(*pad, opset, rank);
  if (!spec || spec->begin.size() < 3) {
    Explain(pass, *pad, "not a constant-mode Pad with constant amounts over a known rank >= 3");
    return false;
  }
  bool value_ok = is_max ? spec->value == -std::numeric_limits<double>::infinity() : IsPositiveZero(spec->value);
  if (!value_ok) {
    Explain(pass, *pad, is_max ? "its value is not -inf" : "its value is not +0");
    return false;
  }
  size_t spatial = spec->begin.size() - 2;
  if (spec->begin[0] || spec->begin[1] || spec->end[0] || spec->end[1]) {
    Explain(pass, *pad, "it pads the batch or channel axis");
    return false;
  }
  for (size_t i = 2; i < spec->begin.size(); ++i)
    if (spec->begin[i] < 0 || spec->end[i] < 0) {
      Explain(pass, *pad, "it crops (negative pads)");
      return false;
    }
  std::vector<int64_t> pads = consumer.getInts("pads").value_or(std::vector<int64_t>(2 * spatial, 0));
  if (pads.size() != 2 * spatial) {
    Explain(pass, consumer, "its pads do not match the Pad's rank");
    return false;
  }
  for (size_t i = 0; i < spatial; ++i) {
    pads[i] += spec->begin[i + 2];
    pads[i + spatial] += spec->end[i + 2];
  }
  if (!is_conv)
    for (size_t i = 0; i < spatial; ++i)
      if (pads[i] >= kernel[i] || pads[i + spatial] >= kernel[i]) {
        Explain(pass, consumer, "the pads would not be smaller than the kernel");
        return false;
      }
  consumer.setAttribute(Attribute::Ints("pads", pads));
  consumer.setInput(0, pad->input(0));
  consumer.owner()->removeNode(pad);
  return true;
}

}  // namespace

Result<size_t> FusePadIntoConv::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::vector<Node*> consumers;
    for (Node* node : graph.nodes())
      if (node->is("Conv") || node->is("AveragePool") || node->is("MaxPool")) consumers.push_back(node);
    for (Node* node : consumers)
      if (Fuse(*node, opset, name())) ++fused;
  });
  return fused;
}

}  // namespace onnxkit
