// `npm run test:quick`: the unit tests of the policy pack, the catalog and
// the insights, without the tests that run the program offline (a plan takes
// seconds), start processes or sample at random at length. Run it while you
// work; `npm test` runs everything (README, "Running the tests").
//
// A test file leaves this run by saying why on its first line:
//   // Not in `npm run test:quick`: it plans the program offline.
"use strict";
const fs = require("fs");
const path = require("path");
const base = require("./.mocharc.json");

const DIRS = ["policies/test", "test/catalog", "test/insights"];
const MARKER = /^\/\/ Not in `npm run test:quick`: \S/;

/** The `.test.ts` files under `dir` (relative to this file), sorted. */
function testFiles(dir) {
    return fs
        .readdirSync(path.join(__dirname, dir), { recursive: true })
        .filter(f => f.endsWith(".test.ts"))
        .map(f => path.posix.join(dir, f.split(path.sep).join("/")))
        .sort();
}

function firstLine(file) {
    const text = fs.readFileSync(path.join(__dirname, file), "utf8");
    const end = text.indexOf("\n");
    return end < 0 ? text : text.slice(0, end);
}

module.exports = {
    ...base,
    spec: DIRS.flatMap(testFiles).filter(f => !MARKER.test(firstLine(f))),
};
