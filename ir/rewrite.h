// Rewriting helpers shared by passes, keeping the graph's interface intact.
#pragma once

#include "ir/graph.h"

namespace onnxkit {

// Makes every user of `old_value` use `new_value` instead. When `old_value` is a graph output of
// its graph, `new_value` takes over the output position and the output's name (old_value gets a
// fresh one), so graph output names never change. Returns false, changing nothing, when that is
// impossible: new_value is a graph input or output itself, or belongs to an enclosing graph.
bool ReplaceValue(Value* old_value, Value* new_value);

// Whether ReplaceValue(old_value, new_value) would succeed.
bool CanReplaceValue(const Value* old_value, const Value* new_value);

}  // namespace onnxkit
