#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ir/graph.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

// CheckPassCase compares the result with the expected text field by field, but the fused weights
// are raw_data while the text parser writes typed fields (float_data), and the Cast node the pass
// creates has no domain field while parsed nodes have domain "". This variant normalizes both
// before comparing and otherwise checks what CheckPassCase checks: the input and each result
// verify, the fixed point, byte-identity when nothing changed, agreement on the runtime.
size_t CheckAttentionCase(const PassCase& pass_case) {
  auto normalized = [](Model& model) {
    ForEachGraph(model.graph(), [](Graph& graph) {
      for (Value* value : graph.initializers()) {
        const Tensor& tensor = *value->initializer();
        if (tensor.dtype() == DataType::kString) continue;
        std::vector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
        graph.setInitializer(value, Tensor::Create(tensor.dtype(), dims, tensor.bytes()));
      }
      for (Node* node : graph.nodes())
        if (node->domain().empty()) node->mutableMetadata()->clear_domain();
    });
    return Serialize(model);
  };
  size_t fusions = 0;  // rewrites of the first pass (fuse-attention-ort) in the last run
  auto run = [&](Model& model) -> size_t {
    PassManagerOptions options;
    options.verify_each = true;
    PassManager manager(options);
    Status added = manager.addGroup(pass_case.passes);
    EXPECT_TRUE(added.ok()) << added.message();
    auto rewrites = manager.run(model);
    EXPECT_TRUE(rewrites.ok()) << rewrites.message();
    fusions = manager.records().empty() ? 0 : manager.records()[0].rewrites;
    return rewrites.ok() ? *rewrites : 0;
  };
  auto model = ParseModel(pass_case.input);
  Status valid = VerifyModel(*model);
  EXPECT_TRUE(valid.ok()) << "input does not verify: " << valid.message();
  auto original = ParseModel(pass_case.input);
  std::string before = Serialize(*model);
  size_t rewrites = run(*model);
  size_t fused = fusions;
  std::string after = Serialize(*model);
  if (pass_case.expected.empty()) {
    EXPECT_EQ(rewrites, 0u) << "expected no change, got:\n" << PrintModelText(*model);
  } else {
    auto expected = ParseModel(pass_case.expected);
    auto actual = ParseModel(pass_case.input);
    run(*actual);
    EXPECT_EQ(DiffModels(normalized(*expected), normalized(*actual)), "") << "result:\n" << PrintModelText(*model);
  }
  if (rewrites == 0) {
    EXPECT_EQ(before, after) << "a pass reporting no change modified the model";
  }
  if (pass_case.run_numerically) {
    EXPECT_EQ(CompareOnRuntime(*original, *model, pass_case.tolerance), "") << "result:\n" << PrintModelText(*model);
  }
  EXPECT_EQ(run(*model), 0u) << "a second run changed the model again";
  EXPECT_EQ(Serialize(*model), after);
  return fused;
}

const std::vector<std::string> kPass = {"fuse-attention-ort"};
// With dead-node elimination the expected models stay short (the old weights and the mask
// computation go once unused).
const std::vector<std::string> kPassAndCleanup = {"fuse-attention-ort", "eliminate-dead-nodes"};
// Softmax after a -10000 mask and the fused kernel's float rounding differ in the last bits.
const runtime::Tolerance kTolerance{1e-3, 1e-4};

// One attention block: input hidden D = 3, H = 8 columns for each of Q, K, V, N = 2 heads of h = 4.
constexpr int kD = 3, kH = 8;

// Deterministic small weights: one decimal digit, so that text and tensors agree exactly.
std::vector<std::string> Values(int count, int seed) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    int v = (i * 7 + seed * 13) % 19 - 9;
    out.push_back(fmt::format("{:.1f}", v / 10.0));
  }
  return out;
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ", ") + value;
  return out;
}

std::string Matrix(const std::string& name, int seed) {
  return fmt::format("float[{},{}] {} = {{{}}}", kD, kH, name, Join(Values(kD * kH, seed)));
}
std::string Vector(const std::string& name, int seed) {
  return fmt::format("float[{}] {} = {{{}}}", kH, name, Join(Values(kH, seed)));
}

// [Wq | Wk | Wv] and [bq | bk | bv] as the fused model holds them.
std::string MergedWeight(const std::string& name) {
  std::vector<std::string> q = Values(kD * kH, 1), k = Values(kD * kH, 3), v = Values(kD * kH, 5), merged;
  for (int r = 0; r < kD; ++r)
    for (const auto* part : {&q, &k, &v})
      for (int c = 0; c < kH; ++c) merged.push_back((*part)[r * kH + c]);
  return fmt::format("float[{},{}] {} = {{{}}}", kD, 3 * kH, name, Join(merged));
}
std::string MergedBias(const std::string& name) {
  std::vector<std::string> merged;
  for (int seed : {2, 4, 6})
    for (const std::string& value : Values(kH, seed)) merged.push_back(value);
  return fmt::format("float[{}] {} = {{{}}}", 3 * kH, name, Join(merged));
}

