// How every tool talks, shared so that the five tools behave alike:
//
//   stdout  the result: a human-readable summary (dropped under --quiet), or with --json exactly
//           one JSON document and nothing else. Output a flag asks for by name (--print,
//           --list-passes) still prints under --quiet.
//   stderr  errors (always: "<tool>: error: ..."), notes and progress bars (not under --quiet),
//           and --verbose detail (timings, per-sample progress, per-output figures), so that
//           --verbose never changes what stdout holds.
//
// -q/--quiet and -v/--verbose exclude each other (a usage error, exit code 2).
#pragma once

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "tools/common/json.h"

namespace onnxkit::tools {

class ToolOutput {
 public:
  explicit ToolOutput(std::string_view tool) : tool_(tool) {}

  // Adds -q,--quiet, -v,--verbose and, when `json_help` is not empty, --json. --quiet also turns
  // progress bars off.
  void addFlags(CLI::App& app, std::string_view verbose_help, std::string_view json_help);

  bool quiet() const { return quiet_; }
  bool verbose() const { return verbose_; }
  bool json() const { return json_; }
  // True when the human-readable result goes to stdout: neither --quiet nor --json.
  bool human() const { return !quiet_ && !json_; }

  // The human-readable result, on stdout (only when human()).
  template <typename... Args>
  void print(fmt::format_string<Args...> format, Args&&... args) const {
    if (human()) fmt::print(stdout, format, std::forward<Args>(args)...);
  }
  void printText(std::string_view text) const;
  // "<tool>: note: ..." on stderr, unless --quiet.
  template <typename... Args>
  void note(fmt::format_string<Args...> format, Args&&... args) const {
    if (!quiet_) emitNote(fmt::format(format, std::forward<Args>(args)...));
  }
  // A line of --verbose detail on stderr.
  template <typename... Args>
  void detail(fmt::format_string<Args...> format, Args&&... args) const {
    if (verbose_) emitDetail(fmt::format(format, std::forward<Args>(args)...));
  }
  // The one JSON document of --json, on stdout, newline-terminated.
  void printJson(std::string_view document) const;
  void printJson(const JsonWriter& json) const { printJson(json.str()); }

 private:
  void emitNote(const std::string& text) const;
  void emitDetail(const std::string& text) const;

  std::string tool_;
  bool quiet_ = false;
  bool verbose_ = false;
  bool json_ = false;
};

// Wall time of a phase, for --verbose ("load 12.3 ms").
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double milliseconds() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }
  void restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace onnxkit::tools
