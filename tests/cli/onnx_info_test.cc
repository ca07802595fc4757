// onnx-info: the text and JSON summaries (values checked against the IR), --dot, --html with and
// without Graphviz (a stand-in `dot` on PATH makes the SVG branch testable everywhere), errors.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <regex>

#include "ir/model_io.h"
#include "tests/cli/cli_util.h"
#include "tests/json_value.h"

namespace onnxkit::testing {
namespace {

std::string InfoCommand(const std::string& arguments) { return ToolPath("onnx-info") + " " + arguments; }

// Main graph: Add, local.Double (a model-local function), If; the If's branches hold 1 and 2 nodes.
// Initializers: w (main graph, 4 floats) and k (else branch, 4 floats).
constexpr std::string_view kIfModel = R"(
  <ir_version: 8, opset_import: ["" : 17, "local" : 1], producer_name: "unit-test", producer_version: "0.1",
   metadata_props: ["author" : "me", "task" : "testing"]>
  g (float[N, 4] x, bool cond) => (float[N, 4] y) <float[4] w = {1, 2, 3, 4}, float[N, 4] t, float[N, 4] u> {
    t = Add(x, w)
    u = local.Double(t)
    y = If(cond) <then_branch = then_g () => (float[N, 4] a) { a = Relu(u) },
                  else_branch = else_g () => (float[N, 4] b) <float[4] k = {0.5, 0.5, 0.5, 0.5}> {
                    b1 = Mul(u, k)
                    b = Relu(b1)
                  }>
  }
  <domain: "local", opset_import: ["" : 17]>
  Double (v) => (r) {
    r = Add(v, v)
  }
)";

std::filesystem::path Fixture() { return SourceDir() / "fixtures" / "cnn_bn_residual.onnx"; }

bool Contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

size_t CountOf(const std::string& text, std::string_view part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

JsonValue RunJson(const std::string& arguments) {
  auto result = RunCommand(InfoCommand(arguments + " --json"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::string error;
  auto json = ParseJson(result.out, &error);
  EXPECT_TRUE(json.has_value()) << error << "\n" << result.out;
  return json ? *json : JsonValue{};
}

class OnnxInfo : public ::testing::Test {
 protected:
  void SetUp() override { WriteTextModel(temp_ / "if.onnx", kIfModel); }
  std::string model() const { return (temp_ / "if.onnx").string(); }
  TempDir temp_;
};

TEST_F(OnnxInfo, TextSummaryOfTheIfModel) {
  auto result = RunCommand(InfoCommand(model()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string& out = result.out;
  EXPECT_TRUE(Contains(out, "ir_version: 8\n")) << out;
  EXPECT_TRUE(Contains(out, "opsets: ai.onnx 17; local 1\n")) << out;
  EXPECT_TRUE(Contains(out, "producer: unit-test 0.1\n")) << out;
  EXPECT_TRUE(Contains(out, "inputs (2):\n  x: float[N,4]\n  cond: bool[]\n")) << out;
  EXPECT_TRUE(Contains(out, "outputs (1):\n  y: float[N,4]\n")) << out;
  EXPECT_TRUE(Contains(out, "nodes: 6 (3 in the main graph)\n")) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\n  Relu +2\n"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\n  local.Double +1\n"))) << out;
  // Sorted by count: Relu (2) comes before every op type seen once.
  EXPECT_LT(out.find("  Relu "), out.find("  Add ")) << out;
  EXPECT_TRUE(Contains(out, "parameters: 8 in 2 initializers, 32 bytes")) << out;
  EXPECT_TRUE(Contains(out, "  w: float[4] 16 bytes")) << out;
  EXPECT_TRUE(Contains(out, "  author = me\n  task = testing\n")) << out;
  EXPECT_TRUE(Contains(out, "subgraphs (2):\n")) << out;
  EXPECT_TRUE(Contains(out, "(If) producing 'y', attribute then_branch: 1 nodes\n")) << out;
  EXPECT_TRUE(Contains(out, "(If) producing 'y', attribute else_branch: 2 nodes\n")) << out;
  EXPECT_TRUE(Contains(out, "functions (1):\n  local.Double: 1 inputs, 1 outputs, 1 nodes\n")) << out;
}

TEST_F(OnnxInfo, JsonSummaryOfTheIfModel) {
  JsonValue json = RunJson(model());
  ASSERT_EQ(json.kind, JsonValue::Kind::kObject);
  EXPECT_EQ(json["ir_version"].number, 8);
  EXPECT_EQ(json["opsets"]["ai.onnx"].number, 17);
  EXPECT_EQ(json["opsets"]["local"].number, 1);
  EXPECT_EQ(json["producer_name"].string, "unit-test");
  ASSERT_EQ(json["inputs"].array.size(), 2u);
  EXPECT_EQ(json["inputs"][0]["name"].string, "x");
  EXPECT_EQ(json["inputs"][0]["type"].string, "float");
  ASSERT_EQ(json["inputs"][0]["shape"].array.size(), 2u);
  EXPECT_EQ(json["inputs"][0]["shape"][0].string, "N");
  EXPECT_EQ(json["inputs"][0]["shape"][1].number, 4);
  EXPECT_EQ(json["inputs"][1]["type"].string, "bool");
  EXPECT_TRUE(json["inputs"][1]["shape"].array.empty());
  EXPECT_EQ(json["node_count"].number, 6);
  EXPECT_EQ(json["main_graph_node_count"].number, 3);
  std::map<std::string, double> histogram;
  for (const JsonValue& entry : json["op_histogram"].array) histogram[entry["op_type"].string] = entry["count"].number;
  EXPECT_EQ(histogram, (std::map<std::string, double>{{"Add", 1}, {"If", 1}, {"Mul", 1}, {"Relu", 2}, {"local.Double", 1}}));
  EXPECT_EQ(json["op_histogram"][0]["op_type"].string, "Relu");
  EXPECT_EQ(json["parameter_count"].number, 8);
  EXPECT_EQ(json["parameter_bytes"].number, 32);
  ASSERT_EQ(json["parameters_per_dtype"].array.size(), 1u);
  EXPECT_EQ(json["parameters_per_dtype"][0]["dtype"].string, "float");
  EXPECT_EQ(json["parameters_per_dtype"][0]["tensors"].number, 2);
  EXPECT_EQ(json["metadata_props"]["author"].string, "me");
  ASSERT_EQ(json["subgraphs"].array.size(), 2u);
  EXPECT_EQ(json["subgraphs"][0]["op_type"].string, "If");
  EXPECT_EQ(json["subgraphs"][0]["attribute"].string, "then_branch");
  EXPECT_EQ(json["subgraphs"][0]["node_count"].number, 1);
  EXPECT_EQ(json["subgraphs"][1]["attribute"].string, "else_branch");
  EXPECT_EQ(json["subgraphs"][1]["node_count"].number, 2);
  ASSERT_EQ(json["functions"].array.size(), 1u);
  EXPECT_EQ(json["functions"][0]["domain"].string, "local");
  EXPECT_EQ(json["functions"][0]["name"].string, "Double");
  EXPECT_EQ(json["functions"][0]["node_count"].number, 1);
}

TEST_F(OnnxInfo, FixtureNumbersMatchTheModel) {
  auto model = LoadModel(Fixture());
  ASSERT_TRUE(model.ok()) << model.message();
  std::map<std::string, double> expected_ops;
  double expected_parameters = 0, expected_nodes = 0;
  std::vector<std::pair<double, std::string>> sizes;
  ForEachGraph((*model)->graph(), [&](Graph& graph) {
    for (const Node* node : graph.nodes()) {
      ++expected_ops[node->opType()];
      ++expected_nodes;
    }
    for (const Value* value : graph.initializers()) {
      expected_parameters += static_cast<double>(value->initializer()->elementCount());
      sizes.emplace_back(static_cast<double>(value->initializer()->byteSize()), value->name());
    }
  });
  std::sort(sizes.rbegin(), sizes.rend());
  ASSERT_GT(expected_nodes, 10);

  JsonValue json = RunJson(Fixture().string());
  std::map<std::string, double> histogram;
  double previous = 1e18;
  for (const JsonValue& entry : json["op_histogram"].array) {
    histogram[entry["op_type"].string] = entry["count"].number;
    EXPECT_LE(entry["count"].number, previous) << "histogram not sorted by count";
    previous = entry["count"].number;
  }
  EXPECT_EQ(histogram, expected_ops);
  EXPECT_EQ(json["node_count"].number, expected_nodes);
  EXPECT_EQ(json["parameter_count"].number, expected_parameters);
  EXPECT_EQ(json["parameter_bytes"].number, 4 * expected_parameters);  // all float
  ASSERT_EQ(json["largest_initializers"].array.size(), std::min<size_t>(10, sizes.size()));
  EXPECT_EQ(json["largest_initializers"][0]["bytes"].number, sizes[0].first);
  const Value* input = (*model)->graph().inputs()[0];
  ASSERT_EQ(json["inputs"].array.size(), 1u);
  EXPECT_EQ(json["inputs"][0]["name"].string, input->name());
  auto shape = input->staticShape();
  ASSERT_TRUE(shape.has_value());
  ASSERT_EQ(json["inputs"][0]["shape"].array.size(), shape->size());
  for (size_t i = 0; i < shape->size(); ++i) EXPECT_EQ(json["inputs"][0]["shape"][i].number, (*shape)[i]);

  auto text = RunCommand(InfoCommand(Fixture().string()));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(Contains(text.out, fmt::format("nodes: {} ", expected_nodes))) << text.out;
  EXPECT_TRUE(std::regex_search(text.out, std::regex(fmt::format("\n  Conv +{}\n", expected_ops["Conv"])))) << text.out;
  EXPECT_TRUE(Contains(text.out, "opsets: ai.onnx ")) << text.out;
  EXPECT_TRUE(Contains(text.out, fmt::format("  {}: float[{}]", input->name(), fmt::join(*shape, ",")))) << text.out;
}

TEST_F(OnnxInfo, DotHasANodePerGraphNodeAndShapeLabeledEdges) {
  auto result = RunCommand(InfoCommand(model() + " --dot " + (temp_ / "g.gv").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string dot = ReadFile(temp_ / "g.gv");
  EXPECT_TRUE(dot.starts_with("digraph ")) << dot;
  EXPECT_EQ(CountOf(dot, "shape=box"), 3u) << dot;  // main-graph nodes only
  EXPECT_EQ(CountOf(dot, "shape=ellipse"), 3u) << dot;  // x, cond, y
  EXPECT_TRUE(Contains(dot, "label=\"Add\\n(1 initializer)\"")) << dot;  // w is not drawn
  EXPECT_FALSE(Contains(dot, "label=\"w")) << dot;
  EXPECT_TRUE(Contains(dot, "then_branch: subgraph, 1 nodes")) << dot;
  EXPECT_TRUE(Contains(dot, "input_0 -> node_0 [label=\"float[N,4]\"]")) << dot;
  EXPECT_TRUE(Contains(dot, "node_0 -> node_1 [label=\"float[N,4]\"]")) << dot;  // t, from value_info
  EXPECT_TRUE(Contains(dot, "input_1 -> node_2 [label=\"bool[]\"]")) << dot;
  EXPECT_TRUE(Contains(dot, "node_1 -> node_2 [label=\"float[N,4]\", style=dashed]")) << dot;  // u, used inside the If
  EXPECT_TRUE(Contains(dot, "node_2 -> output_0")) << dot;

  // The fixture: one box per node, the input edge labeled with its shape.
  auto fixture = RunCommand(InfoCommand(Fixture().string() + " --dot " + (temp_ / "f.gv").string()));
  ASSERT_EQ(fixture.exit_code, 0) << fixture.err;
  auto model = LoadModel(Fixture());
  ASSERT_TRUE(model.ok());
  std::string fixture_dot = ReadFile(temp_ / "f.gv");
  EXPECT_EQ(CountOf(fixture_dot, "shape=box"), (*model)->graph().nodeCount());
  EXPECT_TRUE(Contains(fixture_dot, "input_0 -> node_0 [label=\"float[1,3,32,32]\"]")) << fixture_dot;
  EXPECT_FALSE(Contains(fixture_dot, "initializer\"]")) << "initializers must not be drawn as nodes";
}

// Every http(s) reference is an SVG namespace, never a resource to fetch.
void ExpectSelfContained(std::string html) {
  for (std::string_view ns : {"xmlns=\"http://www.w3.org/2000/svg\"", "xmlns:xlink=\"http://www.w3.org/1999/xlink\""})
    for (size_t at = html.find(ns); at != std::string::npos; at = html.find(ns)) html.erase(at, ns.size());
  EXPECT_FALSE(Contains(html, "http://")) << html;
  EXPECT_FALSE(Contains(html, "https://")) << html;
  EXPECT_FALSE(Contains(html, "<link")) << html;
  EXPECT_FALSE(Contains(html, "<script")) << html;
}

TEST_F(OnnxInfo, HtmlWithoutGraphvizEmbedsTheDot) {
  std::filesystem::create_directory(temp_ / "empty");
  auto html_path = temp_ / "page.html";
  auto result = RunCommand("PATH=" + (temp_ / "empty").string() + " " +
                           InfoCommand(model() + " --html " + html_path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string html = ReadFile(html_path);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>")) << html;
  EXPECT_TRUE(Contains(html, "Graphviz (dot) was not found")) << html;
  EXPECT_TRUE(Contains(html, "<pre>digraph ")) << html;
  EXPECT_TRUE(Contains(html, "input_0 -&gt; node_0")) << html;
  EXPECT_FALSE(Contains(html, "<svg")) << html;
  EXPECT_TRUE(Contains(html, "<style>")) << html;
  EXPECT_TRUE(Contains(html, "<td>local.Double</td><td>1</td>")) << html;
  EXPECT_TRUE(Contains(html, "<td>author</td><td>me</td>")) << html;
  ExpectSelfContained(html);
}

TEST_F(OnnxInfo, HtmlWithGraphvizInlinesTheSvg) {
  // A stand-in for Graphviz that reports how many edges the DOT it was given has.
  std::filesystem::create_directory(temp_ / "bin");
  auto fake = temp_ / "bin" / "dot";
  WriteFile(fake, R"(#!/bin/sh
[ "$1" = "-Tsvg" ] || exit 3
echo '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
echo '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
echo "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><text>edges $(grep -c -- '->' "$2")</text></svg>"
)");
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  auto html_path = temp_ / "page.html";
  auto result = RunCommand("PATH=" + (temp_ / "bin").string() + ":/usr/bin:/bin " +
                           InfoCommand(model() + " --html " + html_path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string html = ReadFile(html_path);
  EXPECT_TRUE(Contains(html, "<svg xmlns=")) << html;
  EXPECT_TRUE(Contains(html, "<text>edges 5</text>")) << html;  // x, t, cond, u (outer scope), y
  EXPECT_FALSE(Contains(html, "<?xml")) << html;
  EXPECT_FALSE(Contains(html, "<pre>")) << html;
  ExpectSelfContained(html);
}

TEST_F(OnnxInfo, HtmlWithTheRealGraphvizWhenInstalled) {
  if (RunCommand("command -v dot").exit_code != 0) GTEST_SKIP() << "Graphviz (dot) is not installed";
  auto html_path = temp_ / "page.html";
  auto result = RunCommand(InfoCommand(Fixture().string() + " --html " + html_path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string html = ReadFile(html_path);
  EXPECT_TRUE(Contains(html, "<svg")) << html.substr(0, 2000);
  EXPECT_TRUE(Contains(html, "float[1,3,32,32]")) << html.substr(0, 2000);
  ExpectSelfContained(html);
}

TEST_F(OnnxInfo, MissingOrCorruptModelWritesNothing) {
  auto outputs = " --json --dot " + (temp_ / "out.gv").string() + " --html " + (temp_ / "out.html").string();
  auto missing = RunCommand(InfoCommand((temp_ / "none.onnx").string() + outputs));
  ExpectOneLineError(missing, 1, (temp_ / "none.onnx").string());
  EXPECT_TRUE(missing.out.empty()) << missing.out;

  WriteFile(temp_ / "corrupt.onnx", "this is not a protobuf \xff\xff\xff\xff");
  auto corrupt = RunCommand(InfoCommand((temp_ / "corrupt.onnx").string() + outputs));
  ExpectOneLineError(corrupt, 1, (temp_ / "corrupt.onnx").string());
  EXPECT_TRUE(corrupt.out.empty()) << corrupt.out;

  EXPECT_FALSE(std::filesystem::exists(temp_ / "out.gv"));
  EXPECT_FALSE(std::filesystem::exists(temp_ / "out.html"));
}

TEST_F(OnnxInfo, UsageHelpAndVersion) {
  ExpectOneLineError(RunCommand(InfoCommand("")), 2, "model");
  ExpectOneLineError(RunCommand(InfoCommand(model() + " --no-such-flag")), 2, "no-such-flag");
  ExpectOneLineError(RunCommand(InfoCommand(model() + " --dot")), 2, "dot");
  auto help = RunCommand(InfoCommand("--help"));
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(Contains(help.out, "Examples:")) << help.out;
  EXPECT_TRUE(Contains(help.out, "--html")) << help.out;
  auto version = RunCommand(InfoCommand("--version"));
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_FALSE(version.out.empty());
}

}  // namespace
}  // namespace onnxkit::testing
