#include "tools/common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace onnxkit::tools {

bool ProgressBar::Enabled() {
  const char* ci = std::getenv("CI");
  return isatty(STDERR_FILENO) && !(ci && std::strcmp(ci, "") != 0 && std::strcmp(ci, "false") != 0);
}

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(Enabled()), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputc('\n', stderr);
}

void ProgressBar::update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  bool last = total != 0 && done >= total;
  if (drawn_ && !last && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string line = fmt::format("\r{} {}", label_, done);
  if (total) {
    line += fmt::format("/{} [{:<20}]", total, std::string(static_cast<size_t>(20 * done / total), '#'));
    if (rate > 0) line += fmt::format("  {:.1f}/s  ETA {:.0f}s", rate, static_cast<double>(total - done) / rate);
  } else if (rate > 0) {
    line += fmt::format("  {:.1f}/s", rate);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace onnxkit::tools
