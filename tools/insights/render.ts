/**
 * Renders a plan diagram (tools/insights/diagram.ts) in the format a file
 * name asks for. SVG comes from Graphviz compiled to WebAssembly
 * (@viz-js/viz), in this process: no system binary, no browser.
 */
import * as fs from "fs";
import { DiagramFormat, DiagramGraph, DiagramOptions, DiagramRecord, diagramGraph, formatOf, toDot, toMermaid, TopologyModel } from "./diagram";

type Viz = Awaited<ReturnType<typeof import("@viz-js/viz").instance>>;
let viz: Promise<Viz> | undefined;

/** DOT -> SVG with the WebAssembly Graphviz (loaded once per process). */
export async function renderSvg(dot: string): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    viz ??= (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
    return (await viz).renderString(dot, { format: "svg", engine: "dot" });
}

/** The graph as text in `format`. */
export async function renderDiagram(graph: DiagramGraph, format: DiagramFormat): Promise<string> {
    switch (format) {
        case "dot":
            return toDot(graph);
        case "mermaid":
            return toMermaid(graph);
        case "svg":
            return renderSvg(toDot(graph));
    }
}

export interface WrittenDiagram {
    file: string;
    format: DiagramFormat;
    model: TopologyModel;
    graph: DiagramGraph;
}

/** Draws the plan's records into `file` (format from its extension). */
export async function writeDiagram(file: string, records: DiagramRecord[], options: DiagramOptions = {}): Promise<WrittenDiagram> {
    const format = formatOf(file);
    if (!format) throw new Error(`--diagram ${file}: the file name must end in .svg, .mmd (Mermaid) or .dot (Graphviz)`);
    const { model, graph } = diagramGraph(records, options);
    fs.writeFileSync(file, await renderDiagram(graph, format));
    return { file, format, model, graph };
}

/** One line for the plan's output: what the diagram holds. */
export function describeDiagram(d: WrittenDiagram): string {
    const services = d.model.vpcs.filter(v => !v.frontDoor).length;
    const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
    const parts = [n(services, "service VPC"), n(d.model.edges.length, "consumer edge"), n(d.model.principals.length, "cross-account principal")];
    if (d.model.frontDoors.length) parts.push(n(d.model.frontDoors.length, "front door"));
    return `diagram: wrote ${d.file} (${d.format}; ${parts.join(", ")})`;
}
