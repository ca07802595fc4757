#include "runtime/threading.h"

#include <sched.h>

#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>

// OpenMP's C API, from libgomp: the pool oneDNN's Debian build runs on. Declared here rather than
// through <omp.h> so that no target needs -fopenmp (clang, which builds fuzz/, lacks GCC's omp.h).
extern "C" void omp_set_num_threads(int threads);

namespace onnxkit::runtime {
namespace {

// Distinct (physical id, core id) pairs of /proc/cpuinfo; 0 when it cannot be read.
int CountCoresInCpuinfo() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string>> cores;
  std::string line, physical = "0";
  while (std::getline(cpuinfo, line)) {
    auto value = [&] { return line.substr(line.find(':') + 1); };
    if (line.starts_with("physical id")) physical = value();
    if (line.starts_with("core id")) cores.emplace(physical, value());
  }
  return static_cast<int>(cores.size());
}

// CPUs this process may run on (a container or taskset may allow fewer than the machine has).
int AllowedCpuCount() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return static_cast<int>(std::thread::hardware_concurrency());
}

}  // namespace

int PhysicalCoreCount() {
  static const int count = [] {
    int allowed = AllowedCpuCount(), cores = CountCoresInCpuinfo();
    int physical = cores > 0 && (allowed <= 0 || cores < allowed) ? cores : allowed;
    return physical > 0 ? physical : 1;
  }();
  return count;
}

void SetKernelThreads(int threads) { omp_set_num_threads(threads > 0 ? threads : PhysicalCoreCount()); }

}  // namespace onnxkit::runtime
