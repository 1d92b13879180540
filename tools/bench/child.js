#!/usr/bin/env node
// One benchmark measurement in a fresh process:
//   node tools/bench/child.js <platform|default> <stack-file>
// platform: how `npm run plan` runs the program (see tools/preview/bin.js).
// default:  how the Pulumi CLI runs a TypeScript program out of the box:
//           ts-node with type checking, Node's default stack-trace limit.
// Prints one JSON line: resources, programMs (program start to last
// registration), maxRssMb.
"use strict";
const path = require("path");
const started = process.hrtime.bigint();
const [variant, file] = process.argv.slice(2);
const project = path.join(__dirname, "..", "..", "tsconfig.json");

if (variant === "platform") {
    Error.stackTraceLimit = Number(process.env.PREVIEW_STACK_TRACE_LIMIT || 2);
    require("ts-node").register({ transpileOnly: true, project });
} else if (variant === "default") {
    require("ts-node").register({ transpileOnly: false, project });
} else {
    console.error(`unknown variant ${variant}: use platform or default`);
    process.exit(2);
}

const { runPreview } = require("../preview");
runPreview({ stack: "bench", configFile: file, mode: "preview" }).then(result => {
    if (result.errors) {
        console.error(JSON.stringify(result.errors));
        process.exit(2);
    }
    const programMs = Number(process.hrtime.bigint() - started) / 1e6;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ resources: result.resources.length, programMs, maxRssMb }) + "\n");
}, err => {
    console.error(err);
    process.exit(1);
});
