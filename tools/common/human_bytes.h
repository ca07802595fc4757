// Byte counts for people: "312 B", "1.5 MiB" (the tools print the exact count next to it).
#pragma once

#include <cstdint>
#include <string>

namespace onnxkit::tools {

std::string HumanBytes(int64_t bytes);

}  // namespace onnxkit::tools
