#include "tests/docs/pass_reference.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "passes/registry.h"

namespace onnxkit::testing {
namespace {

// passes/<group folder>/<name with underscores>.h
std::filesystem::path HeaderOf(const PassInfo& info, const std::filesystem::path& source_dir) {
  std::string folder(PassGroupName(info.group));
  std::string file(info.name);
  std::replace(folder.begin(), folder.end(), '-', '_');
  std::replace(file.begin(), file.end(), '-', '_');
  return source_dir / "passes" / folder / (file + ".h");
}

// The leading comment block of a header, without the comment markers.
std::string LeadingComment(const std::filesystem::path& header) {
  std::ifstream in(header);
  std::string line, text;
  while (std::getline(in, line) && line.rfind("//", 0) == 0) {
    line.erase(0, line.size() > 2 && line[2] == ' ' ? 3 : 2);
    text += line + "\n";
  }
  return text;
}

constexpr std::string_view kIntroduction = R"(# Pass reference

Generated from the pass registry (`passes/registry.cc`) and the header comment of each pass by
`scripts/pass-reference.sh`; `tests/docs/pass_reference_test.cc` fails when this file is out of
date, so it always lists every registered pass as the code has it.

`onnx-opt` runs passes in groups. Each group runs to a fixed point (bounded rounds), then the
whole pipeline again while it changes something (at most 3 times); the cleanup group always runs
last.

| level | groups |
| --- | --- |
| `-O0` | none (a lossless round trip) |
| `-O1` | fold, cleanup |
| `-O2` (default) | fold, fuse, cleanup: standard ONNX only, runs anywhere ONNX runs |
| `-O3` / `--target ort` | fold, fuse, fuse-ort, cleanup: also ONNX Runtime contrib ops (domain com.microsoft) |

`--fold`, `--fuse` and `--dce` pick groups; `--passes` runs a list of passes; `--disable` leaves
passes out; `--explain` says why a pattern did not apply. Every pass recurses into subgraphs
(If/Loop/Scan bodies), keeps graph input and output names and types, and leaves a model the
verifier and the ONNX checker accept (except that `-O3` may write ONNX Runtime's
LayerNormalization in the default domain below opset 17, as ONNX Runtime itself does, which the
checker's opset-14 schemas do not know). Each has text-format tests in `tests/passes/` and runs in the
differential test on every fixture and ONNX backend test model.
)";

}  // namespace

std::string PassReferenceMarkdown(const std::filesystem::path& source_dir) {
  std::ostringstream out;
  out << kIntroduction << "\n| pass | group | what it does |\n| --- | --- | --- |\n";
  for (const PassInfo& info : RegisteredPasses())
    out << fmt::format("| [`{}`](#{}) | {} | {} |\n", info.name, info.name, PassGroupName(info.group), info.summary);
  for (const PassInfo& info : RegisteredPasses()) {
    std::string comment = LeadingComment(HeaderOf(info, source_dir));
    out << fmt::format("\n## {}\n\nGroup: {}. Source: `{}`.\n\n```text\n{}```\n", info.name, PassGroupName(info.group),
                       std::filesystem::relative(HeaderOf(info, source_dir), source_dir).string(),
                       comment.empty() ? "(no header comment)\n" : comment);
  }
  return out.str();
}

}  // namespace onnxkit::testing
