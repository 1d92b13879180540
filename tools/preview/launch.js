// Runtime settings of the offline preview's command line, in one place so
// that anything measuring `npm run plan` (the benchmark) can apply exactly
// the same: `require("tools/preview/launch").configure()` before loading
// tools/preview.
//
// What makes it fast, measured on this machine (2 cores shared with other
// work, load average 4–5) with test/fixtures/synthetic, ~38 resources per
// service, `--json`, end to end:
//   1,900 resources 4.3 s, 0.37 GB peak RSS; 3,800: 7.1 s, 0.58 GB;
//   7,600: 12.0–13.6 s, 0.94 GB (about 1.1–1.4 ms and 0.1 MB per extra
//   resource; ~2 s of it is start-up: ts-node, the AWS SDK modules).
//
// - The SDK wraps each internal promise in `debuggablePromise` (a stack capture
//   plus leak tracking) and captures a full stack per resource; with ts-node
//   each capture is mapped through source maps. runPreview passes the promises
//   through and formats the SDK's own captures as a constant string while a
//   program runs (tools/preview/index.ts): at 7,600 resources that took the run
//   from 17–19 s user CPU and 1.52 GB to 12–13 s and 0.94 GB. With that,
//   compiled JS gains nothing over ts-node, so there is no compile step.
// - Error.stackTraceLimit = 0 (below): V8 walks no frame for the captures that
//   remain (before the change above: limit 1 ≈ 20.5 s, limit 0 ≈ 14–16.5 s user
//   CPU at 7,600 resources). A program error then shows its message without
//   frames; PREVIEW_STACK_TRACE_LIMIT=50 shows where it was thrown.
// - TypeScript through ts-node in transpile-only mode (no type check at run
//   time; `npm run typecheck` does that); runPreview reuses its output per file
//   across runs in one process.
// - Each file's transpiled output kept on disk (./ts-cache.js, keyed by the
//   source text, file name, compiler options and TypeScript's version):
//   transpiling the ~400 files of the program, the fake cloud and the pack was
//   17.5% of the CPU of a 200-service plan (docs/performance.md, "Profile").
// - --heap-growing-percent=50 (set at run time, no re-exec): V8 otherwise lets
//   the heap grow up to 4x the live size between full GCs; it cut peak RSS by
//   ~10% at the same time. A capped old space doubled the time,
//   --optimize-for-size tripled it, larger semi-spaces (+150 MB RSS) gave no
//   clear gain.
"use strict";
const path = require("path");

/** Applies the settings above to this process and registers ts-node. Call once, first. */
function configure() {
    require("v8").setFlagsFromString("--heap-growing-percent=50");
    Error.stackTraceLimit = Number(process.env.PREVIEW_STACK_TRACE_LIMIT || 0);
    process.env.TS_NODE_TRANSPILE_ONLY = "true";
    // TypeScript's own transpileModule with each file's output kept on disk (./ts-cache.js).
    require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json"), transpiler: require.resolve("./ts-cache") });
}

module.exports = { configure };
