#!/usr/bin/env node
// Launcher for the offline preview: `npm run plan -- --stack dev [--mode up] [--json] …`
// (see tools/preview/cli.ts for the options and exit codes).
//
// What makes it fast, measured on this machine with test/fixtures/synthetic
// (~38 resources per service):
// - The Pulumi SDK captures `new Error().stack` for every internal promise and
//   a full stack for every resource. Two settings cut that cost:
//   * Error.stackTraceLimit = 0 (below): V8 walks no frame per capture.
//     7,600 resources, CLI user CPU: limit 1 ≈ 20.5 s, limit 0 ≈ 14–16.5 s
//     (3,800 resources: limit 10 ≈ 14 s, 2 ≈ 9.7 s, 1 ≈ 8.3 s, 0 ≈ 8 s).
//     A program error then shows its message without frames; run with
//     PREVIEW_STACK_TRACE_LIMIT=50 to see where it was thrown.
//   * runPreview formats the SDK's own captures as a constant string instead of
//     mapping them through ts-node's source maps (tools/preview/index.ts,
//     installCheapSdkStacks): 1,900 resources, 12–14 s → 6.5 s CPU. This is what
//     made compiled JS 3x faster than ts-node, so no compile step is needed.
// - TypeScript through ts-node in transpile-only mode (no type check at run
//   time; `npm run typecheck` does that); runPreview memoises its output per
//   file across runs in one process.
// - Memory: V8 grows the heap by up to 4x of the live size between full
//   GCs. --heap-growing-percent=50 (set below at run time, no re-exec needed)
//   took peak RSS at 7,600 resources (stack trace limit 1) from 1.45–1.47 GB
//   to 1.31–1.32 GB at the same CPU time; with limit 0 peak RSS measured
//   1.40–1.45 GB either way. A capped old space (--max-old-space-size=1200) doubled the
//   time; --optimize-for-size gave 0.93 GB but 3x the time; larger
//   semi-spaces did not help.
"use strict";
const path = require("path");

require("v8").setFlagsFromString("--heap-growing-percent=50");

Error.stackTraceLimit = Number(process.env.PREVIEW_STACK_TRACE_LIMIT || 0);
process.env.TS_NODE_TRANSPILE_ONLY = "true";
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json") });
require("./cli").run(process.argv.slice(2));
