// Runs groups of passes, each group to a fixed point (bounded rounds), recording per-pass
// statistics, and optionally verifying the model after every pass that changed it.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "passes/pass.h"
#include "passes/registry.h"

namespace onnxkit {

struct PassRecord {
  std::string name;
  size_t runs = 0;
  size_t rewrites = 0;
  double seconds = 0;
};

struct PassManagerOptions {
  PassOptions pass_options;
  bool verify_each = false;
  int max_rounds = 10;      // per group: the group runs until a round changes nothing
  int pipeline_rounds = 1;  // the whole sequence of groups again while it still changes something
  // Called after each pass run that changed the model (for --print-ir-after).
  std::function<void(std::string_view pass_name, const Model& model)> after_pass;
};

class PassManager {
 public:
  explicit PassManager(PassManagerOptions options = {});
  ~PassManager();

  // Adds a group of registered passes; unknown names are an error naming them.
  Status addGroup(std::span<const std::string> pass_names);
  // Runs every group; returns the total number of rewrites.
  Result<size_t> run(Model& model);
  // One record per pass name, in the order the passes were first added.
  const std::vector<PassRecord>& records() const { return records_; }

 private:
  Result<size_t> runGroupsOnce(Model& model);
  struct Entry {
    std::unique_ptr<Pass> pass;
    size_t record;
  };
  PassManagerOptions options_;
  std::vector<std::vector<Entry>> groups_;
  std::vector<PassRecord> records_;
};

}  // namespace onnxkit
