#include "passes/pass_manager.h"

#include <algorithm>
#include <chrono>

#include "ir/verifier.h"
#include "passes/registry.h"

namespace onnxkit {

PassManager::PassManager(PassManagerOptions options) : options_(std::move(options)) {}
PassManager::~PassManager() = default;

Status PassManager::addGroup(std::span<const std::string> pass_names) {
  std::vector<Entry> group;
  for (const std::string& name : pass_names) {
    const PassInfo* info = FindPass(name);
    if (!info) return Status::Error("unknown pass '{}' (see --list-passes)", name);
    auto same = std::find_if(records_.begin(), records_.end(), [&](const PassRecord& r) { return r.name == name; });
    size_t record = static_cast<size_t>(same - records_.begin());
    if (same == records_.end()) records_.push_back(PassRecord{name});
    group.push_back(Entry{info->create(options_.pass_options), record});
  }
  if (!group.empty()) groups_.push_back(std::move(group));
  return Status::Ok();
}

Result<size_t> PassManager::run(Model& model) {
  size_t total = 0;
  for (int pipeline_round = 0; pipeline_round < options_.pipeline_rounds; ++pipeline_round) {
    size_t before = total;
    ONNXKIT_ASSIGN_OR_RETURN(size_t rewrites, runGroupsOnce(model));
    total += rewrites;
    if (total == before) break;
  }
  return total;
}

Result<size_t> PassManager::runGroupsOnce(Model& model) {
  size_t total = 0;
  for (auto& group : groups_) {
    for (int round = 0; round < options_.max_rounds; ++round) {
      size_t round_rewrites = 0;
      for (Entry& entry : group) {
        PassRecord& record = records_[entry.record];
        auto start = std::chrono::steady_clock::now();
        auto rewrites = entry.pass->run(model);
        record.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ++record.runs;
        if (!rewrites.ok()) return rewrites.status().WithContext(fmt::format("pass {}", record.name));
        if (*rewrites == 0) continue;
        record.rewrites += *rewrites;
        round_rewrites += *rewrites;
        if (options_.verify_each) {
          Status valid = VerifyModel(model);
          if (!valid.ok()) return valid.WithContext(fmt::format("invalid model after pass {}", record.name));
        }
        if (options_.after_pass) options_.after_pass(record.name, model);
      }
      total += round_rewrites;
      if (round_rewrites == 0) break;
    }
  }
  return total;
}

}  // namespace onnxkit
