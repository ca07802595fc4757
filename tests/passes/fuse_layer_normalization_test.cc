#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {


namespace {
// The text parser of libonnx 1.12 cannot read float16 data, so float16 cases are written in float
// and converted: every float initializer, graph input/output and value_info becomes float16.
std::unique_ptr<Model> ParseAsFloat16(const std::string& text) {
  auto model = ParseModel(text);
  auto to_half = [](onnx::TypeProto& type) {
    if (type.has_tensor_type() && type.tensor_type().elem_type() == onnx::TensorProto::FLOAT)
      type.mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT16);
  };
  ForEachGraph(model->graph(), [&](Graph& graph) {
    for (Value* value : graph.values()) {
      if (value->isInitializer() && value->initializer()->dtype() == DataType::kFloat) {
        const Tensor& tensor = *value->initializer();
        std::vector<uint16_t> halves;
        for (int64_t i = 0; i < tensor.elementCount(); ++i)
          halves.push_back(FloatToHalf(static_cast<float>(tensor.ElementAsDouble(i))));
        std::vector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
        graph.setInitializer(value, Tensor::FromValues<uint16_t>(DataType::kFloat16, dims, halves));
      }
      if (value->hasType()) to_half(*value->mutableType());
    }
    std::vector<std::pair<Value*, onnx::ValueInfoProto>> outputs;
    for (size_t i = 0; i < graph.outputs().size(); ++i) {
      onnx::ValueInfoProto declaration = graph.outputDeclaration(i);
      to_half(*declaration.mutable_type());
      outputs.emplace_back(graph.outputs()[i], declaration);
    }
    while (!graph.outputs().empty()) graph.removeOutput(graph.outputs().size() - 1);
    for (auto& [value, declaration] : outputs) graph.addOutput(value, declaration);
  });
  return model;
}
}  // namespace

// A float16 case (declared in the fuse test files that use it): the float model `text` converted
// to float16 goes through `passes`; the result's main-graph op types (in order) must be
// `expected_ops`. Checks verification, the fixed point, byte-identity when nothing changed, and
// agreement with the original on the runtime within `tolerance`.
size_t CheckFloat16Case(const std::string& text, const std::vector<std::string>& passes,
                        const std::vector<std::string>& expected_ops, runtime::Tolerance tolerance) {
  auto run = [&](Model& model) -> size_t {
    PassManagerOptions options;
    options.verify_each = true;
    PassManager manager(options);
    Status added = manager.addGroup(passes);
    EXPECT_TRUE(added.ok()) << added.message();
    auto rewrites = manager.run(model);
    EXPECT_TRUE(rewrites.ok()) << rewrites.message();
    return rewrites.ok() ? *rewrites : 0;
  };
  auto model = ParseAsFloat16(text);
  auto original = ParseAsFloat16(text);
  Status valid = VerifyModel(*model);
  EXPECT_TRUE(valid.ok()) << "input does not verify: " << valid.message();
  std::string before = Serialize(*model);
  size_t rewrites = run(*model);
  std::string after = Serialize(*model);
  if (rewrites == 0) {
    EXPECT_EQ(before, after) << "a pass reporting no change modified the model";
  }
  std::vector<std::string> ops;
  auto order = model->graph().topologicalOrder();
  EXPECT_TRUE(order.ok());
  if (order.ok()) {
    for (const Node* node : *order) ops.push_back(node->opType());
  }
  EXPECT_EQ(ops, expected_ops);
  EXPECT_EQ(CompareOnRuntime(*original, *model, tolerance), "");
  EXPECT_EQ(run(*model), 0u) << "a second run changed the model again";
  EXPECT_EQ(Serialize(*model), after);
  return rewrites;
}

namespace {

const std::vector<std::string> kPass = {"fuse-layer-normalization"};
const runtime::Tolerance kTolerance{1e-3, 1e-4};

std::string Header(int opset) { return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n"; }

// x: float[2,3,4]; constants two, eps, gamma[4], beta[4].
const std::string kSignature = R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4}>)";

// The statistics up to n = (x - mean) / std, PyTorch's form.
const std::string kStatistics = R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
)";

const std::string kFused = Header(17) + kSignature + R"( {
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)
    })";

