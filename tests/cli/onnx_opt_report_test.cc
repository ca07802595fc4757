// onnx-opt --report FILE.html: the page holds both graphs (SVG from Graphviz, or the DOT text
// without it), the pass table with the same runs and rewrites --json reports, node counts per op
// type before and after, sizes; it is self-contained and written atomically; an unwritable path is
// one error line, exit code 1, and nothing written.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <regex>
#include <set>

#include "tests/cli/cli_util.h"
#include "tests/json_value.h"

namespace onnxkit::testing {
namespace {

// Two Identity nodes and a dead Neg: eliminate-identity and eliminate-dead-nodes both act.
constexpr std::string_view kModel = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  g (float[2, 3] x) => (float[2, 3] y) {
    a = Identity(x)
    dead = Neg(a)
    b = Relu(a)
    c = Identity(b)
    y = Sigmoid(c)
  }
)";

bool Contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

size_t CountOf(const std::string& text, std::string_view part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

JsonValue Parse(const std::string& text) {
  std::string error;
  auto json = ParseJson(text, &error);
  EXPECT_TRUE(json.has_value()) << error << "\n" << text;
  return json ? *json : JsonValue{};
}

// The part of the page between two markers.
std::string Between(const std::string& html, std::string_view from, std::string_view to) {
  size_t begin = html.find(from);
  if (begin == std::string::npos) return "";
  size_t end = html.find(to, begin + from.size());
  return html.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// Every pass of --json has its row with the same runs and rewrites; every op type its counts.
void ExpectTablesMatchJson(const std::string& html, const JsonValue& json) {
  ASSERT_FALSE(json["passes"].array.empty());
  for (const JsonValue& pass : json["passes"].array) {
    std::string row = fmt::format("<td>{}</td><td>[a-z]+</td><td>{}</td><td>{}</td><td>[0-9]+\\.[0-9]{{3}}</td>",
                                  pass["name"].string, static_cast<int64_t>(pass["runs"].number),
                                  static_cast<int64_t>(pass["rewrites"].number));
    EXPECT_TRUE(std::regex_search(html, std::regex(row))) << row;
    std::string row_class = pass["rewrites"].number > 0 ? "<tr class=\"changed\"><td>" : "<tr><td>";
    EXPECT_TRUE(Contains(html, row_class + pass["name"].string + "</td>")) << pass["name"].string;
  }
  EXPECT_TRUE(Contains(html, fmt::format("<h2>Passes ({})</h2>", json["passes"].array.size())));
  std::set<std::string> ops;
  for (const auto& [op, count] : json["ops_before"].object) ops.insert(op);
  for (const auto& [op, count] : json["ops_after"].object) ops.insert(op);
  for (const std::string& op : ops) {
    auto count = [&](const char* key) {
      return json[key].has(op) ? static_cast<int64_t>(json[key][op].number) : int64_t{0};
    };
    int64_t before = count("ops_before"), after = count("ops_after");
    std::string change = before == after ? "0" : fmt::format("{:+}", after - before);
    EXPECT_TRUE(Contains(html, fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td>", op, before, after, change)))
        << op;
  }
  EXPECT_TRUE(Contains(html, fmt::format("<tr><td>nodes</td><td>{}</td><td>{}</td>",
                                         static_cast<int64_t>(json["nodes_before"].number),
                                         static_cast<int64_t>(json["nodes_after"].number))));
}

void ExpectSelfContained(std::string html) {
  for (std::string_view ns : {"xmlns=\"http://www.w3.org/2000/svg\"", "xmlns:xlink=\"http://www.w3.org/1999/xlink\""})
    for (size_t at = html.find(ns); at != std::string::npos; at = html.find(ns)) html.erase(at, ns.size());
  EXPECT_FALSE(Contains(html, "http://"));
  EXPECT_FALSE(Contains(html, "https://"));
  EXPECT_FALSE(Contains(html, "<script"));
  EXPECT_FALSE(Contains(html, "<link"));
}

class OnnxOptReport : public ::testing::Test {
 protected:
  void SetUp() override { WriteTextModel(temp_ / "model.onnx", kModel); }
  std::string model() const { return (temp_ / "model.onnx").string(); }
  std::string Opt(const std::string& arguments, const std::string& path = "") const {
    return (path.empty() ? "" : "PATH=" + path + " ") + ToolPath("onnx-opt") + " " + arguments;
  }
  TempDir temp_;
};

TEST_F(OnnxOptReport, WithoutGraphvizBothGraphsAsDot) {
  std::filesystem::create_directory(temp_ / "empty-path");
  auto page = temp_ / "report.html";
  CommandResult result = RunCommand(Opt("--json --report " + page.string() + " --passes eliminate-identity,"
                                        "eliminate-dead-nodes " + model() + " " + (temp_ / "out.onnx").string(),
                                        (temp_ / "empty-path").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  JsonValue json = Parse(result.out);  // the report adds nothing to stdout
  std::string html = ReadFile(page);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(html.ends_with("</body></html>\n"));
  ExpectTablesMatchJson(html, json);
  EXPECT_TRUE(Contains(html, "<td>eliminate-identity</td><td>cleanup</td>"));
  EXPECT_TRUE(Contains(html, "<td>Identity</td><td>2</td><td>0</td><td>-2</td>"));
  EXPECT_TRUE(Contains(html, "<td>Neg</td><td>1</td><td>0</td><td>-1</td>"));
  EXPECT_TRUE(Contains(html, "<td>Relu</td><td>1</td><td>1</td><td>0</td>"));
  EXPECT_TRUE(Contains(html, "<tr><td>nodes</td><td>5</td><td>2</td><td>-3</td></tr>"));
  EXPECT_TRUE(Contains(html, "Pipeline --passes eliminate-identity,eliminate-dead-nodes: 3 rewrites"));

  // Side by side: the original's DOT (with its Identity and Neg nodes), then the result's.
  std::string before = Between(html, "<div id=\"before\">", "<div id=\"after\">");
  std::string after = Between(html, "<div id=\"after\">", "</body>");
  EXPECT_TRUE(Contains(before, "(5 nodes in the main graph)"));
  EXPECT_TRUE(Contains(after, "(2 nodes in the main graph)"));
  EXPECT_TRUE(Contains(before, "<pre>digraph ")) << before;
  EXPECT_TRUE(Contains(after, "<pre>digraph ")) << after;
  EXPECT_EQ(CountOf(before, "label=&quot;Identity"), 2u) << before;
  EXPECT_EQ(CountOf(before, "label=&quot;Neg"), 1u) << before;
  EXPECT_EQ(CountOf(after, "label=&quot;Identity"), 0u) << after;
  EXPECT_EQ(CountOf(after, "label=&quot;Relu"), 1u) << after;
  // Edge labels carry the shapes shape inference found.
  EXPECT_TRUE(Contains(after, "float[2,3]")) << after;
  EXPECT_TRUE(Contains(html, "Graphviz (dot) was not found on PATH"));
  ExpectSelfContained(html);
}

TEST_F(OnnxOptReport, WithGraphvizBothGraphsAsSvgOnTheFixture) {
  if (RunCommand("command -v dot").exit_code != 0) GTEST_SKIP() << "Graphviz (dot) is not installed";
  auto fixture = SourceDir() / "fixtures" / "cnn_bn_residual.onnx";
  auto page = temp_ / "report.html";
  CommandResult result =
      RunCommand(Opt("--json --report " + page.string() + " " + fixture.string() + " " + (temp_ / "out.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  JsonValue json = Parse(result.out);
  std::string html = ReadFile(page);
  ExpectTablesMatchJson(html, json);
  // -O2 folds the BatchNormalizations into the Convs.
  EXPECT_GT(json["ops_before"]["BatchNormalization"].number, 0);
  EXPECT_FALSE(json["ops_after"].has("BatchNormalization"));
  EXPECT_TRUE(std::regex_search(html, std::regex("<tr class=\"changed\"><td>fuse-conv-batchnorm</td><td>fuse</td>"
                                                 "<td>[0-9]+</td><td>[1-9][0-9]*</td>")));
  EXPECT_TRUE(Contains(html, "Pipeline -O2: "));
  EXPECT_TRUE(Contains(html, "<td>file bytes</td>"));

  std::string before = Between(html, "<div id=\"before\">", "<div id=\"after\">");
  std::string after = Between(html, "<div id=\"after\">", "</body>");
  EXPECT_EQ(CountOf(before, "<svg"), 1u);
  EXPECT_EQ(CountOf(after, "<svg"), 1u);
  EXPECT_FALSE(Contains(html, "<pre>"));
  EXPECT_FALSE(Contains(html, "<?xml"));
  // Graphviz's ids are prefixed per graph, so the two SVGs do not clash.
  EXPECT_TRUE(Contains(before, "id=\"before-graph0\""));
  EXPECT_TRUE(Contains(after, "id=\"after-graph0\""));
  EXPECT_FALSE(Contains(html, "id=\"graph0\""));
  // The node text Graphviz drew: BatchNormalization only before.
  EXPECT_TRUE(Contains(before, ">BatchNormalization</text>"));
  EXPECT_FALSE(Contains(after, ">BatchNormalization</text>"));
  EXPECT_TRUE(Contains(after, ">Conv</text>"));
  EXPECT_TRUE(Contains(before, "float[1,3,32,32]"));
  ExpectSelfContained(html);
}

TEST_F(OnnxOptReport, WorksWithPrintOnlyAndVerify) {
  auto page = temp_ / "report.html";
  CommandResult result = RunCommand(Opt("--print --verify --report " + page.string() + " " + model()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "Sigmoid"));
  std::string html = ReadFile(page);
  EXPECT_TRUE(Contains(html, "<td>file bytes</td>"));
  EXPECT_TRUE(Contains(html, "(not written)"));
  EXPECT_TRUE(Contains(html, "<h2>Verification</h2>"));
  EXPECT_TRUE(Contains(html, "the outputs agree"));
}

TEST_F(OnnxOptReport, UnwritablePathIsOneLineAndNothingWritten) {
  auto output = temp_ / "out.onnx";
  for (const std::string& page : {(temp_ / "no-such-folder" / "r.html").string(), temp_.path().string()}) {
    SCOPED_TRACE(page);
    CommandResult result = RunCommand(Opt("--report " + page + " " + model() + " " + output.string()));
    ExpectOneLineError(result, 1, "--report: " + page);
    EXPECT_FALSE(std::filesystem::exists(output));
  }
  // A model that fails leaves no report (and no temporary file) behind.
  WriteFile(temp_ / "broken.onnx", "not a model");
  auto page = temp_ / "r.html";
  CommandResult result = RunCommand(Opt("--report " + page.string() + " " + (temp_ / "broken.onnx").string() + " " +
                                        output.string()));
  ExpectOneLineError(result, 1, "broken.onnx");
  for (const auto& entry : std::filesystem::directory_iterator(temp_.path()))
    EXPECT_FALSE(entry.path().filename().string().starts_with("r.html")) << entry.path();
}

}  // namespace
}  // namespace onnxkit::testing
