// Per test file, how long it took and how much CPU its process spent on it:
// with TEST_FILE_TIMES=<file>, `npm test` (mocha --parallel: its workers
// run each file as a run of its own) appends one JSON line
// `{ file, ms, cpuMs }` per test file to <file>. A mocha root-hook plugin
// (.mocharc.json `require`): the root hooks run around the run's suites, in
// whichever process runs them, so a run of several files in one process
// (`npx mocha a.test.ts b.test.ts`) gets one line for all. Loading a file is
// not counted; processes the tests start are not in `cpuMs`. Without the
// variable it does nothing. docs/performance.md ("The test suite") lists the
// longest files measured this way.
"use strict";
const fs = require("fs");

const out = process.env.TEST_FILE_TIMES;
let started;

exports.mochaHooks = out
    ? {
        beforeAll() {
            started = { at: Date.now(), cpu: process.cpuUsage() };
        },
        afterAll() {
            const files = new Set((this.test?.parent?.suites ?? []).map(s => s.file).filter(Boolean));
            const cpu = process.cpuUsage(started.cpu);
            const line = { file: [...files].join(" "), ms: Date.now() - started.at, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
            fs.appendFileSync(out, JSON.stringify(line) + "\n");
        },
    }
    : {};