std::string Weights() {
  return Join({Matrix("wq", 1), Vector("bq", 2), Matrix("wk", 3), Vector("bk", 4), Matrix("wv", 5), Vector("bv", 6)});
}

// The block's body, with the pieces a test changes as parameters.
struct Block {
  int opset = 14;
  std::string x_type = "float[B,S,3]";
  std::string mask_type = "int64[B,S]";
  std::string y_type = "float[B,S,8]";
  std::string heads = "{0, 0, 2, 4}";  // Reshape target to [B, S, N, h] (a constant)
  std::string merge = "{0, 0, 8}";     // Reshape target to [B, S, H]
  std::string projections =
      "qm = MatMul(x, wq)  q = Add(bq, qm)  km = MatMul(x, wk)  k = Add(km, bk)  vm = MatMul(x, wv)  v = Add(bv, vm)";
  std::string key = "kt = Transpose<perm = [0, 2, 3, 1]>(kr)";
  std::string scale = "sc = Div(qk, c)";
  std::string scale_constant = "float c = {2.0}";
  std::string mask =
      "m1 = Unsqueeze(mask, one)  m2 = Unsqueeze(m1, two)  mf = Cast<to = 1>(m2)  inv = Sub(onef, mf)  "
      "madd = Mul(inv, big)  s = Add(sc, madd)";
  std::string mask_constants = "int64[1] one = {1}, int64[1] two = {2}, float onef = {1.0}, float big = {-10000.0}";
  std::string softmax = "p = Softmax<axis = -1>(s)";
  std::string extra_outputs;
  std::string extra_nodes;
  std::string weights = Weights();

  std::string text() const {
    return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g ({} x, {} mask) => ({} y{}) <{}, int64[4] heads = {}, int64[3] merge = {}, {}, {}> {{
      {}
      qr = Reshape(q, heads)  qt = Transpose<perm = [0, 2, 1, 3]>(qr)
      kr = Reshape(k, heads)  {}
      vr = Reshape(v, heads)  vt = Transpose<perm = [0, 2, 1, 3]>(vr)
      qk = MatMul(qt, kt)
      {}
      {}
      {}
      ctx = MatMul(p, vt)
      ct = Transpose<perm = [0, 2, 1, 3]>(ctx)
      y = Reshape(ct, merge)
      {}
    }}
  )",
                       opset, x_type, mask_type, y_type, extra_outputs, weights, heads, merge, scale_constant,
                       mask_constants, projections, key, scale, mask, softmax, extra_nodes);
  }
};

std::string Fused(const Block& b, const std::string& attributes = "num_heads = 2",
                  const std::string& mask_line = "mask_int32 = Cast<to = 6>(mask)",
                  const std::string& mask_input = "mask_int32", const std::string& weight = "wq_qkv") {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}, "com.microsoft" : 1]>
    g ({} x, {} mask) => ({} y) <{}, {}> {{
      {}
      y = com.microsoft.Attention<{}>(x, {}, bq_qkv_bias{})
    }}
  )",
                     b.opset, b.x_type, b.mask_type, b.y_type, MergedWeight(weight), MergedBias("bq_qkv_bias"),
                     mask_line, attributes, weight, mask_input.empty() ? "" : ", " + mask_input);
}

void ExpectFused(const Block& block, const std::string& attributes = "num_heads = 2") {
  EXPECT_EQ(CheckAttentionCase({block.text(), kPassAndCleanup, Fused(block, attributes), kTolerance}), 1u);
}

void ExpectUnchanged(const Block& block, bool run_numerically = true) {
  PassCase pass_case{block.text(), kPass, "", kTolerance};
  pass_case.run_numerically = run_numerically;
  EXPECT_EQ(CheckAttentionCase(pass_case), 0u);
}

// ------------------------------------------------------------------------------------------------
// Positive cases

TEST(FuseAttentionOrt, BertBlockWithMask) { ExpectFused(Block{}); }

TEST(FuseAttentionOrt, PassAloneLeavesTheOldWeightsToDeadNodeElimination) {
  // The pass alone: the result keeps the unused initializers until eliminate-dead-nodes.
  Block block;
  PassCase alone{block.text(), kPass,
                 R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[B,S,3] x, int64[B,S] mask) => (float[B,S,8] y) <)" +
                     Weights() +
                     R"(, int64[4] heads = {0, 0, 2, 4}, int64[3] merge = {0, 0, 8}, float c = {2.0},
        int64[1] one = {1}, int64[1] two = {2}, float onef = {1.0}, float big = {-10000.0}, )" +
                     MergedWeight("wq_qkv") + ", " + MergedBias("bq_qkv_bias") + R"(> {
      mask_int32 = Cast<to = 6>(mask)
      y = com.microsoft.Attention<num_heads = 2>(x, wq_qkv, bq_qkv_bias, mask_int32)
    }
  )",
                 kTolerance};
  EXPECT_EQ(CheckAttentionCase(alone), 1u);
}

