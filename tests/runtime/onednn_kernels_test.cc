// Property tests of the optimized (oneDNN) kernels against the reference kernels: random shapes,
// strides, pads, dilations, groups, auto_pad, bias, activations, residual inputs, transposes and
// broadcasting, each run once on the optimized kernels and once on the reference kernels
// (SessionOptions::reference_kernels). float32 sums in a different order than the reference's
// double accumulation: outputs agree within |a - r| <= 1e-4 * (1 + |r|) * sqrt(terms per output).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "ir/rewrite.h"
#include "runtime/session.h"
#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::runtime {
namespace {

using testing::ParseModel;

std::string Dims(const Shape& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ",") + std::to_string(d);
  return text;
}

std::string Ints(const std::vector<int64_t>& values) { return "[" + Dims(values) + "]"; }

Tensor RandomTensor(const Shape& shape, std::mt19937& rng) {
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  Tensor t = Tensor::Allocate(DataType::kFloat, shape).value();
  for (int64_t i = 0; i < t.elementCount(); ++i) t.mutableData<float>()[i] = uniform(rng);
  return t;
}

// Turns the graph inputs named in `constants` into initializers holding the given tensors, as the
// weights of an exported model are (the optimized kernels prepack those).
void MakeConstants(Model& model, const std::vector<NamedTensor>& constants) {
  Graph& g = model.graph();
  for (const auto& [name, tensor] : constants) {
    for (size_t i = 0; i < g.inputs().size(); ++i) {
      Value* input = g.inputs()[i];
      if (input->name() != name) continue;
      Value* constant = g.addInitializer(name + "_constant", ToIrTensor(tensor));
      ASSERT_TRUE(ReplaceValue(input, constant));
      g.removeInput(i);
      break;
    }
  }
}

// Runs `text` on both kernel sets with `feeds` (those in `constants` become initializers) and
// compares output 0; `terms` is the number of products summed per output element.
void ExpectOptimizedMatchesReference(const std::string& text, std::vector<NamedTensor> feeds,
                                     const std::vector<std::string>& constants, int64_t terms) {
  auto model = ParseModel(text);
  ASSERT_TRUE(model) << text;
  std::vector<NamedTensor> constant_tensors, inputs;
  for (auto& feed : feeds)
    (std::find(constants.begin(), constants.end(), feed.first) != constants.end() ? constant_tensors : inputs)
        .push_back(feed);
  MakeConstants(*model, constant_tensors);
  SessionOptions reference_options;
  reference_options.reference_kernels = true;
  auto reference = Session::Create(*model, reference_options);
  auto optimized = Session::Create(*model);
  ASSERT_TRUE(reference.ok() && optimized.ok()) << reference.message() << optimized.message();
  auto expected = (*reference)->run(inputs);
  ASSERT_TRUE(expected.ok()) << expected.message() << "\n" << text;
  for (int repeat = 0; repeat < 2; ++repeat) {  // the second run reuses the primitive and packed weights
    auto actual = (*optimized)->run(inputs);
    ASSERT_TRUE(actual.ok()) << actual.message() << "\n" << text;
    const Tensor& e = (*expected)[0];
    const Tensor& a = (*actual)[0];
    ASSERT_EQ(a.shape(), e.shape()) << text;
    double tolerance = 1e-4 * std::sqrt(static_cast<double>(std::max<int64_t>(terms, 1)));
    for (int64_t i = 0; i < e.elementCount(); ++i) {
      float r = e.data<float>()[i], v = a.data<float>()[i];
      if (std::isnan(r) && std::isnan(v)) continue;
      ASSERT_LE(std::fabs(v - r), tolerance * (1 + std::fabs(r))) << "element " << i << "\n" << text;
    }
  }
}

