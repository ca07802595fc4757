#include "tools/common/output.h"

#include "tools/common/progress.h"

namespace onnxkit::tools {

void ToolOutput::addFlags(CLI::App& app, std::string_view verbose_help, std::string_view json_help) {
  auto* quiet_flag = app.add_flag_callback(
      "-q,--quiet",
      [this]() {
        quiet_ = true;
        ProgressBar::Suppress(true);
      },
      "print only errors (on stderr); stdout holds only output asked for by name, e.g. --json");
  auto* verbose_flag = app.add_flag("-v,--verbose", verbose_, std::string(verbose_help) + " (on stderr)");
  quiet_flag->excludes(verbose_flag);
  if (!json_help.empty()) app.add_flag("--json", json_, std::string(json_help));
}

void ToolOutput::printText(std::string_view text) const {
  if (human()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
}

void ToolOutput::printJson(std::string_view document) const {
  fmt::print(stdout, "{}\n", document);
  std::fflush(stdout);
}

void ToolOutput::emitNote(const std::string& text) const {
  fmt::print(stderr, "{}: note: {}\n", tool_, text);
  std::fflush(stderr);
}

void ToolOutput::emitDetail(const std::string& text) const {
  fmt::print(stderr, "{}\n", text);
  std::fflush(stderr);
}

}  // namespace onnxkit::tools