TEST(FuseAttentionOrt, ShapeComputedLikeThePyTorchExport) {
  // Reshape targets built from Shape/Gather/Unsqueeze/Concat of the projections and of the
  // transposed context, constants as Constant nodes, weights as Transpose(W): the unfolded form.
  Block block;
  // Transposed weights: W^T given, the MatMul reads Transpose(W^T) = W.
  auto transposed = [](int seed) {
    std::vector<std::string> w = Values(kD * kH, seed), t;
    for (int c = 0; c < kH; ++c)
      for (int r = 0; r < kD; ++r) t.push_back(w[r * kH + c]);
    return t;
  };
  block.weights = Join({fmt::format("float[{},{}] wqt = {{{}}}", kH, kD, Join(transposed(1))), Vector("bq", 2),
                        fmt::format("float[{},{}] wkt = {{{}}}", kH, kD, Join(transposed(3))), Vector("bk", 4),
                        fmt::format("float[{},{}] wvt = {{{}}}", kH, kD, Join(transposed(5))), Vector("bv", 6)});
  block.projections = R"(
      wq = Transpose<perm = [1, 0]>(wqt)  qm = MatMul(x, wq)  q = Add(bq, qm)
      wk = Transpose<perm = [1, 0]>(wkt)  km = MatMul(x, wk)  k = Add(bk, km)
      wv = Transpose<perm = [1, 0]>(wvt)  vm = MatMul(x, wv)  v = Add(bv, vm)
      i0 = Constant<value = int64 {0}>()  i1 = Constant<value = int64 {1}>()  ax = Constant<value = int64[1] {0}>()
      nh = Constant<value = int64[1] {2}>()  hs = Constant<value = int64[1] {4}>()  hid = Constant<value = int64[1] {8}>()
      qs = Shape(q)  qb = Gather(qs, i0)  qs1 = Shape(q)  qsq = Gather(qs1, i1)
      qbu = Unsqueeze(qb, ax)  qsu = Unsqueeze(qsq, ax)  qshape = Concat<axis = 0>(qbu, qsu, nh, hs)
      ks = Shape(k)  kb = Gather(ks, i0)  ksq = Gather(ks, i1)
      kbu = Unsqueeze(kb, ax)  ksu = Unsqueeze(ksq, ax)  kshape = Concat<axis = 0>(kbu, ksu, nh, hs)
      vs = Shape(x)  vb = Gather(vs, i0)  vsq = Gather(vs, i1)
      vbu = Unsqueeze(vb, ax)  vsu = Unsqueeze(vsq, ax)  vshape = Concat<axis = 0>(vbu, vsu, nh, hs))";
  block.heads = "{0, 0, 2, 4}";
  std::string text = block.text();
  auto replace = [&](const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("qr = Reshape(q, heads)", "qr = Reshape(q, qshape)");
  replace("kr = Reshape(k, heads)", "kr = Reshape(k, kshape)");
  replace("vr = Reshape(v, heads)", "vr = Reshape(v, vshape)");
  replace(
      "y = Reshape(ct, merge)",
      "cs = Shape(ct)  cb = Gather(cs, i0)  csq = Gather(cs, i1)  cbu = Unsqueeze(cb, ax)  csu = Unsqueeze(csq, ax)\n"
      "      mshape = Concat<axis = 0>(cbu, csu, hid)  y = Reshape(ct, mshape)");
  replace(", int64[4] heads = {0, 0, 2, 4}, int64[3] merge = {0, 0, 8}", "");
  EXPECT_EQ(
      CheckAttentionCase({text, kPassAndCleanup,
                          Fused(block, "num_heads = 2", "mask_int32 = Cast<to = 6>(mask)", "mask_int32", "wqt_qkv"),
                          kTolerance}),
      1u);
}

TEST(FuseAttentionOrt, MulScaleOtherThanTheDefaultIsWritten) {
  Block block;
  block.scale = "sc = Mul(qk, c)";
  block.scale_constant = "float c = {0.3}";
  ExpectFused(block, "num_heads = 2, scale = 0.3");
  block.scale = "sc = Mul(c, qk)";
  block.scale_constant = "float c = {0.5}";  // = 1/sqrt(4): the default
  ExpectFused(block);
}

