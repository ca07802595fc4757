#include "tools/common/tool_main.h"

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <new>

#ifndef ONNXKIT_VERSION
#define ONNXKIT_VERSION "0.0.0"
#endif

namespace onnxkit::tools {

void PrintError(std::string_view tool, std::string_view message) {
  fmt::print(stderr, "{}: error: {}\n", tool, message);
  std::fflush(stderr);
}

std::string_view Version() { return ONNXKIT_VERSION; }

int ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    PrintError(app.get_name(), fmt::format("{} (see --help)", e.what()));
    return kExitUsage;
  }
  return -1;
}

int RunTool(std::string_view tool, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    PrintError(tool, "out of memory");
  } catch (const std::exception& e) {
    PrintError(tool, e.what());
  } catch (...) {
    PrintError(tool, "unknown internal error");
  }
  return kExitFailure;
}

}  // namespace onnxkit::tools
