// Finds and runs Graphviz `dot` (see graphviz.h).
#include "tools/report/graphviz.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace onnxkit::tools {
namespace {

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::optional<std::filesystem::path> FindGraphvizDot() {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::stringstream folders(path);
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    if (folder.empty()) continue;
    std::filesystem::path candidate = std::filesystem::path(folder) / "dot";
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error) && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::optional<std::string> RenderSvg(const std::filesystem::path& dot_program, const std::string& dot_text,
                                     std::string* problem) {
  std::string temporary = (std::filesystem::temp_directory_path() / "onnxkit-dot-XXXXXX").string();
  int fd = mkstemp(temporary.data());
  if (fd < 0) {
    *problem = fmt::format("cannot create a temporary file: {}", std::strerror(errno));
    return std::nullopt;
  }
  bool written = ::write(fd, dot_text.data(), dot_text.size()) == static_cast<ssize_t>(dot_text.size());
  ::close(fd);
  std::string svg;
  int status = -1;
  if (written) {
    std::string command = fmt::format("{} -Tsvg {} 2>/dev/null", ShellQuote(dot_program.string()), ShellQuote(temporary));
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char buffer[65536];
      size_t n;
      while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) svg.append(buffer, n);
      status = pclose(pipe);
    }
  }
  std::remove(temporary.c_str());
  size_t start = svg.find("<svg");
  if (!written || status != 0 || start == std::string::npos) {
    *problem = fmt::format("{} -Tsvg failed", dot_program.string());
    return std::nullopt;
  }
  return svg.substr(start);
}

}  // namespace onnxkit::tools