TEST(FuseAttentionOrt, NoScaling) {
  Block block;
  block.scale = "";
  block.mask = block.mask.replace(block.mask.find("Add(sc"), 6, "Add(qk");
  block.scale_constant = "float c = {2.0}";
  std::string expected = Fused(block, "num_heads = 2, scale = 1.0");
  EXPECT_EQ(CheckAttentionCase({block.text(), kPassAndCleanup, expected, kTolerance}), 1u);
}

TEST(FuseAttentionOrt, WithoutMask) {
  Block block;
  block.mask = "";
  block.softmax = "p = Softmax<axis = 3>(sc)";
  EXPECT_EQ(CheckAttentionCase({block.text(), kPassAndCleanup, Fused(block, "num_heads = 2", "", ""), kTolerance}), 1u);
}

TEST(FuseAttentionOrt, FinfoMinMaskSetsTheFilterValue) {
  Block block;
  block.mask_constants =
      "int64[1] one = {1}, int64[1] two = {2}, float onef = {1.0}, float big = {-3.4028234663852886e+38}";
  ExpectFused(block, "num_heads = 2, mask_filter_value = -3.4028234663852886e+38");
}

TEST(FuseAttentionOrt, MaskVariants) {
  // One Unsqueeze with axes [1, 2], the Cast first, Mul(f, (1 - m)).
  Block block;
  block.mask =
      "mf = Cast<to = 1>(mask)  m2 = Unsqueeze(mf, axes)  inv = Sub(onef, m2)  madd = Mul(big, inv)  s = Add(madd, sc)";
  block.mask_constants = "int64[2] axes = {1, 2}, float onef = {1.0}, float big = {-10000.0}";
  ExpectFused(block);
  // An int32 mask is used as is; a bool mask is cast (0/1 exactly).
  block.mask_type = "int32[B,S]";
  EXPECT_EQ(CheckAttentionCase({block.text(), kPassAndCleanup, Fused(block, "num_heads = 2", "", "mask"), kTolerance}),
            1u);
  block.mask_type = "bool[B,S]";
  ExpectFused(block);
}

TEST(FuseAttentionOrt, KeyTransposedTwice) {
  Block block;
  block.key = "kh = Transpose<perm = [0, 2, 1, 3]>(kr)  kt = Transpose<perm = [0, 1, 3, 2]>(kh)";
  ExpectFused(block);
}

TEST(FuseAttentionOrt, ReshapeTargetsWithMinusOne) {
  Block block;
  block.heads = "{0, -1, 2, 4}";
  block.merge = "{0, 0, -1}";
  ExpectFused(block);
}

TEST(FuseAttentionOrt, StaticShapes) {
  Block block;
  block.x_type = "float[2,5,3]";
  block.mask_type = "int64[2,5]";
  block.y_type = "float[2,5,8]";
  block.heads = "{2, 5, 2, 4}";
  block.merge = "{2, -1, 8}";
  ExpectFused(block);
}

TEST(FuseAttentionOrt, ProjectionsMergedByFuseQkvMatmuls) {
  // Split(Add(MatMul(x, [Wq | Wk | Wv]), [bq | bk | bv])): the merged weight and bias are reused.
  Block block;
  block.weights = MergedWeight("w") + ", " + MergedBias("b") + ", int64[3] sizes = {8, 8, 8}";
  block.projections = "qkvm = MatMul(x, w)  qkv = Add(qkvm, b)  q, k, v = Split<axis = -1>(qkv, sizes)";
  std::string expected = R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[B,S,3] x, int64[B,S] mask) => (float[B,S,8] y) <)" +
                         MergedWeight("w") + ", " + MergedBias("b") + R"(> {
      mask_int32 = Cast<to = 6>(mask)
      y = com.microsoft.Attention<num_heads = 2>(x, w, b, mask_int32)
    }
  )";
  EXPECT_EQ(CheckAttentionCase({block.text(), kPassAndCleanup, expected, kTolerance}), 1u);
}

TEST(FuseAttentionOrt, OpsetVariants) {
  for (int opset : {13, 17, 18, 21}) {
    Block block;
    block.opset = opset;
    ExpectFused(block);
  }
  // Opset 12: Unsqueeze axes as attributes; Softmax axis 3 (the 2-D coercion at the last axis).
  Block block;
  block.opset = 12;
  block.mask =
      "m1 = Unsqueeze<axes = [1]>(mask)  m2 = Unsqueeze<axes = [2]>(m1)  mf = Cast<to = 1>(m2)  inv = Sub(onef, mf)  "
      "madd = Mul(inv, big)  s = Add(sc, madd)";
  block.softmax = "p = Softmax<axis = 3>(s)";
  ExpectFused(block);
}