TEST(FuseLayerNormalization, PyTorchPatternWithScaleAndBias) {
  EXPECT_EQ(CheckPassCase({Header(17) + kSignature + "{" + kStatistics + R"(
      g = Mul(n, gamma)
      y = Add(g, beta)
    })", kPass, kFused, kTolerance}), 1u);
}

TEST(FuseLayerNormalization, MulSquareReciprocalAndSwappedOperands) {
  CheckPassCase({Header(17) + kSignature + R"( {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Mul(d, d)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(eps, var)
      std = Sqrt(ve)
      r = Reciprocal(std)
      n = Mul(r, d)
      g = Mul(gamma, n)
      y = Add(beta, g)
    })", kPass, kFused, kTolerance});
}

TEST(FuseLayerNormalization, TensorFlowPatternWithTwoSubs) {
  CheckPassCase({Header(17) + kSignature + R"( {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Mul(d, d)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      d2 = Sub(x, mean)
      n = Div(d2, std)
      g = Mul(n, gamma)
      y = Add(g, beta)
    })", kPass, kFused, kTolerance});
}

TEST(FuseLayerNormalization, WithoutScaleAndBiasGetsOnes) {
  CheckPassCase({Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}> {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    })", kPass, Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
      <float two = {2.0}, float eps = {1e-5}, float[4] y_scale = {1.0, 1.0, 1.0, 1.0}> {
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, y_scale)
    })", kTolerance});
}

TEST(FuseLayerNormalization, BiasWithoutScale) {
  CheckPassCase({Header(17) + kSignature + "{" + kStatistics + R"(
      y = Add(n, beta)
    })", kPass, Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4},
     float[4] y_scale = {1.0, 1.0, 1.0, 1.0}> {
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, y_scale, beta)
    })", kTolerance});
}

TEST(FuseLayerNormalization, ResultUsedByAnotherNodeKeepsItsName) {
  CheckPassCase({Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] z)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4}>)" +
                     "{" + kStatistics + R"(
      g = Mul(n, gamma)
      y = Add(g, beta)
      z = Relu(y)
    })", kPass, Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] z)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4}> {
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)
      z = Relu(y)
    })", kTolerance});
}

TEST(FuseLayerNormalization, LastTwoAxesWithPositiveAxes) {
  CheckPassCase({Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-3}, float[3,4] gamma = {1,2,3,4,5,6,7,8,9,10,11,12}, float[4] beta = {0.1, 0.2, 0.3, 0.4}> {
      mean = ReduceMean<axes = [1, 2]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [2, -2]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      g = Mul(n, gamma)
      y = Add(g, beta)
    })", kPass, Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-3}, float[3,4] gamma = {1,2,3,4,5,6,7,8,9,10,11,12}, float[4] beta = {0.1, 0.2, 0.3, 0.4},
     float[3,4] beta__1 = {0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4}> {
      y = LayerNormalization<axis = -2, epsilon = 1e-3>(x, gamma, beta__1)
    })", kTolerance});
}

TEST(FuseLayerNormalization, ScaleAndBiasBroadcastToTheNormalizedShape) {
  CheckPassCase({Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[1,1,4] gamma = {0.5, 1.0, -2.0, 3.0}, float beta = {0.25}>)" +
                     "{" + kStatistics + R"(
      g = Mul(n, gamma)
      y = Add(g, beta)
    })", kPass, Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[1,1,4] gamma = {0.5, 1.0, -2.0, 3.0}, float beta = {0.25},
     float[4] gamma__1 = {0.5, 1.0, -2.0, 3.0}, float[4] beta__2 = {0.25, 0.25, 0.25, 0.25}> {
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma__1, beta__2)
    })", kTolerance});
}

TEST(FuseLayerNormalization, ScaleOverOtherAxesStaysAMul) {
  // gamma [3, 1] scales along axis 1, which is not normalized: only the normalization is fused.
  CheckPassCase({Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[3,1] gamma = {0.5, 1.0, -2.0}>)" +
                     "{" + kStatistics + R"(
      y = Mul(n, gamma)
    })", kPass, Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[3,1] gamma = {0.5, 1.0, -2.0}, float[4] n_scale = {1.0, 1.0, 1.0, 1.0}> {
      n = LayerNormalization<axis = -1, epsilon = 1e-5>(x, n_scale)
      y = Mul(n, gamma)
    })", kTolerance});
}

