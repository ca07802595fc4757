#include "tools/common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tools/common/human_bytes.h"

namespace onnxkit::tools {
namespace {

std::atomic<bool> g_suppressed{false};

}  // namespace

bool ProgressBar::Enabled() {
  const char* ci = std::getenv("CI");
  return !g_suppressed.load() && isatty(STDERR_FILENO) &&
         !(ci && std::strcmp(ci, "") != 0 && std::strcmp(ci, "false") != 0);
}

void ProgressBar::Suppress(bool suppressed) { g_suppressed.store(suppressed); }

ProgressBar::ProgressBar(std::string label, Unit unit)
    : label_(std::move(label)),
      unit_(unit),
      enabled_(Enabled()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputc('\n', stderr);
}

std::string ProgressBar::amount(uint64_t value) const {
  return unit_ == Unit::kBytes ? HumanBytes(static_cast<int64_t>(value)) : std::to_string(value);
}

void ProgressBar::update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  bool last = total != 0 && done >= total;
  if (drawn_ && !last && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  auto rate_text = [&]() {
    return unit_ == Unit::kBytes ? fmt::format("{}/s", HumanBytes(static_cast<int64_t>(rate)))
                                 : fmt::format("{:.1f}/s", rate);
  };
  std::string line = fmt::format("\r{} {}", label_, amount(done));
  if (total) {
    line += fmt::format("/{} [{:<20}]", amount(total), std::string(static_cast<size_t>(20 * done / total), '#'));
    if (rate > 0) line += fmt::format("  {}  ETA {:.0f}s", rate_text(), static_cast<double>(total - done) / rate);
  } else if (rate > 0) {
    line += fmt::format("  {}", rate_text());
  }
  line += "\x1b[K";  // clears what a longer earlier line left
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace onnxkit::tools