TEST(FuseAttentionOrt, TwoLayersShareOneMaskCast) {
  Block block;
  block.y_type = "float[B,S,8]";
  std::string text = block.text();
  // A second block on the first one's output (D = 8 there: its own weights).
  std::string second_weights = Join({fmt::format("float[8,8] w2q = {{{}}}", Join(Values(64, 7))),
                                     fmt::format("float[8,8] w2k = {{{}}}", Join(Values(64, 8))),
                                     fmt::format("float[8,8] w2v = {{{}}}", Join(Values(64, 9)))});
  std::string second = R"(
      y0 = Reshape(ct, merge)
      q2 = MatMul(y0, w2q)  k2 = MatMul(y0, w2k)  v2 = MatMul(y0, w2v)
      qr2 = Reshape(q2, heads)  qt2 = Transpose<perm = [0, 2, 1, 3]>(qr2)
      kr2 = Reshape(k2, heads)  kt2 = Transpose<perm = [0, 2, 3, 1]>(kr2)
      vr2 = Reshape(v2, heads)  vt2 = Transpose<perm = [0, 2, 1, 3]>(vr2)
      qk2 = MatMul(qt2, kt2)  sc2 = Div(qk2, c)  s2 = Add(sc2, madd)  p2 = Softmax<axis = -1>(s2)
      ctx2 = MatMul(p2, vt2)  ct2 = Transpose<perm = [0, 2, 1, 3]>(ctx2)  y = Reshape(ct2, merge))";
  text.replace(text.find("y = Reshape(ct, merge)"), std::string("y = Reshape(ct, merge)").size(), second);
  text.replace(text.find("<float[3,8] wq"), 1, "<" + second_weights + ", ");
  std::vector<std::string> q = Values(64, 7), k = Values(64, 8), v = Values(64, 9), merged;
  for (int r = 0; r < 8; ++r)
    for (const auto* part : {&q, &k, &v})
      for (int col = 0; col < 8; ++col) merged.push_back((*part)[r * 8 + col]);
  std::string expected = R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[B,S,3] x, int64[B,S] mask) => (float[B,S,8] y) <)" +
                         MergedWeight("wq_qkv") + ", " + MergedBias("bq_qkv_bias") + ", " +
                         fmt::format("float[8,24] w2q_qkv = {{{}}}, float[24] w2q_qkv_bias = {{{}}}", Join(merged),
                                     Join(std::vector<std::string>(24, "0.0"))) +
                         R"(> {
      mask_int32 = Cast<to = 6>(mask)
      y0 = com.microsoft.Attention<num_heads = 2>(x, wq_qkv, bq_qkv_bias, mask_int32)
      y = com.microsoft.Attention<num_heads = 2>(y0, w2q_qkv, w2q_qkv_bias, mask_int32)
    }
  )";
  size_t rewrites = CheckAttentionCase({text, kPassAndCleanup, expected, kTolerance});
  EXPECT_EQ(rewrites, 2u);
}

TEST(FuseAttentionOrt, OutputFeedingAnotherNode) {
  Block block;
  block.extra_nodes = "";
  std::string text = block.text();
  text.replace(text.find("y = Reshape(ct, merge)"), std::string("y = Reshape(ct, merge)").size(),
               "r = Reshape(ct, merge)  y = Relu(r)");
  std::string expected = Fused(block);
  expected.replace(expected.find("y = com.microsoft.Attention"), std::string("y = com.microsoft.Attention").size(),
                   "r = com.microsoft.Attention");
  expected.replace(expected.find("mask_int32)\n"), std::string("mask_int32)\n").size(),
                   "mask_int32)\n      y = Relu(r)\n");
  EXPECT_EQ(CheckAttentionCase({text, kPassAndCleanup, expected, kTolerance}), 1u);
}

TEST(FuseAttentionOrt, InsideASubgraph) {
  Block block;
  std::string body = block.text();
  // Take the block's nodes and initializers into the then-branch of an If.
  size_t open = body.find("<float[3,8] wq");
  size_t close = body.find("> {", open);
  std::string initializers = body.substr(open + 1, close - open - 1);
  size_t nodes_begin = body.find("{", close) + 1;
  size_t nodes_end = body.rfind("}");
  std::string nodes = body.substr(nodes_begin, nodes_end - nodes_begin);
  std::string text = fmt::format(R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool cond, float[B,S,3] x, int64[B,S] mask) => (float[B,S,8] out) {{
      out = If(cond) <then_branch = t () => (float[B,S,8] y) <{}> {{ {} }},
                      else_branch = e () => (float[B,S,8] z) {{ z = Tile(x, reps) }}>
    }}
  )",
                                 initializers, nodes);
  // The else-branch: a [B, S, 8] value from x.
  text.replace(text.find("z = Tile(x, reps)"), std::string("z = Tile(x, reps)").size(),
               "zz = Concat<axis = -1>(x, x, x)  z = Slice(zz, st, en, ax2)");
  text.replace(text.find("e () => (float[B,S,8] z)"), std::string("e () => (float[B,S,8] z)").size(),
               "e () => (float[B,S,8] z) <int64[1] st = {0}, int64[1] en = {8}, int64[1] ax2 = {2}>");
  std::string expected = fmt::format(R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (bool cond, float[B,S,3] x, int64[B,S] mask) => (float[B,S,8] out) {{
      out = If(cond) <then_branch = t () => (float[B,S,8] y) <{}, {}> {{
                        mask_int32 = Cast<to = 6>(mask)
                        y = com.microsoft.Attention<num_heads = 2>(x, wq_qkv, bq_qkv_bias, mask_int32) }},
                      else_branch = e () => (float[B,S,8] z) <int64[1] st = {{0}}, int64[1] en = {{8}}, int64[1] ax2 = {{2}}> {{
                        zz = Concat<axis = -1>(x, x, x)  z = Slice(zz, st, en, ax2) }}>
    }}
  )",
                                     MergedWeight("wq_qkv"), MergedBias("bq_qkv_bias"));
  EXPECT_EQ(CheckAttentionCase({text, kPassAndCleanup, expected, kTolerance}), 1u);
}