TEST(OneDnnKernels, ConvMatchesReferenceOnRandomGeometry) {
  std::mt19937 rng(1234);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* auto_pads[] = {"NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
  const char* activations[] = {"", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "HardSigmoid", "Silu"};
  for (int trial = 0; trial < 60; ++trial) {
    size_t rank = static_cast<size_t>(pick(1, 3));
    int64_t group = pick(0, 3) == 0 ? 0 : pick(1, 3);  // 0: depthwise
    int64_t per_group_in = pick(1, 4), per_group_out = pick(1, 4);
    int64_t channels = group == 0 ? pick(2, 8) : group * per_group_in;
    if (group == 0) group = channels, per_group_in = 1;
    int64_t out_channels = group * per_group_out;
    std::vector<int64_t> kernel, stride, dilation, pads(2 * rank), in;
    std::string auto_pad = auto_pads[pick(0, 4)];
    for (size_t i = 0; i < rank; ++i) {
      kernel.push_back(pick(1, rank == 3 ? 2 : 3));
      stride.push_back(pick(1, 3));
      dilation.push_back(pick(1, 2));
      pads[i] = pick(0, 2);
      pads[i + rank] = pick(0, 2);
      int64_t extent = (kernel[i] - 1) * dilation[i] + 1;
      in.push_back(extent + pick(0, rank == 3 ? 4 : 9));
    }
    Shape x_shape = {pick(1, 2), channels}, w_shape = {out_channels, per_group_in};
    x_shape.insert(x_shape.end(), in.begin(), in.end());
    w_shape.insert(w_shape.end(), kernel.begin(), kernel.end());
    bool bias = pick(0, 1) == 1, fused = pick(0, 1) == 1, residual = fused && pick(0, 1) == 1;
    std::string activation = fused ? activations[pick(0, 7)] : "";
    std::string attributes = fmt::format("group = {}, strides = {}, dilations = {}, auto_pad = \"{}\"", group,
                                         Ints(stride), Ints(dilation), auto_pad);
    if (auto_pad == "NOTSET") attributes += ", pads = " + Ints(pads);
    if (!activation.empty()) {
      attributes += fmt::format(", activation = \"{}\"", activation);
      if (activation == "LeakyRelu") attributes += ", activation_params = [0.1]";
      if (activation == "Clip") attributes += ", activation_params = [-0.5, 0.7]";
      if (activation == "HardSigmoid") attributes += ", activation_params = [0.3, 0.4]";
    }
    std::mt19937 data_rng(static_cast<unsigned>(trial));
    std::vector<NamedTensor> feeds = {{"x", RandomTensor(x_shape, data_rng)}, {"w", RandomTensor(w_shape, data_rng)}};
    std::string signature = fmt::format("float[{}] x, float[{}] w", Dims(x_shape), Dims(w_shape));
    std::string args = "x, w";
    if (bias || residual) {
      signature += fmt::format(", float[{}] b", out_channels);
      feeds.push_back({"b", RandomTensor({out_channels}, data_rng)});
      args += ", b";
    }
    if (residual) {
      // Z has the output's shape: take it from a first run of the plain Conv.
      auto probe = ParseModel(fmt::format(R"(
        <ir_version: 8, opset_import: ["" : 17]>
        g ({}) => (float[] y) {{ y = Conv({}) <{}> }}
      )", signature, args, attributes.substr(0, attributes.find(", activation"))));
      auto session = Session::Create(*probe);
      auto y = (*session)->run(feeds);
      ASSERT_TRUE(y.ok()) << y.message();
      Shape y_shape = (*y)[0].shape();
      signature += fmt::format(", float[{}] z", Dims(y_shape));
      feeds.push_back({"z", RandomTensor(y_shape, data_rng)});
      args += ", z";
    }
    std::string op = fused ? "com.microsoft.FusedConv" : "Conv";
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
      g ({}) => (float[] y) {{ y = {}({}) <{}> }}
    )", signature, op, args, attributes);
    SCOPED_TRACE(text);
    std::vector<std::string> constants;
    if (pick(0, 3) != 0) constants = {"w", "b"};
    int64_t terms = per_group_in;
    for (int64_t k : kernel) terms *= k;
    ExpectOptimizedMatchesReference(text, feeds, constants, terms);
  }
}

TEST(OneDnnKernels, MatMulMatchesReferenceOnRandomShapes) {
  std::mt19937 rng(99);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 60; ++trial) {
    int64_t m = pick(1, 9), k = pick(1, 40), n = pick(1, 33);
    int a_rank = pick(1, 4), b_rank = pick(1, 4);
    Shape a = {m, k}, b = {k, n};
    if (a_rank == 1) a = {k};
    if (b_rank == 1) b = {k};
    for (int i = 2; i < a_rank; ++i) a.insert(a.begin(), pick(1, 3));
    for (int i = 2; i < b_rank; ++i) b.insert(b.begin(), pick(0, 1) ? 1 : (a_rank > i ? a[a.size() - 1 - i] : pick(1, 3)));
    // Batch dims that cannot broadcast make an error on both kernel sets; keep those rare.
    std::mt19937 data_rng(static_cast<unsigned>(trial));
    std::vector<NamedTensor> feeds = {{"a", RandomTensor(a, data_rng)}, {"b", RandomTensor(b, data_rng)}};
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[{}] a, float[{}] b) => (float[] y) {{ y = MatMul(a, b) }}
    )", Dims(a), Dims(b));
    auto probe = ParseModel(text);
    SessionOptions reference_options;
    reference_options.reference_kernels = true;
    auto session = Session::Create(*probe, reference_options);
    if (!(*session)->run(feeds).ok()) continue;  // batch dims that do not broadcast
    SCOPED_TRACE(text);
    ExpectOptimizedMatchesReference(text, feeds, pick(0, 1) ? std::vector<std::string>{"b"} : std::vector<std::string>{},
                                    k);
  }
}

