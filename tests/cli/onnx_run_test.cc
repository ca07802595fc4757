// onnx-run: inputs from files, folders and seeded random data; outputs as .npy; --bench; errors.
#include <gtest/gtest.h>

#include "runtime/tensor_io.h"
#include "tests/cli/cli_util.h"
#include "tests/json_value.h"

namespace onnxkit::testing {
namespace {

std::string OnnxRunCommand(const std::string& arguments) { return ToolPath("onnx-run") + " " + arguments; }

constexpr std::string_view kAddRelu = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  g (float[N, 3] x) => (float[N, 3] y) {
    c = Constant<value = float[3] {1, -2, 0.5}>()
    t = Add(x, c)
    y = Relu(t)
  }
)";

class OnnxRun : public ::testing::Test {
 protected:
  void SetUp() override { WriteTextModel(temp_ / "m.onnx", kAddRelu); }
  std::string model() const { return (temp_ / "m.onnx").string(); }
  runtime::Tensor Output(const std::string& folder, int index = 0) {
    auto tensor = runtime::ReadNpy(temp_ / folder / fmt::format("output_{}.npy", index));
    EXPECT_TRUE(tensor.ok()) << tensor.message();
    return tensor.ok() ? std::move(tensor).value() : runtime::Tensor();
  }
  TempDir temp_;
};

TEST_F(OnnxRun, InputFromNpyAndOutputsAsNpy) {
  WriteFloatNpy(temp_ / "x.npy", {2, 3}, {0, 0, 0, 1, 1, -1});
  auto result = RunCommand(OnnxRunCommand(model() + " --input x=" + (temp_ / "x.npy").string() + " --out " + (temp_ / "out").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  runtime::Tensor y = Output("out");
  ASSERT_EQ(y.shape(), (runtime::Shape{2, 3}));
  std::vector<float> expected{1, 0, 0.5, 2, 0, 0};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(y.data<float>()[i], expected[static_cast<size_t>(i)]);
  EXPECT_NE(result.out.find("y: float[2,3]"), std::string::npos) << result.out;
}

TEST_F(OnnxRun, InputFromTensorProtoAndDataFolder) {
  std::filesystem::create_directory(temp_ / "data");
  auto x = runtime::Tensor::FromVector<float>(DataType::kFloat, {1, 3}, {-5, 5, 5});
  WriteFile(temp_ / "data" / "input_0.pb", runtime::ToTensorProto(x).SerializeAsString());
  auto result = RunCommand(OnnxRunCommand(model() + " --data " + (temp_ / "data").string() + " --out " + (temp_ / "out").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  runtime::Tensor y = Output("out");
  EXPECT_EQ(y.data<float>()[0], 0.f);
  EXPECT_EQ(y.data<float>()[1], 3.f);

  auto pb = RunCommand(OnnxRunCommand(model() + " --input x=" + (temp_ / "data" / "input_0.pb").string() + " --out " + (temp_ / "out2").string()));
  ASSERT_EQ(pb.exit_code, 0) << pb.err;
  EXPECT_EQ(Output("out2").data<float>()[1], 3.f);
}

TEST_F(OnnxRun, SaveInputsWritesTheRandomInputsItRan) {
  auto first = RunCommand(OnnxRunCommand(model() + " --seed 7 --shape x=4,3 --save-inputs " + (temp_ / "in").string() +
                                         " --out " + (temp_ / "out1").string()));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto x = runtime::ReadNpy(temp_ / "in" / "x.npy");
  ASSERT_TRUE(x.ok()) << x.message();
  EXPECT_EQ(x->shape(), (runtime::Shape{4, 3}));
  // Feeding the saved inputs back gives the same outputs.
  auto second = RunCommand(OnnxRunCommand(model() + " --data " + (temp_ / "in").string() + " --out " + (temp_ / "out2").string()));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  runtime::Tensor a = Output("out1"), b = Output("out2");
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.elementCount(); ++i) EXPECT_EQ(a.data<float>()[i], b.data<float>()[i]);
}

TEST_F(OnnxRun, DataFolderOfNamedNpyFiles) {
  std::filesystem::create_directory(temp_ / "named");
  WriteFloatNpy(temp_ / "named" / "x.npy", {1, 3}, {1, 1, 1});
  auto result = RunCommand(OnnxRunCommand(model() + " --data " + (temp_ / "named").string() + " --out " + (temp_ / "out").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Output("out").data<float>()[0], 2.f);
}

TEST_F(OnnxRun, RandomInputsAreSeededAndShapedBySymbolicDims) {
  auto a = RunCommand(OnnxRunCommand(model() + " --shape x=4,3 --seed 7 --out " + (temp_ / "a").string()));
  auto b = RunCommand(OnnxRunCommand(model() + " --shape x=4,3 --seed 7 --out " + (temp_ / "b").string()));
  auto c = RunCommand(OnnxRunCommand(model() + " --shape x=4,3 --seed 8 --out " + (temp_ / "c").string()));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0);
  ASSERT_EQ(c.exit_code, 0);
  runtime::Tensor ya = Output("a"), yb = Output("b"), yc = Output("c");
  EXPECT_EQ(ya.shape(), (runtime::Shape{4, 3}));
  EXPECT_EQ(0, std::memcmp(ya.raw(), yb.raw(), ya.byteSize()));
  EXPECT_NE(0, std::memcmp(ya.raw(), yc.raw(), ya.byteSize()));
  // Random floats are in [0, 1): y = relu(x + c) lies in [c, c + 1) where c > 0.
  for (int row = 0; row < 4; ++row) {
    EXPECT_GE(ya.data<float>()[row * 3], 1.f);
    EXPECT_LT(ya.data<float>()[row * 3], 2.f);
  }
  auto defaulted = RunCommand(OnnxRunCommand(model() + " --out " + (temp_ / "d").string()));
  ASSERT_EQ(defaulted.exit_code, 0);
  EXPECT_EQ(Output("d").shape(), (runtime::Shape{1, 3}));  // N defaults to 1
}

TEST_F(OnnxRun, BenchJson) {
  auto result = RunCommand(OnnxRunCommand(model() + " --bench 20 --json"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string error;
  auto json = ParseJson(result.out, &error);
  ASSERT_TRUE(json) << error << "\n" << result.out;
  for (const char* key : {"p50_ms", "p90_ms", "p99_ms", "mean_ms", "throughput_per_s", "peak_rss_mb"}) {
    ASSERT_TRUE(json->has(key)) << key;
    EXPECT_EQ((*json)[key].kind, JsonValue::Kind::kNumber) << key;
  }
  EXPECT_LE((*json)["p50_ms"].number, (*json)["p99_ms"].number);
  EXPECT_GT((*json)["peak_rss_mb"].number, 0);
  EXPECT_EQ((*json)["runs"].number, 20);
}

TEST_F(OnnxRun, OutputSummaryJson) {
  WriteFloatNpy(temp_ / "x.npy", {1, 3}, {1, 1, 1});
  auto result = RunCommand(OnnxRunCommand(model() + " --json --input x=" + (temp_ / "x.npy").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = ParseJson(result.out);
  ASSERT_TRUE(json) << result.out;
  const JsonValue& output = (*json)["outputs"][0];
  EXPECT_EQ(output["name"].string, "y");
  EXPECT_EQ(output["type"].string, "float");
  EXPECT_EQ(output["shape"][1].number, 3);
  EXPECT_EQ(output["max"].number, 2);
}

TEST_F(OnnxRun, UnknownInputName) {
  WriteFloatNpy(temp_ / "x.npy", {1, 3}, {1, 1, 1});
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --input nope=" + (temp_ / "x.npy").string())), 1, "no input 'nope'");
}

TEST_F(OnnxRun, WrongDtypeAndRank) {
  ASSERT_TRUE(runtime::WriteNpy(temp_ / "i.npy", runtime::Tensor::FromVector<int32_t>(DataType::kInt32, {1, 3}, {1, 2, 3})).ok());
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --input x=" + (temp_ / "i.npy").string())), 1, "input 'x' must be float, got int32");
  WriteFloatNpy(temp_ / "r.npy", {3}, {1, 2, 3});
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --input x=" + (temp_ / "r.npy").string())), 1, "must have rank 2");
}

TEST_F(OnnxRun, NotAnNpyFile) {
  WriteFile(temp_ / "bad.npy", "definitely not numpy");
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --input x=" + (temp_ / "bad.npy").string())), 1, "bad.npy: not a valid .npy");
  WriteFile(temp_ / "short.npy", std::string("\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", 70));
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --input x=" + (temp_ / "short.npy").string())), 1, "short.npy");
}

TEST_F(OnnxRun, DeclaredShapeIsEnforced) {
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --shape x=2,4")), 1, "input 'x' dimension 1 must be 3");
}

TEST_F(OnnxRun, IncompatibleShapesInsideTheGraph) {
  WriteTextModel(temp_ / "dynamic.onnx", R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N, M] x) => (float[N, M] y) {
      c = Constant<value = float[3] {1, -2, 0.5}>()
      y = Add(x, c)
    }
  )");
  auto result = RunCommand(OnnxRunCommand((temp_ / "dynamic.onnx").string() + " --shape x=2,4"));
  ExpectOneLineError(result, 1, "(Add)");
  EXPECT_NE(result.err.find("cannot be broadcast"), std::string::npos) << result.err;
}

TEST_F(OnnxRun, AbsurdLoopTripCount) {
  WriteTextModel(temp_ / "loop.onnx", R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      m = Constant<value = int64 {1000000000000}>()
      y = Loop(m, , x) <body = b (int64 i, bool c, float[2] v) => (bool c_out, float[2] v_out) {
        c_out = Identity(c)
        v_out = Identity(v)
      }>
    }
  )");
  ExpectOneLineError(RunCommand(OnnxRunCommand((temp_ / "loop.onnx").string())), 1, "exceeds the limit");
}

TEST_F(OnnxRun, MissingModelAndUsage) {
  ExpectOneLineError(RunCommand(OnnxRunCommand((temp_ / "none.onnx").string())), 1, "no such file");
  ExpectOneLineError(RunCommand(OnnxRunCommand("")), 2, "model");
  ExpectOneLineError(RunCommand(OnnxRunCommand(model() + " --bench -3")), 2, "bench");
}

}  // namespace
}  // namespace onnxkit::testing