// ------------------------------------------------------------------------------------------------
// Negative cases, one per condition

TEST(FuseAttentionOrt, KeepsSoftmaxOverAnotherAxis) {
  Block block;
  block.softmax = "p = Softmax<axis = 2>(s)";
  ExpectUnchanged(block);
  block.opset = 12;  // default axis 1 below opset 13
  block.mask =
      "m1 = Unsqueeze<axes = [1]>(mask)  m2 = Unsqueeze<axes = [2]>(m1)  mf = Cast<to = 1>(m2)  inv = Sub(onef, mf)  "
      "madd = Mul(inv, big)  s = Add(sc, madd)";
  block.softmax = "p = Softmax(s)";
  ExpectUnchanged(block);
}

TEST(FuseAttentionOrt, KeepsWhenComMicrosoftHasAnotherVersion) {
  Block block;
  std::string text = block.text();
  text.replace(text.find("[\"\" : 14]"), std::string("[\"\" : 14]").size(), "[\"\" : 14, \"com.microsoft\" : 2]");
  EXPECT_EQ(CheckAttentionCase({text, kPass, "", kTolerance}), 0u);
}

TEST(FuseAttentionOrt, KeepsNonConstantWeightsOrBiases) {
  Block block;
  block.projections =
      "qm = MatMul(x, wq)  q = Add(bq, qm)  km = MatMul(x, wk)  k = Add(km, bk)  wv2 = Relu(wv)  vm = MatMul(x, wv2)  "
      "v = Add(bv, vm)";
  ExpectUnchanged(block);
  block.projections =
      "qm = MatMul(x, wq)  q = Add(bq, qm)  km = MatMul(x, wk)  bk2 = Relu(bk)  k = Add(km, bk2)  vm = MatMul(x, wv)  "
      "v = Add(bv, vm)";
  ExpectUnchanged(block);
}

TEST(FuseAttentionOrt, KeepsProjectionsOfDifferentInputs) {
  Block block;
  block.projections =
      "x2 = Neg(x)  qm = MatMul(x, wq)  q = Add(bq, qm)  km = MatMul(x2, wk)  k = Add(km, bk)  vm = MatMul(x, wv)  "
      "v = Add(bv, vm)";
  ExpectUnchanged(block);
}

TEST(FuseAttentionOrt, KeepsValueOfAnotherHiddenSize) {
  // V has 4 columns in 2 heads of 2: ONNX Runtime would need qkv_hidden_sizes (not emitted).
  Block block;
  block.weights = Join({Matrix("wq", 1), Vector("bq", 2), Matrix("wk", 3), Vector("bk", 4),
                        fmt::format("float[3,4] wv = {{{}}}", Join(Values(12, 5))),
                        fmt::format("float[4] bv = {{{}}}", Join(Values(4, 6))), "int64[4] vheads = {0, 0, 2, 2}"});
  block.y_type = "float[B,S,4]";
  block.merge = "{0, 0, 4}";
  std::string text = block.text();
  text.replace(text.find("vr = Reshape(v, heads)"), std::string("vr = Reshape(v, heads)").size(),
               "vr = Reshape(v, vheads)");
  EXPECT_EQ(CheckAttentionCase({text, kPass, "", kTolerance}), 0u);
}

TEST(FuseAttentionOrt, KeepsReshapesThatDoNotProvablyKeepBatchAndSequence) {
  Block block;
  block.heads = "{2, -1, 2, 4}";  // batch 2 assumed, not known
  ExpectUnchanged(block);
  block.heads = "{0, 0, 2, 4}";
  block.merge = "{-1, 0, 8}";  // fine
  ExpectFused(block);
  block.merge = "{0, 2, -1}";  // sequence 2 assumed
  ExpectUnchanged(block);
  block.merge = "{0, 0, 2, 4}";  // not [B, S, H]
  block.y_type = "float[B,S,2,4]";
  std::string text = block.text();
  text.replace(text.find("int64[3] merge"), std::string("int64[3] merge").size(), "int64[4] merge");
  EXPECT_EQ(CheckAttentionCase({text, kPass, "", kTolerance}), 0u);
}

