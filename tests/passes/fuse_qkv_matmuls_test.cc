#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-qkv-matmuls"};
// The merged MatMul computes every column with the same dot product: results are bit-identical.
const std::optional<runtime::Tolerance> kTolerance = std::nullopt;

std::string Header(int opset) { return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n"; }

const std::string kWeights =
    "float[4,2] wq = {1, 2, 3, 4, 5, 6, 7, 8}, float[4,3] wk = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "
    "float[4,1] wv = {21, 22, 23, 24}";
const std::string kMerged = "float[4,6] wq_merged = {1, 2, 9, 10, 11, 21, 3, 4, 12, 13, 14, 22, 5, 6, 15, 16, 17, 23, "
                            "7, 8, 18, 19, 20, 24}";
const std::string kBiases = "float[2] bq = {0.5, -0.5}, float[3] bk = {1, 2, 3}, float[1] bv = {-1}";
const std::string kSignature = "g (float[2,4] x) => (float[2,2] q, float[2,3] k, float[2,1] v)";

TEST(FuseQkvMatmuls, ThreeMatMulsOfOneInput) {
  EXPECT_EQ(CheckPassCase({Header(13) + kSignature + " <" + kWeights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, Header(13) + kSignature + " <" + kWeights + ", " + kMerged + R"(, int64[3] split_sizes = {2, 3, 1}> {
      q_merged = MatMul(x, wq_merged)
      q, k, v = Split<axis = -1>(q_merged, split_sizes)
    })", kTolerance}), 1u);
}

TEST(FuseQkvMatmuls, WithBiasesAndUsersAfterwards) {
  const std::string signature = "g (float[2,3,4] x) => (float[2,3,2] q, float[2,3,3] k, float[2,3,1] v)";
  CheckPassCase({Header(17) + signature + " <" + kWeights + ", " + kBiases + R"(> {
      mq = MatMul(x, wq)
      mk = MatMul(x, wk)
      mv = MatMul(x, wv)
      q = Add(mq, bq)
      ak = Add(bk, mk)
      av = Add(mv, bv)
      k = Relu(ak)
      v = Neg(av)
    })", kPass, Header(17) + signature + " <" + kWeights + ", " + kBiases + ", " + kMerged +
                    R"(, float[6] bq_merged = {0.5, -0.5, 1, 2, 3, -1}, int64[3] split_sizes = {2, 3, 1}> {
      mq_merged = MatMul(x, wq_merged)
      q_merged = Add(mq_merged, bq_merged)
      q, ak, av = Split<axis = -1>(q_merged, split_sizes)
      k = Relu(ak)
      v = Neg(av)
    })", kTolerance});
}

TEST(FuseQkvMatmuls, TwoMatMulsWithBiases) {
  const std::string signature = "g (float[2,4] x) => (float[2,2] q, float[2,3] k)";
  const std::string constants = "float[4,2] wq = {1, 2, 3, 4, 5, 6, 7, 8}, "
                                "float[4,3] wk = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "
                                "float[2] bq = {0.5, -0.5}, float[3] bk = {1, 2, 3}";
  CheckPassCase({Header(13) + signature + " <" + constants + R"(> {
      mq = MatMul(x, wq)
      mk = MatMul(x, wk)
      q = Add(mq, bq)
      k = Add(mk, bk)
    })", kPass, Header(13) + signature + " <" + constants +
                    R"(, float[4,5] wq_merged = {1, 2, 9, 10, 11, 3, 4, 12, 13, 14, 5, 6, 15, 16, 17, 7, 8, 18, 19, 20},
                       float[5] bq_merged = {0.5, -0.5, 1, 2, 3}, int64[2] split_sizes = {2, 3}> {
      mq_merged = MatMul(x, wq_merged)
      q_merged = Add(mq_merged, bq_merged)
      q, k = Split<axis = -1>(q_merged, split_sizes)
    })", kTolerance});
}

TEST(FuseQkvMatmuls, BiasesOnlyWhenEveryBranchHasOne) {
  const std::string signature = "g (float[2,4] x) => (float[2,2] q, float[2,3] k, float[2,1] v)";
  CheckPassCase({Header(13) + signature + " <" + kWeights + ", " + kBiases + R"(> {
      mq = MatMul(x, wq)
      mk = MatMul(x, wk)
      v = MatMul(x, wv)
      q = Add(mq, bq)
      k = Add(mk, bk)
    })", kPass, Header(13) + signature + " <" + kWeights + ", " + kBiases + ", " + kMerged +
                    R"(, int64[3] split_sizes = {2, 3, 1}> {
      mq_merged = MatMul(x, wq_merged)
      mq, mk, v = Split<axis = -1>(mq_merged, split_sizes)
      q = Add(mq, bq)
      k = Add(mk, bk)
    })", kTolerance});
}

TEST(FuseQkvMatmuls, SplitAttributeBeforeOpset13) {
  CheckPassCase({Header(11) + kSignature + " <" + kWeights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, Header(11) + kSignature + " <" + kWeights + ", " + kMerged + R"(> {
      q_merged = MatMul(x, wq_merged)
      q, k, v = Split<axis = -1, split = [2, 3, 1]>(q_merged)
    })", kTolerance});
  CheckPassCase({Header(9) + kSignature + " <" + kWeights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, Header(9) + kSignature + " <" + kWeights + ", " + kMerged + R"(> {
      q_merged = MatMul(x, wq_merged)
      q, k, v = Split<axis = 1, split = [2, 3, 1]>(q_merged)
    })", kTolerance});
}

