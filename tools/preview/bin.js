#!/usr/bin/env node
// Launcher for the offline preview: `npm run plan -- --stack dev [--mode up] [--json] …`
// (see tools/preview/cli.ts for the options and exit codes).
//
// What makes it fast, measured on this machine with test/fixtures/synthetic
// (~38 resources per service):
// - The Pulumi SDK captures `new Error().stack` for every internal promise and
//   a full stack for every resource. Two settings cut that cost:
//   * Error.stackTraceLimit = 1 (below): V8 walks one frame per capture instead
//     of ten. 3,800 resources, CPU time: limit 10 ≈ 14 s, 2 ≈ 9.7 s, 1 ≈ 8.3 s,
//     0 ≈ 8 s (under heavy machine load). 1 keeps the top frame of a program
//     error; PREVIEW_STACK_TRACE_LIMIT=50 gives full traces when debugging.
//   * runPreview formats the SDK's own captures as a constant string instead of
//     mapping them through ts-node's source maps (tools/preview/index.ts,
//     installCheapSdkStacks): 1,900 resources, 12–14 s → 6.5 s CPU. This is what
//     made compiled JS 3x faster than ts-node, so no compile step is needed.
// - TypeScript through ts-node in transpile-only mode (no type check at run
//   time; `npm run typecheck` does that); runPreview memoises its output per
//   file across runs in one process.
// - No V8 heap flags: a capped old space (--max-old-space-size=1200) kept RSS
//   ~12% lower at 7,600 resources but doubled the time; larger semi-spaces
//   did not help.
"use strict";
const path = require("path");

Error.stackTraceLimit = Number(process.env.PREVIEW_STACK_TRACE_LIMIT || 1);
process.env.TS_NODE_TRANSPILE_ONLY = "true";
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json") });
require("./cli").run(process.argv.slice(2));