TEST(FuseAttentionOrt, KeepsReshapeOfSwappedDimensions) {
  // Target [S, B, N, h] from Gathers of the shape: swaps batch and sequence (same numbers when
  // B = S, but not the same computation).
  Block block;
  block.extra_nodes = "";
  std::string text = block.text();
  text.replace(text.find("qr = Reshape(q, heads)"), std::string("qr = Reshape(q, heads)").size(),
               "qs = Shape(q)  qb = Gather(qs, i1)  qsq = Gather(qs, i0)  qbu = Unsqueeze(qb, ax)  "
               "qsu = Unsqueeze(qsq, ax)  qshape = Concat<axis = 0>(qbu, qsu, nh)  qr = Reshape(q, qshape)");
  text.replace(text.find("int64[4] heads"), 0,
               "int64 i0 = {0}, int64 i1 = {1}, int64[1] ax = {0}, int64[2] nh = {2, 4}, ");
  EXPECT_EQ(CheckAttentionCase({text, kPass, "", kTolerance}), 0u);
}

TEST(FuseAttentionOrt, KeepsAllowZeroReshape) {
  Block block;
  block.opset = 14;
  std::string text = block.text();
  text.replace(text.find("qr = Reshape(q, heads)"), std::string("qr = Reshape(q, heads)").size(),
               "qr = Reshape<allowzero = 1>(q, heads)");
  PassCase pass_case{text, kPass, "", kTolerance};
  pass_case.run_numerically = false;  // the original itself fails: 0 is a literal size there
  EXPECT_EQ(CheckAttentionCase(pass_case), 0u);
}

TEST(FuseAttentionOrt, KeepsZeroOrNonScalarScale) {
  Block block;
  block.scale = "sc = Mul(qk, c)";
  block.scale_constant = "float c = {0.0}";
  ExpectUnchanged(block);
  block.scale_constant = "float[2] c = {0.5, 0.5}";  // broadcasts, but not one element
  ExpectUnchanged(block);
}

TEST(FuseAttentionOrt, KeepsOtherMaskTerms) {
  Block block;
  block.mask_constants = "int64[1] one = {1}, int64[1] two = {2}, float onef = {2.0}, float big = {-10000.0}";
  ExpectUnchanged(block);  // (2 - m) * f
  block = Block{};
  block.mask =
      "m1 = Unsqueeze(mask, one)  m2 = Unsqueeze(m1, two)  mf = Cast<to = 1>(m2)  inv = Sub(mf, onef)  "
      "madd = Mul(inv, big)  s = Add(sc, madd)";
  ExpectUnchanged(block);  // (m - 1) * f
  block = Block{};
  block.mask_constants = "int64[1] one = {1}, int64[1] two = {3}, float onef = {1.0}, float big = {-10000.0}";
  block.mask =
      "m1 = Unsqueeze(mask, one)  m2 = Unsqueeze(m1, two)  mf = Cast<to = 1>(m2)  inv = Sub(onef, mf)  "
      "madd = Mul(inv, big)  s = Add(sc, madd)";
  ExpectUnchanged(block);  // [B, 1, S, 1]: masks queries, not keys
  block = Block{};
  block.mask_type = "float[B,S]";
  ExpectUnchanged(block);  // a float mask: Cast to int32 would truncate
  block = Block{};
  block.mask =
      "m1 = Unsqueeze(mask, one)  m2 = Unsqueeze(m1, two)  mf = Cast<to = 1>(m2)  inv = Sub(onef, mf)  "
      "madd = Mul(inv, big)  s = Add(sc, inv)";
  ExpectUnchanged(block);  // no factor
}

TEST(FuseAttentionOrt, KeepsMaskOfAnotherShape) {
  // A [1, S] mask broadcast over a batch of 2.
  Block block;
  block.x_type = "float[2,S,3]";
  block.mask_type = "int64[1,S]";
  block.y_type = "float[2,S,8]";
  ExpectUnchanged(block);
}

TEST(FuseAttentionOrt, KeepsIntermediatesUsedOutside) {
  Block block;
  block.extra_outputs = ", float[B,2,S,S] p";
  ExpectUnchanged(block);  // the probabilities are a graph output
  block = Block{};
  block.extra_outputs = ", float[B,S,8] z";
  block.extra_nodes = "z = Relu(q)";
  ExpectUnchanged(block);  // the query projection has another user
  block = Block{};
  block.extra_outputs = ", int64[4] z";
  block.extra_nodes = "z = Shape(qr)";
  ExpectUnchanged(block);  // a Shape outside the pattern reads an intermediate
}

