/**
 * The README's topology diagram is generated from the `dev` plan, between
 * two markers; `npm run diagram:readme` rewrites it and
 * test/insights/readme-diagram.test.ts fails when it is out of date.
 *
 *   npm run diagram:readme            rewrite the block in README.md
 *   npm run diagram:readme -- --check exit 1 when the block differs
 */
import * as fs from "fs";
import * as path from "path";
import { diagramGraph, DiagramRecord, toMermaid } from "./diagram";

export const README_STACK = "dev";
export const BEGIN = "<!-- diagram:begin (generated from the dev plan by `npm run diagram:readme`; do not edit) -->";
export const END = "<!-- diagram:end -->";

/** The Markdown between the markers: a Mermaid block drawn from the plan's records. */
export function readmeBlock(records: DiagramRecord[], stackConfig?: Record<string, unknown>): string {
    const { graph } = diagramGraph(records, { title: `privatelink-platform / ${README_STACK}`, stackConfig, detail: "full" });
    return "```mermaid\n" + toMermaid(graph) + "```";
}

/** A generated block's markers (default: the diagram's). */
export interface BlockMarkers {
    begin: string;
    end: string;
}

/** The block currently between the markers, or undefined when the README has none. */
export function currentBlock(readme: string, markers: BlockMarkers = { begin: BEGIN, end: END }): string | undefined {
    const start = readme.indexOf(markers.begin);
    const end = readme.indexOf(markers.end);
    if (start < 0 || end < start) return undefined;
    return readme.slice(start + markers.begin.length, end).trim();
}

/** The README with `block` between the markers. */
export function withBlock(readme: string, block: string, markers: BlockMarkers = { begin: BEGIN, end: END }): string {
    const start = readme.indexOf(markers.begin);
    const end = readme.indexOf(markers.end);
    if (start < 0 || end < start) throw new Error(`README.md has no ${markers.begin} ... ${markers.end} markers`);
    return `${readme.slice(0, start + markers.begin.length)}\n${block}\n${readme.slice(end)}`;
}

async function main(argv: string[]): Promise<number> {
    // Loaded here so that the pure functions above import nothing heavy.
    const { runPreview, defaultProjectDir } = await import("../preview");
    const { readProject, readStackConfig } = await import("../preview/config");
    const root = defaultProjectDir();
    const stackConfig = readStackConfig(readProject(root), README_STACK);
    const result = await runPreview({ projectDir: root, stack: README_STACK, mode: "preview", stackConfig });
    if (result.errors) throw new Error(`the ${README_STACK} catalog is invalid: ${result.errors.map(e => `${e.path}: ${e.message}`).join("; ")}`);
    const file = path.join(root, "README.md");
    const readme = fs.readFileSync(file, "utf8");
    const block = readmeBlock(result.resources, stackConfig);
    if (argv.includes("--check")) {
        if (currentBlock(readme) === block) return 0;
        process.stderr.write("README.md: the diagram differs from the dev plan; run `npm run diagram:readme`\n");
        return 1;
    }
    fs.writeFileSync(file, withBlock(readme, block));
    process.stderr.write(`README.md: diagram regenerated from the ${README_STACK} plan\n`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        code => {
            process.exitCode = code;
        },
        e => {
            process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
        },
    );
}
