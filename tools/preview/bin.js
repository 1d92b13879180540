#!/usr/bin/env node
// Launcher for the offline preview: `npm run plan -- --stack dev [--mode up] [--json] …`
// (options and exit codes: tools/preview/cli.ts). The runtime settings that
// make it fast, and their measurements, are in ./launch.js.
"use strict";
require("./launch").configure();
require("./cli").run(process.argv.slice(2));
