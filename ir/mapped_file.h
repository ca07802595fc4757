// Read-only access to a whole file through a memory map (falling back to reading it when the file
// cannot be mapped). The returned SharedBytes keeps the mapping alive for as long as any tensor
// references a slice of it.
#pragma once

#include <filesystem>

#include "ir/shared_bytes.h"
#include "ir/status.h"

namespace onnxkit {

// Errors name the file and say what is wrong: missing, a folder, unreadable.
Result<SharedBytes> MapFile(const std::filesystem::path& path);

}  // namespace onnxkit
