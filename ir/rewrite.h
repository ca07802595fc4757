// Rewriting helpers shared by passes, keeping the graph's interface intact.
#pragma once

#include "ir/graph.h"

namespace onnxkit {

// Makes every user of `old_value` use `new_value` instead, and gives `new_value` the old name when
// it can be renamed (same graph, not a graph input or output; old_value gets a fresh name): a
// fused or folded result keeps the name of the value it stands for, so a layerwise comparison
// with the original still lines up. When `old_value` is a graph output, `new_value` takes over the
// output position, and then the renaming is required: graph output names never change. Returns
// false, changing nothing, when that is impossible (new_value is a graph input or output itself,
// or belongs to an enclosing graph).
bool ReplaceValue(Value* old_value, Value* new_value);

// Whether ReplaceValue(old_value, new_value) would succeed.
bool CanReplaceValue(const Value* old_value, const Value* new_value);

// Removes the producer of `value` when nothing uses its outputs any more (and none is a graph
// output), then the producers of that node's inputs on the same condition, and so on: the chain a
// rewrite just disconnected goes at once, so later patterns do not see its stale uses. Nodes of
// other graphs are left alone. Returns the number of nodes removed.
size_t RemoveDeadProducers(Value* value);

}  // namespace onnxkit
