// ONNXKIT_API marks what libonnxkit exports. The library is built with hidden visibility, so
// everything else in it (the toolchain's internals) stays private to it.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define ONNXKIT_API __attribute__((visibility("default")))
#else
#define ONNXKIT_API
#endif
