// docs/passes.md, generated from the pass registry (name, group, summary) and each pass's header
// comment (Before/After, conditions, algebra), so the reference cannot drift from the code.
#pragma once

#include <filesystem>
#include <string>

namespace onnxkit::testing {

// The Markdown of docs/passes.md; reads the pass headers under `source_dir`/passes.
std::string PassReferenceMarkdown(const std::filesystem::path& source_dir);

}  // namespace onnxkit::testing
