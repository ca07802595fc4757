// No memory growth in long runs: a tool's peak resident memory over 10,000 iterations or samples
// stays within a few MiB of its peak over 1,000, so nothing accumulates per iteration (a leak of
// even 1 KiB per step would show as about 9 MiB). Peak RSS comes from the kernel (wait4 rusage)
// of the child process, so it counts everything the tool touched.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"

namespace onnxkit::testing {
namespace {

// Runs `argv` with stdout and stderr sent to /dev/null; returns its peak RSS in KiB, or -1 when it
// did not exit with code 0.
long PeakRssKib(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return usage.ru_maxrss;
}

std::string Fixture(const std::string& name) { return (SourceDir() / "fixtures" / name).string(); }

TEST(MemoryFlatness, OnnxRunBenchOf10000IterationsStaysFlat) {
  auto run = [](int iterations) {
    return PeakRssKib({ToolPath("onnx-run"), Fixture("digits_cnn.onnx"), "--bench", std::to_string(iterations)});
  };
  long short_run = run(1000);
  long long_run = run(10000);
  ASSERT_GT(short_run, 0);
  ASSERT_GT(long_run, 0);
  EXPECT_LE(long_run - short_run, 2048) << "peak RSS " << short_run << " KiB after 1,000 runs, " << long_run
                                        << " KiB after 10,000";
}

// `samples` digits images in one .npy (the one-input layout: a leading batch dim split into samples).
std::filesystem::path WriteDigitsSamples(const std::filesystem::path& folder, int samples) {
  std::filesystem::create_directories(folder);
  std::vector<float> values(static_cast<size_t>(samples) * 64);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>((i * 7919) % 17) / 16.0f;
  WriteFloatNpy(folder / "x.npy", {samples, 1, 8, 8}, values);
  return folder;
}

TEST(MemoryFlatness, CalibrationOver10000SamplesStaysFlat) {
  TempDir temp;
  for (std::string method : {"minmax", "entropy"}) {
    SCOPED_TRACE(method);
    auto calibrate = [&](int samples) {
      auto data = WriteDigitsSamples(temp / fmt::format("data{}", samples), samples);
      return PeakRssKib({ToolPath("onnx-quant"), "--calib", data.string(), "--method", method, Fixture("digits_cnn.onnx"),
                         (temp / "out.onnx").string()});
    };
    long small = calibrate(1000);
    long large = calibrate(10000);
    ASSERT_GT(small, 0);
    ASSERT_GT(large, 0);
    // The sample file is mapped and read once: its 9,000 extra samples (2.2 MiB) may stay resident.
    long extra_data_kib = 9000L * 64 * 4 / 1024;
    EXPECT_LE(large - small, extra_data_kib + 2048)
        << "peak RSS " << small << " KiB over 1,000 samples, " << large << " KiB over 10,000";
  }
}

}  // namespace
}  // namespace onnxkit::testing
