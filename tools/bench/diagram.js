#!/usr/bin/env node
// One diagram measurement in a fresh process:
//   node tools/bench/diagram.js <stack-file>
// Plans the stack as `npm run plan` does, then times what `--diagram` adds
// over the plan's records (tools/insights): the model and graph, DOT,
// Mermaid, and SVG rendered in-process by @viz-js/viz, the WebAssembly
// module's first load included. Prints one JSON line.
"use strict";
require("../preview/launch").configure();
const { runPreview } = require("../preview");
const { diagramGraph, toDot, toMermaid } = require("../insights/diagram");
const { renderSvg } = require("../insights/render");

const ms = start => Number(process.hrtime.bigint() - start) / 1e6;
const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
};

async function main(file) {
    const stackConfig = require("yaml").parse(require("fs").readFileSync(file, "utf8")).config;
    const result = await runPreview({ stack: "bench", configFile: file, mode: "preview" });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const out = { resources: result.resources.length };
    // What `--diagram out.svg` does by default (auto: compact above 30 services), first in the process.
    let t = process.hrtime.bigint();
    const cpu = cpuMs();
    const { model, graph } = diagramGraph(result.resources, { stackConfig });
    out.modelMs = ms(t);
    const svg = await renderSvg(toDot(graph));
    out.svgMs = ms(t);
    out.svgCpuMs = cpuMs() - cpu;
    out.services = model.vpcs.length;
    out.edges = model.edges.length;
    out.svgKb = Math.round(svg.length / 1024);
    t = process.hrtime.bigint();
    toMermaid(diagramGraph(result.resources, { stackConfig }).graph);
    out.mermaidMs = ms(t);
    t = process.hrtime.bigint();
    toDot(diagramGraph(result.resources, { stackConfig }).graph);
    out.dotMs = ms(t);
    // Every VPC with its endpoints (--diagram-detail full): the largest picture.
    t = process.hrtime.bigint();
    const full = await renderSvg(toDot(diagramGraph(result.resources, { stackConfig, detail: "full" }).graph));
    out.fullSvgMs = ms(t);
    out.fullSvgKb = Math.round(full.length / 1024);
    // One service's neighbourhood.
    t = process.hrtime.bigint();
    await renderSvg(toDot(diagramGraph(result.resources, { stackConfig, focus: [model.vpcs[0].service] }).graph));
    out.focusSvgMs = ms(t);
    process.stdout.write(JSON.stringify(out) + "\n");
}

main(process.argv[2]).catch(err => {
    console.error(err);
    process.exit(1);
});
