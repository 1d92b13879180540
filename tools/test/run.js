#!/usr/bin/env node
// `npm test`: the type check (tsc --noEmit), the lint (eslint) and the
// mocha suite, the first two beside the third instead of before it. Mocha
// runs the program offline on one core most of the time; the type check and
// the lint each build a TypeScript program and fit on the other core, so
// the whole takes about as long as mocha alone (docs/performance.md, "The
// test suite"). Mocha's report streams as it runs; the type check's and the
// lint's come after it, in full when they fail. The exit code is non-zero
// when any of the three fails.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = name => path.join(ROOT, "node_modules", ".bin", name);

/** Runs a command; `capture` keeps its output for later instead of passing it through. */
function run(label, command, args, { capture, nice }) {
    return new Promise(resolve => {
        const child = spawn(command, args, { cwd: ROOT, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
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
    const checks = [
        run("type check (tsc --noEmit)", BIN("tsc"), ["--noEmit", "-p", "tsconfig.json"], { capture: true, nice: true }),
        run("lint (eslint)", BIN("eslint"), ["--cache", "--cache-location", ".cache/eslint/", "."], { capture: true, nice: true }),
    ];
    // Files or mocha options after `--` replace the whole suite (npm test -- test/format.test.ts).
    const given = process.argv.slice(2);
    const mocha = await run("mocha", BIN("mocha"), given.length > 0 ? given : ["test/**/*.test.ts", "policies/test/**/*.test.ts"], { capture: false });
    let failed = mocha.code !== 0;
    for (const check of await Promise.all(checks)) {
        if (check.code === 0) {
            process.stdout.write(`${check.label}: clean\n`);
        } else {
            failed = true;
            process.stdout.write(`${check.label}: FAILED (exit ${check.code})\n${check.output}\n`);
        }
    }
    process.stdout.write(`npm test: ${failed ? "failed" : "passed"} in ${Math.round((Date.now() - started) / 1000)} s\n`);
    process.exitCode = failed ? 1 : 0;
}

main();
