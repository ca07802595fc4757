// optimize(): onnx-opt's pipelines through the PassManager.
#include "onnxkit/passes.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/internal.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"

namespace onnxkit::api {

std::vector<PassInfo> listPasses() {
  std::vector<PassInfo> passes;
  for (const onnxkit::PassInfo& info : RegisteredPasses())
    passes.push_back({std::string(info.name), std::string(PassGroupName(info.group)), std::string(info.summary)});
  return passes;
}

OptimizeReport optimize(Model& model, const OptimizeOptions& options) {
  return Guard([&] {
    // Everything that can be wrong with the options is checked before the model changes.
    if (options.passes.empty() && (options.level < 0 || options.level > 3))
      throw Error(fmt::format("optimization level {} is not one of 0, 1, 2, 3", options.level));
    for (const std::string& name : options.disable)
      if (!FindPass(name)) throw Error(fmt::format("unknown pass '{}' (to disable)", name));
    PipelineGroups groups = options.passes.empty() ? PipelineForLevel(options.level) : PipelineGroups{options.passes};
    for (auto& group : groups)
      std::erase_if(group, [&](const std::string& name) {
        return std::find(options.disable.begin(), options.disable.end(), name) != options.disable.end();
      });
    std::erase_if(groups, [](const auto& group) { return group.empty(); });

    PassManagerOptions manager_options;
    manager_options.verify_each = options.verify_each;
    manager_options.pass_options.fold_max_bytes = options.fold_max_bytes;
    // As onnx-opt: a level's pipeline again while it changes something; a pass list once.
    manager_options.pipeline_rounds = options.passes.empty() ? 3 : 1;
    PassManager manager(manager_options);
    for (const auto& group : groups) Check(manager.addGroup(group));

    onnxkit::Model& ir = ModelAccess::Mutable(model);
    OptimizeReport report;
    report.rewrites = Unwrap(manager.run(ir));
    if (Status valid = VerifyModel(ir); !valid.ok())
      throw Error(fmt::format("the optimized model is invalid (a bug): {}", valid.message()));
    for (const PassRecord& record : manager.records())
      report.passes.push_back({record.name, record.runs, record.rewrites, record.seconds});
    return report;
  });
}

OptimizeReport runPasses(Model& model, const std::vector<std::string>& passes) {
  if (passes.empty()) throw Error("runPasses: no pass named");
  OptimizeOptions options;
  options.passes = passes;
  return optimize(model, options);
}

}  // namespace onnxkit::api