TEST(OneDnnKernels, GemmMatchesReferenceOnRandomAttributes) {
  std::mt19937 rng(7);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const float scalars[] = {1.0f, 1.0f, 0.5f, -2.0f, 0.0f};
  for (int trial = 0; trial < 60; ++trial) {
    int64_t m = pick(1, 12), k = pick(1, 40), n = pick(1, 24);
    bool trans_a = pick(0, 1), trans_b = pick(0, 1);
    float alpha = scalars[pick(0, 3)], beta = scalars[pick(0, 4)];
    Shape a = trans_a ? Shape{k, m} : Shape{m, k}, b = trans_b ? Shape{n, k} : Shape{k, n};
    Shape c_shapes[] = {{}, {n}, {1, n}, {m, n}, {m, 1}, {1}};
    int c_choice = pick(-1, 5);
    std::mt19937 data_rng(static_cast<unsigned>(trial));
    std::vector<NamedTensor> feeds = {{"a", RandomTensor(a, data_rng)}, {"b", RandomTensor(b, data_rng)}};
    std::string signature = fmt::format("float[{}] a, float[{}] b", Dims(a), Dims(b)), args = "a, b";
    if (c_choice >= 0) {
      Shape c = c_shapes[c_choice];
      signature += c.empty() ? ", float c" : fmt::format(", float[{}] c", Dims(c));
      feeds.push_back({"c", RandomTensor(c, data_rng)});
      args += ", c";
    }
    bool fused = pick(0, 2) == 0;
    std::string attributes = fmt::format("alpha = {:.1f}, beta = {:.1f}, transA = {}, transB = {}", alpha, beta,
                                         int{trans_a}, int{trans_b});
    if (fused) attributes += ", activation = \"LeakyRelu\", activation_alpha = 0.2";
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
      g ({}) => (float[] y) {{ y = {}({}) <{}> }}
    )", signature, fused ? "com.microsoft.FusedGemm" : "Gemm", args, attributes);
    SCOPED_TRACE(text);
    ExpectOptimizedMatchesReference(text, feeds, pick(0, 1) ? std::vector<std::string>{"b", "c"} : std::vector<std::string>{},
                                    k);
  }
}

TEST(OneDnnKernels, BinaryOpsMatchReferenceWithBroadcasting) {
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* ops[] = {"Add", "Sub", "Mul", "Div"};
  for (int trial = 0; trial < 80; ++trial) {
    size_t rank = static_cast<size_t>(pick(0, 4));
    Shape full(rank), other;
    for (auto& d : full) d = pick(1, 5);
    // The other operand: the same shape, a suffix of it, or with some dims 1 (or both broadcast).
    int kind = pick(0, 3);
    other.assign(full.begin() + (kind == 1 && rank > 0 ? pick(0, static_cast<int>(rank)) : 0), full.end());
    if (kind >= 2)
      for (auto& d : other) d = pick(0, 1) ? 1 : d;
    if (kind == 3 && rank > 0) full[0] = 1;  // both may broadcast: the reference kernel runs
    bool swap = pick(0, 1) == 1;
    Shape a = swap ? other : full, b = swap ? full : other;
    std::string op = ops[pick(0, 3)];
    std::mt19937 data_rng(static_cast<unsigned>(trial));
    Tensor tb = RandomTensor(b, data_rng);
    if (op == "Div")  // keep divisors away from 0
      for (int64_t i = 0; i < tb.elementCount(); ++i) tb.mutableData<float>()[i] += tb.data<float>()[i] < 0 ? -0.5f : 0.5f;
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[{}] a, float[{}] b) => (float[] y) {{ y = {}(a, b) }}
    )", Dims(a), Dims(b), op);
    SCOPED_TRACE(text);
    ExpectOptimizedMatchesReference(text, {{"a", RandomTensor(a, data_rng)}, {"b", tb}},
                                    pick(0, 1) ? std::vector<std::string>{"b"} : std::vector<std::string>{}, 1);
  }
}