TEST(FuseLayerNormalization, ScaleThatWidensTheOutputStaysAMul) {
  // gamma [4] against x [2,3,1]: the Mul broadcasts the normalized axis from 1 to 4.
  CheckPassCase({Header(17) + R"(g (float[2,3,1] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}>)" +
                     "{" + kStatistics + R"(
      y = Mul(n, gamma)
    })", kPass, Header(17) + R"(g (float[2,3,1] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[1] n_scale = {1.0}> {
      n = LayerNormalization<axis = -1, epsilon = 1e-5>(x, n_scale)
      y = Mul(n, gamma)
    })", kTolerance});
}

TEST(FuseLayerNormalization, Opset18AxesInput) {
  CheckPassCase({Header(18) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4},
     int64[1] axes = {-1}> {
      mean = ReduceMean(x, axes)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean(sq, axes)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      g = Mul(n, gamma)
      y = Add(g, beta)
    })", kPass, Header(18) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4},
     int64[1] axes = {-1}> {
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)
    })", kTolerance});
}

TEST(FuseLayerNormalization, Float16) {
  EXPECT_EQ(CheckFloat16Case(Header(17) + R"(g (float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {0.001}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}> {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      y = Mul(n, gamma)
    })", kPass, {"LayerNormalization"}, runtime::Tolerance{2e-2, 2e-2}), 1u);
}

TEST(FuseLayerNormalization, ConstantNodesAndShapesFromValueInfo) {
  CheckPassCase({Header(17) + R"(g (float[N,S,4] x) => (float[N,S,4] y) <float[N,S,4] d> {
      two = Constant<value = float {2.0}>()
      eps = Constant<value = float {1e-5}>()
      gamma = Constant<value = float[4] {0.5, 1.0, -2.0, 3.0}>()
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      y = Mul(n, gamma)
    })", kPass, Header(17) + R"(g (float[N,S,4] x) => (float[N,S,4] y) {
      two = Constant<value = float {2.0}>()
      eps = Constant<value = float {1e-5}>()
      gamma = Constant<value = float[4] {0.5, 1.0, -2.0, 3.0}>()
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma)
    })", kTolerance});
}

TEST(FuseLayerNormalization, NormalizedDimFromTheProducers) {
  // x = MatMul(a, w[8,4]) + b[4] has no declared type: its last dim is w's and b's 4. a's other
  // dims are symbolic (2 on the runtime).
  CheckPassCase({Header(17) + R"(g (float[N,S,8] a) => (float[N,S,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4},
     float[8,4] w = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32},
     float[4] b = {0.5, 0.5, -0.5, -0.5}> {
      m = MatMul(a, w)
      x = Add(b, m)
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      g = Mul(n, gamma)
      y = Add(g, beta)
    })", kPass, Header(17) + R"(g (float[N,S,8] a) => (float[N,S,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[4] beta = {0.1, 0.2, 0.3, 0.4},
     float[8,4] w = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32},
     float[4] b = {0.5, 0.5, -0.5, -0.5}> {
      m = MatMul(a, w)
      x = Add(b, m)
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)
    })", kTolerance});
  // A Gather from an embedding table [5, 4], through Relu.
  CheckPassCase({Header(17) + R"(g (int64[N,S] ids) => (float[N,S,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0},
     float[5,4] table = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20}> {
      e = Gather(table, ids)
      x = Relu(e)
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      y = Mul(n, gamma)
    })", kPass, Header(17) + R"(g (int64[N,S] ids) => (float[N,S,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0},
     float[5,4] table = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20}> {
      e = Gather(table, ids)
      x = Relu(e)
      y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma)
    })", kTolerance, /*run_numerically=*/false});  // random ids would index outside the table
}

TEST(FuseLayerNormalization, NormalizedDimThatMightBeOne) {
  // x = a + c with c [1] and a's last dim unknown: x's last dim may be 1, and then Mul by gamma [4]
  // would widen it. Neither the Mul nor the normalization (which needs gamma's shape) is fused.
  CheckPassCase({Header(17) + R"(g (float[N,S,H] a) => (float[N,S,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}, float[1] c = {0.5}> {
      x = Add(a, c)
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      n = Div(d, std)
      y = Mul(n, gamma)
    })", kPass, "", std::nullopt, /*run_numerically=*/false});  // H would be 2, not 4
}

