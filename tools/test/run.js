#!/usr/bin/env node
// `npm test`: the mocha suite in two worker processes (mocha --parallel),
// with the type check and the lint (one process over one TypeScript
// program, tools/test/check.js) beside it at a lower priority. Most of the
// suite is the program planned offline, one plan at a time per process: two workers use both cores of the machine the
// budget is measured on (docs/performance.md, "The test suite"). The
// red-team files, the longest, are handed out first so that no long file is
// left running alone at the end. Mocha's report of each file comes when the
// file ends; the type check's and the lint's come after it, in full when they
// fail. The exit code is non-zero when any of the three fails.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = name => path.join(ROOT, "node_modules", ".bin", name);

/** Mocha's worker processes for the whole suite. */
const JOBS = 2;
/**
 * Handed out first, in this order: the longest files (measured with
 * TEST_FILE_TIMES, tools/test/file-times.js): the exactness test of
 * `--changed` (environment plans of 50 shards), the red-team files (each
 * plans dozens of edited programs) and the pack's fuzzing. A long file
 * started last would run alone at the end while the other core idles.
 */
const FIRST = ["test/preview/env-changed.test.ts", "test/redteam/", "policies/test/fuzz.test.ts"];

/** The suite's test files (test/ and policies/test/), the longest first, each once. */
function suiteFiles() {
    const files = ["test", "policies/test"].flatMap(dir =>
        fs.readdirSync(path.join(ROOT, dir), { recursive: true })
            .map(f => path.posix.join(dir, f.split(path.sep).join("/")))
            .filter(f => f.endsWith(".test.ts")),
    ).sort();
    const rank = f => {
        const i = FIRST.findIndex(p => f.startsWith(p));
        return i < 0 ? FIRST.length : i;
    };
    return files.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(x => x.f);
}

/**
 * V8's young generation for mocha's workers: a plan keeps most of what it
 * allocates until it ends, so with V8's default semi-space (16 MB) each of
 * its many scavenges copies the plan's live objects again. 64 MB: a quarter
 * of the scavenges and about 60% less time in them over
 * test/redteam/deny.test.ts (`node --trace-gc`, docs/performance.md "The
 * test suite"), for about 100 MB more memory per worker.
 */
const MOCHA_NODE_OPTIONS = "--max-semi-space-size=64";

/** Runs a command; `capture` keeps its output for later instead of passing it through. */
function run(label, command, args, { capture, nice, env }) {
    return new Promise(resolve => {
        const child = spawn(command, args, { cwd: ROOT, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit", env: env ?? process.env });
        const chunks = [];
        if (capture) {
            child.stdout.on("data", c => chunks.push(c));
            child.stderr.on("data", c => chunks.push(c));
        }
        // The checks yield to mocha when the machine is short of cores (os.setPriority: nice on Linux and macOS).
        if (nice && child.pid) {
            try {
                require("os").setPriority(child.pid, 10);
            } catch {
                // not permitted here: run at the same priority
            }
        }
        child.on("error", e => resolve({ label, code: 1, output: `${label}: ${e.message}\n` }));
        child.on("close", code => resolve({ label, code: code ?? 1, output: Buffer.concat(chunks).toString("utf8") }));
    });
}

async function main() {
    const started = Date.now();
    // The type check and the lint share one TypeScript program (tools/test/check.js prints both results).
    const checks = [run("type check and lint", process.execPath, [path.join(__dirname, "check.js")], { capture: true, nice: true })];
    // Files or mocha options after `--` replace the whole suite, run in one process (npm test -- test/format.test.ts).
    const given = process.argv.slice(2);
    const mocha = await run("mocha", BIN("mocha"), given.length > 0 ? given : ["--parallel", "--jobs", String(JOBS), ...suiteFiles()], {
        capture: false,
        env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, MOCHA_NODE_OPTIONS].filter(Boolean).join(" ") },
    });
    let failed = mocha.code !== 0;
    for (const check of await Promise.all(checks)) {
        process.stdout.write(check.output.endsWith("\n") ? check.output : `${check.output}\n`);
        if (check.code !== 0) {
            failed = true;
            if (!/FAILED/.test(check.output)) process.stdout.write(`${check.label}: FAILED (exit ${check.code})\n`);
        }
    }
    process.stdout.write(`npm test: ${failed ? "failed" : "passed"} in ${Math.round((Date.now() - started) / 1000)} s\n`);
    process.exitCode = failed ? 1 : 0;
}

main();