TEST(FuseAttentionOrt, KeepsSharedWeights) {
  Block block;
  block.extra_outputs = ", float[B,S,8] z";
  block.extra_nodes = "z = MatMul(x, wk)";
  ExpectUnchanged(block);
}

TEST(FuseAttentionOrt, KeepsInputOfRankFour) {
  // x [2, S, 1, 3]: the original runs (the unit dimension disappears in the Reshapes), Attention
  // takes rank 3 only.
  Block block;
  block.x_type = "float[2,S,1,3]";
  block.mask_type = "int64[2,S]";
  block.y_type = "float[2,S,8]";
  block.heads = "{2, -1, 2, 4}";
  std::string text = block.text();
  EXPECT_EQ(CheckAttentionCase({text, kPass, "", kTolerance}), 0u);
}

TEST(FuseAttentionOrt, KeepsDoubleTensors) {
  // ONNX Runtime's CPU Attention is float only.
  Block with_mask, without_mask;
  without_mask.mask = "";
  without_mask.softmax = "p = Softmax<axis = -1>(sc)";
  for (const Block* block : {&with_mask, &without_mask}) {
    std::string text = block->text();
    for (std::string from : {"float", "to = 1"}) {
      std::string to = from == "float" ? "double" : "to = 11";
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    }
    EXPECT_EQ(CheckAttentionCase({text, kPass, "", kTolerance}), 0u);
  }
}

}  // namespace
}  // namespace onnxkit::testing

namespace onnxkit::testing {
namespace {

// ------------------------------------------------------------------------------------------------
// The Attention kernel on forms the pass does not emit, against the same computation written in
// standard ONNX (the emitted forms are compared by every positive case above). Each form was also
// checked against ONNX Runtime 1.30 (tools/ort-run) while the kernel was written.

std::string AttentionModel(const std::string& signature, const std::string& mask_input, const std::string& attributes) {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
    g ({}) => (float[2,3,8] y) <{}, {}> {{
      y = com.microsoft.Attention<num_heads = 2{}>(x, w, b{})
    }}
  )",
                     signature, MergedWeight("w"), MergedBias("b"), attributes, mask_input);
}

void ExpectSameOnRuntime(const std::string& unfused, const std::string& fused) {
  auto a = ParseModel(unfused);
  auto b = ParseModel(fused);
  ASSERT_TRUE(VerifyModel(*a).ok());
  ASSERT_TRUE(VerifyModel(*b).ok());
  for (uint64_t seed : {0u, 1u, 2u, 3u}) EXPECT_EQ(CompareOnRuntime(*a, *b, kTolerance, seed), "") << "seed " << seed;
}

TEST(AttentionKernel, RightPaddingMaskIndex) {
  // mask_index [B] = valid lengths: key j is masked (-10000) where j >= length.
  Block block;
  block.opset = 17;
  block.x_type = "float[2,3,3]";
  block.mask_type = "int32[2]";
  block.y_type = "float[2,3,8]";
  block.mask =
      "len = Unsqueeze(mask, one)  ge = GreaterOrEqual(positions, len)  gf = Cast<to = 1>(ge)  m2 = Unsqueeze(gf, "
      "axes)  "
      "madd = Mul(m2, big)  s = Add(sc, madd)";
  block.mask_constants =
      "int64[1] one = {1}, int64[2] axes = {1, 2}, int32[3] positions = {0, 1, 2}, float big = {-10000.0}";
  ExpectSameOnRuntime(block.text(), AttentionModel("float[2,3,3] x, int32[2] mask", ", mask", ""));
}

TEST(AttentionKernel, UnidirectionalAddsMinus10000AboveTheDiagonal) {
  // With a raw mask and mask_filter_value -5000: padding adds -5000, the causal mask -10000.
  Block block;
  block.opset = 17;
  block.x_type = "float[2,3,3]";
  block.mask_type = "int32[2,3]";
  block.y_type = "float[2,3,8]";
  block.mask =
      "m1 = Unsqueeze(mask, axes)  mf = Cast<to = 1>(m1)  inv = Sub(onef, mf)  pad = Mul(inv, big)  "
      "both = Add(pad, causal)  s = Add(sc, both)";
  block.mask_constants =
      "int64[2] axes = {1, 2}, float onef = {1.0}, float big = {-5000.0}, "
      "float[3,3] causal = {0, -10000, -10000, 0, 0, -10000, 0, 0, 0}";
  ExpectSameOnRuntime(block.text(), AttentionModel("float[2,3,3] x, int32[2,3] mask", ", mask",
                                                   ", unidirectional = 1, mask_filter_value = -5000.0"));
}

}  // namespace
}  // namespace onnxkit::testing