TEST(FuseLayerNormalization, InsideSubgraph) {
  CheckPassCase({Header(17) + R"(g (bool c, float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}> {
      y = If(c) <then_branch = t () => (float[2,3,4] v) {
                   mean = ReduceMean<axes = [-1]>(x)
                   d = Sub(x, mean)
                   sq = Pow(d, two)
                   var = ReduceMean<axes = [-1]>(sq)
                   ve = Add(var, eps)
                   std = Sqrt(ve)
                   n = Div(d, std)
                   v = Mul(n, gamma)
                 },
                 else_branch = e () => (float[2,3,4] w) { w = Neg(x) }>
    })", kPass, Header(17) + R"(g (bool c, float[2,3,4] x) => (float[2,3,4] y)
    <float two = {2.0}, float eps = {1e-5}, float[4] gamma = {0.5, 1.0, -2.0, 3.0}> {
      y = If(c) <then_branch = t () => (float[2,3,4] v) {
                   v = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma)
                 },
                 else_branch = e () => (float[2,3,4] w) { w = Neg(x) }>
    })", kTolerance});
}

// ---- Negative cases: one per condition ----

std::string Decomposed(int opset, const std::string& signature, const std::string& body) {
  return Header(opset) + signature + " {" + body + "}";
}

TEST(FuseLayerNormalization, NotBeforeOpset17) {
  CheckPassCase({Decomposed(16, kSignature, kStatistics + "g = Mul(n, gamma)\n y = Add(g, beta)\n"), kPass, ""});
}

TEST(FuseLayerNormalization, KeepdimsZero) {
  CheckPassCase({Decomposed(17, R"(g (float[2,2,2] x) => (float[2,2,2] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1], keepdims = 0>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, DifferentAxes) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-2]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, AxesThatAreNotTrailing) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, ReduceOverAllAxesWithoutAxes) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, Opset18AxesNotConstant) {
  CheckPassCase({Decomposed(18, R"(g (float[2,3,4] x, int64[1] axes) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean(x, axes)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean(sq, axes)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, "", std::nullopt, /*run_numerically=*/false});  // random axes do not run
}

TEST(FuseLayerNormalization, SubOfAnotherValue) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x, float[2,3,4] z) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(z, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, SecondSubOfAnotherValue) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x, float[2,3,4] z) => (float[2,3,4] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      d2 = Sub(z, mean)
      y = Div(d2, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, ExponentNotTwo) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[2,3,4] y) <float three = {3.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, three)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, SquareOfTwoDifferentValues) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[2,3,4] y) <float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Mul(d, x)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, IntermediateValuesWithOtherUses) {
  for (const char* extra : {"mean", "d", "sq", "var", "ve", "std"}) {
    SCOPED_TRACE(extra);
    CheckPassCase({Decomposed(17, std::string(R"(g (float[2,3,4] x) => (float[2,3,4] y, float[2,3,4] extra)
        <float two = {2.0}, float eps = {1e-5}>)"), std::string(R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
      extra = Add(x, )") + extra + ")\n"),
                   kPass, ""});
  }
}

TEST(FuseLayerNormalization, IntermediateGraphOutput) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[2,3,4] y, float[2,3,1] var) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, EpsilonNotConstant) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x, float eps) => (float[2,3,4] y) <float two = {2.0}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, EpsilonThatWidensTheRank) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,4] x) => (float[1,2,3,4] y) <float two = {2.0}, float[1,1,1,1] eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, DoubleIsNotFused) {
  CheckPassCase({Decomposed(17, R"(g (double[2,3,4] x) => (double[2,3,4] y) <double two = {2.0}, double eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

TEST(FuseLayerNormalization, NormalizedDimsUnknown) {
  CheckPassCase({Decomposed(17, R"(g (float[2,3,H] x) => (float[2,3,H] y) <float two = {2.0}, float eps = {1e-5}>)", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      std = Sqrt(ve)
      y = Div(d, std)
    )"), kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
