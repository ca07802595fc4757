// Threads of the optimized kernels. There is one pool: OpenMP's (libgomp), which oneDNN's Debian
// build also runs on, so our kernels and the library's never oversubscribe the cores.
#pragma once

namespace onnxkit::runtime {

// Physical cores of this machine (hyper-threads not counted); at least 1.
int PhysicalCoreCount();

// Sets the thread count of the pool for kernels run from this thread; 0 means PhysicalCoreCount().
void SetKernelThreads(int threads);

}  // namespace onnxkit::runtime
