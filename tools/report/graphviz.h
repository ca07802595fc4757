// Runs Graphviz's `dot -Tsvg` on DOT text when `dot` is on PATH (for the HTML pages of onnx-info
// and onnx-opt --report).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace onnxkit::tools {

// The `dot` executable found on PATH, or nullopt.
std::optional<std::filesystem::path> FindGraphvizDot();

// The <svg ...>...</svg> element `dot` made of `dot_text` (XML prolog and DOCTYPE removed), or
// nullopt with `problem` set when it failed.
std::optional<std::string> RenderSvg(const std::filesystem::path& dot_program, const std::string& dot_text,
                                     std::string* problem);

}  // namespace onnxkit::tools