TEST(FuseQkvMatmuls, OneDimensionalInputAndIntegers) {
  const std::string signature = "g (int32[4] x) => (int32[2] q, int32[3] k, int32[1] v)";
  const std::string weights = "int32[4,2] wq = {1, 2, 3, 4, 5, 6, 7, 8}, "
                              "int32[4,3] wk = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "
                              "int32[4,1] wv = {21, 22, 23, 24}";
  const std::string merged = "int32[4,6] wq_merged = {1, 2, 9, 10, 11, 21, 3, 4, 12, 13, 14, 22, 5, 6, 15, 16, 17, 23, "
                             "7, 8, 18, 19, 20, 24}";
  CheckPassCase({Header(13) + signature + " <" + weights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, Header(13) + signature + " <" + weights + ", " + merged + R"(, int64[3] split_sizes = {2, 3, 1}> {
      q_merged = MatMul(x, wq_merged)
      q, k, v = Split<axis = -1>(q_merged, split_sizes)
    })"});
}

TEST(FuseQkvMatmuls, InsideSubgraph) {
  const std::string signature = "g (bool b, float[2,4] x) => (float[2,6] y)";
  CheckPassCase({Header(13) + signature + " <" + kWeights + R"(> {
      y = If(b) <then_branch = t () => (float[2,6] o) {
                   q = MatMul(x, wq)
                   k = MatMul(x, wk)
                   v = MatMul(x, wv)
                   o = Concat<axis = 1>(q, k, v)
                 },
                 else_branch = e () => (float[2,6] w) { w = Concat<axis = 1>(x, x) }>
    })", kPass, Header(13) + signature + " <" + kWeights + R"(> {
      y = If(b) <then_branch = t () => (float[2,6] o) <)" + kMerged + R"(, int64[3] split_sizes = {2, 3, 1}> {
                   q_merged = MatMul(x, wq_merged)
                   q, k, v = Split<axis = -1>(q_merged, split_sizes)
                   o = Concat<axis = 1>(q, k, v)
                 },
                 else_branch = e () => (float[2,6] w) { w = Concat<axis = 1>(x, x) }>
    })", kTolerance});
}

// ---- Negative cases ----

TEST(FuseQkvMatmuls, TwoMatMulsWithoutBiasesDoNotReduceTheNodeCount) {
  CheckPassCase({Header(13) + "g (float[2,4] x) => (float[2,2] q, float[2,3] k) <" + kWeights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
    })", kPass, ""});
}

TEST(FuseQkvMatmuls, WeightUsedElsewhere) {
  CheckPassCase({Header(13) + "g (float[2,4] x) => (float[2,2] q, float[2,3] k, float[2,1] v, float[4,2] z) <" +
                     kWeights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
      z = Neg(wq)
    })", kPass, ""});
}

TEST(FuseQkvMatmuls, WeightNotConstant) {
  CheckPassCase({Header(13) + "g (float[2,4] x, float[4,2] wq) => (float[2,2] q, float[2,3] k, float[2,1] v) <" +
                     std::string("float[4,3] wk = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, float[4,1] wv = {21, 22, 23, 24}") +
                     R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, ""});
}

TEST(FuseQkvMatmuls, DifferentInputs) {
  CheckPassCase({Header(13) + "g (float[2,4] x, float[2,4] z) => (float[2,2] q, float[2,3] k, float[2,1] v) <" +
                     kWeights + R"(> {
      q = MatMul(x, wq)
      k = MatMul(z, wk)
      v = MatMul(x, wv)
    })", kPass, ""});
}

TEST(FuseQkvMatmuls, WeightsOfOtherRank) {
  CheckPassCase({Header(13) + "g (float[2,4] x) => (float[2,2] q, float[2,3] k, float[1,2,1] v) <" +
                     std::string("float[4,2] wq = {1, 2, 3, 4, 5, 6, 7, 8}, "
                                 "float[4,3] wk = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "
                                 "float[1,4,1] wv = {21, 22, 23, 24}") +
                     R"(> {
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, ""});
}

TEST(FuseQkvMatmuls, BiasOfAnotherShapeIsNotMerged) {
  CheckPassCase({Header(13) + "g (float[2,4] x) => (float[2,2] q, float[2,3] k) <" +
                     std::string("float[4,2] wq = {1, 2, 3, 4, 5, 6, 7, 8}, "
                                 "float[4,3] wk = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "
                                 "float[1,2] bq = {0.5, -0.5}, float[3] bk = {1, 2, 3}") +
                     R"(> {
      mq = MatMul(x, wq)
      mk = MatMul(x, wk)
      q = Add(mq, bq)
      k = Add(mk, bk)
    })", kPass, ""});
}

TEST(FuseQkvMatmuls, SplitBeforeOpset11NeedsTheRank) {
  CheckPassCase({Header(9) + "g (float[2,4] in) => (float[2,2] q, float[2,3] k, float[2,1] v) <" + kWeights + R"(> {
      x = Relu(in)
      q = MatMul(x, wq)
      k = MatMul(x, wk)
      v = MatMul(x, wv)
    })", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
