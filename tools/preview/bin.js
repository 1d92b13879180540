#!/usr/bin/env node
// Launcher for the offline preview: `npm run -s plan -- --stack dev [--mode up] [--json] …`
// (options and exit codes: tools/preview/usage.js and cli.ts). --help is
// answered first, before TypeScript or the Pulumi SDK load. The runtime
// settings that make a plan fast, and their measurements, are in ./launch.js.
"use strict";
const usage = require("./usage");
const argv = process.argv.slice(2);
if (usage.wantsHelp(argv)) {
    process.stdout.write(usage.USAGE);
} else {
    require("./launch").configure();
    require("./cli").run(argv);
}
