// Mocha's TypeScript loader (.mocharc.json `require`): ts-node in
// transpile-only mode, as `ts-node/register/transpile-only`, with the plan
// launcher's transpiler (tools/preview/ts-cache.js: TypeScript's own
// transpileModule, each output kept on disk and in memory). The suite plans
// hundreds of copies of the program (the red-team cases); with it each file
// of a copy whose text is unchanged is not transpiled again, which was about
// half of the CPU time of such a plan.
"use strict";
const path = require("path");

require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json"), transpiler: require.resolve("../preview/ts-cache") });
