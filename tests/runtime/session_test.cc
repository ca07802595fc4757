// The executor: observer hook, freeing after last use, input checks, defaults, errors, subgraphs.
#include <gtest/gtest.h>

#include "runtime/session.h"
#include "tests/test_util.h"

namespace onnxkit::runtime {
namespace {

using testing::ParseModel;

std::unique_ptr<Session> MakeSession(const Model& model) {
  auto session = Session::Create(model);
  EXPECT_TRUE(session.ok()) << session.message();
  return session.ok() ? std::move(session).value() : nullptr;
}

Tensor Floats(Shape shape, std::vector<float> values) { return Tensor::FromVector<float>(DataType::kFloat, std::move(shape), values); }

TEST(Session, ObserverSeesEveryNodeIncludingSubgraphs) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(c) <then_branch = t () => (float[2] v) { v = Add(r, r) },
                  else_branch = e () => (float[2] w) { w = Identity(r) }>
    }
  )");
  auto session = MakeSession(*model);
  std::vector<std::string> seen;
  RunOptions options;
  options.observer = [&](const Node& node, std::span<const Tensor> outputs) {
    seen.push_back(node.opType());
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_TRUE(outputs[0].defined());
  };
  auto condition = Tensor::FromVector<uint8_t>(DataType::kBool, {}, {1});
  auto outputs = session->run({{"c", condition}, {"x", Floats({2}, {-1, 2})}}, options);
  ASSERT_TRUE(outputs.ok()) << outputs.message();
  EXPECT_EQ(seen, (std::vector<std::string>{"Relu", "Add", "If"}));
  EXPECT_EQ((*outputs)[0].data<float>()[1], 4.f);  // Add(r, r) read the outer r in place
}

TEST(Session, IntermediatesAreFreedAfterTheirLastUse) {
  // A chain of 60 Relus over a 16 MiB tensor: holding every intermediate would need ~1 GiB.
  std::string body;
  std::string previous = "x";
  for (int i = 0; i < 60; ++i) {
    body += fmt::format("t{} = Relu({})\n", i, previous);
    previous = fmt::format("t{}", i);
  }
  auto model = ParseModel(fmt::format(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[4194304] x) => (float[4194304] y) {{
      {}
      y = Identity({})
    }}
  )", body, previous));
  auto session = MakeSession(*model);
  auto input = Tensor::Zeros(DataType::kFloat, {4194304});
  ASSERT_TRUE(input.ok());
  ResetPeakTensorBytes();
  uint64_t before = LiveTensorBytes();
  int observed = 0;
  RunOptions options;
  options.observer = [&](const Node&, std::span<const Tensor>) { ++observed; };
  auto outputs = session->run({{"x", *input}}, options);
  ASSERT_TRUE(outputs.ok()) << outputs.message();
  EXPECT_EQ(observed, 61);
  // At most the step's input and output are alive at once (plus the result).
  uint64_t grown_mb = (PeakTensorBytes() - before) >> 20;
  EXPECT_LE(grown_mb, 48u) << "peak tensor memory grew by " << grown_mb << " MiB";
}

TEST(Session, TotalMemoryLimitFailsCleanlyAndReleasesTheReservation) {
  uint64_t saved = TotalTensorByteLimit();
  SetTotalTensorByteLimit(LiveTensorBytes() + (3u << 20));  // room for 3 MiB more
  auto first = Tensor::Allocate(DataType::kFloat, {512 * 1024});  // 2 MiB
  ASSERT_TRUE(first.ok()) << first.message();
  auto second = Tensor::Allocate(DataType::kFloat, {512 * 1024});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.message().find("total memory limit"), std::string::npos) << second.message();
  *first = Tensor();  // freed: the same allocation fits again
  EXPECT_TRUE(Tensor::Allocate(DataType::kFloat, {512 * 1024}).ok());
  SetTotalTensorByteLimit(saved);
}

const char* kScale = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  g (float[2] x, float[2] s) => (float[2] y) <float[2] s = {10, 10}> {
    y = Add(x, s)
  }
)";

TEST(Session, InputsWithDefaultsMayBeOmitted) {
  auto model = ParseModel(kScale);
  auto session = MakeSession(*model);
  ASSERT_TRUE(session->inputs()[1].has_default);
  auto defaulted = session->run({{"x", Floats({2}, {1, 2})}});
  ASSERT_TRUE(defaulted.ok()) << defaulted.message();
  EXPECT_EQ((*defaulted)[0].data<float>()[0], 11.f);
  auto overridden = session->run({{"x", Floats({2}, {1, 2})}, {"s", Floats({2}, {0, 0})}});
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ((*overridden)[0].data<float>()[0], 1.f);
}

TEST(Session, FeedsAreChecked) {
  auto model = ParseModel(kScale);
  auto session = MakeSession(*model);
  auto missing = session->run({});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("input 'x' was not given"), std::string::npos) << missing.message();
  auto unknown = session->run({{"nope", Floats({2}, {1, 2})}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("unknown input 'nope'"), std::string::npos) << unknown.message();
  auto wrong_type = session->run({{"x", Tensor::FromVector<int64_t>(DataType::kInt64, {2}, {1, 2})}});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.message().find("must be float, got int64"), std::string::npos) << wrong_type.message();
  auto wrong_dim = session->run({{"x", Floats({3}, {1, 2, 3})}});
  ASSERT_FALSE(wrong_dim.ok());
  EXPECT_NE(wrong_dim.message().find("dimension 0 must be 2"), std::string::npos) << wrong_dim.message();
}

TEST(Session, UnknownOpIsAClearErrorAtCreation) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17, "com.example" : 1]>
    g (float[2] x) => (float[2] y) { y = com.example.Frobnicate(x) }
  )");
  auto session = Session::Create(*model);
  ASSERT_FALSE(session.ok());
  EXPECT_NE(session.message().find("(Frobnicate)"), std::string::npos) << session.message();
  EXPECT_NE(session.message().find("domain 'com.example'"), std::string::npos) << session.message();
  EXPECT_NE(session.message().find("opset 1"), std::string::npos) << session.message();
}

TEST(Session, KernelErrorsNameTheNode) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N] x, float[M] z) => (float[N] y) { y = Add(x, z) }
  )");
  auto session = MakeSession(*model);
  auto result = session->run({{"x", Floats({2}, {1, 2})}, {"z", Floats({3}, {1, 2, 3})}});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.message().find("producing 'y'"), std::string::npos) << result.message();
  EXPECT_NE(result.message().find("cannot be broadcast"), std::string::npos) << result.message();
}

TEST(Session, RunsAreRepeatable) {
  auto model = ParseModel(kScale);
  auto session = MakeSession(*model);
  for (int i = 0; i < 3; ++i) {
    auto outputs = session->run({{"x", Floats({2}, {1, static_cast<float>(i)})}});
    ASSERT_TRUE(outputs.ok());
    EXPECT_EQ((*outputs)[0].data<float>()[1], 10.f + static_cast<float>(i));
  }
}

}  // namespace
}  // namespace onnxkit::runtime
