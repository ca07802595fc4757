// What every command-line tool shares: exit codes, error lines, and a main() wrapper that turns
// any escaped exception into one line on stderr instead of a crash.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>

#include "ir/status.h"

namespace onnxkit::tools {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

// "<tool>: error: <message>" on stderr.
void PrintError(std::string_view tool, std::string_view message);

// Parses the command line: --help and --version print and return 0; a usage error prints one
// line and returns kExitUsage; otherwise returns -1 (go on).
int ParseCommandLine(CLI::App& app, int argc, char** argv);

// Runs `body`, catching everything: an InternalError or other exception becomes one stderr line
// and kExitFailure.
int RunTool(std::string_view tool, const std::function<int()>& body);

// The version string of every tool.
std::string_view Version();

}  // namespace onnxkit::tools
