#!/usr/bin/env node
// Launcher for the offline preview: `npm run plan -- --stack dev [--json] …`.
//
// Speed settings (measured on this machine, see the numbers in the commit
// that set them):
// - Error.stackTraceLimit: the Pulumi SDK records `new Error().stack` for
//   every internal promise; a small limit cuts the cost of each capture.
// - TypeScript via ts-node in transpile-only mode: no type check at run
//   time (`npm run typecheck` does that).
"use strict";
const path = require("path");

Error.stackTraceLimit = Number(process.env.PREVIEW_STACK_TRACE_LIMIT || 2);
process.env.TS_NODE_TRANSPILE_ONLY = "true";
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json") });
require("./cli").run(process.argv.slice(2));
