// Reads the entries of a zip archive held in memory (stored or deflated, zip64 sizes), as NumPy
// writes .npz files. Every offset and size is checked against the archive's bounds.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/status.h"

namespace onnxkit::runtime {

// (name, uncompressed content) for each file in the archive; `what` names it in errors.
Result<std::vector<std::pair<std::string, std::string>>> ReadZipEntries(std::string_view archive, const std::string& what);

}  // namespace onnxkit::runtime
