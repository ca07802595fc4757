// Shared by the fuzz targets: a property that must hold whatever the input. A failure prints what
// broke and aborts, which libFuzzer reports as a crash and saves the input.
//
// The targets catch nothing: the library returns errors as Status/Result values (see
// ir/status.h), so an exception escaping it on bad input (InternalError, std::bad_alloc, ...) is a
// finding like a crash or a sanitizer report.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, ...)                                       \
  do {                                                                   \
    if (!(condition)) {                                                  \
      std::fprintf(stderr, "fuzz check failed: %s: ", #condition);       \
      std::fprintf(stderr, __VA_ARGS__);                                 \
      std::fprintf(stderr, "\n");                                        \
      std::abort();                                                      \
    }                                                                    \
  } while (false)