TEST(OneDnnKernels, UnaryOpsAndSoftmaxMatchReference) {
  struct Case {
    const char* op;
    const char* attributes;
    bool positive;  // inputs in (0, 2] instead of [-1, 1]
  };
  const Case cases[] = {{"Abs", "", false},          {"Elu", "alpha = 0.7", false},   {"Exp", "", false},
                        {"HardSwish", "", false},    {"LeakyRelu", "", false},        {"LeakyRelu", "alpha = 0.3", false},
                        {"Log", "", true},           {"Neg", "", false},              {"Relu", "", false},
                        {"Sigmoid", "", false},      {"Softplus", "", false},         {"Sqrt", "", true},
                        {"Tanh", "", false},         {"Softmax", "", false},          {"Softmax", "axis = 1", false},
                        {"Softmax", "axis = 0", false}};
  std::mt19937 rng(3);
  for (const Case& c : cases) {
    for (int opset : {11, 17}) {  // Softmax: the flattened 2-D form, then one axis
      if (std::string_view(c.op) == "HardSwish" && opset < 14) continue;
      Shape shape = {2, 3, 5};
      Tensor x = RandomTensor(shape, rng);
      if (c.positive)
        for (int64_t i = 0; i < x.elementCount(); ++i) x.mutableData<float>()[i] = std::fabs(x.data<float>()[i]) + 0.01f;
      std::string text = fmt::format(R"(
        <ir_version: 8, opset_import: ["" : {}]>
        g (float[2,3,5] x) => (float[] y) {{ y = {}{}(x) }}
      )", opset, c.op, *c.attributes ? fmt::format(" <{}>", c.attributes) : "");
      SCOPED_TRACE(text);
      ExpectOptimizedMatchesReference(text, {{"x", x}}, {}, 5);
    }
  }
  for (const char* attributes : {"", " <alpha = 1.0>"}) {
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
      g (float[3,7] x) => (float[] y) {{ y = com.microsoft.QuickGelu{}(x) }}
    )", attributes);
    SCOPED_TRACE(text);
    ExpectOptimizedMatchesReference(text, {{"x", RandomTensor({3, 7}, rng)}}, {}, 1);
  }
  for (float exponent : {2.0f, 3.0f, 0.5f, -1.0f, 1.5f}) {
    Tensor x = RandomTensor({4, 6}, rng);
    std::string text = R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[4,6] x, float e) => (float[] y) { y = Pow(x, e) }
    )";
    SCOPED_TRACE(fmt::format("exponent {}", exponent));
    ExpectOptimizedMatchesReference(text, {{"x", x}, {"e", Tensor::Scalar(exponent)}}, {"e"}, 1);
  }
}

// Shapes the optimized kernels hand to the reference kernel: 4 spatial axes, empty tensors.
TEST(OneDnnKernels, UnsupportedCasesFallBackToTheReference) {
  std::mt19937 rng(5);
  ExpectOptimizedMatchesReference(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3,3,3] x, float[2,2,2,2,2,2] w) => (float[] y) { y = Conv(x, w) }
  )", {{"x", RandomTensor({1, 2, 3, 3, 3, 3}, rng)}, {"w", RandomTensor({2, 2, 2, 2, 2, 2}, rng)}}, {}, 32);
  ExpectOptimizedMatchesReference(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[0,4] a, float[4,3] b) => (float[] y) { y = MatMul(a, b) }
  )", {{"a", RandomTensor({0, 4}, rng)}, {"b", RandomTensor({4, 3}, rng)}}, {"b"}, 4);
}

}  // namespace
}  // namespace onnxkit::runtime
